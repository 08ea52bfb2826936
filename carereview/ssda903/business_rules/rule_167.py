"""DfE rule 167: a review without a valid participation code, or a code without a review."""

import numpy as np

from ..reader import Return
from .base import PARTICIPATION_CODES, Rule


class Rule167(Rule):
    """167: REVIEW present without a REVIEW_CODE of PN0-PN7, or REVIEW_CODE present without
    REVIEW. Both blank passes. "Present" means not blank, whether or not it is a valid date."""

    code = "167"
    tables = ("Reviews",)
    description = "Data entry for participation is invalid or blank."

    def check(self, data: Return) -> dict[str, np.ndarray]:
        reviews = data.tables["Reviews"]
        review_blank = reviews["REVIEW"].blank()
        code = reviews.coded("REVIEW_CODE")
        valid = (~review_blank & code.isin(PARTICIPATION_CODES)) | (review_blank & code.blank())
        return {"Reviews": np.flatnonzero(~valid)}

    def messages(self, data: Return, table: str, rows: np.ndarray) -> list[str]:
        reviews = data.tables["Reviews"]
        return [
            _message(review, code)
            for review, code in zip(
                reviews["REVIEW"].values(rows), reviews["REVIEW_CODE"].values(rows), strict=True
            )
        ]


def _message(review: str, code: str) -> str:
    if not review:
        return f"Participation code (REVIEW_CODE) {code!r} is given without a review date."
    if not code:
        return "The review has no participation code (REVIEW_CODE): use PN0 to PN7."
    return f"Participation code (REVIEW_CODE) {code!r} is not one of PN0 to PN7."
