"""Precision-aware dates: the EDTF subset dtimeline stores, and natural input from users.

A stored date is an EDTF string (ISO 8601-2, Library of Congress profile), level 0 plus the
level-1 qualifiers that matter for news: ``2023``, ``2023-05``, ``2023-05-17``, intervals
``2024-07-02/2024-07-04``, and the qualifiers ``~`` (approximate), ``?`` (uncertain) and ``%``
(both). A date keeps the precision its source gave; sorting and filtering use the earliest
and latest day it can mean.

This is the only module that imports dateutil, and it does so lazily: reading a stored
EDTF date never needs it. Nothing here reads the clock: ``today`` is always passed in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
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
        """``17 May 2023``, ``May 2023``, ``2023``; ``c.`` for approximate, ``?`` for uncertain."""
        if self.day is not None:
            assert self.month is not None
            text = f"{self.day} {_MONTHS[self.month - 1]} {self.year}"
        elif self.month is not None:
            text = f"{_MONTHS[self.month - 1]} {self.year}"
        else:
            text = str(self.year)
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
                return f"{start.day}–{end.day} {_MONTHS[end.month - 1]} {end.year}"
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
        return EDate(_point(left), _point(right))
    return EDate(_point(text))


def _shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


_RELATIVE = {"today": 0, "yesterday": -1, "tomorrow": 1}


def _natural_point(text: str, today: date) -> DatePoint:
    """Read one natural-language point, keeping exactly the parts the user wrote."""
    lowered = text.strip().lower()
    if lowered in _RELATIVE:
        when = today + timedelta(days=_RELATIVE[lowered])
        return DatePoint(when.year, when.month, when.day)
    if re.fullmatch(_POINT, text.strip()):
        return _point(text.strip())
    if not re.search(r"[A-Za-z]", text) and not re.search(r"\d{4}", text):
        raise DateError(f"cannot read {_shorten(text)!r} as a date")

    from datetime import datetime

    from dateutil import parser as du

    # Parse twice with defaults that differ in every field: what changes was not given.
    first = datetime(2000, 1, 1)
    second = datetime(2001, 2, 2)
    try:
        one = du.parse(text, default=first, dayfirst=True)
        two = du.parse(text, default=second, dayfirst=True)
    except (ValueError, OverflowError) as exc:
        raise DateError(f"cannot read {_shorten(text)!r} as a date") from exc
    if one.year != two.year:
        raise DateError(f"{_shorten(text)!r} has no year; write e.g. '17 May 2023' or '2023-05'")
    month = one.month if one.month == two.month else None
    day = one.day if one.day == two.day and month is not None else None
    if month is None and one.day == two.day:
        raise DateError(f"{_shorten(text)!r} gives a day but no month")
    return DatePoint(one.year, month, day)


def parse_date(text: str, today: date) -> EDate:
    """Parse user input: EDTF, ``today``/``yesterday``/``tomorrow``, or natural dates.

    ``17 May 2023`` is day precision, ``May 2023`` month, ``2023`` year. Intervals are two
    such dates joined by ``/``. Anything unreadable raises :class:`DateError`.
    """
    if not isinstance(text, str) or not text.strip():
        raise DateError("empty date")
    if len(text) > MAX_INPUT:
        raise DateError(f"a date of {len(text)} characters is too long to be a date")
    if "\x00" in text:
        raise DateError("a date cannot contain a NUL byte")
    text = text.strip()
    if "/" in text:
        left, _, right = text.partition("/")
        if not left.strip() or not right.strip():
            raise DateError(f"open-ended intervals are not supported: {text!r}")
        return EDate(_natural_point(left, today), _natural_point(right, today))
    return EDate(_natural_point(text, today))
