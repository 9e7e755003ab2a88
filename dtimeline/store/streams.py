"""Whole-store views read through the index a piece at a time: exports and ``stats``.

- :class:`Selected`: the events of a filter (store/select.py's rule) as a sequence that is
  read again from the index each time it is walked, one event built at a time: an export
  of every event never holds them all.
- :func:`home_country`: the country most events name, counted by SQL on the link table.
- :func:`pair_figures`: the figures of ``stats`` (facts.pair_stats), one relationship at
  a time, each computed over a store holding only what its figures read.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from itertools import combinations, islice
from typing import TYPE_CHECKING, overload

from dtimeline import facts
from dtimeline.model import Event, Store
from dtimeline.query import Filter, matches
from dtimeline.store import rows
from dtimeline.store.select import distinct, of_both, where

if TYPE_CHECKING:
    from dtimeline.query import Subject
    from dtimeline.store.index import Index


class Selected(Sequence[Event]):
    """The events :func:`dtimeline.store.select.select` gives for ``flt``, in its order,
    read from the index each time they are walked (never all held). Its length is one
    ``count(*)`` query."""

    def __init__(self, index: Index, flt: Filter) -> None:
        self.of = index  # not "index": Sequence.index is a method
        self.flt = flt
        self._len: int | None = None

    def _query(self, columns: str) -> tuple[str, list[object], bool]:
        clause, params, late = where(self.flt, None, self.of.fts, self.of.max_span())
        return f"SELECT {columns} FROM events e WHERE {clause}", params, late  # noqa: S608

    def __iter__(self) -> Iterator[Event]:
        sql, params, late = self._query(rows.EVENT_COLUMNS)
        sql += " ORDER BY e.earliest, e.latest, e.id"
        found = rows.events_of(self.of.conn.execute(sql, params))
        if not late:
            return found
        head = self.of.head
        return (ev for ev in found if matches(ev, self.flt, head))

    def __len__(self) -> int:
        if self._len is None:
            sql, params, late = self._query("count(*)")
            if late:
                self._len = sum(1 for _ in self)
            else:
                self._len = int(self.of.conn.execute(sql, params).fetchone()[0])
        return self._len

    def __bool__(self) -> bool:
        return next(iter(self), None) is not None

    @overload
    def __getitem__(self, i: int) -> Event: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[Event]: ...

    def __getitem__(self, i: int | slice) -> Event | Sequence[Event]:
        if isinstance(i, slice):
            return list(self)[i]
        if i < 0:
            i += len(self)
        found = next(islice(self, i, None), None) if i >= 0 else None
        if found is None:
            raise IndexError(i)
        return found


def home_country(index: Index) -> str:
    """The country most events name (ties: the first slug), or '' without events: what
    render/export/common.py's ``Export.home`` counts over the whole store (a valid store
    names a country at most once an event, so each link row is one mention)."""
    found = index.conn.execute(
        "SELECT country FROM event_countries GROUP BY country ORDER BY count(*) DESC, country"
        " LIMIT 1"
    ).fetchone()
    return str(found[0]) if found else ""


def ranked_pairs(index: Index) -> list[tuple[str, str]]:
    """Every relationship of the store, as :func:`facts.pairs` orders them."""
    found = distinct(index.conn, "events", "pair", "pair != ''")
    return facts.rank_pairs((frozenset(p.split(" ")) for p in found), index.head.countries)


def tagged_pairs(index: Index, tag: str) -> set[frozenset[str]]:
    """The pairs of countries that some event tagged ``tag`` names both of."""
    found: set[frozenset[str]] = set()
    cur = index.conn.execute(
        "SELECT e.countries FROM event_tags t JOIN events e ON e.seq = t.seq WHERE t.tag = ?",
        (tag,),
    )
    for (countries,) in cur:
        found.update(map(frozenset, combinations(sorted(set(json.loads(countries))), 2)))
    return found


def pair_store(index: Index, pair: tuple[str, str]) -> Store:
    """The store of one relationship: the events naming both countries, and the visits
    of the same visitors to the same hosts that mark a series as held in part (all that
    :func:`facts.pair_stats` of ``pair`` reads)."""
    found = of_both(index, *pair)
    visits = {(ev.visitor, ev.host) for ev in found.values() if ev.visitor and ev.host}
    for visitor, host in sorted(visits):
        cur = index.conn.execute(
            f"SELECT e.seq, {rows.EVENT_COLUMNS} FROM events e"  # noqa: S608 (no values)
            " WHERE e.visitor = ? AND e.visitor != '' AND e.host = ? AND EXISTS (SELECT 1"
            " FROM event_tags t WHERE t.tag = ? AND t.seq = e.seq)",
            (visitor, host, facts.PARTIAL_SERIES_TAG),
        )
        found.update((row[0], rows.event_of(row[1:])) for row in cur)
    head = index.head
    events = tuple(ev for _, ev in sorted(found.items()))
    return Store(head.schema, head.countries, head.actors, head.kinds, events)


def pair_figures(
    index: Index, subject: Subject | None, as_of: date, time_travel: bool
) -> Iterator[facts.PairStats]:
    """What render/stats.py's ``collect`` gives for no subject or a tag, one relationship
    at a time (each over :func:`pair_store`): no more than one relationship's events are
    held at once."""
    pairs: Iterable[tuple[str, str]] = ranked_pairs(index)
    if subject is not None and subject.kind == "tag":
        tagged = tagged_pairs(index, subject.slug)
        pairs = [p for p in pairs if frozenset(p) in tagged]
    for pair in pairs:
        yield facts.pair_stats(pair_store(index, pair), pair, as_of, time_travel)
