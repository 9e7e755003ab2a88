"""The tables of the store's SQLite index, and the rows of one event.

One database holds one store: its head (``meta``, ``countries``, ``actors``, ``kinds``),
one row per event in file order (``events.seq``), the event's countries, actors and tags in
link tables indexed by value, its sources, and a full-text table for ``--search``. The same
tables make ``export --format sqlite`` (documented in docs/sqlite.md).

Dates are stored as EDTF text (``date``) and as the earliest and latest day they can mean
(``earliest``/``latest``, ISO ``YYYY-MM-DD`` text, which sorts and compares as dates do).
Lists are JSON arrays in the event row (what rebuilds the event) and rows of the link tables
(what filters use). ``json`` is the event's text as ``query --format json`` prints it.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from json.encoder import encode_basestring as _quote
from typing import Any

from dtimeline.dates import parse_edtf
from dtimeline.model import Actor, Country, Event, Source, Store
from dtimeline.store.memo import NAME_KEYS_MAX, memo

#: Bumped whenever a table changes; a database of another number is rebuilt.
FORMAT = 4  # 2: events.pair, meta.max_span; 3: events_by_established, events_by_level;
# 4: the unique index of events.id made after the rows (events_by_id)

_TABLES = """
CREATE TABLE meta(name TEXT PRIMARY KEY, value) WITHOUT ROWID;
CREATE TABLE countries(
  slug TEXT PRIMARY KEY, pos INTEGER NOT NULL, name TEXT NOT NULL, native TEXT NOT NULL,
  iso TEXT NOT NULL, iso3 TEXT NOT NULL, aliases TEXT NOT NULL);
CREATE TABLE actors(
  slug TEXT PRIMARY KEY, pos INTEGER NOT NULL, name TEXT NOT NULL, native TEXT NOT NULL,
  country TEXT NOT NULL, role TEXT NOT NULL, aliases TEXT NOT NULL);
CREATE TABLE kinds(name TEXT PRIMARY KEY, pos INTEGER NOT NULL, description TEXT NOT NULL);
CREATE TABLE events(
  seq INTEGER PRIMARY KEY, id TEXT NOT NULL, date TEXT NOT NULL,
  earliest TEXT NOT NULL, latest TEXT NOT NULL, kind TEXT NOT NULL, title TEXT NOT NULL,
  countries TEXT NOT NULL, actors TEXT NOT NULL, host TEXT NOT NULL, place TEXT NOT NULL,
  status TEXT NOT NULL, announced TEXT NOT NULL, announced_earliest TEXT,
  level TEXT NOT NULL, tags TEXT NOT NULL, summary TEXT NOT NULL, sources TEXT NOT NULL,
  visitor TEXT NOT NULL, pair TEXT NOT NULL, json TEXT NOT NULL);
CREATE TABLE event_countries(country TEXT NOT NULL, seq INTEGER NOT NULL,
  PRIMARY KEY(country, seq)) WITHOUT ROWID;
CREATE TABLE event_actors(actor TEXT NOT NULL, seq INTEGER NOT NULL,
  PRIMARY KEY(actor, seq)) WITHOUT ROWID;
CREATE TABLE event_tags(tag TEXT NOT NULL, seq INTEGER NOT NULL,
  PRIMARY KEY(tag, seq)) WITHOUT ROWID;
CREATE TABLE sources(seq INTEGER NOT NULL, pos INTEGER NOT NULL, publisher TEXT NOT NULL,
  title TEXT NOT NULL, url TEXT NOT NULL, date TEXT NOT NULL, note TEXT NOT NULL,
  PRIMARY KEY(seq, pos)) WITHOUT ROWID;
"""

_INDEXES = """
CREATE UNIQUE INDEX events_by_id ON events(id);
CREATE INDEX events_by_date ON events(earliest, latest, id);
CREATE INDEX events_by_kind ON events(kind, earliest);
CREATE INDEX events_by_visit ON events(visitor, host) WHERE visitor != '';
CREATE INDEX events_by_pair ON events(pair) WHERE pair != '';
CREATE INDEX events_by_established ON events(pair, earliest, latest, id)
  WHERE kind = 'relations-established';
