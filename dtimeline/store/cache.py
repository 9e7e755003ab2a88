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
import hashlib
import os
import pickle
import struct
import sys
import tempfile
import time
import zlib
from dataclasses import dataclass
from pathlib import Path

from dtimeline import __version__
from dtimeline.model import SCHEMA_VERSION, Store

ENV_DISABLE = "DTIMELINE_NO_CACHE"
FORMAT = 1
MAGIC = b"DTLCACHE"
#: magic, format, racy flag, key length, payload length, payload CRC-32, file checksum
_HEAD = struct.Struct("<8sIIIQIQ")
RACY_NS = 2_000_000_000  # wider than any file system's timestamp granularity in use

#: What happened in this process (tests observe hits this way, never by timing).
counters = {"hits": 0, "misses": 0, "writes": 0}


def tag() -> str:
    py = ".".join(map(str, sys.version_info[:3]))
    return f"dtimeline {__version__}; schema {SCHEMA_VERSION}; cache {FORMAT}; python {py}"


def enabled(environ: os._Environ[str] | dict[str, str] | None = None) -> bool:
    value = (os.environ if environ is None else environ).get(ENV_DISABLE, "")
    return value.strip() in ("", "0")


def cache_dir() -> Path:
    from platformdirs import user_cache_path

    return user_cache_path("dtimeline", appauthor=False)


def cache_file(resolved: Path) -> Path:
    name = hashlib.sha256(os.fsencode(resolved)).hexdigest()[:32]
    return cache_dir() / f"store-{name}.pickle"


def file_sum(data: bytes) -> int:
    """A cheap 64-bit checksum of the store's bytes (guards racy entries, not attackers)."""
    return (zlib.crc32(data) << 32) | zlib.adler32(data)


@dataclass(frozen=True)
class Ticket:
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


def _read_entry(t: Ticket) -> Store | None:
    with t.cache.open("rb") as fh:
        st = os.fstat(fh.fileno())
        if hasattr(os, "getuid") and st.st_uid != os.getuid():
            return None  # not ours: never unpickle it
        head = fh.read(_HEAD.size)
        if len(head) < _HEAD.size:
            return None
        magic, fmt, racy, klen, plen, crc, fsum = _HEAD.unpack(head)
        if magic != MAGIC or fmt != FORMAT or st.st_size != _HEAD.size + klen + plen:
            return None
        if fh.read(klen) != t.key:
            return None
        # Check the payload in chunks, then unpickle it from the file: the payload is never
        # held in memory whole (at 10,000 events that is 9 MB less peak memory).
        start = fh.tell()
        running = 0
        while chunk := fh.read(1 << 20):
            running = zlib.crc32(chunk, running)
        if running != crc or fh.tell() != st.st_size:
            return None
        if racy:
            try:
                current = t.store.read_bytes()
            except OSError:
                return None
            if file_sum(current) != fsum:
                return None
            del current
        fh.seek(start)
        # Unpickling makes hundreds of thousands of objects and no garbage: with the
        # collector on, it would scan them again and again (3x slower). Freezing moves them
        # out of its sight for the rest of this (short) process; reference counting still
        # frees them.
        gc.disable()
        try:
            store = pickle.load(fh)  # noqa: S301 (the user's own cache: see above)
            gc.freeze()
        finally:
            gc.enable()
        if not isinstance(store, Store):
            return None
        if racy and not t.racy(time.time_ns()):
            fh.seek(start)
            _write(t, fh.read(), None)  # now unambiguous: drop the per-read check
    return store


def lookup(t: Ticket | None) -> Store | None:
    """The cached store for ``t``, or None (missing, stale, damaged, unreadable)."""
    if t is None:
        return None
    try:
        store = _read_entry(t)
    except Exception:  # a bad cache is never an error, only a miss
        store = None
    counters["hits" if store is not None else "misses"] += 1
    return store


def _write(t: Ticket, payload: bytes, data: bytes | None) -> None:
    racy = data is not None
    head = _HEAD.pack(
        MAGIC, FORMAT, int(racy), len(t.key), len(payload), zlib.crc32(payload),
        file_sum(data) if data is not None else 0,
    )  # fmt: skip
    folder = t.cache.parent
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=folder)  # created 0600
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(head)
            fh.write(t.key)
            fh.write(payload)
        Path(tmp).replace(t.cache)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    counters["writes"] += 1


def remember(t: Ticket | None, store: Store, data: bytes | None) -> None:
    """Cache ``store``, built from ``data`` (the bytes read after ``t`` was taken).

    ``data`` may be None when the caller does not hold the bytes: a racy entry then reads
    the file to checksum it."""
    if t is None:
        return
    try:
        payload = pickle.dumps(store, protocol=pickle.HIGHEST_PROTOCOL)
        if t.racy(time.time_ns()):
            if data is None:
                data = t.store.read_bytes()
        else:
            data = None
        _write(t, payload, data)
    except Exception:  # noqa: S110 (a cache that cannot be written is just skipped)
        pass
