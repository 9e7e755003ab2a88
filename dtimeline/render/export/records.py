"""``json`` and ``jsonl``: the interchange schema of ``query`` and ``import``
(:func:`dtimeline.serialize.event_to_dict`), so an export can be imported again."""

from __future__ import annotations

from dtimeline.render.export.common import Export
from dtimeline.serialize import event_json, json_array_lines


def render_json(data: Export) -> str:
    """One JSON array, UTF-8 as is (no \\u escapes), one object a line."""
    return "".join(json_array_lines(event_json(ev) for ev in data.events))


def render_jsonl(data: Export) -> str:
    """One compact JSON object per line (JSON Lines)."""
    return "".join(event_json(ev) + "\n" for ev in data.events)
