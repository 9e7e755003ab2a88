"""`query`: every filter and every format, through a real subprocess (and jq where installed),
the JSON contract, closed pipes, and store text that must stay inert data."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import BUNDLED_EVENTS, ENTRY, assert_one_line_error, invoke, run
from hypothesis import given, settings
from hypothesis import strategies as st

from dtimeline.render.formats import clean_cell, neutralise_formula
from dtimeline.serialize import JSON_FIELDS

JQ = shutil.which("jq") or ("/usr/bin/jq" if Path("/usr/bin/jq").exists() else None)

TRICKY = r"""
[[events]]
id = "2025-01-01-tricky"
date = "2025-01-01"
kind = "other"
title = "=HYPERLINK(\"x\") [bold red]x\u001b[31mred | pipe\nline\u0007"
countries = ["china", "kazakhstan"]
place = "-Astana\tTab"

[[events.sources]]
publisher = "Test"
"""


def ids(*args: str) -> list[str]:
    """Ids selected by FILTERS, in process (fast); the same filters run as a real process
    in test_every_filter_through_a_subprocess."""
    ran = invoke("query", *args, "--format", "ids")
    assert ran.code == 0, ran.err
    return ran.out.split()


@pytest.fixture
def tricky(store: Path) -> Path:
    with store.open("a", encoding="utf-8") as fh:
        fh.write(TRICKY)
    return store


# --- filters ---------------------------------------------------------------------------------


def test_no_filter_lists_everything_in_date_order() -> None:
    every = ids()
    assert len(every) == BUNDLED_EVENTS
    assert every[0] == "1992-01-03-china-kazakhstan-relations"
    assert ids("--sort", "-date") == every[::-1]
    assert ids("--limit", "2") == every[:2]
    assert ids("-n", "0") == []


def test_country_actor_kind_tag_status_filters() -> None:
    tj = json.loads(invoke("query", "--country", "TJ", "-f", "json").out)
    assert len(tj) == 28 and all("tajikistan" in o["countries"] for o in tj)
    kz = ids("-c", "kaz")
    assert len(kz) == 47
    both = ids("-c", "kaz", "-c", "tajikistan")  # any of the values
    assert set(both) == set(kz) | {o["id"] for o in tj}
    assert "2019-09-11-china-kazakhstan-permanent-partnership" in ids("-a", "tokayev")
    assert ids("-a", "tokayev", "-k", "state-visit") == [
        "2019-09-11-tokayev-state-visit-china",
        "2022-09-14-xi-state-visit-kazakhstan",
        "2023-05-17-tokayev-state-visit-china",
        "2024-07-02-xi-state-visit-kazakhstan",
    ]
    assert ids("-k", "relations-established") == [
        "1992-01-03-china-kazakhstan-relations",
        "1992-01-04-china-tajikistan-relations",
    ]
    assert ids("-t", "visa", "-k", "talks") == ["2023-05-17-xi-tokayev-talks-xian"]
    assert ids("--status", "announced") == []
    assert ids("--status", "announced", "--as-of", "2024-07-01") == [
        "2024-07-02-xi-state-visit-kazakhstan",
        "2024-07-04-sco-summit-astana",
        "2024-07-04-xi-state-visit-tajikistan",
    ]  # not the 5 July upgrade: decided at the talks, unknown on 1 July


def test_since_until_search_upcoming_past() -> None:
    year = ids("--since", "2023", "--until", "2023")
    assert len(year) == 10 and all(i.startswith("2023") for i in year)
    assert ids("--since", "May 2023", "--until", "17 May 2023") == [
        "2023-05-16-rahmon-state-visit-china",
        "2023-05-17-china-kazakhstan-joint-statement",
        "2023-05-17-china-kazakhstan-visa-exemption-agreement",
        "2023-05-17-xi-tokayev-talks-xian",
        "2023-05-17-tokayev-state-visit-china",
    ]
    assert ids("-s", "XI'AN", "-k", "summit") == ["2023-05-18-china-central-asia-summit"]
    assert "2023-05-17-xi-tokayev-talks-xian" in ids("-s", "Xi’an".replace("’", "'"))
    assert ids("-s", "nazarbayev university") == ["2013-09-07-xi-silk-road-economic-belt-speech"]
    assert ids("--upcoming") == []
    assert len(ids("--past")) == BUNDLED_EVENTS
    july = ids("--upcoming", "--as-of", "2024-07-01")
    assert july[0] == "2024-07-02-xi-state-visit-kazakhstan" and len(july) == 3
    then = ids("--as-of", "2024-07-01", "--since", "2024-06-30")
    assert "2024-06-30-xi-central-asia-trip-announced" in then
    assert "2024-07-01-foreign-ministry-briefing-preview" in then
    assert "2024-07-02-xi-state-visit-kazakhstan" not in ids("--as-of", "2024-06-29")


def test_every_filter_through_a_subprocess() -> None:
    """Each FILTER option once through the installed entry point, against the in-process
    result (which the tests above pin)."""
    for args in (
        ("-c", "kz"), ("--actor", "rahmon"), ("-k", "summit", "-k", "talks"), ("-t", "sco"),
        ("--status", "held", "--as-of", "2024-07-01"), ("--since", "17 May 2023"),
        ("--until", "1998-07"), ("-s", "TURKIYE"), ("-s", "xi'an"), ("--upcoming",),
        ("--past", "--as-of", "2024"),
    ):  # fmt: skip
        ran = run("query", *args, "-f", "ids")
        assert ran.code == 0, (args, ran.err)
        assert ran.out.split() == ids(*args), args
    assert (
        ids("--until", "1998-07")[-1]
        == "1998-07-china-kazakhstan-second-supplementary-border-agreement"
    )
    assert ids("--since", "17 May 2023")[0] == "2023-05-16-rahmon-state-visit-china"  # overlap


@pytest.mark.parametrize(
    ("args", "code", "needle"),
    [
        (("--limit", "-1"), 2, "--limit"),
        (("--country", "narnia"), 2, "narnia"),
        (("--kind", "vist"), 2, "visit"),
        (("--since", "someday"), 2, "someday"),
        (("--status", "done"), 2, "status"),
        (("--sort", "title"), 2, "--sort"),
        (("--format", "xml"), 2, "--format"),
        (("--since", "2024", "--until", "2023"), 2, "--since"),
        (("--upcoming", "--past"), 2, "exclude"),
    ],
)
def test_bad_values_are_one_line_errors(args: tuple[str, ...], code: int, needle: str) -> None:
    assert_one_line_error(run("query", *args), code, needle)


# --- formats ---------------------------------------------------------------------------------


def test_plain_is_the_default_in_a_pipe() -> None:
    ran = run("query", "-c", "tj", "-n", "1")
    assert ran.out == (
        "1992-01-04\t1992-01-04-china-tajikistan-relations\trelations-established\t"
        "China and Tajikistan establish diplomatic relations\tchina,tajikistan\t\theld\n"
    )
    assert "\x1b" not in run("query").out
    assert run("query", "-f", "plain").out == run("query").out


def test_tsv_has_a_header_row() -> None:
    lines = run("query", "-f", "tsv", "-n", "3").out.splitlines()
    assert lines[0].split("\t") == ["date", "id", "kind", "title", "countries", "place", "status"]
    assert len(lines) == 4 and all(len(line.split("\t")) == 7 for line in lines)


def test_csv_is_rfc4180_with_a_header() -> None:
    raw = run("query", "-f", "csv").out
    rows = list(csv.reader(io.StringIO(raw, newline="")))
    assert rows[0] == ["date", "id", "kind", "title", "countries", "actors", "host", "place",
                       "status", "announced", "level", "tags", "summary", "sources"]  # fmt: skip
    assert len(rows) == BUNDLED_EVENTS + 1
    assert rows[1][4] == "china,kazakhstan"
    assert raw.endswith("\r\n")


def test_json_is_an_array_with_the_pinned_contract() -> None:
    data = json.loads(run("query", "-f", "json").out)
    assert isinstance(data, list) and len(data) == BUNDLED_EVENTS
    types = {"id": str, "date": str, "start": str, "end": str, "precision": str, "kind": str,
             "title": str, "countries": list, "actors": list, "host": str, "place": str,
             "status": str, "announced": str, "level": str, "tags": list, "summary": str,
             "sources": list}  # fmt: skip
    expected = ["id", "date", "start", "end", "precision", "kind", "title", "countries",
                "actors", "host", "place", "status", "announced", "level", "tags", "summary",
                "sources"]  # fmt: skip
    assert list(JSON_FIELDS) == expected
    for obj in data:
        assert list(obj) == expected
        for key, kind in types.items():
            assert isinstance(obj[key], kind), (key, obj[key])
        assert obj["precision"] in ("year", "month", "day")
        for src in obj["sources"]:
            assert set(src) >= {"publisher", "title", "url", "date"}
            assert all(isinstance(v, str) for v in src.values())
    visit = next(o for o in data if o["id"] == "2024-07-02-xi-state-visit-kazakhstan")
    assert (visit["date"], visit["start"], visit["end"]) == (
        "2024-07-02/2024-07-04", "2024-07-02", "2024-07-04")  # fmt: skip
    assert visit["announced"] == "2024-06-30" and visit["host"] == "kazakhstan"
    month = next(o for o in data if o["id"] == "2013-09-xi-state-visit-kazakhstan")
    assert (month["precision"], month["start"], month["end"]) == ("month", "2013-09-01",
                                                                   "2013-09-30")  # fmt: skip


def test_json_status_is_as_of_the_view_day() -> None:
    data = json.loads(run("query", "-f", "json", "--as-of", "2024-07-01", "--upcoming").out)
    assert {o["status"] for o in data} == {"announced"}


def test_jsonl_is_one_object_a_line() -> None:
    lines = run("query", "-f", "jsonl").out.splitlines()
    assert len(lines) == BUNDLED_EVENTS
    assert [json.loads(line)["id"] for line in lines] == ids()


def test_md_table() -> None:
    lines = run("query", "-f", "md", "-n", "2").out.splitlines()
    assert lines[0] == "| date | id | kind | title | countries | place | status |"
    assert lines[1] == "|---|---|---|---|---|---|---|"
    assert len(lines) == 4 and lines[2].startswith("| 1992-01-03 |")


def test_table_on_a_terminal() -> None:
    ran = run("query", "-c", "kz", "--width", "180", env={"TTY_COMPATIBLE": "1"})
    assert ran.code == 0
    assert "\x1b[" in ran.out  # styled
    assert "3 Jan 1992" in ran.out and "relations-established" in ran.out
    plain = run("query", "-f", "table", "--width", "50")
    assert all(len(line) <= 50 for line in plain.out.splitlines())
    assert "Sep 2013" in plain.out  # a month-only date reads as a month


def test_in_process_and_subprocess_agree() -> None:
    assert invoke("query", "-f", "jsonl", "-c", "tj").out == run("query", "-f", "jsonl",
                                                                  "-c", "tj").out  # fmt: skip


@pytest.mark.skipif(JQ is None, reason="jq is not installed")
def test_json_through_real_jq() -> None:
    assert JQ is not None
    for fmt, program in (("json", ".[] | select(.kind == \"state-visit\") | .id"),
                         ("jsonl", "select(.kind == \"state-visit\") | .id")):  # fmt: skip
        shell = f"{ENTRY} query -c kazakhstan -f {fmt} | {JQ} -r '{program}'"
        proc = subprocess.run(["bash", "-c", shell], capture_output=True, text=True, check=False)
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.split() == [
            "2013-09-xi-state-visit-kazakhstan",
            "2014-05-19-nazarbayev-state-visit-china",
            "2017-06-07-xi-state-visit-kazakhstan",
            "2019-09-11-tokayev-state-visit-china",
            "2022-09-14-xi-state-visit-kazakhstan",
            "2023-05-17-tokayev-state-visit-china",
            "2024-07-02-xi-state-visit-kazakhstan",
        ]


# --- pipes -----------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["plain", "json", "csv"])
def test_head_closing_the_pipe_ends_quietly(fmt: str) -> None:
    shell = f"{ENTRY} query -f {fmt} | head -1; exit ${{PIPESTATUS[0]}}"
    for _ in range(2):  # the race between head exiting and our writes varies
        proc = subprocess.run(["bash", "-c", shell], capture_output=True, text=True, check=False)
        assert proc.returncode == 0, proc.stderr
        assert proc.stderr == ""
        assert len(proc.stdout.splitlines()) == 1


def test_stdout_closed_before_writing_ends_quietly(tricky: Path) -> None:
    proc = subprocess.Popen(
        [str(ENTRY), "--store", str(tricky), "query"], stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )  # fmt: skip
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    err = proc.stderr.read()
    assert proc.wait(timeout=60) == 0
    assert b"Traceback" not in err and err == b""


# --- store text is data ------------------------------------------------------------------------


def test_markup_and_escapes_in_store_text_stay_inert(tricky: Path) -> None:
    args = ("--store", str(tricky), "query", "-s", "hyperlink")
    plain = run(*args).out
    assert "\x1b" not in plain and "\x07" not in plain
    assert "[bold red]x\\x1b[31mred | pipe line\\x07" in plain
    assert plain.count("\n") == 1
    tsv = run(*args, "-f", "tsv").out.splitlines()[1].split("\t")
    assert tsv[3].startswith("'=HYPERLINK") and tsv[5] == "'-Astana\\tTab"
    rows = list(csv.reader(io.StringIO(invoke(*args, "-f", "csv").out, newline="")))
    assert rows[1][3].startswith('\'=HYPERLINK("x") [bold red]x')
    assert rows[1][7] == "'-Astana\tTab"
    md = invoke(*args, "-f", "md").out.splitlines()
    assert len(md) == 3 and "red \\| pipe line" in md[2] and "\x1b" not in md[2]
    data = json.loads(invoke(*args, "-f", "json").out)
    assert data[0]["title"] == '=HYPERLINK("x") [bold red]x\x1b[31mred | pipe\nline\x07'
    table = run(*args, "-f", "table", "--width", "200", env={"TTY_COMPATIBLE": "1"}).out
    assert "[bold red]x" in table and "\x1b[31m" not in table and "\x07" not in table


def test_clean_cell_and_formula_neutralisation() -> None:
    assert clean_cell("a\tb\nc\r\nd\x1b[0m\x7f\x9b") == "a b c d\\x1b[0m\\x7f\\x9b"
    for lead in "=+-@\t\r":
        assert neutralise_formula(lead + "1") == "'" + lead + "1"
    assert neutralise_formula("Astana") == "Astana"
    assert neutralise_formula("") == ""


@given(st.text(st.characters(blacklist_categories=["Cs"]), max_size=40))
def test_clean_cell_fast_path_agrees_with_the_patterns(text: str) -> None:
    """Printable text is returned as is; otherwise breaks become spaces, controls escapes."""
    import re

    slow = re.sub(r"\r\n|[\t\n\r\u2028\u2029\x85]", " ", text)
    slow = re.sub(
        r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", lambda m: f"\\x{ord(m.group()):02x}", slow
    )
    assert clean_cell(text) == slow


def test_json_status_is_stored_unless_as_of(bundled: Path) -> None:
    """Machine output is lossless (stored status); --as-of asks for that day's view."""
    visit = "--search=Xi Jinping's state visit to Kazakhstan"
    now = json.loads(run("query", visit, "--since", "2024", "--format", "json").out)
    then = json.loads(
        run("query", visit, "--since", "2024", "--as-of", "2024-07-01", "--format", "json").out
    )
    assert [e["status"] for e in now] == ["held"]
    assert [e["status"] for e in then] == ["announced"]


