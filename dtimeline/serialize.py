"""The interchange form of an event: the JSON object `query --format json` prints and
`import` reads. Pure; documented in README ("JSON fields")."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from dtimeline.model import Event, Source

#: Field order of the JSON object (a contract: tests pin it).
JSON_FIELDS = (
    "id", "date", "start", "end", "precision", "kind", "title", "countries", "actors",
    "host", "place", "status", "announced", "level", "tags", "summary", "sources",
)  # fmt: skip


def source_to_dict(src: Source) -> dict[str, str]:
    out = {"publisher": src.publisher, "title": src.title, "url": src.url, "date": src.date}
    if src.note:
        out["note"] = src.note
    return out


def event_to_dict(ev: Event) -> dict[str, Any]:
    """Every field, always present (empty string or list when unset), in JSON_FIELDS order."""
    return {
        "id": ev.id,
        "date": ev.date.edtf(),
        "start": ev.date.earliest.isoformat(),
        "end": ev.date.latest.isoformat(),
        "precision": ev.date.precision,
        "kind": ev.kind,
        "title": ev.title,
        "countries": list(ev.countries),
        "actors": list(ev.actors),
        "host": ev.host,
        "place": ev.place,
        "status": ev.status,
        "announced": ev.announced.edtf() if ev.announced else "",
        "level": ev.level,
        "tags": list(ev.tags),
        "summary": ev.summary,
        "sources": [source_to_dict(s) for s in ev.sources],
    }


def json_array_chunks(records: Iterable[dict[str, Any]]) -> Iterator[str]:
    """A JSON array with one compact object a line, piece by piece.

    Compact objects go through the C encoder (``indent`` would force the pure-Python one,
    about 5x slower), and yielding per record keeps memory flat on large stores; one object
    a line also suits ``grep`` and line-based diffs."""
    import json

    first = True
    for record in records:
        yield ("[\n  " if first else ",\n  ") + json.dumps(record, ensure_ascii=False)
        first = False
    yield "[]\n" if first else "\n]\n"
