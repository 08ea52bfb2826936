"""How long a looked-after child's case record is kept (rules.md §7), as plain dates.

The record is kept until the child's 75th birthday; when the child died before 18, until 15 years
after the death. We read "kept until" as "kept through": the record is past its retention date
from the day after that date, never on it. A date of 29 February becomes 1 March in a year that has
none (the later of the two readings), so a leap-day birth or death never brings deletion forward.
A date of death before the date of birth is a mistake in the record and is ignored (the 75th
birthday, always the later date, applies).
"""

from dataclasses import dataclass
from datetime import date

KEEP_UNTIL_AGE = 75
DIED_BEFORE_AGE = 18
YEARS_AFTER_DEATH = 15


class Rule:
    BIRTHDAY_75 = "75th-birthday"
    DEATH_15 = "died-before-18"

    LABELS = {
        BIRTHDAY_75: "75th birthday",
        DEATH_15: "15 years after death before 18",
    }
    CHOICES = list(LABELS.items())


def anniversary(day: date, years: int) -> date:
    """`day` moved on by whole years; 29 February becomes 1 March in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February, in a year without one
        return date(day.year + years, 3, 1)


@dataclass(frozen=True)
class Retention:
    rule: str
    #: The last day the record must be kept.
    until: date

    @property
    def label(self) -> str:
        return Rule.LABELS[self.rule]

    def past(self, as_at: date) -> bool:
        """Whether the record is past its retention date on `as_at` (from the day after)."""
        return as_at > self.until


def retention_for(date_of_birth: date, date_of_death: date | None = None) -> Retention:
    if date_of_death is not None and date_of_birth <= date_of_death < anniversary(
        date_of_birth, DIED_BEFORE_AGE
    ):
        return Retention(Rule.DEATH_15, anniversary(date_of_death, YEARS_AFTER_DEATH))
    return Retention(Rule.BIRTHDAY_75, anniversary(date_of_birth, KEEP_UNTIL_AGE))


def latest_birth_possibly_past(as_at: date) -> date:
    """No child born after this date is past their 75th birthday on `as_at`: it narrows the query
    (a child born in a later year turns 75 in a later year); `Retention.past` decides."""
    return date(as_at.year - KEEP_UNTIL_AGE, 12, 31)
