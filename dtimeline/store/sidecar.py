"""Where a store's lock and undo history live: outside the store's own folder.

A store is often kept in a git repository (or a synced folder), where files beside it
would show up as clutter (``git status``) or be committed by mistake. So dtimeline keeps
what belongs to one store in a folder of its own under the user's state folder
(``$XDG_STATE_HOME/dtimeline/stores/`` on Linux, i.e. ``~/.local/state/dtimeline/stores/``):

    <state>/stores/<file name>-<key>/lock      the writers' lock (store/lock.py)
    <state>/stores/<file name>-<key>/history/  the undo history (store/history.py)

``<key>`` is a checksum of the store's real path (symlinks followed), so every path to
one file shares one lock and one history, and two stores never share either. The lock
is only as good as the folder is shared: writers running as different users (different
state folders) on one store are not kept apart.
"""

from __future__ import annotations

import os
from pathlib import Path


def sidecar_folder(target: Path) -> Path:
    """The private folder of the store whose real, absolute path is ``target`` (not
    created here). Raises nothing; the path depends only on ``target`` and the
    environment's state folder."""
    from dtimeline.store.digest import digest
    from dtimeline.store.locate import user_folder

    key = digest(os.fsencode(target))
    return user_folder("state") / "stores" / f"{target.name}-{key}"


def lock_path(target: Path) -> Path:
    """The lock file of the store at ``target`` (its real path)."""
    return sidecar_folder(target) / "lock"


def history_path(target: Path) -> Path:
    """The undo history folder of the store at ``target`` (its real path)."""
    return sidecar_folder(target) / "history"
