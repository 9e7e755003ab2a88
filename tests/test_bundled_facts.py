"""The bundled timeline against the project's checked facts (facts.md beside the checkout,
with its 2026-11-29 addendum): the events, their sources, and the figures derived from them
as of the seed's day (2024-07-01) and as of 2026-11-29, through the core and through the
installed command."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from conftest import ROOT, SHARED, run

from dtimeline import facts
from dtimeline.model import Event, Store
from dtimeline.store import check_store, load_store

ROW = re.compile(r"^\|\s*(\d{4}(?:-\d{2}){0,2}(?:/\d{4}(?:-\d{2}){0,2})?)\s*\|\s*([^|]+)\|")
SEED_DAY = date(2024, 7, 1)
LATER = date(2026, 11, 29)
KZ = ("china", "kazakhstan")
TJ = ("china", "tajikistan")

#: Rows of facts.md the store deliberately gives otherwise, with the reason.
DEVIATIONS = {
    "2013-05": "the addendum's corrections table dates the 2013 China-Tajikistan strategic "
    "partnership 2013-05-20 (China Daily 2013-05-21)",
    "2017-08-30/2017-09-01": "Rahmon's 2017 state visit is stored as 2017-08-30/2017-09-05: "
    "The Diplomat and Xinhua give his stay in China as 30 August to 5 September",
}


def facts_file() -> Path:
    """facts.md in the shared folder beside the checkout (or beside the worktrees)."""
    for folder in (SHARED, ROOT.parent.parent / "shared"):
        if (folder / "facts.md").is_file():
            return folder / "facts.md"
    pytest.skip("facts.md (the shared folder beside this checkout) is not here to compare")


@pytest.fixture(scope="module")
def timeline() -> Store:
    from dtimeline.store.locate import bundled_path

    return load_store(bundled_path())


def facts_rows() -> list[tuple[str, str, str]]:
    """(section, date, what) for every dated row of facts.md."""
    rows, section = [], ""
    for line in facts_file().read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            section = line[3:].strip()
        match = ROW.match(line)
        if match:
            rows.append((section, match.group(1), match.group(2).strip()))
    return rows


def on(timeline: Store, date_: str, country: str) -> list[Event]:
    return [e for e in timeline.events if e.date.edtf() == date_ and country in e.countries]


def stats_json(*args: str) -> dict[str, object]:
    ran = run("stats", *args, "--format", "json")
    assert ran.code == 0, ran.err
    (pair,) = json.loads(ran.out)
    assert isinstance(pair, dict)
    return pair


# --- the store itself --------------------------------------------------------------------


def test_bundled_store_is_clean_under_strict(bundled: Path) -> None:
    assert check_store(bundled) == []
    ran = run("--store", str(bundled), "check", "--strict")
    assert ran.code == 0, ran.err
    assert "ok" in ran.err and ran.out == ""


def test_every_dated_fact_is_an_event_at_its_precision(timeline: Store) -> None:
    rows = facts_rows()
    assert len(rows) >= 50  # the first round's rows and the addendum's
    for section, date_, what in rows:
        if date_ in DEVIATIONS:
            continue
        if "Kazakhstan" in section:
            countries = ["kazakhstan"]
        elif "Tajikistan" in section:
            countries = ["tajikistan"]
        else:  # "Missing events": either relationship
            countries = ["kazakhstan", "tajikistan"]
        assert any(on(timeline, date_, c) for c in countries), f"no event dated {date_} ({what})"


def test_every_event_cites_a_source_with_a_url_or_a_headline_and_date(timeline: Store) -> None:
    for ev in timeline.events:
        assert ev.sources and all(s.publisher for s in ev.sources), ev.id
        for src in ev.sources:
            assert src.url or (src.title and src.date), (ev.id, src.publisher)
            assert not src.title.startswith(("Report on", "Reports on", "Materials on")), (
                ev.id,
                src.title,  # a description is not a headline
            )


def test_announced_only_where_the_events_own_occurrence_was_public(timeline: Store) -> None:
    """The July 2024 upgrade was decided at the talks; the 30 June notice announced the trip."""
    upgrade = timeline.event("2024-07-05-china-tajikistan-partnership-new-era")
    assert upgrade is not None and upgrade.announced is None
    announced = {e.id: e.announced.edtf() for e in timeline.events if e.announced is not None}
    assert announced == {
        "2024-07-02-xi-state-visit-kazakhstan": "2024-06-30",
        "2024-07-04-sco-summit-astana": "2024-06-30",
        "2024-07-04-xi-state-visit-tajikistan": "2024-06-30",
        "2025-06-16-xi-visit-kazakhstan": "2025-06-11",
        "2025-06-16-xi-tokayev-talks-astana": "2025-06-11",
        "2025-06-17-china-central-asia-summit-astana": "2025-06-11",
    }


def test_relations_established(timeline: Store) -> None:
    (kz,) = [
        e for e in on(timeline, "1992-01-03", "kazakhstan") if e.kind == "relations-established"
    ]
    (tj,) = [
        e for e in on(timeline, "1992-01-04", "tajikistan") if e.kind == "relations-established"
    ]
    assert set(kz.countries) == {"china", "kazakhstan"}
    assert set(tj.countries) == {"china", "tajikistan"}


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
    assert visit.place == "Astana, Almaty"


def test_visits_in_both_directions_have_a_host(timeline: Store) -> None:
    def trips(visitor: str, host: str) -> list[str]:
        return [
            e.date.edtf()
            for e in timeline.events
            if e.is_visit and e.visitor == visitor and e.host == host
        ]

    assert trips("kassym-jomart-tokayev", "china") == [
        "2019-09-11/2019-09-12", "2022-02", "2023-05-17/2023-05-19", "2023-10",
        "2025-08-30/2025-09-03",
    ]  # fmt: skip
    assert trips("emomali-rahmon", "china") == [
        "2013-05-19/2013-05-20", "2017-08-30/2017-09-05", "2023-05-16/2023-05-19",
        "2025-08-31/2025-09-03",
    ]  # fmt: skip
    assert trips("nursultan-nazarbayev", "china") == ["2014-05-19/2014-05-20"]
    assert trips("hu-jintao", "tajikistan") == ["2008-08-26/2008-08-27"]
    (june,) = [e for e in on(timeline, "2025-06-16/2025-06-18", "kazakhstan") if e.is_visit]
    assert june.kind == "visit"  # the sources disagree on its kind, and the summary says so
    assert "working visit" in june.summary and "summit" in june.summary


def test_xi_visits_to_kazakhstan_counted_both_ways(timeline: Store) -> None:
    visits = [
        e
        for e in timeline.events
        if e.is_visit and e.host == "kazakhstan" and e.visitor == "xi-jinping"
    ]
    assert len(visits) == 6
    assert sum(e.kind == "state-visit" for e in visits) == 4


# --- figures as of the seed's day ----------------------------------------------------------


def test_seed_claims_as_of_2024_07_01_in_the_core(timeline: Store) -> None:
    kz = facts.relationship(timeline, KZ, SEED_DAY, time_travel=True)
    tj = facts.relationship(timeline, TJ, SEED_DAY, time_travel=True)
    assert (kz.years, tj.years) == (32, 32)
    assert kz.level == "permanent comprehensive strategic partnership"
    assert tj.level == "comprehensive strategic partnership"
    assert tj.upcoming_levels == () and kz.upcoming_levels == ()
    visit = timeline.event("2024-07-02-xi-state-visit-kazakhstan")
    assert visit is not None
    found = facts.visit_facts(timeline, visit, SEED_DAY, time_travel=True)
    assert found is not None and found.number == 5
    dushanbe = timeline.event("2024-07-04-xi-state-visit-tajikistan")
    assert dushanbe is not None
    found = facts.visit_facts(timeline, dushanbe, SEED_DAY, time_travel=True)
    assert found is not None and found.gap_phrase() == "first in 5 years"
    met = facts.encounters(timeline, KZ, SEED_DAY, time_travel=True, year=2023)
    assert [enc.places for enc in met] == [("Xi'an",), ("Beijing", "Ürümqi")]
    assert all(set(enc.leaders(timeline)) == {"xi-jinping", "kassym-jomart-tokayev"} for enc in met)


def test_seed_claims_as_of_2024_07_01_through_the_command() -> None:
    kz = stats_json("kazakhstan", "--as-of", "2024-07-01")
    assert kz["years"] == 32 and kz["level"] == "permanent comprehensive strategic partnership"
    assert kz["meetings_per_year"] == {  # one per year, 2022 and 2023 twice
        "2013": 1, "2014": 1, "2015": 1, "2017": 1, "2019": 1, "2022": 2, "2023": 2,
    }  # fmt: skip
    in_2023 = [m["events"] for m in kz["meetings"] if m["first"].startswith("2023")]  # type: ignore[attr-defined, index]
    assert in_2023 == [
        ["2023-05-17-xi-tokayev-talks-xian", "2023-05-17-tokayev-state-visit-china"],
        ["2023-10-16-tokayev-official-visit-china", "2023-10-17-xi-tokayev-meeting-beijing"],
    ]  # the Xi'an summit is not among them
    tj = stats_json("tajikistan", "--as-of", "2024-07-01")
    assert tj["years"] == 32 and tj["level"] == "comprehensive strategic partnership"
    assert tj["upcoming_levels"] == []
    plain = ("--format", "plain", "--width", "200")
    shown = run("show", "kazakhstan", "--as-of", "2024-07-01", *plain)
    assert "Xi Jinping's 5th visit to Kazakhstan, 4th state visit" in shown.out
    shown = run("show", "tajikistan", "--as-of", "2024-07-01", *plain)
    assert "Xi Jinping's 3rd visit to Tajikistan, 3rd state visit · first in 5 years" in shown.out
    assert "new era" not in shown.out  # no upcoming upgrade is known on that day
    assert "relations since 4 Jan 1992 (32 years)" in shown.out


# --- figures as of 2026-11-29 --------------------------------------------------------------


def test_figures_as_of_2026_11_29_in_the_core(timeline: Store) -> None:
    kz = facts.relationship(timeline, KZ, LATER)
    tj = facts.relationship(timeline, TJ, LATER)
    assert (kz.years, tj.years) == (34, 34)
    assert kz.level == "permanent comprehensive strategic partnership"
    assert tj.level == "comprehensive strategic cooperative partnership in the new era"
    june = timeline.event("2025-06-16-xi-visit-kazakhstan")
    assert june is not None
    found = facts.visit_facts(timeline, june, LATER)
    assert found is not None and (found.number, found.state_number) == (6, 0)
    to_tj = facts.visit_series(timeline, "xi-jinping", "tajikistan", LATER)
    assert len(to_tj) == 3 and all(e.kind == "state-visit" for e in to_tj)
    for pair, places in ((KZ, ["Astana", "Tianjin"]), (TJ, ["Astana", "Beijing"])):
        met = facts.encounters(timeline, pair, LATER, year=2025)
        meetings = [[e.place for e in enc.events if e.kind in {"talks", "meeting"}] for enc in met]
        assert meetings == [[place] for place in places]
    # Rahmon's and Nazarbayev's trips to China are only partly recorded: never numbered
    rahmon = timeline.event("2023-05-16-rahmon-state-visit-china")
    assert rahmon is not None and facts.visit_facts(timeline, rahmon, LATER) is None


def test_figures_as_of_2026_11_29_through_the_command() -> None:
    kz = stats_json("kazakhstan", "--as-of", "2026-11-29")
    assert kz["years"] == 34 and kz["level"] == "permanent comprehensive strategic partnership"
    visits = {(v["visitor"], v["host"]): v for v in kz["visits"]}  # type: ignore[attr-defined]
    xi = visits["xi-jinping", "kazakhstan"]
    assert (xi["visits"], xi["state_visits"], xi["last"]) == (6, 4, "2025-06-16/2025-06-18")
    tokayev = visits["kassym-jomart-tokayev", "china"]
    assert (tokayev["visits"], tokayev["complete"]) == (5, True)
    assert visits["nursultan-nazarbayev", "china"]["complete"] is False
    assert kz["meetings_per_year"]["2025"] == 2  # type: ignore[index]
    tj = stats_json("tajikistan", "--as-of", "2026-11-29")
    assert tj["years"] == 34
    assert tj["level"] == "comprehensive strategic cooperative partnership in the new era"
    assert tj["meetings_per_year"]["2025"] == 2  # type: ignore[index]
    assert tj["meetings_per_year"]["2024"] == 1  # type: ignore[index]  # one trip, counted once
    visits = {(v["visitor"], v["host"]): v for v in tj["visits"]}  # type: ignore[attr-defined]
    assert visits["xi-jinping", "tajikistan"]["visits"] == 3
    assert visits["emomali-rahmon", "china"]["complete"] is False
    plain = ("--format", "plain", "--width", "200")
    shown = run("show", "kazakhstan", "--as-of", "2026-11-29", *plain)
    assert "Xi Jinping's 6th visit to Kazakhstan · previous visit 2–4 Jul 2024" in shown.out
    assert "relations since 3 Jan 1992 (34 years)" in shown.out
    text = run("stats", "tajikistan", "--as-of", "2026-11-29", "--width", "200").out
    assert "  Emomali Rahmon to China: 4 visits, 3 state visits (not all recorded);" in text
    assert "Leaders' meetings per year (as recorded)" in text
