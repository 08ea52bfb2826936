"""Properties every schedule has, whatever the episodes and reviews (rules.md §3)."""

from datetime import date, timedelta

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from carereview.engine.calendar import default_calendar
from carereview.engine.periods import episodes_known_at, period_at, periods_of_care
from carereview.engine.schedule import ChildSchedule, compute_schedule

from .strategies import LAST, as_at_dates, child_cases


def _periods(case, as_at: date):
    return periods_of_care(episodes_known_at(case[0], as_at))


def _what_follows(schedule: ChildSchedule, periods, index: int, as_at: date) -> date | None:
    """The due date of whatever follows counted review ``index`` in its period: the next
    counted review, or the next review due where the period is the open one."""
    reviews = schedule.reviews
    period = period_at(periods, reviews[index].date)
    if index + 1 < len(reviews) and period_at(periods, reviews[index + 1].date) is period:
        return reviews[index + 1].due
    return schedule.next_due if period_at(periods, as_at) is period else None


@settings(deadline=None)
@given(case=child_cases(), as_at=as_at_dates)
def test_due_date_is_never_before_the_review_it_follows(case, as_at):
    schedule = compute_schedule(case[0], case[1], as_at)
    periods = _periods(case, as_at)
    for index, review in enumerate(schedule.reviews):
        period = period_at(periods, review.date)
        assert period is not None and review.due > period.start
        follows = _what_follows(schedule, periods, index, as_at)
        assert follows is None or follows > review.date


@settings(deadline=None)
@given(case=child_cases(), as_at=as_at_dates, data=st.data())
def test_holding_a_review_earlier_never_makes_the_next_one_due_later(case, as_at, data):
    before = compute_schedule(case[0], case[1], as_at)
    assume(before.reviews)
    index = data.draw(st.integers(0, len(before.reviews) - 1))
    moved = before.reviews[index]
    earliest = before.reviews[index - 1].date + timedelta(days=1) if index else date.min
    held = data.draw(
        st.dates(min_value=max(earliest, moved.date - timedelta(days=200)), max_value=moved.date)
    )
    assume(held not in case[1])
    after = compute_schedule(case[0], [held if d == moved.date else d for d in case[1]], as_at)
    periods = _periods(case, as_at)
    assume(period_at(periods, held) is period_at(periods, moved.date))
    still = after.reviews[index]
    assume((still.date, still.regime, still.sequence) == (held, moved.regime, moved.sequence))
    was = _what_follows(before, periods, index, as_at)
    now = _what_follows(after, periods, index, as_at)
    assert (was is None) == (now is None)
    assert was is None or (now is not None and now <= was)


@settings(deadline=None)
@given(case=child_cases(), as_at=as_at_dates, extra=st.dates(max_value=LAST))
def test_adding_a_review_never_changes_earlier_reviews(case, as_at, extra):
    before = compute_schedule(case[0], case[1], as_at)
    after = compute_schedule(case[0], [*case[1], extra], as_at)
    assert [r for r in after.reviews if r.date < extra] == [
        r for r in before.reviews if r.date < extra
    ]


@settings(deadline=None)
@given(case=child_cases(), as_at=as_at_dates)
def test_reviews_in_date_order_with_consecutive_sequences(case, as_at):
    schedule = compute_schedule(case[0], case[1], as_at)
    dates = [r.date for r in schedule.reviews]
    assert dates == sorted(set(dates))
    for previous, review in zip(schedule.reviews, schedule.reviews[1:], strict=False):
        assert review.sequence in (1, previous.sequence + 1)
        if review.regime != previous.regime:
            assert review.sequence == 1
    assert all(r.on_time == (r.date <= r.due) for r in schedule.reviews)


@settings(deadline=None)
@given(case=child_cases(), as_at=as_at_dates)
def test_every_review_held_by_as_at_counts_or_is_a_data_error(case, as_at):
    schedule = compute_schedule(case[0], case[1], as_at)
    held = [d for d in case[1] if d is None or d <= as_at]
    assert len(schedule.reviews) + len(schedule.errors) == len(held)


@settings(deadline=None)
@given(case=child_cases(), as_at=as_at_dates)
def test_next_due_only_while_a_period_is_open(case, as_at):
    schedule = compute_schedule(case[0], case[1], as_at)
    is_open = period_at(_periods(case, as_at), as_at) is not None
    assert (schedule.next_due is not None) == is_open
    assert schedule.overdue == (is_open and schedule.next_due < as_at)
    if is_open:
        practical = schedule.next_due_practical
        assert practical is not None and schedule.next_due is not None
        assert practical <= schedule.next_due
        assert default_calendar().is_working_day(practical)
