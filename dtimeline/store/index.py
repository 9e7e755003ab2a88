"""The store's index: one SQLite database per store file, kept in the user's cache folder.

The TOML file is the truth; the index is what reads use instead of parsing it. It lives in
``$XDG_CACHE_HOME/dtimeline`` (Linux; platformdirs elsewhere), named by a hash of the store's
resolved path, and is used only when it describes exactly the file as it is now:

* its key matches the file's ``(st_dev, st_ino, st_size, st_mtime_ns, st_ctime_ns)`` and a
  tag of dtimeline's version, the store schema, the index format and the SQLite and Python
  versions. ``ctime`` catches a hand edit that kept the size and restored the mtime (setting
  a time with ``os.utime`` itself moves ctime);
* "racy" indexes, as in git: one written within :data:`RACY_NS` of the file's last change
  could miss a later edit in the same clock tick, so it is checked against the fingerprint
  of the file's bytes (store/digest.py) until it is old enough;
* it opens as our database (a foreign, damaged, newer-format or unreadable file is not).

Anything else means the file is parsed and the index rebuilt: into a temporary file in the
cache folder, renamed over the old one once complete (so two processes building at once,
or one killed mid-way, never leave a half-built index under the real name). When the cache
folder cannot be written, or ``DTIMELINE_NO_CACHE=1``, the index is built in memory for
this command only. Writers keep the index in step under the store's lock (:func:`follow`);
a crash between the file's replacement and that update leaves an index whose key no longer
matches, which the next command rebuilds.

Nothing in the database runs code: it is data, read with SQL.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import sys
import time
import zlib
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from dtimeline import __version__
from dtimeline.model import SCHEMA_VERSION, Event, Store
from dtimeline.store import rows
from dtimeline.store.digest import Digest, file_digest
from dtimeline.store.memo import memo

if TYPE_CHECKING:
    from dtimeline.store.sync import Plan  # only writers plan (follow); reads never import it

ENV_DISABLE = "DTIMELINE_NO_CACHE"
RACY_NS = 2_000_000_000  # wider than any file system's timestamp granularity in use
STALE_TEMP_S = 3600  # a temporary index older than this was left by a killed builder


def tag() -> str:
    from dtimeline.serialize import JSON_SCHEMA

    py = ".".join(map(str, sys.version_info[:3]))
    return (
        f"dtimeline {__version__}; schema {SCHEMA_VERSION}; index {rows.FORMAT};"
        f" sqlite {sqlite3.sqlite_version}; python {py}; {JSON_SCHEMA}"
    )


def enabled(environ: Mapping[str, str] | None = None) -> bool:
    value = (os.environ if environ is None else environ).get(ENV_DISABLE, "")
    return value.strip() in ("", "0")


def cache_dir() -> Path:
    from dtimeline.store.locate import user_folder

    return user_folder("cache")


def db_file(resolved: Path) -> Path:
    """Where the index of the store at ``resolved`` lives."""
    # zlib, not hashlib: loading OpenSSL costs more than the rest of this module
    raw = os.fsencode(resolved)
    return cache_dir() / f"store-{zlib.crc32(raw):08x}{zlib.adler32(raw):08x}.sqlite"


class Ticket(NamedTuple):
    """The store file as it was stat'ed (before it is read), and where its index lives."""

    store: Path  # resolved
    db: Path
    key: str
    changed_ns: int  # the later of mtime and ctime
    fine: bool = False  # Linux, and time stamps finer than a millisecond

    def racy(self, now_ns: int | None = None) -> bool:
        return (time.time_ns() if now_ns is None else now_ns) - self.changed_ns < RACY_NS

    def past_tick(self, now_ns: int | None = None) -> bool:
        """Whether any later change of the file must get a later time stamp: on Linux,
        whose file time stamps come from a clock ticking at most every 10 ms, for a file
        system keeping them finer than a millisecond, once 20 ms have passed (then the
        stat key alone catches every later edit, as :data:`RACY_NS` does elsewhere)."""
        from dtimeline.store.inplace import FINE_TICK_NS

        now = time.time_ns() if now_ns is None else now_ns
        return self.fine and now - self.changed_ns >= min(FINE_TICK_NS, RACY_NS)