CREATE INDEX events_by_level ON events(pair, earliest, latest, id)
  WHERE kind = 'partnership' AND level != '';
CREATE INDEX event_countries_by_seq ON event_countries(seq);
CREATE INDEX event_actors_by_seq ON event_actors(seq);
CREATE INDEX event_tags_by_seq ON event_tags(seq);
"""

#: Full-text search: the search key of each event (query.search_key of what --search looks
#: in, spaces removed), indexed by trigrams so any substring of three or more characters is
#: found through the index. Contentless: the text is not stored twice.
_FTS = (
    "CREATE VIRTUAL TABLE search USING fts5(hay, content='', tokenize='trigram case_sensitive 1')"
)
#: Where FTS5 (or its trigram tokenizer) is missing: the same key in a plain table.
_PLAIN_SEARCH = "CREATE TABLE search_plain(seq INTEGER PRIMARY KEY, hay TEXT NOT NULL)"

EVENT_COLUMNS = (
    "id, date, kind, title, countries, actors, host, place, status, announced, level, tags,"
    " summary, sources"
)


def create(conn: sqlite3.Connection, *, search: bool = True, plain: bool = False) -> bool:
    """Create every table; returns whether FTS5 search is available (else a plain table).
    ``search=False`` leaves search out (a standalone export); ``plain=True`` makes the
    plain search table even where FTS5 is available (a part of a build: :func:`copy_part`)."""
    _script(conn, _TABLES)
    if not search:
        return False
    if plain:
        conn.execute(_PLAIN_SEARCH)
        return False
    try:
        conn.execute(_FTS)
    except sqlite3.OperationalError:  # no FTS5, or no trigram tokenizer (SQLite < 3.34)
        conn.execute(_PLAIN_SEARCH)
        return False
    return True


def create_indexes(conn: sqlite3.Connection) -> None:
    """The indexes (made after a bulk insert: faster than keeping them up to date; the
    unique one of ``events.id`` raises sqlite3.IntegrityError for an id used twice), the
    longest span of a date in days (``meta.max_span``: lets a date filter bound the
    earliest day from both sides) and the statistics SQLite's planner chooses by."""
    _script(conn, _INDEXES)
    conn.execute(
        "INSERT OR REPLACE INTO meta SELECT 'max_span', coalesce(max(julianday(latest)"
        " - julianday(earliest)), 0) FROM events"
    )
    conn.execute("ANALYZE")


_COPIES = (
    "INSERT INTO events SELECT seq + :off, id, date, earliest, latest, kind, title, countries,"
    " actors, host, place, status, announced, announced_earliest, level, tags, summary,"
    " sources, visitor, pair, json FROM {part}.events ORDER BY seq",
    "INSERT INTO event_countries SELECT country, seq + :off FROM {part}.event_countries",
    "INSERT INTO event_actors SELECT actor, seq + :off FROM {part}.event_actors",
    "INSERT INTO event_tags SELECT tag, seq + :off FROM {part}.event_tags",
    "INSERT INTO sources SELECT seq + :off, pos, publisher, title, url, date, note"
    " FROM {part}.sources",
)


def copy_part(conn: sqlite3.Connection, part: str, offset: int, fts: bool) -> None:
    """Copy the event rows of the attached database ``part`` (made by :func:`create` with
    ``plain=True`` and :func:`insert_events`, its ``seq`` from 0) into ``conn``'s tables,
    each ``seq`` raised by ``offset``; its search keys go into the FTS5 table (``fts``)
    or the plain one. An id both hold is found by :func:`create_indexes`."""
    for statement in _COPIES:
        conn.execute(statement.format(part=part), {"off": offset})
    into = "search(rowid, hay)" if fts else "search_plain(seq, hay)"
    conn.execute(
        f"INSERT INTO {into} SELECT seq + :off, hay FROM {part}.search_plain ORDER BY seq",  # noqa: S608
        {"off": offset},
    )