@pytest.mark.parametrize(
    ("needle", "count"),
    [("xian", 7), ("XI’AN", 7), ("Xi'an", 7), ("tokaev", 23), ("Тоқаев", 23), ("qazaqstan", 47)],
)
def test_search_ignores_case_accents_and_punctuation(needle: str, count: int) -> None:
    ran = run("query", "--search", needle, "--format", "ids")
    assert ran.code == 0, ran.err
    assert len(ran.out.split()) == count


def test_search_key() -> None:
    from dtimeline.query import search_key

    assert search_key("Xi'an, Shaanxi") == "xi an shaanxi"
    assert search_key("Türkiye–China") == "turkiye china"


def _table(events: list[object], store: object, width: int) -> str:
    from datetime import date as day

    from rich.console import Console

    from dtimeline.render.formats import write_events

    out = io.StringIO()
    console = Console(file=out, width=width, force_terminal=True, color_system="truecolor")
    write_events(events, store, "table", console, as_of=day(2026, 11, 27))  # type: ignore[arg-type]
    return out.getvalue()


@pytest.mark.parametrize("width", [40, 63, 80, 99, 140])
@pytest.mark.parametrize("chunk", [1, 4, 9])
def test_long_tables_print_in_chunks_exactly_as_one_table(
    width: int, chunk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dtimeline.render import formats
    from dtimeline.store import load_store
    from dtimeline.store.locate import bundled_path

    store = load_store(bundled_path())
    events = list(store.events)
    whole = _table(events, store, width)
    monkeypatch.setattr(formats, "TABLE_CHUNK", chunk)
    assert _table(events, store, width) == whole


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.lists(st.sampled_from(["a", "b", " ", "长", "-", "x" * 27]), max_size=12).map("".join),
        min_size=2,
        max_size=8,
    ),
    st.integers(30, 150),
)
def test_any_titles_chunk_like_one_table(titles: list[str], width: int) -> None:
    from dataclasses import replace

    from dtimeline.render import formats
    from dtimeline.store import load_store
    from dtimeline.store.locate import bundled_path

    store = load_store(bundled_path())
    events = [replace(store.events[i % 5], title=t, place=t[::-1]) for i, t in enumerate(titles)]
    whole = _table(events, store, width)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(formats, "TABLE_CHUNK", 1)
        assert _table(events, store, width) == whole


