"""DfE rule 441: PN1-PN7 (aged 4 or over) used for a review held before the 4th birthday."""

import numpy as np

from ..reader import Return
from .base import FOUR_OR_OVER, Rule, value
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
        held = reviews["REVIEW"].dates()
        birthday = fourth_birthday(reviews["DOB"].dates())
        early = reviews["REVIEW_CODE"].isin(FOUR_OR_OVER) & (held < birthday)
        return {"Reviews": np.flatnonzero(early)}

    def message(self, data: Return, table: str, row: int) -> str:
        reviews = data.tables["Reviews"]
        return (
            f"{value(reviews, 'REVIEW_CODE', row)} is used for the review on "
            f"{value(reviews, 'REVIEW', row)}, before the 4th birthday of a child born "
            f"{value(reviews, 'DOB', row)}: use PN0."
        )
