"""Reads as SQL: a :class:`~dtimeline.query.Filter` turned into one query on the index.

Every rule is :func:`dtimeline.query.matches`, said in SQL: known on the day of the view,
countries/actors/kinds/tags (any of each, all of them together), the status as of that day,
the date overlapping ``--since``/``--until``, upcoming or past, then sort (earliest day,
latest day, id) and limit. Only the events that match are built as Python objects.

``--search`` is a substring of the event's search key with spaces removed (query.py: a
needle found in the key is also found once the spaces are gone from both, so that one test
is the whole rule). The key is indexed by trigrams (FTS5), which finds exactly the rows
holding a substring of three characters or more; a shorter needle, or a database without
FTS5, is matched the same way without the full-text index.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from dtimeline.model import Event, Store
from dtimeline.query import Filter, Subject, matches, search_key
from dtimeline.store import rows

if TYPE_CHECKING:
    from dtimeline.store.index import Index

_LINKS = {"country": ("event_countries", "country"), "actor": ("event_actors", "actor"),
          "tag": ("event_tags", "tag")}  # fmt: skip


def _in(values: tuple[str, ...] | list[str]) -> str:
    return "(" + ",".join("?" * len(values)) + ")"


def _linked(kind: str, values: tuple[str, ...] | list[str], dated: bool = False) -> str:
    """Events linked to any of ``values``: driven by the link table's list of them, or,
    when a date range already narrows the events (``dated``), a key lookup per event."""
    table, column = _LINKS[kind]
    if dated:
        return (
            f"EXISTS (SELECT 1 FROM {table} x WHERE x.{column} IN {_in(values)}"  # noqa: S608
            " AND x.seq = e.seq)"
        )
    return f"e.seq IN (SELECT seq FROM {table} WHERE {column} IN {_in(values)})"  # noqa: S608 (names are ours)


def where(
    flt: Filter, subject: Subject | None, fts: bool, max_span: int | None = None
) -> tuple[str, list[Any], bool]:
    """The WHERE clause of ``flt`` (and ``subject``), its parameters, and whether the
    search is left to Python (a needle too short for trigrams). ``max_span``: the most
    days a date of the store spans, if known: a date ending on or after ``since`` then
    starts at most that many days before it, which bounds the date index's range."""
    day = flt.as_of.isoformat()
    clauses = [
        "(CASE WHEN e.announced_earliest IS NOT NULL THEN e.announced_earliest <= ?"
        " ELSE NOT (? AND e.earliest > ?) END)"
    ]
    params: list[Any] = [day, int(flt.time_travel), day]
    dated = flt.since is not None and flt.until is not None and max_span is not None
    for kind, values in (("country", flt.countries), ("actor", flt.actors), ("tag", flt.tags)):
        if values:
            clauses.append(_linked(kind, values, dated))
            params += values
    if subject is not None:
        clauses.append(_linked(subject.kind, [subject.slug], dated))
        params.append(subject.slug)
    if flt.kinds:
        clauses.append(f"e.kind IN {_in(flt.kinds)}")
        params += flt.kinds
    if flt.statuses:
        clauses.append(
            "(CASE WHEN e.status = 'held' AND e.earliest > ? THEN 'announced' ELSE e.status END)"
            f" IN {_in(flt.statuses)}"
        )
        params += [day, *flt.statuses]
    if flt.since is not None:
        clauses.append("e.latest >= ?")
        params.append(flt.since.isoformat())
        if max_span is not None:
            from datetime import date, timedelta

            room = (flt.since - date.min).days
            low = date.min if room <= max_span else flt.since - timedelta(days=max_span)
            clauses.append("e.earliest >= ?")
            params.append(low.isoformat())
    if flt.until is not None:
        clauses.append("e.earliest <= ?")
        params.append(flt.until.isoformat())
    if flt.upcoming:
        clauses.append("e.earliest > ?")
        params.append(day)
    if flt.past:
        clauses.append("e.earliest <= ?")
        params.append(day)
    late = False
    if len(flt.search) > 1:
        return " AND ".join(clauses), params, True  # any of several: matched in Python
    needle = search_key(flt.search[0]).replace(" ", "") if flt.search else ""
    if needle:
        if fts and len(needle) >= 3:
            clauses.append("e.seq IN (SELECT rowid FROM search WHERE search MATCH ?)")
            params.append('"' + needle.replace('"', '""') + '"')
        elif not fts:
            clauses.append("e.seq IN (SELECT seq FROM search_plain WHERE instr(hay, ?) > 0)")
            params.append(needle)
        else:
            late = True
    return " AND ".join(clauses), params, late


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def select(
    index: Index,
    flt: Filter,
    *,
    subject: Subject | None = None,
    descending: bool = False,
    limit: int | None = None,
) -> list[Event]:
    """The events of ``index`` that ``flt`` (and ``subject``) keep, in date order (earliest
    possible day, then latest, then id; ``descending``: the reverse), at most ``limit``:
    what ``query.select`` gives on the whole store."""
    if flt.search and not any(map(_encodable, flt.search)):
        return []  # a lone surrogate: no stored text can hold it
    clause, params, late = where(flt, subject, index.fts, index.max_span())
    order = " DESC" if descending else ""
    sql = (
        f"SELECT {rows.EVENT_COLUMNS} FROM events e WHERE {clause}"  # noqa: S608 (no values)
        f" ORDER BY e.earliest{order}, e.latest{order}, e.id{order}"
    )
    if limit is not None and not late:
        sql += " LIMIT ?"
        params.append(limit)
    found = list(rows.events_of(index.conn.execute(sql, params)))
    if late:
        head = index.head
        found = [ev for ev in found if matches(ev, flt, head)]
        if limit is not None:
            found = found[:limit]
    return found


