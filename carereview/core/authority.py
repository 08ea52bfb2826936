"""The authority's settings: every choice rules.md leaves to the authority ("ours"), typed, with its
default, in one place (issue 13, item 5; ADR 0017).

`authority()` is the one way code reads them: ``authority().review_dated_by_meeting``. Each field
is the lower-case name of a key a deployment may set in ``settings.CAREREVIEW`` (upper case, as
Django settings are); the dict holds only what a deployment changes, and everything else is the
default below. The values are checked when they are read (``msgspec`` converts the dict into
`Authority`): an unknown key, a value of the wrong type or one out of range is an error, which the
system check ``carereview.E001`` reports at start-up (``carereview check``, ``migrate``,
``runserver``) with the key and, for a misspelt key, the nearest known name.

The object is built once and kept; it is built again when Django's ``setting_changed`` signal says
CAREREVIEW changed (``override_settings``, pytest-django's ``settings`` fixture).

Core knows no domain app: the fields are plain values (numbers, words, a ladder of stages), and
each app decides what they mean.
"""

from __future__ import annotations

import difflib
import typing
from functools import cache
from typing import Annotated, Any, Literal

import msgspec
import msgspec.inspect
import msgspec.structs
from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver

__all__ = ["Authority", "DisputeStage", "authority", "problems", "settings_table"]


def _doc(text: str, **bounds: Any) -> msgspec.Meta:
    """A field's meaning (shown in the README's table) and its allowed range."""
    return msgspec.Meta(description=text, **bounds)


WorkingDays = int  # a number of working days (core.calendar counts them)