def ticket(path: Path) -> Ticket | None:
    """Stat ``path`` and name its index; None if it cannot be stat'ed."""
    try:
        resolved = path.resolve()
        st = resolved.stat()
    except (OSError, RuntimeError, ValueError):
        return None
    key = repr((tag(), os.fsdecode(resolved), st.st_dev, st.st_ino, st.st_size,
                st.st_mtime_ns, st.st_ctime_ns))  # fmt: skip
    fine = sys.platform.startswith("linux") and bool(
        st.st_mtime_ns % 1_000_000 or st.st_ctime_ns % 1_000_000
    )
    return Ticket(resolved, db_file(resolved), key, max(st.st_mtime_ns, st.st_ctime_ns), fine)


class Stale(Exception):  # noqa: N818 (a signal, not an error)
    """This database does not describe the file as it is now."""


# --- opening -------------------------------------------------------------------------------


def _connect(db: Path, *, check_owner: bool = True) -> sqlite3.Connection:
    if check_owner and hasattr(os, "getuid") and db.stat().st_uid != os.getuid():
        raise Stale  # not ours
    conn = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA query_only = 0")
    return conn


def _meta(conn: sqlite3.Connection) -> dict[str, object]:
    return dict(conn.execute("SELECT name, value FROM meta").fetchall())


def _checked(conn: sqlite3.Connection, t: Ticket) -> dict[str, object]:
    """The meta of a database that describes the file ``t`` names; raises Stale."""
    meta = _meta(conn)
    if meta.get("format") != rows.FORMAT or meta.get("key") != t.key:
        raise Stale
    if meta.get("racy"):
        if file_digest(t.store) != meta.get("content"):
            raise Stale
        if not t.racy():
            with contextlib.suppress(sqlite3.Error):
                conn.execute("UPDATE meta SET value = 0 WHERE name = 'racy'")
    return meta


