"""Read cache: the built :class:`Store` of an unchanged file, so reads skip TOML and validation.

One cache file per store, in the user's cache folder (``$XDG_CACHE_HOME/dtimeline`` on
Linux), named by a hash of the store's resolved path. An entry is used only when all of
these match exactly, otherwise the store file is parsed as usual:

* the key: the store file's ``(st_dev, st_ino, st_size, st_mtime_ns, st_ctime_ns)`` and a
  tag made of dtimeline's version, the store schema, the cache format and the Python
  version. ``ctime`` is what catches a hand edit that kept the size and restored the mtime
  (setting a time with ``os.utime`` itself moves ctime);
* the header: magic, lengths and a CRC-32 of the payload (a truncated or damaged file fails);
* "racy" entries, as in git: when the cache was written within :data:`RACY_NS` of the file's
  last change, a later edit in the same clock tick would leave the stat key unchanged, so
  such an entry also carries a checksum of the file's bytes and is verified against the file
  until it is old enough to be rewritten without one.

Beside the full entry (``.pickle``) and the delta (``.delta``: events appended since), a
``.view`` file holds the writer's view that ``add`` reads instead of the whole store
(store/view.py).

Any problem while reading an entry means "no entry"; any problem while writing one is
ignored (a read-only or full cache folder never fails a command). ``DTIMELINE_NO_CACHE=1``
turns the cache off.

Security: the payload is a pickle, and unpickling runs code. The cache folder is the user's
own (created 0700, files 0600, and a file owned by someone else is ignored), so whoever can
write there can already run code as the user; that is the trust model of every per-user
cache, and is accepted here.
"""

from __future__ import annotations

import gc
import os
import pickle
import struct
import sys
import time
import zlib
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple

from dtimeline import __version__
from dtimeline.model import SCHEMA_VERSION, Event, Store

ENV_DISABLE = "DTIMELINE_NO_CACHE"
FORMAT = 2  # 2: domain objects pickled as Class(*values) (frozen.py)
MAGIC = b"DTLCACHE"
#: magic, format, racy flag, key length, payload length, payload CRC-32, file checksum
_HEAD = struct.Struct("<8sIIIQIQ")
PROTOCOL = pickle.HIGHEST_PROTOCOL
RACY_NS = 2_000_000_000  # wider than any file system's timestamp granularity in use

DELTA_MAGIC = b"DTLDELTA"
DELTA_MIN = 256  # a delta may hold this many events, or an eighth of the base if more

#: What happened in this process (tests observe hits this way, never by timing).
counters = {"hits": 0, "misses": 0, "writes": 0}


class _Base(NamedTuple):
    """The full entry a store was loaded from (or last written to) in this process."""

    key: bytes
    crc: int
    size: int  # its number of events


_bases: dict[Path, _Base] = {}
#: The store each path was last loaded (or written) as, in this process (a few paths).
_loaded: dict[Path, Store] = {}
_LOADED_MAX = 4
#: The last store read from the cache in this process, by its file key.
_by_key: dict[bytes, Store] = {}


def _note_loaded(path: Path, store: Store) -> None:
    if path not in _loaded and len(_loaded) >= _LOADED_MAX:
        _loaded.clear()
    _loaded[path] = store


def forget_process_state(path: Path) -> None:
    """Drop what this process remembers of ``path``'s store (its file changed behind it)."""
    _bases.pop(path, None)
    _loaded.pop(path, None)
    _by_key.clear()


