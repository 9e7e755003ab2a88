"""Precision-aware dates: the EDTF subset dtimeline stores, as values.

A stored date is an EDTF string (ISO 8601-2, Library of Congress profile), level 0 plus the
level-1 qualifiers that matter for news: ``2023``, ``2023-05``, ``2023-05-17``, intervals
``2024-07-02/2024-07-04``, and the qualifiers ``~`` (approximate), ``?`` (uncertain) and ``%``
(both). A date keeps the precision its source gave; sorting and filtering use the earliest
and latest day it can mean.

Reading what a user typed (``2-4 July 2024``, ``2 июля 2024``) is
:mod:`dtimeline.datereader`'s job; this module reads only stored EDTF, with
:func:`parse_edtf`, and writes the forms every view prints (:meth:`EDate.edtf`,
:meth:`EDate.human`), which the reader reads back. Nothing here reads the clock.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

from dtimeline.errors import DateError
from dtimeline.frozen import Frozen

Precision = Literal["year", "month", "day"]

MIN_YEAR = 1
MAX_YEAR = 9999
MAX_INPUT = 100  # characters; longer input is not a date anyone meant

#: One EDTF point (compiled on first use: reading the cache parses no dates).
_POINT = r"(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2}))?)?(?P<q>[~?%])?"
_MONTHS = (
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
)  # fmt: skip


_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def days_in_month(year: int, month: int) -> int:
    """``calendar.monthrange(year, month)[1]``, without importing calendar (and locale)."""
    leap = month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    return _DAYS[month - 1] + leap


@dataclass(init=False, repr=False, eq=False)  # frozen: see dtimeline/frozen.py
class DatePoint(Frozen):
    """One calendar point at year, month or day precision, maybe approximate or uncertain."""

    year: int
    month: int | None = None
    day: int | None = None
    approximate: bool = False
    uncertain: bool = False

    def __init__(
        self,
        year: int,
        month: int | None = None,
        day: int | None = None,
        approximate: bool = False,
        uncertain: bool = False,
    ) -> None:
        d = self.__dict__
        d["year"], d["month"], d["day"], d["approximate"], d["uncertain"] = (
            year, month, day, approximate, uncertain,
        )  # fmt: skip
        self._check()

    def _check(self) -> None:
        if not MIN_YEAR <= self.year <= MAX_YEAR:
            raise DateError(
                f"year {self.year:04d} is outside the supported range {MIN_YEAR:04d}-{MAX_YEAR}"
            )
        if self.month is None and self.day is not None:
            raise DateError("a day needs a month")
        if self.month is not None and not 1 <= self.month <= 12:
            raise DateError(f"month {self.month:02d} does not exist (months run 01-12)")
        if self.day is not None:
            assert self.month is not None
            last = days_in_month(self.year, self.month)
            if not 1 <= self.day <= last:
                raise DateError(
                    f"day {self.day:02d} does not exist in {self.year:04d}-{self.month:02d}"
                    f" (it has {last} days)"
                )

    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return "day"
        if self.month is not None:
            return "month"
        return "year"

    @property
    def earliest(self) -> date:
        return date(self.year, self.month or 1, self.day or 1)

    @property
    def latest(self) -> date:
        if self.month is None:
            return date(self.year, 12, 31)
        if self.day is None:
            return date(self.year, self.month, days_in_month(self.year, self.month))
        return date(self.year, self.month, self.day)

    @property
    def qualifier(self) -> str:
        if self.approximate and self.uncertain:
            return "%"
        if self.approximate:
            return "~"
        if self.uncertain:
            return "?"
        return ""

    def iso(self) -> str:
        """``2023``, ``2023-05`` or ``2023-05-17``: the point at its precision, unqualified."""
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return text

    def edtf(self) -> str:
        return self.iso() + self.qualifier

    def human(self) -> str:
        """``17 May 2023``, ``May 2023``, ``2023`` (years in four digits: ``0999``); ``c.`` for
        approximate, ``?`` for uncertain. :func:`dtimeline.datereader.read_date` reads it back."""
        if self.day is not None:
            assert self.month is not None
            text = f"{self.day} {_MONTHS[self.month - 1]} {self.year:04d}"
        elif self.month is not None:
            text = f"{_MONTHS[self.month - 1]} {self.year:04d}"
        else:
            text = f"{self.year:04d}"
        if self.approximate:
            text = "c. " + text
        if self.uncertain:
            text += "?"
        return text


@dataclass(init=False, repr=False, eq=False)  # frozen: see dtimeline/frozen.py
class EDate(Frozen):
    """A stored date: one point, or an interval ``start/end`` of two points."""

    start: DatePoint
    end: DatePoint | None = None

    def __init__(self, start: DatePoint, end: DatePoint | None = None) -> None:
        d = self.__dict__
        d["start"], d["end"] = start, end
        if end is not None and end.latest < start.earliest:
            raise DateError(f"the interval {self.edtf()} ends before it starts")

    @property
    def precision(self) -> Precision:
        return self.start.precision

    @property
    def earliest(self) -> date:
        return self.start.earliest

    @property
    def latest(self) -> date:
        return (self.end or self.start).latest

    @property
    def is_range(self) -> bool:
        return self.end is not None

    @property
    def approximate(self) -> bool:
        return self.start.approximate or bool(self.end and self.end.approximate)

    @property
    def uncertain(self) -> bool:
        return self.start.uncertain or bool(self.end and self.end.uncertain)

    @property
    def sort_key(self) -> tuple[date, date]:
        return (self.earliest, self.latest)

    def edtf(self) -> str:
        if self.end is None:
            return self.start.edtf()
        return f"{self.start.edtf()}/{self.end.edtf()}"

    __str__ = edtf

    def overlaps(self, lo: date | None, hi: date | None) -> bool:
        """True when some day this date can mean lies in ``[lo, hi]`` (either side open)."""
        if lo is not None and self.latest < lo:
            return False
        return not (hi is not None and self.earliest > hi)

    def human(self) -> str:
        """Readable form at the date's own precision; ranges collapse shared parts."""
        start, end = self.start, self.end
        if end is None:
            return start.human()
        plain = not (start.qualifier or end.qualifier)
        if plain and start.precision == end.precision == "day" and start.year == end.year:
            assert start.month is not None and end.month is not None
            if start.month == end.month:
                return f"{start.day}–{end.day} {_MONTHS[end.month - 1]} {end.year:04d}"
            return f"{start.day} {_MONTHS[start.month - 1]} – {end.human()}"
        if plain and start.precision == end.precision == "month" and start.year == end.year:
            assert start.month is not None
            return f"{_MONTHS[start.month - 1]} – {end.human()}"
        return f"{start.human()} – {end.human()}"

    def describe(self) -> str:
        """How the date was understood, for messages: ``2023-05, month precision``."""
        text = f"{self.edtf()}, {self.precision} precision"
        if self.is_range:
            text += f", {self.earliest.isoformat()} to {self.latest.isoformat()}"
        if self.approximate:
            text += ", approximate"
        if self.uncertain:
            text += ", uncertain"
        return text


def _point(text: str) -> DatePoint:
    match = re.fullmatch(_POINT, text)
    if match is None:
        raise DateError(f"not an EDTF date: {_shorten(text)!r}")
    qual = match["q"] or ""
    return DatePoint(
        year=int(match["y"]),
        month=int(match["m"]) if match["m"] else None,
        day=int(match["d"]) if match["d"] else None,
        approximate=qual in "~%" and qual != "",
        uncertain=qual in "?%" and qual != "",
    )


def parse_edtf(text: str) -> EDate:
    """Parse a stored EDTF date strictly (no natural language, no clock)."""
    if not isinstance(text, str):
        raise DateError(f"a date must be a string, not {type(text).__name__}")
    text = text.strip()
    if not text:
        raise DateError("empty date")
    if "/" in text:
        left, _, right = text.partition("/")
        try:
            start, end = _point(left), _point(right)
        except DateError as exc:  # name the whole interval, not one side: '05/07/2023'
            if exc.message.startswith("not an EDTF date"):
                raise DateError(f"not an EDTF date: {_shorten(text)!r}") from None
            raise
        return EDate(start, end)
    return EDate(_point(text))


def _shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
