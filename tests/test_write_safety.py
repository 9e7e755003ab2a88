"""Every write: lock, atomic replace, no torn file, no lost event, a clean failure."""

from __future__ import annotations

import errno
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import BUNDLED_EVENTS, ENTRY, assert_one_line_error, invoke, run, sha

from dtimeline.store import check_store, load_store
from dtimeline.store import write as store_write
from dtimeline.store.lock import lock_path, store_lock

WRITER = """
import sys
from pathlib import Path
from dtimeline.dates import parse_edtf
from dtimeline.model import Event
from dtimeline.store.write import append_events

path, tag, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
for i in range(count):
    ev = Event(id=f"p{tag}-{i}", date=parse_edtf("2025-01-01"), kind="other",
               title=f"writer {tag} event {i}", countries=("china",))
    append_events(path, lambda store, ev=ev: [ev], lambda evs: "add", 60.0)
"""

CHURN = """
import itertools, sys
from dataclasses import replace
from pathlib import Path
from dtimeline.dates import parse_edtf
from dtimeline.errors import DtimelineError
from dtimeline.model import Event
from dtimeline.store.write import append_events, remove_events, rewrite_event, undo_last

path, run = Path(sys.argv[1]), sys.argv[2]
for i in itertools.count():
    ev = Event(id=f"churn-{run}-{i}", date=parse_edtf("2025-02-03"), kind="other",
               title=f"churn {i} " + "x" * 200, countries=("china",))
    try:
        append_events(path, lambda store: [ev], lambda evs: "add", 60.0)
        rewrite_event(path, ev.id, lambda s, e: replace(e, place=f"p{i}"), "edit", 60.0)
        if i % 3 == 0:
            remove_events(path, [ev.id], "remove", 60.0)
        if i % 4 == 0:
            undo_last(path, 60.0)
    except DtimelineError as exc:
        print(exc, file=sys.stderr)
"""


def leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]


def test_replace_is_atomic_and_keeps_permissions(store: Path) -> None:
    store.chmod(0o640)
    inode = store.stat().st_ino
    ran = invoke("--store", str(store), "edit", "1992-01-03-china-kazakhstan-relations",
                 "--place", "Beijing")  # fmt: skip
    assert ran.code == 0, ran.err
    assert store.stat().st_ino != inode  # a new file renamed over the old one
    assert store.stat().st_mode & 0o777 == 0o640
    inode = store.stat().st_ino
    assert invoke("--store", str(store), "add", "2025", "A", "-c", "china").code == 0
    assert store.stat().st_ino == inode  # an add is appended in place (store/inplace.py)
    assert store.stat().st_mode & 0o777 == 0o640
    assert leftovers(store.parent) == []
    assert lock_path(store.resolve()).exists()  # kept outside the store's folder
    assert sorted(p.name for p in store.parent.iterdir()) == ["events.toml"]


def test_symlinked_store_is_written_through(store: Path, tmp_path: Path) -> None:
    link = tmp_path / "elsewhere" / "link.toml"
    link.parent.mkdir()
    link.symlink_to(store)
    assert run("--store", str(link), "add", "2025", "A", "-c", "china").code == 0
    assert link.is_symlink()
    assert load_store(store).event("2025-a") is not None
    assert sorted(p.name for p in link.parent.iterdir()) == ["link.toml"]


def test_lock_timeout_is_a_clear_write_error(store: Path) -> None:
    before = sha(store)
    with store_lock(store.resolve()):
        ran = run(
            "--store",
            str(store),
            "add",
            "2025",
            "A",
            "-c",
            "china",
            env={"DTIMELINE_LOCK_TIMEOUT": "0.3"},
        )
    assert_one_line_error(ran, 6, "another dtimeline is writing")
    assert sha(store) == before