def select_texts(
    index: Index, flt: Filter, *, descending: bool = False, limit: int | None = None
) -> Iterator[bytes] | None:
    """The kept JSON texts (UTF-8, stored status) of the events :func:`select` gives, in
    its order, read as they are written: no event is built and the texts are never all
    held. None when part of the rule runs in Python (a short or repeated ``--search``):
    then use :func:`select`."""
    if flt.search and not any(map(_encodable, flt.search)):
        return iter(())
    clause, params, late = where(flt, None, index.fts, index.max_span())
    if late:
        return None
    order = " DESC" if descending else ""
    sql = (
        f"SELECT e.json FROM events e WHERE {clause}"  # noqa: S608 (no values)
        f" ORDER BY e.earliest{order}, e.latest{order}, e.id{order}"
    )
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return (text.encode("utf-8") for (text,) in index.conn.execute(sql, params))


def json_texts(index: Index, events: Sequence[Event]) -> dict[str, bytes]:
    """The kept JSON text (UTF-8, stored status) of each of ``events``, by id."""
    out: dict[str, bytes] = {}
    ids = [ev.id for ev in events]
    step = 500
    for start in range(0, len(ids), step):
        part = ids[start : start + step]
        cur = index.conn.execute(
            f"SELECT id, json FROM events WHERE id IN {_in(part)}",  # noqa: S608 (no values)
            part,
        )
        out.update((i, t.encode("utf-8")) for i, t in cur)
    return out


def tags(index: Index) -> set[str]:
    """Every tag some event carries (one seek of the link table's key per tag)."""
    return set(distinct(index.conn, "event_tags", "tag"))


def distinct(conn: sqlite3.Connection, table: str, column: str, where: str = "1") -> list[str]:
    """The distinct values of ``table.column`` (rows where ``where`` holds), in order, read
    by one index seek per value (a recursive query) rather than a scan of every row: the
    column must lead an index whose condition ``where`` states."""
    sql = (
        f"WITH RECURSIVE v(x) AS (SELECT min({column}) FROM {table} WHERE {where}"  # noqa: S608
        f" UNION ALL SELECT (SELECT min({column}) FROM {table} WHERE {where} AND {column} > v.x)"
        " FROM v WHERE v.x IS NOT NULL) SELECT x FROM v WHERE x IS NOT NULL"
    )
    return [x for (x,) in conn.execute(sql)]


def event(index: Index, event_id: str) -> Event | None:
    """The event of id ``event_id``, or None."""
    found = index.conn.execute(
        f"SELECT {rows.EVENT_COLUMNS} FROM events e WHERE e.id = ?",  # noqa: S608 (no values)
        (event_id,),
    ).fetchone()
    return None if found is None else rows.event_of(found)


