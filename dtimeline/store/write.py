"""Change the store safely: under its lock, all or nothing, with undo history.

Every write is a *splice*: bytes ``[start, end)`` of the old file are replaced by new bytes
(an append is a splice at the end). The splice is recorded in the undo history (kept outside
the store's folder, store/sidecar.py) before the file changes, so ``undo`` can put the
old bytes back.

Two ways to change the file, each leaving the old or the new store after a crash at any
instant, never a torn one:

* ``add`` appends in place when the store's index describes the file exactly
  (store/inplace.py: a roll-back record is written and fsynced first, then the new bytes;
  whoever next takes the lock cuts an unfinished append back). Its cost does not grow with
  the store.
* Every other write replaces the file: a temporary file in the store's own folder, written
  and fsynced, renamed over the store, then the folder fsynced. A symlinked store is
  written through: the link's target is replaced.
"""

from __future__ import annotations

import contextlib
import glob
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from dtimeline.errors import StoreError, WriteError
from dtimeline.model import Event, Store
from dtimeline.store.atomic import atomic_replace, atomic_writer, write_all
from dtimeline.store.digest import Digest, digest

if TYPE_CHECKING:
    from dtimeline.store.history import Entry
    from dtimeline.store.index import Ids, WriterView

__all__ = [  # atomic_*, write_all and the digests live in their own modules, kept here too
    "BOM",
    "Digest",
    "Splice",
    "append_events",
    "append_on_view",
    "atomic_replace",
    "atomic_writer",
    "check_writable",
    "commit",
    "decode_store",
    "digest",
    "edges",
    "find_event",
    "newline_of",
    "read_current",
    "redo_last",
    "remove_events",
    "rewrite_event",
    "sweep_temporaries",
    "target_of",
    "undo_last",
    "verify_blocks",
    "write_all",
]  # fmt: skip

BOM = b"\xef\xbb\xbf"


def target_of(path: Path) -> Path:
    """The real file behind ``path`` (symlinks followed), absolute."""
    return Path(os.path.realpath(path))


def check_writable(target: Path) -> None:
    """Refuse early, with a clear message, when the file or its folder is read-only."""
    if target.exists() and not os.access(target, os.W_OK):
        raise WriteError(f"{target}: the store is read-only")
    if not os.access(target.parent, os.W_OK):
        raise WriteError(f"{target.parent}: the store's folder is read-only")


def read_current(target: Path) -> bytes:
    from dtimeline.store.load import read_bytes

    return read_bytes(target)


def decode_store(data: bytes, target: Path) -> tuple[str, int]:
    """The file's text and the byte length of a leading BOM (0 or 3)."""
    from dtimeline.store.load import decode

    return decode(data, target), (len(BOM) if data.startswith(BOM) else 0)


def newline_of(data: bytes) -> str:
    """The file's line ending (by its first line), so appended blocks match it."""
    first = data.find(b"\n")
    return "\r\n" if first > 0 and data[first - 1 : first] == b"\r" else "\n"


def sweep_temporaries(target: Path) -> None:
    """Delete temporary files a killed writer left (only the lock holder makes them)."""
    for stale in target.parent.glob(f".{glob.escape(target.name)}.*.tmp"):
        with contextlib.suppress(OSError):
            stale.unlink()


@dataclass(frozen=True)
class Splice:
    """Replace bytes ``start:end`` of a file with ``replacement``."""

    start: int
    end: int
    replacement: bytes

    def apply(self, old: bytes) -> bytes:
        return old[: self.start] + self.replacement + old[self.end :]


def commit(  # noqa: PLR0917
    target: Path,
    old: bytes,
    splice: Splice,
    what: str,
    hasher: Digest | None = None,
    ids: tuple[str, ...] = (),
) -> bytes:
    """Record ``splice`` in the history, then replace the file; the caller holds the lock.
    ``hasher``: ``Digest(old)``, if the caller made it already."""
    from dtimeline.store import history

    check_writable(target)
    sweep_temporaries(target)
    new = splice.apply(old)
    hasher = Digest(old) if hasher is None else hasher
    before = hasher.hexdigest()
    if splice.start == splice.end == len(old):  # an append: hash only the new bytes again
        hasher.update(splice.replacement)
        after = hasher.hexdigest()
    else:
        after = digest(new)
    replaced = old[splice.start : splice.end]
    entry = history.record(target, splice, replaced, before, after, what, ids)
    try:
        atomic_replace(target, new)
    except BaseException:
        history.forget(entry)
        raise
    return new