class Index:
    """An open index: the head of the store and SQL over its events."""

    def __init__(self, conn: sqlite3.Connection, fts: bool, db: Path | None) -> None:
        self.conn = conn
        self.fts = fts
        self.db = db  # None: in memory, for this command only
        self._head: Store | None = None

    def replace_head(self, head: Store) -> None:
        """Write ``head``'s countries, actors and kinds in place of the stored ones (inside
        the caller's transaction)."""
        rows.write_head(self.conn, head)
        self._head = head

    @property
    def head(self) -> Store:
        """The store's schema, countries, actors and kinds (no events)."""
        if self._head is None:
            self._head = rows.read_head(self.conn)
        return self._head

    def max_span(self) -> int:
        """The most days any event's date spans (an upper bound; 0 when unknown)."""
        value = _meta(self.conn).get("max_span", 0)
        return int(value) if isinstance(value, (int, float)) else 0

    def content(self) -> str:
        """The fingerprint (store/digest.py) of the file bytes this index describes."""
        return str(_meta(self.conn).get("content", ""))

    def key(self) -> str:
        """The stat key (:func:`ticket`) of the file this index describes ('' if none)."""
        return str(_meta(self.conn).get("key", ""))

    def count(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM events").fetchone()[0])

    def store(self) -> Store:
        """The whole store, every event built (file order)."""
        cur = self.conn.execute(f"SELECT {rows.EVENT_COLUMNS} FROM events ORDER BY seq")  # noqa: S608
        head = self.head
        return Store(head.schema, head.countries, head.actors, head.kinds,
                     tuple(rows.events_of(cur)))  # fmt: skip

    def has_id(self, event_id: str) -> bool:
        found = self.conn.execute("SELECT 1 FROM events WHERE id = ?", (event_id,)).fetchone()
        return found is not None

    def id_set(self) -> Ids:
        """The event ids, as a container asked one id at a time (``in``, ``add``)."""
        return Ids(self)

    def similar(self, ev: Event) -> list[Similar]:
        """Other events of the same kind and set of countries whose dates overlap ``ev``'s
        (file order): what ``add`` warns about as a likely duplicate."""
        want = set(ev.countries)
        if not want:
            return []
        from datetime import date, timedelta

        # Driven by the (kind, earliest) index over a bounded range of days (an event that
        # overlaps starts at most max_span days before ``ev``), not by the country's
        # rows: a country named by most of a large store would make that a scan.
        span = self.max_span()
        start = ev.date.earliest
        low = date.min if (start - date.min).days <= span else start - timedelta(days=span)
        found = self.conn.execute(
            "SELECT e.id, e.date, e.title, e.countries FROM events e"
            " WHERE e.kind = ? AND e.earliest BETWEEN ? AND ? AND e.latest >= ? AND e.id != ?"
            " AND EXISTS (SELECT 1 FROM event_countries c"
            " WHERE c.seq = e.seq AND c.country = ?)"
            " ORDER BY e.seq",
            (ev.kind, low.isoformat(), ev.date.latest.isoformat(), start.isoformat(), ev.id,
             min(want)),
        )  # fmt: skip
        import json

        return [
            Similar(id_, edtf, title)
            for id_, edtf, title, countries in found
            if set(json.loads(countries)) == want
        ]

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.conn.close()


class Similar(NamedTuple):
    id: str
    edtf: str
    title: str


class Ids:
    """The ids of an index, plus those added by the caller (for ``make_id``)."""

    def __init__(self, index: Index) -> None:
        self.index = index
        self.more: set[str] = set()

    def __contains__(self, event_id: object) -> bool:
        return isinstance(event_id, str) and (event_id in self.more or self.index.has_id(event_id))

    def add(self, event_id: str) -> None:
        self.more.add(event_id)


#: The view ``add`` builds its event against (an open index).
WriterView = Index


def _open_existing(t: Ticket) -> Index | None:
    try:
        conn = _connect(t.db)
    except (OSError, Stale, sqlite3.Error):
        return None
    try:
        meta = _checked(conn, t)
    except Exception:  # damaged, foreign, stale: never an error, only a rebuild
        with contextlib.suppress(sqlite3.Error):
            conn.close()
        return None
    return Index(conn, bool(meta.get("fts")), t.db)


# --- building ------------------------------------------------------------------------------


def _fill(conn: sqlite3.Connection, store: Store, meta: dict[str, object]) -> bool:
    """Create the tables in ``conn`` and fill them with ``store``; returns fts."""
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("BEGIN")
    fts = rows.create(conn)
    rows.write_head(conn, store)
    step = 2000
    for start in range(0, len(store.events), step):
        piece = store.events[start : start + step]
        rows.insert_events(conn, enumerate(piece, start), store, fts)
    rows.create_indexes(conn)
    meta = {**meta, "format": rows.FORMAT, "fts": int(fts)}
    conn.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", list(meta.items()))
    conn.execute("COMMIT")
    return fts


def _sweep(folder: Path) -> None:
    """Remove temporary indexes that killed builders left behind."""
    now = time.time()
    for stale in folder.glob(".tmp-*.sqlite*"):
        with contextlib.suppress(OSError):
            if now - stale.stat().st_mtime > STALE_TEMP_S:
                stale.unlink()


def build(t: Ticket | None, store: Store, content: str) -> Index:
    """An index of ``store``, built from the file whose bytes have fingerprint ``content``
    (read after ``t`` was taken). Written to the cache folder when possible, else kept for
    this command only: in SQLite's private temporary database (the empty file name: a file
    in the temporary folder, unlinked by SQLite as soon as it is made, so nothing stays on
    disk, and its pages are not all held in memory: 10k events 94 -> 65 MB peak), or in
    memory where no temporary file can be made. Never raises for a cache that cannot be
    written."""
    meta: dict[str, object] = {"content": content, "key": "", "racy": 1}
    if t is not None:
        meta["key"] = t.key
        meta["racy"] = int(t.racy())
    if t is not None and enabled():
        made = _build_file(t, store, meta)
        if made is not None:
            memo.counters["builds"] += 1
            return made
    try:
        conn = sqlite3.connect("", isolation_level=None, check_same_thread=False)
        fts = _fill(conn, store, meta)
    except sqlite3.OperationalError:  # no temporary file to be had: in memory, then
        conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        fts = _fill(conn, store, meta)
    memo.counters["memory_builds"] += 1
    return Index(conn, fts, None)


def _build_file(t: Ticket, store: Store, meta: dict[str, object]) -> Index | None:
    return _write_db(t, lambda conn: _fill(conn, store, meta))


class Abandon(Exception):  # noqa: N818 (a signal, not an error)
    """Building the index this way cannot finish: the caller tries another."""


def _write_db(t: Ticket, fill: Callable[[sqlite3.Connection], bool]) -> Index | None:
    """Build a database with ``fill`` (which returns fts) in a temporary file of the cache
    folder, then rename it over the index of ``t``; None when that cannot be done."""
    import tempfile  # here: a read served by the index never builds one

    folder = t.db.parent
    tmp = ""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        _sweep(folder)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".sqlite", dir=folder)  # 0600
        os.close(fd)
        conn = sqlite3.connect(tmp, isolation_level=None, check_same_thread=False)
        try:
            fts = fill(conn)
        finally:
            conn.close()
        Path(tmp).replace(t.db)
        tmp = ""
        return Index(_connect(t.db, check_owner=False), fts, t.db)
    except (OSError, sqlite3.Error, Abandon):
        return None
    finally:
        if tmp:
            with contextlib.suppress(OSError):
                Path(tmp).unlink()


