"""`show ID` (one event in full) and `show --long` (summaries and sources in the timeline),
through the installed program."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import assert_one_line_error, run

from dtimeline.store.locate import bundled_path

TERMINAL = {"TTY_COMPATIBLE": "1", "TERM": "xterm-256color"}
ANSI = re.compile(r"\x1b\[[0-9;]*m")
VISIT = "2024-07-02-xi-state-visit-kazakhstan"


def label(out: str, name: str) -> str:
    """The value on the line labelled ``name``."""
    for line in out.splitlines():
        if line.startswith(name + " "):
            return line[len(name) :].strip()
    raise AssertionError(f"no {name} line in:\n{out}")


def test_one_event_in_full() -> None:
    ran = run("show", VISIT, "--width", "200")
    assert ran.code == 0 and ran.err == ""
    out = ran.out
    first, second = out.splitlines()[:2]
    assert first == VISIT
    assert second == "Xi Jinping's state visit to Kazakhstan"
    assert label(out, "date").startswith("2–4 Jul 2024")
    assert "2024-07-02/2024-07-04, day precision" in label(out, "date")
    assert label(out, "kind") == "state-visit"
    assert label(out, "status") == "held; announced 30 Jun 2024"
    assert label(out, "countries") == "China, Kazakhstan"
    assert label(out, "people") == "Xi Jinping, Kassym-Jomart Tokayev"
    assert label(out, "host") == "Kazakhstan"
    assert label(out, "place") == "Astana"
    assert label(out, "tags") == "sco, belt-and-road"
    assert label(out, "visit").startswith("Xi Jinping's 5th visit to Kazakhstan, 4th state visit")
    assert "previous visit 14 Sep 2022" in label(out, "visit")
    assert label(out, "summary").startswith("Xi Jinping paid a state visit")
    assert label(out, "sources").startswith("1. Xinhua, “Joint Statement")
    assert "3. People's Daily (Xinhua)" in out
    assert "http://en.people.cn/n3/2024/0702/c90000-20187987.html" in out
    assert "Gives the visit as 2 to 4 July 2024." in out


def test_where_it_lives_is_the_events_table() -> None:
    where = label(run("show", VISIT, "--width", "300").out, "in")
    path, line = where.rsplit(":", 1)
    assert Path(path) == bundled_path()
    lines = bundled_path().read_text(encoding="utf-8").splitlines()
    n = int(line)
    assert lines[n - 1].strip() == "[[events]]"
    assert lines[n].strip() == f'id = "{VISIT}"'


@pytest.mark.parametrize("width", [40, 80])
def test_fits_the_width_on_a_terminal_and_in_a_pipe(width: int) -> None:
    for env in (None, TERMINAL):
        ran = run("show", VISIT, "--width", str(width), env=env)
        assert ran.code == 0
        assert ("\x1b[" in ran.out) == (env is not None)
        assert all(len(ANSI.sub("", line)) <= width for line in ran.out.splitlines())
        assert "c90000-20187987" in ANSI.sub("", ran.out).replace("\n", "").replace(" ", "")


def test_as_of_gives_the_status_and_facts_of_that_day() -> None:
    out = run("show", VISIT, "--as-of", "2024-07-01", "--width", "200").out
    assert label(out, "status").startswith("announced (stored: held)")
    assert "in 1 day" in label(out, "date")


def test_store_text_is_inert(store: Path) -> None:
    with store.open("a", encoding="utf-8") as fh:
        fh.write(
            '\n[[events]]\nid = "2025-02-02-odd"\ndate = "2025-02-02"\nkind = "other"\n'
            'title = "[bold red]x\\u001b[31mred"\ncountries = ["china", "kazakhstan"]\n'
            '[[events.sources]]\npublisher = "P\\u0007"\nurl = "http://e/[link]"\n'
        )
    for env in (None, TERMINAL):
        ran = run("--store", str(store), "show", "2025-02-02-odd", "--width", "400", env=env)
        assert ran.code == 0
        assert "[bold red]x\\x1b[31mred" in ran.out
        assert "P\\x07" in ran.out and "http://e/[link]" in ran.out
        assert "\x07" not in ran.out and "\x1b[31m" not in ran.out
        assert f"{store}:" in "".join(line.strip() for line in ran.out.splitlines())


def test_an_event_without_sources_says_so(store: Path) -> None:
    with store.open("a", encoding="utf-8") as fh:
        fh.write(
            '\n[[events]]\nid = "2025-02-02-bare"\ndate = "2025"\nkind = "other"\n'
            'title = "Bare"\ncountries = ["china", "kazakhstan"]\n'
        )
    out = run("--store", str(store), "show", "2025-02-02-bare").out
    assert label(out, "sources").startswith("none")
    assert "year precision" in label(out, "date")


def test_unknown_ids_and_svg() -> None:
    assert_one_line_error(run("show", "2024-07-02-nothing"), 3, "unknown subject")
    assert_one_line_error(run("show", VISIT, "--format", "svg"), 2, "svg")


def test_long_timeline_has_summaries_and_sources() -> None:
    short = run("show", "tajikistan", "--since", "2024-07-05").out
    long = run("show", "tajikistan", "--since", "2024-07-05", "--long").out
    assert "issued a joint statement raising relations" not in short
    assert "issued a joint statement raising relations" in long
    assert "source: People's Daily (Xinhua)" in long
    assert "http://en.people.cn/n3/2024/0706/c90000-20190573.html" in long
    assert run("show", "tajikistan", "-l", "--since", "2024-07-05").out == long
