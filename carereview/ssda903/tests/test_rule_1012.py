"""Rule 1012: reviews of a child with no episode in the return."""

from carereview.ssda903.business_rules import Rule1012

from .conftest import flagged


def review(child: str) -> dict:
    return {"CHILD": child, "DOB": "01/01/2015", "REVIEW": "01/08/2025", "REVIEW_CODE": "PN1"}


def episode(child: str) -> dict:
    return {"CHILD": child, "DECOM": "01/05/2025", "RNE": "S", "LS": "C2", "PLACE": "U1"}


def test_flags_reviews_of_children_without_episodes(make_return):
    data = make_return(
        episodes=[episode("A"), episode("a2")],
        reviews=[review("A"), review("B"), review("A2"), review(" A ")],
    )
    # Identifiers are read stripped and upper-cased, as the validator upper-cases them.
    assert flagged(Rule1012(), data) == {"Reviews": [1]}


def test_a_blank_child_matches_a_blank_child(make_return):
    # pandas' merge matches missing keys with each other.
    assert flagged(Rule1012(), make_return(episodes=[episode("")], reviews=[review("")])) == {}
    assert flagged(Rule1012(), make_return(episodes=[episode("A")], reviews=[review("")])) == {
        "Reviews": [0]
    }


def test_an_empty_episodes_table_flags_every_review(make_return):
    data = make_return(episodes=[], reviews=[review("A")])
    assert flagged(Rule1012(), data) == {"Reviews": [0]}


def test_needs_the_episodes_table(make_return):
    assert flagged(Rule1012(), make_return(reviews=[review("A")])) == {}
