"""Rule 440: PN0 (under 4) used for a review after the child's 4th birthday."""

from carereview.ssda903.business_rules import Rule440

from .conftest import flagged


def review(dob: str, date: str, code: str = "PN0") -> dict:
    return {"CHILD": "1", "DOB": dob, "REVIEW": date, "REVIEW_CODE": code}


def test_flags_pn0_after_the_fourth_birthday_only(make_return):
    rows = [
        review("10/05/2020", "09/05/2024"),  # 0 the day before: passes
        review("10/05/2020", "10/05/2024"),  # 1 the birthday itself: passes
        review("10/05/2020", "11/05/2024"),  # 2 after: flagged
        review("10/05/2020", "11/05/2024", "PN1"),  # 3 not PN0
        review("", "11/05/2024"),  # 4 no DOB: passes
        review("10/05/2020", "bad"),  # 5 no review date: passes
        review("29/02/2016", "29/02/2020"),  # 6 leap-day child, 4th birthday 29/02/2020
        review("29/02/2020", "29/02/2024"),  # 7
        review("29/02/2020", "01/03/2024"),  # 8 after
    ]
    data = make_return(reviews=rows)
    assert flagged(Rule440(), data) == {"Reviews": [2, 8]}


def test_uses_the_dob_of_the_reviews_table(make_return):
    data = make_return(
        header=[{"CHILD": "1", "DOB": "01/01/2010"}],
        reviews=[review("01/01/2024", "01/06/2025")],
    )
    assert flagged(Rule440(), data) == {}
