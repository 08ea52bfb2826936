"""DfE rule 166: the date of a review is blank or not a valid date."""

import numpy as np

from ..reader import Return
from .base import Rule


class Rule166(Rule):
    """166: REVIEW is blank or not a valid ``dd/mm/YYYY`` date."""

    code = "166"
    tables = ("Reviews",)
    description = "Date of review is invalid or blank."

    def check(self, data: Return) -> dict[str, np.ndarray]:
        reviews = data.tables["Reviews"]
        return {"Reviews": np.flatnonzero(np.isnat(reviews["REVIEW"].dates()))}

    def messages(self, data: Return, table: str, rows: np.ndarray) -> list[str]:
        return [
            f"The date of the review (REVIEW) {review!r} is not a valid dd/mm/YYYY date."
            if review
            else "The date of the review (REVIEW) is blank."
            for review in data.tables["Reviews"]["REVIEW"].values(rows)
        ]
