"""Append many events in pieces, all or nothing, without holding the store or the new events
(``import`` of a large input into a large store).

Under the store's lock: the store's index is opened; ``plan(index)`` checks the whole input
against it (raising before anything is written) and returns the new events as an iterator of
pieces. The old file is copied to a temporary file in the store's folder a megabyte at a
time, its fingerprint checked against the one the index describes; each piece's
``[[events]]`` tables are then verified (parsed afresh, store/readback.py), written after
it and inserted into the index, inside one index transaction. One undo entry is recorded,
the temporary file is fsynced and renamed over the store (store/atomic.py), and only then
is the index transaction committed, keyed by the new file's stat. A failure anywhere
before the rename leaves the store and the index as they were; a crash after it leaves an
index that no longer matches the file, rebuilt by the next command.

Memory: one piece of events and its text at a time, plus the new events' ids (for the undo
entry). SQLite spills the index transaction to disk beyond its page cache.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterable
from pathlib import Path

from dtimeline.model import Event
from dtimeline.store.index import Index


class Mismatch(Exception):  # noqa: N818 (a signal, not an error)
    """The index does not describe the file's bytes (a hand edit it missed)."""


def append_in_pieces(
    path: Path,
    plan: Callable[[Index], Iterable[list[Event]]],
    what: Callable[[int], str],
    timeout: float,
) -> int:
    """Append the events ``plan(index)`` yields, in pieces, in one undoable write (see the
    module docstring); returns how many were written (0: nothing was written). Raises what
    ``plan`` raises (before any write), WriteError when the file cannot be written."""
    from dtimeline.store import index as ix
    from dtimeline.store.lock import store_lock
    from dtimeline.store.write import target_of

    target = target_of(path)
    with store_lock(target, timeout):
        view = ix.open_index(path)
        try:
            return _write(path, target, view, plan, what)
        except Mismatch as found:
            view = ix.for_writer(path, str(found))  # rebuilt from the file, under the lock
        return _write(path, target, view, plan, what)


def _write(
    path: Path,
    target: Path,
    view: Index,
    plan: Callable[[Index], Iterable[list[Event]]],
    what: Callable[[int], str],
) -> int:
    from dtimeline.store import history, rows
    from dtimeline.store import index as ix
    from dtimeline.store.atomic import atomic_writer, write_all
    from dtimeline.store.digest import Digest
    from dtimeline.store.tomlblock import events_text
    from dtimeline.store.write import (
        Splice,
        check_writable,
        edges,
        sweep_temporaries,
        verify_blocks,
    )

    pieces = plan(view)  # the first pass: every record checked before anything is written
    before = view.content()
    newline, clean_end = edges(target)
    check_writable(target)
    sweep_temporaries(target)
    conn, head = view.conn, view.head
    seq = _next_seq(view)
    ids: list[str] = []
    entry = None
    begun = False
    try:
        with atomic_writer(target) as fd:
            hasher = Digest()
            with target.open("rb") as src:
                while chunk := src.read(1 << 20):
                    hasher.update(chunk)
                    write_all(fd, chunk)
            if hasher.hexdigest() != before:
                raise Mismatch(hasher.hexdigest())
            size = hasher.size
            conn.execute("BEGIN IMMEDIATE")
            begun = True
            for events in pieces:
                if not events:
                    continue
                text = events_text(events, newline)
                if not clean_end and not ids:
                    text = newline + text
                verify_blocks(text, events, target)
                data = text.encode("utf-8")
                write_all(fd, data)
                hasher.update(data)
                rows.insert_events(conn, enumerate(events, seq), head, view.fts)
                rows.widen_span(conn, events)
                seq += len(events)
                ids += [ev.id for ev in events]
            if not ids:
                raise _Nothing
            entry = history.record(target, Splice(size, size, b""), b"", before,
                                   hasher.hexdigest(), what(len(ids)), tuple(ids),
                                   new_len=hasher.size - size)  # fmt: skip
    except _Nothing:
        _rollback(conn, begun)
        return 0
    except BaseException:
        _rollback(conn, begun)
        if entry is not None:
            history.forget(entry)
        raise
    ix.commit_follow(view, path, hasher.hexdigest())
    return len(ids)


class _Nothing(Exception):  # noqa: N818 (a signal, not an error)
    """Every record was skipped: nothing to write."""


def _next_seq(index: Index) -> int:
    row = index.conn.execute("SELECT coalesce(max(seq), -1) FROM events").fetchone()
    return int(row[0]) + 1


def _rollback(conn: sqlite3.Connection, begun: bool) -> None:
    if begun:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")