# --- the operations --------------------------------------------------------------------


def append_events(
    path: Path,
    build: Callable[[Store], list[Event]],
    what: Callable[[list[Event]], str],
    timeout: float,
) -> tuple[list[Event], Store]:
    """Append the events ``build(store)`` returns (computed under the lock) to the file.

    The existing bytes are kept exactly; the new blocks are verified by parsing them alone
    before anything is written. Returns the events written and the new store."""
    from dataclasses import replace

    from dtimeline.store import after_write, load_store
    from dtimeline.store.lock import store_lock
    from dtimeline.store.tomlblock import events_text

    target = target_of(path)
    with store_lock(target, timeout):
        old = read_current(target)
        store = load_store(path)
        events = build(store)
        if not events:
            return [], store
        newline = newline_of(old)
        text = events_text(events, newline)
        if old and not old.endswith(b"\n"):
            text = newline + text
        _check_new_ids({ev.id for ev in store.events}, events)
        verify_blocks(text, events, target)
        new = commit(target, old, Splice(len(old), len(old), text.encode("utf-8")), what(events),
                     ids=tuple(ev.id for ev in events))  # fmt: skip
        new_store = replace(store, events=store.events + tuple(events))
        after_write(path, new_store, new)  # under the lock, as the read cache asks
    return events, new_store


def append_on_view(
    path: Path,
    build: Callable[[WriterView], list[Event]],
    what: Callable[[list[Event]], str],
    timeout: float,
) -> list[Event]:
    """:func:`append_events` for a build that needs only the store's head, its ids and its
    likely duplicates (``add``): asked of the store's index (store/index.py); no event is
    built from the store. When the index describes the file exactly as it is (its key,
    the file's stat, matches), the new bytes are appended to the file in place, made
    all-or-nothing by a roll-back record (store/inplace.py): the cost does not grow with
    the store. Otherwise (a hand edit since the index was made...) the store is read
    whole and replaced, as :func:`append_events` does. The same checks run before the
    write; afterwards the new rows go into the index. Returns the events written."""
    from dtimeline.store.lock import store_lock

    target = target_of(path)
    with store_lock(target, timeout):
        try:
            return _append_in_place(path, target, build, what)
        except _Changed:
            pass
        return _append_read_whole(path, target, build, what)


class _Changed(Exception):  # noqa: N818 (a signal, not an error)
    """The file is not the one the index describes."""


def edges(target: Path) -> tuple[str, bool]:
    """The file's line ending (by its first line) and whether it is empty or ends with a
    newline, read from its first line and last byte only."""
    with target.open("rb") as fh:
        head = b""
        while b"\n" not in head and (more := fh.read(1 << 16)):
            head += more
        size = fh.seek(0, os.SEEK_END)
        if size:
            fh.seek(size - 1)
        last = fh.read(1)
    return newline_of(head), size == 0 or last == b"\n"


def _append_in_place(
    path: Path,
    target: Path,
    build: Callable[[WriterView], list[Event]],
    what: Callable[[list[Event]], str],
) -> list[Event]:
    """The append written into the file itself (store/inplace.py), when the index describes
    the file exactly as it is now (its key is the file's stat); raises _Changed if not."""
    from dtimeline.store import history, inplace
    from dtimeline.store import index as ix
    from dtimeline.store.sync import appended

    view = ix.open_index(path)
    before = view.content()
    try:
        st = target.stat()
        now = ix.ticket(path)
        newline, clean_end = edges(target)
    except OSError:
        raise _Changed from None  # the whole-file path words the error
    if now is None or view.key() != now.key:
        raise _Changed
    events = build(view)
    if not events:
        return []
    added = _checked_blocks(view, events, newline, clean_end, target)
    plan = appended(view, events)
    check_writable(target)
    sweep_temporaries(target)
    try:
        appending = inplace.append(target, st, added, before)
        with appending:
            splice = Splice(st.st_size, st.st_size, added)
            ids = tuple(ev.id for ev in events)
            entry = history.record(target, splice, b"", before, appending.after, what(events),
                                   ids)  # fmt: skip
            try:
                appending.write(entry.meta.name)
            except BaseException:
                history.forget(entry)
                raise
    except (inplace.Moved, ValueError):
        raise _Changed from None
    inplace.wait_out_tick(target)
    ix.follow(view, path, appending.after, plan, None)
    return events


