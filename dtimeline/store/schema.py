"""Validate a parsed store document and build the model from it.

Every problem is collected (not just the first), each with the line it is on, so that
``dtimeline check`` can report them all like a compiler. Loading for a command stops at
the first error instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import lru_cache, partial
from pathlib import Path
from typing import Any, NamedTuple

from dtimeline.dates import EDate, parse_edtf
from dtimeline.errors import DateError
from dtimeline.model import (
    KINDS,
    SCHEMA_VERSION,
    Actor,
    Country,
    Event,
    Source,
    Store,
)
from dtimeline.rules import SLUG_RE, event_violations
from dtimeline.store.lines import LineIndex
from dtimeline.store.quickevent import quick_event

ISO2_RE = re.compile(r"[A-Z]{2}")
ISO3_RE = re.compile(r"[A-Z]{3}")

TOP_KEYS = ("schema", "countries", "actors", "kinds", "events")
COUNTRY_KEYS = ("name", "native", "iso", "iso3", "aliases")
ACTOR_KEYS = ("name", "native", "country", "role", "aliases")
EVENT_KEYS = (
    "id", "date", "kind", "title", "countries", "actors", "host", "place", "status",
    "announced", "level", "tags", "summary", "sources",
)  # fmt: skip
SOURCE_KEYS = ("publisher", "title", "url", "date", "note")


#: Line of a key inside the table being validated (of the table itself with no key).
LineOf = Callable[..., "int | None"]


class Problem(NamedTuple):
    """One thing wrong with a store, at a line when it is known."""

    path: str
    line: int | None
    message: str
    strict: bool = False  # only reported by `check --strict`

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


class _Collector:
    def __init__(self, path: Path, text: str) -> None:
        self.path = str(path)
        self.text = text
        self.problems: list[Problem] = []
        self._lines: LineIndex | None = None

    @property
    def lines(self) -> LineIndex:
        if self._lines is None:
            self._lines = LineIndex(self.text)
        return self._lines

    def add(self, line: int | None, message: str, *, strict: bool = False) -> None:
        """Record a problem; callers compute ``line`` only here, on the error path."""
        self.problems.append(Problem(self.path, line, message, strict))


def _is_str_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _text(value: Any) -> bool:
    return isinstance(value, str)


#: Events per batch handed to a ``sink`` (see :func:`validate`).
SINK_BATCH = 2000


def validate(
    doc: dict[str, Any],
    text: str,
    path: Path,
    events: Iterator[Any] | None = None,
    sink: Callable[[Store, list[Event]], object] | None = None,
) -> tuple[Store, list[Problem]]:
    """Check ``doc`` (parsed from ``text``) and build the :class:`Store` from its valid parts.

    Consumes ``doc``: its events are dropped as they are read. ``events``: the event tables,
    when they were parsed apart from ``doc`` (store/load.py parses a large store in pieces);
    they come in file order and are read once. ``sink``: given, the valid events go to it
    in batches (with the store's head) instead of into the returned store, so that they
    never all exist at once (store/index.py builds the index this way)."""
    out = _Collector(path, text)
    top = out.lines.top_key_line

    for key in doc:
        if key not in TOP_KEYS:
            out.add(
                top(key) or out.lines.key_line(out.lines.table(key)),
                f"unknown top-level key {key!r}",
            )

    schema = doc.get("schema")
    if schema is None and not doc and events is None:
        schema = SCHEMA_VERSION  # an empty file (or only comments): an empty store
    elif schema is None:
        out.add(1, f"missing 'schema' (add: schema = {SCHEMA_VERSION})")
        schema = SCHEMA_VERSION
    elif not isinstance(schema, int) or isinstance(schema, bool) or schema < 1:
        out.add(top("schema"), f"'schema' must be a positive whole number, not {_shown(schema)}")
        schema = SCHEMA_VERSION

    kinds_doc = doc.get("kinds", {})
    extra_kinds: dict[str, str] = {}
    if not isinstance(kinds_doc, dict):
        out.add(top("kinds"), "'kinds' must be a table of kind = \"description\"")
    else:
        for name, desc in kinds_doc.items():
            if not SLUG_RE.fullmatch(name) or not isinstance(desc, str):
                out.add(
                    out.lines.key_line(out.lines.table("kinds")),
                    f"bad kind declaration {name!r}",
                )
            else:
                extra_kinds[name] = desc

    countries = _countries(doc.get("countries", {}), out)
    actors = _actors(doc.get("actors", {}), countries, out)
    kinds = {**KINDS, **extra_kinds}
    raw = doc.get("events", []) if events is None else events
    head = Store(schema, countries, actors, extra_kinds)
    flush = None if sink is None else partial(sink, head)
    built = _events(raw, countries, actors, kinds, out, flush)
    store = Store(schema, countries, actors, extra_kinds, tuple(built))
    return store, out.problems


def _check_keys(
    table: dict[str, Any],
    allowed: tuple[str, ...],
    what: str,
    out: _Collector,
    line: LineOf,
) -> None:
    for key in table:
        if key not in allowed:
            out.add(line(key), f"unknown key {key!r} in {what}")


def _countries(raw: Any, out: _Collector) -> dict[str, Country]:
    result: dict[str, Country] = {}
    if not isinstance(raw, dict):
        out.add(out.lines.top_key_line("countries"), "'countries' must be a table")
        return result
    for slug, table in raw.items():
        line = partial(out.lines.table_key_line, f"countries.{slug}")
        what = f"country {slug!r}"
        if not isinstance(table, dict):
            out.add(line(), f"{what} must be a table")
            continue
        if not SLUG_RE.fullmatch(slug):
            out.add(line(), f"bad country slug {slug!r} (letters, digits, '.', '_', '-')")
            continue
        _check_keys(table, COUNTRY_KEYS, what, out, line)
        ok = not _strings(table, what, ("name", "native", "iso", "iso3"), ("aliases",), out, line)
        name = table.get("name")
        if not isinstance(name, str) or not name.strip():
            out.add(line(), f"{what} needs a name")
            ok = False
        iso, iso3 = table.get("iso", ""), table.get("iso3", "")
        if isinstance(iso, str) and iso and not ISO2_RE.fullmatch(iso):
            out.add(
                line("iso"),
                f"{what}: iso must be two capital letters (ISO 3166-1 alpha-2), not {iso!r}",
            )
            ok = False
        if isinstance(iso3, str) and iso3 and not ISO3_RE.fullmatch(iso3):
            out.add(line("iso3"), f"{what}: iso3 must be three capital letters, not {iso3!r}")
            ok = False
        if ok:
            result[slug] = Country(
                slug,
                table["name"],
                table.get("native", ""),
                iso,
                iso3,
                tuple(table.get("aliases", ())),
            )
    return result


def _actors(raw: Any, countries: dict[str, Country], out: _Collector) -> dict[str, Actor]:
    result: dict[str, Actor] = {}
    if not isinstance(raw, dict):
        out.add(out.lines.top_key_line("actors"), "'actors' must be a table")
        return result
    for slug, table in raw.items():
        line = partial(out.lines.table_key_line, f"actors.{slug}")
        what = f"actor {slug!r}"
        if not isinstance(table, dict):
            out.add(line(), f"{what} must be a table")
            continue
        if not SLUG_RE.fullmatch(slug):
            out.add(line(), f"bad actor slug {slug!r} (letters, digits, '.', '_', '-')")
            continue
        _check_keys(table, ACTOR_KEYS, what, out, line)
        ok = not _strings(
            table, what, ("name", "native", "country", "role"), ("aliases",), out, line
        )
        name = table.get("name")
        if not isinstance(name, str) or not name.strip():
            out.add(line(), f"{what} needs a name")
            ok = False
        country = table.get("country", "")
        if isinstance(country, str) and country and country not in countries:
            out.add(line("country"), f"{what}: unknown country {country!r}")
            ok = False
        if ok:
            result[slug] = Actor(
                slug,
                table["name"],
                table.get("native", ""),
                country,
                table.get("role", ""),
                tuple(table.get("aliases", ())),
            )
    return result


def _strings(  # noqa: PLR0917
    table: dict[str, Any],
    what: str,
    scalars: tuple[str, ...],
    lists: tuple[str, ...],
    out: _Collector,
    line: LineOf,
) -> set[str]:
    """Report the keys of the wrong type; returns them."""
    bad = set()
    for key in scalars:
        if key in table and not isinstance(table[key], str):
            out.add(line(key), f"{what}: {key!r} must be a string, not {_tname(table[key])}")
            bad.add(key)
    for key in lists:
        if key in table and not _is_str_list(table[key]):
            out.add(line(key), f"{what}: {key!r} must be a list of strings")
            bad.add(key)
    return bad


def _shown(value: Any) -> str:
    """A TOML value for a message: a number as written (``0``, ``1.5``), a string quoted
    (``'1'``), anything else by its kind (``a boolean``, ``a date``, ``a list``)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str):
        return repr(value)
    return _tname(value)