def position(index: Index, event_id: str) -> int | None:
    """Where the event of id ``event_id`` stands among the store's events (0-based, file
    order), or None when there is none."""
    conn = index.conn
    found = conn.execute("SELECT seq FROM events WHERE id = ?", (event_id,)).fetchone()
    if found is None:
        return None
    return int(conn.execute("SELECT count(*) FROM events WHERE seq < ?", found).fetchone()[0])


def events_where(index: Index, clause: str, params: list[Any]) -> dict[int, Event]:
    """The events (alias ``e``) for which ``clause`` holds with ``params``, by ``seq``."""
    cur = index.conn.execute(
        f"SELECT e.seq, {rows.EVENT_COLUMNS} FROM events e WHERE {clause}",  # noqa: S608
        params,
    )
    return {row[0]: rows.event_of(row[1:]) for row in cur}


def fact_store(index: Index, events: list[Event], subject: Subject | None = None) -> Store:
    """A store holding ``events`` and every other event the derived facts of their
    timeline look at (facts.py), and no more: one event of each pair of countries that
    share an event of exactly two (which pairs exist), the relations and partnership
    events of each pair the events touch, and every visit of the same visitor to the same
    host. A timeline of ``events`` (of ``subject``) over it reads exactly as over the
    whole store."""
    from itertools import combinations

    from dtimeline.model import VISIT_KINDS

    found = _pair_reps(index)
    pairs = {p for ev in events for p in combinations(sorted(set(ev.countries)), 2)}
    if subject is not None and subject.kind == "country":
        # a country's timeline shows only the relationships it is part of
        pairs = {p for p in pairs if subject.slug in p}
    for a, b in sorted(pairs):
        found |= of_both(index, a, b, ("partnership", "relations-established"))
    kinds = sorted(VISIT_KINDS)
    visits = {(ev.visitor, ev.host) for ev in events if ev.is_visit and ev.visitor and ev.host}
    for visitor, host in sorted(visits):
        found |= events_where(
            index,
            # "!= ''" lets SQLite use the partial index on (visitor, host)
            f"e.visitor = ? AND e.visitor != '' AND e.host = ? AND e.kind IN {_in(kinds)}",
            [visitor, host, *kinds],
        )
    chosen = {ev.id for ev in events}
    extra = [ev for _, ev in sorted(found.items()) if ev.id not in chosen]
    head = index.head
    return Store(head.schema, head.countries, head.actors, head.kinds, (*events, *extra))


def _pair_reps(index: Index) -> dict[int, Event]:
    """One event of each pair of countries that share an event of exactly two."""
    found: dict[int, Event] = {}
    reps = index.conn.execute("SELECT min(seq) FROM events WHERE pair != '' GROUP BY pair")
    seqs = [s for (s,) in reps]
    for start in range(0, len(seqs), 500):
        part = seqs[start : start + 500]
        found |= events_where(index, f"e.seq IN {_in(part)}", part)
    return found


def of_both(index: Index, a: str, b: str, kinds: tuple[str, ...] = ()) -> dict[int, Event]:
    """The events naming both ``a`` and ``b`` (country slugs), of ``kinds`` if given, by
    ``seq``."""
    # Driven by the kind index when kinds are given, else by the first country's events;
    # the other country is a key lookup per row, never a list of all its events.
    first = (
        "EXISTS (SELECT 1 FROM event_countries c WHERE c.country = ? AND c.seq = e.seq)"
        if kinds
        else "e.seq IN (SELECT seq FROM event_countries WHERE country = ?)"
    )
    other = "EXISTS (SELECT 1 FROM event_countries c WHERE c.country = ? AND c.seq = e.seq)"
    clause = f"{first} AND {other}"
    if kinds:
        clause += f" AND e.kind IN {_in(kinds)}"
    return events_where(index, clause, [a, b, *kinds])


def relationship_store(index: Index, countries: set[str]) -> Store:
    """A store holding every event of each relationship (pair of countries) that involves
    one of ``countries``, and one event of every other pair (which pairs exist): what
    ``stats`` of a country or a person reads, for those relationships, as over the whole
    store."""
    from dtimeline.facts import pairs

    head = index.head
    found = _pair_reps(index)
    reps = Store(head.schema, head.countries, head.actors, head.kinds, tuple(found.values()))
    for a, b in pairs(reps):
        if a in countries or b in countries:
            found |= of_both(index, a, b)
    events = tuple(ev for _, ev in sorted(found.items()))
    return Store(head.schema, head.countries, head.actors, head.kinds, events)
