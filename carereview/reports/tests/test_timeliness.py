"""The timeliness report (rules.md §8) on a small service whose figures are worked out by hand.

Reporting year 2025 (1 April 2025 to 31 March 2026), as at 1 December 2025. Each review's stored
schedule fields (what `refresh_summary` would have stored) are set directly, so the expected
figures follow from the table below and nothing else.

    A (IRO Ian; next due 10 Feb 2026): held 10 May, due 12 May, on time, chaired by Ian, PN1;
      held 20 Aug, due 10 Aug, late, Ian, PN7; held 1 Feb 2025 (last year: left out).
    B (Ian; next due 20 Nov 2025): held 1 Jun, due 5 Jun, on time, Ian, PN5.
    C (Irene; next due 10 Jun 2026; born 2 Jul 2021): held 1 Jul, due 1 Jul, on time, Irene, PN0
      (aged 3 that day); held 10 Dec, due 25 Nov (after the as-at date: missing then).
    D (Irene; next due 15 Jun 2026; born 28 Nov 2021): held 28 Nov, due 5 Dec, on time, Irene,
      PN1 (4th birthday that day); held 15 Dec, due 20 Dec (after the as-at date, due after it:
      not yet due).
    E (no IRO; next due 1 Dec 2025): held 1 Sep, due 1 Sep, on time, chaired by Irene, no code.
    F (Ian; next due 1 Oct 2025): no review held.
    G (Irene; left care 1 Oct 2025): held 2 Jun (does not count); held 2 Apr, due 1 Apr, late,
      no chair recorded, PN3.
    I (no IRO; came into care 20 Oct 2025; next due 1 Nov 2025): no review held.
    H (Oscar, outside the manager's teams: left out): held 1 Jul, due 30 Jun, late; next due
      1 Aug 2025.

Reviews due: on time A1 B1 C1 D1 E1 = 5; late A2 G2 = 2; missing B, C2, F, I = 4; due 11.
Not yet due: A (10 Feb), D2 (20 Dec), E (due on the as-at date itself) = 3.
Children with a review due: A B C D E F G I = 8; every one on time: D, E = 2.
By IRO: Ian A1 A2 B1 B F = 5 (2 on time, 1 late, 2 missing); Irene C1 C2 D1 E1 G2 = 5 (3, 1, 1);
no IRO: I = 1 (missing).
Participation (held 1 April to 1 December, aged 4 or over): A1 PN1, A2 PN7, B1 PN5, D1 PN1,
E1 not recorded, G2 PN3 = 6; PN1-PN6 = 4 (66.7%). C1 is left out: aged 3.
In care: at the start A B C D E G = 6; started F, I = 2; ended G = 1; at 1 December 7.
"""

import csv
import io
from datetime import date

import pytest
from django.urls import reverse

from carereview.accounts.models import Role
from carereview.children.models import Child
from carereview.core.testing import make_child, make_user
from carereview.reports import selectors
from carereview.reports.models import Snapshot
from carereview.reviews.models import Review

AS_AT = date(2025, 12, 1)
YEAR = 2025


def _review(child, held, due, on_time, chaired_by=None, code="", counts=True):
    return Review.objects.create(
        child=child,
        held_on=held,
        due_on=due,
        on_time=on_time if counts else None,
        counts=counts,
        chaired_by=chaired_by,
        participation_code=code,
        regime="standard" if counts else "",
    )


def _child(name, *, iro, start, next_due, dob=date(2014, 5, 14)):
    child = make_child(iro=iro, start=start, first_name=name, dob=dob, as_at=AS_AT)
    Child.objects.filter(pk=child.pk).update(next_review_due=next_due)
    child.refresh_from_db()
    return child


