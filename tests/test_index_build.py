"""The streamed build of a big store's index (store/index.py, from the file in pieces): it
gives the store the file holds, and a builder killed at any moment leaves no false index."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dtimeline.store import index
from dtimeline.store.memo import memo, reset

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import lean


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
