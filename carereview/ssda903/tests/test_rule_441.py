"""Rule 441: PN1-PN7 used for a review before the child's 4th birthday."""

from carereview.ssda903.business_rules import Rule441

from .conftest import flagged


def review(dob: str, date: str, code: str) -> dict:
    return {"CHILD": "1", "DOB": dob, "REVIEW": date, "REVIEW_CODE": code}


def test_flags_pn1_to_pn7_before_the_fourth_birthday_only(make_return):
    rows = [
        review("10/05/2020", "09/05/2024", "PN1"),  # 0 the day before: flagged
        review("10/05/2020", "10/05/2024", "PN1"),  # 1 the birthday itself: passes
        review("10/05/2020", "09/05/2024", "PN7"),  # 2 flagged
        review("10/05/2020", "09/05/2024", "PN0"),  # 3 right code
        review("10/05/2020", "09/05/2024", "PN9"),  # 4 not a code (167's finding)
        review("bad", "09/05/2024", "PN1"),  # 5 no DOB
        review("10/05/2020", "", "PN1"),  # 6 no review date
        review("10/05/2020", "9/5/2024", "pn2"),  # 7 read as pandas reads it: flagged
    ]
    assert flagged(Rule441(), make_return(reviews=rows)) == {"Reviews": [0, 2, 7]}