@pytest.fixture
def authority(service):
    ian, irene = service.iro, service.iro2
    a = _child("A", iro=ian, start=date(2024, 1, 10), next_due=date(2026, 2, 10))
    _review(a, date(2025, 2, 1), date(2025, 2, 3), True, ian, "PN1")
    _review(a, date(2025, 5, 10), date(2025, 5, 12), True, ian, "PN1")
    _review(a, date(2025, 8, 20), date(2025, 8, 10), False, ian, "PN7")
    b = _child("B", iro=ian, start=date(2024, 6, 1), next_due=date(2025, 11, 20))
    _review(b, date(2025, 6, 1), date(2025, 6, 5), True, ian, "PN5")
    c = _child(
        "C", iro=irene, start=date(2024, 3, 1), next_due=date(2026, 6, 10), dob=date(2021, 7, 2)
    )
    _review(c, date(2025, 7, 1), date(2025, 7, 1), True, irene, "PN0")
    _review(c, date(2025, 12, 10), date(2025, 11, 25), False, irene, "PN1")
    d = _child(
        "D", iro=irene, start=date(2024, 9, 1), next_due=date(2026, 6, 15), dob=date(2021, 11, 28)
    )
    _review(d, date(2025, 11, 28), date(2025, 12, 5), True, irene, "PN1")
    _review(d, date(2025, 12, 15), date(2025, 12, 20), True, irene, "PN1")
    e = _child("E", iro=None, start=date(2025, 1, 1), next_due=date(2025, 12, 1))
    _review(e, date(2025, 9, 1), date(2025, 9, 1), True, irene, "")
    _child("F", iro=ian, start=date(2025, 5, 1), next_due=date(2025, 10, 1))
    g = _child("G", iro=irene, start=date(2023, 1, 1), next_due=None)
    g.episodes.update(dec=date(2025, 10, 1), rec="E4A")
    Child.objects.filter(pk=g.pk).update(in_care=False)
    _review(g, date(2025, 6, 2), None, None, irene, "PN1", counts=False)
    _review(g, date(2025, 4, 2), date(2025, 4, 1), False, None, "PN3")
    _child("I", iro=None, start=date(2025, 10, 20), next_due=date(2025, 11, 1))
    oscar = make_user("oscar.iro", Role.IRO)
    h = _child("H", iro=oscar, start=date(2024, 2, 1), next_due=date(2025, 8, 1))
    _review(h, date(2025, 7, 1), date(2025, 6, 30), False, oscar, "PN1")
    return service


def _report(service, year=YEAR, as_at=AS_AT):
    return selectors.timeliness(Child.objects.visible_to(service.iro_manager), year, as_at)


def test_reviews_due_on_time_late_missing(authority):
    r = _report(authority)
    assert (r.on_time, r.late, r.missing, r.due) == (5, 2, 4, 11)
    assert r.timeliness == 45.5
    assert r.not_yet_due == 3


def test_children_whose_every_review_was_on_time(authority):
    r = _report(authority)
    assert (r.children_due, r.children_all_on_time) == (8, 2)
    assert r.children_all_on_time_share == 25.0


def test_by_iro(authority):
    r = _report(authority)
    rows = [(x.name, x.due, x.on_time, x.late, x.missing, x.timeliness) for x in r.by_iro]
    assert rows == [
        ("Ian Applewood", 5, 2, 1, 2, 40.0),
        ("Irene Brackenby", 5, 3, 1, 1, 60.0),
        ("No IRO allocated", 1, 0, 0, 1, 0.0),
    ]
    total = r.total_row
    assert (total.due, total.on_time, total.late, total.missing) == (11, 5, 2, 4)


def test_participation_of_children_aged_four_or_over(authority):
    r = _report(authority)
    assert r.participation_reviews == 6
    assert r.participation_codes == {"PN1": 2, "PN3": 1, "PN5": 1, "PN7": 1, "": 1}
    assert (r.participated, r.participation_share) == (4, 66.7)
    table = {code: (n, pct) for code, _, n, pct in r.participation_table}
    assert table["PN0"] == (0, 0.0) and table[""] == (1, 16.7)


def test_children_in_care_starters_and_leavers(authority):
    r = _report(authority)
    assert (r.in_care_at_start, r.started, r.ended, r.in_care_at_end) == (6, 2, 1, 7)
    assert r.in_care_at_start + r.started - r.ended == r.in_care_at_end