class DisputeStage(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """One stage of the dispute resolution ladder (rules.md §5)."""

    #: A short code kept on each dispute step ("informal", "team_manager" ...); unique.
    code: Annotated[str, msgspec.Meta(min_length=1)]
    #: What the stage is called on pages and in letters.
    label: Annotated[str, msgspec.Meta(min_length=1)]
    #: Who the stage is addressed to: the child's social worker, their team manager, or the line
    #: manager of the previous stage's addressee (disputes/ladder.py).
    addressee: Literal["social_worker", "team_manager", "line_manager"]
    #: The response time, in working days.
    working_days: Annotated[int, msgspec.Meta(ge=0)]


DEFAULT_DISPUTE_LADDER = (
    DisputeStage(
        code="informal",
        label="Informal: the social worker",
        addressee="social_worker",
        working_days=10,
    ),
    DisputeStage(
        code="team_manager",
        label="Stage 1: team manager",
        addressee="team_manager",
        working_days=10,
    ),
    DisputeStage(
        code="service_manager",
        label="Stage 2: service manager",
        addressee="line_manager",
        working_days=10,
    ),
    DisputeStage(
        code="head_of_service",
        label="Stage 3: head of service",
        addressee="line_manager",
        working_days=10,
    ),
    DisputeStage(
        code="director",
        label="Stage 4: director of children's services",
        addressee="line_manager",
        working_days=10,
    ),
)


class Authority(
    msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True, rename="upper"
):
    """The authority's choices. Field ``x_y`` is ``settings.CAREREVIEW["X_Y"]``."""

    # --- The authority ----------------------------------------------------------------------------
    authority_name: Annotated[
        str, _doc("The authority's name, on every page, letter and message.", min_length=1)
    ] = "Northmoor Borough Council"
    iro_service_phone: Annotated[
        str, _doc("The IRO service's phone number, given on pages, letters and messages.")
    ] = "01632 960000"

    # --- Allocation (rules.md §4) -----------------------------------------------------------------
    iro_appointment_working_days: Annotated[
        WorkingDays,
        _doc(
            "rules.md §4: an IRO is appointed within this many working days of the child becoming "
            "looked after.",
            ge=0,
        ),
    ] = 5
    iro_told_working_days: Annotated[
        WorkingDays,
        _doc(
            "rules.md §4 (ours): the IRO service is told of a child within this many working days.",
            ge=0,
        ),
    ] = 2
    caseload_guide_min: Annotated[
        int, _doc("rules.md §4 (IRO Handbook): the fewest children per full-time IRO.", ge=0)
    ] = 50
    caseload_guide_max: Annotated[
        int,
        _doc("rules.md §4 (IRO Handbook): the most children per full-time IRO.", ge=1),
    ] = 70
    caseload_page_size: Annotated[int, _doc("An IRO's caseload: children a page.", ge=1)] = 25
    iro_caseloads_page_size: Annotated[
        int, _doc("The managers' list of IROs' caseloads: IROs a page.", ge=1)
    ] = 50

    # --- Periods and reviews (rules.md §2, §3) ----------------------------------------------------
    short_break_window_months: Annotated[
        int,
        _doc(
            "rules.md §2 (ours): a short-break stay (LS V3) beginning within this many months of "
            "the previous stay's end continues its period, which stays open this long after the "
            "last stay.",
            ge=0,
        ),
    ] = 6
    review_dated_by_meeting: Annotated[
        Literal["last", "first"],
        _doc(
            'rules.md §3 (ours): a review held over several meetings is dated by its "last" '
            'meeting (the one that completes it) or its "first".'
        ),
    ] = "last"
    adoption_ended_resumes_from_last_review: Annotated[
        bool,
        _doc(
            "rules.md §3 (ours): when an adoption placement ends and the child stays looked after, "
            "the standard regime resumes from the previous review held (true) or starts afresh "
            "(false)."
        ),
    ] = True
    meeting_change_needs_approval: Annotated[
        bool,
        _doc(
            "rules.md §3 (ours): postponing or cancelling a meeting needs an IRO manager's "
            "approval."
        ),
    ] = True
    social_worker_contact_working_days: Annotated[
        WorkingDays,
        _doc(
            "IRO Handbook: the IRO and the social worker are in touch this many working days "
            "before the review.",
            ge=0,
        ),
    ] = 15
    papers_working_days: Annotated[
        WorkingDays,
        _doc(
            "IRO Handbook: the social worker's papers are due this many working days before "
            "the review.",
            ge=0,
        ),
    ] = 3
    decisions_within_working_days: Annotated[
        WorkingDays,
        _doc(
            'rules.md §4 "record" (ours): the review\'s decisions are sent within this many '
            "working days.",
            ge=0,
        ),
    ] = 5
    record_within_working_days: Annotated[
        WorkingDays,
        _doc(
            'rules.md §4 "record" (ours): the full record is sent within this many working days.',
            ge=0,
        ),
    ] = 20
    support_page_size: Annotated[
        int, _doc('Business support\'s workspace ("Your reviews"): rows a page.', ge=1)
    ] = 50
    recompute_in_request_max_records: Annotated[
        int,
        _doc(
            "After a bank-holiday change, stored dates counted in working days are worked out "
            "again in the request up to this many records, above it by the background worker "
            "(core.calendar).",
            ge=0,
        ),
    ] = 2000

    # --- The portal and representations (issue 5) ------------------------------------------------
    portal_child_min_age: Annotated[
        int,
        _doc(
            "(ours) A child may be invited to the portal from this age; younger only with an "
            "adult's help, which the member of staff confirms.",
            ge=0,
            le=18,
        ),
    ] = 8
    portal_invitation_days: Annotated[
        int, _doc("(ours) An invitation link works once, for this many days.", ge=1)
    ] = 7
    portal_choices_cutoff_working_days: Annotated[
        WorkingDays,
        _doc(
            "(ours) Unless the IRO sets another, a child may change their choices until this "
            "many working days before the first meeting.",
            ge=0,
        ),
    ] = 3
    advocacy_service_name: Annotated[
        str, _doc("(ours) The commissioned advocacy service (s26A).", min_length=1)
    ] = "Northmoor Advocacy for Children"
    advocacy_service_phone: Annotated[str, _doc("The advocacy service's phone number.")] = (
        "01632 960111"
    )
    advocacy_referral_working_days: Annotated[
        WorkingDays,
        _doc(
            "(ours; s26A sets no time) The advocacy service gets in touch with a child who asks "
            "within this many working days.",
            ge=0,
        ),
    ] = 2
    complaints_phone: Annotated[str, _doc("The complaints and representations team's phone.")] = (
        "01632 960222"
    )
    complaints_email: Annotated[str, _doc("The complaints and representations team's email.")] = (
        "complaints@northmoor.example.org"
    )

    # --- Uploaded images (issue 12; core/images.py) -----------------------------------------------
    image_upload_max_bytes: Annotated[
        int, _doc("An uploaded image is refused above this size in bytes.", ge=1)
    ] = 5 * 1024 * 1024
    image_upload_max_pixels: Annotated[
        int,
        _doc(
            "An uploaded image is refused above this many pixels (read from its header, "
            "before decoding); Pillow's own limit agrees.",
            ge=1,
        ),
    ] = 40_000_000
    image_stored_max_side: Annotated[
        int, _doc("An image is kept at most this many pixels a side.", ge=1)
    ] = 600

    # --- Signing in and sessions (issue 7) --------------------------------------------------------
    staff_second_factor: Annotated[
        Literal["required", "relaxed"],
        _doc(
            '"required": every member of staff signs in with a code from an app (TOTP) or a '
            'recovery code; "relaxed" (local demo and tests only) asks only those who set one '
            'up. `carereview check --deploy` fails unless "required".'
        ),
    ] = "required"
    session_idle_minutes: Annotated[
        int, _doc("A session ends after this many minutes without a request.", ge=1)
    ] = 30
    session_max_hours: Annotated[
        int, _doc("A session ends after this many hours in all.", ge=1)
    ] = 12
    session_warning_seconds: Annotated[
        int, _doc("The session warning shows this many seconds before the end.", ge=0)
    ] = 120
    sign_in_address_failure_limit: Annotated[
        int,
        _doc(
            "Failed sign-ins from one address, on any accounts, before that address is locked "
            "out (AXES_FAILURE_LIMIT is the limit per account).",
            ge=1,
        ),
    ] = 20
    trusted_proxy_count: Annotated[
        int,
        _doc(
            "Proxies in front of the application that add to X-Forwarded-For; 0 reads the "
            "address from the connection. Production reads TRUSTED_PROXY_COUNT from the "
            "environment.",
            ge=0,
        ),
    ] = 0
    break_glass_hours: Annotated[
        int,
        _doc(
            "(ours) An IRO manager's break-glass access to a record outside their scope lasts "
            "this many hours.",
            ge=1,
        ),
    ] = 4

    # --- Reports (issue 7) ------------------------------------------------------------------------
    report_fresh_minutes: Annotated[
        int, _doc("The timeliness report is worked out again after this many minutes.", ge=0)
    ] = 10
    caseload_totals_fresh_minutes: Annotated[
        int,
        _doc("The managers' caseload totals are worked out again after this many minutes.", ge=0),
    ] = 2
    report_page_size: Annotated[int, _doc("Reports' lists: rows a page.", ge=1)] = 50

    # --- Records (rules.md §7) --------------------------------------------------------------------
    retention_approval: Annotated[
        Literal["web", "web or command line"],
        _doc(
            "rules.md §7 (ours): who may approve deleting records past their retention date. "
            '"web": only a second administrator signed in on the web; "web or command line" also '
            "takes a name typed with `carereview retention approve --by`, which proves nothing."
        ),
    ] = "web"
    hide_carer_name_from_parent_when_address_confidential: Annotated[
        bool,
        _doc(
            "rules.md §7 (ours): where a placement address is confidential from a parent, that "
            "parent's versions (record, letters, portal) leave out the carer's name too."
        ),
    ] = True
    pg_bindir: Annotated[
        str,
        _doc(
            "Where `carereview backup` finds pg_dump and pg_restore; empty: the PATH, then "
            "Debian's folders. The environment's CAREREVIEW_PG_BINDIR comes first."
        ),
    ] = ""

    # --- Between reviews (issue 6) ----------------------------------------------------------------
    midway_fraction: Annotated[
        float,
        _doc(
            'rules.md §4 "follow-up" (ours): the IRO\'s midway check falls at this fraction of '
            "the time between a review and the next due date.",
            gt=0,
            lt=1,
        ),
    ] = 0.5
    dispute_ladder: Annotated[
        tuple[DisputeStage, ...],
        _doc(
            "rules.md §5 (ours): the dispute resolution ladder, lowest stage first, each "
            "{code, label, addressee, working_days}; addressee is social_worker, team_manager or "
            "line_manager.",
            min_length=1,
        ),
    ] = DEFAULT_DISPUTE_LADDER
    remind_unbooked_working_days: Annotated[
        WorkingDays,
        _doc("(ours) An unbooked review is flagged this many working days before it is due.", ge=0),
    ] = 20
    remind_decision_working_days: Annotated[
        WorkingDays,
        _doc(
            "(ours) A decision's owner is reminded this many working days before it is due.", ge=0
        ),
    ] = 5
    remind_dispute_working_days: Annotated[
        WorkingDays,
        _doc(
            "(ours) A dispute's addressee is reminded this many working days before the "
            "response is due.",
            ge=0,
        ),
    ] = 2
    outbox_max_backoff_minutes: Annotated[
        int,
        _doc(
            "The outbox tries a failed send again after 1, 2, 4 ... minutes, at most this many.",
            ge=1,
        ),
    ] = 360
    outbox_stuck_after_attempts: Annotated[
        int,
        _doc(
            "A message not sent after this many attempts needs a person: an ERROR is logged at "
            "each further failure and the outbox page lists it first. It is still tried.",
            ge=1,
        ),
    ] = 10

    # --- The service unavailable page (issue 12) --------------------------------------------------
    unavailable_retry_after_seconds: Annotated[
        int, _doc("The 503 page's Retry-After, in seconds.", ge=0)
    ] = 30

    def __post_init__(self) -> None:
        # Rules across fields; a ValueError here is reported like a wrong type.
        if self.caseload_guide_min > self.caseload_guide_max:
            raise ValueError("CASELOAD_GUIDE_MIN is more than CASELOAD_GUIDE_MAX")
        codes = [stage.code for stage in self.dispute_ladder]
        repeated = sorted({code for code in codes if codes.count(code) > 1})
        if repeated:
            raise ValueError(f"DISPUTE_LADDER repeats the stage code {', '.join(repeated)}")


KNOWN = tuple(field.encode_name for field in msgspec.structs.fields(Authority))


def problems(configured: object) -> list[str]:
    """What is wrong with a CAREREVIEW dict, in words (empty when it is sound)."""
    if not isinstance(configured, dict):
        return [f"CAREREVIEW is a {type(configured).__name__}; it must be a dict."]
    found = []
    for key in configured:
        if key in KNOWN:
            continue
        near = difflib.get_close_matches(str(key).upper(), KNOWN, n=1, cutoff=0.6)
        found.append(
            f"CAREREVIEW[{key!r}] is not a setting"
            + (f": did you mean {near[0]!r}?" if near else ".")
        )
    if found:
        return found
    try:
        msgspec.convert(configured, Authority)
    except msgspec.ValidationError as error:
        return [_in_words(str(error))]
    return []


def _in_words(message: str) -> str:
    """msgspec's "Expected `int`, got `str` - at `$.X_Y`" as 'CAREREVIEW["X_Y"]: expected ...',
    with the choices where the setting is one of a few words."""
    if " - at `$." not in message:
        return f"CAREREVIEW: {message}."
    text, _, where = message.rpartition(" - at `$.")
    path = where.rstrip("`")
    key, _, rest = path.partition("[")
    key, _, attribute = key.partition(".")
    name = (
        f'CAREREVIEW["{key}"]'
        + (f"[{rest}" if rest else "")
        + (f".{attribute}" if attribute else "")
    )
    text = text[0].lower() + text[1:]
    choices = _choices_of(key, path)
    if choices:
        text += "; choose one of " + ", ".join(repr(choice) for choice in choices)
    return f"{name}: {text}."


def _choices_of(key: str, path: str) -> tuple[str, ...]:
    """The words a setting may be, where it is a Literal (or a ladder stage's addressee)."""
    if path.startswith("DISPUTE_LADDER[") and path.endswith(".addressee"):
        return typing.get_args(typing.get_type_hints(DisputeStage)["addressee"])
    field = next((f for f in msgspec.structs.fields(Authority) if f.encode_name == key), None)
    if field is None:
        return ()
    kind = typing.get_args(field.type)[0] if typing.get_origin(field.type) else field.type
    if typing.get_origin(kind) is Literal:
        return typing.get_args(kind)
    return ()


@cache
def _build() -> Authority:
    configured = getattr(settings, "CAREREVIEW", {})
    found = problems(configured)
    if found:
        raise ImproperlyConfigured(" ".join(found))
    return msgspec.convert(configured, Authority)


def authority() -> Authority:
    """The authority's settings, typed. ImproperlyConfigured if CAREREVIEW is unsound."""
    return _build()


@receiver(setting_changed)
def _forget(*, setting: str, **kwargs: object) -> None:
    if setting == "CAREREVIEW":
        _build.cache_clear()


@checks.register()
def check_settings(app_configs: object = None, **kwargs: object) -> list[checks.CheckMessage]:
    """carereview.E001: CAREREVIEW names only known settings, each of its type and range."""
    return [
        checks.Error(
            problem,
            hint="The settings and their defaults are in carereview/core/authority.py and the "
            "README's settings section.",
            id="carereview.E001",
        )
        for problem in problems(getattr(settings, "CAREREVIEW", {}))
    ]


def settings_table() -> str:
    """The README's table of the authority's settings: name, default, meaning."""
    rows = ["| Setting | Default | Meaning |", "| --- | --- | --- |"]
    info = msgspec.inspect.type_info(Authority)
    assert isinstance(info, msgspec.inspect.StructType)
    for field in info.fields:
        default = field.default
        if field.name == "dispute_ladder":
            shown = " → ".join(f"{s.code} ({s.working_days})" for s in default)
        else:
            shown = repr(default) if isinstance(default, str) else str(default)
        described = field.type  # each field is Annotated with its Meta(description=...)
        assert isinstance(described, msgspec.inspect.Metadata) and described.extra_json_schema
        meaning = described.extra_json_schema["description"]
        rows.append(f"| `{field.encode_name}` | `{shown}` | {meaning} |")
    return "\n".join(rows) + "\n"
