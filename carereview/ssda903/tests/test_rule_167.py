"""Rule 167: a review without a valid participation code, or a code without a review."""

from carereview.ssda903.business_rules import Rule167

from .conftest import flagged


def review(date: str, code: str) -> dict:
    return {"CHILD": "1", "DOB": "01/01/2010", "REVIEW": date, "REVIEW_CODE": code}


def test_flags_missing_invalid_and_orphan_codes(make_return):
    rows = [
        ("01/02/2020", "PN1"),  # 0 fine
        ("01/02/2020", ""),  # 1 no code
        ("01/02/2020", "PN8"),  # 2 not a code
        ("", "PN1"),  # 3 code without a review
        ("", ""),  # 4 both blank: passes
        ("not a date", "PN7"),  # 5 a review is present (166 flags its date): passes
        ("01/02/2020", "pn0"),  # 6 upper-cased, as the validator reads it: passes
    ]
    data = make_return(reviews=[review(d, c) for d, c in rows])
    assert flagged(Rule167(), data) == {"Reviews": [1, 2, 3]}