def test_as_at_the_end_of_the_year(authority):
    """As at 31 March 2026 the reviews held after 1 December count as held, and A's and E's next
    reviews, still not held, are missing."""
    r = _report(authority, as_at=date(2026, 3, 31))
    # On time: A1 B1 C1 D1 D2 E1 = 6; late: A2 C2 G2 = 3; missing: A, B, E, F, I = 5.
    assert (r.on_time, r.late, r.missing, r.not_yet_due) == (6, 3, 5, 0)
    assert (r.children_due, r.children_all_on_time) == (8, 1)  # D only


def test_a_year_with_nothing_due(authority):
    r = _report(authority, year=2020, as_at=date(2021, 3, 31))
    assert (r.due, r.timeliness, r.children_due, r.by_iro) == (0, None, 0, [])


def test_report_survives_its_snapshot(authority):
    r = _report(authority)
    again = selectors.Timeliness.from_dict(r.to_dict())
    assert again == r and again.by_iro[0].timeliness == 40.0


# --- the page --------------------------------------------------------------------------------


def test_only_iro_managers_see_the_report(client, authority):
    url = reverse("reports:timeliness")
    for user in (authority.iro, authority.social_worker, authority.administrator):
        client.force_login(user)
        assert client.get(url).status_code == 403
    client.force_login(authority.iro_manager)
    assert client.get(url).status_code == 200


def test_page_shows_the_figures(client, authority):
    client.force_login(authority.iro_manager)
    response = client.get(reverse("reports:timeliness"), {"year": YEAR, "as_at": "2025-12-01"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Review timeliness" in html and "2025 to 2026" in html
    assert "45.5%" in html and "Ian Applewood" in html and "No IRO allocated" in html
    assert "2 of the 8 children" in html
    assert 'scope="row"' in html and "govuk-table" in html
    assert "Fernhollow" not in html  # no child is named on the page at all


def test_csv_download(client, authority):
    client.force_login(authority.iro_manager)
    response = client.get(
        reverse("reports:timeliness"), {"year": YEAR, "as_at": "2025-12-01", "format": "csv"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="timeliness-2025-2026-as-at-2025-12-01.csv"'
    )
    assert "no-store" in response["Cache-Control"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows == [
        ["IRO", "Reviews due", "On time", "Late", "Missing", "Timeliness (%)"],
        ["Ian Applewood", "5", "2", "1", "2", "40.0"],
        ["Irene Brackenby", "5", "3", "1", "1", "60.0"],
        ["No IRO allocated", "1", "0", "0", "1", "0.0"],
        ["All IROs", "11", "5", "2", "4", "45.5"],
    ]


def test_csv_cells_cannot_become_formulas(client, authority):
    authority.iro.first_name = "=cmd"
    authority.iro.save()
    client.force_login(authority.iro_manager)
    response = client.get(
        reverse("reports:timeliness"), {"year": YEAR, "as_at": "2025-12-01", "format": "csv"}
    )
    assert "'=cmd Applewood" in response.content.decode()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"year": YEAR, "as_at": "2999-01-01"}, "The as-at date must be today or in the past"),
        ({"year": YEAR, "as_at": "2025-02-30"}, "The as-at date must be a real date"),
        (
            {"year": YEAR, "as_at_day": "31", "as_at_month": "", "as_at_year": "2025"},
            "The as-at date must include a month",
        ),
        ({"year": YEAR, "as_at": "2025-03-31"}, "on or after the start of the year, 1 April 2025"),
        ({"year": "1066", "as_at": "2025-12-01"}, "Choose a reporting year from the list"),
    ],
)
def test_bad_choices_are_explained(client, authority, params, message):
    client.force_login(authority.iro_manager)
    response = client.get(reverse("reports:timeliness"), params)
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html and message in html


