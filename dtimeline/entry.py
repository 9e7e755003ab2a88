"""The console-script entry point, kept tiny so that Ctrl-C even while the CLI is still
being imported ends with exit 130 and one line, not a traceback."""

from __future__ import annotations

import sys


def main() -> None:
    try:
        from dtimeline.cli.app import app
    except KeyboardInterrupt:
        sys.stderr.write("dtimeline: interrupted\n")
        raise SystemExit(130) from None
    app()
