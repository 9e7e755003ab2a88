"""Whole-store views read through the index a piece at a time: exports and ``stats``.

- :class:`Selected`: the events of a filter (store/select.py's rule) as a sequence that is
  read again from the index each time it is walked, one event built at a time: an export
  of every event never holds them all.
- :func:`home_country`: the country most events name, counted by SQL on the link table.
- :func:`pair_figures`: the figures of ``stats`` (facts.pair_stats), one relationship at
  a time, each computed over a store holding only what its figures read (the events of
  exactly two countries through the index on ``events.pair``, the others found once).
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
from dtimeline.store.select import distinct, events_where, where

if TYPE_CHECKING:
    from dtimeline.query import Subject
    from dtimeline.store.index import Index


class Selected(Sequence[Event]):
    """The events :func:`dtimeline.store.select.select` gives for ``flt`` (and
    ``subject``, ``descending``, ``limit``), in its order, read from the index each time
    they are walked (never all held). Its length is one ``count(*)`` query."""

    def __init__(
        self,
        index: Index,
        flt: Filter,
        *,
        subject: Subject | None = None,
        descending: bool = False,
        limit: int | None = None,
    ) -> None:
        self.of = index  # not "index": Sequence.index is a method
        self.flt = flt
        self.subject = subject
        self.descending = descending
        self.limit = limit
        self._len: int | None = None

    def _query(self, columns: str) -> tuple[str, list[object], bool]:
        clause, params, late = where(self.flt, self.subject, self.of.fts, self.of.max_span())
        return f"SELECT {columns} FROM events e WHERE {clause}", params, late  # noqa: S608

    def __iter__(self) -> Iterator[Event]:
        sql, params, late = self._query(rows.EVENT_COLUMNS)
        order = " DESC" if self.descending else ""
        sql += f" ORDER BY e.earliest{order}, e.latest{order}, e.id{order}"
        if self.limit is not None and not late:
            sql += " LIMIT ?"
            params.append(self.limit)
        found = rows.events_of(self.of.conn.execute(sql, params))
        if late:
            head = self.of.head
            found = (ev for ev in found if matches(ev, self.flt, head))
            if self.limit is not None:
                found = islice(found, self.limit)
        return found

    def __len__(self) -> int:
        if self._len is None:
            sql, params, late = self._query("count(*)")
            if late:
                self._len = sum(1 for _ in self)
            else:
                found = int(self.of.conn.execute(sql, params).fetchone()[0])
                self._len = found if self.limit is None else min(found, self.limit)
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


def multi_country(index: Index, country: str | None = None) -> dict[frozenset[str], list[int]]:
    """The events naming three countries or more (of them ``country``, if given), by each
    pair of countries they name: what ``events.pair`` does not say. Found from the link
    table's index by event (``country``: by country), never a scan of the events."""
    conn = index.conn
    if country is None:
        cur = conn.execute("SELECT seq FROM event_countries GROUP BY seq HAVING count(*) > 2")
    else:
        cur = conn.execute(
            "SELECT c.seq FROM event_countries c WHERE c.country = ? AND"
            " (SELECT count(*) FROM event_countries x WHERE x.seq = c.seq) > 2",
            (country,),
        )
    seqs = [seq for (seq,) in cur]
    out: dict[frozenset[str], list[int]] = {}
    for start in range(0, len(seqs), 500):
        part = seqs[start : start + 500]
        cur = conn.execute(
            f"SELECT seq, countries FROM events WHERE seq IN ({','.join('?' * len(part))})",  # noqa: S608
            part,
        )
        for seq, countries in cur:
            for pair in combinations(sorted(set(json.loads(countries))), 2):
                out.setdefault(frozenset(pair), []).append(seq)
    return out


def pair_store(
    index: Index, pair: tuple[str, str], multi: dict[frozenset[str], list[int]]
) -> Store:
    """The store of one relationship: the events naming both countries (those of exactly
    the two through ``events.pair``, the others from ``multi``: :func:`multi_country`), and
    the visits of the same visitors to the same hosts that mark a series as held in part
    (all that :func:`facts.pair_stats` of ``pair`` reads)."""
    found = events_where(index, "e.pair = ? AND e.pair != ''", [" ".join(sorted(pair))])
    more = multi.get(frozenset(pair), [])
    for start in range(0, len(more), 500):
        part = more[start : start + 500]
        found |= events_where(index, f"e.seq IN ({','.join('?' * len(part))})", list(part))
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
    """What render/stats.py's ``collect`` gives (every relationship, or those of a country,
    of a person's country or of a tag's events), one relationship at a time, each over
    :func:`pair_store`: no more than one relationship's events are held at once."""
    pairs: Iterable[tuple[str, str]] = ranked_pairs(index)
    country = None
    if subject is not None and subject.kind == "tag":
        tagged = tagged_pairs(index, subject.slug)
        pairs = [p for p in pairs if frozenset(p) in tagged]
    elif subject is not None:
        actor = index.head.actors.get(subject.slug)
        country = subject.slug if subject.kind == "country" else actor.country if actor else ""
        pairs = [p for p in pairs if country in p]
    multi = multi_country(index, country) if pairs else {}
    for pair in pairs:
        yield facts.pair_stats(pair_store(index, pair, multi), pair, as_of, time_travel)
