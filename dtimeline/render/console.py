"""Build rich consoles once, at the CLI, and pass them down."""

from __future__ import annotations

from collections.abc import Mapping
from typing import IO, Any

from rich.console import Console

#: The values of the global ``--color`` option.
COLOR_MODES = ("auto", "always", "never")


def make_console(
    stream: IO[str],
    *,
    width: int | None = None,
    environ: Mapping[str, str] | None = None,
    color: str = "auto",
    like: Console | None = None,
) -> Console:
    """A console that treats every string as data: no markup, no emoji codes, no
    highlighting. ``width`` overrides the terminal's.

    ``color``: ``auto`` styles output on a terminal only, honouring ``NO_COLOR`` (and
    rich's ``FORCE_COLOR`` / ``TTY_COMPATIBLE``); ``always`` styles it anywhere (the
    terminal views are chosen as on a terminal); ``never`` writes no escape codes at all.
    ``like``: a console on the real terminal whose kind, size and colours this one (on
    ``stream``, a buffer for the pager) takes over.
    """
    environ = environ or {}
    extra: dict[str, Any] = {}
    if like is not None:
        extra = {
            "force_terminal": like.is_terminal,
            "color_system": like.color_system,
            "width": width or like.width,
            "height": like.height,
        }
    no_color: bool | None = bool(environ.get("NO_COLOR")) or None
    if color == "always":
        extra["force_terminal"] = True
        extra["color_system"] = extra.get("color_system") or _colors(environ)
        no_color = False
    elif color == "never":
        extra["color_system"] = None
    return Console(
        file=stream,
        width=extra.pop("width", width),
        markup=False,
        emoji=False,
        highlight=False,
        no_color=no_color,
        soft_wrap=False,
        **extra,
    )


def _colors(environ: Mapping[str, str]) -> str:
    """The colours to use when asked to colour whatever the terminal (``--color always``)."""
    if environ.get("COLORTERM", "").lower() in ("truecolor", "24bit"):
        return "truecolor"
    return "256" if "256" in environ.get("TERM", "") else "standard"
