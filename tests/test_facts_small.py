"""Derived facts on small purpose-built stores: cancelled and postponed visits, a ``level``
on an event that is not a partnership, gaps under a month. Each expectation is counted by
hand from the store written here."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from dtimeline import facts
from dtimeline.model import Store
from dtimeline.store.load import load_checked

HEAD = """schema = 1

[countries.china]
name = "China"

[countries.kazakhstan]
name = "Kazakhstan"

[countries.uzbekistan]
name = "Uzbekistan"

[actors.xi]
name = "Xi"
country = "china"

[actors.tokayev]
name = "Tokayev"
country = "kazakhstan"

[actors.mirziyoyev]
name = "Mirziyoyev"
country = "uzbekistan"
"""


def event(
    eid: str,
    when: str,
    kind: str,
    countries: str = '["china", "kazakhstan"]',
    visit: str = 'actors = ["xi"]\nhost = "kazakhstan"',
    **extra: str,
) -> str:
    lines = [
        "[[events]]",
        f'id = "{eid}"',
        f'date = "{when}"',
        f'kind = "{kind}"',
        f'title = "{eid}"',
        f"countries = {countries}",
    ]
    if kind.endswith("visit") and visit:
        lines += [visit]
    lines += [
        f"{key} = {value}" if value.startswith("[") else f'{key} = "{value}"'
        for key, value in extra.items()
    ]
    return "\n".join(lines) + '\n\n[[events.sources]]\npublisher = "Test"\n\n'


def store_of(*events: str) -> Store:
    facts.clear_memos()
    return load_checked(HEAD + "\n" + "".join(events), Path("small.toml"))


AS_OF = date(2026, 1, 1)


def visit(store: Store, eid: str, as_of: date = AS_OF) -> facts.VisitFacts | None:
    ev = store.event(eid)
    assert ev is not None
    return facts.visit_facts(store, ev, as_of)


def test_cancelled_and_postponed_visits_are_not_counted() -> None:
    store = store_of(
        event("v1", "2019-04-02", "state-visit"),
        event("v2", "2020-03-10", "state-visit", status="cancelled"),
        event("v3", "2021-05-10", "visit", status="postponed"),
        event("v4", "2022-09-14", "state-visit"),
        event("v5", "2023-05-17", "visit"),
    )
    assert visit(store, "v2") is None
    assert visit(store, "v3") is None
    v4 = visit(store, "v4")
    assert v4 is not None
    assert (v4.number, v4.state_number) == (2, 2)
    assert v4.previous is not None and v4.previous.id == "v1"
    assert v4.gap_months == 41
    assert v4.gap_phrase() == "first in 3 years"
    v5 = visit(store, "v5")
    assert v5 is not None
    assert (v5.number, v5.state_number) == (3, 0)
    assert v5.gap_phrase() == "previous visit 14 Sep 2022"
    assert [ev.id for ev in facts.visit_series(store, "xi", "kazakhstan", AS_OF)] == [
        "v1",
        "v4",
        "v5",
    ]


@pytest.mark.parametrize(
    ("first", "second", "months", "phrase"),
    [
        ("2023-05-02", "2023-05-20", 0, "previous visit 2 May 2023"),
        ("2023-05-20", "2023-06-19", 0, "previous visit 20 May 2023"),
        ("2023-05-20", "2023-06-20", 1, "previous visit 20 May 2023"),
        ("2021-05-20", "2023-05-19", 23, "previous visit 20 May 2021"),
        ("2021-05-20", "2023-05-20", 24, "first in 2 years"),
    ],
)
def test_gaps_count_completed_months(first: str, second: str, months: int, phrase: str) -> None:
    store = store_of(event("a", first, "visit"), event("b", second, "visit"))
    found = visit(store, "b")
    assert found is not None
    assert (found.number, found.gap_months, found.gap_phrase()) == (2, months, phrase)


@pytest.mark.parametrize(
    ("start", "end", "months", "text"),
    [
        (date(2023, 5, 20), date(2023, 6, 19), 0, "4 weeks"),
        (date(2023, 5, 20), date(2023, 6, 20), 1, "4 weeks"),
        (date(2023, 5, 20), date(2023, 7, 19), 1, "8 weeks"),
        (date(2023, 5, 20), date(2023, 7, 20), 2, "2 months"),
        (date(2023, 5, 20), date(2023, 5, 20), 0, "0 days"),
        (date(2023, 5, 20), date(2023, 6, 2), 0, "13 days"),
        (date(2023, 5, 20), date(2023, 6, 3), 0, "2 weeks"),
        (date(2021, 5, 20), date(2023, 5, 19), 23, "23 months"),
        (date(2021, 5, 20), date(2023, 5, 20), 24, "2 years"),
    ],
)
def test_whole_months_and_span(start: date, end: date, months: int, text: str) -> None:
    assert facts.whole_months(start, end) == months
    assert facts.span(start, end) == text


def test_a_level_on_an_event_that_is_not_a_partnership_is_no_rung() -> None:
    store = store_of(
        event("rel", "1992-01-03", "relations-established"),
        event("p1", "2011-06-13", "partnership", level="strategic partnership"),
        event("talk", "2015-01-01", "talks", level="comprehensive strategic partnership"),
        event("p2", "2019-09-11", "partnership", level="permanent", status="cancelled"),
        event("p3", "2027-05-01", "partnership", level="future level"),
    )
    rel = facts.relationship(store, ("china", "kazakhstan"), AS_OF)
    assert [step.event_id for step in rel.ladder] == ["p1"]
    assert rel.level == "strategic partnership"
    assert rel.level_since is not None and rel.level_since.edtf() == "2011-06-13"
    assert [step.event_id for step in rel.upcoming_levels] == ["p3"]
    assert rel.established is not None and rel.established.edtf() == "1992-01-03"
    assert rel.years == 33


def test_ordinals() -> None:
    expected = {1: "1st", 2: "2nd", 3: "3rd", 4: "4th", 10: "10th", 11: "11th", 12: "12th",
                13: "13th", 20: "20th", 21: "21st", 22: "22nd", 23: "23rd", 101: "101st",
                111: "111th", 112: "112th"}  # fmt: skip
    assert {n: facts.ordinal(n) for n in expected} == expected


def test_relations_date_is_the_relations_established_event_only() -> None:
    store = store_of(
        event("early-talks", "1991-12-01", "talks"),
        event("treaty", "1991-12-20", "treaty"),
        event("rel", "1992-01-03", "relations-established"),
    )
    rel = facts.relationship(store, ("china", "kazakhstan"), AS_OF)
    assert rel.established is not None and rel.established.edtf() == "1992-01-03"
    assert rel.years == 33


def test_an_upcoming_visit_has_its_place_in_the_series_by_default() -> None:
    """Without --as-of (no time travel) an upcoming visit is known and numbered."""
    store = store_of(event("v1", "2019-04-02", "state-visit"), event("v2", "2026-06-01", "visit"))
    ev = store.event("v2")
    assert ev is not None
    found = facts.visit_facts(store, ev, AS_OF)
    assert found is not None and (found.number, found.gap_months) == (2, 85)


def test_an_encounter_needs_a_leader_of_each_side() -> None:
    store = store_of(
        event("both", "2023-01-01", "talks", actors='["xi", "tokayev"]'),
        event("kz-only", "2023-02-01", "talks", actors='["tokayev", "mirziyoyev"]',
              countries='["china", "kazakhstan", "uzbekistan"]'),
        event("cn-only", "2023-03-01", "meeting", actors='["xi", "mirziyoyev"]',
              countries='["china", "kazakhstan", "uzbekistan"]'),
    )  # fmt: skip
    pair = ("china", "kazakhstan")
    found = {ev.id: facts.is_encounter(store, ev, pair) for ev in store.events}
    assert found == {"both": True, "kz-only": False, "cn-only": False}
    assert facts.meetings_per_year(store, pair, AS_OF) == {2023: 1}


def test_pair_stats_count_visits_to_the_pair_by_a_visitor_only() -> None:
    store = store_of(
        event("v1", "2019-04-02", "state-visit"),
        event("nobody", "2020-04-02", "visit", visit='host = "kazakhstan"'),
        event("elsewhere", "2021-04-02", "state-visit",
              countries='["china", "kazakhstan", "uzbekistan"]',
              visit='actors = ["xi"]\nhost = "uzbekistan"'),
        event("v2", "2022-09-14", "visit"),
    )  # fmt: skip
    stats = facts.pair_stats(store, ("china", "kazakhstan"), AS_OF)
    assert [tuple(c) for c in stats.visits] == [
        ("xi", "kazakhstan", 2, 1, stats.visits[0].last, 0, True)
    ]
    assert stats.visits[0].last is not None and stats.visits[0].last.edtf() == "2022-09-14"
    assert stats.events == 4
