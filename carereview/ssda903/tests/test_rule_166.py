"""Rule 166: the date of a review is blank or not a valid date."""

from carereview.ssda903.business_rules import Rule166

from .conftest import flagged


def review(date: str, code: str = "PN1") -> dict:
    return {"CHILD": "1", "DOB": "01/01/2010", "REVIEW": date, "REVIEW_CODE": code}


def test_flags_blank_and_invalid_dates_as_pandas_reads_them(make_return):
    dates = [
        "01/02/2020",  # 0 valid
        "",  # 1 blank
        "31/02/2020",  # 2 no such day
        "2020-02-01",  # 3 wrong form
        "1/2/2020",  # 4 valid: pandas accepts one-digit day and month
        "01/02/20",  # 5 two-digit year
        "29/02/2020",  # 6 leap day
        "29/02/2021",  # 7 not a leap year
        "00/01/2020",  # 8
        "13/13/2013",  # 9
        "01/01/1600",  # 10 before any pandas timestamp
    ]
    data = make_return(reviews=[review(d) for d in dates])
    assert flagged(Rule166(), data) == {"Reviews": [1, 2, 3, 5, 7, 8, 9, 10]}


def test_needs_the_reviews_table(make_return):
    assert flagged(Rule166(), make_return(header=[])) == {}


def test_message_names_the_value(make_return):
    data = make_return(reviews=[review("31/02/2020")])
    assert "'31/02/2020'" in Rule166().message(data, "Reviews", 0)
