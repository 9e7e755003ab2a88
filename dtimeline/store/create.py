"""Create a store file that does not exist yet, never replacing one that does.

The content is written to a temporary file in the same folder and fsynced, then linked
to its name: ``link(2)`` fails if the name exists, so two processes creating the same
store never overwrite each other, and a reader never sees a half-written file. Where
hard links are not supported, ``O_CREAT | O_EXCL`` gives the same refusal."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from dtimeline.errors import ConflictError, WriteError
from dtimeline.model import SCHEMA_VERSION

#: What ``dtimeline init`` writes: the schema and a word on what the file is.
EMPTY_STORE = (
    "# A dtimeline event store: dated, sourced events between countries (TOML).\n"
    "# Add events with `dtimeline add`; `dtimeline check` validates the file.\n"
    f"schema = {SCHEMA_VERSION}\n"
)


def create_new(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` unless something is there already (then False).

    Raises WriteError when the folder cannot be written; leaves no temporary file."""
    tmp = ""
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            umask = os.umask(0)
            os.umask(umask)
            os.fchmod(fd, 0o666 & ~umask)
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            os.link(tmp, path)
        except FileExistsError:
            return False
        except OSError:  # no hard links here: an exclusive create instead
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            except FileExistsError:
                return False
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
        return True
    except OSError as exc:
        raise WriteError(f"{path}: cannot create: {exc.strerror or exc}") from None
    finally:
        if tmp:
            with contextlib.suppress(OSError):
                Path(tmp).unlink()


def init_store(path: Path, data: bytes | None = None) -> None:
    """Create a new store at ``path`` holding ``data`` (default :data:`EMPTY_STORE`).

    Raises ConflictError if ``path`` exists (it is left untouched), WriteError when its
    folder is missing or cannot be written."""
    if path.exists() or path.is_symlink():
        raise ConflictError(f"{path}: exists already; init never overwrites a file")
    if not path.parent.is_dir():
        raise WriteError(f"{path.parent}: no such folder")
    if not create_new(path, EMPTY_STORE.encode() if data is None else data):
        raise ConflictError(f"{path}: exists already; init never overwrites a file")
