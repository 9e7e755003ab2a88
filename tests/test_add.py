"""`add`: one event appended as a new block; ids, defaults, checks, dry run, round trip."""

from __future__ import annotations

import json
from pathlib import Path

import tomli
import tomlkit
from conftest import BUNDLED_EVENTS, assert_one_line_error, invoke, run, sha
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dtimeline.dates import parse_edtf
from dtimeline.model import Event, Source
from dtimeline.serialize import event_to_dict
from dtimeline.store import load_store, user_store_path
from dtimeline.store.write import append_events

ODD_TAIL = "\n\n   # a comment with   odd spacing\n\t\n#last line, no newline"


def event_of(path: Path, event_id: str) -> Event:
    ev = load_store(path).event(event_id)
    assert ev is not None, event_id
    return ev


def test_add_prints_the_id_alone_and_says_how_the_date_was_read(store: Path) -> None:
    ran = invoke(
        "--store",
        str(store),
        "add",
        "May 2023",
        "Xi and Tokayev talk",
        "-c",
        "KZ",
        "-c",
        "prc",
        "-k",
        "talks",
        "-a",
        "tokayev",
        "--source",
        "Xinhua",
    )
    assert ran.code == 0, ran.err
    assert ran.out == "2023-05-xi-and-tokayev-talk\n"
    assert 'dtimeline: "May 2023" -> 2023-05, month precision' in ran.err
    ev = event_of(store, "2023-05-xi-and-tokayev-talk")
    assert ev.countries == ("kazakhstan", "china")  # ISO code and alias resolved
    assert ev.actors == ("kassym-jomart-tokayev",)
    assert ev.status == "held"
    assert ev.sources == (Source(publisher="Xinhua"),)


def test_add_keeps_every_existing_byte(store: Path) -> None:
    store.write_bytes(store.read_bytes() + ODD_TAIL.encode())
    before = store.read_bytes()
    ran = run("--store", str(store), "add", "2025-02-03", "Talks", "-c", "china", "-c", "kz")
    assert ran.code == 0, ran.err
    after = store.read_bytes()
    assert after.startswith(before)
    assert after[len(before) :].startswith(b"\n\n[[events]]\n")  # newline added, not changed
    assert run("--store", str(store), "check").code == 0


def test_ids_are_made_unique_and_readable(store: Path) -> None:
    ids = [
        invoke("--store", str(store), "add", "2025-03-04", "Ça va: Grüße!", "-c", "china").out
        for _ in range(3)
    ]
    assert ids == [
        "2025-03-04-ca-va-grusse\n",
        "2025-03-04-ca-va-grusse-2\n",
        "2025-03-04-ca-va-grusse-3\n",
    ]
    long_id = invoke("--store", str(store), "add", "2025", "word " * 40, "-c", "china").out
    assert long_id.startswith("2025-word-word") and len(long_id.strip()) <= len("2025-") + 50


def test_given_id_that_exists_is_a_conflict(store: Path) -> None:
    before = sha(store)
    ran = invoke(
        "--store",
        str(store),
        "add",
        "2025",
        "x",
        "-c",
        "china",
        "--id",
        "1992-01-03-china-kazakhstan-relations",
    )
    assert_one_line_error(ran, 5, "exists already")
    assert sha(store) == before


def test_likely_duplicate_is_warned_about_but_added(store: Path) -> None:
    first = invoke("--store", str(store), "add", "2025-05-01", "A", "-c", "china", "-c", "kz")
    second = invoke("--store", str(store), "add", "May 2025", "B", "-c", "kz", "-c", "china")
    assert second.code == 0
    assert f"looks like {first.out.strip()}" in second.err
    assert len(load_store(store).events) == BUNDLED_EVENTS + 2


def test_defaults_status_by_date_and_source_urls(store: Path) -> None:
    out = invoke(
        "--store",
        str(store),
        "add",
        "tomorrow",
        "Visit",
        "-c",
        "china",
        "-c",
        "kz",
        "-k",
        "state-visit",
        "--host",
        "kazakhstan",
        "-a",
        "xi",
        "--source",
        "https://www.gov.kz/en/news/1?x=2",
        "--announced",
        "today",
    )
    ev = event_of(store, out.out.strip())
    assert ev.status == "announced"
    assert ev.kind == "state-visit" and ev.host == "kazakhstan"
    assert ev.announced == parse_edtf("2026-11-27")
    assert ev.sources == (Source(publisher="gov.kz", url="https://www.gov.kz/en/news/1?x=2"),)
    plain = invoke("--store", str(store), "add", "2020", "Old", "-c", "china")
    assert event_of(store, plain.out.strip()).kind == "other"


