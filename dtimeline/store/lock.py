"""One writer at a time: an advisory lock file beside the store (``.events.toml.lock``).

filelock's Unix lock is ``flock(2)``: the kernel drops it when the holding process dies, so
a writer killed mid-way never leaves a lock that blocks the next one. The lock file itself
stays (an empty file); its presence means nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from dtimeline.errors import WriteError

DEFAULT_TIMEOUT = 10.0  # seconds


def lock_path(store: Path) -> Path:
    return store.parent / f".{store.name}.lock"


@contextmanager
def store_lock(store: Path, timeout: float = DEFAULT_TIMEOUT) -> Iterator[None]:
    """Hold the store's lock (``store`` should be the resolved path) for the block."""
    from filelock import FileLock, Timeout

    path = lock_path(store)
    lock = FileLock(str(path), timeout=timeout)
    try:
        lock.acquire()
    except Timeout:
        raise WriteError(
            f"{store}: another dtimeline is writing this store (lock {path.name} held"
            f" for {timeout:g} s); try again"
        ) from None
    except OSError as exc:
        raise WriteError(f"{path}: cannot create the lock file: {exc.strerror or exc}") from None
    try:
        yield
    finally:
        lock.release()
