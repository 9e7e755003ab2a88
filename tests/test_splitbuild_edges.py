"""The two-process index build (store/splitbuild.py) when it cannot finish: cases found by
mutation testing (docs/mutation.md). Whatever stops it, the error is the one-process
read's, and no worker process or temporary file is left behind."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from conftest import invoke, temporary_indexes

from dtimeline.store import index, splitbuild
from dtimeline.store.memo import memo, reset

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import lean

pytestmark = pytest.mark.skipif(not splitbuild.available(), reason="no os.fork on this system")


@pytest.fixture
def big(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A store of 1500 events, indexed in two processes whatever its size."""
    path = tmp_path / "events.toml"
    lean.write_store(1500, path)
    monkeypatch.setattr(index, "STREAM_MIN", 0)
    monkeypatch.setattr(index, "SPLIT_MIN", 0)
    reset()
    return path


def children() -> list[int]:
    """This process's child processes, zombies included (Linux /proc)."""
    me = str(os.getpid())
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[1] == me:
                found.append(int(entry.name))
    return found


def ids(path: Path) -> tuple[int, str, str]:
    ran = invoke("--store", str(path), "query", "--format", "ids")
    return ran.code, ran.out, ran.err


def test_a_problem_in_the_first_half_stops_the_worker_and_leaves_nothing(big: Path) -> None:
    """The first half's problem ends the build while the worker still runs: the worker is
    stopped and reaped, its file removed, and the error is the one-process read's."""
    if not Path("/proc/self/stat").exists():
        pytest.skip("no /proc here to list child processes")
    text = big.read_text(encoding="utf-8")
    at = text.index('date = "')
    assert at < len(text) * 0.3  # before the cut (near 0.47 of the file)
    big.write_text(text[:at] + 'date = "2023-13-' + text[at + len('date = "') :], "utf-8")
    before = children()
    two = ids(big)
    assert memo.counters["split_builds"] == 0
    assert temporary_indexes(big) == []
    assert [pid for pid in children() if pid not in before] == []  # none left, nor a zombie
    os.environ["DTIMELINE_NO_CACHE"] = "1"
    try:
        reset()
        one = ids(big)
    finally:
        del os.environ["DTIMELINE_NO_CACHE"]
    assert two == one
    assert two[0] != 0 and "2023-13-" in two[2]


def test_no_process_to_be_had_means_one_process_builds_it(
    big: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When no worker can be forked (too many processes), the index is built by one
    process, the same, and the worker's temporary file does not stay."""

    def no_fork() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    want = ids(big)
    index.db_file(big.resolve()).unlink()
    reset()
    monkeypatch.setattr(os, "fork", no_fork)
    got = ids(big)
    assert (memo.counters["split_builds"], memo.counters["streamed_builds"]) == (0, 1)
    assert got == want and got[0] == 0
    assert temporary_indexes(big) == []