def delta_limit(base_count: int) -> int:
    """The most events a delta on a full entry of ``base_count`` events may hold."""
    return max(DELTA_MIN, base_count // 8)


def tag() -> str:
    py = ".".join(map(str, sys.version_info[:3]))
    return f"dtimeline {__version__}; schema {SCHEMA_VERSION}; cache {FORMAT}; python {py}"


def enabled(environ: os._Environ[str] | dict[str, str] | None = None) -> bool:
    value = (os.environ if environ is None else environ).get(ENV_DISABLE, "")
    return value.strip() in ("", "0")


def cache_dir() -> Path:
    from dtimeline.store.locate import user_folder

    return user_folder("cache")


def cache_file(resolved: Path) -> Path:
    # Two paths sharing a name would only evict each other: the key holds the full path.
    # (zlib, not hashlib: loading OpenSSL costs more than the rest of this module.)
    raw = os.fsencode(resolved)
    return cache_dir() / f"store-{zlib.crc32(raw):08x}{zlib.adler32(raw):08x}.pickle"


def file_sum(data: bytes) -> int:
    """A cheap 64-bit checksum of the store's bytes (guards racy entries, not attackers)."""
    return (zlib.crc32(data) << 32) | zlib.adler32(data)


class Content(NamedTuple):
    """Size, CRC-32 and Adler-32 of a store file's bytes: what a writer's view describes."""

    size: int
    crc: int
    adler: int


def content_of(data: bytes) -> Content:
    return Content(len(data), zlib.crc32(data), zlib.adler32(data))


class Ticket(NamedTuple):
    """Where the entry of one store lives, and the key its file has right now."""

    store: Path  # resolved
    cache: Path
    key: bytes
    changed_ns: int  # the later of mtime and ctime

    def racy(self, now_ns: int) -> bool:
        return now_ns - self.changed_ns < RACY_NS


def ticket(path: Path) -> Ticket | None:
    """Stat ``path`` (before it is read) and name its cache entry; None if not cacheable."""
    if not enabled():
        return None
    try:
        resolved = path.resolve()
        st = resolved.stat()
        key = repr((
            tag(), str(resolved), st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns,
            st.st_ctime_ns,
        )).encode("utf-8", "surrogateescape")  # fmt: skip
        return Ticket(resolved, cache_file(resolved), key, max(st.st_mtime_ns, st.st_ctime_ns))
    except (OSError, RuntimeError, ValueError):
        return None


def _open_checked(fh: BinaryIO, magic: bytes, key: bytes) -> tuple[bool, int, int]:
    """Check header, key, length and CRC of an open entry; leave ``fh`` at the payload.

    Returns (racy, file checksum, payload CRC); raises _Stale on any mismatch. The payload
    is checked in chunks and later unpickled from the file, never held in memory whole."""
    st = os.fstat(fh.fileno())
    if hasattr(os, "getuid") and st.st_uid != os.getuid():
        raise _Stale  # not ours: never unpickle it
    head = fh.read(_HEAD.size)
    if len(head) < _HEAD.size:
        raise _Stale
    got_magic, fmt, racy, klen, plen, crc, fsum = _HEAD.unpack(head)
    if got_magic != magic or fmt != FORMAT or st.st_size != _HEAD.size + klen + plen:
        raise _Stale
    if fh.read(klen) != key:
        raise _Stale
    start = fh.tell()
    running = 0
    while chunk := fh.read(1 << 20):
        running = zlib.crc32(chunk, running)
    if running != crc or fh.tell() != st.st_size:
        raise _Stale
    fh.seek(start)
    return bool(racy), fsum, crc


class _Stale(Exception):  # noqa: N818 (a signal, not an error)
    """This entry does not describe the file as it is now."""


def _verify_file(t: Ticket, fsum: int) -> None:
    if file_sum(t.store.read_bytes()) != fsum:
        raise _Stale


def _unpickle(fh: BinaryIO) -> Any:
    # Unpickling makes hundreds of thousands of objects and no garbage: with the collector
    # on, it would scan them again and again (3x slower). Freezing moves them out of its
    # sight for the rest of this (short) process; reference counting still frees them.
    gc.disable()
    try:
        value = pickle.load(fh)  # noqa: S301 (the user's own cache: see the module doc)
        gc.freeze()
    finally:
        gc.enable()
    return value


def _read_base(t: Ticket, key: bytes, want_crc: int | None) -> tuple[Store, int]:
    """The full entry stored under ``key``; verified against the file unless it is the
    base of a delta (``want_crc`` given: the delta vouches for the file)."""
    with t.cache.open("rb") as fh:
        racy, fsum, crc = _open_checked(fh, MAGIC, key)
        if want_crc is not None and crc != want_crc:
            raise _Stale
        if racy and want_crc is None:
            _verify_file(t, fsum)
        start = fh.tell()
        store = _unpickle(fh)
        if not isinstance(store, Store):
            raise _Stale
        if racy and want_crc is None and not t.racy(time.time_ns()):
            fh.seek(start)
            _write(t, t.cache, MAGIC, fh.read(), None)  # now unambiguous: a plain entry
    return store, crc


def _read(t: Ticket) -> Store:
    delta = t.cache.with_suffix(".delta")
    try:
        fh = delta.open("rb")
    except FileNotFoundError:
        fh = None
    if fh is not None:
        with fh:
            try:
                racy, fsum, _ = _open_checked(fh, DELTA_MAGIC, t.key)
            except _Stale:
                pass
            else:
                if racy:
                    _verify_file(t, fsum)
                base_key, base_crc, tail = _unpickle(fh)
                base, _ = _read_base(t, base_key, base_crc)
                if not isinstance(tail, tuple) or not all(isinstance(e, Event) for e in tail):
                    raise _Stale
                _bases[t.store] = _Base(base_key, base_crc, len(base.events))
                return replace(base, events=base.events + tail)
    store, crc = _read_base(t, t.key, None)
    _bases[t.store] = _Base(t.key, crc, len(store.events))
    return store


def lookup(t: Ticket | None) -> Store | None:
    """The cached store for ``t``, or None (missing, stale, damaged, unreadable)."""
    if t is None:
        return None
    again = _by_key.get(t.key)
    if again is not None and not t.racy(time.time_ns()):
        # loaded already in this process under the same file key (a write command reads
        # the store to check its input, then again under the lock)
        counters["hits"] += 1
        return again
    try:
        store: Store | None = _read(t)
    except Exception:  # a bad cache is never an error, only a miss
        store = None
    counters["hits" if store is not None else "misses"] += 1
    if store is not None:
        _note_loaded(t.store, store)
        _by_key.clear()
        _by_key[t.key] = store
    return store


class Sink:
    """A binary file that also keeps the CRC-32 and length of what goes through it."""

    def __init__(self, fh: BinaryIO) -> None:
        self.fh = fh
        self.crc = 0
        self.size = 0

    def write(self, data: bytes) -> int:
        self.crc = zlib.crc32(data, self.crc)
        self.size += len(data)
        return self.fh.write(data)


def _write(
    t: Ticket, dest: Path, magic: bytes, payload: bytes | Callable[[Sink], object], fsum: int | None
) -> int:
    """Write one entry atomically (temp file + rename); returns the payload's CRC.
    ``payload``: the bytes, or a function that writes them to the sink it is given (so a
    large payload is never held whole in memory: pickling a store into bytes first would
    double its peak). ``fsum``: the store file's checksum for a racy entry, None for a
    plain one."""
    import tempfile

    folder = dest.parent
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=folder)  # created 0600
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(bytes(_HEAD.size))  # the header, once the payload is known
            fh.write(t.key)
            out = Sink(fh)
            if isinstance(payload, bytes):
                out.write(payload)
            else:
                payload(out)
            fh.seek(0)
            racy = int(fsum is not None)
            fh.write(_HEAD.pack(magic, FORMAT, racy, len(t.key), out.size, out.crc, fsum or 0))
        Path(tmp).replace(dest)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    counters["writes"] += 1
    return out.crc


