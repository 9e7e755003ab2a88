"""The names a person types, for shell completion, without loading the store each Tab.

:func:`names` gives the slugs of the countries, actors, tags and kinds of a store and its
event ids (those that start with a prefix). They are read with SQL from the store's index
(store/index.py), which describes the file as it is now; no event is built. Every failure
(no store, an invalid one) gives empty lists: completion never prints an error into a shell
prompt.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

#: The kinds of names (the keys of what :func:`names` returns).
KINDS = ("countries", "actors", "tags", "kinds", "ids")


def names(path: Path, id_prefix: str = "") -> dict[str, list[str]]:
    """Every name of :data:`KINDS` in the store at ``path``: ids only those starting with
    ``id_prefix`` (file order); empty lists if the store cannot be read or is invalid."""
    from dtimeline.errors import DtimelineError
    from dtimeline.store import open_index
    from dtimeline.store.select import tags

    try:
        index = open_index(path)
        head = index.head
        ids = [
            event_id
            for (event_id,) in index.conn.execute(
                "SELECT id FROM events WHERE id >= ? AND id < ? ORDER BY seq",
                (id_prefix, id_prefix + "\U0010ffff"),
            )
        ]
        found = sorted(tags(index))
    except (DtimelineError, OSError, sqlite3.Error):
        return {kind: [] for kind in KINDS}
    return {
        "countries": list(head.countries),
        "actors": list(head.actors),
        "tags": found,
        "kinds": list(head.all_kinds()),
        "ids": ids,
    }
