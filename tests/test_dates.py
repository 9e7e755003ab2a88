from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dtimeline.datereader import parse_date
from dtimeline.dates import DatePoint, EDate, parse_edtf
from dtimeline.errors import DateError

TODAY = date(2026, 11, 27)


@pytest.mark.parametrize(
    ("text", "edtf", "precision", "earliest", "latest"),
    [
        ("2023", "2023", "year", "2023-01-01", "2023-12-31"),
        ("2023-05", "2023-05", "month", "2023-05-01", "2023-05-31"),
        ("2024-02", "2024-02", "month", "2024-02-01", "2024-02-29"),
        ("2023-05-17", "2023-05-17", "day", "2023-05-17", "2023-05-17"),
        ("2024-07-02/2024-07-04", "2024-07-02/2024-07-04", "day", "2024-07-02", "2024-07-04"),
        ("2013-09~", "2013-09~", "month", "2013-09-01", "2013-09-30"),
        ("2013?", "2013?", "year", "2013-01-01", "2013-12-31"),
        ("2001-03-04%", "2001-03-04%", "day", "2001-03-04", "2001-03-04"),
        ("2019/2020-06", "2019/2020-06", "year", "2019-01-01", "2020-06-30"),
    ],
)
def test_edtf_forms(text: str, edtf: str, precision: str, earliest: str, latest: str) -> None:
    d = parse_edtf(text)
    assert d.edtf() == edtf
    assert d.precision == precision
    assert d.earliest.isoformat() == earliest
    assert d.latest.isoformat() == latest


def test_qualifiers() -> None:
    assert parse_edtf("2013-09~").approximate and not parse_edtf("2013-09~").uncertain
    assert parse_edtf("2013?").uncertain and not parse_edtf("2013?").approximate
    both = parse_edtf("2013%")
    assert both.approximate and both.uncertain


@pytest.mark.parametrize(
    ("text", "edtf"),
    [
        ("17 May 2023", "2023-05-17"),
        ("May 17, 2023", "2023-05-17"),
        ("May 2023", "2023-05"),
        ("2023", "2023"),
        ("today", "2026-11-27"),
        ("Yesterday", "2026-11-26"),
        ("tomorrow", "2026-11-28"),
        ("2 July 2024/4 July 2024", "2024-07-02/2024-07-04"),
        ("  2023-05  ", "2023-05"),
    ],
)
def test_natural_input_keeps_given_precision(text: str, edtf: str) -> None:
    assert parse_date(text, TODAY).edtf() == edtf


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("2023-13-01", "month 13"),
        ("2023-02-30", "day 30"),
        ("0000", "outside"),
        ("99999", "cannot read"),
        ("2024-07-06/2024-07-02", "ends before it starts"),
        ("yesterdayish", "cannot read"),
        ("", "empty"),
        ("   ", "empty"),
        ("x" * 1000, "too long"),
        ("May", "no year"),
        ("17 May", "no year"),
        ("5", "cannot read"),
        ("2023\x00", "NUL"),
        ("2023/", "open-ended"),
    ],
)
def test_bad_input_is_an_error_never_today(text: str, needle: str) -> None:
    with pytest.raises(DateError, match=needle):
        parse_date(text, TODAY)


@pytest.mark.parametrize("text", ["2023-5", "23", "2023-05-17T10:00", "May 2023", "2023/", "", 5])
def test_stored_dates_are_strict(text: object) -> None:
    with pytest.raises(DateError):
        parse_edtf(text)  # type: ignore[arg-type]


def test_human_forms() -> None:
    assert parse_edtf("2013-09").human() == "Sep 2013"
    assert parse_edtf("2024-07-02/2024-07-04").human() == "2–4 Jul 2024"
    assert parse_edtf("2023-05-30/2023-06-02").human() == "30 May – 2 Jun 2023"
    assert parse_edtf("2013-09~").human() == "c. Sep 2013"
    assert parse_edtf("2013?").human() == "2013?"


def test_overlaps_uses_earliest_and_latest_day() -> None:
    month = parse_edtf("2013-09")
    assert month.overlaps(date(2013, 9, 30), None)
    assert not month.overlaps(date(2013, 10, 1), None)
    assert month.overlaps(None, date(2013, 9, 1))
    assert not month.overlaps(None, date(2013, 8, 31))


def test_describe() -> None:
    assert parse_date("May 2023", TODAY).describe() == "2023-05, month precision"


points = st.builds(
    lambda y, m, d, a, u, prec: DatePoint(
        y,
        m if prec != "year" else None,
        min(d, 28) if prec == "day" else None,
        a,
        u,
    ),
    st.integers(1, 9999),
    st.integers(1, 12),
    st.integers(1, 31),
    st.booleans(),
    st.booleans(),
    st.sampled_from(["year", "month", "day"]),
)


@st.composite
def edates(draw: st.DrawFn) -> EDate:
    start = draw(points)
    if draw(st.booleans()):
        return EDate(start)
    end = draw(points)
    if end.latest < start.earliest:
        start, end = end, start
    if end.latest < start.earliest:
        return EDate(start)
    return EDate(start, end)


@given(edates())
def test_print_then_parse_is_identity(d: EDate) -> None:
    assert parse_edtf(d.edtf()) == d
    assert parse_date(d.edtf(), TODAY) == d
    assert d.earliest <= d.latest


@given(st.text(max_size=60))
def test_parse_date_never_crashes_and_never_silently_today(text: str) -> None:
    try:
        d = parse_date(text, TODAY)
    except DateError:
        return
    if text.strip().lower() not in {"today"}:
        assert d != EDate(DatePoint(2026, 11, 27)) or "2026" in text or "27" in text


def test_days_in_month_is_calendar_monthrange() -> None:
    import calendar

    from dtimeline.dates import days_in_month

    for year in (*range(1, 2101), 2400, 9999):
        for month in range(1, 13):
            assert days_in_month(year, month) == calendar.monthrange(year, month)[1]
