"""``EDate.human()`` for every precision and range shape, for every month, read back by the
date reader: what every view prints must be exactly what was stored.

The expected strings are built here from a month table written out in this file, not from
the code under test."""

from __future__ import annotations

import pytest

from dtimeline.datereader import read_date
from dtimeline.dates import DatePoint, EDate, parse_edtf

MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
QUALIFIERS = {"": "", "~": "c. ", "?": "", "%": "c. "}  # prefix each qualifier adds
SUFFIX = {"": "", "~": "", "?": "?", "%": "?"}


def back(d: EDate) -> EDate:
    return read_date(d.human(), None).date


@pytest.mark.parametrize("month", range(1, 13))
@pytest.mark.parametrize("q", ["", "~", "?", "%"])
def test_points_at_every_precision(month: int, q: str) -> None:
    day = parse_edtf(f"2023-{month:02d}-17{q}")
    mon = parse_edtf(f"2023-{month:02d}{q}")
    year = parse_edtf(f"0{month + 980}{q}")
    name = MONTHS[month - 1]
    assert day.human() == f"{QUALIFIERS[q]}17 {name} 2023{SUFFIX[q]}"
    assert mon.human() == f"{QUALIFIERS[q]}{name} 2023{SUFFIX[q]}"
    assert year.human() == f"{QUALIFIERS[q]}0{month + 980}{SUFFIX[q]}"
    for d in (day, mon, year):
        assert back(d) == d, d.human()


@pytest.mark.parametrize("month", range(1, 13))
def test_plain_ranges_collapse_shared_parts(month: int) -> None:
    name = MONTHS[month - 1]
    nxt = month % 12 + 1
    same_month = parse_edtf(f"2024-{month:02d}-02/2024-{month:02d}-04")
    assert same_month.human() == f"2–4 {name} 2024"
    month_range = parse_edtf(f"2024-{month:02d}/2024-12")
    if month < 12:
        assert month_range.human() == f"{name} – Dec 2024"
    # across a year end or within one: the start's month name is its own, not the end's
    if nxt > month:
        start_day = 28 if month == 2 else 30
        across = parse_edtf(f"2024-{month:02d}-{start_day}/2024-{nxt:02d}-02")
        assert across.human() == f"{start_day} {name} – 2 {MONTHS[nxt - 1]} 2024"
        months = parse_edtf(f"2024-{month:02d}/2024-{nxt:02d}")
        assert months.human() == f"{name} – {MONTHS[nxt - 1]} 2024"
    else:
        across = parse_edtf("2024-12-30/2025-01-02")
        assert across.human() == "30 Dec 2024 – 2 Jan 2025"
        months = parse_edtf("2024-12/2025-01")
        assert months.human() == "Dec 2024 – Jan 2025"
    years = parse_edtf(f"2023-{month:02d}/2025-{month:02d}")
    assert years.human() == f"{name} 2023 – {name} 2025"
    for d in (same_month, month_range, across, months, years):
        assert back(d) == d, d.human()


@pytest.mark.parametrize("month", range(1, 12))
@pytest.mark.parametrize(
    ("left", "right"), [("~", ""), ("", "~"), ("?", ""), ("", "?"), ("%", "~")]
)
def test_half_qualified_ranges_keep_their_qualifier(month: int, left: str, right: str) -> None:
    a, b = MONTHS[month - 1], MONTHS[month]
    months = parse_edtf(f"2023-{month:02d}{left}/2023-{month + 1:02d}{right}")
    assert months.human() == (
        f"{QUALIFIERS[left]}{a} 2023{SUFFIX[left]} – {QUALIFIERS[right]}{b} 2023{SUFFIX[right]}"
    )
    days = parse_edtf(f"2023-{month:02d}-05{left}/2023-{month:02d}-09{right}")
    assert days.human() == (
        f"{QUALIFIERS[left]}5 {a} 2023{SUFFIX[left]} – {QUALIFIERS[right]}9 {a} 2023{SUFFIX[right]}"
    )
    for d in (months, days):
        assert back(d) == d, d.human()
        assert (d.human().count("c.") > 0) == d.approximate


@pytest.mark.parametrize("month", range(1, 13))
def test_mixed_precision_ranges(month: int) -> None:
    name = MONTHS[month - 1]
    day_to_month = EDate(DatePoint(2022, month, 3), DatePoint(2023, month))
    assert day_to_month.human() == f"3 {name} 2022 – {name} 2023"
    year_to_day = EDate(DatePoint(2021), DatePoint(2023, month, 9))
    assert year_to_day.human() == f"2021 – 9 {name} 2023"
    month_to_year = EDate(DatePoint(2020, month), DatePoint(2023))
    assert month_to_year.human() == f"{name} 2020 – 2023"
    for d in (day_to_month, year_to_day, month_to_year):
        assert back(d) == d, d.human()
