"""INT17: a review's DOB differs from the child's DOB in the Header table."""

from carereview.ssda903.business_rules import RuleINT17

from .conftest import flagged


def review(child: str, dob: str) -> dict:
    return {"CHILD": child, "DOB": dob, "REVIEW": "01/08/2025", "REVIEW_CODE": "PN1"}


def test_flags_different_dates_of_birth(make_return):
    data = make_return(
        header=[
            {"CHILD": "A", "DOB": "01/01/2015"},
            {"CHILD": "B", "DOB": ""},
            {"CHILD": "C", "DOB": "03/03/2013"},
        ],
        reviews=[
            review("A", "01/01/2015"),  # 0 same
            review("A", "02/01/2015"),  # 1 differs
            review("A", "1/1/2015"),  # 2 same date, written otherwise
            review("A", ""),  # 3 blank: passes
            review("B", "01/01/2015"),  # 4 no DOB in Header: passes
            review("Z", "01/01/2015"),  # 5 not in Header (INT08's finding)
            review("C", "31/02/2013"),  # 6 unreadable: passes
        ],
    )
    assert flagged(RuleINT17(), data) == {"Reviews": [1]}


def test_any_header_row_with_another_dob_flags_the_review(make_return):
    data = make_return(
        header=[{"CHILD": "A", "DOB": "01/01/2015"}, {"CHILD": "A", "DOB": "05/01/2015"}],
        reviews=[review("A", "01/01/2015"), review("A", "05/01/2015")],
    )
    assert flagged(RuleINT17(), data) == {"Reviews": [0, 1]}
