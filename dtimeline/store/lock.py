"""One writer at a time: an advisory lock on a file kept outside the store's folder (its
``lock`` in the store's private folder, see store/sidecar.py), so nothing appears beside it.

On POSIX systems the lock is ``flock(2)`` straight from the standard library: the kernel
drops it when the holding process dies, so a writer killed mid-way never leaves a lock that
blocks the next one, and taking it costs nothing to import. Elsewhere (Windows) the
``filelock`` package provides the same. The lock file itself stays (an empty file); its
presence means nothing. filelock's Unix lock is the same flock, so both interoperate.

Whoever takes the lock first settles an append a killed writer left unfinished
(store/inplace.py: the torn tail is cut back), so a lock holder always sees a whole store.

A writer that got the lock checks that the lock file is still the one it locked: the
folder holding it may be removed after a failed first write to a store (cli/target.py
leaves nothing on disk), and a lock taken on a removed file would keep nobody out.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from dtimeline.errors import WriteError

DEFAULT_TIMEOUT = 10.0  # seconds
_POLL = 0.02  # seconds between tries while another writer holds the lock


def lock_path(store: Path) -> Path:
    """The lock file of ``store`` (its resolved path)."""
    from dtimeline.store.sidecar import lock_path as path_of

    return path_of(store)


def _busy(store: Path, path: Path, timeout: float) -> WriteError:
    return WriteError(
        f"{store}: another dtimeline is writing this store (lock {path} held"
        f" for {timeout:g} s); try again"
    )


@contextmanager
def store_lock(store: Path, timeout: float = DEFAULT_TIMEOUT) -> Iterator[None]:
    """Hold the store's lock (``store`` should be the resolved path) for the block."""
    path = lock_path(store)
    try:
        import fcntl
    except ImportError:  # pragma: no cover (Windows)
        _make_folder(path)
        with _portable_lock(store, path, timeout):
            _settle(store)
            yield
        return
    deadline = time.monotonic() + timeout
    while True:
        fd = _open_lock_file(path)
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise _busy(store, path, timeout) from None
                    time.sleep(_POLL)
            if not _still_there(fd, path):
                # the file was removed (with its folder, after a failed first write:
                # cli/target.py) while we waited: lock the file that is there now
                os.close(fd)
                continue
        except BaseException:
            os.close(fd)
            raise
        break
    try:
        _settle(store)
        yield
    finally:
        try:
            fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)


def _settle(store: Path) -> None:
    """Finish what a killed writer left: an in-place append that did not complete is cut
    back (store/inplace.py), so whoever holds the lock sees a whole store."""
    from dtimeline.store.inplace import recover

    recover(store)


def _make_folder(path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise WriteError(
            f"{path.parent}: cannot create dtimeline's state folder: {exc.strerror or exc}"
        ) from None


def _open_lock_file(path: Path) -> int:
    """The lock file, opened (created, with its folder, where missing)."""
    for _ in range(5):  # the folder may be removed between mkdir and open: make it again
        _make_folder(path)
        try:
            return os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise WriteError(
                f"{path}: cannot create the lock file: {exc.strerror or exc}"
            ) from None
    raise WriteError(f"{path}: cannot create the lock file: its folder keeps disappearing")


def _still_there(fd: int, path: Path) -> bool:
    """Whether ``path`` still names the file open as ``fd`` (a lock on a removed file
    keeps nobody out)."""
    try:
        now = path.stat()
    except FileNotFoundError:
        return False
    held = os.fstat(fd)
    return (now.st_dev, now.st_ino) == (held.st_dev, held.st_ino)


@contextmanager
def _portable_lock(store: Path, path: Path, timeout: float) -> Iterator[None]:  # pragma: no cover
    from filelock import FileLock, Timeout

    lock = FileLock(str(path), timeout=timeout)
    try:
        lock.acquire()
    except Timeout:
        raise _busy(store, path, timeout) from None
    except OSError as exc:
        raise WriteError(f"{path}: cannot create the lock file: {exc.strerror or exc}") from None
    try:
        yield
    finally:
        lock.release()
