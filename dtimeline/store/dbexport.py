"""``export --format sqlite``: the selected events in a standalone SQLite database, with the
tables of the index (rows.py; documented in docs/sqlite.md) but no search table."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
from collections.abc import Sequence
from pathlib import Path

from dtimeline.errors import WriteError
from dtimeline.model import Event, Store
from dtimeline.store import rows


def write_database(dest: Path, head: Store, events: Sequence[Event]) -> None:
    """Write ``events`` (in that order) and ``head``'s countries, actors and kinds to a new
    database at ``dest``, replacing it atomically once complete (raises WriteError)."""
    folder = dest.parent
    tmp = ""
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=folder)
        os.close(fd)
        conn = sqlite3.connect(tmp, isolation_level=None)
        try:
            conn.execute("BEGIN")
            rows.create(conn, search=False)
            rows.write_head(conn, head)
            rows.insert_events(conn, enumerate(events), head, None)
            rows.create_indexes(conn)
            conn.execute("INSERT INTO meta VALUES ('format', ?)", (rows.FORMAT,))
            conn.execute("COMMIT")
        finally:
            conn.close()
        umask = os.umask(0)
        os.umask(umask)
        Path(tmp).chmod(0o666 & ~umask)
        Path(tmp).replace(dest)
        tmp = ""
    except (OSError, sqlite3.Error) as exc:
        detail = getattr(exc, "strerror", None) or exc
        raise WriteError(f"{dest}: cannot write: {detail}") from None
    finally:
        if tmp:
            with contextlib.suppress(OSError):
                Path(tmp).unlink()
