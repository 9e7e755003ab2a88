"""Validation's fast path (store/quickevent.py) on purpose-made tables: cases found by
mutation testing (docs/mutation.md). It declines every table the full checks have something
to say about, and the event it makes is the one the full checks make."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from dtimeline.store import quickevent, schema

HEAD = {
    "schema": 1,
    "countries": {"china": {"name": "China"}, "kazakhstan": {"name": "Kazakhstan"}},
    "actors": {"xi": {"name": "Xi Jinping", "country": "china"}},
}
PLAIN: dict[str, Any] = {
    "id": "e1", "date": "2023-05-17", "kind": "talks", "title": "Talks",
    "countries": ["china", "kazakhstan"], "actors": ["xi"], "host": "kazakhstan",
    "place": "Astana", "status": "held", "announced": "2023-05-01", "level": "",
    "tags": ["sco"], "summary": "Talks in Astana.",
    "sources": [{"publisher": "Xinhua", "url": "https://x.org", "date": "2023-05-17"},
                {"publisher": "Akorda", "title": "Talks", "note": "in Kazakh"}],
}  # fmt: skip


def without(key: str) -> dict[str, Any]:
    return {k: v for k, v in PLAIN.items() if k != key}


def quick(table: Any, seen: set[str] | None = None) -> Any:
    return quickevent.quick_event(table, seen or set(), ["talks"], ["china", "kazakhstan"],
                                  ["xi"], lambda v: v, schema._parse_shared)  # fmt: skip


def checked(tables: list[Any], *, fast: bool) -> Any:
    """validate()'s store and problems, with or without the fast path."""
    doc = {**HEAD, "events": list(tables)}
    with pytest.MonkeyPatch.context() as mp:
        if not fast:
            mp.setattr(schema, "quick_event", lambda *args: None)
        return schema.validate(doc, "", Path("events.toml"))


BAD: dict[str, dict[str, Any]] = {
    "an unknown key": {**PLAIN, "unknown": "x"},
    "a title that is not text": {**PLAIN, "title": 5},
    "tags that are not a list": {**PLAIN, "tags": "sco"},
    "a date that cannot be read": {**PLAIN, "date": "2023-13"},
    "no kind": without("kind"),
    "no title": without("title"),
    "no country": without("countries"),
    "an empty list of sources": {**PLAIN, "sources": []},
    "a source whose publisher is not text": {**PLAIN, "sources": [{"publisher": 1}]},
    "an announcement that is not text": {**PLAIN, "announced": 5},
    "an undeclared country": {**PLAIN, "countries": ["china", "mars"]},
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_a_table_the_full_checks_speak_of_is_declined(name: str) -> None:
    table = BAD[name]
    assert quick(table) is None
    store, problems = checked([table], fast=True)
    assert problems, "the full checks must have something to say"
    assert (store, problems) == checked([table], fast=False)


def test_an_id_used_before_is_declined() -> None:
    assert quick(PLAIN, {"e1"}) is None
    store, problems = checked([PLAIN, dict(PLAIN)], fast=True)
    # (no text given: the line it names is unknown here)
    assert [p.message.split(" (")[0] for p in problems] == ["duplicate id 'e1'"]
    assert (store, problems) == checked([PLAIN, dict(PLAIN)], fast=False)


def test_the_fast_path_makes_the_event_the_full_checks_make() -> None:
    ev = quick(PLAIN)
    assert ev is not None
    store, problems = checked([PLAIN], fast=False)
    assert problems == []
    assert store.events == (ev,)
    assert [s.publisher for s in ev.sources] == ["Xinhua", "Akorda"]
