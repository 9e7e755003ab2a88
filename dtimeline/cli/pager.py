"""A pager for long output, as git has one.

When stdout is a terminal (a real one: never a pipe or a file), what a command writes to
its console is held until the command ends. Output that fits the screen is then written
out as it is; taller output goes through the pager: ``$DTIMELINE_PAGER``, else
``$PAGER``, else ``less -FRX`` (``-R`` keeps the colours; ``$LESS`` defaults to ``FRX``
as under git). ``--no-pager``, or a pager of ``cat`` or an empty string, turns it off.
A pager that quits before reading everything (``q`` in less) is not an error; its own
exit status is not dtimeline's.
"""

from __future__ import annotations

import contextlib
import io
import os
import signal
import subprocess
import sys
from collections.abc import Mapping
from typing import IO

PAGER_VAR = "DTIMELINE_PAGER"
DEFAULT_PAGER = "less -FRX"


def pager_command(environ: Mapping[str, str]) -> str:
    """The pager to run ('' for none), by ``$DTIMELINE_PAGER``, ``$PAGER``, then less."""
    for var in (PAGER_VAR, "PAGER"):
        if var in environ:
            command = environ[var].strip()
            return "" if command == "cat" else command
    return DEFAULT_PAGER


def stdout_is_terminal(stream: IO[str] | None = None) -> bool:
    """True when ``stream`` (stdout) is a real terminal."""
    stream = sys.stdout if stream is None else stream
    try:
        return os.isatty(stream.fileno())
    except (AttributeError, OSError, ValueError):
        return False


class Held:
    """What a command writes for the terminal, held until :meth:`finish`."""

    def __init__(self, height: int, environ: Mapping[str, str], out: IO[str]) -> None:
        self.buffer = io.StringIO()
        self.height = max(height, 1)
        self.environ = environ
        self.out = out
        self.done = False

    def finish(self) -> None:
        """Write what was held: straight out if it fits the screen, else through the pager."""
        if self.done:
            return
        self.done = True
        text = self.buffer.getvalue()
        command = pager_command(self.environ)
        if text.count("\n") < self.height or not command:
            self.out.write(text)
            self.out.flush()
            return
        page(text, command, self.environ, self.out)


def page(text: str, command: str, environ: Mapping[str, str], out: IO[str]) -> None:
    """Run ``command`` (through the shell, as git does) with ``text`` on its stdin."""
    env = dict(environ)
    env.setdefault("LESS", "FRX")
    env.setdefault("LV", "-c")
    out.flush()
    try:
        proc = subprocess.Popen(  # noqa: S602 (a pager command line, as $PAGER is meant)
            command, shell=True, stdin=subprocess.PIPE, stdout=out, env=env
        )
    except OSError:
        out.write(text)  # no pager to be had: the text still reaches the terminal
        out.flush()
        return
    # The pager owns the terminal now: Ctrl-C is for it (less uses it), not for us.
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        assert proc.stdin is not None
        with contextlib.suppress(BrokenPipeError, OSError):
            proc.stdin.write(text.encode(getattr(out, "encoding", None) or "utf-8", "replace"))
        with contextlib.suppress(BrokenPipeError, OSError):
            proc.stdin.close()
        proc.wait()
    finally:
        signal.signal(signal.SIGINT, previous)