def widen_span(conn: sqlite3.Connection, events: Iterable[Event]) -> None:
    """Keep ``meta.max_span`` an upper bound after ``events`` were inserted."""
    longest = max(((ev.date.latest - ev.date.earliest).days for ev in events), default=0)
    conn.execute("UPDATE meta SET value = max(value, ?) WHERE name = 'max_span'", (longest,))


def _script(conn: sqlite3.Connection, script: str) -> None:
    # one statement at a time: executescript would commit the caller's transaction
    for statement in script.split(";"):
        if statement.strip():
            conn.execute(statement)


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _strings(items: tuple[str, ...]) -> str:
    """A JSON array of strings, as _dump writes it (the C string encoder, no dumps call)."""
    return "[" + ",".join(map(_quote, items)) + "]"


def write_head(conn: sqlite3.Connection, store: Store) -> None:
    """Replace the head (countries, actors, kinds) by ``store``'s."""
    conn.execute("DELETE FROM countries")
    conn.execute("DELETE FROM actors")
    conn.execute("DELETE FROM kinds")
    conn.executemany(
        "INSERT INTO countries VALUES (?,?,?,?,?,?,?)",
        [(c.slug, i, c.name, c.native, c.iso, c.iso3, _dump(list(c.aliases)))
         for i, c in enumerate(store.countries.values())],
    )  # fmt: skip
    conn.executemany(
        "INSERT INTO actors VALUES (?,?,?,?,?,?,?)",
        [(a.slug, i, a.name, a.native, a.country, a.role, _dump(list(a.aliases)))
         for i, a in enumerate(store.actors.values())],
    )  # fmt: skip
    conn.executemany(
        "INSERT INTO kinds VALUES (?,?,?)",
        [(name, i, text) for i, (name, text) in enumerate(store.kinds.items())],
    )
    conn.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (store.schema,))


def read_head(conn: sqlite3.Connection) -> Store:
    """The store's head (no events)."""
    countries = {
        r[0]: Country(r[0], r[1], r[2], r[3], r[4], tuple(json.loads(r[5])))
        for r in conn.execute(
            "SELECT slug, name, native, iso, iso3, aliases FROM countries ORDER BY pos"
        )
    }
    actors = {
        r[0]: Actor(r[0], r[1], r[2], r[3], r[4], tuple(json.loads(r[5])))
        for r in conn.execute(
            "SELECT slug, name, native, country, role, aliases FROM actors ORDER BY pos"
        )
    }
    kinds = dict(conn.execute("SELECT name, description FROM kinds ORDER BY pos").fetchall())
    row = conn.execute("SELECT value FROM meta WHERE name = 'schema'").fetchone()
    return Store(schema=int(row[0]), countries=countries, actors=actors, kinds=kinds)


def hay(ev: Event, head: Store) -> str:
    r"""What ``--search`` looks in, as a key without spaces: ``query.search_text(ev,
    head).replace(" ", "")``, made directly.

    That key keeps exactly the word characters (regex ``\w``) of the folded text: the
    punctuation ``search_key`` turns into spaces and the spaces themselves all go. Folding
    works a character (or a combining sequence) at a time, so the text's parts can be folded
    together, and the key of a country's or a person's names is made once per process
    (tests/test_fastread.py compares this with search_text on arbitrary events)."""
    from dtimeline.query import fold

    key = _NON_WORD.sub("", fold(f"{ev.title}\n{ev.summary}\n{ev.place}\n{ev.level}"))
    countries, actors = head.countries, head.actors
    for slug in ev.countries:
        c = countries.get(slug)
        key += _names_hay((c.name, c.native, *c.aliases) if c else (slug,))
    for slug in ev.actors:
        a = actors.get(slug)
        key += _names_hay((a.name, a.native, *a.aliases) if a else (slug,))
    return key


_NON_WORD = re.compile(r"\W+")


def _names_hay(names: tuple[str, ...]) -> str:
    """The search key of a country's or a person's names, kept in the process memo
    (store/memo.py): shared by thousands of events."""
    kept = memo.name_hays
    found = kept.get(names)
    if found is None:
        from dtimeline.query import fold

        if len(kept) >= NAME_KEYS_MAX:
            kept.clear()
        found = kept[names] = _NON_WORD.sub("", fold("\n".join(names)))
    return found


