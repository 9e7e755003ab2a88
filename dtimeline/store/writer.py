"""Database writes on a thread of their own, in order, while the caller makes the next rows.

Building the index of a big store is Python work (reading, validating, making rows) and
SQLite work (inserting them, indexing their search keys). Python's ``sqlite3`` module lets
other threads run while SQLite executes a statement, so the two overlap when the writes
are done here and the rows made by the caller. Used by store/index.py's streamed build.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from types import TracebackType

#: Jobs waiting at most: bounds the rows held in memory (each job is one batch of rows).
DEPTH = 2


class BackgroundWriter:
    """Runs the jobs given to :meth:`submit` one after another on one thread. Used as a
    context manager: leaving waits for every job; the first exception a job raised is raised
    then (the jobs after it are dropped), unless the block itself raised, which wins."""

    def __init__(self) -> None:
        self._jobs: queue.Queue[Callable[[], object] | None] = queue.Queue(DEPTH)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="dtimeline-index", daemon=True)

    def __enter__(self) -> BackgroundWriter:
        self._thread.start()
        return self

    def submit(self, job: Callable[[], object]) -> None:
        """Queue ``job`` (waits while :data:`DEPTH` jobs are waiting); raises at once the
        exception an earlier job raised."""
        if self._error is not None:
            raise self._error
        self._jobs.put(job)

    def _run(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            if self._error is None:
                try:
                    job()
                except BaseException as exc:  # handed to the caller's thread
                    self._error = exc

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._jobs.put(None)
        self._thread.join()
        if kind is None and self._error is not None:
            raise self._error
