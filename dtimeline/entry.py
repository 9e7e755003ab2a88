"""The console-script entry point, kept tiny so that Ctrl-C at any moment (even while the
CLI is still being imported or built) ends with exit 130 and one line, not a traceback.

Garbage collection: a command is a short process that makes little cyclic garbage, while
its imports (typer, rich) leave some 20,000 objects that every full collection scans
again, and Python's own shutdown runs such collections (about 13 ms of ``show
kazakhstan``'s run; bench/README.md). So the objects alive once the CLI is imported, and
again once the command has run, are moved out of the collector's sight with
:func:`gc.freeze`; reference counting still frees them, and the collector still finds
cycles among objects made later.
"""

from __future__ import annotations

import gc
import sys


def main() -> None:
    try:
        from dtimeline.cli.application import main as run

        gc.freeze()
        try:
            run()
        finally:
            gc.freeze()  # shutdown's collections then skip what the command left alive
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
