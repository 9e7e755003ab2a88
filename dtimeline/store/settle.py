"""Reading a store that an in-place append (store/inplace.py) may be changing.

A reader takes no lock, so it can read the file while ``add`` appends to it, or after a
writer was killed half-way and before anyone cut the torn tail back. Such a read shows: the
file's stat moved during the read, fewer bytes were read than the stat says, or the
append's roll-back record exists. Then the reader takes the store's lock (which cuts back
an unfinished append, or waits for a running one to end) and reads again.
"""

from __future__ import annotations

import os
from pathlib import Path


def stat_key(path: Path) -> tuple[int, int, int, int, int] | None:
    """``(dev, ino, size, mtime_ns, ctime_ns)`` of ``path``; None if it cannot be stat'ed."""
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def read_was_whole(path: Path, before: tuple[int, int, int, int, int] | None, size: int) -> bool:
    """Whether ``size`` bytes read from the store at ``path`` (stat'ed as ``before`` just
    ahead of the read) were a whole store: the stat did not move during the read, all of
    it was read, and no append is under way or was left unfinished (its record). An
    append that ran during the read shows in one of these (it writes its record first,
    and the file's size grows before it is removed)."""
    if before is None:
        return True  # nothing to compare: the read itself reported what it found
    return stat_key(path) == before and size == before[2] and not _pending(path)


def read_whole(path: Path) -> bytes:
    """The bytes of the store at ``path`` (store/load.py: read_bytes, with its errors),
    read again under the store's lock when :func:`read_was_whole` doubts the first read
    (without it when the lock cannot be taken)."""
    from dtimeline.errors import WriteError
    from dtimeline.store.load import read_bytes
    from dtimeline.store.lock import store_lock

    before = stat_key(path)
    data = read_bytes(path)
    if read_was_whole(path, before, len(data)):
        return data
    try:
        with store_lock(Path(os.path.realpath(path))):
            return read_bytes(path)
    except WriteError:  # no lock to be had (a read-only state folder): as well as we can
        return read_bytes(path)


def _pending(path: Path) -> bool:
    from dtimeline.store.inplace import pending

    return pending(Path(os.path.realpath(path))) is not None
