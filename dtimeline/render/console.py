"""Build rich consoles once, at the CLI, and pass them down."""

from __future__ import annotations

from collections.abc import Mapping
from typing import IO

from rich.console import Console


def make_console(
    stream: IO[str], *, width: int | None = None, environ: Mapping[str, str] | None = None
) -> Console:
    """A console that treats every string as data: no markup, no emoji codes, no
    highlighting. ``NO_COLOR`` is honoured by rich; ``width`` overrides the terminal's."""
    environ = environ or {}
    return Console(
        file=stream,
        width=width,
        markup=False,
        emoji=False,
        highlight=False,
        no_color=bool(environ.get("NO_COLOR")) or None,
        soft_wrap=False,
    )
