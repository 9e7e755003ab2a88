"""`export --format sqlite` as a file (store/dbexport.py): the documented `meta` rows, the
umask's permissions, an old database replaced whole, and a failed write that leaves the
folder as it was. Cases found by mutation testing (docs/mutation.md)."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from conftest import run

STORE = """schema = 1

[countries.china]
name = "China"

[[events]]
id = "a"
date = "2024-07-02/2024-07-04"
kind = "talks"
title = "Talks in Astana"
countries = ["china"]
"""


def export(store: Path, dest: Path) -> tuple[int, str, str]:
    ran = run("--store", str(store), "export", "--format", "sqlite", "-o", str(dest))
    return ran.code, ran.out, ran.err


def test_the_database_has_its_documented_meta_and_the_umasks_permissions(
    tmp_path: Path, umask: int
) -> None:
    store = tmp_path / "events.toml"
    store.write_text(STORE, "utf-8")
    out = tmp_path / "out"
    out.mkdir()
    db = out / "timeline.db"
    code, stdout, _ = export(store, db)
    assert (code, stdout) == (0, "")
    assert db.stat().st_mode & 0o777 == {0o022: 0o644, 0o027: 0o640}[umask]  # 0o666 less the umask
    assert os.listdir(out) == ["timeline.db"]  # no temporary file left
    with sqlite3.connect(db) as conn:
        meta = dict(conn.execute("SELECT name, value FROM meta"))
        got = list(conn.execute("SELECT id, earliest, latest FROM events"))
        indexes = {n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert meta == {"format": 4, "max_span": 2.0, "schema": 1}
    assert got == [("a", "2024-07-02", "2024-07-04")]
    assert indexes  # the index's lookups are there for the reader's queries too


def test_an_existing_database_is_replaced_whole(tmp_path: Path) -> None:
    store = tmp_path / "events.toml"
    store.write_text(STORE, "utf-8")
    db = tmp_path / "timeline.db"
    db.write_bytes(b"an old file, not a database")
    assert export(store, db)[0] == 0
    with sqlite3.connect(db) as conn:
        assert [i for (i,) in conn.execute("SELECT id FROM events")] == ["a"]
    assert sorted(os.listdir(tmp_path)) == ["events.toml", "timeline.db"]


def test_a_database_that_cannot_be_put_in_place_leaves_nothing(tmp_path: Path) -> None:
    """`-o` naming a folder: the database is made, cannot replace the folder, and its
    temporary file is removed; one line says why."""
    store = tmp_path / "events.toml"
    store.write_text(STORE, "utf-8")
    folder = tmp_path / "timeline.db"
    folder.mkdir()
    code, stdout, err = export(store, folder)
    assert (code, stdout) == (6, "")
    assert err == f"dtimeline: {folder}: cannot write: Is a directory\n"
    assert sorted(os.listdir(tmp_path)) == ["events.toml", "timeline.db"]
    assert os.listdir(folder) == []


def test_a_missing_folder_is_said_whole(tmp_path: Path) -> None:
    store = tmp_path / "events.toml"
    store.write_text(STORE, "utf-8")
    dest = tmp_path / "missing" / "x.db"
    code, stdout, err = export(store, dest)
    assert (code, stdout, err) == (
        6,
        "",
        f"dtimeline: {dest}: cannot write: No such file or directory\n",
    )
