"""The two-process build of a large store's index (store/index.py ``_build_in_two``,
store/splitbuild.py): the same database as the one-process build, the same errors, and
no false index or stray file when either process is killed."""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import temporary_indexes
from typer.testing import CliRunner

from dtimeline.cli import app
from dtimeline.store import index, rows
from dtimeline.store.memo import memo, reset

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import lean

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="no os.fork on this system")


def split(monkeypatch: pytest.MonkeyPatch, on: bool) -> None:
    monkeypatch.setattr(index, "STREAM_MIN", 0)
    monkeypatch.setattr(index, "SPLIT_MIN", 0 if on else 1 << 62)


def tables(db: Path) -> dict[str, Any]:
    """Every table of the database at ``db``, its rows sorted (``seq`` shown as the event's
    id), and what the search table finds for a few words."""
    conn = sqlite3.connect(db)
    ids = dict(conn.execute("SELECT seq, id FROM events").fetchall())
    names = [n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    got: dict[str, Any] = {}
    for name in names:
        if name.startswith("search"):
            continue  # FTS5's own tables: their pages depend on how the rows came in
        cols = [c[1] for c in conn.execute(f"PRAGMA table_info({name})")]
        found = conn.execute(f"SELECT * FROM {name}").fetchall()
        if "seq" in cols:
            at = cols.index("seq")
            found = [(*r[:at], ids[r[at]], *r[at + 1 :]) for r in found]
        if name == "meta":  # whether the file was changed within the last 2 s: the clock's
            found = [r for r in found if r[0] != "racy"]
        if name == "sqlite_stat1":
            found = [r for r in found if not str(r[0]).startswith("search")]
        got[name] = sorted(found, key=repr)
    seqs = sorted(ids)
    got["seq"] = [ids[s] for s in seqs]  # file order
    got["numbers"] = seqs
    for word in ("kazakhstan", "investment", "talks"):
        found = conn.execute(
            "SELECT rowid FROM search WHERE search MATCH ? ORDER BY rowid", (word,)
        ).fetchall()
        got[f"search {word}"] = [ids[s] for (s,) in found]
    conn.close()
    return got


def build(path: Path, monkeypatch: pytest.MonkeyPatch, on: bool) -> dict[str, Any]:
    split(monkeypatch, on)
    reset()
    db = index.db_file(path.resolve())
    db.unlink(missing_ok=True)
    index.open_index(path).close()
    assert memo.counters["split_builds" if on else "streamed_builds"] == 1
    reset()
    return tables(db)


def test_two_processes_build_the_same_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "events.toml"
    lean.write_store(3000, path)
    two = build(path, monkeypatch, True)
    one = build(path, monkeypatch, False)
    assert len(two["seq"]) == 3000
    assert two["search kazakhstan"]
    assert two == one
    assert temporary_indexes(path) == []


def query_json(path: Path, monkeypatch: pytest.MonkeyPatch, on: bool) -> tuple[int, str, str]:
    split(monkeypatch, on)
    reset()
    index.db_file(path.resolve()).unlink(missing_ok=True)
    res = CliRunner().invoke(app, ["--store", str(path), "query", "--format", "json"])
    reset()
    return res.exit_code, res.stdout, res.stderr


def test_query_json_is_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "events.toml"
    lean.write_store(1500, path)
    two = query_json(path, monkeypatch, True)
    assert two[0] == 0
    assert two[1].count('"id"') == 1500
    assert two == query_json(path, monkeypatch, False)


def spoil(path: Path, old: str, new: str) -> None:
    """Replace the last ``old`` of the store at ``path`` (in its second half) by ``new``."""
    text = path.read_text(encoding="utf-8")
    at = text.rindex(old)
    assert at > len(text) * 0.6
    path.write_text(text[:at] + new + text[at + len(old) :], encoding="utf-8")


@pytest.mark.parametrize("damage", ["date", "duplicate"])
def test_a_problem_in_the_second_half_is_reported_as_ever(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: str
) -> None:
    path = tmp_path / "events.toml"
    lean.write_store(1500, path)
    text = path.read_text(encoding="utf-8")
    if damage == "date":
        spoil(path, 'date = "', 'date = "2023-13-')
    else:  # the id of the first event again, in the second half: only the two halves see it
        first = text[text.index('id = "') : text.index("\n", text.index('id = "'))]
        last = text[text.rindex('id = "') : text.index("\n", text.rindex('id = "'))]
        spoil(path, last, first)
    split(monkeypatch, True)
    reset()
    two = CliRunner().invoke(app, ["--store", str(path), "query", "--format", "ids"])
    assert memo.counters["split_builds"] == 0
    one = query_json(path, monkeypatch, False)
    assert two.exit_code == one[0] != 0
    assert two.stderr == one[2]
    assert ("duplicate id" if damage == "duplicate" else "date") in two.stderr
    assert temporary_indexes(path) == []


def test_a_worker_killed_mid_build_means_one_process_builds_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dtimeline.store.load import load_path

    path = tmp_path / "events.toml"
    lean.write_store(3000, path)
    me = os.getpid()
    real = rows.insert_events

    def insert(*args: Any, **kwargs: Any) -> None:
        if os.getpid() != me:  # in the worker
            os.kill(os.getpid(), signal.SIGKILL)
        real(*args, **kwargs)

    monkeypatch.setattr(rows, "insert_events", insert)
    split(monkeypatch, True)
    reset()
    got = index.load(path)
    assert memo.counters["split_builds"] == 0
    assert memo.counters["streamed_builds"] == 1
    assert got == load_path(path)
    assert temporary_indexes(path) == []


#: Builds the index of the store in argv[1] in two processes.
SPLIT_BUILDER = """
import sys
from pathlib import Path
from dtimeline.store import index, load_store
index.STREAM_MIN = 0
index.SPLIT_MIN = 0
load_store(Path(sys.argv[1]))
"""


def test_sigkill_of_the_parent_leaves_no_false_index_and_no_worker_file(tmp_path: Path) -> None:
    from dtimeline.store.load import load_path

    path = tmp_path / "events.toml"
    lean.write_store(4000, path)
    want = load_path(path)
    db = index.db_file(path.resolve())
    for delay in (0.4, 1.0):
        db.unlink(missing_ok=True)
        for stale in db.parent.glob(".tmp-*"):
            stale.unlink()
        proc = subprocess.Popen([sys.executable, "-c", SPLIT_BUILDER, str(path)])
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        # the orphaned worker removes its own file at its next batch of rows; a worker that
        # had finished before the kill (on a loaded machine the parent lags behind it) leaves
        # its file for the parent that will never read it
        deadline = time.monotonic() + 10
        while len(temporary_indexes(path)) > 1 and time.monotonic() < deadline:
            time.sleep(0.1)
        left = temporary_indexes(path)
        assert len(left) <= 2  # the parent's own, and at most a finished worker's
        reset()
        assert index.load(path) == want
        # an hour later, the next build sweeps what the killed builders left
        folder = db.parent
        for name in left:
            with contextlib.suppress(FileNotFoundError):
                old = time.time() - index.STALE_TEMP_S - 5
                os.utime(folder / name, (old, old))
        db.unlink()
        reset()
        assert index.load(path) == want
        assert temporary_indexes(path) == []
