"""Internal check INT08: a review's child is not in the Header table."""

import numpy as np

from ..reader import Return
from .base import Rule, children_in


class RuleINT08(Rule):
    """INT08: a Reviews row whose CHILD has no row in Header."""

    code = "INT08"
    tables = ("Header", "Reviews")
    description = "Internal Check: Child in Reviews does not exist in Header."

    def check(self, data: Return) -> dict[str, np.ndarray]:
        in_header = children_in(data, "Header")[data.tables["Reviews"].coded("CHILD").codes]
        return {"Reviews": np.flatnonzero(~in_header)}

    def messages(self, data: Return, table: str, rows: np.ndarray) -> list[str]:
        return ["This review's child (CHILD) has no row in the Header table."] * rows.size
