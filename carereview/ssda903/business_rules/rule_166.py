"""DfE rule 166: the date of a review is blank or not a valid date."""

import numpy as np

from ..reader import Return
from .base import Rule, value


class Rule166(Rule):
    """166: REVIEW is blank or not a valid ``dd/mm/YYYY`` date."""

    code = "166"
    tables = ("Reviews",)
    description = "Date of review is invalid or blank."

    def check(self, data: Return) -> dict[str, np.ndarray]:
        reviews = data.tables["Reviews"]
        return {"Reviews": np.flatnonzero(np.isnat(reviews["REVIEW"].dates()))}

    def message(self, data: Return, table: str, row: int) -> str:
        review = value(data.tables["Reviews"], "REVIEW", row)
        if not review:
            return "The date of the review (REVIEW) is blank."
        return f"The date of the review (REVIEW) {review!r} is not a valid dd/mm/YYYY date."
