"""The derived facts asked of the index (store/factsql.py, SQL) are those the facts layer
computes in memory (dtimeline/facts.py, Python), on random small stores: relations,
partnership levels reached and to come, visit ordinals, gaps and partial series, seen
from any day, with and without --as-of's time travel."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from dtimeline import facts
from dtimeline.dates import parse_edtf
from dtimeline.factsource import StoreFacts, standing_of
from dtimeline.model import Actor, Country, Event, Source, Store
from dtimeline.store import index
from dtimeline.store.factsql import IndexFacts
from dtimeline.store.memo import reset
from dtimeline.store.select import event as event_by_id
from dtimeline.store.select import position, tags

COUNTRIES = ("china", "kazakhstan", "tajikistan", "uzbekistan")
ACTORS = {"xi": "china", "tokayev": "kazakhstan", "rahmon": "tajikistan", "li": "china"}
KINDS = ("relations-established", "partnership", "state-visit", "official-visit", "visit",
         "talks", "summit")  # fmt: skip
START = date(2010, 1, 1)


@st.composite
def edtf(draw: st.DrawFn) -> str:
    day = START + timedelta(days=draw(st.integers(0, 900)))
    shape = draw(st.sampled_from(["day", "day", "month", "year", "range", "approx"]))
    if shape == "month":
        return day.isoformat()[:7]
    if shape == "year":
        return str(day.year)
    if shape == "range":
        return f"{day.isoformat()}/{(day + timedelta(days=draw(st.integers(1, 40)))).isoformat()}"
    if shape == "approx":
        return day.isoformat() + "~"
    return day.isoformat()


@st.composite
def an_event(draw: st.DrawFn, n: int) -> Event:
    kind = draw(st.sampled_from(KINDS))
    countries = tuple(draw(st.lists(st.sampled_from(COUNTRIES), min_size=1, max_size=3,
                                    unique=True)))  # fmt: skip
    actors = tuple(draw(st.lists(st.sampled_from(sorted(ACTORS)), max_size=2, unique=True)))
    announced = draw(st.none() | edtf())
    return Event(
        id=f"e{n:03d}-{draw(st.sampled_from('abc'))}",
        date=parse_edtf(draw(edtf())),
        kind=kind,
        title=f"event {n}",
        countries=countries,
        actors=actors,
        host=draw(st.sampled_from(["", *countries])) if kind.endswith("visit") else "",
        status=draw(st.sampled_from(["held", "held", "announced", "cancelled", "postponed"])),
        announced=parse_edtf(announced) if announced else None,
        level=draw(st.sampled_from(["", "strategic", "comprehensive"]))
        if kind == "partnership" else "",
        tags=tuple(draw(st.lists(st.sampled_from([facts.PARTIAL_SERIES_TAG, "sco"]),
                                 max_size=1))),
        sources=(Source("Test"),),
    )  # fmt: skip


@st.composite
def stores(draw: st.DrawFn) -> Store:
    count = draw(st.integers(0, 30))
    events = tuple(draw(an_event(n)) for n in range(count))
    return Store(
        1,
        {slug: Country(slug, slug.title()) for slug in COUNTRIES},
        {slug: Actor(slug, slug.title(), country=c) for slug, c in ACTORS.items()},
        {},
        events,
    )


DAYS = st.builds(lambda n: START + timedelta(days=n), st.integers(-30, 1000))


@settings(max_examples=100)
@given(stores(), DAYS, st.booleans(), st.data())
def test_the_index_gives_the_facts_of_the_whole_store(
    store: Store, as_of: date, time_travel: bool, data: st.DataObject
) -> None:
    reset()
    memory = StoreFacts(store)
    sql = IndexFacts(index.build(None, store, "-"))
    every = [frozenset((a, b)) for a in COUNTRIES for b in COUNTRIES if a < b]
    for n in range(len(every) + 1):  # any part of them: the rank among them stays
        some = every[n:] + every[: n // 2]
        assert sql.pairs_among(some) == memory.pairs_among(some)
    assert memory.pairs_among(every) == facts.pairs(store)
    edges = sorted({d + timedelta(days=k) for ev in store.events
                    for d in (ev.date.earliest, ev.date.latest) for k in (-1, 0, 1)})  # fmt: skip
    # the days on the edge of an event's dates are where a rule's < and <= part
    days = [as_of, *data.draw(st.lists(st.sampled_from(edges), max_size=6))] if edges else [as_of]
    for day in days:
        for a in COUNTRIES:
            for b in COUNTRIES:
                if a != b:
                    want = standing_of(facts.relationship(store, (a, b), day, time_travel))
                    assert sql.standing((a, b), day, time_travel) == want
        for ev in store.events:
            got = sql.visit_facts(ev, day, time_travel)
            assert got == memory.visit_facts(ev, day, time_travel), ev


@settings(max_examples=50)
@given(stores())
def test_events_tags_and_positions_by_sql(store: Store) -> None:
    idx = index.build(None, store, "-")
    assert tags(idx) == {t for ev in store.events for t in ev.tags}
    for n, ev in enumerate(store.events):
        assert event_by_id(idx, ev.id) == ev
        assert position(idx, ev.id) == n
    assert event_by_id(idx, "no-such-id") is None
    assert position(idx, "no-such-id") is None


def test_a_visit_of_a_series_held_in_part_has_no_ordinal() -> None:
    """A purpose-built series: three visits of Xi to Kazakhstan, the second tagged as part
    of a series the store does not hold whole; then the same without the tag."""

    def visit(eid: str, when: str, tag: tuple[str, ...] = ()) -> Event:
        return Event(eid, parse_edtf(when), "state-visit", eid, ("china", "kazakhstan"),
                     ("xi",), "kazakhstan", tags=tag, sources=(Source("Test"),))  # fmt: skip

    head = ({s: Country(s, s) for s in COUNTRIES}, {s: Actor(s, s, country=c)
            for s, c in ACTORS.items()})  # fmt: skip
    day = date(2026, 1, 1)
    partial = (facts.PARTIAL_SERIES_TAG,)
    part = Store(1, *head, {}, (visit("a", "2013-09-07"), visit("b", "2019", partial),
                                visit("c", "2024-07-02")))  # fmt: skip
    assert IndexFacts(index.build(None, part, "-")).visit_facts(part.events[2], day, False) is None
    whole = Store(1, *head, {}, (visit("a", "2013-09-07"), visit("b", "2019"),
                                 visit("c", "2024-07-02")))  # fmt: skip
    found = IndexFacts(index.build(None, whole, "-")).visit_facts(whole.events[2], day, False)
    assert found is not None
    assert (found.number, found.state_number, found.gap_months) == (3, 3, 54)
    assert found.previous == whole.events[1]