def test_defaults_are_this_year_as_at_today(client, authority):
    from carereview.core.calendar import today

    client.force_login(authority.iro_manager)
    response = client.get(reverse("reports:timeliness"))
    r = response.context["r"]
    assert r.as_at == today() and r.year == selectors.year_of(today())


def test_figures_are_kept_then_worked_out_again(client, authority):
    client.force_login(authority.iro_manager)
    url = reverse("reports:timeliness")
    params = {"year": YEAR, "as_at": "2025-12-01"}
    first = client.get(url, params)
    assert first.context["r"].due == 11
    assert Snapshot.objects.count() == 1
    # A review recorded since: the kept figures stand until they are worked out again.
    f = Child.objects.get(first_name="F")
    _review(f, date(2025, 10, 1), date(2025, 10, 1), True, authority.iro, "PN1")
    Child.objects.filter(pk=f.pk).update(next_review_due=date(2026, 4, 1))
    assert client.get(url, params).context["r"].on_time == 5
    again = client.get(url, {**params, "refresh": "1"})
    assert (again.context["r"].on_time, again.context["r"].missing) == (6, 3)
    assert Snapshot.objects.count() == 1


def test_year_of():
    assert selectors.year_of(date(2026, 3, 31)) == 2025
    assert selectors.year_of(date(2026, 4, 1)) == 2026


@pytest.mark.django_db
@pytest.mark.parametrize(("year", "as_at"), [(2026, date(2026, 11, 20)), (2025, date(2026, 3, 31))])
def test_agrees_with_a_count_child_by_child(year, as_at):
    """On a synthetic authority, the SQL gives what counting each child's reviews in Python does."""
    from django.core.management import call_command

    from carereview.accounts.models import User

    call_command("synth", children=60, seed=11, as_at=date(2026, 11, 20), password="pw-x")
    manager = User.objects.get(username="iro.manager")
    start, end = selectors.year_bounds(year)
    on_time = late = missing = later = 0
    children_due = all_on_time = 0
    codes: dict[str, int] = {}
    for child in Child.objects.visible_to(manager).prefetch_related("reviews"):
        good = bad = 0
        for r in child.reviews.all():
            if r.counts and r.held_on and start <= r.due_on <= end:
                if r.held_on <= as_at:
                    on_time += r.on_time
                    late += not r.on_time
                    good, bad = good + r.on_time, bad + (not r.on_time)
                elif r.due_on < as_at:
                    missing, bad = missing + 1, bad + 1
                else:
                    later += 1
            if r.counts and r.held_on and start <= r.held_on <= min(end, as_at):
                born, held = child.date_of_birth, r.held_on
                age = held.year - born.year - ((held.month, held.day) < (born.month, born.day))
                if age >= 4:
                    codes[r.participation_code] = codes.get(r.participation_code, 0) + 1
        due = child.next_review_due
        if due and start <= due <= end:
            if due < as_at:
                missing, bad = missing + 1, bad + 1
            else:
                later += 1
        if good or bad:
            children_due += 1
            all_on_time += not bad
    r = selectors.timeliness(Child.objects.visible_to(manager), year, as_at)
    assert (r.on_time, r.late, r.missing, r.not_yet_due) == (on_time, late, missing, later)
    assert (r.children_due, r.children_all_on_time) == (children_due, all_on_time)
    assert r.participation_codes == codes
    assert r.due > 20 and r.late and r.participation_reviews
    assert sum(row.due for row in r.by_iro) == r.due


@pytest.mark.parametrize("params", [{"as_at": "0001-01-01"}, {"as_at": "1999-06-30"}])
def test_an_as_at_date_before_the_years_listed_is_what_is_wrong(client, authority, params):
    """With no year chosen, the year is the as-at date's; a date before every year listed was
    answered "Choose a reporting year from the list", blaming the select nobody touched."""
    client.force_login(authority.iro_manager)
    response = client.get(reverse("reports:timeliness"), params)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Choose a reporting year from the list" not in html
    assert (
        '<a href="#id_as_at_day">The as-at date must be on or after the start of the year' in html
    )
