"""DfE rule 399: a child looked after only under short breaks (LS V3/V4) has review or mother
data, which such children do not return."""

import numpy as np

from ..reader import Return
from .base import Rule, per_child

SHORT_BREAKS = ("V3", "V4")


class Rule399(Rule):
    """399: every episode of the child has LS V3 or V4, yet the child has a review (REVIEW or
    REVIEW_CODE not blank) or MOTHER is set.

    As the validator's merge of the child's episodes, Header rows and Reviews rows: all the
    child's episodes are flagged; a Header row where its MOTHER is set or the child has a
    review; a Reviews row where it is not blank or a Header row of the child has MOTHER set.
    Episodes with a blank CHILD never make a child short-breaks-only.
    """

    code = "399"
    tables = ("Episodes", "Header", "Reviews")
    description = (
        "Mother field, review field or participation field are completed but child is looked "
        "after under legal status V3 or V4."
    )

    def check(self, data: Return) -> dict[str, np.ndarray]:
        episodes, header, reviews = (data.tables[t] for t in ("Episodes", "Header", "Reviews"))
        n = len(data.children.values)
        ep_child, hd_child, rv_child = (t.coded("CHILD").codes for t in (episodes, header, reviews))
        short = episodes.coded("LS").isin(SHORT_BREAKS)
        n_episodes = per_child(n, ep_child)
        only_short = (n_episodes > 0) & (per_child(n, ep_child, short) == n_episodes)
        blank_child = data.children.find("")
        if blank_child is not None:
            only_short[blank_child] = False
        mother = ~header["MOTHER"].blank()
        review = ~reviews["REVIEW"].blank() | ~reviews["REVIEW_CODE"].blank()
        any_mother = per_child(n, hd_child, mother) > 0
        any_review = per_child(n, rv_child, review) > 0
        flagged_child = only_short & (any_mother | any_review)
        return {
            "Episodes": np.flatnonzero(flagged_child[ep_child]),
            "Header": np.flatnonzero(only_short[hd_child] & (mother | any_review[hd_child])),
            "Reviews": np.flatnonzero(only_short[rv_child] & (review | any_mother[rv_child])),
        }

    def messages(self, data: Return, table: str, rows: np.ndarray) -> list[str]:
        message = (
            "Every episode of this child is a short break (LS V3 or V4), so the return gives no "
            "reviews, participation codes or MOTHER for the child: "
            + {
                "Episodes": "this episode is one of them.",
                "Header": "remove MOTHER, or the child's reviews.",
                "Reviews": "remove this review.",
            }[table]
        )
        return [message] * rows.size
