"""Reading a date as a person typed it: exactly what was written, or a refusal that says why.

Every place a user gives a date (a command's DATE, ``--since``, ``--until``, ``--as-of``,
``--announced``, the dates of import records and their sources) reads it here, with
:func:`read_date`. The answer keeps the precision written (``May 2023`` is a month) and fills
in nothing: no year from today, no day of the month. What cannot be read exactly is refused
with a :class:`~dtimeline.errors.DateError` whose one line quotes the whole input and says
why: day and month could be swapped, text is left over, a time stands where a date belongs,
the day does not exist, a word is unknown.

Forms read (``docs/dates.md`` lists them with examples):

- EDTF as stored (``2023``, ``2023-05-17``, ``2013-09~``, ``2024-07-02/2024-07-04``);
- year-first numbers with any one separator or none (``2024-7-2``, ``2024/7/2``,
  ``2024.07.02``, ``20240702``); ISO 8601 date-times keep their date (``2024-07-02T10:00Z``);
- day-first or month-first numbers (``13/05/2023``) only when one order is possible, or the
  order is set in ``$DTIMELINE_DATE_ORDER`` (``dmy`` or ``mdy``);
- words in English, Russian and Kazakh (``2 July 2024``, ``July 2, 2024``, ``2 июля 2024
  года``, ``2 шілде 2024``), Chinese markers (``2024年7月2日``), ``c.``/``circa`` and a
  trailing ``?``; ranges with a hyphen, dash, ``/`` or ``to`` (``2–4 Jul 2024``,
  ``30 June - 2 July 2024``, ``2024年7月2日至4日``);
- ``today``, ``yesterday``, ``tomorrow`` (from the ``today`` passed in: no clock is read).

Refused: two-digit years, six or fewer bare digits other than a four-digit year
(``230517``), seasons (EDTF ``2013-21`` is not stored), a day/month order that could be
swapped, any word or number left over.

The word tables live in :mod:`dtimeline.datewords`, imported only for input with letters.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Literal

from dtimeline.dates import MAX_INPUT, DatePoint, EDate, parse_edtf
from dtimeline.errors import DateError

if TYPE_CHECKING:
    from collections.abc import Iterator

ORDER_VAR = "DTIMELINE_DATE_ORDER"
Order = Literal["dmy", "mdy"]

# Patterns are compiled on first use (and then kept in re's cache): a command that reads no
# date pays nothing for them.
_EDTF = r"\d{4}(?:-\d{2}(?:-\d{2})?)?[~?%]?(?:/\d{4}(?:-\d{2}(?:-\d{2})?)?[~?%]?)?"
_SEASON = r"\d{4}-2[1-4][~?%]?"
_DATETIME = (
    r"(?i)(?P<y>\d{4})-?(?P<m>\d{2})-?(?P<d>\d{2})[T ]"
    r"(?P<time>(?P<h>\d{2}):?(?P<min>\d{2})(?::?(?P<s>\d{2})(?:[.,]\d+)?)?"
    r"(?:\s?(?:Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?))?)"
)
#: A time after a date's four-digit year, as datelines and feeds write it.
_CLOCK = (
    r"(?i)(?<=\d{4}),?\s+(?:at\s+)?(?P<time>(?P<h>\d{1,2}):(?P<min>\d{2})(?::(?P<s>\d{2}))?"
    r"(?:\s*[ap]\.?m\.?)?(?:\s*(?:[+-]\d{2}:?\d{2}|[a-z]{1,5}(?:[+-]\d{1,2})?))?)$"
)
#: A range's dash: an en/em dash or minus anywhere, a hyphen with a space on either side.
_RANGE = r"\s*[–—‒−]\s*|\s+-\s*|\s*-\s+"
_ISO_RUN = r"\d{4}(?P<sep>[-./])\d{1,2}(?P=sep)\d{1,2}(?!\d)"
_PIECE = (
    r"(?P<iso>\d{4}(?P<isep>[-./])\d{1,2}(?P=isep)\d{1,2}(?!\d))|"
    r"(?P<num>\d+)(?!\d)(?P<ord>st|nd|rd|th)?(?![^\W\d_\u3400-\u9fff])|(?P<cjk>[\u3400-\u9fff])"
    r"|(?P<word>[^\W\d_]+)(?P<dot>\.)?|(?P<sep>[-/])|(?P<comma>,)|(?P<qual>[~?%])|(?P<space>\s+)"
)
_RELATIVE = {"today": 0, "yesterday": -1, "tomorrow": 1}
_MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class _RefusedError(Exception):
    """Why the input is not read; turned into a DateError quoting the whole input."""


@dataclass(frozen=True)
class Reading:
    """What :func:`read_date` understood.

    ``date`` is the value; ``plain`` is true when the input was already ISO 8601/EDTF as
    stored (nothing to echo); ``notes`` say what was decided or dropped (``time 10:00
    dropped``, ``read day first: 13 cannot be a month``).
    """

    date: EDate
    plain: bool = False
    notes: tuple[str, ...] = ()

    def echo(self, text: str, what: str = "") -> str:
        """One line for stderr: ``--since "2 July 2024" -> 2024-07-02, day precision``."""
        line = f'{what}"{text}" -> {self.date.describe()}'
        return "; ".join((line, *self.notes))


@dataclass
class _Part:
    """One side of a date as written: the parts given, the rest None."""

    year: int | None = None
    month: int | None = None
    day: int | None = None
    approximate: bool = False
    uncertain: bool = False
    weekday: int | None = None
    notes: list[str] = field(default_factory=list)

    def point(self) -> DatePoint:
        if self.year is None:
            raise _RefusedError("no year; write e.g. '17 May 2023' or '2023-05'")
        if self.day is not None and self.month is None:
            raise _RefusedError("a day but no month")
        try:
            point = DatePoint(self.year, self.month, self.day, self.approximate, self.uncertain)
        except DateError as exc:
            raise _RefusedError(exc.message) from None
        if self.weekday is not None:
            from dtimeline.datewords import WEEKDAY_NAMES

            if self.day is None:
                raise _RefusedError("a weekday but no day")
            actual = point.earliest.weekday()
            if actual != self.weekday:
                raise _RefusedError(
                    f"{point.iso()} is a {WEEKDAY_NAMES[actual]}, not a"
                    f" {WEEKDAY_NAMES[self.weekday]}"
                )
        return point


def date_order(environ: dict[str, str] | None = None) -> Order | None:
    """The day/month order the user has set in ``$DTIMELINE_DATE_ORDER`` (``dmy``, ``mdy``).

    Raises DateError for any other value."""
    value = (os.environ if environ is None else environ).get(ORDER_VAR, "").strip().lower()
    if not value:
        return None
    if value == "dmy":
        return "dmy"
    if value == "mdy":
        return "mdy"
    raise DateError(f"{ORDER_VAR} must be dmy or mdy, not {value!r}")


def parse_date(text: str, today: date) -> EDate:
    """:func:`read_date`, the value only."""
    return read_date(text, today).date


def read_date(text: str, today: date | None, order: Order | None = None) -> Reading:
    """Read a date typed by a user; see the module docstring for the forms.

    ``today`` resolves ``today``/``yesterday``/``tomorrow`` (None: they are refused);
    ``order`` (default: from ``$DTIMELINE_DATE_ORDER``) settles a numeric day/month order
    that could be swapped.
    Raises :class:`DateError` (exit 2), one line quoting ``text`` and saying why.
    """
    if not isinstance(text, str) or not text.strip():
        raise DateError("empty date")
    if len(text) > MAX_INPUT:
        raise DateError(f"a date of {len(text)} characters is too long to be a date")
    if "\x00" in text:
        raise DateError("a date cannot contain a NUL byte")
    stripped = text.strip()
    try:
        if re.fullmatch(_SEASON, stripped):
            raise _RefusedError(_season_message())
        if re.fullmatch(_EDTF, stripped):
            try:
                return Reading(parse_edtf(stripped), plain=True)
            except DateError as exc:
                raise _RefusedError(exc.message) from None
        return _read(unicodedata.normalize("NFKC", stripped), today, order)
    except _RefusedError as why:
        raise DateError(f"cannot read {text!r} as a date: {why}") from None


def _read(text: str, today: date | None, order: Order | None) -> Reading:
    text = " ".join(text.split())
    found = re.fullmatch(_DATETIME, text)
    if found:
        _check_time(found)
        day = _Part(int(found["y"]), int(found["m"]), int(found["d"]))
        return Reading(EDate(day.point()), notes=(f"time {found['time']} dropped",))
    clock = re.search(_CLOCK, text)  # a dateline's time after the year: 2 Jul 2024 10:00 GMT
    if clock:
        _check_time(clock)
        text = text[: clock.start()]
    if re.search(r"\d\s*:\s*\d", text):
        raise _RefusedError(
            "a time where a date belongs; give the date alone (or ISO 2024-07-02T10:00)"
        )
    sides = _split_range(text)
    if len(sides) > 2:
        raise _RefusedError(
            "more than two dates; an interval is two dates, e.g. 2023-05-17/2023-05-19"
        )
    if any(side.strip() in {"", ".."} for side in sides):
        raise _RefusedError("open-ended intervals are not supported")
    words = _letters(text)
    parts = [_side(side, today, order, words) for side in sides]
    notes = tuple(note for part in parts for note in part.notes)
    if clock:
        notes += (f"time {clock['time']} dropped",)
    if len(parts) == 1:
        return Reading(EDate(parts[0].point()), notes=notes)
    start, end = parts
    _fill(start, end)
    try:
        return Reading(EDate(start.point(), end.point()), notes=notes)
    except DateError as exc:
        raise _RefusedError(exc.message) from None


def _check_time(found: re.Match[str]) -> None:
    hour, minute, second = int(found["h"]), int(found["min"]), int(found["s"] or 0)
    if hour > 24 or minute > 59 or second > 60:
        raise _RefusedError(f"{found['time']} is not a time of day")


def _season_message() -> str:
    return "seasons (EDTF 2013-21 to 2013-24) are not stored; give months, e.g. Mar – May 2013"


def _split_range(text: str) -> list[str]:
    """The one or two sides of a range; a bare hyphen or ``/`` splits only when nothing
    stronger (a dash, a spaced hyphen, ``to``, ``至``) does, and not inside numbers."""
    sides = re.split(_RANGE, text)
    if len(sides) == 1:
        sides = re.split(r"\s+to\s+|至|到", text)
    if len(sides) == 1:  # Russian "с 2 по 4 июля 2024"
        found = re.fullmatch(r"(?i)с\s+(.+?)\s+по\s+(.+)", text)
        sides = [found[1], found[2]] if found else sides
    if len(sides) > 1:
        return sides
    if "/" in text:
        slash = text.split("/")
        if len(slash) == 2 and any(s.strip() in {"", ".."} for s in slash):
            return slash
        if len(slash) == 2 and (_letters(text) or all(_year_first(s) for s in slash)):
            return slash
        return [text]
    if _letters(text):  # 2-4 July 2024; not the hyphens of 2023-05-17 in "2023-05-17 г."
        kept = re.sub(_ISO_RUN, lambda run: run[0].replace("-", "\0"), text)
        return [side.replace("\0", "-") for side in kept.split("-")]
    hyphen = text.split("-")
    if len(hyphen) == 2 and all(re.fullmatch(r"\d{4}[~?%]?", s) for s in hyphen):
        return hyphen  # 2013-2014: two years
    return [text]


def _letters(text: str) -> bool:
    return any(ch.isalpha() for ch in text)


def _year_first(text: str) -> bool:
    return bool(re.fullmatch(r"\s*(\d{4}([-.]\d{1,2}([-.]\d{1,2})?)?|\d{8})[~?%]?\s*", text))


def _side(text: str, today: date | None, order: Order | None, words: bool) -> _Part:
    """One side; in a range written with words, a side may be a bare day (``2`` of
    ``2-4 July 2024``) or day and year (``4, 2024`` of ``July 2-4, 2024``)."""
    text = text.strip()
    if not _letters(text) and not (words and re.fullmatch(r"[\d\s,~?%]+", text)):
        return _numeric(text, order)
    lowered = text.lower()
    if lowered in _RELATIVE:
        if today is None:
            raise _RefusedError(f"{lowered!r} is not a fixed date")
        when = today + timedelta(days=_RELATIVE[lowered])
        return _Part(when.year, when.month, when.day)
    return _words(text)


def _qualifiers(text: str, part: _Part) -> str:
    while text and text[-1] in "~?%":
        part.approximate |= text[-1] in "~%"
        part.uncertain |= text[-1] in "?%"
        text = text[:-1].rstrip()
    return text


def _numeric(text: str, order: Order | None) -> _Part:
    """A side without letters: year-first numbers, or day and month in an order that is
    certain (or set)."""
    part = _Part()
    body = _qualifiers(text, part)
    if not body:
        raise _RefusedError("no date before the qualifier")
    if " " in body:
        if all(_year_first(chunk) for chunk in body.split()):
            raise _RefusedError(
                "two dates side by side; write an interval as A/B, e.g. 2023-05-17/2023-05-18"
            )
        raise _RefusedError(f"text left over: {body.split()[-1]!r}")
    if body.isdigit():
        if len(body) == 4:
            part.year = int(body)
        elif len(body) == 8:
            part.year, part.month, part.day = int(body[:4]), int(body[4:6]), int(body[6:])
        elif len(body) < 4:
            raise _RefusedError("a year has four digits (0999), a full date is YYYY-MM-DD")
        elif len(body) <= 6:
            raise _RefusedError(
                f"{len(body)} bare digits: which part is the year? write YYYY-MM-DD"
            )
        else:
            raise _RefusedError(f"{len(body)} digits are not a date; write YYYY-MM-DD")
        return part
    seps = set(re.findall(r"[^\d]", body))
    if len(seps) != 1 or not seps <= {"-", "/", "."}:
        raise _RefusedError(f"cannot tell the parts of {body!r} apart; write YYYY-MM-DD")
    pieces = body.split(seps.pop())
    if not all(p.isdigit() for p in pieces) or len(pieces) > 3:
        raise _RefusedError(f"cannot tell the parts of {body!r} apart; write YYYY-MM-DD")
    numbers = [int(p) for p in pieces]
    if len(pieces[0]) == 4 and all(len(p) <= 2 for p in pieces[1:]):
        part.year, part.month = numbers[0], numbers[1]
        part.day = numbers[2] if len(numbers) == 3 else None
    elif len(pieces[-1]) == 4 and all(len(p) <= 2 for p in pieces[:-1]):
        part.year = numbers[-1]
        if len(numbers) == 2:
            part.month = numbers[0]
        else:
            part.day, part.month = _day_month(numbers[0], numbers[1], part.year, order, part)
    elif all(len(p) <= 2 for p in pieces):
        raise _RefusedError("a two-digit year; write the year in full, e.g. 2023-05-17")
    else:
        raise _RefusedError(f"cannot tell which part of {body!r} is the year; write YYYY-MM-DD")
    return part


def _day_month(a: int, b: int, year: int, order: Order | None, part: _Part) -> tuple[int, int]:
    """Day and month of ``a/b/year``: the only possible order, or the one set."""
    if a == b:
        return a, b
    dmy, mdy = 1 <= b <= 12, 1 <= a <= 12
    if dmy and not mdy:
        part.notes.append(f"read day first: {a} cannot be a month")
        return a, b
    if mdy and not dmy:
        part.notes.append(f"read month first: {b} cannot be a month")
        return b, a
    if not dmy:
        raise _RefusedError(f"neither {a} nor {b} can be a month")
    order = order or date_order()
    if order is None:
        raise _RefusedError(
            f"day and month could be swapped ({a} {_MONTH_ABBR[b - 1]} or {b}"
            f" {_MONTH_ABBR[a - 1]} {year}); write {year:04d}-{b:02d}-{a:02d} or"
            f" {year:04d}-{a:02d}-{b:02d}, or set {ORDER_VAR}=dmy or mdy"
        )
    part.notes.append(f"read {'day' if order == 'dmy' else 'month'} first ({ORDER_VAR}={order})")
    return (a, b) if order == "dmy" else (b, a)


def _tokens(text: str) -> Iterator[re.Match[str]]:
    pos = 0
    while pos < len(text):
        found = re.compile(_PIECE).match(text, pos)
        if found is None:
            raise _RefusedError(f"unexpected {text[pos]!r}")
        pos = found.end()
        if not found["space"]:
            yield found


def _words(text: str) -> _Part:
    """A side with words: day, month and year in an order people write them."""
    from dtimeline import datewords as dw

    after = {("Y", w) for w in dw.YEAR_WORDS} | {("D", w) for w in dw.FILLER_WORDS}

    part = _Part()
    body = _qualifiers(text, part)
    found: list[tuple[str, int, str]] = []  # (Y|M|D, value, as written)
    tokens = list(_tokens(body))
    i = 0
    while i < len(tokens):
        tok, i = tokens[i], i + 1
        nxt = tokens[i]["cjk"] if i < len(tokens) else None
        if tok["num"]:
            digits = tok["num"]
            if nxt in dw.CJK_MARKERS:
                kind = dw.CJK_MARKERS[nxt][0].upper()
                i += 1
            else:
                kind = "Y" if len(digits) == 4 else "D"
            if kind == "Y" and len(digits) != 4:
                raise _RefusedError(f"{digits!r} is not a four-digit year")
            if kind != "Y" and len(digits) > 2:
                raise _RefusedError(f"{digits!r} is neither a day nor a four-digit year")
            if tok["ord"] and kind != "D":
                raise _RefusedError(f"{tok[0]!r} is not a day")
            found.append((kind, int(digits), tok[0]))
            continue
        if tok["comma"]:
            continue
        if tok["iso"]:
            year, month, day = re.split(r"[-./]", tok["iso"])
            found += [("Y", int(year), year), ("M", int(month), month), ("D", int(day), day)]
            continue
        word = _word(tok)
        if not word:
            raise _RefusedError(f"unexpected {tok[0]!r}")
        if word in dw.MONTHS:
            found.append(("M", dw.MONTHS[word], tok[0]))
        elif word in dw.CIRCA_WORDS and not found and not part.approximate:
            part.approximate = True
        elif word in dw.WEEKDAYS and not found and part.weekday is None:
            part.weekday = dw.WEEKDAYS[word]
        elif found and (found[-1][0], word) in after:
            pass  # 2024 года, 2nd of July
        elif word in dw.BEFORE_MONTH and i < len(tokens) and _word(tokens[i]) in dw.MONTHS:
            pass  # в июле 2024
        elif word in dw.SEASONS:
            raise _RefusedError(_season_message())
        elif word in dw.CJK_MARKERS:
            raise _RefusedError(f"{tok[0]!r} without a number before it")
        else:
            raise _RefusedError(f"unknown word {tok[0]!r}")
    return _assign(part, found)


def _word(tok: re.Match[str]) -> str:
    return (tok["word"] or tok["cjk"] or "").lower()


def _assign(part: _Part, found: list[tuple[str, int, str]]) -> _Part:
    kinds = "".join(kind for kind, _, _ in found)
    if not kinds:
        raise _RefusedError("no date in it")
    if kinds.count("D") > 1 and "Y" not in kinds:
        raise _RefusedError(f"a two-digit year ({found[-1][2]!r}); write the year in full")
    for kind in "YMD":
        if kinds.count(kind) > 1:
            second = [text for k, _, text in found if k == kind][1]
            raise _RefusedError(f"text left over: {second!r}")
    # The year comes first or last; day and month stand together (DMY, MDY, YMD, YDM...).
    if kinds.strip("Y") not in {"DM", "MD", "D", "M", ""}:
        raise _RefusedError(f"text left over: {found[-1][2]!r}")
    for kind, value, _ in found:
        if kind == "Y":
            part.year = value
        elif kind == "M":
            part.month = value
        else:
            part.day = value
    return part


def _fill(start: _Part, end: _Part) -> None:
    """A range's sides share what one of them leaves out: ``2-4 July 2024`` (the start takes
    July 2024), ``July 2-4, 2024`` and ``2024年7月2日至4日`` (the end takes the month). Sides
    that share must be written to the same precision (``May 2 - 2024`` is refused)."""
    before = (start.year, start.month, end.year, end.month)
    if start.year is None:
        start.year = end.year
    elif end.year is None:
        end.year = start.year
    if start.day is not None and start.month is None:
        start.month = end.month
    if end.day is not None and end.month is None:
        end.month = start.month
    if before != (start.year, start.month, end.year, end.month):
        shape = [(p.month is None, p.day is None) for p in (start, end)]
        if shape[0] != shape[1]:
            raise _RefusedError("the two ends are written to different precisions")
