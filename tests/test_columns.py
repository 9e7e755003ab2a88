"""Ids and slugs on screen: the query table starts with the id at every width, columns give
way keeping id, date and title, and the countries and actors tables never cut a slug."""

from __future__ import annotations

import itertools
import json
import re

import pytest
from conftest import run
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from dtimeline.render.columns import GAP, fit_columns

TERMINAL = {"TTY_COMPATIBLE": "1", "TERM": "xterm-256color"}
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def ids(*args: str) -> list[str]:
    return run("query", *args, "--format", "ids").out.split()


@pytest.mark.parametrize("width", [40, 64, 80, 120, 160, 240])
def test_query_table_shows_every_id_whole_first(width: int) -> None:
    ran = run("query", "-f", "table", "--width", str(width), env=TERMINAL)
    assert ran.code == 0
    lines = [ANSI.sub("", line) for line in ran.out.splitlines()]
    assert all(cell_len(line) <= width for line in lines)
    starts = [line.split()[0] for line in lines if line and not line.startswith(" ")]
    every = ids()
    if width >= 66:  # the longest bundled id fits: every id starts a line, whole
        assert [s for s in starts if s != "id"] == every
    for event_id in every:
        assert event_id in ran.out or width < len(event_id)


def test_columns_give_way_in_order() -> None:
    def header(width: int) -> list[str]:
        return run("query", "-f", "table", "--width", str(width)).out.splitlines()[0].split()

    assert header(250) == ["id", "date", "kind", "title", "countries", "place", "status"]
    narrower = [header(w) for w in (200, 150, 120, 100)]
    for cols in narrower:
        if cols[0] == "id":
            assert cols[:2] == ["id", "date"] and "title" in cols
    # what goes first: place, then countries, then kind, then status
    seen = [set(h) for h in narrower if h[0] == "id"]
    for wide, narrow in itertools.pairwise(seen):
        assert narrow <= wide


def test_narrow_screen_stacks_id_over_date_and_title() -> None:
    out = run("query", "-c", "tj", "-f", "table", "--width", "70").out.splitlines()
    assert out[0] == "1992-01-04-china-tajikistan-relations"
    assert out[1].startswith("  4 Jan 1992 · China and Tajikistan")


@pytest.mark.parametrize("columns", [24, 30, 40, 60, 80, 120])
@pytest.mark.parametrize("what", ["countries", "actors"])
def test_slugs_are_never_cut(what: str, columns: int) -> None:
    slugs = [r["slug"] for r in json.loads(run(what, "--format", "json").out)]
    ran = run(what, "--format", "table", env={**TERMINAL, "COLUMNS": str(columns)})
    assert ran.code == 0
    lines = [ANSI.sub("", line) for line in ran.out.splitlines()]
    assert all(cell_len(line) <= columns for line in lines)
    firsts = [line.split()[0] for line in lines if line and not line.startswith(" ")]
    assert [f for f in firsts if f != "slug"] == slugs


words = st.text(alphabet="ab长 -", min_size=0, max_size=30)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(words, words, words, words), min_size=1, max_size=6),
       st.integers(10, 120))  # fmt: skip
def test_fit_columns_never_cuts_and_never_overflows(
    rows: list[tuple[str, str, str, str]], width: int
) -> None:
    order = ("key", "text", "more", "note")
    cells = [dict(zip(order, row, strict=True)) for row in rows]
    layout = fit_columns(cells, order, ("key", "text"), ("note", "more"), ("text", "note"),
                         width)  # fmt: skip
    if layout is None:
        return
    assert list(layout) == [name for name in order if name in layout]
    assert {"key", "text"} <= set(layout)
    assert sum(layout.values()) + GAP * (len(layout) - 1) <= width
    for name, size in layout.items():
        for row in cells:
            if name in ("text", "note"):
                assert all(cell_len(w) <= size for w in row[name].split())
            else:
                assert cell_len(row[name]) <= size
