import csv
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from carereview.accounts.models import Role, User
from carereview.children.models import Child
from carereview.engine.calendar import default_calendar
from carereview.reviews.models import Review
from carereview.synth.generator import generate

AS_AT = date(2026, 11, 20)


def test_generation_is_deterministic_and_realistic():
    a = generate(seed=7, children=120, as_at=AS_AT, calendar=default_calendar())
    b = generate(seed=7, children=120, as_at=AS_AT, calendar=default_calendar())
    assert [(c.first_name, c.last_name, c.dob) for c in a.children] == [
        (c.first_name, c.last_name, c.dob) for c in b.children
    ]
    assert len(a.children) == 120
    roles = [s.role for s in a.staff]
    assert roles.count("iro") == 8 and roles.count("social_worker") == 25
    assert len({s.team for s in a.staff if s.role == "social_worker"}) == 4
    kinds = {e.ls for c in a.children for e in c.episodes}
    assert {"V3", "E1"} & kinds, "short breaks or adoption paths appear"
    assert any(e.place in {"A5", "A6"} for c in a.children for e in c.episodes)
    assert any(e.rec and e.rec != "X1" for c in a.children for e in c.episodes), "some leave"
    assert sum(len(c.reviews) for c in a.children) > 120
    assert any(c.siblings for c in a.children)
    for c in a.children:
        assert all(e.decom <= AS_AT for e in c.episodes)
        assert [r.held_on for r in c.reviews] == sorted({r.held_on for r in c.reviews})


def test_names_are_plainly_fictional():
    from carereview.synth import names

    assert all(
        s.endswith(
            (
                "Lane",
                "Road",
                "Street",
                "Close",
                "Avenue",
                "Way",
                "Gardens",
                "Crescent",
                "Row",
                "Drive",
            )
        )
        for s in names.STREETS
    )
    a = generate(seed=1, children=30, as_at=AS_AT, calendar=default_calendar())
    assert all(p.email.endswith("@example.com") for p in a.people)
    assert all(p.phone.startswith("07700 900") for p in a.people)


@pytest.mark.django_db
def test_synth_command_loads_and_writes_903(tmp_path, capsys):
    call_command("synth", children=40, seed=3, as_at=AS_AT, ssda903=tmp_path, password="pw-x")
    assert Child.objects.count() == 40
    assert User.objects.filter(role=Role.IRO).count() == 8
    assert Review.objects.filter(counts=True).exists()
    # Mostly on time, some late: a realistic rhythm.
    counted = Review.objects.filter(counts=True)
    on_time = counted.filter(on_time=True).count()
    assert on_time / counted.count() > 0.6
    with open(tmp_path / "reviews.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert set(rows[0]) == {"CHILD", "DOB", "REVIEW", "REVIEW_CODE"}
    assert len(rows) == Review.objects.filter(held_on__isnull=False).count()
    assert Child.objects.filter(in_care=True, current_iro__isnull=True).exists()
    # Most reviews due in the next six weeks are booked, before their due date.
    from carereview.reviews.models import Meeting

    meetings = list(Meeting.objects.filter(status="scheduled").select_related("review__child"))
    assert meetings
    # Each review held was held at a meeting that day (issue 12 item 17).
    held = Meeting.objects.filter(status="held")
    assert sorted(held.values_list("review_id", "on")) == sorted(
        Review.objects.filter(held_on__isnull=False).values_list("pk", "held_on")
    )
    assert all(
        (due := m.review.child.next_review_due) is not None and m.on <= due for m in meetings
    )
    assert all(m.on > AS_AT for m in meetings)
    with pytest.raises(CommandError, match="already holds 40 children"):
        call_command("synth", children=5)


def test_synth_files_only(tmp_path):
    call_command("synth", children=10, ssda903=tmp_path, no_load=True, as_at=AS_AT)
    assert (tmp_path / "episodes.csv").read_text().startswith("CHILD,DECOM,RNE")


def test_a_national_scale_staff_has_a_name_each():
    """More staff than first-name and surname pairs (some 2,900): 3,150 IROs and 840 social
    workers, as `pages_at_scale.py --sizes 210000` asks for. Once the pairs run out, surnames are
    double-barrelled; a small authority's names are as they were."""
    a = generate(
        seed=2026,
        children=5,
        as_at=AS_AT,
        iros=3150,
        social_workers=840,
        teams=33,
        calendar=default_calendar(),
    )
    names = [(s.first_name, s.last_name) for s in a.staff]
    assert len(names) > 4000 and len(set(names)) == len(names)
    from carereview.synth.names import SURNAMES

    assert any(last not in SURNAMES for _, last in names)
    small = generate(seed=7, children=5, as_at=AS_AT, calendar=default_calendar())
    assert all(s.last_name in SURNAMES for s in small.staff)


@pytest.mark.django_db
def test_synth_appoints_iros_and_tells_the_iro_service_with_realistic_dates():
    # Issue 12, items 13-15: the synthetic authority keeps generating valid data.
    from carereview.allocation.models import IROAllocation, IROServiceNotice

    call_command("synth", children=120, seed=5, as_at=AS_AT, password="pw-x")
    firsts = IROAllocation.objects.filter(appointed_in_time__isnull=False)
    assert (
        firsts.filter(appointed_in_time=True).count()
        > firsts.filter(appointed_in_time=False).count()
    )
    # No review was held before the child's first IRO was appointed in its period.
    for a in firsts.select_related("child"):
        held = a.child.reviews.filter(counts=True, held_on__lt=a.started_on)
        assert not held.filter(held_on__gte=a.child.looked_after_since or a.started_on).exists()
    in_care = Child.objects.filter(in_care=True)
    told = IROServiceNotice.objects.filter(child__in=in_care)
    assert told.count() >= in_care.count()
    assert all(n.told_on >= n.looked_after_from for n in told)
    assert Child.looked_after_parents.through.objects.exists()
    for baby in Child.objects.filter(looked_after_parents__isnull=False):
        for mother in baby.looked_after_parents.all():
            assert mother.current_iro_id != baby.current_iro_id