def test_a_killed_lock_holder_does_not_block(store: Path) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time, pathlib; from dtimeline.store.lock import store_lock; "
            "store_lock(pathlib.Path(sys.argv[1])).__enter__(); print('held', flush=True); "
            "time.sleep(60)",
            str(store.resolve()),
        ],
        stdout=subprocess.PIPE,
    )
    assert holder.stdout is not None and holder.stdout.readline() == b"held\n"
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    ran = run(
        "--store",
        str(store),
        "add",
        "2025",
        "A",
        "-c",
        "china",
        env={"DTIMELINE_LOCK_TIMEOUT": "5"},
    )
    assert ran.code == 0, ran.err


def test_eight_writers_at_once_lose_nothing(store: Path) -> None:
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(store), str(n), "25"]) for n in range(8)
    ]
    assert [p.wait(timeout=120) for p in procs] == [0] * 8
    ids = {ev.id for ev in load_store(store).events}
    assert {f"p{n}-{i}" for n in range(8) for i in range(25)} <= ids
    assert len(ids) == BUNDLED_EVENTS + 200
    assert [p for p in check_store(store) if not p.strict] == []


def test_four_cli_adds_at_once(store: Path) -> None:
    procs = [
        subprocess.Popen(
            [str(ENTRY), "--store", str(store), "add", "2025", "Same title", "-c", "china"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for _ in range(4)
    ]
    outs = [p.communicate(timeout=120)[0].decode().strip() for p in procs]
    assert all(p.returncode == 0 for p in procs)
    assert len(set(outs)) == 4  # ids made unique under the lock
    assert len(load_store(store).events) == BUNDLED_EVENTS + 4


def test_sigkill_at_random_moments_never_tears_the_store(store: Path) -> None:
    seed = random.randrange(1_000_000)
    rng = random.Random(seed)
    for round_ in range(15):
        proc = subprocess.Popen(
            [sys.executable, "-c", CHURN, str(store), str(round_)], stderr=subprocess.DEVNULL
        )
        time.sleep(rng.uniform(0.3, 0.7))
        proc.kill()
        proc.wait()
        problems = [p for p in check_store(store) if not p.strict]
        assert problems == [], (seed, round_, problems)
    load_store(store)
    # the store stays writable and undo still behaves after all that
    assert invoke("--store", str(store), "add", "2025", "After", "-c", "china").code == 0
    assert leftovers(store.parent) == []  # temporary files of killed writers swept
    assert invoke("--store", str(store), "undo").code == 0


def test_ctrl_c_during_a_write_exits_130_and_cleans_up(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = sha(store)

    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(store_write.os, "fsync", interrupted)
    ran = invoke("--store", str(store), "add", "2025", "A", "-c", "china")
    assert ran.code == 130  # the message itself: see the real SIGINT test below
    assert sha(store) == before
    assert leftovers(store.parent) == []
    monkeypatch.undo()
    assert_one_line_error(invoke("--store", str(store), "undo"), 5, "nothing to undo")


def test_sigint_to_a_real_import(store: Path, tmp_path: Path) -> None:
    """Ctrl-C at some moment of a big import: exit 130 (or death by SIGINT before Python
    is ready), and the store is the old one or the old one plus the whole import."""
    records = [
        json.dumps(
            {
                "date": "2025-03-04",
                "title": f"Bulk {i}",
                "kind": "other",
                "countries": ["china"],
                "summary": "s" * 300,
            }
        )
        for i in range(3000)
    ]
    data = tmp_path / "bulk.jsonl"
    data.write_text("\n".join(records), "utf-8")
    before = store.read_bytes()
    for delay in (0.5, 1.0):
        proc = subprocess.Popen(
            [str(ENTRY), "--store", str(store), "import", str(data)], stderr=subprocess.PIPE
        )
        time.sleep(delay)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
        assert proc.returncode in (0, 130, -signal.SIGINT), err
        if proc.returncode != -signal.SIGINT:  # (interrupted while Python was starting)
            assert "Traceback" not in err.decode()
        assert leftovers(store.parent) == []
        now = store.read_bytes()
        if now != before:
            assert now.startswith(before)
            assert len(load_store(store).events) == BUNDLED_EVENTS + 3000
            assert invoke("--store", str(store), "undo").code == 0
        assert store.read_bytes() == before


@pytest.mark.parametrize(
    "fault", [errno.EROFS, errno.ENOSPC, errno.EACCES], ids=["rofs", "full", "denied"]
)
def test_a_failing_write_is_reported_and_changes_nothing(
    store: Path, monkeypatch: pytest.MonkeyPatch, fault: int
) -> None:
    before = sha(store)

    def failing(fd: int) -> None:
        raise OSError(fault, os.strerror(fault))

    monkeypatch.setattr(store_write.os, "fsync", failing)
    for args in (
        ["add", "2025", "A", "-c", "china"],
        ["edit", "1992-01-03-china-kazakhstan-relations", "--place", "x"],
        ["remove", "1992-01-03-china-kazakhstan-relations"],
    ):
        ran = invoke("--store", str(store), *args)
        assert_one_line_error(ran, 6, "cannot", os.strerror(fault))
        assert sha(store) == before
    assert leftovers(store.parent) == []
    monkeypatch.undo()
    assert_one_line_error(invoke("--store", str(store), "undo"), 5, "nothing to undo")


def test_read_only_store_message(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Root ignores permission bits, so the check itself is driven through os.access."""
    before = sha(store)
    monkeypatch.setattr(store_write.os, "access", lambda path, mode: Path(path) != store)
    assert_one_line_error(
        invoke("--store", str(store), "add", "2025", "A", "-c", "china"), 6, "read-only"
    )
    monkeypatch.setattr(store_write.os, "access", lambda path, mode: Path(path) == store)
    assert_one_line_error(
        invoke("--store", str(store), "remove", "1992-01-03-china-kazakhstan-relations"),
        6,
        "folder is read-only",
    )
    assert sha(store) == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores permission bits")
def test_read_only_file_and_folder(store: Path) -> None:  # pragma: no cover - not as root
    before = sha(store)
    store.chmod(0o444)
    assert_one_line_error(run("--store", str(store), "add", "2025", "A", "-c", "china"), 6)
    store.chmod(0o644)
    store.parent.chmod(0o555)
    try:
        assert_one_line_error(run("--store", str(store), "add", "2025", "A", "-c", "china"), 6)
    finally:
        store.parent.chmod(0o755)
    assert sha(store) == before


@pytest.mark.parametrize(
    "command",
    [
        ["add", "2025", "A", "-c", "china"],
        ["import", "-"],
        ["edit", "x", "--place", "y"],
        ["remove", "x"],
        ["undo"],
    ],
)
def test_a_store_that_does_not_parse_is_never_written(store: Path, command: list[str]) -> None:
    store.write_bytes(b'schema = 1\n[[events]]\nid = "x"\ntitle = "unterminated\n')
    before = sha(store)
    rec = json.dumps({"date": "2025", "title": "A", "kind": "other", "countries": ["china"]})
    ran = invoke("--store", str(store), *command, input=rec)
    assert ran.code in (4, 5), ran.err  # undo: nothing recorded to undo
    assert len(ran.err.strip().splitlines()) == 1
    assert sha(store) == before


def test_a_lock_on_a_removed_lock_file_is_taken_again(store: Path) -> None:
    """A failed first write removes the store's state folder (cli/target.py). A writer that
    was waiting on the old lock file must then lock the file that is there now, or two
    writers would each hold "the" lock."""
    import shutil
    import threading

    target = store.resolve()
    path = lock_path(target)
    order: list[str] = []
    waiting = threading.Event()
    with store_lock(target):
        assert path.exists()

        def second() -> None:
            waiting.set()
            with store_lock(target):
                order.append("second in")
                # the file this writer holds is the one a third writer would open
                held_ino = path.stat().st_ino
                with open(path, "rb") as probe:
                    import fcntl

                    try:
                        fcntl.flock(probe.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                        order.append("third got it too")
                    except BlockingIOError:
                        order.append("third kept out")
                    assert os.fstat(probe.fileno()).st_ino == held_ino

        thread = threading.Thread(target=second)
        thread.start()
        waiting.wait(5)
        time.sleep(0.2)  # the second writer is now polling the first file
        shutil.rmtree(path.parent)  # what a failed first write does
    thread.join(10)
    assert order == ["second in", "third kept out"]
