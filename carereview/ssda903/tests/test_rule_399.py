"""Rule 399: short-breaks-only children (every episode LS V3/V4) with reviews or MOTHER."""

from carereview.ssda903.business_rules import Rule399

from .conftest import flagged


def episode(child: str, ls: str) -> dict:
    return {"CHILD": child, "DECOM": "01/05/2025", "RNE": "S", "LS": ls, "PLACE": "U1"}


def header(child: str, mother: str = "") -> dict:
    return {"CHILD": child, "SEX": "1", "DOB": "01/01/2015", "MOTHER": mother}


def review(child: str, date: str = "01/08/2025", code: str = "PN1") -> dict:
    return {"CHILD": child, "DOB": "01/01/2015", "REVIEW": date, "REVIEW_CODE": code}


def test_flags_header_episodes_and_reviews_of_a_short_breaks_child(make_return):
    data = make_return(
        header=[header("A"), header("B"), header("C")],
        episodes=[episode("A", "V3"), episode("A", "V4"), episode("B", "V3"), episode("B", "C2")],
        reviews=[review("A"), review("B"), review("C")],
    )
    # B also has a C2 episode, C has no episode: only A is short-breaks-only.
    assert flagged(Rule399(), data) == {"Episodes": [0, 1], "Header": [0], "Reviews": [0]}


def test_mother_alone_flags_the_child_and_all_its_review_rows(make_return):
    data = make_return(
        header=[header("A", mother="1")],
        episodes=[episode("A", "V3")],
        reviews=[review("A", "", "")],  # a blank review row, flagged with the child
    )
    assert flagged(Rule399(), data) == {"Episodes": [0], "Header": [0], "Reviews": [0]}


def test_no_reviews_and_no_mother_passes(make_return):
    data = make_return(header=[header("A")], episodes=[episode("A", "V3")], reviews=[review("Z")])
    assert flagged(Rule399(), data) == {}


def test_a_review_flags_header_rows_without_mother_too(make_return):
    data = make_return(
        header=[header("A"), header("A", mother="0")],
        episodes=[episode("A", "V4")],
        reviews=[review("A"), review("A", "", "")],
    )
    # Any MOTHER value counts as set; the blank review row goes with the MOTHER.
    assert flagged(Rule399(), data) == {"Episodes": [0], "Header": [0, 1], "Reviews": [0, 1]}


def test_episodes_with_a_blank_child_make_no_short_breaks_child(make_return):
    data = make_return(header=[header("")], episodes=[episode("", "V3")], reviews=[review("")])
    assert flagged(Rule399(), data) == {}


def test_needs_all_three_tables(make_return):
    data = make_return(episodes=[episode("A", "V3")], reviews=[review("A")])
    assert flagged(Rule399(), data) == {}
