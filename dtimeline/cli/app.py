"""The typer application: global options, command registration, and the entry point."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from dtimeline import __version__
from dtimeline.cli import exporting, meta, read, write
from dtimeline.cli.boundary import GuardedGroup
from dtimeline.cli.state import State

app = typer.Typer(
    cls=GuardedGroup,
    name="dtimeline",
    help="A sourced, precision-aware timeline of relations between countries.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"dtimeline {__version__}")
        raise typer.Exit(0)


@app.callback()
def root(
    ctx: typer.Context,
    store: Annotated[
        Optional[str],  # noqa: UP045 (typer needs a runtime type on 3.10+)
        typer.Option(
            "--store",
            metavar="PATH",
            help="Store file to use (else $DTIMELINE_STORE, ./events.toml, the user's data "
            "folder, then the bundled timeline).",
            show_default=False,
        ),
    ] = None,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show tracebacks instead of one-line errors.")
    ] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """A sourced, precision-aware timeline of relations between countries.

    Exit codes: 0 ok, 1 problems found (check), 2 bad input, 3 not found, 4 store unreadable,
    5 conflict, 6 cannot write, 70 internal error, 130 interrupted.
    """
    del version
    ctx.obj = State(store_option=store, debug=debug)


for _module in (read, write, exporting, meta):
    _module.register(app)


def main() -> None:
    """Console-script entry point."""
    app()