def _old_fold(text: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _old_key(text: str) -> str:
    import re

    return " ".join(re.sub(r"[^\w\s]+", " ", _old_fold(text)).split())


search_texts = st.lists(
    st.sampled_from([*"aZ é-'’.\n\tß长İﬁⅫ", "е\u0301", "x\u0308", "\u0301"]), max_size=12
).map("".join)


@settings(max_examples=200, deadline=None)
@given(search_texts, search_texts, search_texts, st.lists(search_texts, max_size=2))
def test_search_key_of_an_event_is_the_key_of_all_its_text(
    title: str, summary: str, name: str, aliases: list[str]
) -> None:
    """The key built part by part equals the key of the parts joined (the old way)."""
    from dataclasses import replace

    from dtimeline.model import Country
    from dtimeline.query import fold, search_text
    from dtimeline.store import load_store
    from dtimeline.store.locate import bundled_path

    store = load_store(bundled_path())
    country = Country("kazakhstan", name or "K", native=summary[::-1], aliases=tuple(aliases))
    store = replace(store, countries={**store.countries, "kazakhstan": country})
    event = replace(store.events[5], title=title, summary=summary, place=name)
    parts = [event.title, event.summary, event.place, event.level]
    for slug in event.countries:
        c = store.countries[slug]
        parts += [c.name, c.native, *c.aliases]
    for slug in event.actors:
        a = store.actors[slug]
        parts += [a.name, a.native, *a.aliases]
    assert search_text(event, store) == _old_key("\n".join(parts))
    assert fold(title) == _old_fold(title)
