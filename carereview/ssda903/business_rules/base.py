"""What every SSDA903 rule is: a named check flagging rows of the return's tables.

Each DfE rule is one class named by its number (``Rule166``) in its own module, with its test
beside it in ``carereview/ssda903/tests/test_rule_166.py``. A rule works on whole columns
(numpy), not row by row, and flags exactly the rows ``csc-validator-be-903`` flags.
"""

from abc import ABC, abstractmethod
from typing import ClassVar

import numpy as np

from ..reader import Return

#: Participation codes (spec/ssda903.md): PN0 under 4; PN1-PN7 aged 4 or over.
UNDER_FOUR = ("PN0",)
FOUR_OR_OVER = ("PN1", "PN2", "PN3", "PN4", "PN5", "PN6", "PN7")
PARTICIPATION_CODES = UNDER_FOUR + FOUR_OR_OVER


class Rule(ABC):
    """A DfE validation rule: ``flags`` gives, per table, the 0-based rows it flags."""

    code: ClassVar[str]
    #: The tables the rule needs; without all of them it flags nothing (as the validator).
    tables: ClassVar[tuple[str, ...]]
    description: ClassVar[str]

    def applies(self, data: Return) -> bool:
        return all(data.get(table) is not None for table in self.tables)

    def flags(self, data: Return) -> dict[str, np.ndarray]:
        """The sorted rows flagged in each table (none where a needed table is missing)."""
        if not self.applies(data):
            return {}
        return {table: _sorted_distinct(rows) for table, rows in self.check(data).items()}

    @abstractmethod
    def check(self, data: Return) -> dict[str, np.ndarray]:
        """The rows flagged, per table, where every needed table is present."""

    def message(self, data: Return, table: str, row: int) -> str:
        """Why the row is flagged, in words a person can act on."""
        return self.messages(data, table, np.array([row]))[0]

    def messages(self, data: Return, table: str, rows: np.ndarray) -> list[str]:
        """``message`` of each of the rows, worked out for all of them at once (a rule whose
        message quotes values reads them once, column by column)."""
        return [self.description] * rows.size


def _sorted_distinct(rows: np.ndarray) -> np.ndarray:
    """``np.unique(rows)``, without sorting rows that are already in order (as those of
    ``np.flatnonzero``)."""
    if rows.size < 2 or bool((rows[1:] > rows[:-1]).all()):
        return rows
    rows = np.sort(rows)
    return rows[np.append(True, rows[1:] != rows[:-1])]


def children_in(data: Return, table: str) -> np.ndarray:
    """True for each child code that has a row in ``table`` (``np.isin`` by direct address:
    every code is below the number of children)."""
    present = np.zeros(len(data.children.values), dtype=bool)
    present[data.tables[table].coded("CHILD").codes] = True
    return present


def per_child(n_children: int, child: np.ndarray, flag: np.ndarray | None = None) -> np.ndarray:
    """How many rows (or flagged rows) each child has."""
    return np.bincount(child, weights=None if flag is None else flag, minlength=n_children)
