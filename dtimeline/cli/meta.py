"""Store-level commands: check."""

from __future__ import annotations

from typing import Annotated

import typer

from dtimeline.cli.state import get_state


def check(
    ctx: typer.Context,
    strict: Annotated[
        bool, typer.Option("--strict", help="Also report events that cite no source.")
    ] = False,
) -> None:
    """Validate the store; print every problem as FILE:LINE: message.

    Exit 0 when clean, 1 when problems were found, 4 when the file cannot be read at all.
    """
    from dtimeline.cli.boundary import one_line
    from dtimeline.store import check_store

    state = get_state(ctx)
    path = state.location.path
    problems = [p for p in check_store(path) if strict or not p.strict]
    for problem in problems:
        typer.echo(one_line(str(problem)))
    if problems:
        state.warn(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in {path}")
        raise typer.Exit(1)
    events = len(state.store.events)
    state.warn(f"{path}: ok, {events} event{'s' if events != 1 else ''}")


#: The commands of this module, by name (cli/application.py registers them).
COMMANDS = {"check": check}
EXAMPLES = {
    "check": ("dtimeline check", "dtimeline --store mine.toml check --strict"),
}
