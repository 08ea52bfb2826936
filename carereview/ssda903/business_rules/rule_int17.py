"""Internal check INT17: a review's DOB differs from the child's DOB in Header."""

import numpy as np

from ..reader import Return
from .base import Rule


class RuleINT17(Rule):
    """INT17: a Reviews row whose DOB differs from the DOB of a Header row of the same child,
    both being valid dates (a blank or unreadable DOB on either side passes)."""

    code = "INT17"
    tables = ("Header", "Reviews")
    description = "Internal Check: DOB in Reviews is different to DOB in Header."

    def check(self, data: Return) -> dict[str, np.ndarray]:
        header, reviews = data.tables["Header"], data.tables["Reviews"]
        n = len(data.children.values)
        header_dob = header["DOB"].dates()
        known = ~np.isnat(header_dob)
        child, days = header.coded("CHILD").codes[known], header_dob[known].astype(np.int64)
        lowest = np.full(n, np.iinfo(np.int64).max)
        highest = np.full(n, np.iinfo(np.int64).min)
        np.minimum.at(lowest, child, days)
        np.maximum.at(highest, child, days)
        has_dob = np.bincount(child, minlength=n) > 0
        review_dob = reviews["DOB"].dates()
        rv_child = reviews.coded("CHILD").codes
        dob = review_dob.astype(np.int64)
        differs = (
            ~np.isnat(review_dob)
            & has_dob[rv_child]
            & ((lowest[rv_child] != dob) | (highest[rv_child] != dob))
        )
        return {"Reviews": np.flatnonzero(differs)}

    def messages(self, data: Return, table: str, rows: np.ndarray) -> list[str]:
        return [
            f"The review's DOB {dob} differs from the child's DOB in the Header table."
            for dob in data.tables["Reviews"]["DOB"].values(rows)
        ]
