"""The names a person types, for shell completion, without loading the store each Tab.

:func:`names` gives the slugs of the countries, actors, tags and kinds of a store and its
event ids (those that start with a prefix). They are read with SQL from the store's index
(store/index.py), which describes the file as it is now; nothing is built from its rows.
Every failure (no store, an invalid one) gives empty lists: completion never prints an
error into a shell prompt.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

#: The kinds of names (the keys of what :func:`names` returns).
KINDS = ("countries", "actors", "tags", "kinds", "ids")


def names(path: Path, id_prefix: str = "") -> dict[str, list[str]]:
    """Every name of :data:`KINDS` in the store at ``path``: ids only those starting with
    ``id_prefix`` (file order); empty lists if the store cannot be read or is invalid.

    Asked with SQL of the index's documented tables (docs/sqlite.md): no row is decoded
    into the model's objects."""
    from dtimeline.errors import DtimelineError
    from dtimeline.model import KINDS as BUILT_IN
    from dtimeline.store import open_index

    queries = {
        "countries": ("SELECT slug FROM countries ORDER BY pos", ()),
        "actors": ("SELECT slug FROM actors ORDER BY pos", ()),
        "tags": ("SELECT DISTINCT tag FROM event_tags ORDER BY tag", ()),
        "kinds": ("SELECT name FROM kinds ORDER BY pos", ()),
        "ids": (
            "SELECT id FROM events WHERE id >= ? AND id < ? ORDER BY seq",
            (id_prefix, id_prefix + "\U0010ffff"),
        ),
    }
    try:
        conn = open_index(path).conn
        found = {kind: [str(r[0]) for r in conn.execute(sql, args)]
                 for kind, (sql, args) in queries.items()}  # fmt: skip
    except (DtimelineError, OSError, sqlite3.Error):
        return {kind: [] for kind in KINDS}
    found["kinds"] = list(dict.fromkeys([*BUILT_IN, *found["kinds"]]))
    return found
