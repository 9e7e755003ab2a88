"""``dtimeline export``: the timeline in formats other tools read (calendars, diagrams,
web timelines, the JSON interchange schema, one self-contained web page).

Each format is a module with a pure ``render(Export) -> str``; :func:`render` dispatches
by name. Formats are imported only when used."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module

from dtimeline.render.export.common import Export

#: format name -> (module, function), in the order shown in help texts.
FORMATS: dict[str, tuple[str, str]] = {
    "ics": ("ics", "render"),
    "mermaid": ("mermaid", "render"),
    "timelinejs": ("timelinejs", "render"),
    "markwhen": ("markwhen", "render"),
    "json": ("records", "render_json"),
    "jsonl": ("records", "render_jsonl"),
    "html": ("html", "render"),
}

#: the usual file name suffix of each format (for messages and docs).
SUFFIXES = {
    "ics": ".ics",
    "mermaid": ".mmd",
    "timelinejs": ".json",
    "markwhen": ".mw",
    "json": ".json",
    "jsonl": ".jsonl",
    "html": ".html",
}


def renderer(fmt: str) -> Callable[[Export], str]:
    module_name, function = FORMATS[fmt]
    module = import_module(f"{__name__}.{module_name}")
    found: Callable[[Export], str] = getattr(module, function)
    return found


def render(fmt: str, data: Export) -> str:
    """The whole export as text (ICS lines end in CRLF, as RFC 5545 wants)."""
    return renderer(fmt)(data)


__all__ = ["FORMATS", "SUFFIXES", "Export", "render", "renderer"]
