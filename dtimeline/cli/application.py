"""The typer application: global options, command registration, and the entry point.

typer builds every registered command's options (inspecting signatures, evaluating type
hints) before it runs any of them, about a third of a short command's time. So the entry
point registers only the command being run; ``--help``, a bare call or an unknown command
get the full application. ``app`` (the full one) is what tests drive.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from enum import Enum
from importlib import import_module
from typing import Annotated, Any, Optional

import typer

from dtimeline import __version__
from dtimeline.cli.boundary import GuardedGroup
from dtimeline.cli.helptext import PlainCommand, examples
from dtimeline.cli.state import State

#: Which module of dtimeline.cli defines each command (in the order of --help). Each module
#: has ``COMMANDS`` (name -> function) and ``EXAMPLES`` (name -> two to four real command
#: lines, shown under "Examples" in the command's --help; tests/test_help.py requires them).
MODULE_OF = {
    "show": "read", "query": "read", "stats": "read", "brief": "brief",
    "add": "write", "import": "write", "edit": "write", "remove": "write", "undo": "write",
    "redo": "history", "history": "history",
    "export": "exporting",
    "check": "meta", "init": "declare", "countries": "declare", "actors": "declare",
    "tags": "declare", "kinds": "declare",
    "diff": "team", "git-setup": "team", "merge-driver": "team",
}  # fmt: skip


class ColorMode(str, Enum):
    auto = "auto"
    always = "always"
    never = "never"


#: Global options that take a value (the command word is never one of their values).
VALUED = frozenset({"--store", "--color", "--colour"})


def _version(value: bool) -> None:
    if value:
        typer.echo(f"dtimeline {__version__}")
        raise typer.Exit(0)


def root(  # noqa: PLR0917 (typer passes options by position)
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
    color: Annotated[
        ColorMode,
        typer.Option(
            "--color",
            "--colour",
            metavar="WHEN",
            case_sensitive=False,
            help="Colour the output: auto (on a terminal, unless $NO_COLOR), always "
            "(also in a pipe, e.g. for 'less -R') or never.",
        ),
    ] = ColorMode.auto,
    no_pager: Annotated[
        bool,
        typer.Option(
            "--no-pager",
            help="Never page output (else output taller than the terminal goes through "
            "$DTIMELINE_PAGER, $PAGER or 'less -FRX').",
        ),
    ] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """A sourced, precision-aware timeline of relations between countries.

    Exit codes: 0 ok, 1 problems found (check; diff: stores differ; merge-driver: conflict),
    2 bad input, 3 not found, 4 store unreadable, 5 conflict, 6 cannot write, 70 internal
    error, 130 interrupted.
    """
    del version
    ctx.obj = State(store_option=store, debug=debug, color=color.value, pager=not no_pager)


def make_app(command: str | None = None, *, bare: bool = False) -> typer.Typer:
    """The application with every command, or only ``command`` (if it is one), or with
    none (``bare``: for ``--version``, which runs before any command)."""
    app = typer.Typer(
        cls=GuardedGroup,
        name="dtimeline",
        help="A sourced, precision-aware timeline of relations between countries.",
        no_args_is_help=True,
        add_completion=True,
        pretty_exceptions_enable=False,
        rich_markup_mode="markdown",
        epilog=examples(
            "dtimeline show kazakhstan",
            "dtimeline query --upcoming",
            "dtimeline --store mine.toml add 2025-06-17 'Talks in Astana' -c china -c kz",
        ),
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    app.callback()(root)
    for name in () if bare else [command] if command in MODULE_OF else MODULE_OF:
        module = import_module(f"dtimeline.cli.{MODULE_OF[name]}")
        found: Any = module.COMMANDS[name]
        if isinstance(found, typer.Typer):  # a group: countries add|edit, actors add|edit
            app.add_typer(found, name=name)
            continue
        lines = getattr(module, "EXAMPLES", {}).get(name, ())
        epilog = examples(*lines) if lines else None
        app.command(name, cls=PlainCommand, epilog=epilog)(found)
    return app


def command_of(argv: Sequence[str]) -> str | None:
    """The command word of a command line (the first word that is not a global option)."""
    words = iter(argv)
    for word in words:
        if word in VALUED:
            next(words, None)
        elif not word.startswith("-"):
            return word
    return None


COMPLETE_VAR = "_DTIMELINE_COMPLETE"  # set by the completion scripts typer writes


def completion_words(environ: Mapping[str, str]) -> list[str]:
    """The finished words of the command line a shell asks to complete (without the
    program's name, nor the word being typed): from COMP_WORDS (bash) or
    _TYPER_COMPLETE_ARGS (zsh, fish), as typer's completion scripts pass them."""
    import shlex

    line = environ.get("COMP_WORDS") or environ.get("_TYPER_COMPLETE_ARGS", "")
    try:
        words = shlex.split(line)
    except ValueError:  # an open quote: the word being typed
        words = line.split()
    if line and not line[-1].isspace():
        words = words[:-1]
    return words[1:]


def main() -> None:
    """Console-script entry point."""
    argv = sys.argv[1:]
    if os.environ.get(COMPLETE_VAR):
        argv = completion_words(os.environ)
    command = command_of(argv)
    bare = command is None and "--version" in argv and not {"--help", "-h"} & set(argv)
    make_app(command, bare=bare)()


def __getattr__(name: str) -> typer.Typer:
    if name == "app":  # built on first use: the entry point never needs all of it
        full = make_app()
        globals()["app"] = full
        return full
    raise AttributeError(name)
