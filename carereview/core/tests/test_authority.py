"""The authority's settings (core.authority; issue 13, item 5): one typed object with the defaults,
checked at start-up, overridable in a test."""

import typing

import msgspec
import msgspec.inspect
import msgspec.structs
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from carereview.core.authority import (
    Authority,
    DisputeStage,
    authority,
    check_settings,
    problems,
)


def test_the_defaults_are_the_authoritys_choices_with_their_types():
    defaults = Authority()
    assert defaults.review_dated_by_meeting == "last"
    assert defaults.iro_appointment_working_days == 5
    assert defaults.midway_fraction == 0.5
    assert defaults.hide_carer_name_from_parent_when_address_confidential is True
    assert [stage.code for stage in defaults.dispute_ladder] == [
        "informal",
        "team_manager",
        "service_manager",
        "head_of_service",
        "director",
    ]
    hints = typing.get_type_hints(Authority)
    for field in msgspec.structs.fields(Authority):
        value = getattr(defaults, field.name)
        kind = typing.get_origin(hints[field.name]) or hints[field.name]
        if kind is typing.Literal:
            assert value in typing.get_args(hints[field.name]), field.name
        else:
            assert isinstance(value, kind), field.name
    # Every field says what it is (the README's table shows it).
    info = msgspec.inspect.type_info(Authority)
    assert isinstance(info, msgspec.inspect.StructType)
    described = info.fields
    assert all(
        isinstance(f.type, msgspec.inspect.Metadata)
        and f.type.extra_json_schema
        and f.type.extra_json_schema["description"]
        for f in described
    )


def test_the_test_settings_change_only_the_second_step(settings):
    assert settings.CAREREVIEW == {"STAFF_SECOND_FACTOR": "relaxed"}
    assert authority() == msgspec.structs.replace(Authority(), staff_second_factor="relaxed")


def test_the_object_is_kept_and_cannot_be_changed():
    assert authority() is authority()
    with pytest.raises(AttributeError):
        authority().break_glass_hours = 1  # type: ignore[misc]  # read-only, as the test shows


def test_an_override_takes_effect_and_is_undone(settings):
    assert authority().break_glass_hours == 4
    with override_settings(CAREREVIEW={**settings.CAREREVIEW, "BREAK_GLASS_HOURS": 1}):
        assert authority().break_glass_hours == 1
    assert authority().break_glass_hours == 4
    # pytest-django's fixture sends the same signal; the fixture undoes it after the test.
    settings.CAREREVIEW = {**settings.CAREREVIEW, "REVIEW_DATED_BY_MEETING": "first"}
    assert authority().review_dated_by_meeting == "first"


def test_the_ladder_comes_typed_from_a_list_of_dicts(settings):
    settings.CAREREVIEW = {
        "DISPUTE_LADDER": [
            {"code": "a", "label": "A", "addressee": "social_worker", "working_days": 3},
        ]
    }
    assert authority().dispute_ladder == (
        DisputeStage(code="a", label="A", addressee="social_worker", working_days=3),
    )


def _e001(configured):
    with override_settings(CAREREVIEW=configured):
        return [e for e in check_settings(None) if e.id == "carereview.E001"]


def test_an_unknown_key_fails_the_check_with_the_nearest_name():
    (error,) = _e001({"REVIEW_DATED_BY_MEETNG": "first"})
    assert error.msg == (
        "CAREREVIEW['REVIEW_DATED_BY_MEETNG'] is not a setting: did you mean "
        "'REVIEW_DATED_BY_MEETING'?"
    )
    assert "core/authority.py" in error.hint
    (error,) = _e001({"NOTHING_LIKE_IT": 1})
    assert error.msg == "CAREREVIEW['NOTHING_LIKE_IT'] is not a setting."


@pytest.mark.parametrize(
    ("configured", "message"),
    [
        (
            {"REVIEW_DATED_BY_MEETING": "middle"},
            "CAREREVIEW[\"REVIEW_DATED_BY_MEETING\"]: invalid enum value 'middle'; choose one of "
            "'last', 'first'.",
        ),
        (
            {"SESSION_IDLE_MINUTES": "30"},
            'CAREREVIEW["SESSION_IDLE_MINUTES"]: expected `int`, got `str`.',
        ),
        (
            {"MEETING_CHANGE_NEEDS_APPROVAL": 1},
            'CAREREVIEW["MEETING_CHANGE_NEEDS_APPROVAL"]: expected `bool`, got `int`.',
        ),
        (
            {"PORTAL_INVITATION_DAYS": 0},
            'CAREREVIEW["PORTAL_INVITATION_DAYS"]: expected `int` >= 1.',
        ),
        ({"MIDWAY_FRACTION": 1.5}, 'CAREREVIEW["MIDWAY_FRACTION"]: expected `float` < 1.0.'),
        (
            {"CASELOAD_GUIDE_MIN": 80},
            "CAREREVIEW: CASELOAD_GUIDE_MIN is more than CASELOAD_GUIDE_MAX.",
        ),
        (
            {
                "DISPUTE_LADDER": [
                    {"code": "a", "label": "A", "addressee": "boss", "working_days": 1}
                ]
            },
            "CAREREVIEW[\"DISPUTE_LADDER\"][0].addressee: invalid enum value 'boss'; choose one "
            "of 'social_worker', 'team_manager', 'line_manager'.",
        ),
    ],
)
def test_a_wrong_type_or_a_value_out_of_range_fails_the_check(configured, message):
    assert [e.msg for e in _e001(configured)] == [message]
    with override_settings(CAREREVIEW=configured), pytest.raises(ImproperlyConfigured) as raised:
        authority()
    assert str(raised.value) == message


def test_sound_settings_pass_the_check(settings):
    assert _e001(settings.CAREREVIEW) == []
    assert _e001({}) == []
    assert problems({"AUTHORITY_NAME": "Southfield Council", "REPORT_FRESH_MINUTES": 5}) == []


@pytest.mark.django_db
def test_the_check_runs_with_the_command_line(settings):
    """`carereview check` (and so migrate, runserver) stops on it."""
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    settings.CAREREVIEW = {"SESION_IDLE_MINUTES": 5}
    with pytest.raises(SystemCheckError, match="did you mean 'SESSION_IDLE_MINUTES'"):
        call_command("check")
