"""DfE rule 440: PN0 (under 4) used for a review held after the child's 4th birthday."""

import numpy as np

from ...engine.calendar import add_months_array
from ..reader import Return
from .base import UNDER_FOUR, Rule


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
        pn0 = np.flatnonzero(reviews.coded("REVIEW_CODE").isin(UNDER_FOUR))
        birthday = fourth_birthday(reviews["DOB"].dates()[pn0])
        return {"Reviews": pn0[reviews["REVIEW"].dates()[pn0] > birthday]}

    def messages(self, data: Return, table: str, rows: np.ndarray) -> list[str]:
        reviews = data.tables["Reviews"]
        return [
            f"PN0 (under 4) is used for the review on {review}, after the 4th birthday of a "
            f"child born {dob}: use PN1 to PN7."
            for review, dob in zip(
                reviews["REVIEW"].values(rows), reviews["DOB"].values(rows), strict=True
            )
        ]
