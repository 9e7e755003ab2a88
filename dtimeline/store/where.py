"""Where an event lives in its store file: the line of its ``[[events]]`` header."""

from __future__ import annotations

import re
from pathlib import Path

from dtimeline.model import Store

#: An ``[[events]]`` header as store/lines.py reads one (its closing brackets, spaces and a
#: comment after it); that it starts its line is checked apart.
_EVENTS = re.compile(rb"\[\[[ \t]*events[ \t]*\]\]?[ \t]*(?:#[^\r\n]*)?\r?(?:\n|\Z)")
CHUNK = 4 << 20  # bytes read at a time


def _count(data: bytes) -> int:
    """How many headers ``data`` (whole lines) holds. Counted in C when every candidate
    the pattern finds is a plain ``[[events]]`` line (the layout dtimeline writes), else
    header by header."""
    found = len(_EVENTS.findall(data))
    text = b"\n" + data
    if found == text.count(b"\n[[events]]\n") + text.count(b"\n[[events]]\r\n"):
        return found
    return sum(1 for m in _EVENTS.finditer(data) if _at_line_start(data, m.start()))


def _at_line_start(data: bytes, start: int) -> bool:
    return not data[data.rfind(b"\n", 0, start) + 1 : start].strip(b" \t")


def event_line(path: Path, store: Store, event_id: str) -> int | None:
    """1-based line of the ``[[events]]`` table of ``event_id`` in the file at ``path``
    (``store``: that file's content, events in file order); None when the file cannot be
    read or the table is not found (an inline array, say)."""
    index = next((i for i, ev in enumerate(store.events) if ev.id == event_id), None)
    return None if index is None else event_line_at(path, index)


def event_line_at(path: Path, position: int) -> int | None:
    """1-based line of the ``position``-th (0-based) ``[[events]]`` header of the file at
    ``path``, read :data:`CHUNK` bytes at a time (the file is never held whole; the headers
    are those store/lines.py finds in the whole text). None when the file cannot be read
    or has fewer headers."""
    seen = 0
    lines = 1  # the line the current chunk starts on
    try:
        with path.open("rb") as fh:
            rest = b""
            while True:
                block = fh.read(CHUNK)
                data = rest + block
                if block:  # keep the last, maybe partial, line for the next read
                    cut = data.rfind(b"\n") + 1
                    data, rest = data[:cut], data[cut:]
                if lines == 1 and data.startswith(b"\xef\xbb\xbf"):
                    data = b"   " + data[3:]  # a byte-order mark (store/load.py: decode)
                count = _count(data)
                if seen + count <= position:  # most pieces: only counted
                    seen += count
                    lines += data.count(b"\n")
                    if not block:
                        return None
                    continue
                for found in _EVENTS.finditer(data):
                    if not _at_line_start(data, found.start()):
                        continue
                    if seen == position:
                        return lines + data.count(b"\n", 0, found.start())
                    seen += 1
                lines += data.count(b"\n")
                if not block:
                    return None
    except OSError:
        return None
