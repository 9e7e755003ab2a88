"""Undo history, kept outside the store's folder: the ``history`` folder in the store's
private folder (store/sidecar.py), so a store kept in git or a synced folder gains no clutter.

Each write adds one entry: ``NNNNNN.bin`` holds the bytes the write replaced and
``NNNNNN.json`` says where (``start``, the length of the new bytes) with the SHA-256 of the
file before and after. Only the last :data:`KEEP` entries are kept. An append stores no
old bytes at all, so the history stays small even for a large store.

``undo`` takes the newest entry: if the file's hash is still the recorded "after" hash,
the old bytes are spliced back; if the file was changed since (by hand, or by a tool
that kept no history), it refuses. An entry whose write never happened (the writer was
killed between recording and replacing) is recognised by the file still having the
"before" hash, and dropped.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dtimeline.errors import ConflictError, WriteError

if TYPE_CHECKING:
    from dtimeline.store.write import Splice

KEEP = 20


def history_dir(target: Path) -> Path:
    """The history folder of the store at ``target`` (its real path)."""
    from dtimeline.store.sidecar import history_path

    return history_path(target)


@dataclass(frozen=True)
class Entry:
    """One undo step: its metadata file, the changed span and what it replaced."""

    meta: Path
    start: int
    new_len: int
    before: str
    after: str
    what: str

    @property
    def blob(self) -> Path:
        return self.meta.with_suffix(".bin")


def _entries(folder: Path) -> list[Entry]:
    found = []
    for meta in sorted(folder.glob("[0-9]*.json")):
        try:
            data: dict[str, Any] = json.loads(meta.read_text("utf-8"))
            found.append(
                Entry(
                    meta,
                    int(data["start"]),
                    int(data["new_len"]),
                    str(data["before"]),
                    str(data["after"]),
                    str(data.get("what", "a write")),
                )
            )
        except (OSError, ValueError, KeyError, TypeError):
            continue  # a damaged entry is skipped, never trusted
    return found


def record(  # noqa: PLR0917
    target: Path, splice: Splice, replaced: bytes, before: str, after: str, what: str
) -> Entry:
    """Add an entry for ``splice``, about to turn the file of hash ``before`` into one of hash
    ``after`` (``replaced``: the bytes it replaces); prune old entries."""
    from dtimeline.store.atomic import atomic_replace

    folder = history_dir(target)
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        existing = _entries(folder)
        number = int(existing[-1].meta.stem) + 1 if existing else 1
        meta = folder / f"{number:06d}.json"
        entry = Entry(meta, splice.start, len(splice.replacement), before, after, what)
        atomic_replace(entry.blob, replaced, durable=False)
        data = {
            "what": what,
            "start": entry.start,
            "new_len": entry.new_len,
            "before": entry.before,
            "after": entry.after,
        }
        atomic_replace(meta, json.dumps(data, indent=1).encode("utf-8"), durable=False)
        for stale in existing[: max(0, len(existing) + 1 - KEEP)]:
            forget(stale)
    except OSError as exc:
        raise WriteError(f"{folder}: cannot keep undo history: {exc.strerror or exc}") from None
    return entry


def forget(entry: Entry) -> None:
    for path in (entry.meta, entry.blob):
        with contextlib.suppress(OSError):
            path.unlink()


def undo(target: Path, current: bytes) -> tuple[bytes, Entry]:
    """The bytes the store had before its last recorded write, and that write's entry.

    The caller replaces the file, then calls :func:`forget` on the entry."""
    from dtimeline.store.digest import digest

    now = digest(current)
    for entry in reversed(_entries(history_dir(target))):
        if now == entry.after:
            try:
                old_part = entry.blob.read_bytes()
            except OSError:
                old_part = None
            restored = (
                None
                if old_part is None
                else current[: entry.start] + old_part + current[entry.start + entry.new_len :]
            )
            if restored is None or digest(restored) != entry.before:
                raise ConflictError(
                    f"{target}: the undo history for {entry.what!r} is damaged; undo refused"
                )
            return restored, entry
        if now == entry.before:
            forget(entry)  # that write never reached the file
            continue
        raise ConflictError(
            f"{target}: the store was changed by hand since the last write ({entry.what});"
            " undo refused"
        )
    raise ConflictError(f"{target}: nothing to undo")
