"""The names shell completion offers (store/names.py), asked of the core's public function
on small stores (cases found by mutation testing, docs/mutation.md): every name of a
store, and empty lists, never an error, for a store that cannot be read."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

import dtimeline.store
from dtimeline.model import KINDS as BUILT_IN
from dtimeline.store.names import names

STORE = """schema = 1

[kinds]
forum = "A multilateral forum"

[countries.china]
name = "China"

[countries.kazakhstan]
name = "Kazakhstan"

[actors.xi-jinping]
name = "Xi Jinping"
country = "china"

[[events]]
id = "2024-07-03-forum"
date = "2024-07-03"
kind = "forum"
title = "SCO forum"
countries = ["china", "kazakhstan"]
tags = ["sco", "astana"]

[[events]]
id = "2024-07-02-talks"
date = "2024-07-02"
kind = "talks"
title = "Talks"
countries = ["china"]
tags = ["astana"]
"""

EMPTY = {"countries": [], "actors": [], "tags": [], "kinds": [], "ids": []}


def test_every_name_of_a_small_store(tmp_path: Path) -> None:
    path = tmp_path / "events.toml"
    path.write_text(STORE, "utf-8")
    assert names(path) == {
        "countries": ["china", "kazakhstan"],
        "actors": ["xi-jinping"],
        "tags": ["astana", "sco"],
        "kinds": [*BUILT_IN, "forum"],
        "ids": ["2024-07-03-forum", "2024-07-02-talks"],  # file order
    }
    assert names(path, "2024-07-02")["ids"] == ["2024-07-02-talks"]
    assert names(path, "2025")["ids"] == []


@pytest.mark.parametrize("case", ["missing", "folder", "not toml", "invalid", "under a file"])
def test_a_store_that_cannot_be_read_has_no_names_and_raises_nothing(
    tmp_path: Path, case: str
) -> None:
    path = tmp_path / "events.toml"
    if case == "folder":
        path.mkdir()
    elif case == "not toml":
        path.write_text("not [ toml", "utf-8")
    elif case == "invalid":
        path.write_text(STORE.replace('country = "china"', 'country = "atlantis"'), "utf-8")
    elif case == "under a file":
        path.write_text(STORE, "utf-8")
        path = path / "events.toml"
    assert names(path) == EMPTY
    assert names(path, "2024") == EMPTY


@pytest.mark.parametrize(
    "error", [OSError(5, "Input/output error"), sqlite3.DatabaseError("file is not a database")]
)
def test_an_index_that_fails_under_the_read_gives_no_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: Exception
) -> None:
    """The index's file failing as it is read (a disk error, a damaged database): empty
    lists still, since completion never prints an error into a shell prompt."""
    path = tmp_path / "events.toml"
    path.write_text(STORE, "utf-8")

    def failing(_path: Path) -> object:
        raise error

    monkeypatch.setattr(dtimeline.store, "open_index", failing)
    assert names(path) == EMPTY