def _append_read_whole(
    path: Path,
    target: Path,
    build: Callable[[WriterView], list[Event]],
    what: Callable[[list[Event]], str],
) -> list[Event]:
    """The file read whole, and an index rebuilt from it if it does not describe it."""
    from dtimeline.store import index as ix
    from dtimeline.store.sync import appended

    old = read_current(target)
    hasher = Digest(old)
    view = ix.for_writer(path, hasher.hexdigest())
    events = build(view)
    if not events:
        return []
    clean_end = not old or old.endswith(b"\n")
    added = _checked_blocks(view, events, newline_of(old), clean_end, target)
    plan = appended(view, events)
    commit(target, old, Splice(len(old), len(old), added), what(events), hasher,
           tuple(ev.id for ev in events))  # fmt: skip
    ix.follow(view, path, hasher.hexdigest(), plan, None)  # commit fed ``added`` to it
    return events


def _checked_blocks(
    view: WriterView, events: list[Event], newline: str, clean_end: bool, target: Path
) -> bytes:
    """The UTF-8 blocks of ``events`` as they go after the file's last byte (a line end
    first when the file does not end with one), checked before anything is written: ids
    new to the store (ConflictError) and each block read back alone as its event."""
    from dtimeline.store.tomlblock import events_text

    text = events_text(events, newline)
    if not clean_end:
        text = newline + text
    _check_new_ids(view.id_set(), events)
    verify_blocks(text, events, target)
    return text.encode("utf-8")


def _check_new_ids(taken: set[str] | Ids, events: list[Event]) -> None:
    from dtimeline.errors import ConflictError

    for ev in events:
        if ev.id in taken:
            raise ConflictError(f"an event with id {ev.id!r} exists already")
        taken.add(ev.id)


def verify_blocks(text: str, events: list[Event], target: Path) -> None:
    """Parse the new blocks afresh; they must read back as the events' own fields say
    (store/readback.py: an expectation not built by the writer)."""
    import tomli

    from dtimeline.store.readback import read_back

    try:
        parsed = tomli.loads(text)
    except tomli.TOMLDecodeError as exc:  # a serializer bug (a test fakes one)
        raise StoreError(f"{target}: refusing to write: new text does not parse ({exc})") from None
    want = [read_back(ev) for ev in events]
    if parsed.get("events") != want:  # a serializer bug, as above
        raise StoreError(f"{target}: refusing to write: new text does not read back as given")


def rewrite_event(
    path: Path,
    event_id: str,
    change: Callable[[Store, Event], Event],
    what: str,
    timeout: float,
) -> tuple[Event, Event, Store]:
    """Replace one event's table in the file by ``change(store, event)``.

    Only the event's own lines change, and of those only the keys whose value changed
    (see :func:`tomlblock.edited_block`): every other byte, comment included, stays. The
    whole result is parsed and validated before it replaces the file; should the minimal
    edit not read back exactly, the event's table is written afresh instead."""
    from dtimeline.store import after_write, load_store
    from dtimeline.store.lock import store_lock
    from dtimeline.store.tomlblock import edited_block, event_block, event_span

    target = target_of(path)
    with store_lock(target, timeout):
        old = read_current(target)
        store = load_store(path)
        index, before = find_event(store, event_id)
        after = change(store, before)
        text, bom = decode_store(old, target)
        start, end = event_span(text, index, target)
        segment, newline = text[start:end], newline_of(old)
        events = list(store.events)
        events[index] = after
        b_start = bom + len(text[:start].encode("utf-8"))
        b_end = b_start + len(segment.encode("utf-8"))
        attempts: tuple[Callable[[], str], ...] = (
            lambda: edited_block(segment, before, after, newline),
            lambda: event_block(after, newline),
        )
        for n, attempt in enumerate(attempts):
            new_text = attempt()
            if not segment.endswith("\n"):
                new_text = new_text.rstrip("\r\n")
            splice = Splice(b_start, b_end, new_text.encode("utf-8"))
            try:
                new_store = _verify_rewrite(splice.apply(old), target, events)
                break
            except StoreError:
                if n == len(attempts) - 1:
                    raise
        new = commit(target, old, splice, what, ids=(event_id,))
        after_write(path, new_store, new)
    return before, after, new_store