def _tname(value: Any) -> str:
    return {
        list: "a list",
        dict: "a table",
        int: "a number",
        float: "a number",
        bool: "a boolean",
        str: "a string",
    }.get(type(value)) or _TOML_TIMES.get(type(value).__name__, type(value).__name__)


# the kinds of TOML's dates and times, as tomli returns them (datetime's classes)
_TOML_TIMES = {"date": "a date", "datetime": "a date-time", "time": "a time"}


@lru_cache(maxsize=1 << 16)
def _parse_shared(text: str) -> EDate:
    """parse_edtf, with one shared (immutable) EDate per distinct string: a store repeats
    its dates (sources share the event's), and fewer objects load and cache faster."""
    return parse_edtf(text)


def _date(value: Any, what: str, key: str, out: _Collector, line: LineOf) -> EDate | None:
    if not isinstance(value, str):
        out.add(line(key), f"{what}: {key!r} must be an EDTF date string, not {_tname(value)}")
        return None
    try:
        return _parse_shared(value)
    except DateError as exc:
        out.add(line(key), f"{what}: bad {key} {value!r}: {exc}{_as_edtf(value)}")
        return None


def _as_edtf(value: str) -> str:
    """What a date that is not EDTF reads as, to suggest (``17 May 2023`` -> 2023-05-17)."""
    from dtimeline.datereader import read_date

    try:
        reading = read_date(value, None)
    except DateError:
        return ""
    return "" if reading.plain else f"; write it as {reading.date.edtf()}"


