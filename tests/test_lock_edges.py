"""store/lock.py: the lock's files and their modes, and the whole messages of a lock that
cannot be had (found by mutation testing of store/lock.py, docs/mutation.md)."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest
from conftest import assert_one_line_error, invoke, run, sha

from dtimeline.store.lock import lock_path, store_lock

TEXT = """schema = 1

[countries.china]
name = "China"
"""
ADD = ["add", "2024", "New", "-c", "china", "--id", "n"]


@pytest.fixture
def path(tmp_path: Path) -> Path:
    p = tmp_path / "events.toml"
    p.write_text(TEXT, "utf-8")
    return p


def test_the_lock_file_and_its_folder_are_private_to_the_user(path: Path) -> None:
    umask = os.umask(0o022)
    try:
        ran = run("--store", str(path), *ADD)
    finally:
        os.umask(umask)
    assert ran.code == 0, ran.err
    lock = lock_path(path.resolve())
    assert stat.S_IMODE(lock.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(lock.stat().st_mode) == 0o644
    assert lock.read_bytes() == b""


def test_a_busy_lock_is_one_whole_line(path: Path) -> None:
    before = sha(path)
    target = path.resolve()
    with store_lock(target):
        ran = run("--store", str(path), *ADD, env={"DTIMELINE_LOCK_TIMEOUT": "0.25"})
    assert (ran.code, ran.out) == (6, "")
    assert ran.err == (
        f"dtimeline: {target}: another dtimeline is writing this store"
        f" (lock {lock_path(target)} held for 0.25 s); try again\n"
    )
    assert sha(path) == before


def test_a_lock_released_while_waiting_is_taken(path: Path) -> None:
    """A writer that finds the lock held waits, and writes once it is free."""
    import threading

    target = path.resolve()
    held = threading.Event()
    release = threading.Event()

    def holder() -> None:
        with store_lock(target):
            held.set()
            release.wait(10)

    thread = threading.Thread(target=holder)
    thread.start()
    held.wait(10)
    timer = threading.Timer(0.3, release.set)
    timer.start()
    try:
        ran = run("--store", str(path), *ADD, env={"DTIMELINE_LOCK_TIMEOUT": "20"})
    finally:
        release.set()
        thread.join(10)
    assert ran.code == 0, ran.err
    assert ran.out == "n\n"


def test_a_state_folder_that_cannot_be_made_is_one_whole_line(path: Path, tmp_path: Path) -> None:
    blocked = tmp_path / "state-is-a-file"
    blocked.write_text("", "utf-8")
    before = sha(path)
    ran = invoke("--store", str(path), *ADD, env={"XDG_STATE_HOME": str(blocked)})
    folder = blocked / "dtimeline" / "stores" / lock_path(path.resolve()).parent.name
    assert_one_line_error(ran, 6)
    assert ran.err == (
        f"dtimeline: {folder}: cannot create dtimeline's state folder: Not a directory\n"
    )
    assert sha(path) == before


def test_a_lock_file_that_cannot_be_made_is_one_whole_line(path: Path) -> None:
    lock = lock_path(path.resolve())
    lock.mkdir(parents=True)  # a folder where the lock file goes
    before = sha(path)
    ran = invoke("--store", str(path), *ADD)
    assert_one_line_error(ran, 6)
    assert ran.err == f"dtimeline: {lock}: cannot create the lock file: Is a directory\n"
    assert sha(path) == before


@pytest.mark.parametrize("vanishing", [1, 4, 99])
def test_a_lock_folder_removed_before_the_lock_file_is_opened_is_made_again(
    path: Path, monkeypatch: pytest.MonkeyPatch, vanishing: int
) -> None:
    """The state folder removed between making it and opening the lock file in it (as a
    failed first write to the store does, cli/target.py): made again, five tries in all."""
    lock = lock_path(path.resolve())
    real = os.open
    tries: list[int] = []

    def gone(file: object, flags: int, *args: int, **kwargs: int) -> int:
        if Path(str(file)) == lock:
            tries.append(1)
            if len(tries) <= vanishing:
                shutil.rmtree(lock.parent)
                raise FileNotFoundError(2, os.strerror(2), str(file))
        return real(file, flags, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", gone)
    ran = invoke("--store", str(path), *ADD)
    monkeypatch.setattr(os, "open", real)
    if vanishing < 5:
        assert (ran.code, ran.out) == (0, "n\n"), ran.err
        assert len(tries) == vanishing + 1
        assert lock.exists()
    else:
        assert (ran.code, ran.err) == (
            6,
            f"dtimeline: {lock}: cannot create the lock file: its folder keeps disappearing\n",
        )
        assert len(tries) == 5
        assert path.read_text("utf-8") == TEXT


def test_a_writer_waits_10_s_by_default_trying_every_20_ms(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The waiting writer's clock and sleep under the test's control (the lock held by
    the test itself): it tries, sleeps 20 ms, tries again, until 10 s have passed."""
    import time

    now = [1000.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    before = sha(path)
    real_monotonic, real_sleep = time.monotonic, time.sleep
    with store_lock(path.resolve()):
        monkeypatch.setattr(time, "monotonic", lambda: now[0])
        monkeypatch.setattr(time, "sleep", sleep)
        ran = invoke("--store", str(path), *ADD)
        monkeypatch.setattr(time, "monotonic", real_monotonic)
        monkeypatch.setattr(time, "sleep", real_sleep)
    lock = lock_path(path.resolve())
    assert (ran.code, ran.err) == (
        6,
        f"dtimeline: {path.resolve()}: another dtimeline is writing this store"
        f" (lock {lock} held for 10 s); try again\n",
    )
    assert set(slept) == {0.02}
    assert 10.0 <= sum(slept) < 10.05
    assert sha(path) == before
