"""The date reader at its edges, each answer asserted whole: times of day at their limits,
and the words quoted back when a date has something left over."""

from __future__ import annotations

import pytest

from dtimeline.datereader import read_date
from dtimeline.errors import DateError


@pytest.mark.parametrize(
    ("text", "edtf", "note"),
    [
        ("2024-07-02T10:59", "2024-07-02", "time 10:59 dropped"),
        ("2024-07-02T24:00", "2024-07-02", "time 24:00 dropped"),
        ("2 Jul 2024 10:59:60", "2024-07-02", "time 10:59:60 dropped"),
    ],
)
def test_times_of_day_at_their_limits_are_dropped(text: str, edtf: str, note: str) -> None:
    reading = read_date(text, None)
    assert (reading.date.edtf(), reading.notes) == (edtf, (note,))


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("2024-07-02T10:60", "10:60 is not a time of day"),
        ("2024-07-02T25:00", "25:00 is not a time of day"),
        ("2 Jul 2024 10:59:61", "10:59:61 is not a time of day"),
        ("2 May June 2024", "text left over: 'June'"),
        ("2 May 2024 2025", "text left over: '2025'"),
        ("July 2, 24", "a two-digit year ('24'); write the year in full"),
        ("2 July 3", "a two-digit year ('3'); write the year in full"),
    ],
)
def test_refusals_are_whole_messages(text: str, why: str) -> None:
    with pytest.raises(DateError) as caught:
        read_date(text, None)
    assert caught.value.message == f"cannot read {text!r} as a date: {why}"
