"""The only file I/O of dtimeline: find, load, validate (and, in write.py, change) a store."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from dtimeline.model import Store
from dtimeline.store.locate import Location, bundled_path, locate, user_store_path

if TYPE_CHECKING:
    from dtimeline.store.schema import Problem


def __getattr__(name: str) -> Any:
    # Problem is public here, but a read served by the cache never needs the validator.
    if name == "Problem":
        from dtimeline.store.schema import Problem

        return Problem
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def load_store(path: Path) -> Store:
    """Load and validate the store at ``path`` (raises StoreError on the first problem).

    An unchanged file is served from the read cache (store/cache.py); the file is stat'ed
    before it is read, so a change made meanwhile is never cached under the old key."""
    from dtimeline.store import cache

    ticket = cache.ticket(path)
    store = cache.lookup(ticket)
    if store is not None:
        return store
    from dtimeline.store.load import decode, load_checked, read_bytes

    data = read_bytes(path)
    file_sum = cache.racy_sum(ticket, data)
    content = cache.content_of(data) if ticket is not None else None
    text = decode(data, path)
    del data  # parsing needs the most memory: hold the file once, not twice
    store = load_checked(text, path)  # raises on any error: only clean stores are cached
    del text  # before the cache is written: pickling a large store needs memory too
    cache.remember(ticket, store, file_sum, content)
    return store


def after_write(path: Path, store: Store, data: bytes | None = None) -> None:
    """Called by every write once ``path`` holds ``store``: lets the read cache follow
    (write-through) so the next read need not re-parse the file. ``data``: the bytes
    just written, if at hand (they let the cache keep a writer's view, see store/view.py).

    Call it while still holding the store's lock: the entry is keyed by the file's stat
    taken here, so another writer must not slip in between."""
    from dtimeline.store import cache

    cache.write_through(path, store, data)


def check_store(path: Path) -> list[Problem]:
    """Every problem of the store at ``path``, strict ones included (flagged).

    A file that cannot be read at all still raises StoreError; a TOML syntax error is
    returned as a problem with its line."""
    from dtimeline.store.load import TomlSyntaxError, decode, load_text, read_bytes

    text = decode(read_bytes(path), path)
    try:
        _, problems = load_text(text, path)
    except TomlSyntaxError as exc:
        return [exc.problem]
    return problems


__all__ = [
    "Location",
    "Problem",
    "Store",
    "bundled_path",
    "check_store",
    "load_store",
    "locate",
    "user_store_path",
]
