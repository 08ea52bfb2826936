"""DfE rule 441: PN1-PN7 (aged 4 or over) used for a review held before the 4th birthday."""

import numpy as np

from ..reader import Return
from .base import FOUR_OR_OVER, Rule
from .rule_440 import fourth_birthday


class Rule441(Rule):
    """441: REVIEW_CODE PN1-PN7 and the review (REVIEW) before the 4th birthday of the DOB given
    in the Reviews table. On the birthday itself it passes; unreadable dates pass."""

    code = "441"
    tables = ("Reviews",)
    description = (
        "Participation method indicates child was 4 years old or over at the time of the "
        "review, but the date of birth and review date indicates the child was under 4 years old."
    )

    def check(self, data: Return) -> dict[str, np.ndarray]:
        reviews = data.tables["Reviews"]
        pn1_to_7 = np.flatnonzero(reviews.coded("REVIEW_CODE").isin(FOUR_OR_OVER))
        birthday = fourth_birthday(reviews["DOB"].dates()[pn1_to_7])
        return {"Reviews": pn1_to_7[reviews["REVIEW"].dates()[pn1_to_7] < birthday]}

    def messages(self, data: Return, table: str, rows: np.ndarray) -> list[str]:
        reviews = data.tables["Reviews"]
        columns = (reviews[c].values(rows) for c in ("REVIEW_CODE", "REVIEW", "DOB"))
        return [
            f"{code} is used for the review on {review}, before the 4th birthday of a child "
            f"born {dob}: use PN0."
            for code, review, dob in zip(*columns, strict=True)
        ]
