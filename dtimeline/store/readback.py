"""What a fresh parse of an event's ``[[events]]`` block must give, derived from the model.

The writer (store/tomlblock.py) lists the keys it writes by hand; this reading is built from
:class:`dtimeline.model.Event`'s own fields instead, so a writer that forgot or mangled a
field (``level`` not written, a date in the wrong form) cannot agree with it by construction.
store/write.py compares every new block, parsed by tomli, against it before writing.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from dtimeline.dates import EDate
from dtimeline.model import Event, Source


def _plain(value: Any) -> Any:
    """A model value as TOML reads it back: dates as EDTF strings, tuples as lists."""
    if isinstance(value, EDate):
        return value.edtf()
    if isinstance(value, Source):
        return {f.name: v for f in fields(Source) if (v := getattr(value, f.name))}
    if isinstance(value, tuple):
        return [_plain(item) for item in value]
    return value


def read_back(ev: Event) -> dict[str, Any]:
    """The table tomli must read from ``ev``'s block: every field that is set (a non-empty
    string or tuple, a date), under its field name; unset fields are absent."""
    table: dict[str, Any] = {}
    for f in fields(Event):
        value = getattr(ev, f.name)
        if value is None or value in ("", ()):
            continue
        table[f.name] = _plain(value)
    return table
