"""Leaders' meetings: bilateral encounters, one per trip (dtimeline.facts.encounters), and
visit series the store holds only in part. Small purpose-built stores, in the core, through
the installed command, and as properties over random stores."""

from __future__ import annotations

import json
from datetime import date, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any

import tomli_w
from conftest import run
from hypothesis import given, settings
from hypothesis import strategies as st

from dtimeline import facts
from dtimeline.dates import parse_edtf
from dtimeline.model import Actor, Country, Event, Source, Store
from dtimeline.store import load_store

PAIR = ("aa", "bb")
AS_OF = date(2030, 1, 1)

HEAD: dict[str, Any] = {
    "schema": 1,
    "countries": {slug: {"name": slug.upper()} for slug in ("aa", "bb", "cc")},
    "actors": {
        "a-lead": {"name": "A Leader", "country": "aa"},
        "a-aide": {"name": "A Aide", "country": "aa"},
        "b-lead": {"name": "B Leader", "country": "bb"},
        "c-lead": {"name": "C Leader", "country": "cc"},
    },
}


def ev(
    event_id: str,
    when: str,
    kind: str,
    actors: tuple[str, ...] = ("a-lead", "b-lead"),
    *,
    countries: tuple[str, ...] = PAIR,
    host: str = "",
    place: str = "",
    status: str = "held",
    announced: str = "",
    tags: tuple[str, ...] = (),
) -> dict[str, Any]:
    table: dict[str, Any] = {
        "id": event_id, "date": when, "kind": kind, "title": event_id,
        "countries": list(countries), "actors": list(actors), "status": status,
        "tags": list(tags), "sources": [{"publisher": "Test"}],
    }  # fmt: skip
    if kind in {"visit", "state-visit", "official-visit"} and not host:
        host = "bb"
    for key, value in (("host", host), ("place", place), ("announced", announced)):
        if value:
            table[key] = value
    return table


def write(tmp_path: Path, *events: dict[str, Any]) -> Path:
    path = tmp_path / "events.toml"
    path.write_text(tomli_w.dumps({**HEAD, "events": list(events)}), encoding="utf-8")
    return path


def met(tmp_path: Path, *events: dict[str, Any], as_of: date = AS_OF) -> list[list[str]]:
    """The encounters of the pair, each as the ids of its events."""
    store = load_store(write(tmp_path, *events))
    return [[e.id for e in enc.events] for enc in facts.encounters(store, PAIR, as_of)]


def test_one_trip_counts_once(tmp_path: Path) -> None:
    found = met(
        tmp_path,
        ev("visit", "2024-07-02/2024-07-04", "state-visit", host="bb", place="B City"),
        ev("talks", "2024-07-03", "talks", place="B City"),
        ev("summit", "2024-07-04", "summit", ("a-lead", "b-lead", "c-lead"),
           countries=("aa", "bb", "cc")),
    )  # fmt: skip
    assert found == [["visit", "talks"]]  # the summit is not a meeting in itself


def test_consecutive_days_are_one_trip_and_a_free_day_splits(tmp_path: Path) -> None:
    assert met(tmp_path, ev("d1", "2023-05-17", "talks"), ev("d2", "2023-05-18", "meeting")) == [
        ["d1", "d2"]
    ]
    assert met(tmp_path, ev("d1", "2023-05-17", "talks"), ev("d3", "2023-05-19", "meeting")) == [
        ["d1"],
        ["d3"],
    ]


def test_summits_and_ceremonies_count_only_through_a_bilateral_meeting(tmp_path: Path) -> None:
    three = ("a-lead", "b-lead", "c-lead")
    alone = (
        ev("summit", "2025-06-17", "summit", three, countries=("aa", "bb", "cc")),
        ev("parade", "2025-09-03", "other"),
        ev("signing", "2025-09-04", "treaty"),
        ev("statement", "2025-09-05", "joint-statement"),
        ev("call", "2025-10-01", "phone-call"),
    )
    assert met(tmp_path, *alone) == []
    with_meeting = (*alone, ev("sideline", "2025-06-17", "meeting", place="C City"))
    assert met(tmp_path, *with_meeting) == [["sideline"]]