def _events(  # noqa: PLR0917
    raw: Any,
    countries: dict[str, Country],
    actors: dict[str, Actor],
    kinds: dict[str, str],
    out: _Collector,
    sink: Callable[[list[Event]], object] | None = None,
) -> list[Event]:
    result: list[Event] = []
    if not isinstance(raw, (list, Iterator)):
        out.add(
            out.lines.top_key_line("events"),
            "'events' must be an array of tables ([[events]])",
        )
        return result
    seen: dict[str, int] = {}
    # One object per repeated value (slugs, kinds, places...): less memory, faster cache.
    shared: dict[Any, Any] = {}

    def share(value: Any) -> Any:
        return shared.setdefault(value, value)

    parsed = raw if isinstance(raw, list) else None
    for index, table in enumerate(raw):
        if parsed is not None:
            parsed[index] = None  # the parsed table goes once read: a large store peaks lower
        quick = quick_event(table, seen, kinds, countries, actors, share, _parse_shared)
        if quick is not None:  # well formed and valid: the checks below would say nothing
            seen[quick.id] = index
            result.append(quick)
            if sink is not None and len(result) >= SINK_BATCH:
                sink(result)
                result = []
            continue
        line = partial(out.lines.event_line, index)
        if not isinstance(table, dict):
            out.add(line(), f"event #{index + 1} must be a table")
            continue
        event_id = table.get("id")
        what = f"event {event_id!r}" if isinstance(event_id, str) else f"event #{index + 1}"
        before = len(out.problems)
        _check_keys(table, EVENT_KEYS, what, out, line)
        # the keys whose shape is wrong: the rules are not applied to them
        bad = _strings(
            table,
            what,
            ("id", "kind", "title", "host", "place", "status", "level", "summary"),
            ("countries", "actors", "tags"),
            out,
            line,
        )
        if not isinstance(event_id, str) or not event_id:
            out.add(line(), f"{what} has no id")
            bad.add("id")
        elif event_id in seen:
            first = seen[event_id]
            out.add(
                line("id"),
                f"duplicate id {event_id!r}"
                f" (first used at line {out.lines.event_line(first, 'id')})",
            )
        else:
            seen[event_id] = index
        date = _date(table["date"], what, "date", out, line) if "date" in table else None
        if "date" not in table:
            out.add(line(), f"{what} has no date")
        announced = None
        if "announced" in table:
            announced = _date(table["announced"], what, "announced", out, line)
            if announced is None:
                bad.add("announced")
        if date is None:
            bad.add("announced")  # nothing to compare it with
        if "kind" not in table:
            out.add(line(), f"{what} has no kind")
            bad.add("kind")
        if "title" not in table:
            out.add(line(), f"{what} has no title")
            bad.add("title")
        if "countries" not in table:
            out.add(line(), f"{what} names no country")
            bad.add("countries")
        sources = _sources(table.get("sources", []), what, index, out, share)
        if sources is None:
            bad.add("sources")

        candidate = _candidate(table, bad, date, announced, sources or [], share)
        for violation in event_violations(candidate, kinds, countries, actors):
            if violation.source:
                n = sources[violation.source - 1][0] if sources else 0
                at = out.lines.source_line(index, n, violation.key)
                out.add(at, f"{what}, {_renumbered(violation.message, violation.source, n + 1)}")
            elif violation.key not in bad:
                out.add(line(violation.key), f"{what}: {violation.message}")
        if len(out.problems) == before and date is not None:
            result.append(candidate)
        if not table.get("sources"):
            out.add(line(), f"{what} cites no source", strict=True)
        if sink is not None and len(result) >= SINK_BATCH:
            sink(result)
            result = []
    if sink is not None and result:
        sink(result)
        result = []
    return result


