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

An entry also says when the write was made (UTC, ISO 8601), what it was (``add ID``,
``import of 3 events``...) and the ids it touched, for ``dtimeline history``. An undone
write moves to the ``redo`` folder beside the entries (its blob then holds the bytes the
undo took away), so ``redo`` can apply it again; any new write empties that folder, as
redo in an editor ends with the next change.
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
    when: str = ""  # UTC, ISO 8601, to the second
    ids: tuple[str, ...] = ()

    @property
    def blob(self) -> Path:
        return self.meta.with_suffix(".bin")

    @property
    def command(self) -> str:
        """The command that made the write (the first word of ``what``)."""
        return self.what.split(" ", 1)[0]


def _names(folder: Path) -> list[Path]:
    """The entries' metadata files, oldest first (not read)."""
    return sorted(p for p in folder.glob("[0-9]*.json") if p.stem.isdigit())


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
                    str(data.get("when", "")),
                    tuple(str(i) for i in data.get("ids", ())),
                )
            )
        except (OSError, ValueError, KeyError, TypeError):
            continue  # a damaged entry is skipped, never trusted
    return found


def redo_dir(target: Path) -> Path:
    """Where undone writes wait for ``redo`` (emptied by the next write)."""
    return history_dir(target) / "redo"


def _now() -> str:
    from datetime import datetime, timezone

    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _save(folder: Path, entry: Entry, blob: bytes) -> None:
    from dtimeline.store.atomic import atomic_replace

    atomic_replace(entry.blob, blob, durable=False)
    data = {
        "what": entry.what,
        "when": entry.when,
        "ids": list(entry.ids),
        "start": entry.start,
        "new_len": entry.new_len,
        "before": entry.before,
        "after": entry.after,
    }
    atomic_replace(entry.meta, json.dumps(data, indent=1).encode("utf-8"), durable=False)


def record(  # noqa: PLR0917
    target: Path,
    splice: Splice,
    replaced: bytes,
    before: str,
    after: str,
    what: str,
    ids: tuple[str, ...] = (),
    *,
    keep_redo: bool = False,
    new_len: int | None = None,
) -> Entry:
    """Add an entry for ``splice``, about to turn the file of hash ``before`` into one of hash
    ``after`` (``replaced``: the bytes it replaces; ``ids``: the events it touches); prune
    old entries. A new write empties the redo folder (``keep_redo``: not when the write is
    itself a redo). ``new_len``: the length of the new bytes, when the writer does not hold
    them (``splice.replacement`` is then ignored)."""
    folder = history_dir(target)
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        existing = _names(folder)  # names only: an entry may list 100,000s of ids
        number = int(existing[-1].stem) + 1 if existing else 1
        meta = folder / f"{number:06d}.json"
        length = len(splice.replacement) if new_len is None else new_len
        entry = Entry(meta, splice.start, length, before, after, what, _now(), ids)
        _save(folder, entry, replaced)
        for stale in existing[: max(0, len(existing) + 1 - KEEP)]:
            forget(Entry(stale, 0, 0, "", "", ""))
        if not keep_redo:
            for undone in _names(redo_dir(target)):
                forget(Entry(undone, 0, 0, "", "", ""))
    except OSError as exc:
        raise WriteError(f"{folder}: cannot keep undo history: {exc.strerror or exc}") from None
    return entry


def entries(target: Path) -> list[tuple[Entry, bool]]:
    """The writes the history holds, newest first: (entry, undone), the undone ones (which
    ``redo`` can apply again) before the others."""
    undone = [(e, True) for e in reversed(_entries(redo_dir(target)))]
    return undone + [(e, False) for e in reversed(_entries(history_dir(target)))]


def undone(target: Path, entry: Entry, current: bytes) -> None:
    """Keep ``entry``, just undone from the file's bytes ``current``, for ``redo``; then
    forget it as an undo step. The redo entry's span is that of the bytes the undo put
    back, its blob the bytes the undo took away."""
    folder = redo_dir(target)
    try:
        put_back = entry.blob.stat().st_size
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        existing = _entries(folder)
        number = int(existing[-1].meta.stem) + 1 if existing else 1
        kept = Entry(folder / f"{number:06d}.json", entry.start, put_back, entry.before,
                     entry.after, entry.what, entry.when, entry.ids)  # fmt: skip
        _save(folder, kept, current[entry.start : entry.start + entry.new_len])
    except OSError:
        pass  # the undo stands; only its redo is lost
    forget(entry)


def redo(target: Path, current: bytes) -> tuple[bytes, Entry]:
    """The bytes the store had after the write ``undo`` last took back, and that write's
    redo entry. The caller replaces the file, records the write again (``keep_redo``) and
    forgets the redo entry."""
    from dtimeline.store.digest import digest

    found = _entries(redo_dir(target))
    if not found:
        raise ConflictError(f"{target}: nothing to redo")
    entry = found[-1]
    if digest(current) != entry.before:
        raise ConflictError(
            f"{target}: the store changed since {entry.what!r} was undone; redo refused"
        )
    try:
        again = entry.blob.read_bytes()
    except OSError:
        again = None
    if again is not None:
        restored = current[: entry.start] + again + current[entry.start + entry.new_len :]
        if digest(restored) == entry.after:
            return restored, entry
    raise ConflictError(f"{target}: the redo history for {entry.what!r} is damaged; redo refused")


def forget_named(target: Path, name: str) -> None:
    """Forget the entry whose file is called ``name`` (an append that never completed,
    store/inplace.py); nothing happens if there is none."""
    if name and "/" not in name and name.endswith(".json"):
        meta = history_dir(target) / name
        forget(Entry(meta, 0, 0, "", "", ""))


def forget(entry: Entry) -> None:
    for path in (entry.meta, entry.blob):
        with contextlib.suppress(OSError):
            path.unlink()


def undo(target: Path, current: bytes, *, dry_run: bool = False) -> tuple[bytes, Entry]:
    """The bytes the store had before its last recorded write, and that write's entry.

    The caller replaces the file, then calls :func:`undone` on the entry. ``dry_run``:
    entries of writes that never happened are skipped, not deleted."""
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
            if not dry_run:
                forget(entry)  # that write never reached the file
            continue
        raise ConflictError(
            f"{target}: the store was changed by hand since the last write ({entry.what});"
            " undo refused"
        )
    raise ConflictError(f"{target}: nothing to undo")
