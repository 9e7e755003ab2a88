"""The SVG picture of a recorded rich console, self-contained and with true text widths.

rich's own export has two faults this fixes (public API only: ``export_svg``'s
``code_format`` and the template rich documents as ``rich.console.CONSOLE_SVG_FORMAT``):

- its template loads the Fira Code font from a CDN when the picture is opened; ours has no
  ``@font-face`` rule, so the picture loads nothing (the font is the viewer's Fira Code if
  installed, else its monospace);
- each text run gets ``textLength`` = characters x cell width, so a run of wide characters
  (CJK: two cells each) is squashed to half its width (rich issue #2742); here
  ``textLength`` is the run's cells x cell width, the room the terminal grid gives it.
"""

from __future__ import annotations

import re
from html import unescape
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console

_FONT_FACE = re.compile(r"@font-face\s*\{\{.*?\}\}\s*", re.DOTALL)
_MARK = "<!-- dtimeline: cell width {char_width} -->"
_MARK_FOUND = re.compile(r"<!-- dtimeline: cell width ([0-9.]+) -->")
_RUN = re.compile(r'(<text\b[^>]*?\btextLength=")([0-9.]+)("[^>]*>)([^<]*)(</text>)')


def export_svg(console: Console, title: str) -> str:
    """The picture of what ``console`` (made with ``record=True``) has printed."""
    from rich.cells import cell_len
    from rich.console import CONSOLE_SVG_FORMAT  # type: ignore[attr-defined]  # documented

    template = _FONT_FACE.sub("", CONSOLE_SVG_FORMAT)
    template = template.replace("<style>", _MARK + "\n    <style>", 1)
    svg = console.export_svg(title=title, code_format=template)
    found = _MARK_FOUND.search(svg)
    if found is None:  # pragma: no cover - the template lost its <style>: widths as rich gave
        return svg
    cell = float(found.group(1))

    def true_width(run: re.Match[str]) -> str:
        width = cell * cell_len(unescape(run.group(4)))
        return f"{run.group(1)}{width:g}{run.group(3)}{run.group(4)}{run.group(5)}"

    return _RUN.sub(true_width, svg)
