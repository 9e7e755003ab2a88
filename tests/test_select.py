"""Reads as SQL (store/select.py) select exactly what query.select selects on the whole
store: property-tested on random stores, filters and --search needles, with the FTS5
trigram index and with the plain fallback."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dtimeline import query
from dtimeline.dates import parse_edtf
from dtimeline.model import Actor, Country, Event, Store
from dtimeline.store import index, rows
from dtimeline.store.memo import reset
from dtimeline.store.select import select, tags

SLUGS = ["china", "kazakhstan", "tajikistan", "turkey"]
COUNTRIES = {
    "china": Country("china", "China", "中国"),
    "kazakhstan": Country("kazakhstan", "Kazakhstan", "Қазақстан", aliases=("Qazaqstan",)),
    "tajikistan": Country("tajikistan", "Tajikistan", "Тоҷикистон"),
    "turkey": Country("turkey", "Türkiye", "Türkiye"),
}
ACTORS = {
    "xi": Actor("xi", "Xi Jinping", "习近平", "china"),
    "tokayev": Actor("tokayev", "Kassym-Jomart Tokayev", "Қасым-Жомарт Тоқаев", "kazakhstan"),
}
KINDS = ["talks", "state-visit", "summit", "other"]
DATES = [
    "1992",
    "2013-09",
    "2023-05-17",
    "2024-07-02/2024-07-04",
    "2013-09~",
    "2027-01",
    "2026-11-27",
    "2026-11-28?",
]
ALPHABET = "aäeéiouxnKZ'’-– .,İıßﬁ中Қ"
text = st.text(ALPHABET, max_size=12)


@st.composite
def events(draw: st.DrawFn) -> list[Event]:
    out = []
    for n in range(draw(st.integers(0, 12))):
        kind = draw(st.sampled_from(KINDS))
        countries = tuple(
            draw(st.lists(st.sampled_from(SLUGS), min_size=1, max_size=3, unique=True))
        )
        out.append(
            Event(
                id=f"e{n:02d}{draw(st.sampled_from(['', 'a', 'b']))}",
                date=parse_edtf(draw(st.sampled_from(DATES))),
                kind=kind,
                title=draw(text) or "t",
                countries=countries,
                actors=tuple(
                    draw(st.lists(st.sampled_from(["xi", "tokayev"]), max_size=2, unique=True))
                ),
                host=countries[-1] if kind == "state-visit" else "",
                place=draw(text),
                status=draw(st.sampled_from(["held", "announced", "cancelled"])),
                announced=draw(st.sampled_from([None, parse_edtf("2020"), parse_edtf("2026-12")])),
                tags=tuple(
                    draw(
                        st.lists(
                            st.sampled_from(["sco", "trade", "Énergie"]), max_size=2, unique=True
                        )
                    )
                ),
                summary=draw(text),
            )
        )
    return out


days = st.sampled_from([None, date(2013, 9, 15), date(2024, 7, 3), date(2026, 11, 27)])


@st.composite
def filters(draw: st.DrawFn) -> query.Filter:
    since, until = draw(days), draw(days)
    if since and until and since > until:
        since, until = until, since
    upcoming = draw(st.booleans())
    return query.Filter(
        as_of=draw(st.sampled_from([date(2026, 11, 27), date(2014, 1, 1)])),
        countries=tuple(draw(st.lists(st.sampled_from(SLUGS), max_size=2, unique=True))),
        actors=tuple(draw(st.lists(st.sampled_from(["xi", "tokayev"]), max_size=1))),
        kinds=tuple(draw(st.lists(st.sampled_from(KINDS), max_size=2, unique=True))),
        tags=tuple(draw(st.lists(st.sampled_from(["sco", "Énergie"]), max_size=1))),
        statuses=tuple(draw(st.lists(st.sampled_from(["held", "announced"]), max_size=1))),
        since=since,
        until=until,
        search=draw(st.one_of(st.just(""), text, st.sampled_from(["xi'an", "ЖОМАРТ", "turk"]))),
        upcoming=upcoming,
        past=not upcoming and draw(st.booleans()),
        time_travel=draw(st.booleans()),
    )


def _check(evs: list[Event], flt: query.Filter, descending: bool, limit: int | None) -> None:
    store = Store(countries=COUNTRIES, actors=ACTORS, events=tuple(evs))
    idx = index.build(None, store, "-")
    try:
        want = query.select(store, flt, descending=descending, limit=limit)
        got = select(idx, flt, descending=descending, limit=limit)
        assert [e.id for e in got] == [e.id for e in want]
        assert got == want
        assert tags(idx) == query.all_tags(store)
    finally:
        idx.close()


common = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@common
@given(events(), filters(), st.booleans(), st.one_of(st.none(), st.integers(0, 5)))
def test_sql_selects_what_query_selects(
    evs: list[Event], flt: query.Filter, descending: bool, limit: int | None
) -> None:
    _check(evs, flt, descending, limit)


@settings(max_examples=60, deadline=None)
@given(events(), filters(), st.booleans())
def test_plain_search_selects_the_same(
    evs: list[Event], flt: query.Filter, descending: bool
) -> None:
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(rows, "_FTS", "CREATE VIRTUAL TABLE search USING no_such_module(hay)")
        _check(evs, flt, descending, None)


def test_search_goes_through_the_trigram_index(store_events: Store) -> None:
    idx = index.build(None, store_events, "-")
    assert idx.fts
    plan = " ".join(
        str(r)
        for r in idx.conn.execute(
            "EXPLAIN QUERY PLAN SELECT rowid FROM search WHERE search MATCH '\"xian\"'"
        )
    )
    assert "VIRTUAL TABLE INDEX" in plan
    flt = query.Filter(as_of=date(2026, 11, 27), search="Xi'an")
    assert [e.id for e in select(idx, flt)] == [e.id for e in query.select(store_events, flt)]


@pytest.fixture
def store_events(store: object) -> Store:
    from pathlib import Path

    from dtimeline.store import load_store

    reset()
    assert isinstance(store, Path)
    return load_store(store)


def test_lone_surrogate_needle_finds_nothing(store_events: Store) -> None:
    idx = index.build(None, store_events, "-")
    assert select(idx, query.Filter(as_of=date(2026, 1, 1), search=("xi\udcff",))) == []


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(events(), filters(), st.booleans(), st.one_of(st.none(), st.integers(0, 5)), st.booleans())
def test_json_from_kept_texts_is_the_json_of_the_events(
    evs: list[Event], flt: query.Filter, descending: bool, limit: int | None, array: bool
) -> None:
    """query/export json and jsonl write the texts the index keeps without building events:
    byte for byte what the JSON writer makes of the selected events."""
    from dtimeline.render.formats import json_chunks, json_text_chunks
    from dtimeline.store.select import select_texts

    store = Store(countries=COUNTRIES, actors=ACTORS, events=tuple(evs))
    idx = index.build(None, store, "-")
    try:
        kept = select_texts(idx, flt, descending=descending, limit=limit)
        if kept is None:  # a short needle: matched in Python, through select()
            return
        want = query.select(store, flt, descending=descending, limit=limit)
        assert b"".join(json_text_chunks(kept, array)) == b"".join(json_chunks(want, array))
    finally:
        idx.close()
