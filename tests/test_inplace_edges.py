"""store/inplace.py: an append that fails in the process (no space, a failing fsync, a file
that cannot be opened) leaves the file, the state folder and the history as they were and
says so in one whole line; a roll-back record that no longer describes the file (the file
grown past the append by hand, a damaged record, the store removed) never cuts it (found
by mutation testing of store/inplace.py, docs/mutation.md)."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest
from conftest import assert_one_line_error, invoke, run, sha
from test_append_in_place import ids, killed_add, record_of

from dtimeline.store import atomic, inplace

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
NEW = (
    '\n[[events]]\nid = "n"\ndate = "2024"\nkind = "other"\ntitle = "New"\n'
    'countries = ["china"]\nstatus = "held"\n'
)
ADD = ["add", "2024", "New", "-c", "china", "--id", "n"]


@pytest.fixture
def path(tmp_path: Path) -> Path:
    p = tmp_path / "events.toml"
    p.write_text(TEXT, "utf-8")
    assert ids(p) == ["e1"]  # an index describing the file: `add` appends in place
    return p


@pytest.mark.parametrize("half", [False, True], ids=["nothing-written", "half-written"])
def test_an_append_failing_in_the_process_leaves_everything_as_it_was(
    path: Path, monkeypatch: pytest.MonkeyPatch, half: bool
) -> None:
    inode, before = path.stat().st_ino, sha(path)
    real = atomic.write_all

    def full(fd: int, data: bytes) -> None:
        if os.fstat(fd).st_ino == inode:
            if half:
                real(fd, data[: len(data) // 2])
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real(fd, data)

    monkeypatch.setattr(atomic, "write_all", full)
    ran = invoke("--store", str(path), *ADD)
    monkeypatch.setattr(atomic, "write_all", real)
    assert_one_line_error(ran, 6)
    assert ran.err == f"dtimeline: {path}: cannot write: No space left on device\n"
    assert (path.stat().st_ino, sha(path)) == (inode, before)
    assert not record_of(path).exists()
    assert_one_line_error(invoke("--store", str(path), "undo"), 5, "nothing to undo")
    assert ids(path) == ["e1"]
    ran = invoke("--store", str(path), *ADD)
    assert ran.code == 0, ran.err
    assert path.read_text("utf-8") == TEXT + NEW


def test_a_file_grown_past_the_append_keeps_every_byte(path: Path) -> None:
    """Killed after its bytes were written (its record left); then text appended by hand
    past the append: the record no longer describes the file, which is kept whole."""
    killed_add(path, "written")
    assert record_of(path).exists()
    by_hand = "\n# added by hand after the killed add\n"
    with path.open("a", encoding="utf-8") as fh:
        fh.write(by_hand)
    grown = path.read_bytes()
    assert grown.endswith(by_hand.encode())
    ran = invoke("--store", str(path), *ADD)
    assert ran.code == 0, ran.err
    assert path.read_bytes() == grown + NEW.encode()
    assert not record_of(path).exists()
    assert ids(path) == ["e1", "n", "killed-add"]  # by date


@pytest.mark.parametrize(
    "damage",
    ["{not json", json.dumps({"dev": 1}), json.dumps({"dev": "x", "ino": 1, "size": 1,
     "tail": "zz", "added": 1, "added_digest": "d"}), json.dumps([1, 2])],
    ids=["not-json", "keys-missing", "wrong-types", "not-an-object"],
)  # fmt: skip
def test_a_damaged_record_is_never_trusted_to_cut_the_file(path: Path, damage: str) -> None:
    record = record_of(path)
    record.parent.mkdir(parents=True, exist_ok=True)
    record.write_text(damage, "utf-8")
    ran = invoke("--store", str(path), *ADD)
    assert ran.code == 0, ran.err
    assert path.read_text("utf-8") == TEXT + NEW
    assert run("--store", str(path), "check").code == 0
    assert ids(path) == ["e1", "n"]


def test_an_append_whose_fsync_fails_is_cut_back_and_said_whole(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The store's fsync fails (a disk error), and so does the one after cutting the new
    bytes back: the first error is the one said, and the store is as it was."""
    inode, before = path.stat().st_ino, sha(path)
    real = os.fsync

    def failing(fd: int) -> None:
        if os.fstat(fd).st_ino == inode:
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        real(fd)

    monkeypatch.setattr(os, "fsync", failing)
    ran = invoke("--store", str(path), *ADD)
    monkeypatch.setattr(os, "fsync", real)
    assert (ran.code, ran.err) == (6, f"dtimeline: {path}: cannot write: Input/output error\n")
    assert (path.stat().st_ino, sha(path)) == (inode, before)
    assert ids(path) == ["e1"]
    assert not record_of(path).exists()  # settled by the reader above
    assert invoke("--store", str(path), *ADD).code == 0
    assert path.read_text("utf-8") == TEXT + NEW


def test_a_store_that_cannot_be_opened_to_append_is_said_whole(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = sha(path)
    real = os.open

    def denied(file: object, flags: int, *args: int) -> int:
        if flags & os.O_APPEND and Path(str(file)) == path.resolve():
            raise OSError(errno.EACCES, os.strerror(errno.EACCES), str(file))
        return real(file, flags, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", denied)
    ran = invoke("--store", str(path), *ADD)
    monkeypatch.setattr(os, "open", real)
    assert (ran.code, ran.err) == (6, f"dtimeline: {path}: cannot write: Permission denied\n")
    assert sha(path) == before
    assert_one_line_error(invoke("--store", str(path), "undo"), 5, "nothing to undo")


def test_the_record_of_a_store_removed_since_is_dropped(path: Path) -> None:
    killed_add(path, "half")
    assert record_of(path).exists()
    target = path.resolve()
    path.unlink()
    inplace.recover(target)
    assert not record_of(path).exists()
    assert not path.exists()
