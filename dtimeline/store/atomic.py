"""Replace a file atomically: a temporary file in the same folder, written, fsynced and
renamed over the target, then the folder fsynced. A crash at any instant leaves the old or
the new file, never a torn one. Used by every write of the store, its undo history and the
exports written to a file."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from dtimeline.errors import WriteError


def write_all(fd: int, data: bytes) -> None:
    """All of ``data`` to the file descriptor ``fd`` (os.write may write less at a time)."""
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some filesystems cannot fsync a folder; the rename is still atomic
    finally:
        os.close(fd)


def atomic_replace(target: Path, data: bytes, *, durable: bool = True) -> None:
    """Replace ``target`` by ``data`` atomically (keeps the old file's permission bits).

    ``durable=False`` skips the fsyncs (still atomic, maybe not yet on disk after a power
    cut): for the undo history, whose loss can never damage the store."""
    with atomic_writer(target, durable=durable) as fd:
        write_all(fd, data)


@contextlib.contextmanager
def atomic_writer(target: Path, *, durable: bool = True) -> Iterator[int]:
    """A file descriptor to write the new content of ``target`` to; when the block ends,
    the content replaces ``target`` atomically (keeping the old file's permission bits).
    If the block raises (or is interrupted), ``target`` is left as it was and the
    temporary file is removed. An OSError becomes a WriteError naming ``target``."""
    try:
        mode = target.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    tmp = ""
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        try:
            yield fd
            os.fchmod(fd, mode)
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
        Path(tmp).replace(target)
        tmp = ""
        if durable:
            _fsync_dir(target.parent)
    except OSError as exc:
        raise WriteError(f"{target}: cannot write: {exc.strerror or exc}") from None
    finally:  # also on KeyboardInterrupt: never leave the temporary file behind
        if tmp:
            with contextlib.suppress(OSError):
                Path(tmp).unlink()