def test_cancelled_and_postponed_never_count_nor_join_a_trip(tmp_path: Path) -> None:
    assert (
        met(
            tmp_path,
            ev("off", "2024-03-01", "meeting", status="cancelled"),
            ev("later", "2024-04-01", "state-visit", status="postponed"),
        )
        == []
    )
    # a cancelled ten-day visit does not bridge two held meetings a week apart
    assert met(
        tmp_path,
        ev("m1", "2024-05-01", "meeting"),
        ev("v", "2024-05-01/2024-05-10", "visit", status="cancelled"),
        ev("m2", "2024-05-08", "meeting"),
    ) == [["m1"], ["m2"]]


def test_a_leader_of_each_side_is_needed(tmp_path: Path) -> None:
    assert (
        met(
            tmp_path,
            ev("one-side", "2024-01-10", "meeting", ("a-lead", "a-aide")),
            ev(
                "third", "2024-02-10", "meeting", ("a-lead", "c-lead"), countries=("aa", "bb", "cc")
            ),
            ev("nobody", "2024-03-10", "meeting", ()),
        )
        == []
    )


def test_month_precision_visit_holds_the_meeting_of_that_month(tmp_path: Path) -> None:
    found = met(tmp_path, ev("feb", "2022-02", "visit"), ev("d5", "2022-02-05", "meeting"))
    assert found == [["feb", "d5"]]


def test_only_what_had_happened_counts_and_years_follow_the_start(tmp_path: Path) -> None:
    events = (
        ev("eve", "2024-12-31/2025-01-01", "state-visit"),
        ev("soon", "2025-03-01", "meeting", announced="2025-01-15"),
    )
    assert met(tmp_path, *events, as_of=date(2025, 2, 1)) == [["eve"]]
    store = load_store(write(tmp_path, *events))
    assert facts.meetings_per_year(store, PAIR, AS_OF) == {2024: 1, 2025: 1}
    assert [e.year for e in facts.encounters(store, PAIR, AS_OF, year=2025)] == [2025]


def test_an_encounter_says_when_where_and_who(tmp_path: Path) -> None:
    store = load_store(
        write(
            tmp_path,
            ev("visit", "2023-10-16/2023-10", "official-visit", ("b-lead", "a-lead"),
               host="aa", place="A City, A Port"),
            ev("meet", "2023-10-17", "meeting", ("a-lead", "a-aide", "b-lead"), place="A City"),
        )
    )  # fmt: skip
    (enc,) = facts.encounters(store, PAIR, AS_OF)
    assert (enc.first, enc.last, enc.year) == (date(2023, 10, 16), date(2023, 10, 31), 2023)
    assert enc.places == ("A City", "A Port")
    assert enc.leaders(store) == ("b-lead", "a-lead", "a-aide")
    assert enc.pair == PAIR


def test_stats_counts_encounters_through_the_command(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        ev("rel", "1992-01-03", "relations-established", ()),
        ev("visit", "2023-05-16/2023-05-19", "state-visit", host="aa", place="A City"),
        ev("talks", "2023-05-18", "talks", place="A City"),
        ev("summit", "2023-05-18/2023-05-19", "summit", ("a-lead", "b-lead", "c-lead"),
           countries=("aa", "bb", "cc")),
        ev("oct", "2023-10-17", "meeting"),
        ev("gone", "2023-12-01", "meeting", status="cancelled"),
    )  # fmt: skip
    ran = run("--store", str(path), "stats", "aa", "--format", "json")
    assert ran.code == 0, ran.err
    (pair,) = json.loads(ran.out)
    assert pair["meetings_per_year"] == {"2023": 2}
    assert pair["meetings"] == [
        {"first": "2023-05-16", "last": "2023-05-19", "places": ["A City"],
         "events": ["visit", "talks"]},
        {"first": "2023-10-17", "last": "2023-10-17", "places": [], "events": ["oct"]},
    ]  # fmt: skip
    text = run("--store", str(path), "stats", "aa", "--width", "60").out
    assert "  2023 ############################## 2" in text.splitlines()
    helped = run("stats", "--help").out
    assert "one per trip" in " ".join(helped.split())


