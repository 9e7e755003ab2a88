"""`brief`: the briefing of a relationship, claim by claim from the JSON, a golden text at 80
columns, Markdown read back by a real parser, a user's own store built through the CLI, and
bad subjects.

Golden files live in tests/golden/ (regenerate: UPDATE_GOLDEN=1 .venv/bin/pytest
tests/test_brief.py, then read the diff). "Today" is pinned by conftest (2026-11-27).
"""

from __future__ import annotations

import html
import json
import os
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from conftest import assert_one_line_error, invoke, run, sha
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from dtimeline import briefing
from dtimeline.dates import DatePoint, EDate
from dtimeline.model import Actor, Country, Event, Store
from dtimeline.render.brief import md_escape, wrap
from dtimeline.render.formats import clean_cell
from dtimeline.store import load_store
from dtimeline.store.locate import bundled_path

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN", "") not in ("", "0")


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"golden file {name} is missing (run with UPDATE_GOLDEN=1)"
    assert text == path.read_text(encoding="utf-8"), f"{name} differs (UPDATE_GOLDEN=1?)"


def brief_json(*args: str) -> dict[str, Any]:
    ran = invoke("brief", *args, "--format", "json")
    assert ran.code == 0, ran.err
    data: dict[str, Any] = json.loads(ran.out)
    return data