def racy_sum(t: Ticket | None, data: bytes) -> int | None:
    """The checksum of ``data`` (the file's bytes, read after ``t`` was taken) if an entry
    written now would be racy; taken before parsing, so the bytes need not be kept."""
    if t is None or not t.racy(time.time_ns()):
        return None
    return file_sum(data)


def _current_sum(t: Ticket) -> int | None:
    """The checksum a racy entry needs, read from the file (None if not racy)."""
    if not t.racy(time.time_ns()):
        return None
    return file_sum(t.store.read_bytes())


def remember(
    t: Ticket | None, store: Store, fsum: int | None = None, content: Content | None = None
) -> None:
    """Cache ``store``, built from the file as ``t`` found it, and its writer's view.

    ``fsum``: from :func:`racy_sum` when the caller read the file; otherwise a racy entry
    reads the file to checksum it. ``content``: :func:`content_of` the bytes ``store`` was
    built from (read after ``t`` was taken), for the writer's view (store/view.py); without
    it, no view."""
    if t is None:
        return
    from dtimeline.store import view as wv

    try:
        if fsum is None or not t.racy(time.time_ns()):
            fsum = _current_sum(t) if fsum is None else None
        wv.forget_view(t)  # the old view may name the entry replaced here
        crc = _write(t, t.cache, MAGIC, partial(pickle.dump, store, protocol=PROTOCOL), fsum)
        _bases[t.store] = _Base(t.key, crc, len(store.events))
        _note_loaded(t.store, store)
        t.cache.with_suffix(".delta").unlink(missing_ok=True)
    except Exception:  # a cache that cannot be written is just skipped
        return
    _remember_view(t, store, content, wv.Where(t.key, crc, 0))