#: A store file at least this large is indexed straight from disk, in pieces.
STREAM_MIN = 8 << 20


#: A store file at least this large is indexed by two processes where ``os.fork`` exists
#: (store/splitbuild.py): about 90,000 events of dtimeline's layout.
SPLIT_MIN = 32 << 20
#: Where the file is cut for the second process, as a share of its size: the first one
#: also copies the second's rows into the index and builds the indexes.
SPLIT_AT = 0.47


def _fill_streamed(
    conn: sqlite3.Connection, doc: Any, tables: Iterator[Any], path: Path
) -> tuple[bool, int]:
    """Open a transaction on a database being built and insert the head and the events of
    ``tables`` (a piece at a time, each validated first). Returns whether it has FTS5 and
    how many events went in. Raises :class:`Abandon` for anything the whole-file read
    should report (with lines) instead, or a piece that cannot be read alone."""
    from dtimeline.store.load import Unstreamable
    from dtimeline.store.schema import validate

    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("BEGIN")
    fts = rows.create(conn)
    done = [0, False]  # events inserted, head written

    def sink(head: Store, batch: list[Event]) -> None:
        if not done[1]:
            rows.write_head(conn, head)
            done[1] = True
        rows.insert_events(conn, enumerate(batch, int(done[0])), head, fts)
        done[0] += len(batch)

    try:
        store, problems = validate(doc, "", path, tables, sink)
    except (Unstreamable, OSError):
        raise Abandon from None
    if any(not p.strict for p in problems):
        raise Abandon
    if not done[1]:
        rows.write_head(conn, store)
    return fts, int(done[0])


def _finish(conn: sqlite3.Connection, digest: Digest, t: Ticket, fts: bool) -> None:
    """Build the indexes and record what ties the database to the file ``t`` names (its
    bytes' fingerprint ``digest``), in the transaction open on ``conn``; commit."""
    rows.create_indexes(conn)
    meta = {"content": digest.hexdigest(), "key": t.key, "racy": int(t.racy()),
            "format": rows.FORMAT, "fts": int(fts)}  # fmt: skip
    conn.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", list(meta.items()))
    conn.execute("COMMIT")


def _build_in_two(path: Path, t: Ticket) -> Index | None:
    """Index the store at ``path`` as :func:`_build_streamed` does, the events after a cut
    near the middle of the file read, validated and made rows by a forked worker
    (store/splitbuild.py). None on any doubt: the caller builds it in one process."""
    from dtimeline.store import splitbuild
    from dtimeline.store.load import Unstreamable, check_schema_version, find_cut, stream_tables

    digest = Digest()
    try:
        cut = find_cut(path, int(t.store.stat().st_size * SPLIT_AT))
        if cut is None:
            return None
        doc, tables = stream_tables(path, digest, stop=cut)
    except (Unstreamable, OSError):
        return None
    check_schema_version(doc, path)

    def fill(conn: sqlite3.Connection) -> bool:
        worker = splitbuild.start(path, cut, doc, t.db.parent)
        try:
            fts, count = _fill_streamed(conn, doc, tables, path)
            rest = splitbuild.rest_of(path, cut, digest)
            if not worker.finish():
                raise Abandon
            conn.execute("COMMIT")  # (ATTACH and DETACH outside a transaction)
            conn.execute("ATTACH DATABASE ? AS part", (str(worker.db),))
            if splitbuild.part_content(conn, "part") != rest:
                raise Abandon  # the worker read other bytes: the file changed
            conn.execute("BEGIN")
            rows.copy_part(conn, "part", count, fts)
            conn.execute("COMMIT")
            conn.execute("DETACH DATABASE part")
            conn.execute("BEGIN")
            _finish(conn, digest, t, fts)  # an id both halves use: IntegrityError, no index
            return fts
        finally:
            worker.discard()

    made = _write_db(t, fill)
    if made is not None:
        memo.counters["split_builds"] += 1
    return made