def claims(data: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [c for c in data["claims"] if c["kind"] == kind]


def one(data: dict[str, Any], kind: str) -> dict[str, Any]:
    found = claims(data, kind)
    assert len(found) == 1, (kind, [c["sentence"] for c in data["claims"]])
    return found[0]


def cites(claim: dict[str, Any], event_id: str) -> bool:
    return event_id in claim["ids"] and any(s["id"] == event_id for s in claim["sources"])


# --- the bundled timeline as of the seed's day -----------------------------------------------


def test_kazakhstan_as_of_1_july_2024_claim_by_claim() -> None:
    data = brief_json("kazakhstan", "--as-of", "2024-07-01")
    assert data["relationship"] == ["china", "kazakhstan"]
    assert data["as_of"] == "2024-07-01"

    rel = one(data, "relations")
    assert rel["value"] == {"established": "1992-01-03", "years": 32}
    assert "32 years, since 3 Jan 1992" in rel["sentence"]
    assert cites(rel, "1992-01-03-china-kazakhstan-relations")

    level = one(data, "partnership")
    assert level["value"]["level"] == "permanent comprehensive strategic partnership"
    assert level["value"]["since"] == "2019-09-11"
    assert "permanent comprehensive strategic partnership since 11 Sep 2019" in level["sentence"]
    assert cites(level, "2019-09-11-china-kazakhstan-permanent-partnership")
    assert claims(data, "upcoming-partnership") == []

    (met,) = claims(data, "meetings")  # 2023; none yet in 2024
    assert met["value"]["year"] == 2023 and met["value"]["count"] == 2
    assert met["value"]["leaders"] == ["xi-jinping", "kassym-jomart-tokayev"]
    places = [m["places"] for m in met["value"]["meetings"]]
    assert "Xi'an" in places[0] and "Beijing" in places[1]
    assert "Xi Jinping and Kassym-Jomart Tokayev met twice in 2023: in Xi'an" in met["sentence"]
    assert cites(met, "2023-05-17-xi-tokayev-talks-xian")
    assert cites(met, "2023-10-17-xi-tokayev-meeting-beijing")
    assert "2023-05-18-china-central-asia-summit" not in met["ids"]  # a summit is no meeting

    visit = one(data, "upcoming-visit")
    assert visit["value"]["visitor"] == "xi-jinping" and visit["value"]["host"] == "kazakhstan"
    assert visit["value"]["date"] == "2024-07-02/2024-07-04"
    assert visit["value"]["number"] == 5
    assert visit["value"]["kind"] == "state-visit"
    assert visit["value"]["state_number"] == 4  # the 2015 stop was not a state visit
    assert visit["sentence"].startswith("Xi Jinping's fifth visit to Kazakhstan, a state visit,")
    assert "2–4 Jul 2024" in visit["sentence"]
    assert "fourth counting state visits only" in visit["sentence"]
    assert cites(visit, "2024-07-02-xi-state-visit-kazakhstan")

    last = {c["value"]["host"]: c for c in claims(data, "last-visit")}
    assert last["kazakhstan"]["value"]["date"] == "2022-09-14"
    assert cites(last["kazakhstan"], "2022-09-14-xi-state-visit-kazakhstan")


def test_tajikistan_as_of_1_july_2024_claim_by_claim() -> None:
    data = brief_json("tajikistan", "--as-of", "2024-07-01")
    assert one(data, "relations")["value"] == {"established": "1992-01-04", "years": 32}

    level = one(data, "partnership")
    assert level["value"]["level"] == "comprehensive strategic partnership"
    assert level["value"]["since"] == "2017-08-31"
    # the July upgrade was decided at the 5 July talks: not yet known on 1 July
    assert claims(data, "upcoming-partnership") == []
    assert "new era" not in json.dumps(data)

    visit = one(data, "upcoming-visit")
    assert visit["value"]["visitor"] == "xi-jinping" and visit["value"]["number"] == 3
    assert visit["value"]["gap_years"] == 5 and visit["value"]["previous"].startswith("2019-06")
    assert "the first in five years" in visit["sentence"]
    assert cites(visit, "2024-07-04-xi-state-visit-tajikistan")
    assert cites(visit, "2019-06-14-xi-state-visit-tajikistan")

    statement = one(data, "joint-statement")
    assert statement["value"]["date"] == "2023-05-18"
    assert "community with a shared future" in statement["sentence"]
    assert "18 May 2023" in statement["sentence"]
    assert cites(statement, "2023-05-18-xi-rahmon-joint-statement-xian")


def test_a_look_back_cites_no_reporting_from_after_its_day() -> None:
    visit = "2024-07-02-xi-state-visit-kazakhstan"
    later = "http://en.people.cn/n3/2024/0705/c90000-20189737.html"
    data = brief_json("kazakhstan", "--as-of", "2024-07-01")
    cited = [s for c in data["claims"] for s in c["sources"]]
    cited += [s for r in data["references"] for s in r["sources"]]
    assert cited, "the briefing cites sources"
    assert all(not s["date"] or s["date"][:10] <= "2024-07-01" for s in cited), cited
    # the upcoming visit keeps the report of its announcement, not the reports of the trip
    ref = next(r for r in data["references"] if r["id"] == visit)
    assert [s["date"] for s in ref["sources"]] == ["2024-07-01"]
    # read from after the trip, the same event cites the later reporting too
    store = load_store(bundled_path())
    ev = next(e for e in store.events if e.id == visit)
    assert later in [s.url for s in briefing.sources_known_on(ev, date(2024, 7, 5)).sources]
    assert later not in [s.url for s in briefing.sources_known_on(ev, date(2024, 7, 4)).sources]


def test_every_claim_cites_listed_references_and_every_reference_is_cited() -> None:
    data = brief_json("kazakhstan", "--as-of", "2024-07-01")
    listed = {r["id"]: r["number"] for r in data["references"]}
    assert [r["number"] for r in data["references"]] == list(range(1, len(listed) + 1))
    cited = set()
    for claim in data["claims"]:
        assert claim["ids"] and claim["sentence"].endswith(".")
        assert claim["references"] == [listed[i] for i in claim["ids"]]
        cited |= set(claim["ids"])
    assert cited == set(listed)
    for ref in data["references"]:
        assert ref["sources"], ref["id"]  # every event of the bundled timeline is sourced


@pytest.mark.parametrize("subject", ["kazakhstan", "tajikistan"])
def test_golden_text_at_80_columns(subject: str) -> None:
    ran = run("brief", subject, "--as-of", "2024-07-01", "--width", "80")
    assert ran.code == 0, ran.err
    assert ran.err == ""
    check_golden(f"brief-{subject}-2024-07-01-80.txt", ran.out)


def test_text_sentences_carry_their_reference_numbers() -> None:
    out = invoke("brief", "kz", "--as-of", "2024-07-01", "--width", "80").out
    flat = " ".join(out.split())
    assert flat.startswith("China – Kazakhstan, as of 1 Jul 2024 ")
    assert "for 32 years, since 3 Jan 1992. [1]" in flat
    assert "References [1] China and Kazakhstan establish diplomatic relations, 3 Jan 1992" in flat
    body, refs = out.split("\nReferences\n")
    numbers = {int(n) for n in __import__("re").findall(r"\[(\d+)\]", body)}
    assert numbers == set(range(1, len(numbers) + 1))
    assert all(f"[{n}] " in refs for n in numbers)


# --- as of today: the same command follows the store -----------------------------------------


def test_today_reflects_the_2025_meetings() -> None:
    kz = brief_json("kazakhstan")  # today is pinned to 2026-11-27
    assert kz["as_of"] == "2026-11-27"
    assert one(kz, "relations")["value"]["years"] == 34
    (met,) = claims(kz, "meetings")  # 2025; none recorded in 2026
    assert met["value"]["year"] == 2025 and met["value"]["count"] == 2
    places = [m["places"] for m in met["value"]["meetings"]]
    assert "Astana" in places[0] and "Tianjin" in places[1]
    assert "met twice in 2025" in met["sentence"]
    assert claims(kz, "upcoming-visit") == []

    tj = brief_json("tajikistan")
    (met,) = claims(tj, "meetings")
    assert met["value"]["count"] == 2
    assert [m["places"][-1] for m in met["value"]["meetings"]][-1] == "Beijing"
    level = one(tj, "partnership")["value"]
    assert level["level"] == "comprehensive strategic cooperative partnership in the new era"


def test_in_the_current_year_meetings_are_so_far() -> None:
    data = brief_json("kazakhstan", "--as-of", "2025-12-31")
    met = [c for c in claims(data, "meetings") if c["value"]["year"] == 2025]
    assert len(met) == 1 and "have met twice in 2025 so far" in met[0]["sentence"]


# --- a user's own store, built through the CLI -----------------------------------------------

HEADER = """\
schema = 1

[countries.norway]
name = "Norway"
iso = "NO"

[countries.chile]
name = "Chile"
iso = "CL"

[actors.anna-berg]
name = "Anna Berg"
country = "norway"

[actors.luis-soto]
name = "Luis Soto"
country = "chile"
"""

#: (date, title, options) of each event added.
EVENTS: list[tuple[str, str, list[str]]] = [
    ("1995-03-10", "Norway and Chile establish relations", ["-k", "relations-established"]),
    ("2010-05-02", "Strategic partnership", ["-k", "partnership",
     "--level", "strategic partnership"]),
    ("2016-04-10/2016-04-12", "Berg's state visit to Chile", ["-k", "state-visit",
     "-a", "anna-berg", "-a", "luis-soto", "--host", "chile", "--place", "Santiago"]),
    ("2018-01-15", "Treaty of friendship", ["-k", "treaty", "--place", "Oslo"]),
    ("2019-08-01", "Berg stops in Valparaíso", ["-k", "visit", "-a", "anna-berg",
     "--host", "chile", "--place", "Valparaíso"]),
    ("2020-06-01", "Enhanced partnership", ["-k", "partnership",
     "--level", "enhanced strategic partnership"]),
    ("2024-02-14", "Soto's official visit to Norway", ["-k", "official-visit",
     "-a", "luis-soto", "-a", "anna-berg", "--host", "norway", "--place", "Oslo"]),
    ("2024-02-15", "Berg and Soto hold talks", ["-k", "talks", "-a", "anna-berg",
     "-a", "luis-soto", "--place", "Bergen"]),
    ("2024-09-03", "Berg meets Soto at a conference", ["-k", "meeting", "-a", "anna-berg",
     "-a", "luis-soto", "--place", "Lima"]),
    ("2024-09-03", "Joint statement on the *ocean* [pact](x) <b>", ["-k", "joint-statement",
     "--place", "Lima"]),
    ("2024-11-20", "A summit both attend", ["-k", "summit", "-a", "anna-berg",
     "-a", "luis-soto"]),
    ("2025-01-10", "Berg and Soto speak by phone", ["-k", "phone-call", "-a", "anna-berg",
     "-a", "luis-soto"]),
    ("2026-03-02/2026-03-04", "Berg's state visit to Chile", ["-k", "state-visit",
     "-a", "anna-berg", "--host", "chile", "--status", "announced",
     "--announced", "2025-05-20"]),
]  # fmt: skip


@pytest.fixture
def own(tmp_path: Path) -> Path:
    path = tmp_path / "mine.toml"
    path.write_text(HEADER, encoding="utf-8")
    for day, title, options in EVENTS:
        ran = invoke("--store", str(path), "add", day, title, "-c", "norway", "-c", "chile",
                     *options, "--source", f"https://news.example/{day[:10]}")  # fmt: skip
        assert ran.code == 0, (title, ran.err)
    return path


def test_own_store_claim_by_claim(own: Path) -> None:
    ran = invoke("--store", str(own), "brief", "chile", "--as-of", "2025-06-01", "-f", "json")
    assert ran.code == 0, ran.err
    data = json.loads(ran.out)
    assert data["relationship"] == ["norway", "chile"]  # ties: the store's order

    rel = one(data, "relations")
    assert rel["value"] == {"established": "1995-03-10", "years": 30}
    assert rel["sources"][0]["url"] == "https://news.example/1995-03-10"

    level = one(data, "partnership")
    assert level["value"] == {
        "level": "enhanced strategic partnership",
        "since": "2020-06-01",
        "previous": {"level": "strategic partnership", "since": "2010-05-02"},
    }
    assert (
        "Relations have been an enhanced strategic partnership since 1 Jun 2020"
        in (level["sentence"])
    )

    (met,) = claims(data, "meetings")  # 2024: the Oslo trip (visit and talks) and Lima
    assert met["value"]["year"] == 2024 and met["value"]["count"] == 2
    assert [m["places"] for m in met["value"]["meetings"]] == [["Oslo", "Bergen"], ["Lima"]]
    assert met["sentence"] == (
        "Anna Berg and Luis Soto met twice in 2024: in Oslo and Bergen (14–15 Feb 2024) "
        "and in Lima (3 Sep 2024)."
    )

    visit = one(data, "upcoming-visit")
    assert visit["value"]["visitor"] == "anna-berg" and visit["value"]["host"] == "chile"
    assert (visit["value"]["number"], visit["value"]["state_number"]) == (3, 2)
    assert visit["value"]["gap_years"] == 6 and visit["value"]["previous"] == "2019-08-01"
    assert visit["sentence"] == (
        "Anna Berg's third visit to Chile, a state visit, is due on 2–4 Mar 2026 "
        "(the second counting state visits only), the first in six years."
    )

    last = {c["value"]["visitor"]: c["sentence"] for c in claims(data, "last-visit")}
    assert last == {
        "anna-berg": "Anna Berg last visited Chile on 1 Aug 2019.",
        "luis-soto": "Luis Soto last visited Norway on 14 Feb 2024 (an official visit).",
    }
    statement = one(data, "joint-statement")
    assert statement["value"]["title"] == "Joint statement on the *ocean* [pact](x) <b>"
    assert one(data, "treaty")["value"]["date"] == "2018-01-15"


def test_own_store_leaves_out_what_it_cannot_support(own: Path) -> None:
    # before the visit was announced, and before any relations or partnership existed
    ran = invoke("--store", str(own), "brief", "norway", "--as-of", "1994-01-01", "-f", "json")
    data = json.loads(ran.out)
    assert data["claims"] == [] and data["references"] == []
    text = invoke("--store", str(own), "brief", "norway", "--as-of", "1994-01-01").out
    assert "records no figure" in text
    ran = invoke("--store", str(own), "brief", "norway", "--as-of", "2025-05-01", "-f", "json")
    assert claims(json.loads(ran.out), "upcoming-visit") == []  # announced 2025-05-20


def test_own_store_a_series_held_in_part_gets_no_ordinal(own: Path) -> None:
    ran = invoke("--store", str(own), "add", "2026-05-01", "Soto to visit Norway", "-c", "chile",
                 "-c", "norway", "-k", "visit", "-a", "luis-soto", "--host", "norway",
                 "--status", "announced", "--announced", "2025-05-25",
                 "--tag", "visits-not-all-recorded",
                 "--source", "https://news.example/s")  # fmt: skip
    assert ran.code == 0, ran.err
    ran = invoke("--store", str(own), "brief", "chile", "--as-of", "2025-06-01", "-f", "json")
    soto = [c for c in claims(json.loads(ran.out), "upcoming-visit")
            if c["value"]["visitor"] == "luis-soto"]  # fmt: skip
    assert len(soto) == 1
    assert soto[0]["sentence"] == "Luis Soto is due to visit Norway on 1 May 2026."
    assert "number" not in soto[0]["value"] and soto[0]["ids"] == [
        "2026-05-01-soto-to-visit-norway"
    ]


def test_markdown_footnotes_read_back_by_a_parser(own: Path) -> None:
    markdown_it = pytest.importorskip("markdown_it", reason="markdown-it-py is not installed")
    footnote = pytest.importorskip("mdit_py_plugins.footnote", reason="mdit-py-plugins missing")
    ran = invoke("--store", str(own), "brief", "chile", "--as-of", "2025-06-01", "-f", "md")
    assert ran.code == 0, ran.err
    md = markdown_it.MarkdownIt("commonmark").use(footnote.footnote_plugin)
    html = md.render(ran.out)
    # store text stays text: no emphasis, link or raw tag from the joint statement's title
    assert "<em>" not in html and '<a href="x"' not in html and "<b>" not in html
    assert "*ocean* [pact](x) &lt;b&gt;" in html
    # every footnote reference resolves to a footnote, one per cited event
    tokens = md.parse(ran.out)
    refs = {t.meta["id"] for t in _walk(tokens) if t.type == "footnote_ref"}
    notes = [t for t in _walk(tokens) if t.type == "footnote_open"]
    data = json.loads(
        invoke("--store", str(own), "brief", "chile", "--as-of", "2025-06-01", "-f", "json").out
    )
    assert len(notes) == len(data["references"]) == len(refs) > 5
    assert "https://news.example/2024-09-03" in html  # sources linked


def _walk(tokens: list[Any]) -> list[Any]:
    out = []
    for t in tokens:
        out.append(t)
        out += _walk(t.children or [])
    return out


def test_narrow_and_piped_text(own: Path) -> None:
    ran = run("--store", str(own), "brief", "chile", "--as-of", "2025-06-01", "--width", "40")
    assert ran.code == 0, ran.err
    for line in ran.out.splitlines():
        assert cell_len(line) <= 40 or " " not in line.strip(), line
    assert "\x1b" not in ran.out


# --- bad subjects ----------------------------------------------------------------------------


def test_unknown_subject_exit_3_with_nearest_names(store: Path) -> None:
    before = sha(store)
    ran = run("--store", str(store), "brief", "kazakstan")
    assert_one_line_error(ran, 3, "unknown subject", "did you mean", "kazakhstan")
    assert ran.out == ""
    assert_one_line_error(run("--store", str(store), "brief", "china/kazakstan"), 2, "kazakhstan")
    assert sha(store) == before


def test_a_tag_a_person_or_an_ambiguous_country_is_exit_2_with_a_hint() -> None:
    assert_one_line_error(run("brief", "sco"), 2, "tag", "not a relationship", "A/B")
    assert_one_line_error(invoke("brief", "tokayev"), 2, "actor", "name a country")
    assert_one_line_error(invoke("brief", "china"), 2, "china/kazakhstan", "china/tajikistan")
    assert_one_line_error(invoke("brief", "kz/kz"), 2, "twice")


def test_a_pair_in_either_order() -> None:
    a = brief_json("china/kazakhstan", "--as-of", "2024-07-01")
    b = brief_json("KZ/prc", "--as-of", "2024-07-01")
    c = brief_json("kazakhstan", "--as-of", "2024-07-01")
    assert a == b == c


# --- pieces ----------------------------------------------------------------------------------


@settings(deadline=None)
@given(st.lists(st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zs", "Zl", "Zp")),
                        min_size=1, max_size=30), max_size=40),
       st.integers(10, 100))  # fmt: skip