def _remember_view(t: Ticket, store: Store, content: Content | None, where: Any) -> None:
    """Write the writer's view of ``store``, built from bytes that sum to ``content``.
    Without that there is no view (reading the file now could see a later edit)."""
    from dtimeline.store import view as wv

    try:
        if content is None:
            raise ValueError("no content sum")
        wv.remember_view(t, wv.view_of(store), content, where)
    except Exception:
        wv.forget_view(t)


def write_through(path: Path, store: Store, data: bytes | None = None) -> None:
    """After a write: cache ``store`` under the file's new stat (``data``: the file's new
    bytes, if the caller has them).

    When the write only appended events to the store this process loaded (``add``,
    ``import``), only those events are written, as a small delta on top of the full entry
    already in the cache; otherwise (edit, remove, undo; or a delta grown long) the
    full store is written again."""
    t = ticket(path)
    if t is None:
        return
    content = None if data is None else content_of(data)
    base = _bases.get(t.store)
    if base is not None and base.size <= len(store.events):
        tail = store.events[base.size :]
        if len(tail) <= delta_limit(base.size) and _appended(t, base, store):
            from dtimeline.store import view as wv

            try:
                payload = pickle.dumps((base.key, base.crc, tail), protocol=pickle.HIGHEST_PROTOCOL)
                delta = t.cache.with_suffix(".delta")
                wv.forget_view(t)
                _write(t, delta, DELTA_MAGIC, payload, _current_sum(t))
                _note_loaded(t.store, store)
            except Exception:  # noqa: S110 (then a full entry, below)
                pass
            else:
                _remember_view(t, store, content, wv.Where(base.key, base.crc, len(tail)))
                return
    remember(t, store, content=content)


def _appended(t: Ticket, base: _Base, store: Store) -> bool:
    """True when ``store`` is the store last loaded here, with events added at the end."""
    loaded = _loaded.get(t.store)
    if loaded is None or len(loaded.events) < base.size:
        return False
    same_head = (
        store.schema == loaded.schema
        and store.countries == loaded.countries
        and store.actors == loaded.actors
        and store.kinds == loaded.kinds
    )
    return same_head and all(
        a is b for a, b in zip(store.events[: base.size], loaded.events, strict=False)
    )
