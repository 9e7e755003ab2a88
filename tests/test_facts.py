"""Derived facts (dtimeline.facts): computed from the data as of a day, never typed in."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from conftest import run
from hypothesis import given
from hypothesis import strategies as st

from dtimeline import facts
from dtimeline.dates import parse_edtf
from dtimeline.model import Store
from dtimeline.store import load_store

NOW = date(2026, 11, 27)
JULY1 = date(2024, 7, 1)

EXTRA_VISIT = """
[[events]]
id = "2026-03-10-xi-state-visit-kazakhstan"
date = "2026-03-10"
kind = "state-visit"
title = "Xi Jinping's state visit to Kazakhstan (test)"
countries = ["china", "kazakhstan"]
actors = ["xi-jinping", "kassym-jomart-tokayev"]
host = "kazakhstan"
place = "Astana"

[[events.sources]]
publisher = "Test"
"""


@pytest.fixture(scope="module")
def bundled_store() -> Store:
    from dtimeline.store.locate import bundled_path

    return load_store(bundled_path())


def _visit(store: Store, event_id: str, as_of: date = NOW) -> facts.VisitFacts:
    ev = store.event(event_id)
    assert ev is not None
    found = facts.visit_facts(store, ev, as_of, time_travel=True)
    assert found is not None
    return found


def test_xi_2024_kazakhstan_is_5th_visit_4th_state_visit(bundled_store: Store) -> None:
    v = _visit(bundled_store, "2024-07-02-xi-state-visit-kazakhstan")
    assert (v.number, v.state_number) == (5, 4)
    assert v.previous is not None and v.previous.id == "2022-09-14-xi-state-visit-kazakhstan"
    assert v.gap_phrase() == "previous visit 14 Sep 2022"
    # visits before: 2013 state, 2015 plain visit (no state ordinal), 2017 and 2022 state
    assert _visit(bundled_store, "2015-05-07-xi-visit-kazakhstan").state_number == 0
    assert _visit(bundled_store, "2015-05-07-xi-visit-kazakhstan").number == 2
    first = _visit(bundled_store, "2013-09-xi-state-visit-kazakhstan")
    assert (first.number, first.state_number, first.gap_phrase()) == (1, 1, "")


def test_tajikistan_2024_is_first_in_five_years(bundled_store: Store) -> None:
    v = _visit(bundled_store, "2024-07-04-xi-state-visit-tajikistan")
    assert (v.number, v.state_number) == (3, 3)
    assert v.gap_phrase() == "first in 5 years"


def test_ordinals_as_of_an_earlier_day_ignore_what_was_unknown(bundled_store: Store) -> None:
    v = _visit(bundled_store, "2022-09-14-xi-state-visit-kazakhstan", date(2023, 1, 1))
    assert (v.number, v.state_number) == (4, 3)
    ev = bundled_store.event("2024-07-02-xi-state-visit-kazakhstan")
    assert ev is not None
    # announced 2024-06-30: unknown on 2024-06-29, known (and upcoming) on 2024-07-01
    assert facts.visit_facts(bundled_store, ev, date(2024, 6, 29), time_travel=True) is None
    assert facts.visit_facts(bundled_store, ev, JULY1, time_travel=True) is not None


def test_relationship_years_and_level_as_of(bundled_store: Store) -> None:
    rel = facts.relationship(bundled_store, ("china", "tajikistan"), NOW)
    assert rel.years == 34
    assert rel.level == "comprehensive strategic cooperative partnership in the new era"
    then = facts.relationship(bundled_store, ("china", "tajikistan"), JULY1, time_travel=True)
    assert then.years == 32
    assert then.level == "comprehensive strategic partnership"
    # the 5 July upgrade was decided at the talks, not announced on 30 June: unknown then
    assert then.upcoming_levels == ()
    kz = facts.relationship(bundled_store, ("china", "kazakhstan"), NOW)
    assert [s.date.edtf() for s in kz.ladder] == ["2005-07-04", "2011-06-13", "2019-09-11"]
    early = facts.relationship(bundled_store, ("china", "kazakhstan"), date(1991, 1, 1))
    assert early.established is None and early.years is None and early.level == ""


def test_pairs_put_the_hub_country_first(bundled_store: Store) -> None:
    assert facts.pairs(bundled_store) == [("china", "kazakhstan"), ("china", "tajikistan")]


def _visits_of(st_: facts.PairStats, visitor: str) -> facts.VisitCount:
    (found,) = [v for v in st_.visits if v.visitor == visitor]
    return found


def test_pair_stats_counts(bundled_store: Store) -> None:
    st_ = facts.pair_stats(bundled_store, ("china", "kazakhstan"), JULY1, time_travel=True)
    xi = _visits_of(st_, "xi-jinping")
    assert (xi.visits, xi.state_visits, xi.upcoming, xi.complete) == (4, 3, 1, True)
    tokayev = _visits_of(st_, "kassym-jomart-tokayev")
    assert (tokayev.visits, tokayev.state_visits, tokayev.upcoming) == (4, 2, 0)
    assert st_.upcoming == 2
    assert st_.events_per_year[2023] == 8
    assert st_.meetings_per_year[2023] == 2  # Xi'an and Beijing, as the briefing says
    assert 2024 not in st_.meetings_per_year  # the July meetings had not happened yet
    now = facts.pair_stats(bundled_store, ("china", "kazakhstan"), NOW)
    xi_now = _visits_of(now, "xi-jinping")
    assert (xi_now.visits, xi_now.state_visits) == (6, 4)
    assert now.meetings_per_year[2024] == 1  # one trip: visit, talks and SCO summit
    assert now.meetings_per_year[2025] == 2


@pytest.mark.parametrize(
    ("edtf", "as_of", "expected"),
    [
        ("2024-07-02/2024-07-04", JULY1, "in 1 day"),
        ("2024-07-04", JULY1, "in 3 days"),
        ("2024-06-30", JULY1, "yesterday"),
        ("2024-07-01", JULY1, "today"),
        ("2024-07", JULY1, "now"),
        ("2021-05-01", JULY1, "3 years ago"),
        ("2024-05-01", JULY1, "2 months ago"),
        ("2024-06-10", JULY1, "3 weeks ago"),
        ("2024-06-21", JULY1, "10 days ago"),
    ],
)
def test_relative(edtf: str, as_of: date, expected: str) -> None:
    assert facts.relative(parse_edtf(edtf), as_of) == expected


@pytest.mark.parametrize(
    ("n", "text"),
    [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"), (12, "12th"), (13, "13th"),
     (21, "21st"), (22, "22nd"), (101, "101st"), (111, "111th")],
)  # fmt: skip
def test_ordinal(n: int, text: str) -> None:
    assert facts.ordinal(n) == text


@given(st.dates(), st.integers(min_value=0, max_value=40000))
def test_whole_years_is_an_age(start: date, days: int) -> None:
    try:
        end = start + timedelta(days=days)
    except OverflowError:
        return
    years = facts.whole_years(start, end)
    assert years >= 0

    # the anniversary of `years` has passed, the next one has not
    def anniversary(n: int) -> date:
        y = start.year + n
        try:
            return start.replace(year=y)
        except ValueError:  # 29 Feb
            return date(y, 3, 1)

    assert anniversary(years) <= end
    if start.year + years + 1 <= 9999:
        assert anniversary(years + 1) > end


def test_figures_come_from_the_data(store: Path, bundled_store: Store) -> None:
    """Add a visit to a store: the ordinals, counts and the show view follow."""
    before = load_store(store)
    xi_before = _visits_of(facts.pair_stats(before, ("china", "kazakhstan"), NOW), "xi-jinping")
    assert xi_before.visits == 6
    with store.open("a", encoding="utf-8") as fh:
        fh.write(EXTRA_VISIT)
    after = load_store(store)
    v = _visit(after, "2026-03-10-xi-state-visit-kazakhstan")
    assert (v.number, v.state_number) == (7, 5)
    xi_after = _visits_of(facts.pair_stats(after, ("china", "kazakhstan"), NOW), "xi-jinping")
    assert xi_after.visits == 7
    shown = run("--store", str(store), "show", "kazakhstan", "--format", "plain")
    assert shown.code == 0, shown.err
    assert "Xi Jinping's 7th visit to Kazakhstan, 5th state visit" in shown.out
    stats = run("--store", str(store), "stats", "kazakhstan", "--format", "json")
    assert '"visits": 7' in stats.out and '"state_visits": 5' in stats.out
    # and a changed relations date moves the header's figure
    text = store.read_text(encoding="utf-8").replace('date = "1992-01-03"', 'date = "2000-01-03"')
    store.write_text(text, encoding="utf-8")
    shown = run("--store", str(store), "show", "kazakhstan", "--format", "plain")
    assert "relations since 3 Jan 2000 (26 years)" in shown.out
