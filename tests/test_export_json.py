"""`export --format json|jsonl`: the interchange schema of `query`, lossless, every EDTF
date readable by the independent `edtf` package."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from conftest import BUNDLED_EVENTS, invoke, run
from hypothesis import given, settings
from hypothesis import strategies as st

from dtimeline.dates import DatePoint, EDate, parse_edtf
from dtimeline.model import Event, Source, Store
from dtimeline.render.export import Export, render
from dtimeline.serialize import JSON_FIELDS, event_to_dict
from dtimeline.store import load_store

edtf = pytest.importorskip("edtf")


def decode(obj: dict[str, Any]) -> Event:
    """Rebuild an Event from its JSON object (what an importer must be able to do)."""
    return Event(
        id=obj["id"], date=parse_edtf(obj["date"]), kind=obj["kind"], title=obj["title"],
        countries=tuple(obj["countries"]), actors=tuple(obj["actors"]), host=obj["host"],
        place=obj["place"], status=obj["status"],
        announced=parse_edtf(obj["announced"]) if obj["announced"] else None,
        level=obj["level"], tags=tuple(obj["tags"]), summary=obj["summary"],
        sources=tuple(Source(**s) for s in obj["sources"]),
    )  # fmt: skip


def assert_edtf_ok(text: str) -> None:
    parsed = edtf.parse_edtf(text)
    assert parsed is not None, text


def test_json_of_bundled_store_is_the_query_schema(bundled: Path) -> None:
    ran = invoke("export", "--format", "json")
    assert ran.code == 0, ran.err
    data = json.loads(ran.out)
    store = load_store(bundled)
    assert data == [
        event_to_dict(e) for e in sorted(store.events, key=lambda e: (*e.date.sort_key, e.id))
    ]
    assert all(tuple(obj) == JSON_FIELDS for obj in data)
    assert "\\u" not in ran.out  # ensure_ascii=False: native names stay readable
    for obj in data:
        assert_edtf_ok(obj["date"])
        if obj["announced"]:
            assert_edtf_ok(obj["announced"])
        assert [decode(obj)] == [store.event(obj["id"])]


def test_jsonl_is_one_object_per_line_in_date_order() -> None:
    ran = run("export", "--format", "jsonl")
    assert ran.code == 0, ran.err
    lines = ran.out.splitlines()
    objs = [json.loads(line) for line in lines]
    assert len(objs) == BUNDLED_EVENTS
    starts = [(o["start"], o["end"]) for o in objs]
    assert starts == sorted(starts)
    for obj in objs:
        assert_edtf_ok(obj["date"])


def test_filters_apply(bundled: Path) -> None:
    ran = invoke("export", "-f", "jsonl", "--country", "tajikistan", "--since", "2014")
    assert ran.code == 0, ran.err
    objs = [json.loads(line) for line in ran.out.splitlines()]
    assert objs
    assert all("tajikistan" in o["countries"] and o["end"] >= "2014-01-01" for o in objs)


# --- property: export -> parse -> the same events, for arbitrary text and dates ---------

_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
_slug = st.from_regex(r"[a-z][a-z0-9-]{0,12}", fullmatch=True)


@st.composite
def points(draw: st.DrawFn) -> DatePoint:
    day = draw(st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)))
    precision = draw(st.sampled_from(["year", "month", "day"]))
    return DatePoint(
        day.year,
        day.month if precision != "year" else None,
        day.day if precision == "day" else None,
        approximate=draw(st.booleans()),
        uncertain=draw(st.booleans()),
    )


@st.composite
def edates(draw: st.DrawFn) -> EDate:
    start = draw(points())
    if draw(st.booleans()):
        end = draw(points())
        if end.latest >= start.earliest:
            return EDate(start, end)
    return EDate(start)


@st.composite
def events(draw: st.DrawFn) -> Event:
    sources = draw(st.lists(st.builds(Source, publisher=_text, title=_text, url=_text,
                                      date=st.sampled_from(["", "2023", "2023-05-17"]),
                                      note=_text), max_size=2))  # fmt: skip
    return Event(
        id=draw(_slug), date=draw(edates()), kind=draw(st.sampled_from(["talks", "visit"])),
        title=draw(_text), countries=tuple(draw(st.lists(_slug, max_size=3))),
        actors=tuple(draw(st.lists(_slug, max_size=2))), host=draw(_slug | st.just("")),
        place=draw(_text), status=draw(st.sampled_from(["held", "announced", "cancelled"])),
        announced=draw(st.none() | edates()), level=draw(_text),
        tags=tuple(draw(st.lists(_slug, max_size=3))), summary=draw(_text),
        sources=tuple(sources),
    )  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(st.lists(events(), max_size=5))
def test_json_and_jsonl_round_trip_losslessly(evs: list[Event]) -> None:
    store = Store(events=tuple(evs))
    data = Export(events=evs, store=store, as_of=date(2026, 11, 27), stamp=date(2026, 11, 27))
    as_json = json.loads(render("json", data))
    as_jsonl = [json.loads(line) for line in render("jsonl", data).split("\n") if line]
    assert as_json == as_jsonl == [event_to_dict(e) for e in evs]
    assert [decode(o) for o in as_json] == evs
    for obj in as_json:
        assert_edtf_ok(obj["date"])
