"""The console-script entry point, kept tiny so that Ctrl-C at any moment (even while the
CLI is still being imported or built) ends with exit 130 and one line, not a traceback.

Garbage collection: a command is a short process that makes little cyclic garbage, while
its imports (typer, rich) leave some 20,000 objects that every collection of the oldest
generation scans again, and Python's own shutdown runs such collections (about 13 ms of
``show kazakhstan``; bench/README.md). So the collector is off while the CLI is imported
(imports make next to no garbage; about 5 ms of collections saved), and the objects alive
then, and again once the command has run, are moved out of its sight with
:func:`gc.freeze`; reference counting still frees them, and the collector, on again for
the command, still finds cycles among objects made later.
"""

from __future__ import annotations

import gc
import sys


def main() -> None:
    try:
        gc.disable()
        try:
            from dtimeline.cli.application import main as run
        finally:
            gc.freeze()
            gc.enable()
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
