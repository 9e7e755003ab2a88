"""Validation's fast path (store/quickevent.py) changes nothing: on arbitrary event tables,
well formed or not, validate() gives the same store and the same problems with it as
without it, and it takes the plain valid tables."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dtimeline.store import quickevent, schema

HEAD = {
    "schema": 1,
    "countries": {"china": {"name": "China"}, "kazakhstan": {"name": "Kazakhstan"}},
    "actors": {"xi": {"name": "Xi Jinping", "country": "china"}},
}
TEXT = st.sampled_from(["", "x", "Talks", "2023-05-17", "china", "held", "\x00", "a\ud800"])
VALUES: dict[str, st.SearchStrategy[Any]] = {
    "id": st.sampled_from(["e1", "e2", "", "bad id", "e1"]),
    "date": st.sampled_from(
        ["2023-05-17", "2023-05", "2023~", "2024-01-01/2024-01-03", "17 May 2023", "", "2023-13"]
    ),
    "kind": st.sampled_from(["talks", "state-visit", "nonsense", ""]),
    "title": st.sampled_from(["Talks", "", " ", "x" * 501, "t\x00"]),
    "countries": st.lists(st.sampled_from(["china", "kazakhstan", "mars"]), max_size=3),
    "actors": st.lists(st.sampled_from(["xi", "nobody"]), max_size=2),
    "host": st.sampled_from(["", "china", "kazakhstan", "mars"]),
    "place": TEXT,
    "status": st.sampled_from(["held", "announced", "cancelled", "maybe"]),
    "announced": st.sampled_from(["2023-05-01", "2024", "2030-01-01", "soon"]),
    "level": TEXT,
    "tags": st.lists(TEXT, max_size=2),
    "summary": TEXT,
}
SOURCE = st.dictionaries(
    st.sampled_from(["publisher", "title", "url", "date", "note", "extra"]),
    st.one_of(TEXT, st.sampled_from(["2023-05-17", "not a date"]), st.integers()),
    max_size=5,
)
ODD = st.one_of(st.integers(), st.booleans(), st.none(), st.lists(st.integers(), max_size=2),
                st.dictionaries(st.just("a"), st.just("b")), st.tuples(st.just("x")))  # fmt: skip


@st.composite
def table(draw: st.DrawFn) -> Any:
    if draw(st.integers(0, 30)) == 0:
        return draw(ODD)
    out: dict[str, Any] = {}
    for key, values in VALUES.items():
        if draw(st.integers(0, 5)) > 0 or key in ("id", "date", "kind", "title", "countries"):
            out[key] = draw(values) if draw(st.integers(0, 25)) else draw(ODD)
    if draw(st.integers(0, 8)):
        out["sources"] = draw(st.lists(st.one_of(SOURCE, ODD), max_size=2))
    if draw(st.integers(0, 20)) == 0:
        out["unknown"] = "x"
    return out


def results(tables: list[Any]) -> Any:
    doc = {**HEAD, "events": list(tables)}
    return schema.validate(doc, "", Path("events.toml"))


@settings(max_examples=300)
@given(st.lists(table(), max_size=6))
def test_the_same_store_and_problems_with_and_without_the_fast_path(
    tables: list[Any],
) -> None:
    fast = results(tables)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(schema, "quick_event", lambda *args: None)
        slow = results(tables)
    assert fast == slow


def test_a_plain_valid_table_takes_the_fast_path() -> None:
    plain = {"id": "e1", "date": "2023-05-17", "kind": "talks", "title": "Talks",
             "countries": ["china", "kazakhstan"], "actors": ["xi"], "tags": ["sco"],
             "sources": [{"publisher": "Xinhua", "url": "https://x.org"}]}  # fmt: skip
    ev = quickevent.quick_event(plain, set(), ["talks"], ["china", "kazakhstan"], ["xi"],
                                lambda v: v, schema._parse_shared)  # fmt: skip
    assert ev is not None
    store, problems = results([plain])
    assert problems == []
    assert store.events == (ev,)
    # and declines one the full checks warn about (no source: a strict warning)
    bare = {k: v for k, v in plain.items() if k != "sources"}
    assert quickevent.quick_event(bare, set(), ["talks"], ["china", "kazakhstan"], ["xi"],
                                  lambda v: v, schema._parse_shared) is None  # fmt: skip
