"""The second process of a two-process index build (store/index.py: ``_build_in_two``).

A large store's first read is CPU-bound on one core: reading the text, validating the
events and making their rows. Where ``os.fork`` exists (POSIX), the file is cut at an
``[[events]]`` line near its middle; a forked worker reads, validates and turns the events
after the cut into rows of a temporary SQLite file of its own (the index's tables, ``seq``
from 0, the search keys in the plain table, no indexes), while the parent does the events
before it. The parent then copies the worker's rows into the index (store/rows.py:
``copy_part``).

The worker reports nothing: any problem in its part, a piece it cannot read alone, a crash
or a kill gives a non-zero exit (or a signal), and the parent then builds the index the
single-process way, which reports problems as ever. A worker whose parent died (killed
mid-build) stops at its next batch of rows and removes its file; what a kill of both
leaves is a ``.tmp-*.sqlite`` file of the cache folder, swept by a later build.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import tempfile
from pathlib import Path
from typing import Any

from dtimeline.model import Event, Store
from dtimeline.store import rows
from dtimeline.store.digest import Digest

#: The worker's exit codes (any other, or a signal, is also a failure).
OK, PROBLEMS, FAILED, ORPHANED = 0, 3, 4, 5


class Orphaned(Exception):  # noqa: N818 (a signal, not an error)
    """The worker's parent is gone: nobody will read its rows."""


class Worker:
    """A forked worker building the rows of the events from byte ``start`` of a store."""

    def __init__(self, pid: int, db: Path) -> None:
        self.pid: int | None = pid
        self.db = db

    def finish(self) -> bool:
        """Wait for the worker; whether it ended well (its rows are then in :attr:`db`)."""
        if self.pid is None:
            return False
        _, status = os.waitpid(self.pid, 0)
        self.pid = None
        return os.waitstatus_to_exitcode(status) == OK

    def discard(self) -> None:
        """Stop the worker if it still runs, and remove its file."""
        if self.pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self.pid, 0)
            self.pid = None
        with contextlib.suppress(OSError):
            self.db.unlink()


def available() -> bool:
    """Whether a worker can be forked here (POSIX)."""
    return os.name == "posix" and hasattr(os, "fork")


def start(path: Path, at: int, head: dict[str, Any], folder: Path) -> Worker:
    """Fork a worker for the events of the store at ``path`` from byte ``at`` (the start
    of an ``[[events]]`` line), validated against the parsed ``head``; its rows go to a
    new temporary file in ``folder``. Raises OSError when the file or the fork cannot be
    made."""
    fd, name = tempfile.mkstemp(prefix=".tmp-", suffix=".sqlite", dir=folder)  # 0600
    os.close(fd)
    db = Path(name)
    parent = os.getpid()
    try:
        pid = os.fork()
    except OSError:
        with contextlib.suppress(OSError):
            db.unlink()
        raise
    if pid == 0:  # the worker: never returns
        code = FAILED
        try:
            code = _work(path, at, head, db, parent)
        except Orphaned:
            code = ORPHANED
        except BaseException:  # (the parent falls back on any failure)
            code = FAILED
        finally:
            if code == ORPHANED or os.getppid() != parent:
                with contextlib.suppress(OSError):
                    db.unlink()
            os._exit(code)
    return Worker(pid, db)


def _work(path: Path, at: int, head: dict[str, Any], db: Path, parent: int) -> int:
    from dtimeline.store.load import stream_part
    from dtimeline.store.schema import validate

    digest = Digest()
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("BEGIN")
    rows.create(conn, plain=True)
    done = [0]

    def sink(store: Store, batch: list[Event]) -> None:
        if os.getppid() != parent:
            raise Orphaned
        rows.insert_events(conn, enumerate(batch, done[0]), store, False)
        done[0] += len(batch)

    _, problems = validate(head, "", path, stream_part(path, at, digest), sink)
    if any(not p.strict for p in problems):
        return PROBLEMS
    conn.executemany(
        "INSERT OR REPLACE INTO meta VALUES (?, ?)",
        [("content", digest.hexdigest()), ("events", done[0])],
    )
    conn.execute("COMMIT")
    conn.close()
    return OK


def part_content(conn: sqlite3.Connection, name: str) -> str:
    """The fingerprint of the bytes the worker read, from its database attached as
    ``name`` ('' if it has none)."""
    row = conn.execute(f"SELECT value FROM {name}.meta WHERE name = 'content'").fetchone()  # noqa: S608
    return "" if row is None else str(row[0])


def rest_of(path: Path, at: int, whole: Digest) -> str:
    """Feed ``whole`` the bytes of ``path`` from ``at`` on; the fingerprint of those bytes
    alone (to compare with what the worker read). Raises OSError."""
    rest = Digest()
    with path.open("rb") as fh:
        fh.seek(at)
        while chunk := fh.read(1 << 22):
            whole.update(chunk)
            rest.update(chunk)
    return rest.hexdigest()
