"""DfE rule 440: PN0 (under 4) used for a review held after the child's 4th birthday."""

import numpy as np

from ...engine.calendar import add_months_array
from ..reader import Return
from .base import UNDER_FOUR, Rule, value


def fourth_birthday(dob: np.ndarray) -> np.ndarray:
    """The 4th birthday of each date of birth (29 February born: 28 February if not a leap
    year), as pandas' ``DateOffset(years=4)`` gives it; NaT stays NaT."""
    return add_months_array(dob, 48)


class Rule440(Rule):
    """440: REVIEW_CODE PN0 and the review (REVIEW) after the 4th birthday of the DOB given in
    the Reviews table. On the birthday itself it passes; unreadable dates pass."""

    code = "440"
    tables = ("Reviews",)
    description = (
        "Participation method indicates child was under 4 years old at the time of the review, "
        "but date of birth and review date indicates the child was 4 years old or over."
    )

    def check(self, data: Return) -> dict[str, np.ndarray]:
        reviews = data.tables["Reviews"]
        held = reviews["REVIEW"].dates()
        birthday = fourth_birthday(reviews["DOB"].dates())
        late = reviews["REVIEW_CODE"].isin(UNDER_FOUR) & (held > birthday)
        return {"Reviews": np.flatnonzero(late)}

    def message(self, data: Return, table: str, row: int) -> str:
        reviews = data.tables["Reviews"]
        return (
            f"PN0 (under 4) is used for the review on {value(reviews, 'REVIEW', row)}, after the "
            f"4th birthday of a child born {value(reviews, 'DOB', row)}: use PN1 to PN7."
        )
