"""Appending to the store in place, made all-or-nothing by a roll-back record.

Replacing the whole file (store/atomic.py) costs a copy of the store; an append written
into the file itself costs only its own bytes. What makes it safe is a small record in the
store's private folder (store/sidecar.py), ``append.json``, written and fsynced *before* the
first new byte reaches the file and removed once the new bytes are written and fsynced:

    {"dev": ..., "ino": ..., "size": S, "tail": hex of the (at most 4 KB of) bytes before
     S, "added": N, "added_digest": fingerprint of the N new bytes, "entry": the undo
     history entry's file name}

While that record exists, the store's committed content is its first ``S`` bytes. Whoever
next holds the store's lock (every writer; a reader that doubts what it read takes the lock
for this, store/index.py) calls :func:`recover` first:

* the file is no longer that file (another device or inode, shorter than ``S``, longer than
  ``S + N``, other bytes before ``S``): the record is stale and dropped, the file kept;
* the file holds exactly the ``N`` new bytes after ``S``: the append completed (the writer
  died after it), the record is dropped;
* otherwise (some of the new bytes, or bytes a power cut left half-written) the file is
  truncated back to ``S`` and fsynced, and the write's undo entry is forgotten.

So after a SIGKILL or a power cut at any instant the next command sees the old bytes or the
old bytes plus all the new ones, never a torn tail. A write that fails in the process
(disk full, Ctrl-C) truncates the file back itself.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from dtimeline.errors import WriteError
from dtimeline.store.digest import Digest

RECORD = "append.json"
TAIL = 4096  # bytes before the append point kept in the record, to recognise the file
#: Linux stamps files from a clock that ticks at most every 10 ms; past this much after a
#: file's last change, any later change gets a later time stamp (see :func:`wait_out_tick`).
FINE_TICK_NS = 20_000_000
WAIT_MIN_SIZE = 8 << 20  # below this, checking the file's bytes costs less than waiting


class Moved(Exception):  # noqa: N818 (a signal, not an error)
    """The file is not the one the caller described (its stat differs): nothing written."""


@dataclass(frozen=True)
class Pending:
    """An append in progress (or killed): what :func:`recover` needs."""

    dev: int
    ino: int
    size: int  # bytes of the file before the append
    tail: bytes  # the last (at most TAIL) bytes before ``size``
    added: int  # length of the appended bytes
    added_digest: str  # their fingerprint (store/digest.py)
    entry: str  # the undo history entry of the write (a file name), or ''


def record_path(target: Path) -> Path:
    """The roll-back record of the store whose real path is ``target``."""
    from dtimeline.store.sidecar import sidecar_folder

    return sidecar_folder(target) / RECORD


def pending(target: Path) -> Pending | None:
    """The record of an append to ``target`` not known to be complete; None when there is
    none (a damaged record is treated as none: it is never trusted to cut the file)."""
    try:
        data = json.loads(record_path(target).read_text("utf-8"))
        return Pending(int(data["dev"]), int(data["ino"]), int(data["size"]),
                       bytes.fromhex(data["tail"]), int(data["added"]),
                       str(data["added_digest"]), str(data.get("entry", "")))  # fmt: skip
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write_record(target: Path, rec: Pending) -> None:
    from dtimeline.store.atomic import atomic_replace

    data = {"dev": rec.dev, "ino": rec.ino, "size": rec.size, "tail": rec.tail.hex(),
            "added": rec.added, "added_digest": rec.added_digest, "entry": rec.entry}  # fmt: skip
    path = record_path(target)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    atomic_replace(path, json.dumps(data).encode("utf-8"))  # fsynced, folder too


def _drop_record(target: Path) -> None:
    with contextlib.suppress(OSError):
        record_path(target).unlink()


def _read_at(fd: int, size: int, offset: int) -> bytes:
    parts, got = [], 0
    while got < size:
        if hasattr(os, "pread"):
            piece = os.pread(fd, min(size - got, 1 << 20), offset + got)
        else:  # pragma: no cover (Windows)
            os.lseek(fd, offset + got, os.SEEK_SET)
            piece = os.read(fd, min(size - got, 1 << 20))
        if not piece:
            break
        parts.append(piece)
        got += len(piece)
    return b"".join(parts)


def recover(target: Path) -> None:
    """Settle an append to the store at ``target`` (its real path) that did not finish;
    the caller holds the store's lock. Raises WriteError when a torn tail cannot be cut
    (then nothing may write the store)."""
    rec = pending(target)
    if rec is None:
        return
    try:
        fd = os.open(target, os.O_RDWR | os.O_CLOEXEC)
    except FileNotFoundError:
        _drop_record(target)
        return
    except OSError as exc:
        raise WriteError(f"{target}: cannot undo an unfinished write: {exc.strerror}") from None
    try:
        st = os.fstat(fd)
        if (
            (st.st_dev, st.st_ino) != (rec.dev, rec.ino)
            or not rec.size <= st.st_size <= rec.size + rec.added
            or _read_at(fd, len(rec.tail), rec.size - len(rec.tail)) != rec.tail
        ):
            _drop_record(target)  # another file now: not ours to cut
            return
        added = _read_at(fd, st.st_size - rec.size, rec.size)
        if len(added) == rec.added and Digest(added).hexdigest() == rec.added_digest:
            _drop_record(target)  # the append completed before its writer died
            return
        if st.st_size != rec.size:
            os.ftruncate(fd, rec.size)
            os.fsync(fd)
    except OSError as exc:
        raise WriteError(f"{target}: cannot undo an unfinished write: {exc.strerror}") from None
    finally:
        os.close(fd)
    if rec.entry:
        from dtimeline.store import history

        history.forget_named(target, rec.entry)
    _drop_record(target)


def append(target: Path, expect: os.stat_result, added: bytes, before: str) -> Appending:
    """Start appending ``added`` to the store at ``target`` (real path), whose stat must
    still be ``expect`` and whose bytes have fingerprint ``before``; raises Moved when the
    file is not that one. Use as a context manager around the undo history entry, see
    :class:`Appending`."""
    return Appending(target, expect, added, before)


class Appending:
    """One in-place append. ``with append(...) as a:`` opens the file; ``a.after`` is the
    new fingerprint; ``a.write(entry_name)`` writes the record, then the bytes, fsynced,
    then drops the record. Leaving the block by an exception before :meth:`write`
    completed leaves the file as it was (truncated back; the record removed). OSError
    becomes WriteError naming the store."""

    def __init__(self, target: Path, expect: os.stat_result, added: bytes, before: str) -> None:
        self.target = target
        self.expect = expect
        self.added = added
        self.before = before
        self.after = ""
        self.fd = -1
        self.written = False
        self.size = 0

    def __enter__(self) -> Appending:
        start = Digest.resume(self.before)  # (ValueError for an index without one)
        try:
            self.fd = os.open(self.target, os.O_RDWR | os.O_APPEND | os.O_CLOEXEC)
        except OSError as exc:
            raise WriteError(f"{self.target}: cannot write: {exc.strerror or exc}") from None
        st, want = os.fstat(self.fd), self.expect
        if (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns) != (
            want.st_dev, want.st_ino, want.st_size, want.st_mtime_ns, want.st_ctime_ns
        ) or start.size != st.st_size:  # fmt: skip
            os.close(self.fd)
            raise Moved
        self.size = st.st_size
        self.after = start.update(self.added).hexdigest()
        return self

    def write(self, entry: str) -> None:
        """The roll-back record (fsynced), then the new bytes (fsynced)."""
        from dtimeline.store.atomic import write_all

        tail = _read_at(self.fd, min(TAIL, self.size), self.size - min(TAIL, self.size))
        st = os.fstat(self.fd)
        _write_record(self.target, Pending(st.st_dev, st.st_ino, self.size, tail,
                                           len(self.added), Digest(self.added).hexdigest(),
                                           entry))  # fmt: skip
        try:
            write_all(self.fd, self.added)
            os.fsync(self.fd)
        except OSError as exc:
            raise WriteError(f"{self.target}: cannot write: {exc.strerror or exc}") from None
        self.written = True
        _drop_record(self.target)  # complete and on disk: nothing left to roll back

    def __exit__(self, kind: object, exc: object, tb: object) -> None:
        try:
            if kind is not None and not self.written:
                try:  # put the file back as it was; if that fails, recover() will
                    if os.fstat(self.fd).st_size != self.size:
                        os.ftruncate(self.fd, self.size)
                        os.fsync(self.fd)
                    _drop_record(self.target)
                except OSError:
                    pass
        finally:
            os.close(self.fd)


def wait_out_tick(target: Path) -> None:
    """Wait (at most :data:`FINE_TICK_NS`) until a later change of the store at ``target``
    would get a later time stamp than the one it has now, so the index keyed by its stat
    needs no check of the file's bytes (store/index.py: "racy"). Only on Linux, for a file
    whose time stamps are finer than a millisecond and large enough that reading it would
    cost more (:data:`WAIT_MIN_SIZE`); elsewhere nothing happens."""
    if not sys.platform.startswith("linux"):
        return
    try:
        st = target.stat()
    except OSError:
        return
    if st.st_size < WAIT_MIN_SIZE or not fine_stamps(st):
        return
    left = max(st.st_mtime_ns, st.st_ctime_ns) + FINE_TICK_NS - time.time_ns()
    if 0 < left <= FINE_TICK_NS:
        time.sleep(left / 1e9)


def fine_stamps(st: os.stat_result) -> bool:
    """Whether the file system keeps this file's times finer than a millisecond."""
    return bool(st.st_mtime_ns % 1_000_000 or st.st_ctime_ns % 1_000_000)