def test_a_partly_recorded_series_is_never_numbered(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        ev("v1", "2013-05-19/2013-05-20", "state-visit", ("b-lead", "a-lead"), host="aa",
           tags=(facts.PARTIAL_SERIES_TAG,)),
        ev("v2", "2017-08-30", "state-visit", ("b-lead", "a-lead"), host="aa"),
        ev("w1", "2014-09-11", "state-visit", ("a-lead", "b-lead"), host="bb"),
        ev("w2", "2019-06-14", "visit", ("a-lead", "b-lead"), host="bb"),
    )  # fmt: skip
    store = load_store(path)
    v2, w2 = store.event("v2"), store.event("w2")
    assert v2 is not None and w2 is not None
    assert facts.visit_facts(store, v2, AS_OF) is None  # the untagged one too: same series
    numbered = facts.visit_facts(store, w2, AS_OF)
    assert numbered is not None and numbered.number == 2
    counts = {v.visitor: v for v in facts.pair_stats(store, PAIR, AS_OF).visits}
    assert (counts["b-lead"].visits, counts["b-lead"].complete) == (2, False)
    assert counts["a-lead"].complete
    shown = run("--store", str(path), "show", "aa", "--format", "plain", "--width", "100").out
    assert "A Leader's 2nd visit to BB" in shown and "B Leader's" not in shown
    text = run("--store", str(path), "stats", "aa", "--width", "100").out
    assert "B Leader to AA: 2 visits, 2 state visits (not all recorded)" in text


# --- properties ------------------------------------------------------------------------------

ACTORS = {
    "a-lead": Actor("a-lead", "A", country="aa"),
    "b-lead": Actor("b-lead", "B", country="bb"),
    "c-lead": Actor("c-lead", "C", country="cc"),
}
COUNTRIES = {slug: Country(slug, slug) for slug in ("aa", "bb", "cc")}
KINDS = ("visit", "talks", "meeting", "summit", "other")
CAST = (("a-lead", "b-lead"), ("a-lead",), ("a-lead", "c-lead"), ("b-lead", "a-lead"))
START = date(2020, 1, 1)

one_event = st.tuples(
    st.integers(0, 60),  # first day, from START
    st.integers(0, 4),  # length in days
    st.sampled_from(KINDS),
    st.sampled_from(CAST),
    st.sampled_from(("held", "held", "cancelled")),
)


def build(specs: list[tuple[int, int, str, tuple[str, ...], str]]) -> Store:
    events = []
    for n, (first, length, kind, actors, status) in enumerate(specs):
        start = START + timedelta(days=first)
        end = start + timedelta(days=length)
        text = start.isoformat() if not length else f"{start.isoformat()}/{end.isoformat()}"
        events.append(
            Event(
                f"e{n}", parse_edtf(text), kind, f"e{n}", ("aa", "bb", "cc"), actors,
                host="bb" if kind == "visit" else "", status=status, sources=(Source("T"),),
            )
        )  # fmt: skip
    return Store(countries=COUNTRIES, actors=ACTORS, events=tuple(events))


@settings(max_examples=150, deadline=None)
@given(st.lists(one_event, max_size=12), st.randoms(use_true_random=False))
def test_every_encounter_event_is_in_exactly_one_trip(
    specs: list[tuple[int, int, str, tuple[str, ...], str]], rnd: Any
) -> None:
    store = build(specs)
    found = facts.encounters(store, PAIR, AS_OF)
    qualifying = {e.id for e in store.events if facts.is_encounter(store, e, PAIR)}
    grouped = [e.id for enc in found for e in enc.events]
    assert sorted(grouped) == sorted(qualifying)  # each once, none else
    assert (len(found) == 0) == (not qualifying)
    for before, after in pairwise(found):
        assert after.first > before.last + timedelta(days=1)  # a free day between trips
    for enc in found:
        days = sorted((e.date.earliest, e.date.latest) for e in enc.events)
        reach = days[0][1]
        for lo, hi in days[1:]:
            assert lo <= reach + timedelta(days=1)  # no gap inside a trip
            reach = max(reach, hi)
    shuffled = list(specs)
    rnd.shuffle(shuffled)
    assert len(facts.encounters(build(shuffled), PAIR, AS_OF)) == len(found)
