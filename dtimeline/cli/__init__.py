"""The command line: a typer app with thin commands grouped by module, and one error
boundary (:func:`dtimeline.cli.app.main`)."""

from dtimeline.cli.app import app, main

__all__ = ["app", "main"]