def test_dry_run_prints_toml_and_writes_nothing(store: Path) -> None:
    before = sha(store)
    ran = invoke("--store", str(store), "add", "2025-01-02", 'Say "hi"', "-c", "china", "--dry-run")
    assert ran.code == 0
    doc = tomli.loads(ran.out)
    assert doc["events"][0]["title"] == 'Say "hi"'
    assert doc["events"][0]["id"] == "2025-01-02-say-hi"
    assert sha(store) == before


def test_visit_needs_a_host(store: Path) -> None:
    before = sha(store)
    ran = invoke("--store", str(store), "add", "2025", "x", "-c", "china", "-k", "visit")
    assert_one_line_error(ran, 2, "host")
    assert sha(store) == before


def test_bad_input_leaves_the_store_unchanged(store: Path) -> None:
    before = sha(store)
    cases = [
        (["add", "someday", "x", "-c", "china"], 2, "someday"),
        (["add", "2025", "x", "-c", "narnia"], 2, "unknown country 'narnia'"),
        (["add", "2025", "  ", "-c", "china"], 2, "title is empty"),
        (["add", "2025", "x\x00y", "-c", "china"], 2, "NUL"),
        (["add", "2025", "x", "-c", "china", "-k", "talkz"], 2, "did you mean"),
        (["add", "2025", "x", "-c", "china", "--id", "bad id"], 2, "bad id"),
        (["add", "2025", "x"], 2, "country"),
    ]
    for args, code, needle in cases:
        assert_one_line_error(invoke("--store", str(store), *args), code, needle)
    assert sha(store) == before


def test_store_that_does_not_parse_is_left_alone(store: Path) -> None:
    store.write_bytes(store.read_bytes() + b"\n[[events]\n")
    before = sha(store)
    ran = run("--store", str(store), "add", "2025", "x", "-c", "china")
    assert_one_line_error(ran, 4, "TOML")
    assert sha(store) == before


def test_first_write_copies_the_bundled_timeline(bundled: Path) -> None:
    dest = user_store_path()
    assert not dest.exists()
    ran = run("add", "2025-06-01", "First own event", "-c", "china")
    assert ran.code == 0, ran.err
    assert "copied the bundled timeline" in ran.err and str(dest) in ran.err
    assert dest.read_bytes().startswith(bundled.read_bytes())
    again = run("add", "2025-06-02", "Second", "-c", "china")
    assert "copied" not in again.err
    assert len(load_store(dest).events) == BUNDLED_EVENTS + 2


# --- round trip -------------------------------------------------------------------------

TEXT = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40
)
TRICKY = st.sampled_from(
    [
        '"',
        "\\",
        "\n",
        "\r\n",
        "[[events]]",
        "[bold red]x[/]",
        "\x1b[31m",
        "'''",
        '"""',
        "\t",
        "\x7f",
        "\u2028",
        "# not a comment",
        "é",
        "🎉",
    ]
)
FIELD = st.lists(st.one_of(TEXT, TRICKY), max_size=4).map("".join)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(title=FIELD.filter(str.strip), summary=FIELD, place=FIELD, tag=FIELD, pub=FIELD)
def test_round_trip_of_arbitrary_text(
    store: Path, title: str, summary: str, place: str, tag: str, pub: str
) -> None:
    base = load_store(store)
    ev = Event(
        id=f"rt-{len(base.events)}",
        date=parse_edtf("2025-02-03"),
        kind="other",
        title=title,
        countries=("china",),
        place=place,
        summary=summary,
        tags=(tag,) if tag else (),
        sources=(Source(publisher=pub or "p", title=summary, note=title),),
    )
    append_events(store, lambda s: [ev], lambda e: "add", 10.0)
    text = store.read_text("utf-8")
    tomli.loads(text)
    tomlkit.parse(text)
    assert event_to_dict(event_of(store, ev.id)) == event_to_dict(ev)


def test_round_trip_through_the_cli(store: Path) -> None:
    title = 'He said "[[events]]" \\o/ [red]x[/red]\nsecond line\ttab \x1b[1m'
    ran = invoke(
        "--store",
        str(store),
        "add",
        "2025-07-08",
        title,
        "-c",
        "china",
        "--summary",
        "'''\"\"\"",
        "--place",
        "Xi'an",
    )
    assert ran.code == 0, ran.err
    out = run("--store", str(store), "query", "-s", "second line", "--format", "json")
    got = json.loads(out.out)
    assert [e["title"] for e in got] == [title]
    assert got[0]["summary"] == "'''\"\"\"" and got[0]["place"] == "Xi'an"
