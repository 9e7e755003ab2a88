"""The names a person types, for shell completion, without loading the store each Tab.

:func:`names` gives the slugs of the countries, actors, tags and kinds of a store and its
event ids. They are kept in a small JSON file in the user's cache folder (beside the read
cache), keyed by the store file's ``(st_dev, st_ino, st_size, st_mtime_ns, st_ctime_ns)``:
while the file is unchanged a Tab reads only that file; after a change the store is loaded
once through :func:`dtimeline.store.load_store` (itself served by the read cache) and the
file rewritten. A change within one timestamp tick of the previous one can leave the
names one step behind: for completion that costs a missing suggestion, never a wrong
result, so no checksum is kept. ``DTIMELINE_NO_CACHE=1`` keeps nothing.

Every failure (no store, an invalid one, a read-only cache folder) gives empty lists:
completion never prints an error into a shell prompt.
"""

from __future__ import annotations

import json
import os
import zlib
from pathlib import Path

#: The kinds of names kept (the keys of what :func:`names` returns).
KINDS = ("countries", "actors", "tags", "kinds", "ids")
VERSION = 1


def _key(path: Path) -> list[int]:
    st = path.stat()
    return [st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns]


def _side_file(real: Path) -> Path:
    from dtimeline.store.locate import user_folder

    raw = os.fsencode(real)
    return user_folder("cache") / f"names-{zlib.crc32(raw):08x}{zlib.adler32(raw):08x}.json"


def _gather(path: Path) -> dict[str, list[str]]:
    from dtimeline.store import load_store

    store = load_store(path)
    tags: dict[str, None] = {}
    for ev in store.events:
        tags.update(dict.fromkeys(ev.tags))
    return {
        "countries": list(store.countries),
        "actors": list(store.actors),
        "tags": sorted(tags),
        "kinds": list(store.all_kinds()),
        "ids": [ev.id for ev in store.events],
    }


def names(path: Path) -> dict[str, list[str]]:
    """Every name of :data:`KINDS` in the store at ``path`` (empty lists if it cannot be
    read or is invalid)."""
    from dtimeline.errors import DtimelineError

    empty: dict[str, list[str]] = {kind: [] for kind in KINDS}
    try:
        real = Path(os.path.realpath(path))
        key = _key(real)
    except OSError:
        return empty
    keep = os.environ.get("DTIMELINE_NO_CACHE", "").strip() in ("", "0")
    side = _side_file(real) if keep else None
    if side is not None:
        try:
            data = json.loads(side.read_bytes())
            if data.get("version") == VERSION and data.get("key") == key:
                return {kind: list(data[kind]) for kind in KINDS}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            pass
    try:
        found = _gather(path)
    except DtimelineError:
        return empty
    if side is not None:
        _keep(side, {"version": VERSION, "key": key, **found})
    return found


def _keep(side: Path, data: dict[str, object]) -> None:
    """Write the names file atomically; any failure is ignored (completion still works)."""
    from dtimeline.store.write import atomic_replace

    try:
        side.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        atomic_replace(side, json.dumps(data, ensure_ascii=False).encode("utf-8"), durable=False)
    except Exception:  # noqa: S110 (a names file is never worth failing for)
        pass
