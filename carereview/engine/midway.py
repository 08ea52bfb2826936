"""The IRO's midway check between two reviews (rules.md §4 "follow-up").

The IRO checks progress on the review's decisions between reviews ("midway" monitoring; seeds,
local practice). When is ours: by default at the midpoint, a setting (`MIDWAY_FRACTION`).

The choice made here, for a review held on `held_on` with the next one due on `next_due`:

* the gap is counted in calendar days, ``next_due - held_on``;
* the check falls ``fraction`` of the way through it, **rounded down** to a whole day, so it is
  never later than the point the setting names (183 days at 0.5 gives 91 days, not 92);
* that day is the due date, and it is never moved (rules.md §1): where it is not a working day,
  the practical deadline is the last working day on or before it, never before the review
  itself (``WorkingCalendar.practical_deadline(due, not_before=held_on)``).

Fractions are taken exactly (`Fraction(str(fraction))`), so 0.29 of 100 days is 29, not 28.
"""

from datetime import date, timedelta
from fractions import Fraction
from math import floor

#: Ours (rules.md §4): at the midpoint, by default.
DEFAULT_FRACTION = 0.5


def midway_check_due(
    held_on: date, next_due: date, fraction: float | Fraction = DEFAULT_FRACTION
) -> date:
    """The day the midway check is due: ``held_on + fraction x (next_due - held_on)`` days
    (rounded down), whatever day of the week it is (rules.md §1: a due date is never moved).

    Raises ValueError where `fraction` is not strictly between 0 and 1, or `next_due` is not
    after `held_on`.
    """
    share = fraction if isinstance(fraction, Fraction) else Fraction(str(fraction))
    if not 0 < share < 1:
        raise ValueError(f"The midway fraction must be between 0 and 1, not {fraction}")
    gap = (next_due - held_on).days
    if gap <= 0:
        raise ValueError(f"The next review ({next_due}) must be after the one held ({held_on})")
    return held_on + timedelta(days=floor(share * gap))
