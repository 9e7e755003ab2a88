"""The history of writes: history (list them) and redo (apply again what undo took back)."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer

from dtimeline.cli.state import get_state


class HistoryFormat(str, Enum):
    auto = "auto"
    table = "table"
    plain = "plain"
    json = "json"


def history(
    ctx: typer.Context,
    fmt: Annotated[
        HistoryFormat,
        typer.Option(
            "--format",
            "-f",
            case_sensitive=False,
            help="auto: a table on a terminal, tab-separated text in a pipe (when, command, "
            "ids, state); json: a list of objects with the same fields.",
        ),
    ] = HistoryFormat.auto,
) -> None:
    """List the recent writes to the store, newest first: when, which command, which ids.

    These are the writes 'undo' can take back (the last 20), after any that 'undo' took
    back and 'redo' can apply again (marked undone). Times are UTC.
    """
    import json

    from dtimeline.render.history import render_history
    from dtimeline.store import history as kept
    from dtimeline.store.write import target_of

    state = get_state(ctx)
    path = state.location.path
    found = kept.entries(target_of(path))
    if fmt is HistoryFormat.json:
        records = [
            {"when": e.when, "command": e.command, "what": e.what, "ids": list(e.ids),
             "undone": undone}
            for e, undone in found
        ]  # fmt: skip
        typer.echo(json.dumps(records, ensure_ascii=False, indent=2))
        return
    if not found:
        state.warn(f"{path}: no writes recorded")
        return
    console = state.console()
    name = fmt.value
    if name == "auto":
        name = "table" if console.is_terminal else "plain"
    render_history(found, console, styled=name == "table")


def redo(ctx: typer.Context) -> None:
    """Apply again the write 'undo' last took back; repeat for the ones before it.

    Possible until the next write (add, import, edit, remove), which ends the redo history,
    and refused when the store was changed by hand since the undo.
    """
    from dtimeline.cli.target import write_target
    from dtimeline.cli.write import timeout_of
    from dtimeline.store.write import redo_last

    state = get_state(ctx)
    with write_target(state) as path:
        entry = redo_last(path, timeout_of(state))
    state.warn(f"redid {entry.what}")


#: The commands of this module, by name (cli/application.py registers them).
COMMANDS = {"history": history, "redo": redo}
EXAMPLES = {
    "history": ("dtimeline history", "dtimeline history --format json | jq '.[0].ids'"),
    "redo": ("dtimeline undo && dtimeline redo", "dtimeline history && dtimeline redo"),
}
