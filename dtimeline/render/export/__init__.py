"""``dtimeline export``: the timeline in formats other tools read (calendars, diagrams,
web timelines, the JSON interchange schema, one self-contained web page).

Each format is a module with a pure ``render(Export) -> Iterator[str]``: the export piece
by piece, so a large one is written as it is made and never held whole. :func:`chunks`
dispatches by name, :func:`render` joins the pieces. Formats are imported only when used."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from importlib import import_module

from dtimeline.render.export.common import Export

#: format name -> (module, function), in the order shown in help texts.
FORMATS: dict[str, tuple[str, str]] = {
    "ics": ("ics", "render"),
    "mermaid": ("mermaid", "render"),
    "mermaid-td": ("mermaid", "render_vertical"),
    "timelinejs": ("timelinejs", "render"),
    "markwhen": ("markwhen", "render"),
    "json": ("records", "render_json"),
    "jsonl": ("records", "render_jsonl"),
    "html": ("html", "render"),
    "toml": ("toml", "render"),
}

#: the usual file name suffix of each format (for messages and docs).
SUFFIXES = {
    "ics": ".ics",
    "mermaid": ".mmd",
    "mermaid-td": ".mmd",
    "timelinejs": ".json",
    "markwhen": ".mw",
    "json": ".json",
    "jsonl": ".jsonl",
    "html": ".html",
    "toml": ".toml",
}


def renderer(fmt: str) -> Callable[[Export], Iterator[str]]:
    module_name, function = FORMATS[fmt]
    module = import_module(f"{__name__}.{module_name}")
    found: Callable[[Export], Iterator[str]] = getattr(module, function)
    return found


def chunks(fmt: str, data: Export) -> Iterator[str]:
    """The export piece by piece (ICS lines end in CRLF, as RFC 5545 wants)."""
    return renderer(fmt)(data)


def render(fmt: str, data: Export) -> str:
    """The whole export as one text."""
    return "".join(chunks(fmt, data))


__all__ = ["FORMATS", "SUFFIXES", "Export", "chunks", "render", "renderer"]
