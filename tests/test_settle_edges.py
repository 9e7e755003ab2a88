"""store/settle.py: a reader takes the store's lock only when its read may be torn (an
in-place append under way or left unfinished), and still reads when the lock cannot be
had (found by mutation testing of store/settle.py, docs/mutation.md)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from conftest import run

from dtimeline.store import inplace
from dtimeline.store.lock import lock_path
from dtimeline.store.settle import read_was_whole, stat_key

TEXT = """schema = 1

[countries.china]
name = "China"

[[events]]
id = "e1"
date = "2023-05-17"
kind = "talks"
title = "Talks"
countries = ["china"]
summary = "%s"

[[events.sources]]
publisher = "Xinhua"
""" % ("A long summary. " * 20)  # over 256 bytes: sizes that are not small ints


@pytest.fixture
def path(tmp_path: Path) -> Path:
    p = tmp_path / "events.toml"
    p.write_text(TEXT, "utf-8")
    return p


@pytest.mark.parametrize(
    ("args", "out"),
    [(["check"], ""), (["query", "--format", "ids"], "e1\n")],
    ids=["check", "query"],
)
def test_a_whole_read_takes_no_lock(path: Path, args: list[str], out: str) -> None:
    """A reader of an untouched store never takes the lock: nothing appears in the
    store's state folder (where the lock file lives)."""
    ran = run("--store", str(path), *args)
    assert (ran.code, ran.out) == (0, out), ran.err
    assert not lock_path(path.resolve()).parent.exists()


@pytest.mark.parametrize(
    ("args", "out"),
    [(["check"], ""), (["query", "--format", "ids"], "e1\n")],
    ids=["check", "query"],
)
def test_a_doubtful_read_without_a_lock_to_be_had_still_reads(
    path: Path, args: list[str], out: str
) -> None:
    """A roll-back record left (so the read is in doubt) but the lock file cannot be
    made (a folder in its place): the store is read as well as can be, not refused."""
    target = path.resolve()
    record = inplace.record_path(target)
    record.parent.mkdir(parents=True)
    record.write_text(json.dumps({"dev": 0, "ino": 0, "size": 1, "tail": "", "added": 1,
                                  "added_digest": "x", "entry": ""}), "utf-8")  # fmt: skip
    lock_path(target).mkdir()
    ran = run("--store", str(path), *args)
    assert (ran.code, ran.out) == (0, out), ran.err
    assert path.read_text("utf-8") == TEXT
    assert record.exists()  # nobody held the lock, so nobody settled it


def test_a_read_is_whole_only_if_nothing_moved_all_was_read_and_no_append_is_pending(
    path: Path,
) -> None:
    size = len(TEXT.encode())
    before = stat_key(path)
    assert before is not None and before[2] == size
    assert read_was_whole(path, before, size)
    assert not read_was_whole(path, before, size - 1)  # fewer bytes than the stat said
    assert not read_was_whole(path, before, size + 1)  # more bytes than the stat said
    assert read_was_whole(path, None, 0)  # no stat to compare: the read said what it found
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))  # same size, moved
    assert not read_was_whole(path, before, size)
    before = stat_key(path)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns - 1_000_000))  # moved back in time
    assert not read_was_whole(path, before, size)
    before = stat_key(path)
    assert read_was_whole(path, before, size)
    record = inplace.record_path(path.resolve())
    record.parent.mkdir(parents=True)
    record.write_text(json.dumps({"dev": 0, "ino": 0, "size": 1, "tail": "", "added": 1,
                                  "added_digest": "x", "entry": ""}), "utf-8")  # fmt: skip
    assert not read_was_whole(path, before, size)  # an append under way (or killed)
    assert stat_key(path.parent / "missing.toml") is None
