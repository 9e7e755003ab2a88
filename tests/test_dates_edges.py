"""Stored dates at the edges of the calendar: every impossible date is refused with a message
that names it, and every possible one is kept."""

from __future__ import annotations

from datetime import date

import pytest

from dtimeline.dates import parse_edtf
from dtimeline.errors import DateError


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2023-05-00", "day 00 does not exist in 2023-05 (it has 31 days)"),
        ("2023-02-29", "day 29 does not exist in 2023-02 (it has 28 days)"),
        ("2023-04-31", "day 31 does not exist in 2023-04 (it has 30 days)"),
        ("2023-00", "month 00 does not exist (months run 01-12)"),
        ("2023-13", "month 13 does not exist (months run 01-12)"),
        ("0000", "year 0000 is outside the supported range 0001-9999"),
        ("2024-07-04/2024-07-02", "the interval 2024-07-04/2024-07-02 ends before it starts"),
        ("05/07/2023", "not an EDTF date: '05/07/2023'"),
        ("2023-5", "not an EDTF date: '2023-5'"),
    ],
)
def test_impossible_stored_dates_are_refused(text: str, message: str) -> None:
    with pytest.raises(DateError) as caught:
        parse_edtf(text)
    assert caught.value.message == message


@pytest.mark.parametrize(
    ("text", "earliest", "latest"),
    [
        ("2024-02-29", date(2024, 2, 29), date(2024, 2, 29)),
        ("2000-02", date(2000, 2, 1), date(2000, 2, 29)),
        ("1900-02", date(1900, 2, 1), date(1900, 2, 28)),
        ("0001-01-01", date(1, 1, 1), date(1, 1, 1)),
        ("9999-12-31", date(9999, 12, 31), date(9999, 12, 31)),
        ("2023-05-31/2023-06-01", date(2023, 5, 31), date(2023, 6, 1)),
        ("2023-06/2023-06-01", date(2023, 6, 1), date(2023, 6, 1)),
    ],
)
def test_possible_stored_dates_are_kept(text: str, earliest: date, latest: date) -> None:
    d = parse_edtf(text)
    assert (d.earliest, d.latest) == (earliest, latest)
    assert d.edtf() == text


def test_a_long_non_date_is_quoted_shortened_to_40_characters() -> None:
    with pytest.raises(DateError) as caught:
        parse_edtf("x" * 41)
    assert caught.value.message == "not an EDTF date: '" + "x" * 39 + "…'"
    with pytest.raises(DateError) as caught:
        parse_edtf("y" * 40)
    assert caught.value.message == "not an EDTF date: '" + "y" * 40 + "'"


def test_typed_dates_up_to_100_characters_are_read() -> None:
    from dtimeline.datereader import read_date

    assert read_date(" " * 96 + "2023", None).date == parse_edtf("2023")
    with pytest.raises(DateError) as caught:
        read_date(" " * 97 + "2023", None)
    assert caught.value.message == "a date of 101 characters is too long to be a date"


def test_equal_dates_are_one_key() -> None:
    """Dates are values: equal ones hash alike (sets and dict keys of dates work)."""
    days = {parse_edtf("2023-05-17"), parse_edtf("2023-05-17"), parse_edtf("2023-05-17~")}
    assert len(days) == 2
    assert {parse_edtf("2023-05/2023-06"): 1}[parse_edtf("2023-05/2023-06")] == 1
