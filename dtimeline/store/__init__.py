"""The only file I/O of dtimeline: find, load, validate (and, in write.py, change) a store."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from dtimeline.model import Store
from dtimeline.store.locate import Location, bundled_path, locate, user_store_path

if TYPE_CHECKING:
    from dtimeline.store.index import Index
    from dtimeline.store.schema import Problem


def __getattr__(name: str) -> Any:
    # Problem is public here, but a read served by the index never needs the validator.
    if name == "Problem":
        from dtimeline.store.schema import Problem

        return Problem
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def load_store(path: Path) -> Store:
    """Load and validate the store at ``path`` (raises StoreError on the first problem).

    Served from the store's index (store/index.py) when it describes the file exactly;
    otherwise the file is parsed and the index rebuilt."""
    from dtimeline.store import index

    return index.load(path)


def open_index(path: Path) -> Index:
    """The index of the store at ``path`` (store/index.py), opened or (re)built; raises
    StoreError when the store cannot be read or is invalid."""
    from dtimeline.store import index

    return index.open_index(path)


def after_write(
    path: Path, store: Store, data: bytes | None = None, old: Store | None = None
) -> None:
    """Called by every write once ``path`` holds ``store``: brings the index in step, so the
    next read need not parse the file. ``data``: the bytes just written, if at hand;
    ``old``: the store the writer read (under its lock) before the write, if at hand.

    Call it while still holding the store's lock: the index is keyed by the file's stat
    taken here, so another writer must not slip in between."""
    from dtimeline.store import index

    index.after_write(path, store, data, old)


def check_store(path: Path) -> list[Problem]:
    """Every problem of the store at ``path``, strict ones included (flagged).

    A file that cannot be read at all still raises StoreError; a TOML syntax error is
    returned as a problem with its line."""
    from dtimeline.store.load import TomlSyntaxError, decode, load_text
    from dtimeline.store.settle import read_whole

    text = decode(read_whole(path), path)
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
    "open_index",
    "user_store_path",
]
