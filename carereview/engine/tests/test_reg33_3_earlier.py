"""CPPCR reg 33(3) and reg 32(2): a review required earlier than the timetable."""

from carereview.engine.schedule import EarlierReview, compute_schedule, reg33_3_required_by

from .build import d, ep

G03 = [ep("27/03/2026", ls="C1", place="U2")]
AS_AT = d("20/11/2026")


def test_the_due_date_is_the_earlier_of_the_two():
    iro = EarlierReview(d("01/06/2026"), "IRO request")
    assert reg33_3_required_by(d("28/07/2026"), [iro]) == d("01/06/2026")
    assert reg33_3_required_by(d("28/05/2026"), [iro]) == d("28/05/2026")
    assert reg33_3_required_by(d("28/07/2026"), []) == d("28/07/2026")


def test_a_requirement_with_no_request_date_brings_the_next_review_forward():
    visit = EarlierReview(d("30/11/2026"), "reg 30 visit: welfare not safeguarded")
    schedule = compute_schedule([ep("02/01/2026")], [d("30/01/2026")], AS_AT, earlier=[visit])
    assert schedule.next_due == d("30/04/2026")  # already earlier
    schedule = compute_schedule(G03, [d("28/04/2026")], d("01/06/2026"), earlier=[visit])
    assert (schedule.next_due, schedule.overdue) == (d("28/07/2026"), False)
    earlier = EarlierReview(d("15/06/2026"), "end of remand")
    schedule = compute_schedule(G03, [d("28/04/2026")], d("01/06/2026"), earlier=[earlier])
    assert (schedule.next_due, schedule.next_sequence) == (d("15/06/2026"), 2)
    assert schedule.next_due_practical == d("15/06/2026")


def test_a_requirement_applies_to_the_first_review_held_after_the_request():
    iro = EarlierReview(d("15/06/2026"), "IRO request", requested_on=d("01/06/2026"))
    held = [d("28/04/2026"), d("20/06/2026")]
    schedule = compute_schedule(G03, held, AS_AT, earlier=[iro])
    assert [(r.due, r.on_time) for r in schedule.reviews] == [
        (d("28/04/2026"), True),
        (d("15/06/2026"), False),
    ]
    assert schedule.next_due == d("20/12/2026")  # 6 months from the day it was held


def test_a_request_made_on_the_day_of_a_review_is_for_the_next_one():
    change = EarlierReview(d("01/06/2026"), "reg 32(2) change of placement", d("28/04/2026"))
    schedule = compute_schedule(G03, [d("28/04/2026")], d("01/05/2026"), earlier=[change])
    assert schedule.reviews[0].due == d("28/04/2026")
    assert schedule.next_due == d("01/06/2026")


def test_a_request_outside_every_period_or_for_a_closed_period_changes_nothing():
    closed = [ep("01/04/2023", "30/09/2023", ls="V2")]
    stray = EarlierReview(d("01/01/2024"), "IRO request", requested_on=d("01/12/2023"))
    late = EarlierReview(d("01/10/2023"), "IRO request", requested_on=d("20/09/2023"))
    schedule = compute_schedule(closed, [d("28/04/2023")], AS_AT, earlier=[stray, late])
    assert schedule.reviews[0].due == d("03/05/2023")
    assert schedule.next_due is None
