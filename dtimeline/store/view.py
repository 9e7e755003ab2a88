"""A writer's view of a store: what ``add`` needs, kept in the read cache beside the full entry.

``add`` on a large store needs only the head (schema, countries, actors, kinds), the set of
event ids, and enough of each event to spot a likely duplicate (kind, countries, first and
last day, date and title for the warning). Unpickling that costs a fraction of unpickling
every :class:`Event`, which was the largest cost of ``add`` on a 10,000-event store.

The cache file ``<entry>.view`` is keyed by the store file's stat key, checked with the same
header and CRC as the other entries, and also holds the size, CRC-32 and Adler-32 of the
file's bytes it describes: the writer compares them with the bytes it is about to append to
(which it reads anyway), so a view is used only for exactly the file it was made from. It
also says where the full store of that file lives in the cache (the full entry, plus the
events of the delta, if any), so that after an append the cache can follow with a new delta
without the full store ever being loaded. Any doubt means "no view": ``add`` then loads the
store as before.
"""

from __future__ import annotations

import contextlib
import pickle
import time
from array import array
from dataclasses import dataclass, replace
from pathlib import Path
from typing import NamedTuple

from dtimeline.model import Event, Store
from dtimeline.store import cache
from dtimeline.store.cache import (
    DELTA_MAGIC,
    Content,
    Ticket,
    _open_checked,
    _Stale,
    _write,
    forget_process_state,
    ticket,
)

VIEW_MAGIC = b"DTLWVIEW"

#: What happened in this process (tests observe the fast path this way, never by timing).
counters = {
    "view_hits": 0, "view_misses": 0, "view_writes": 0, "fast_updates": 0, "fast_dropped": 0
}  # fmt: skip


class Where(NamedTuple):
    """Where the full store of a file is in the cache: the full entry stored under
    ``base_key`` with payload CRC ``base_crc``, then ``tail`` events from the delta entry
    of the file's own key (none when ``base_key`` is the file's own key)."""

    base_key: bytes
    base_crc: int
    tail: int


class Similar(NamedTuple):
    id: str
    edtf: str
    title: str


@dataclass(frozen=True)
class WriterView:
    """The head of a store and, per event, only what an append needs to check."""

    head: Store  # events always empty
    ids: tuple[str, ...]
    groups: tuple[tuple[str, frozenset[str]], ...]  # distinct (kind, set of countries)
    group_of: array[int]  # per event: index into groups
    lo: array[int]  # per event: first possible day (proleptic ordinal)
    hi: array[int]  # per event: last possible day
    edtfs: tuple[str, ...]
    titles: tuple[str, ...]

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        # Thousands of short strings pickle slowly one by one: each column goes as one
        # string when a separator is free (ids and dates never hold one; titles may).
        return (
            _rebuild,
            (self.head, len(self.ids), _join(self.ids), self.groups, self.group_of,
             self.lo, self.hi, _join(self.edtfs), _join(self.titles)),
        )  # fmt: skip

    @property
    def count(self) -> int:
        return len(self.ids)

    def id_set(self) -> set[str]:
        return set(self.ids)

    def similar(self, ev: Event) -> list[Similar]:
        """Other events of the same kind and set of countries whose dates overlap ``ev``'s
        (file order): what ``add`` warns about."""
        key = (ev.kind, frozenset(ev.countries))
        try:
            g = self.groups.index(key)
        except ValueError:
            return []
        lo, hi = ev.date.earliest.toordinal(), ev.date.latest.toordinal()
        return [
            Similar(self.ids[i], self.edtfs[i], self.titles[i])
            for i, grp in enumerate(self.group_of)
            if grp == g and self.ids[i] != ev.id and self.hi[i] >= lo and self.lo[i] <= hi
        ]

    def plus(self, events: list[Event] | tuple[Event, ...]) -> WriterView:
        """This view with ``events`` appended."""
        groups = list(self.groups)
        index = {k: i for i, k in enumerate(groups)}
        group_of, lo, hi = array("i", self.group_of), array("i", self.lo), array("i", self.hi)
        for ev in events:
            key = (ev.kind, frozenset(ev.countries))
            g = index.get(key)
            if g is None:
                g = index[key] = len(groups)
                groups.append(key)
            group_of.append(g)
            lo.append(ev.date.earliest.toordinal())
            hi.append(ev.date.latest.toordinal())
        return WriterView(
            head=self.head,
            ids=self.ids + tuple(ev.id for ev in events),
            groups=tuple(groups),
            group_of=group_of,
            lo=lo,
            hi=hi,
            edtfs=self.edtfs + tuple(ev.date.edtf() for ev in events),
            titles=self.titles + tuple(ev.title for ev in events),
        )


_SEP = "\x00"


def _join(column: tuple[str, ...]) -> Column:
    joined = _SEP.join(column)
    return joined if joined.count(_SEP) == max(len(column) - 1, 0) else column


def _split(column: Column, n: int) -> tuple[str, ...]:
    if isinstance(column, tuple):
        return column
    return tuple(column.split(_SEP)) if n else ()


