"""The bundled timeline against ../shared/facts.md, the project's checked facts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import SHARED

from dtimeline.model import Event, Store
from dtimeline.store import check_store, load_store

FACTS = SHARED / "facts.md"
ROW = re.compile(r"^\|\s*(\d{4}(?:-\d{2}){0,2}(?:/\d{4}(?:-\d{2}){0,2})?)\s*\|\s*([^|]+)\|")


@pytest.fixture(scope="module")
def timeline() -> Store:
    from dtimeline.store.locate import bundled_path

    return load_store(bundled_path())


def facts_rows() -> list[tuple[str, str, str]]:
    """(section, date, what) for every dated row of facts.md."""
    if not FACTS.exists():
        pytest.skip("../shared/facts.md is not beside this checkout")
    rows, section = [], ""
    for line in FACTS.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            section = line[3:].strip()
        match = ROW.match(line)
        if match:
            rows.append((section, match.group(1), match.group(2).strip()))
    return rows


def on(timeline: Store, date: str, country: str) -> list[Event]:
    return [e for e in timeline.events if e.date.edtf() == date and country in e.countries]


def test_bundled_store_is_clean_under_strict(bundled: Path) -> None:
    assert check_store(bundled) == []


def test_every_dated_fact_is_an_event_at_its_precision(timeline: Store) -> None:
    rows = facts_rows()
    assert len(rows) >= 30
    for section, date, what in rows:
        country = "kazakhstan" if "Kazakhstan" in section else "tajikistan"
        assert on(timeline, date, country), f"no {country} event dated {date} ({what})"


def test_every_event_cites_a_source(timeline: Store) -> None:
    assert all(e.sources and e.sources[0].publisher for e in timeline.events)


def test_relations_established(timeline: Store) -> None:
    (kz,) = [
        e for e in on(timeline, "1992-01-03", "kazakhstan") if e.kind == "relations-established"
    ]
    (tj,) = [
        e for e in on(timeline, "1992-01-04", "tajikistan") if e.kind == "relations-established"
    ]
    assert set(kz.countries) == {"china", "kazakhstan"}
    assert set(tj.countries) == {"china", "tajikistan"}


def test_2023_meetings_of_xi_and_tokayev(timeline: Store) -> None:
    xian = [e for e in on(timeline, "2023-05-17", "kazakhstan") if e.kind == "talks"]
    beijing = [
        e for e in on(timeline, "2023-10-17", "kazakhstan") if e.kind in {"meeting", "talks"}
    ]
    for found, place in ((xian, "Xi'an"), (beijing, "Beijing")):
        assert len(found) == 1
        assert found[0].place == place
        assert {"xi-jinping", "kassym-jomart-tokayev"} <= set(found[0].actors)


def test_may_2023_community_with_shared_future(timeline: Store) -> None:
    (stmt,) = [e for e in on(timeline, "2023-05-18", "tajikistan") if e.kind == "joint-statement"]
    assert "shared future" in (stmt.title + stmt.summary).lower()
    assert stmt.place == "Xi'an"


def test_july_2024_state_visits(timeline: Store) -> None:
    (kz,) = [
        e for e in on(timeline, "2024-07-02/2024-07-04", "kazakhstan") if e.kind == "state-visit"
    ]
    (tj,) = [
        e for e in on(timeline, "2024-07-04/2024-07-06", "tajikistan") if e.kind == "state-visit"
    ]
    for visit, host, place in ((kz, "kazakhstan", "Astana"), (tj, "tajikistan", "Dushanbe")):
        assert visit.host == host
        assert visit.place == place
        assert visit.actors[0] == "xi-jinping"
        assert visit.status == "held"
        assert visit.announced is not None and visit.announced.edtf() == "2024-06-30"
    assert "fifth" in kz.summary.lower()


def test_month_precision_kept(timeline: Store) -> None:
    (visit,) = [e for e in on(timeline, "2013-09", "kazakhstan") if e.kind == "state-visit"]
    assert visit.date.precision == "month"


def test_xi_visits_to_kazakhstan_counted_both_ways(timeline: Store) -> None:
    visits = [
        e
        for e in timeline.events
        if e.is_visit and e.host == "kazakhstan" and e.visitor == "xi-jinping"
    ]
    assert len(visits) == 5
    assert sum(e.kind == "state-visit" for e in visits) == 4
