"""DfE rule 1012: reviews for a child with no episode in this year's return."""

import numpy as np

from ..reader import Return
from .base import Rule, children_in


class Rule1012(Rule):
    """1012: a Reviews row whose CHILD has no row in Episodes.

    The validator also flags the other tables of children without episodes (PlacedAdoption,
    Missing, AD1, PrevPerm, OC2); this system does not use those tables, so flags Reviews only.
    """

    code = "1012"
    tables = ("Episodes", "Reviews")
    description = (
        "No other data should be returned for OC3 children who had no episodes in the current year"
    )

    def check(self, data: Return) -> dict[str, np.ndarray]:
        has_episode = children_in(data, "Episodes")[data.tables["Reviews"].coded("CHILD").codes]
        return {"Reviews": np.flatnonzero(~has_episode)}

    def messages(self, data: Return, table: str, rows: np.ndarray) -> list[str]:
        message = "This child has reviews but no episode in this return's Episodes table."
        return [message] * rows.size
