"""DfE rule 167: a review without a valid participation code, or a code without a review."""

import numpy as np

from ..reader import Return
from .base import PARTICIPATION_CODES, Rule, value


class Rule167(Rule):
    """167: REVIEW present without a REVIEW_CODE of PN0-PN7, or REVIEW_CODE present without
    REVIEW. Both blank passes. "Present" means not blank, whether or not it is a valid date."""

    code = "167"
    tables = ("Reviews",)
    description = "Data entry for participation is invalid or blank."

    def check(self, data: Return) -> dict[str, np.ndarray]:
        reviews = data.tables["Reviews"]
        review_blank = reviews["REVIEW"].blank()
        code = reviews["REVIEW_CODE"]
        valid = (~review_blank & code.isin(PARTICIPATION_CODES)) | (review_blank & code.blank())
        return {"Reviews": np.flatnonzero(~valid)}

    def message(self, data: Return, table: str, row: int) -> str:
        reviews = data.tables["Reviews"]
        review, code = value(reviews, "REVIEW", row), value(reviews, "REVIEW_CODE", row)
        if not review:
            return f"Participation code (REVIEW_CODE) {code!r} is given without a review date."
        if not code:
            return "The review has no participation code (REVIEW_CODE): use PN0 to PN7."
        return f"Participation code (REVIEW_CODE) {code!r} is not one of PN0 to PN7."