_INSERT_EVENT = "INSERT INTO events VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"


def pair_of(ev: Event) -> str:
    """``a b`` (sorted slugs) for an event of exactly two distinct countries, else ''."""
    both = sorted(set(ev.countries))
    return " ".join(both) if len(both) == 2 else ""


def insert_events(
    conn: sqlite3.Connection, events: Iterable[tuple[int, Event]], head: Store, fts: bool | None
) -> None:
    """Insert ``(seq, event)`` pairs: the event row, its links, sources and search key
    (``fts``: into the FTS5 table, else the plain one; None: no search table)."""
    from dtimeline.serialize import event_json

    rows, countries, actors, tags, sources, keys = [], [], [], [], [], []
    for seq, ev in events:
        d = ev.date
        rows.append((
            seq, ev.id, d.edtf(), d.earliest.isoformat(), d.latest.isoformat(), ev.kind,
            ev.title, _strings(ev.countries), _strings(ev.actors), ev.host, ev.place, ev.status,
            ev.announced.edtf() if ev.announced else "",
            ev.announced.earliest.isoformat() if ev.announced else None, ev.level,
            _strings(ev.tags), ev.summary,
            "[" + ",".join(_strings((s.publisher, s.title, s.url, s.date, s.note))
                           for s in ev.sources) + "]",
            ev.visitor, pair_of(ev), event_json(ev),
        ))  # fmt: skip
        countries += [(c, seq) for c in ev.countries]
        actors += [(a, seq) for a in ev.actors]
        tags += [(t, seq) for t in ev.tags]
        sources += [(seq, i, s.publisher, s.title, s.url, s.date, s.note)
                    for i, s in enumerate(ev.sources)]  # fmt: skip
        if fts is not None:
            keys.append((seq, hay(ev, head)))
    conn.executemany(_INSERT_EVENT, rows)
    conn.executemany("INSERT OR IGNORE INTO event_countries VALUES (?,?)", countries)
    conn.executemany("INSERT OR IGNORE INTO event_actors VALUES (?,?)", actors)
    conn.executemany("INSERT OR IGNORE INTO event_tags VALUES (?,?)", tags)
    conn.executemany("INSERT INTO sources VALUES (?,?,?,?,?,?,?)", sources)
    if fts:
        conn.executemany("INSERT INTO search(rowid, hay) VALUES (?,?)", keys)
    elif fts is not None:
        conn.executemany("INSERT INTO search_plain(seq, hay) VALUES (?,?)", keys)


def delete_events(
    conn: sqlite3.Connection, rows: Sequence[tuple[int, Event]], head: Store, fts: bool
) -> None:
    """Delete the events ``(seq, event)`` (as the index holds them) and all their rows."""
    seqs = [(seq,) for seq, _ in rows]
    for table in ("events", "event_countries", "event_actors", "event_tags", "sources"):
        conn.executemany(f"DELETE FROM {table} WHERE seq = ?", seqs)  # noqa: S608
    if fts:  # a contentless table forgets a row given the text it was indexed with
        conn.executemany(
            "INSERT INTO search(search, rowid, hay) VALUES ('delete', ?, ?)",
            [(seq, hay(ev, head)) for seq, ev in rows],
        )
    else:
        conn.executemany("DELETE FROM search_plain WHERE seq = ?", seqs)


def event_of(row: Sequence[Any]) -> Event:
    """The event of a row of :data:`EVENT_COLUMNS`."""
    (id_, date, kind, title, countries, actors, host, place, status, announced, level, tags,
     summary, sources) = row  # fmt: skip
    return Event(
        id_, parse_edtf(date), kind, title, tuple(json.loads(countries)),
        tuple(json.loads(actors)), host, place, status,
        parse_edtf(announced) if announced else None, level, tuple(json.loads(tags)), summary,
        tuple(Source(*s) for s in json.loads(sources)),
    )  # fmt: skip


def events_of(cursor: Iterable[Sequence[Any]]) -> Iterator[Event]:
    return (event_of(row) for row in cursor)
