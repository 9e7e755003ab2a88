"""The console-script entry point, kept tiny so that Ctrl-C at any moment (even while the
CLI is still being imported or built) ends with exit 130 and one line, not a traceback."""

from __future__ import annotations

import sys


def main() -> None:
    try:
        from dtimeline.cli.application import main as run

        run()
    except KeyboardInterrupt:
        interrupted()
    except RuntimeError as exc:
        # Ctrl-C inside a class body's __set_name__ arrives wrapped in a RuntimeError.
        if isinstance(exc.__cause__, KeyboardInterrupt):
            interrupted()
        raise


def interrupted() -> None:
    sys.stderr.write("dtimeline: interrupted\n")
    raise SystemExit(130)
