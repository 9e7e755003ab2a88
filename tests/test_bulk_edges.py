"""store/bulk.py: a streamed `import` in several pieces read back from disk as a whole file
(one line break before the first piece only, at a file that does not end with one), the
index's order after it, an input of duplicates only, and a write that fails half-way
(found by mutation testing of store/bulk.py, docs/mutation.md). The pieces are made small
(streamimport.PIECE) so a few records make several."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest
from conftest import assert_one_line_error, invoke, run, sha

from dtimeline import streamimport
from dtimeline.store import atomic

TEXT = """schema = 1

[countries.china]
name = "China"

[[events]]
id = "e1"
date = "2023-05-17"
kind = "talks"
title = "Talks"
countries = ["china"]
"""


def record(n: int) -> dict[str, object]:
    return {"id": f"n{n}", "date": f"2024-01-0{n}", "title": f"New {n}", "kind": "other",
            "countries": ["china"]}  # fmt: skip


def block(n: int) -> str:
    return (
        f'[[events]]\nid = "n{n}"\ndate = "2024-01-0{n}"\nkind = "other"\ntitle = "New {n}"\n'
        'countries = ["china"]\nstatus = "held"\n'
    )


def jsonl(*numbers: int) -> str:
    return "".join(json.dumps(record(n)) + "\n" for n in numbers)


def ids(path: Path) -> list[str]:
    ran = invoke("--store", str(path), "query", "--format", "ids")
    assert ran.code == 0, ran.err
    return ran.out.split()


@pytest.fixture
def path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(streamimport, "PIECE", 2)
    p = tmp_path / "events.toml"
    p.write_text(TEXT.rstrip("\n"), "utf-8")  # no line break at the end
    assert ids(p) == ["e1"]  # an index, as a streamed import expects
    return p


def test_pieces_follow_each_other_with_one_blank_line(path: Path) -> None:
    ran = invoke("--store", str(path), "import", "-", input=jsonl(1, 2, 3, 4, 5))
    assert (ran.code, ran.err) == (0, "dtimeline: imported 5, skipped 0 duplicates\n")
    assert path.read_text("utf-8") == TEXT + "\n" + "\n".join(block(n) for n in range(1, 6))
    assert ids(path) == ["e1", "n1", "n2", "n3", "n4", "n5"]
    assert run("--store", str(path), "query", "--format", "ids").out.split() == ids(path)
    ran = invoke("--store", str(path), "import", "-", input=jsonl(6, 7, 8))
    assert ran.code == 0, ran.err
    assert ids(path) == ["e1", "n1", "n2", "n3", "n4", "n5", "n6", "n7", "n8"]
    assert path.read_text("utf-8") == TEXT + "\n" + "\n".join(block(n) for n in range(1, 9))
    done = path.read_bytes()
    assert invoke("--store", str(path), "undo").code == 0
    assert ids(path) == ["e1", "n1", "n2", "n3", "n4", "n5"]
    assert path.read_text("utf-8") == TEXT + "\n" + "\n".join(block(n) for n in range(1, 6))
    assert invoke("--store", str(path), "redo").code == 0
    assert path.read_bytes() == done
    assert ids(path) == ["e1", "n1", "n2", "n3", "n4", "n5", "n6", "n7", "n8"]


def test_an_input_of_duplicates_only_writes_nothing(path: Path) -> None:
    assert invoke("--store", str(path), "import", "-", input=jsonl(1, 2, 3)).code == 0
    before = sha(path)
    ran = invoke("--store", str(path), "import", "-", input=jsonl(3, 1, 2))
    assert (ran.code, ran.err) == (0, "dtimeline: imported 0, skipped 3 duplicates\n")
    assert sha(path) == before
    history = run("--store", str(path), "history", "--format", "json")
    assert [entry["what"] for entry in json.loads(history.out)] == ["import of 3 events"]
    assert invoke("--store", str(path), "undo").code == 0
    assert path.read_text("utf-8") == TEXT.rstrip("\n")


def test_a_write_failing_in_the_second_piece_changes_nothing(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = sha(path)
    real = atomic.write_all

    def full(fd: int, data: bytes) -> None:
        if b'id = "n3"' in data:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real(fd, data)

    monkeypatch.setattr(atomic, "write_all", full)
    ran = invoke("--store", str(path), "import", "-", input=jsonl(1, 2, 3, 4))
    monkeypatch.setattr(atomic, "write_all", real)
    assert_one_line_error(ran, 6)
    assert ran.err == f"dtimeline: {path}: cannot write: No space left on device\n"
    assert sha(path) == before
    assert ids(path) == ["e1"]
    assert sorted(p.name for p in path.parent.iterdir()) == ["events.toml"]
    assert_one_line_error(invoke("--store", str(path), "undo"), 5, "nothing to undo")
    ran = invoke("--store", str(path), "import", "-", input=jsonl(1, 2, 3, 4))
    assert ran.code == 0, ran.err
    assert ids(path) == ["e1", "n1", "n2", "n3", "n4"]


def test_a_failed_import_leaves_the_index_free_for_the_next_writer(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The import's transaction on the index is rolled back when a piece fails: another
    connection (another command, a script reading the index) can take the write lock at once,
    not "database is locked" for as long as the failed command's process lives."""
    import sqlite3

    from dtimeline.store import index

    real = atomic.write_all

    def full(fd: int, data: bytes) -> None:
        if b'id = "n3"' in data:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real(fd, data)

    monkeypatch.setattr(atomic, "write_all", full)
    ran = invoke("--store", str(path), "import", "-", input=jsonl(1, 2, 3, 4))
    monkeypatch.setattr(atomic, "write_all", real)
    assert ran.code == 6
    other = sqlite3.connect(index.db_file(path.resolve()), timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # sqlite3.OperationalError if a writer holds it
        assert other.execute("SELECT count(*) FROM events").fetchone() == (1,)
        other.execute("ROLLBACK")
    finally:
        other.close()


@pytest.mark.parametrize("fake", ["0-0", "ffffffff-0"], ids=["below", "above"])
def test_an_index_that_does_not_describe_the_file_is_rebuilt_first(path: Path, fake: str) -> None:
    """The index keyed by the file's stat but describing other bytes (a hand edit within
    the clock's tick can leave it so; made here by removing an event from the index and
    changing its fingerprint): the copy's fingerprint tells, the index is rebuilt from the
    file, and the stored event is seen, so not written twice."""
    import sqlite3

    from dtimeline.store import index
    from dtimeline.store.memo import reset

    reset()
    with sqlite3.connect(index.db_file(path.resolve())) as conn:
        conn.execute("UPDATE meta SET value = ? WHERE name = 'content'", (fake,))
        conn.execute("DELETE FROM events WHERE id = 'e1'")
        conn.execute("UPDATE meta SET value = 0 WHERE name = 'racy'")  # trusted by its key
    e1 = {"id": "e1", "date": "2023-05-17", "title": "Talks", "kind": "talks",
          "countries": ["china"]}  # fmt: skip
    ran = invoke("--store", str(path), "import", "-", input=json.dumps(e1) + "\n" + jsonl(1, 2))
    assert (ran.code, ran.err) == (0, "dtimeline: imported 2, skipped 1 duplicate\n")
    assert path.read_text("utf-8") == TEXT + "\n" + "\n".join(block(n) for n in range(1, 3))
    assert ids(path) == ["e1", "n1", "n2"]
    assert invoke("--store", str(path), "undo").code == 0
    assert path.read_text("utf-8") == TEXT.rstrip("\n")
