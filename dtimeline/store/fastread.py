"""A fast reader for ``[[events]]`` tables in the layout dtimeline itself writes.

``add``, ``import`` and ``edit`` write every event the same way (store/tomlblock.py): an
``[[events]]`` line, then ``key = "text"`` and ``key = ["text", ...]`` lines, then one
``[[events.sources]]`` table per source, tables separated by one empty line. A big store is
almost all such tables, and parsing them with a general TOML parser is the largest single
cost of indexing it. :func:`event_tables` reads exactly this layout with string methods and
returns what ``tomli.loads(text)["events"]`` returns; for anything else (a comment, an
escape, a number, a dotted key, a key twice, any other spacing) it returns None and the
caller parses the text with tomli, which also reports errors. So the fast path can only be
used when it agrees with tomli (tests/test_fastread.py checks this on arbitrary text).

The TOML rules it relies on (TOML 1.0.0): a basic string is ``"`` + characters other than
``"``, ``\\`` and control characters except tab + ``"``; a bare key is ASCII letters,
digits, ``_`` and ``-``; ``[[name]]`` appends a table to the array ``name``, and the keys
after it belong to that table.
"""

from __future__ import annotations

import re
from typing import Any

#: Keys this reader takes (anything else goes to tomli and then to validation).
_EVENT_KEYS = frozenset(
    ("id", "date", "kind", "title", "countries", "actors", "host", "place", "status",
     "announced", "level", "tags", "summary")
)  # fmt: skip
_SOURCE_KEYS = frozenset(("publisher", "title", "url", "date", "note"))

#: Characters no line of the fast layout holds: escapes, and control characters other than
#: tab and the line feed that ends a line (TOML allows neither raw in a basic string).
_UNUSUAL = re.compile(r"[\\\x00-\x08\x0b-\x1f\x7f\r]")

EVENT_LINE = "[[events]]"
SOURCE_LINE = "[[events.sources]]"


def event_tables(text: str) -> list[dict[str, Any]] | None:
    """The event tables of ``text`` (a piece of a store holding only ``[[events]]`` tables,
    starting with one), as ``tomli.loads(text)["events"]`` gives them: a list of dicts of
    str and list-of-str values, each with a ``sources`` list of dicts when it has source
    tables. None when ``text`` is not entirely in the fast layout, or holds no table (then
    parse it with tomli)."""
    if _UNUSUAL.search(text) is not None:
        return None
    events: list[dict[str, Any]] = []
    table: dict[str, Any] | None = None
    allowed = _EVENT_KEYS
    event: dict[str, Any] | None = None
    for line in text.split("\n"):
        if not line:
            continue
        if line[0] == "[":
            if line == EVENT_LINE:
                event = table = {}
                events.append(event)
                allowed = _EVENT_KEYS
                continue
            if line == SOURCE_LINE and event is not None:
                table = {}
                sources = event.get("sources")
                if sources is None:
                    sources = event["sources"] = []
                sources.append(table)
                allowed = _SOURCE_KEYS
                continue
            return None
        key, sep, value = line.partition(" = ")
        if not sep or table is None or key not in allowed or key in table:
            return None
        if len(value) >= 2 and value[0] == '"' and value[-1] == '"':
            inner = value[1:-1]
            if '"' in inner:
                return None
            table[key] = inner
        elif len(value) >= 2 and value[0] == "[" and value[-1] == "]":
            items = _strings(value[1:-1])
            if items is None:
                return None
            table[key] = items
        else:
            return None
    return events or None


def _strings(inner: str) -> list[str] | None:
    """The items of ``"a", "b"`` (the inside of an array of basic strings written with
    ``", "`` between items), or None."""
    if not inner:
        return []
    if len(inner) < 2 or inner[0] != '"' or inner[-1] != '"':
        return None
    items = inner[1:-1].split('", "')
    for item in items:
        if '"' in item:
            return None
    return items
