"""store/inplace.py: an append that fails in the process (no space, a failing fsync, a file
that cannot be opened) leaves the file, the state folder and the history as they were and
says so in one whole line; a roll-back record that no longer describes the file (the file
grown past the append by hand, a damaged record, the store removed) never cuts it (found
by mutation testing of store/inplace.py, docs/mutation.md)."""

from __future__ import annotations

import errno
import json
import os
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import cast

import pytest
from conftest import assert_one_line_error, invoke, run, sha
from test_append_in_place import ids, killed_add, record_of

from dtimeline.errors import WriteError
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


def test_a_cut_back_that_fails_is_said_whole_and_leaves_the_record(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    killed_add(path, "half")
    torn = path.read_bytes()
    target = path.resolve()
    real = os.ftruncate

    def failing(fd: int, length: int) -> None:
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(os, "ftruncate", failing)
    with pytest.raises(WriteError) as caught:
        inplace.recover(target)
    assert str(caught.value) == f"{target}: cannot undo an unfinished write: Input/output error"
    assert path.read_bytes() == torn
    assert record_of(path).exists()  # the next lock holder tries again
    monkeypatch.setattr(os, "ftruncate", real)
    inplace.recover(target)
    assert path.read_text("utf-8") == TEXT
    assert not record_of(path).exists()


@pytest.mark.parametrize(("back", "kept"), [(4096, True), (4097, False)])
def test_the_last_4_kb_before_the_append_recognise_the_file(
    store: Path, back: int, kept: bool
) -> None:
    """A byte changed in place within the 4096 bytes before the append point: not the file
    the record describes, so it is kept as it is; a byte changed before those is not seen,
    and the unfinished append is cut back."""
    assert ids(store)  # an index, so `add` appends in place
    size = store.stat().st_size
    killed_add(store, "half")
    with store.open("r+b") as fh:
        fh.seek(size - back)
        old = fh.read(1)
        fh.seek(size - back)
        fh.write(b"X" if old != b"X" else b"Y")
    edited = store.read_bytes()
    inplace.recover(store.resolve())
    assert store.read_bytes() == (edited if kept else edited[:size])
    assert not record_of(store).exists()


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """time.sleep recorded, not slept."""
    slept: list[float] = []
    monkeypatch.setattr(inplace.time, "sleep", slept.append)
    return slept


def _stamped(tmp_path: Path, size: int) -> Path:
    big = tmp_path / "big.toml"
    with big.open("wb") as fh:
        fh.truncate(size)  # sparse: no disk used
    if not sys.platform.startswith("linux") or not inplace.fine_stamps(big.stat()):
        pytest.skip("time stamps of a millisecond or coarser here: nothing is waited out")
    return big


@pytest.mark.parametrize(
    ("size", "after_ns", "sleep"),
    [
        (8 << 20, 5_000_000, [0.015]),  # 15 ms of the 20 ms tick left
        (8 << 20, 20_000_000, []),  # the tick is over
        (8 << 20, 25_000_000, []),
        (8 << 20, -1_000, []),  # a stamp in the future: not waited for
        ((8 << 20) - 1, 5_000_000, []),  # small: reading it costs less than waiting
        (100, 5_000_000, []),
    ],
)
def test_an_append_to_a_large_store_waits_out_the_clocks_tick(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    clock: list[float],
    size: int,
    after_ns: int,
    sleep: list[float],
) -> None:
    big = _stamped(tmp_path, size)
    st = big.stat()
    now = max(st.st_mtime_ns, st.st_ctime_ns) + after_ns
    monkeypatch.setattr(inplace.time, "time_ns", lambda: now)
    inplace.wait_out_tick(big)
    assert clock == sleep


def test_time_stamps_are_fine_unless_both_are_whole_milliseconds() -> None:
    def st(mtime_ns: int, ctime_ns: int) -> os.stat_result:
        return cast("os.stat_result", SimpleNamespace(st_mtime_ns=mtime_ns, st_ctime_ns=ctime_ns))

    assert not inplace.fine_stamps(st(1_700_000_000_000_000_000, 1_700_000_000_123_000_000))
    assert inplace.fine_stamps(st(1_700_000_000_000_000_001, 1_700_000_000_000_000_000))
    assert inplace.fine_stamps(st(1_700_000_000_000_000_000, 1_700_000_000_000_500_000))