def _build_streamed(path: Path, t: Ticket) -> Index | None:
    """Index the store at ``path`` while reading it in pieces (store/load.py:
    stream_tables), each piece's events validated and inserted before the next is read:
    neither the file's text nor its events are ever held whole. None on any doubt (a file
    that cannot be read in pieces, any problem to report): the caller reads it whole."""
    from dtimeline.store import splitbuild
    from dtimeline.store.load import Unstreamable, check_schema_version, stream_tables

    try:
        split = splitbuild.available() and t.store.stat().st_size >= SPLIT_MIN
    except OSError:
        return None
    if split:
        made = _build_in_two(path, t)
        if made is not None:
            return made
    digest = Digest()
    try:
        doc, tables = stream_tables(path, digest)
    except (Unstreamable, OSError):
        return None
    check_schema_version(doc, path)

    def fill(conn: sqlite3.Connection) -> bool:
        fts, _ = _fill_streamed(conn, doc, tables, path)
        _finish(conn, digest, t, fts)
        return fts

    made = _write_db(t, fill)
    if made is not None:
        memo.counters["streamed_builds"] += 1
    return made


def forget(t: Ticket | None) -> None:
    """Remove the index of the file ``t`` names (the next read rebuilds it)."""
    if t is not None:
        with contextlib.suppress(OSError):
            t.db.unlink(missing_ok=True)


# --- the entry points ----------------------------------------------------------------------


def open_index(path: Path) -> Index:
    """The index of the store at ``path``, opened or (re)built; raises StoreError when the
    store cannot be read or is invalid (an invalid store is never indexed)."""
    t = ticket(path)
    key = t.store if t is not None else path
    held = memo.indexes.get(key)
    if held is not None and t is not None and held[0] == t.key and not t.racy():
        memo.counters["hits"] += 1
        return held[1]
    found = _open_existing(t) if t is not None and enabled() else None
    if found is not None:
        memo.counters["hits"] += 1
    else:
        memo.counters["misses"] += 1
        found = _build_whole(path, t)
    memo.keep_index(key, t.key if t is not None else "", found)
    return found


def _build_whole(path: Path, t: Ticket | None) -> Index:
    """:func:`_build_from_file`, made sure it read a whole store: should an in-place append
    (store/inplace.py) have run during the read, or been left unfinished by a killed
    writer, the store's lock is taken (which cuts back an unfinished append, or waits for
    a running one) and the file read again. Raises StoreError as the read does."""
    from dtimeline.errors import StoreError, WriteError
    from dtimeline.store.settle import read_was_whole, stat_key

    before = stat_key(path)
    try:
        found: Index | None = _build_from_file(path, t)
    except StoreError:
        if read_was_whole(path, before, before[2] if before else 0):
            raise
        found = None
    if found is not None:
        try:  # (the index just built may be replaced by another builder's already)
            size = int(found.content().split("-", 1)[0] or "0", 16)
        except (sqlite3.Error, ValueError):
            size = -1
        if read_was_whole(path, before, size):
            return found
        memo.forget(found)
        found.close()
    from dtimeline.store.lock import store_lock

    try:
        with store_lock(t.store if t is not None else path):
            return _build_from_file(path, ticket(path))
    except WriteError:  # no lock to be had (a read-only state folder): as well as we can
        return _build_from_file(path, ticket(path))


def _build_from_file(path: Path, t: Ticket | None) -> Index:
    from dtimeline.store.load import decode, load_checked, read_bytes

    if t is not None and enabled():
        try:
            large = t.store.stat().st_size >= STREAM_MIN
        except OSError:
            large = False
        streamed = _build_streamed(path, t) if large else None
        if streamed is not None:
            return streamed

    data = read_bytes(path)
    content = Digest(data).hexdigest()
    text = decode(data, path)
    del data  # parsing needs the most memory: hold the file once, not twice
    store = load_checked(text, path)  # raises on any error: only clean stores are indexed
    del text
    index = build(t, store, content)
    memo.stores[index] = store
    return index


