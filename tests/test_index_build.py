"""The streamed build of a big store's index (store/index.py, store/writer.py): the writes
run on a thread of their own, and a builder killed at any moment leaves no false index."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from dtimeline.store import index
from dtimeline.store.memo import memo, reset
from dtimeline.store.writer import BackgroundWriter

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import lean


def test_jobs_run_in_order() -> None:
    done: list[int] = []
    with BackgroundWriter() as writer:
        for n in range(50):
            writer.submit(lambda n=n: done.append(n))
    assert done == list(range(50))


def test_a_failed_job_is_raised_and_the_rest_dropped() -> None:
    done: list[int] = []

    def fail() -> None:
        raise ValueError("disk full")

    with pytest.raises(ValueError, match="disk full"), BackgroundWriter() as writer:
        writer.submit(fail)
        for n in range(5):
            writer.submit(lambda n=n: done.append(n))
    assert done == []


def test_an_error_of_the_caller_wins_and_the_thread_ends() -> None:
    with pytest.raises(KeyError), BackgroundWriter() as writer:
        writer.submit(lambda: None)
        raise KeyError("stop")
    assert not [t for t in threading.enumerate() if t.name == "dtimeline-index"]


def test_streamed_build_gives_the_store_the_file_holds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dtimeline.store.load import load_path

    path = tmp_path / "events.toml"
    lean.write_store(2500, path)
    monkeypatch.setattr(index, "STREAM_MIN", 0)
    reset()
    got = index.load(path)
    assert memo.counters["streamed_builds"] == 1
    assert got == load_path(path)


#: Builds the index of the store in argv[1] from disk (the streamed build).
STREAMED_BUILDER = """
import sys
from pathlib import Path
from dtimeline.store import index, load_store
index.STREAM_MIN = 0
load_store(Path(sys.argv[1]))
"""


def test_sigkill_mid_streamed_build_leaves_no_false_index(tmp_path: Path) -> None:
    from dtimeline.store.load import load_path

    path = tmp_path / "events.toml"
    lean.write_store(4000, path)
    want = load_path(path)
    db = index.db_file(path.resolve())
    for delay in (0.2, 0.6, 1.2):
        db.unlink(missing_ok=True)
        proc = subprocess.Popen([sys.executable, "-c", STREAMED_BUILDER, str(path)])
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        reset()
        assert index.load(path) == want
