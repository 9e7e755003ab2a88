"""`query --search` with a needle too short for the trigram index (matched in Python after
the SQL), written as JSON (found by mutation testing of store/select.py, docs/mutation.md)."""

from __future__ import annotations

import json
from pathlib import Path

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