def remove_events(
    path: Path, ids: list[str], what: str, timeout: float
) -> tuple[list[Event], Store]:
    """Remove several events in one write (all or nothing)."""
    from dtimeline.store import after_write, load_store
    from dtimeline.store.lock import store_lock
    from dtimeline.store.tomlblock import event_span

    target = target_of(path)
    with store_lock(target, timeout):
        old = read_current(target)
        store = load_store(path)
        found = sorted({find_event(store, i)[0] for i in ids})
        text, bom = decode_store(old, target)
        spans = []
        for index in found:
            start, end = event_span(text, index, target)
            spans.append((start, _skip_blank_lines(text, end)))
        first, stop = spans[0][0], spans[-1][1]
        parts, pos = [], first
        for start, end in spans:
            parts.append(text[pos:start])
            pos = end
        middle = "".join(parts)
        b_start = bom + len(text[:first].encode("utf-8"))
        b_end = b_start + len(text[first:stop].encode("utf-8"))
        splice = Splice(b_start, b_end, middle.encode("utf-8"))
        keep = set(found)
        events = [ev for i, ev in enumerate(store.events) if i not in keep]
        new_store = _verify_rewrite(splice.apply(old), target, events)
        new = commit(target, old, splice, what, ids=tuple(store.events[i].id for i in found))
        after_write(path, new_store, new)
    return [store.events[i] for i in found], new_store


def find_event(store: Store, event_id: str) -> tuple[int, Event]:
    """The position and the event of id ``event_id`` (raises NotFoundError, suggesting
    the nearest ids)."""
    from dtimeline.errors import NotFoundError
    from dtimeline.query import suggest

    for index, ev in enumerate(store.events):
        if ev.id == event_id:
            return index, ev
    raise NotFoundError(
        f"no event with id {event_id!r}", hint=suggest(event_id, [e.id for e in store.events])
    )


def _skip_blank_lines(text: str, end: int) -> int:
    """Past the blank lines that follow a removed table (so no double gap remains)."""
    pos = end
    while pos < len(text):
        nl = text.find("\n", pos)
        line = text[pos:] if nl < 0 else text[pos:nl]
        if line.strip():
            break
        pos = len(text) if nl < 0 else nl + 1
    return pos


def _verify_rewrite(new: bytes, target: Path, events: list[Event]) -> Store:
    """Parse and validate the whole new file; its events must be exactly ``events``."""
    from dtimeline.store.load import decode, load_text

    store, problems = load_text(decode(new, target), target)
    errors = [p for p in problems if not p.strict]
    if errors or list(store.events) != events:
        raise StoreError(
            f"{target}: refusing to write: the change would not read back as intended"
            f" ({errors[0] if errors else 'events differ'}); please edit this event by hand"
        )
    return store


def undo_last(path: Path, timeout: float, *, dry_run: bool = False) -> Entry:
    """Revert the last recorded write (kept for :func:`redo_last`); returns its entry
    (``what``: e.g. ``add 2024-...``). ``dry_run``: check that it can be undone, change
    nothing."""
    from dtimeline.store import history
    from dtimeline.store.lock import store_lock

    target = target_of(path)
    with store_lock(target, timeout):
        current = read_current(target)
        restored, entry = history.undo(target, current, dry_run=dry_run)
        if dry_run:
            return entry
        check_writable(target)
        atomic_replace(target, restored)
        history.undone(target, entry, current)
    # no after_write: the restored store is not at hand without a parse, and the index
    # (keyed by the file's stat) re-reads the changed file by itself
    return entry


def redo_last(path: Path, timeout: float) -> Entry:
    """Apply again the write ``undo`` last took back (refused once the store has changed
    since); returns its entry. It becomes an undo step again."""
    from dtimeline.store import history
    from dtimeline.store.lock import store_lock

    target = target_of(path)
    with store_lock(target, timeout):
        current = read_current(target)
        restored, entry = history.redo(target, current)
        check_writable(target)
        again_len = len(restored) - len(current) + entry.new_len  # the bytes put in again
        splice = Splice(entry.start, entry.start + entry.new_len,
                        restored[entry.start : entry.start + again_len])  # fmt: skip
        again = history.record(target, splice, current[entry.start : entry.start + entry.new_len],
                               entry.before, entry.after, entry.what, entry.ids,
                               keep_redo=True)  # fmt: skip
        try:
            atomic_replace(target, restored)
        except BaseException:
            history.forget(again)
            raise
        history.forget(entry)
    return entry
