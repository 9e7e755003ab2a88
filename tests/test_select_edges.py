"""`query --search` with a needle too short for the trigram index (matched in Python after
the SQL), written as JSON (found by mutation testing of store/select.py, docs/mutation.md)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import invoke

STORE = """schema = 1

[countries.china]
name = "China"

[[events]]
id = "a"
date = "2024-07-03"
kind = "talks"
title = "Xi holds talks in Astana"
countries = ["china"]

[[events]]
id = "b"
date = "2024-07-04"
kind = "talks"
title = "Talks in Dushanbe"
countries = ["china"]
"""


def test_a_two_letter_search_keeps_only_the_events_holding_it(tmp_path: Path) -> None:
    path = tmp_path / "events.toml"
    path.write_text(STORE, "utf-8")
    every = json.loads(invoke("--store", str(path), "query", "--format", "json").out)
    assert [e["id"] for e in every] == ["a", "b"]
    for fmt in ("json", "ids"):
        ran = invoke("--store", str(path), "query", "--search", "xi", "--format", fmt)
        assert (ran.code, ran.err) == (0, "")
        if fmt == "ids":
            assert ran.out == "a\n"
        else:
            assert json.loads(ran.out) == [every[0]]


def test_several_searches_keep_the_events_holding_any_of_them(tmp_path: Path) -> None:
    third = (
        '\n[[events]]\nid = "c"\ndate = "2024-07-05"\nkind = "talks"\n'
        'title = "Talks in Bishkek"\ncountries = ["china"]\n'
    )
    path = tmp_path / "events.toml"
    path.write_text(STORE + third, "utf-8")
    ran = invoke("--store", str(path), "query", "--search", "astana", "--search", "dushanbe",
                 "--format", "ids")  # fmt: skip
    assert (ran.code, ran.err, ran.out) == (0, "", "a\nb\n")


def test_show_id_finds_the_event_and_its_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("events.toml").write_text(STORE, "utf-8")
    ran = invoke("--store", "events.toml", "show", "b")
    assert (ran.code, ran.err) == (0, "")
    lines = ran.out.splitlines()
    assert lines[:2] == ["b", "Talks in Dushanbe"]
    assert lines[-1] == "in         events.toml:13"


def test_a_limit_counts_the_events_that_match_a_short_search(tmp_path: Path) -> None:
    """`du` is matched after the SQL (too short for trigrams): the limit applies to the
    events that hold it, not to the earlier ones that do not."""
    path = tmp_path / "events.toml"
    path.write_text(STORE, "utf-8")
    ran = invoke("--store", str(path), "query", "--search", "du", "--limit", "1",
                 "--format", "json")  # fmt: skip
    assert (ran.code, ran.err) == (0, "")
    assert [e["id"] for e in json.loads(ran.out)] == ["b"]


def test_since_the_first_days_of_year_1(tmp_path: Path) -> None:
    """The date index's range starts the longest span (here 19 days) before --since, but
    never before 1 January of year 1."""
    path = tmp_path / "events.toml"
    long = STORE.replace('date = "2024-07-03"', 'date = "2024-07-01/2024-07-20"')
    path.write_text(long, "utf-8")
    ran = invoke("--store", str(path), "query", "--since", "0001-01-02", "--format", "ids")
    assert (ran.code, ran.err, ran.out) == (0, "", "a\nb\n")
