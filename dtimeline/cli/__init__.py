"""The command line: a typer app with thin commands grouped by module, and one error
boundary (:mod:`dtimeline.cli.boundary`). ``app`` is the full application."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dtimeline.cli.application import app as app
    from dtimeline.cli.application import main as main


def __getattr__(name: str) -> Any:
    if name in ("app", "main"):
        from dtimeline.cli import application as module

        return getattr(module, name)
    raise AttributeError(name)
