"""Encoded events: the JSON text of each event of a cached store, kept beside its cache entry.

``query --format json`` of a large store spent most of its time encoding events (about 18 µs
an event with the direct encoder of serialize.py). The text of an event only changes when the
event does, so the first full dump of a store also writes, beside the store's full cache
entry, the UTF-8 JSON text of each of its events (``<entry>.json``); later dumps copy those
bytes to the output.

The file is tied to the full entry it was made from, not to the store file: its key is that
entry's key and payload CRC, plus :data:`dtimeline.serialize.JSON_SCHEMA` (so a change of the
encoder never serves old text). Whatever vouches for the full entry (store/cache.py: the
file's stat key, the racy rule) therefore vouches for this file too; events appended since
(the cache's delta) are encoded on the fly. Same header and CRC as every cache entry, and no
pickle: the payload is the count, the offsets and the bytes. Any doubt means "no text", and
events are encoded as before; any problem writing the file is ignored.
"""

from __future__ import annotations

import struct
from array import array
from collections.abc import Callable
from pathlib import Path

from dtimeline.model import Event, Store
from dtimeline.serialize import JSON_SCHEMA, event_json
from dtimeline.store import cache
from dtimeline.store.cache import Sink, Ticket, _open_checked, _Stale, _write

TEXT_MAGIC = b"DTLJSONT"
_COUNT = struct.Struct("<Q")

#: What happened in this process (tests observe hits this way, never by timing).
counters = {"hits": 0, "misses": 0, "writes": 0}

Encoder = Callable[[Event], bytes]


def encode(ev: Event) -> bytes:
    """The JSON text of ``ev`` (stored status) as UTF-8, computed now."""
    return event_json(ev).encode("utf-8")


def _text_key(base: cache._Base) -> bytes:
    return b"%s\0%08x\0%s" % (base.key, base.crc, JSON_SCHEMA.encode())


def _entry(store: Store) -> tuple[Path, cache._Base] | None:
    """The store file and full cache entry ``store`` was loaded from in this process."""
    for path, loaded in cache._loaded.items():
        if loaded is store:
            base = cache._bases.get(path)
            if base is not None and base.size <= len(store.events):
                return path, base
    return None


def _read(dest: Path, key: bytes, count: int) -> tuple[bytes, array[int]]:
    with dest.open("rb", buffering=0) as fh:  # unbuffered: read() below copies nothing
        _open_checked(fh, TEXT_MAGIC, key)
        (got,) = _COUNT.unpack(fh.read(_COUNT.size))
        if got != count:
            raise _Stale
        offsets = array("Q")
        offsets.frombytes(fh.read(8 * (count + 1)))
        blob = fh.read()  # one copy of the texts, never two
    if len(offsets) != count + 1 or offsets[0] != 0 or offsets[-1] != len(blob):
        raise _Stale
    return blob, offsets


def _offsets(texts: list[bytes]) -> array[int]:
    offsets = array("Q", [0])
    total = 0
    for text in texts:
        total += len(text)
        offsets.append(total)
    return offsets


def _keep(dest: Path, key: bytes, path: Path, texts: list[bytes]) -> None:
    """Write the texts file, piece by piece (never joined in memory)."""

    def payload(out: Sink) -> None:
        out.write(_COUNT.pack(len(texts)))
        out.write(_offsets(texts).tobytes())
        for text in texts:
            out.write(text)

    try:
        _write(Ticket(path, dest, key, 0), dest, TEXT_MAGIC, payload, None)
        counters["writes"] += 1
    except Exception:  # noqa: S110 (a cache that cannot be written is skipped)
        pass


def encoder(store: Store, wanted: int) -> Encoder:
    """A function giving the JSON text (UTF-8, stored status) of any event of ``store``.

    When ``store`` came from the read cache and its encoded events are kept, they are
    copied; otherwise, if ``wanted`` (the number of events about to be written) is at least
    half the store, every event of the full entry is encoded now and kept for next time.
    Events that are not in the full entry (appended since, or another store's) are encoded
    on the fly."""
    found = _entry(store)
    if found is None:
        return encode
    path, base = found
    dest = cache.cache_file(path).with_suffix(".json")
    key = _text_key(base)
    events = store.events  # held: the index is by object identity
    try:
        blob, offsets = _read(dest, key, base.size)
    except Exception:  # missing, stale or damaged: as if there were none
        counters["misses"] += 1
        if wanted * 2 < base.size:
            return encode
        index = {id(ev): i for i, ev in enumerate(events[: base.size])}
        texts = [encode(ev) for ev in events[: base.size]]
        _keep(dest, key, path, texts)

        def computed(ev: Event) -> bytes:
            i = index.get(id(ev))
            return encode(ev) if i is None or events[i] is not ev else texts[i]

        return computed
    counters["hits"] += 1
    index = {id(ev): i for i, ev in enumerate(events[: base.size])}

    def text_of(ev: Event) -> bytes:
        i = index.get(id(ev))
        if i is None or events[i] is not ev:
            return encode(ev)
        return blob[offsets[i] : offsets[i + 1]]

    return text_of
