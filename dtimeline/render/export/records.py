"""``json`` and ``jsonl``: the interchange schema of ``query`` and ``import``
(:func:`dtimeline.serialize.event_to_dict`), so an export can be imported again."""

from __future__ import annotations

from collections.abc import Iterator

from dtimeline.render.export.common import Export
from dtimeline.serialize import event_json, json_array_lines


def _texts(data: Export) -> Iterator[str]:
    for ev in data.events:  # a generator: nothing is read before the first piece is asked
        yield event_json(ev)


def render_json(data: Export) -> Iterator[str]:
    """One JSON array, UTF-8 as is (no \\u escapes), one object a line."""
    return json_array_lines(_texts(data))


def render_jsonl(data: Export) -> Iterator[str]:
    """One compact JSON object per line (JSON Lines)."""
    return (text + "\n" for text in _texts(data))
