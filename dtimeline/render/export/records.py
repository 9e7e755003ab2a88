"""``json`` and ``jsonl``: the interchange schema of ``query`` and ``import``
(:func:`dtimeline.serialize.event_to_dict`), so an export can be imported again."""

from __future__ import annotations

import json

from dtimeline.render.export.common import Export
from dtimeline.serialize import event_to_dict, json_array_chunks


def render_json(data: Export) -> str:
    """One JSON array, UTF-8 as is (no \\u escapes), one object a line."""
    return "".join(json_array_chunks(event_to_dict(ev) for ev in data.events))


def render_jsonl(data: Export) -> str:
    """One compact JSON object per line (JSON Lines)."""
    return "".join(json.dumps(event_to_dict(ev), ensure_ascii=False) + "\n" for ev in data.events)
