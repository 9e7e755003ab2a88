"""Which file a write goes to, and making sure a failed write leaves nothing behind.

A write goes to the store that was found (``--store``, ``$DTIMELINE_STORE``,
``./events.toml``, the user's data folder). A ``--store`` or ``$DTIMELINE_STORE`` that
does not exist is an error naming ``dtimeline init``: a write never creates a store by
surprise. With no store anywhere, the bundled timeline is copied to the user's data
folder for the write; if the write then fails, the copy and everything made for it
(folders, and its lock and history in dtimeline's state folder) is removed again, so
only a write that succeeds leaves a copy.
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator
from pathlib import Path

from dtimeline.cli.state import State
from dtimeline.errors import StoreError

LOCK_TIMEOUT_VAR = "DTIMELINE_LOCK_TIMEOUT"


def lock_timeout(state: State) -> float:
    """Seconds to wait for another writer's lock (``$DTIMELINE_LOCK_TIMEOUT``, default 10)."""
    from dtimeline.errors import InputError
    from dtimeline.store.lock import DEFAULT_TIMEOUT

    raw = state.environ.get(LOCK_TIMEOUT_VAR, "")
    if not raw:
        return DEFAULT_TIMEOUT
    try:
        return max(0.0, float(raw))
    except ValueError:
        raise InputError(f"${LOCK_TIMEOUT_VAR}={raw!r} is not a number of seconds") from None


def _missing_folders(path: Path) -> list[Path]:
    """The folders above ``path`` that do not exist yet, outermost first."""
    missing = []
    for folder in path.parents:
        if folder.exists():
            break
        missing.append(folder)
    return missing[::-1]


@contextlib.contextmanager
def _first_write(path: Path) -> Iterator[None]:
    """A write to ``path`` that removes, when it fails, the folders it made in the user's
    state folder for the store's lock and history (the first write to a store makes them),
    so a failed command leaves nothing new on disk. store/lock.py makes this safe for a
    writer waiting on the removed lock."""
    from dtimeline.store.sidecar import sidecar_folder
    from dtimeline.store.write import target_of

    made = _missing_folders(sidecar_folder(target_of(path)) / "lock")
    before = _signature(path) if made else None
    try:
        yield
    except BaseException:
        if made and _signature(path) == before:  # the store was not written after all
            shutil.rmtree(made[-1], ignore_errors=True)  # this store's own folder
            for outer in reversed(made[:-1]):  # shared ones only while empty
                try:
                    outer.rmdir()
                except OSError:
                    break
        raise


def _signature(path: Path) -> tuple[int, int, int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


@contextlib.contextmanager
def write_target(state: State, *, dry_run: bool = False) -> Iterator[Path]:
    """The store file to write, for the duration of the write (see the module docstring).
    ``dry_run``: a write that only says what it would do: the store found, as it is."""
    location = state.location
    if dry_run:
        yield location.path
        return
    if not location.bundled:
        path = location.path
        if not path.exists():
            raise StoreError(
                f"{path}: no such store file", hint=f"to start one: dtimeline init {path}"
            )
        with _first_write(path):
            yield path
        return
    from dtimeline.store import user_store_path
    from dtimeline.store.create import create_new
    from dtimeline.store.sidecar import sidecar_folder
    from dtimeline.store.write import read_current, target_of

    dest = user_store_path()
    folders = _missing_folders(dest)
    before = set(dest.parent.iterdir()) if not folders else set()
    side = sidecar_folder(target_of(dest))  # its lock and undo history
    side_folders = _missing_folders(side / "lock")
    copied = False
    try:
        if folders:
            folders[-1].mkdir(parents=True, exist_ok=True)
        copied = create_new(dest, read_current(location.path))
        yield dest
    except BaseException:
        if copied and side_folders:
            shutil.rmtree(side_folders[0], ignore_errors=True)
        if folders:
            shutil.rmtree(folders[0], ignore_errors=True)
        elif copied:
            for made in set(dest.parent.iterdir()) - before:
                if made.is_dir():
                    shutil.rmtree(made, ignore_errors=True)
                else:
                    made.unlink(missing_ok=True)
        raise
    if copied:
        state.warn(
            f"no store yet: copied the bundled timeline to {dest} and wrote there"
            " (for a fresh, empty store instead: dtimeline init PATH)"
        )