def load(path: Path) -> Store:
    """The whole store at ``path``, from its index."""
    index = open_index(path)
    store = memo.stores.get(index)
    if store is None:
        store = memo.stores[index] = index.store()
    return store


def after_write(
    path: Path, store: Store, data: bytes | None = None, old: Store | None = None
) -> None:
    """The store file at ``path`` now holds ``store`` (its bytes ``data``, if at hand): bring
    the index in step (the changed events only, when this process read the store before:
    ``old``, or the store kept with the index)."""
    from dtimeline.store.sync import changes

    t = ticket(path)
    if data is None:
        try:
            content = file_digest(path)
        except OSError:
            forget(t)
            return
    else:
        content = Digest(data).hexdigest()
    held = memo.indexes.get(t.store) if t is not None else None
    if held is None:
        forget(t)
        memo.keep_index(t.store if t is not None else path, "", build(t, store, content))
        return
    index = held[1]
    old = memo.stores.get(index, old)
    plan = None if old is None else changes(index, old, store)
    follow(index, path, content, plan, store)


def for_writer(path: Path, content: str) -> Index:
    """The index of the store at ``path`` for a writer holding the lock, which has read the
    file's bytes (fingerprint ``content``): used only if it describes exactly those bytes."""
    index = open_index(path)
    if _meta(index.conn).get("content") != content:
        memo.forget(index)
        t = ticket(path)
        forget(t)
        index = open_index(path)  # rebuilt from the file, under the writer's lock
    return index


def commit_follow(index: Index, path: Path, content: str) -> None:
    """Finish a write (store/bulk.py) that inserted its rows into ``index`` inside a
    transaction it opened, then replaced the store file at ``path`` by bytes of fingerprint
    ``content``: key the index by the file's new stat and commit. On any failure the
    transaction is rolled back and the index removed (the next read rebuilds it). Call it
    under the store's lock."""
    t = ticket(path)
    memo.forget(index)
    meta = {"key": t.key if t is not None else "", "content": content,
            "racy": int(t is None or (t.racy() and not t.past_tick()))}  # fmt: skip
    try:
        if t is None or (index.db is not None and index.db != t.db):
            raise Stale
        index.conn.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", list(meta.items()))
        index.conn.execute("COMMIT")
    except Exception:  # (an interrupted commit is rolled back with the connection)
        with contextlib.suppress(sqlite3.Error):
            index.conn.execute("ROLLBACK")
        index.close()
        forget(t)
        return
    memo.counters["follows"] += 1
    memo.keep_index(t.store, t.key, index)


def follow(index: Index, path: Path, content: str, plan: Plan | None, new: Store | None) -> None:
    """After a write replaced the store file at ``path`` by bytes of fingerprint ``content``
    (store/digest.py): apply ``plan`` (see
    store/sync.py) to ``index``, which described the file before, and key it by the file's
    new stat. ``new``: the whole new store, when the writer has it (then a failed plan
    means a rebuild from it; without it, the index is removed and the next read rebuilds
    it from the file). Call it under the store's lock, right after the write."""
    t = ticket(path)
    memo.forget(index)
    meta = {"key": t.key if t is not None else "", "content": content,
            "racy": int(t is None or (t.racy() and not t.past_tick()))}  # fmt: skip
    kept: Index | None = index
    try:
        if plan is None or t is None or (index.db is not None and index.db != t.db):
            raise Stale
        conn = index.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            head = index.head
            if plan.head is not None:  # declarations added (store/sync.py)
                index.replace_head(plan.head)
                head = plan.head
            rows.delete_events(conn, plan.deleted, head, index.fts)
            rows.insert_events(conn, plan.inserted, head, index.fts)
            rows.widen_span(conn, (ev for _, ev in plan.inserted))
            conn.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", list(meta.items()))
            conn.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            raise
        memo.counters["follows"] += 1
    except Exception:
        index.close()
        forget(t)
        kept = None if new is None else build(t, new, content)
    if kept is not None:
        memo.keep_index(t.store if t is not None else path, str(meta["key"]), kept)
        if new is not None:
            memo.stores[kept] = new
