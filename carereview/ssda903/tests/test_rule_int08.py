"""INT08: a review's child is not in the Header table."""

from carereview.ssda903.business_rules import RuleINT08

from .conftest import flagged


def review(child: str) -> dict:
    return {"CHILD": child, "DOB": "01/01/2015", "REVIEW": "01/08/2025", "REVIEW_CODE": "PN1"}


def test_flags_reviews_of_children_missing_from_header(make_return):
    data = make_return(
        header=[{"CHILD": "A"}, {"CHILD": "C"}],
        reviews=[review("A"), review("B"), review("B"), review("C"), review("")],
    )
    assert flagged(RuleINT08(), data) == {"Reviews": [1, 2, 4]}


def test_needs_the_header_table(make_return):
    assert flagged(RuleINT08(), make_return(reviews=[review("A")])) == {}
