"""`show SUBJECT` and `stats SUBJECT` read only part of the store through the index
(store/select.py: fact_store, relationship_store); what they print must be exactly what the
whole store gives."""

from __future__ import annotations

import io
import random
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from dtimeline import query
from dtimeline.dates import parse_edtf
from dtimeline.model import Store
from dtimeline.render.console import make_console
from dtimeline.render.stats import collect, to_json
from dtimeline.render.timeline import TimelineView, render_plain
from dtimeline.store import index, load_store
from dtimeline.store.memo import reset
from dtimeline.store.select import fact_store, relationship_store, select


def plain(
    store: Store, events: list[object], subject: query.Subject | None, flt: query.Filter
) -> str:
    out = io.StringIO()
    view = TimelineView(store, events, subject, flt.as_of, flt.time_travel)  # type: ignore[arg-type]
    render_plain(view, make_console(out, width=100, environ={}))
    return out.getvalue()


def bigger(store: Store, copies: int, seed: int) -> Store:
    """The store's events again under other ids and shifted dates: more visits, pairs and
    partnership steps for the facts to count."""
    rng = random.Random(seed)
    events = list(store.events)
    for n in range(copies):
        for ev in store.events:
            year = min(max(ev.date.earliest.year + rng.randint(-20, 5), 1990), 2030)
            events.append(replace(ev, id=f"{ev.id}-c{n}", date=parse_edtf(str(year))))
    rng.shuffle(events)
    return replace(store, events=tuple(events))


@pytest.fixture
def stores(store: Path) -> list[Store]:
    reset()
    whole = load_store(store)
    return [whole, bigger(whole, 3, 1)]


SUBJECTS = ["kazakhstan", "tajikistan", "china", "xi", "sco", None]
FILTERS = [
    {},
    {"since": date(2013, 1, 1), "until": date(2013, 12, 31)},
    {"kinds": ("state-visit",)},
    {"as_of": date(2019, 6, 1), "time_travel": True},
]


@pytest.mark.parametrize("subject", SUBJECTS)
def test_show_over_the_fact_store_reads_as_over_the_whole(
    stores: list[Store], subject: str | None
) -> None:
    for whole in stores:
        idx = index.build(None, whole, "-")
        subj = query.resolve_subject(whole, subject) if subject else None
        for extra in FILTERS:
            flt = query.Filter(**{"as_of": date(2026, 11, 27), **extra})  # type: ignore[arg-type]
            events = select(idx, flt, subject=subj)
            want_events = [
                ev for ev in query.select(whole, flt)
                if subj is None or subj.slug in {"country": ev.countries, "actor": ev.actors,
                                                 "tag": ev.tags}[subj.kind]
            ]  # fmt: skip
            assert events == want_events
            part = fact_store(idx, events, subj)
            assert len(part.events) <= len(whole.events)
            assert plain(part, events, subj, flt) == plain(whole, want_events, subj, flt)


@pytest.mark.parametrize("subject", ["kazakhstan", "tajikistan", "xi", "tokayev"])
def test_stats_over_the_relationship_store_reads_as_over_the_whole(
    stores: list[Store], subject: str
) -> None:
    for whole in stores:
        idx = index.build(None, whole, "-")
        subj = query.resolve_subject(whole, subject)
        actor = whole.actors.get(subj.slug)
        country = subj.slug if subj.kind == "country" else actor.country if actor else ""
        part = relationship_store(idx, {country})
        for day in (date(2026, 11, 27), date(2015, 1, 1)):
            got = to_json(collect(part, subj, day, False), part)
            assert got == to_json(collect(whole, subj, day, False), whole)
            assert got, "the subject must have some relationship"
