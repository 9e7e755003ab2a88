"""The event of a well-formed ``[[events]]`` table, or None: the fast path of validation.

Almost every table of a store is well formed and breaks no rule. For such a table,
store/schema.py's full checks (each key's type, each source, then the rules, with a line
number ready for every problem) end in one :class:`Event` and no problem. :func:`quick_event`
makes that same event with fewer steps, and declines (None) whenever the full checks might
say anything at all, strict warnings included; the caller then runs them. It never reports
a problem itself, so what ``check`` says cannot depend on it (tests/test_quickevent.py
compares both ways on arbitrary tables).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

from dtimeline.dates import EDate
from dtimeline.errors import DateError
from dtimeline.model import Event, Source
from dtimeline.rules import event_violations

_KEYS = frozenset(
    ("id", "date", "kind", "title", "countries", "actors", "host", "place", "status",
     "announced", "level", "tags", "summary", "sources")
)  # fmt: skip
_SOURCE_KEYS = frozenset(("publisher", "title", "url", "date", "note"))
_TEXTS = ("id", "kind", "title", "host", "place", "status", "level", "summary")
_LISTS = ("countries", "actors", "tags")


def quick_event(  # noqa: PLR0917
    table: Any,
    seen: Collection[str],
    kinds: Collection[str],
    countries: Collection[str],
    actors: Collection[str],
    share: Callable[[Any], Any],
    parse: Callable[[str], EDate],
) -> Event | None:
    """The event of ``table`` (a parsed ``[[events]]`` table) when it is well formed, its id
    not in ``seen``, it cites a source and breaks no rule (rules.py, against the declared
    ``kinds``, ``countries`` and ``actors``); else None. ``share`` returns one object per
    equal value, ``parse`` reads an EDTF date (raising DateError), as the full checks do."""
    if type(table) is not dict or not table.keys() <= _KEYS:
        return None
    get = table.get
    for key in _TEXTS:
        if key in table and type(table[key]) is not str:
            return None
    for key in _LISTS:
        if key in table and (type(table[key]) is not list or not _all_str(table[key])):
            return None
    event_id, date_text = get("id"), get("date")
    if not event_id or event_id in seen or type(date_text) is not str:
        return None
    if "kind" not in table or "title" not in table or "countries" not in table:
        return None
    raw_sources = get("sources")
    if type(raw_sources) is not list or not raw_sources:
        return None  # none cited: a strict warning, reported by the full checks
    sources = []
    for src in raw_sources:
        if type(src) is not dict or "publisher" not in src or not src.keys() <= _SOURCE_KEYS:
            return None
        for value in src.values():
            if type(value) is not str:
                return None
        sources.append(Source(share(src["publisher"]), src.get("title", ""), src.get("url", ""),
                              share(src.get("date", "")), src.get("note", "")))  # fmt: skip
    announced_text = get("announced")
    if "announced" in table and type(announced_text) is not str:
        return None
    try:
        when = parse(date_text)
        announced = None if announced_text is None else parse(announced_text)
    except DateError:
        return None
    ev = Event(
        id=event_id, date=when, kind=share(table["kind"]), title=table["title"],
        countries=share(tuple(table["countries"])), actors=share(tuple(get("actors", ()))),
        host=share(get("host", "")), place=share(get("place", "")),
        status=share(get("status", "held")), announced=announced, level=share(get("level", "")),
        tags=share(tuple(get("tags", ()))), summary=get("summary", ""), sources=tuple(sources),
    )  # fmt: skip
    for _ in event_violations(ev, kinds, countries, actors):
        return None
    return ev


def _all_str(items: list[Any]) -> bool:
    return all(type(item) is str for item in items)
