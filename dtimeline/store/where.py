"""Where an event lives in its store file: the line of its ``[[events]]`` header."""

from __future__ import annotations

from pathlib import Path

from dtimeline.model import Store


def event_line(path: Path, store: Store, event_id: str) -> int | None:
    """1-based line of the ``[[events]]`` table of ``event_id`` in the file at ``path``
    (``store``: that file's content, events in file order); None when the file cannot be
    read or the table is not found (an inline array, say)."""
    from dtimeline.errors import StoreError
    from dtimeline.store.lines import LineIndex
    from dtimeline.store.load import decode, read_bytes

    index = next((i for i, ev in enumerate(store.events) if ev.id == event_id), None)
    if index is None:
        return None
    try:
        text = decode(read_bytes(path), path)
    except StoreError:
        return None
    return LineIndex(text).event_line(index)