#: Stands in for a missing or unreadable date while the other rules are applied.
_NO_DATE = parse_edtf("0001")


def _candidate(  # noqa: PLR0917
    table: dict[str, Any],
    bad: set[str],
    date: EDate | None,
    announced: EDate | None,
    sources: list[tuple[int, Source]],
    share: Callable[[Any], Any],
) -> Event:
    """The event ``table`` describes, its ill-formed keys (``bad``) left at their defaults:
    what the rules are applied to, and what is loaded when it keeps them."""

    def text(key: str, default: str = "") -> str:
        value = table.get(key, default)
        return value if key not in bad and isinstance(value, str) else default

    def texts(key: str) -> tuple[str, ...]:
        return share(tuple(table.get(key, ()))) if key not in bad else ()

    return Event(
        id=text("id"), date=date or _NO_DATE, kind=share(text("kind")),
        title=text("title", "-"), countries=texts("countries"), actors=texts("actors"),
        host=share(text("host")), place=share(text("place")),
        status=share(text("status", "held")), announced=announced,
        level=share(text("level")), tags=texts("tags"), summary=text("summary"),
        sources=tuple(s for _, s in sources),
    )  # fmt: skip


def _renumbered(message: str, among_kept: int, in_file: int) -> str:
    """``message`` about the ``among_kept``-th well-formed source (how the event rules
    count, dtimeline/rules.py: "source 2: ...") said of the source's place in the file
    (1-based ``in_file``), which differs when an earlier source was malformed and left out."""
    said = f"source {among_kept}"
    if message.startswith(said):
        return f"source {in_file}{message[len(said) :]}"
    return message


def _sources(
    raw: Any, what: str, index: int, out: _Collector, share: Callable[[Any], Any]
) -> list[tuple[int, Source]] | None:
    """The well-formed sources as (index in the list, source); None when 'sources' is not a
    list. The rules (rules.py) are applied to them by the caller."""
    if not isinstance(raw, list):
        out.add(
            out.lines.event_line(index, "sources"),
            f"{what}: 'sources' must be an array of tables ([[events.sources]])",
        )
        return None
    result = []
    for n, src in enumerate(raw):
        where = f"{what}, source {n + 1}"
        line = partial(out.lines.source_line, index, n)
        if not isinstance(src, dict):
            out.add(line(), f"{where} must be a table")
            continue
        before = len(out.problems)
        _check_keys(src, SOURCE_KEYS, where, out, line)
        _strings(src, where, SOURCE_KEYS, (), out, line)
        if "publisher" not in src:
            out.add(line(), f"{where} has no publisher")
        if len(out.problems) == before:
            result.append(
                (
                    n,
                    Source(
                        share(src["publisher"]),
                        src.get("title", ""),
                        src.get("url", ""),
                        share(src.get("date", "")),
                        src.get("note", ""),
                    ),
                )
            )
    return result
