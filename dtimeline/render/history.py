"""The `history` listing: one write a line, newest first."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console
from rich.text import Text

from dtimeline.render.formats import clean_cell

if TYPE_CHECKING:
    from dtimeline.store.history import Entry

#: The ids of one write shown on a line before "and N more".
SHOWN_IDS = 3


def _ids(entry: Entry, all_ids: bool) -> str:
    ids = [clean_cell(i) for i in entry.ids]
    if all_ids or len(ids) <= SHOWN_IDS:
        return ",".join(ids) if all_ids else ", ".join(ids)
    return ", ".join(ids[:SHOWN_IDS]) + f" and {len(ids) - SHOWN_IDS} more"


def render_history(found: list[tuple[Entry, bool]], console: Console, *, styled: bool) -> None:
    """``found`` (entry, undone) as a table (``styled``) or as tab-separated lines: when,
    command, ids (comma-separated, all of them), state (``done`` or ``undone``)."""
    if not styled:
        for entry, undone in found:
            cells = [entry.when, entry.command, _ids(entry, True), "undone" if undone else "done"]
            console.file.write("\t".join(clean_cell(c) for c in cells) + "\n")
        console.file.flush()
        return
    for entry, undone in found:
        line = Text()
        line.append(entry.when.replace("T", " ").replace("Z", " UTC") or "(time unknown)", "dim")
        line.append("  ")
        line.append(clean_cell(entry.what), "bold strike" if undone else "bold")
        if undone:
            line.append("  (undone: redo applies it again)", "yellow")
        console.print(line, overflow="fold")
        if entry.ids:
            console.print(Text("  " + _ids(entry, False)), overflow="fold")
