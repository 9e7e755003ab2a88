"""An event's own TOML table, as text: read it out of the store, check an edited copy with
the rules of ``check``, and splice it back (``edit ID`` through ``$EDITOR``).

The table is the text from its ``[[events]]`` header to its last key line (its sources
included; see :func:`dtimeline.store.tomlblock.event_span`). Everything else in the file,
comments included, is kept byte for byte; the write goes through the same lock, atomic
replace and undo history as every other write.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from dtimeline.errors import ConflictError, InputError, NotFoundError
from dtimeline.model import Store


class EventText(NamedTuple):
    """The table of one event and where it is: characters ``start:end`` of the file's text,
    which starts on line ``line``."""

    event_id: str
    position: int  # the event's place in the file (0 first)
    text: str  # the whole file's text
    start: int
    end: int
    events: int  # how many events the file holds

    @property
    def table(self) -> str:
        return self.text[self.start : self.end]

    @property
    def line(self) -> int:
        return self.text.count("\n", 0, self.start) + 1


def event_text(path: Path, event_id: str) -> EventText:
    """The table of ``event_id`` in the store at ``path``; NotFoundError if there is none."""
    from dtimeline.query import suggest
    from dtimeline.store import load_store
    from dtimeline.store.load import decode, read_bytes
    from dtimeline.store.tomlblock import event_span

    store = load_store(path)
    ids = [ev.id for ev in store.events]
    if event_id not in ids:
        raise NotFoundError(f"no event with id {event_id!r}", hint=suggest(event_id, ids))
    index = ids.index(event_id)
    text = decode(read_bytes(path), path)
    start, end = event_span(text, index, path)
    return EventText(event_id, index, text, start, end, len(ids))


def problems_of(found: EventText, table: str, path: Path) -> tuple[Store | None, list[str]]:
    """The store the file would hold with ``table`` in place of the event's, checked by
    the rules of ``check``; and what is wrong with it (lines counted in ``table``)."""
    from dtimeline.store.load import TomlSyntaxError, load_text

    new_text = found.text[: found.start] + table + found.text[found.end :]
    first = found.line
    last = first + table.count("\n")

    def said(line: int | None, message: str) -> str:
        if line is not None and first <= line <= last:
            return f"line {line - first + 1}: {message}"
        return message

    try:
        store, problems = load_text(new_text, path)
    except TomlSyntaxError as exc:
        return None, [said(exc.problem.line, exc.problem.message)]
    wrong = [said(p.line, p.message) for p in problems if not p.strict]
    if wrong:
        return None, wrong
    ids = [ev.id for ev in store.events]
    if len(ids) != found.events:
        return None, ["the text must hold this one event: one [[events]] table"]
    if ids[found.position] != found.event_id:
        return None, [f"the id must stay {found.event_id!r} (an event's id never changes)"]
    return store, []


def replace_table(path: Path, found: EventText, table: str, what: str, timeout: float) -> Store:
    """Write ``table`` in place of the event's table (checked again under the lock); the
    rest of the file stays as it was. ConflictError if the file changed meanwhile;
    InputError if the new table breaks a rule."""
    from dtimeline.store import after_write
    from dtimeline.store.lock import store_lock
    from dtimeline.store.write import BOM, Splice, commit, read_current, target_of

    target = target_of(path)
    with store_lock(target, timeout):
        old = read_current(target)
        bom = len(BOM) if old.startswith(BOM) else 0
        if old[bom:].decode("utf-8", "replace") != found.text:
            raise ConflictError(f"{path}: the store changed while the event was being edited")
        store, wrong = problems_of(found, table, path)
        if store is None:
            raise InputError(wrong[0])
        b_start = bom + len(found.text[: found.start].encode("utf-8"))
        b_end = b_start + len(found.table.encode("utf-8"))
        splice = Splice(b_start, b_end, table.encode("utf-8"))
        new = commit(target, old, splice, what, ids=(found.event_id,))
        after_write(path, store, new)
    return store
