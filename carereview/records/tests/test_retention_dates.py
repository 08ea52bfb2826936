"""rules.md §7: kept until the 75th birthday, or 15 years after a death before 18."""

from datetime import date

import pytest

from carereview.records.retention import (
    Rule,
    anniversary,
    latest_birth_possibly_past,
    retention_for,
)


def test_kept_until_the_75th_birthday_and_past_it_from_the_next_day():
    r = retention_for(date(1950, 6, 15))
    assert (r.rule, r.until) == (Rule.BIRTHDAY_75, date(2025, 6, 15))
    assert r.label == "75th birthday"
    assert not r.past(date(2025, 6, 14))
    assert not r.past(date(2025, 6, 15)), "kept through the birthday itself"
    assert r.past(date(2025, 6, 16))


@pytest.mark.parametrize(
    "born, seventy_fifth",
    [
        (date(1948, 2, 29), date(2023, 3, 1)),  # 2023 has no 29 February: 1 March, not 28 Feb
        (date(1952, 2, 29), date(2027, 3, 1)),
        (date(1944, 2, 29), date(2019, 3, 1)),
        (date(1951, 2, 28), date(2026, 2, 28)),
        (date(1951, 3, 1), date(2026, 3, 1)),
    ],
)
def test_a_29_february_birth_turns_75_on_1_march_in_a_common_year(born, seventy_fifth):
    r = retention_for(born)
    assert r.until == seventy_fifth
    assert not r.past(date(seventy_fifth.year, 2, 28))
    assert not r.past(seventy_fifth)


def test_a_leap_year_is_never_75_or_15_years_after_another():
    # 75 and 15 are not multiples of 4: a 29 February birth or death always lands on 1 March.
    assert retention_for(date(1956, 2, 29)).until == date(2031, 3, 1)
    assert anniversary(date(1944, 2, 29), 76) == date(2020, 2, 29)


def test_a_death_before_18_keeps_the_record_15_years_after_the_death():
    born = date(2000, 5, 10)
    r = retention_for(born, date(2010, 1, 20))
    assert (r.rule, r.until) == (Rule.DEATH_15, date(2025, 1, 20))
    assert r.label == "15 years after death before 18"
    assert not r.past(date(2025, 1, 20)) and r.past(date(2025, 1, 21))


def test_a_death_the_day_before_the_18th_birthday_is_before_18():
    born = date(2000, 5, 10)
    r = retention_for(born, date(2018, 5, 9))
    assert (r.rule, r.until) == (Rule.DEATH_15, date(2033, 5, 9))


@pytest.mark.parametrize("died", [date(2018, 5, 10), date(2019, 1, 1), date(2060, 7, 7)])
def test_a_death_at_18_or_later_leaves_the_75th_birthday(died):
    r = retention_for(date(2000, 5, 10), died)
    assert (r.rule, r.until) == (Rule.BIRTHDAY_75, date(2075, 5, 10))


def test_a_leap_day_death_and_a_leap_day_18th_birthday():
    # Died 29 Feb 2008 (aged 9): 15 years on is 2023, with no 29 February: 1 March.
    assert retention_for(date(1998, 7, 1), date(2008, 2, 29)).until == date(2023, 3, 1)
    # Born 29 Feb 1992: 18 on 1 March 2010 (2010 is common), so a death on 28 Feb 2010 is before
    # 18 and a death on 1 March 2010 is not.
    born = date(1992, 2, 29)
    assert retention_for(born, date(2010, 2, 28)).rule == Rule.DEATH_15
    assert retention_for(born, date(2010, 3, 1)).rule == Rule.BIRTHDAY_75


def test_a_death_before_the_birth_is_ignored():
    r = retention_for(date(2000, 5, 10), date(1999, 1, 1))
    assert (r.rule, r.until) == (Rule.BIRTHDAY_75, date(2075, 5, 10))


def test_the_query_narrowing_never_leaves_out_a_record_past_its_date():
    as_at = date(2026, 3, 1)
    latest = latest_birth_possibly_past(as_at)
    assert latest == date(1951, 12, 31)
    assert retention_for(date(1951, 2, 28)).past(as_at)
    assert not retention_for(date(1952, 1, 1)).past(date(2026, 12, 31))