def test_wrap_keeps_every_word_in_order_within_the_width(words: list[str], width: int) -> None:
    words = [w for w in words if w.split() == [w]]
    lines = wrap(" ".join(words), width, "  ")
    assert " ".join(lines).split() == words
    for i, line in enumerate(lines):
        if i:
            assert line.startswith("  ")
        assert cell_len(line) <= width or len(line.split()) == 1


@settings(deadline=None)  # a shared machine: a markdown-it render can take a while
@given(st.text(max_size=60))
def test_md_escape_reads_back_as_the_same_text(text: str) -> None:
    markdown_it = pytest.importorskip("markdown_it", reason="markdown-it-py is not installed")
    rendered = markdown_it.MarkdownIt("commonmark").render(md_escape(text)).strip()
    inner = rendered.removeprefix("<p>").removesuffix("</p>")
    assert "<" not in inner  # no element, link or raw HTML made from the text
    assert html.unescape(inner) == " ".join(clean_cell(text).split())


@st.composite
def visit_days(draw: st.DrawFn) -> tuple[list[date], date]:
    days = draw(st.lists(st.dates(date(1990, 1, 1), date(2030, 12, 31)), min_size=1,
                         max_size=8, unique=True))  # fmt: skip
    return sorted(days), draw(st.dates(date(1990, 1, 1), date(2030, 12, 31)))


