"""The only file I/O of dtimeline: find, load, validate (and, in write.py, change) a store."""

from __future__ import annotations

from pathlib import Path

from dtimeline.model import Store
from dtimeline.store.locate import Location, bundled_path, locate, user_store_path
from dtimeline.store.schema import Problem


def load_store(path: Path) -> Store:
    """Load and validate the store at ``path`` (raises StoreError on the first problem)."""
    from dtimeline.store.load import load_path

    return load_path(path)


def after_write(path: Path, store: Store) -> None:
    """Called by every write once ``path`` holds ``store``: lets the read cache follow
    (write-through) so the next read need not re-parse the file."""
    del path, store


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
