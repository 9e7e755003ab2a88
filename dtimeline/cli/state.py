"""What every command shares: global options, today's date, the store, the consoles.

Built once per invocation by the app callback and passed down through ``ctx.obj``;
nothing below the CLI detects the terminal or reads the clock on its own.
"""

from __future__ import annotations

import os
import sys
from datetime import date
from functools import cached_property
from typing import IO, TYPE_CHECKING, Any

import typer

from dtimeline.cli import fastparams
from dtimeline.errors import DateError

if TYPE_CHECKING:
    from rich.console import Console

    from dtimeline.cli.pager import Held
    from dtimeline.datereader import Reading
    from dtimeline.model import Store
    from dtimeline.store import Location
    from dtimeline.store.index import Index

fastparams.install()  # plain option values without importing pydantic (see its docstring)

TODAY_VAR = "DTIMELINE_TODAY"  # pin "today" (ISO date) for reproducible output and tests


class State:
    """The global options of one invocation, and what is derived from them on demand."""

    def __init__(
        self,
        store_option: str | None = None,
        debug: bool = False,
        environ: dict[str, str] | None = None,
        color: str = "auto",
        pager: bool = True,
    ) -> None:
        self.store_option = store_option
        self.debug = debug
        self.environ = dict(os.environ) if environ is None else environ
        self.color = color  # auto | always | never (render/console.py)
        self.pager = pager
        self.held: Held | None = None

    @cached_property
    def today(self) -> date:
        pinned = self.environ.get(TODAY_VAR, "")
        if pinned:
            try:
                return date.fromisoformat(pinned)
            except ValueError:
                raise DateError(
                    f"${TODAY_VAR}={pinned!r} is not an ISO date (YYYY-MM-DD)"
                ) from None
        return date.today()

    @cached_property
    def location(self) -> Location:
        from dtimeline.store import locate

        return locate(self.store_option, self.environ)

    @cached_property
    def store(self) -> Store:
        """The whole store, every event built (commands that need less ask :attr:`index`)."""
        from dtimeline.store import load_store

        return load_store(self.location.path)

    @cached_property
    def index(self) -> Index:
        """The store's index: its head, and SQL over its events (store/select.py)."""
        from dtimeline.store import open_index

        return open_index(self.location.path)

    @cached_property
    def head(self) -> Store:
        """The store's schema, countries, actors and kinds, without events."""
        return self.index.head

    @cached_property
    def tags(self) -> set[str]:
        """Every tag of the store."""
        from dtimeline.store.select import tags

        return tags(self.index)

    def console(self, *, width: int | None = None, stderr: bool = False) -> Console:
        """A rich console on stdout (or stderr) that never interprets data as markup.

        On a real terminal (and unless ``--no-pager``), the stdout console writes to a
        buffer that :meth:`finish` shows, through the pager if it is taller than the
        screen (cli/pager.py)."""
        from dtimeline.render.console import make_console

        stream = sys.stderr if stderr else sys.stdout
        real = make_console(stream, width=width, environ=self.environ, color=self.color)
        if stderr or not self.pager or not _is_tty(stream):
            return real
        from dtimeline.cli.pager import Held

        if self.held is None:
            self.held = Held(real.height, self.environ, stream)
        return make_console(
            self.held.buffer, width=width, environ=self.environ, color=self.color, like=real
        )

    def pipe(self) -> IO[str] | None:
        """stdout when it is surely no terminal, to rich either (a pipe or a file, and
        colour not forced by ``--color always``, ``FORCE_COLOR`` or ``TTY_COMPATIBLE``);
        else None. Output that is only text is then written to it without a rich Console
        (importing rich is a good part of what a small query costs: bench/README.md)."""
        forced = "FORCE_COLOR" in os.environ or "TTY_COMPATIBLE" in os.environ
        if self.color == "always" or forced or _is_tty(sys.stdout):
            return None
        return sys.stdout

    def finish(self) -> None:
        """Show what the command's console held (see :meth:`console`); called once the
        command has run, whether or not it failed."""
        if self.held is not None:
            self.held.finish()

    def read_date(self, text: str) -> Reading:
        """A DATE the user typed, read with today from here (and ``$DTIMELINE_DATE_ORDER``,
        looked up only when a day and month could be swapped)."""
        from dtimeline.datereader import read_date

        return read_date(text, self.today)

    def warn(self, message: str) -> None:
        """A message for the user on stderr (never stdout)."""
        from dtimeline.cli.boundary import one_line

        sys.stderr.write(f"dtimeline: {one_line(message)}\n")


def _is_tty(stream: object) -> bool:
    """A real terminal (the pager's condition; cli/pager.py is imported only then)."""
    try:
        return os.isatty(stream.fileno())  # type: ignore[attr-defined]
    except (AttributeError, OSError, ValueError):
        return False


def get_state(ctx: typer.Context) -> State:
    obj: Any = ctx.find_root().obj
    if isinstance(obj, State):
        return obj
    fresh = State()
    ctx.find_root().obj = fresh
    return fresh
