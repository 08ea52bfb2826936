"""Internal check INT08: a review's child is not in the Header table."""

import numpy as np

from ..reader import Return
from .base import Rule


class RuleINT08(Rule):
    """INT08: a Reviews row whose CHILD has no row in Header."""

    code = "INT08"
    tables = ("Header", "Reviews")
    description = "Internal Check: Child in Reviews does not exist in Header."

    def check(self, data: Return) -> dict[str, np.ndarray]:
        header, reviews = data.tables["Header"], data.tables["Reviews"]
        in_header = np.isin(reviews["CHILD"].codes, header["CHILD"].codes)
        return {"Reviews": np.flatnonzero(~in_header)}

    def message(self, data: Return, table: str, row: int) -> str:
        return "This review's child (CHILD) has no row in the Header table."