Column = str | tuple[str, ...]


def _rebuild(  # noqa: PLR0917 (pickle calls it with positional arguments)
    head: Store, n: int, ids: Column, groups: tuple[tuple[str, frozenset[str]], ...],
    group_of: array[int], lo: array[int], hi: array[int], edtfs: Column, titles: Column,
) -> WriterView:  # fmt: skip
    return WriterView(
        head, _split(ids, n), groups, group_of, lo, hi, _split(edtfs, n), _split(titles, n)
    )


_EMPTY = WriterView(Store(), (), (), array("i"), array("i"), array("i"), (), ())


def view_of(store: Store) -> WriterView:
    return replace(_EMPTY, head=replace(store, events=())).plus(store.events)


# --- the cache file ----------------------------------------------------------------------


def view_file(entry: Path) -> Path:
    return entry.with_suffix(".view")


def remember_view(t: Ticket, view: WriterView, content: Content, where: Where) -> None:
    """Write the view of the file ``t`` names (never fails: a failed write deletes it)."""
    try:
        payload = pickle.dumps((tuple(content), tuple(where), view), pickle.HIGHEST_PROTOCOL)
        _write(t, view_file(t.cache), VIEW_MAGIC, payload, None)
        counters["view_writes"] += 1
    except Exception:
        forget_view(t)


def forget_view(t: Ticket) -> None:
    with contextlib.suppress(OSError):  # then its key no longer matches the file anyway
        view_file(t.cache).unlink(missing_ok=True)


def lookup_view(t: Ticket | None, content: Content) -> tuple[WriterView, Where] | None:
    """The view for the file ``t`` names, if it describes exactly the bytes that sum to
    ``content`` (the bytes the caller read after ``t`` was taken); None on any doubt."""
    if t is None:
        return None
    try:
        with view_file(t.cache).open("rb") as fh:
            _open_checked(fh, VIEW_MAGIC, t.key)
            got, raw_where, view = pickle.load(fh)  # noqa: S301 (the user's own cache)
        where = Where(*raw_where)
        if Content(*got) != content or not isinstance(view, WriterView):
            raise _Stale
        n = len(view.ids)
        if not isinstance(view.head, Store) or view.head.events or where.tail > n:
            raise _Stale
        if not (len(view.group_of) == len(view.lo) == len(view.hi) == len(view.edtfs) == n):
            raise _Stale
        if len(view.titles) != n or not isinstance(where.base_key, bytes):
            raise _Stale
    except Exception:
        counters["view_misses"] += 1
        return None
    counters["view_hits"] += 1
    return view, where


def fits(view: WriterView, where: Where, more: int) -> bool:
    """Whether ``more`` appended events still fit in a delta on the same full entry."""
    return where.tail + more <= cache.delta_limit(view.count - where.tail)


def follow_append(
    old: Ticket, old_content: Content, where: Where, view: WriterView, *,
    events: list[Event], content: Content,
) -> None:  # fmt: skip
    """After ``events`` were appended to the file ``old`` named (bytes summing to
    ``old_content``, full store at ``where``), cache the new file (bytes summing to
    ``content``) as a delta on the same full entry, plus its view.

    Call it under the store's lock, right after the write: the new key is taken here. On
    any doubt the entries of the new file are removed instead (a later read parses)."""
    forget_process_state(old.store)
    new = ticket(old.store)
    if new is None:
        return
    delta = new.cache.with_suffix(".delta")
    try:
        if new.cache != old.cache or new.key == old.key or not fits(view, where, len(events)):
            raise _Stale
        tail = _old_tail(old, old_content, where) + tuple(events)
        payload = pickle.dumps(
            (where.base_key, where.base_crc, tail), protocol=pickle.HIGHEST_PROTOCOL
        )
        forget_view(new)
        fsum = (content.crc << 32) | content.adler if new.racy(time.time_ns()) else None
        _write(new, delta, DELTA_MAGIC, payload, fsum)
        remember_view(new, view.plus(events), content, Where(*where[:2], len(tail)))
        counters["fast_updates"] += 1
    except Exception:
        counters["fast_dropped"] += 1
        for stale in (delta, view_file(new.cache)):
            with contextlib.suppress(OSError):
                stale.unlink(missing_ok=True)


def _old_tail(old: Ticket, old_content: Content, where: Where) -> tuple[Event, ...]:
    """The events of the old file's delta entry (checked against ``where``)."""
    if where.tail == 0 and where.base_key == old.key:
        return ()  # the old file has a full entry of its own
    with old.cache.with_suffix(".delta").open("rb") as fh:
        racy, fsum, _ = _open_checked(fh, DELTA_MAGIC, old.key)
        if racy and fsum != (old_content.crc << 32) | old_content.adler:
            raise _Stale
        base_key, base_crc, tail = pickle.load(fh)  # noqa: S301 (the user's own cache)
    if (base_key, base_crc) != (where.base_key, where.base_crc) or len(tail) != where.tail:
        raise _Stale
    if not isinstance(tail, tuple) or not all(isinstance(e, Event) for e in tail):
        raise _Stale
    return tail
