"""`add` appended in place (store/inplace.py): a writer killed between any two steps, a torn
tail, a stale roll-back record, a hand edit between two adds, writers and readers at once.
After each, the next command sees the old store or the old store plus the whole new event,
`check` passes, and undo and the index agree with the file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ENTRY, invoke, run

from dtimeline.store import check_store, history, index, inplace, load_store
from dtimeline.store.memo import reset

# Appends one event through `add`'s own path (append_on_view), dying by SIGKILL at STEP.
KILLED_ADD = """
import os, signal, sys
from pathlib import Path
from dtimeline.dates import parse_edtf
from dtimeline.model import Event
from dtimeline.store import atomic, history, index, inplace
from dtimeline.store.write import append_on_view

path, step = Path(sys.argv[1]), sys.argv[2]
store_ino = path.stat().st_ino

def die():
    os.kill(os.getpid(), signal.SIGKILL)

def after(module, name):
    real = getattr(module, name)
    def wrapped(*args, **kwargs):
        out = real(*args, **kwargs)
        die()
    setattr(module, name, wrapped)

real_write_all, real_fsync = atomic.write_all, os.fsync
def write_all(fd, data):
    if os.fstat(fd).st_ino != store_ino:
        return real_write_all(fd, data)
    if step == "half":
        real_write_all(fd, data[: len(data) // 2])
        die()
    real_write_all(fd, data)
    if step == "written":
        die()
atomic.write_all = write_all

if step == "history":
    after(history, "record")
elif step == "record":
    after(inplace, "_write_record")
elif step == "synced":
    def fsync(fd):
        real_fsync(fd)
        if os.fstat(fd).st_ino == store_ino:
            die()
    os.fsync = fsync
elif step == "follow":
    real_follow = index.follow
    def follow(*args):
        die()
    index.follow = follow

ev = Event(id="killed-add", date=parse_edtf("2025-01-01"), kind="other",
           title="Killed add", countries=("china",))
append_on_view(path, lambda view: [ev], lambda evs: "add killed-add", 10.0)
print("finished")
"""

STEPS = ["history", "record", "half", "written", "synced", "follow"]
ROLLED_BACK = {"history", "record", "half"}  # the new bytes were not all written


def killed_add(store: Path, step: str) -> subprocess.CompletedProcess[str]:
    ran = subprocess.run([sys.executable, "-c", KILLED_ADD, str(store), step],
                         capture_output=True, text=True, timeout=60, check=False)  # fmt: skip
    assert ran.returncode == -9, ran.stdout + ran.stderr
    return ran


def ids(store: Path) -> list[str]:
    ran = run("--store", str(store), "query", "--format", "ids")
    assert ran.code == 0, ran.err
    return ran.out.split()


def record_of(store: Path) -> Path:
    return inplace.record_path(store.resolve())


def history_count(store: Path) -> int:
    return len(list(history.history_dir(store.resolve()).glob("*.json")))


@pytest.fixture
def indexed(store: Path) -> Path:
    """The store with a current index (so `add` takes the in-place path)."""
    assert run("--store", str(store), "query", "--format", "ids").code == 0
    return store


@pytest.mark.parametrize("step", STEPS)
def test_sigkill_between_each_step(indexed: Path, step: str) -> None:
    store = indexed
    old = store.read_bytes()
    inode = store.stat().st_ino
    killed_add(store, step)
    now = store.read_bytes()
    if step == "half":
        assert len(old) < len(now) and now.startswith(old)  # torn, as the kill left it
    if step in ROLLED_BACK and step != "history":
        assert record_of(store).exists()
    seen = ids(store)  # the next command: a reader
    after = store.read_bytes()
    assert store.stat().st_ino == inode
    if step in ROLLED_BACK:
        assert after == old and "killed-add" not in seen
        assert invoke("--store", str(store), "undo").code == 5  # nothing to undo
    else:
        assert after.startswith(old) and "killed-add" in seen
        assert after[len(old) :].count(b"[[events]]") == 1
    # (a reader whose index still matches the untouched file leaves the record to the
    # next lock holder: here undo)
    assert not record_of(store).exists()
    assert [p for p in check_store(store) if not p.strict] == []
    added = run("--store", str(store), "add", "2025", "After the kill", "-c", "china")
    assert added.code == 0, added.err
    assert added.out.strip() in ids(store)
    assert run("--store", str(store), "undo").code == 0
    if step not in ROLLED_BACK:
        assert run("--store", str(store), "undo").code == 0  # the killed add, kept, undone
    assert store.read_bytes() == old


def test_a_torn_tail_is_cut_back_by_the_next_writer(indexed: Path) -> None:
    store = indexed
    old = store.read_bytes()
    killed_add(store, "half")
    before = history_count(store)
    assert before == 1  # the killed write's entry
    added = run("--store", str(store), "add", "2025", "Next writer", "-c", "china")
    assert added.code == 0, added.err
    assert store.read_bytes().startswith(old)
    assert b"Killed add" not in store.read_bytes()
    assert added.out.strip() in ids(store)
    assert history_count(store) == 1  # the torn write's entry forgotten, the new one kept


def test_a_power_cut_tail_of_zeros_is_cut_back(indexed: Path) -> None:
    """Full size, wrong bytes (a file system that grew the file but lost its data)."""
    store = indexed
    old = store.read_bytes()
    killed_add(store, "written")
    grown = store.stat().st_size
    with store.open("r+b") as fh:
        fh.seek(len(old))
        fh.write(b"\0" * (grown - len(old)))
    assert record_of(store).exists()
    assert "killed-add" not in ids(store)
    assert store.read_bytes() == old


@pytest.mark.parametrize("how", ["replaced", "edited before the append point", "shortened"])
def test_a_stale_record_is_ignored(indexed: Path, tmp_path: Path, how: str) -> None:
    """The file no longer is the one the record describes: it is never cut."""
    store = indexed
    killed_add(store, "half")
    assert record_of(store).exists()
    torn = store.read_bytes()
    cut = torn.rindex(b"\n[[events]]")  # the torn block out: a store that parses
    if how == "replaced":  # as an editor or git saves: a new file
        other = tmp_path / "other.toml"
        other.write_bytes(torn[:cut] + b"\n")
        other.replace(store)
    elif how == "edited before the append point":  # in place, same inode
        text = torn[:cut] + b"\n"
        with store.open("r+b") as fh:
            fh.truncate(0)
            fh.write(text.replace(b'title = "', b'title = "Edited ', 1))
    else:
        with store.open("r+b") as fh:
            fh.truncate(cut // 2)
    kept = store.read_bytes()
    run("--store", str(store), "check")  # settles (a reader of doubtful bytes takes the lock)
    invoke("--store", str(store), "add", "2025", "Later", "-c", "china")
    assert store.read_bytes().startswith(kept)
    assert not record_of(store).exists()


def test_hand_edit_same_size_restored_mtime_between_two_adds(indexed: Path) -> None:
    store = indexed
    assert run("--store", str(store), "add", "2025", "First", "-c", "china").code == 0
    text = store.read_text(encoding="utf-8")
    st = store.stat()
    edited = text.replace('title = "First"', 'title = "FIRST"')
    assert len(edited) == len(text)
    store.write_text(edited, encoding="utf-8")
    os.utime(store, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert store.stat().st_size == st.st_size
    assert run("--store", str(store), "add", "2025", "Second", "-c", "china").code == 0
    now = store.read_text(encoding="utf-8")
    assert now.startswith(edited) and 'title = "Second"' in now
    reset()
    titles = [ev.title for ev in load_store(store).events]
    assert titles[-2:] == ["FIRST", "Second"]
    os.environ["DTIMELINE_NO_CACHE"] = "1"
    try:
        reset()
        cold = [ev.title for ev in load_store(store).events]
    finally:
        del os.environ["DTIMELINE_NO_CACHE"]
    assert cold == titles


def test_writers_and_readers_at_once(indexed: Path) -> None:
    """Four CLI adds and readers racing them: every reader answers (exit 0, never a torn
    store), every add lands once, and the index agrees with a fresh parse."""
    store = indexed
    writers = [
        subprocess.Popen(
            [str(ENTRY), "--store", str(store), "add", "2025", f"Race {n}", "-c", "china"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for n in range(4)
    ]
    readers = [
        subprocess.Popen(
            [sys.executable, "-c", READER, str(store), "6"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for _ in range(2)
    ]
    for p in writers + readers:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err.decode()
    seen = ids(store)
    for n in range(4):
        assert sum(i.startswith(f"2025-race-{n}") for i in seen) == 1
    reset()
    warm = [ev.id for ev in load_store(store).events]
    os.environ["DTIMELINE_NO_CACHE"] = "1"
    try:
        reset()
        cold = [ev.id for ev in load_store(store).events]
    finally:
        del os.environ["DTIMELINE_NO_CACHE"]
    assert warm == cold and sorted(warm) == sorted(seen)


READER = """
import os, sys
from pathlib import Path
from dtimeline.store import load_store
from dtimeline.store.memo import reset

path = Path(sys.argv[1])
os.environ["DTIMELINE_NO_CACHE"] = "1"  # a read of the file itself, each time
for _ in range(int(sys.argv[2])):
    reset()
    load_store(path)
"""


def test_the_append_keeps_the_index_plain_for_a_large_store(
    indexed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After waiting out the clock's tick, the index of a large store is keyed by stat
    alone (the next command does not read the file to check it)."""
    store = indexed
    monkeypatch.setattr(inplace, "WAIT_MIN_SIZE", 0)
    if not sys.platform.startswith("linux") or not inplace.fine_stamps(store.stat()):
        pytest.skip("time stamps of a millisecond or coarser here: the index stays racy")
    assert invoke("--store", str(store), "add", "2025", "Plain", "-c", "china").code == 0
    import sqlite3

    with sqlite3.connect(index.db_file(store.resolve())) as conn:
        racy = dict(conn.execute("SELECT name, value FROM meta").fetchall())["racy"]
    assert racy == 0


def test_check_reads_a_torn_store_as_its_old_bytes(indexed: Path) -> None:
    """`check` reads the file itself: a torn tail is cut back (under the lock) first."""
    store = indexed
    old = store.read_bytes()
    killed_add(store, "half")
    ran = run("--store", str(store), "check")
    assert ran.code == 0, ran.err
    assert store.read_bytes() == old and not record_of(store).exists()