@settings(deadline=None)
@given(visit_days())
def test_visit_claims_against_counting_by_hand(drawn: tuple[list[date], date]) -> None:
    """Any series of one-day state visits of A's leader to B, and any day: the last visit and
    every announced one, numbered and gapped as counted here by hand."""
    days, as_of = drawn
    store = Store(
        countries={"a": Country("a", "Aland"), "b": Country("b", "Bland")},
        actors={"x": Actor("x", "Xan", country="a"), "y": Actor("y", "Yul", country="b")},
        events=tuple(
            Event(
                f"v{i}",
                EDate(DatePoint(d.year, d.month, d.day)),
                "state-visit",
                f"Visit {i}",
                ("a", "b"),
                ("x",),
                host="b",
            )
            for i, d in enumerate(days)
        ),
    )
    got = briefing.brief(store, ("a", "b"), as_of)
    held = [d for d in days if d <= as_of]
    last = [c for c in got.claims if c.kind == "last-visit"]
    assert [c.value["date"] for c in last] == ([held[-1].isoformat()] if held else [])
    upcoming = [c for c in got.claims if c.kind == "upcoming-visit"]
    assert [c.value["date"] for c in upcoming] == [d.isoformat() for d in days if d > as_of]
    for claim in upcoming:
        n = days.index(date.fromisoformat(str(claim.value["date"])))
        assert claim.value["number"] == claim.value["state_number"] == n + 1
        assert f"Xan's {briefing.ordinal_word(n + 1)} visit to Bland" in claim.sentence
        gap = None
        if n:
            before, this = days[n - 1], days[n]
            months = (this.year - before.year) * 12 + this.month - before.month
            months -= this.day < before.day
            gap = months // 12 if months >= 24 else None
        assert claim.value["gap_years"] == gap
        assert ("the first in" in claim.sentence) == (gap is not None)
    for claim in got.claims:
        assert [got.number(i) for i in claim.ids] == [
            [ev.id for ev in got.references].index(i) + 1 for i in claim.ids
        ]
