"""``edit ID`` without field options: the event's TOML table in ``$VISUAL``/``$EDITOR``.

As ``git commit`` does: the table goes into a temporary file, the editor runs on it (through
the shell, so ``EDITOR="code --wait"`` works), and what it leaves there is read back.
Unchanged: nothing is written. Changed: it is checked by the rules of ``check`` and, if
valid, written in place of the old table (the rest of the file kept byte for byte, undoable);
if not, the problem is said and nothing is written (exit 2), after an offer to edit again
when stdin is a terminal.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from dtimeline.cli.state import State
from dtimeline.errors import InputError

#: The first lines of the temporary file, removed again before the text is checked.
HEADER = (
    "# dtimeline: edit this event, save and quit; quit without saving to change nothing.\n"
    "# dtimeline: these two lines are removed; the id must stay the same.\n"
)


def editor_command(environ: dict[str, str]) -> str:
    """``$VISUAL``, else ``$EDITOR``, else ``vi`` (as git and crontab choose)."""
    for var in ("VISUAL", "EDITOR"):
        if environ.get(var, "").strip():
            return environ[var].strip()
    return "vi"


def run_editor(command: str, text: str, name: str, environ: dict[str, str]) -> str:
    """``text`` after ``command`` has edited it in a temporary file named after ``name``."""
    import subprocess

    fd, tmp = tempfile.mkstemp(prefix=f"dtimeline-{name[:40]}-", suffix=".toml")
    path = Path(tmp)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        try:
            argv: str | list[str] = ["/bin/sh", "-c", f'{command} "$@"', command, str(path)]
            if os.name == "nt":  # pragma: no cover (no POSIX shell)
                argv = f'{command} "{path}"'
            done = subprocess.run(argv, check=False, env=environ, shell=os.name == "nt")
        except OSError as exc:
            raise InputError(f"cannot run the editor {command!r}: {exc.strerror or exc}") from None
        if done.returncode != 0:
            raise InputError(
                f"the editor {command!r} exited with status {done.returncode}; nothing written"
            )
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"cannot read back the edited event: {exc}") from None
    finally:
        path.unlink(missing_ok=True)


def _strip_header(text: str) -> str:
    lines = text.splitlines(keepends=True)
    while lines and lines[0].startswith("# dtimeline:"):
        lines.pop(0)
    return "".join(lines)


def _again(problem: str) -> bool:
    """Ask (stdin and stderr being a terminal) whether to edit again."""
    sys.stderr.write(f"dtimeline: {problem}\nEdit again? [Y/n] ")
    sys.stderr.flush()
    answer = sys.stdin.readline()
    return answer.strip().lower() in ("", "y", "yes")


def edit_in_editor(state: State, event_id: str, path: Path, timeout: float, dry_run: bool) -> None:
    """The whole ``edit ID`` editor flow (see the module docstring)."""
    from dtimeline.cli.boundary import one_line
    from dtimeline.store.eventtext import event_text, problems_of, replace_table

    found = event_text(path, event_id)
    command = editor_command(state.environ)
    text = HEADER + found.table
    ask = sys.stdin.isatty()
    # the temporary file is read back with universal newlines: a CRLF store's table gets its
    # CRLF line ends back (else an unchanged table would differ, and be written half LF)
    newline = "\r\n" if "\r\n" in found.table else "\n"
    while True:
        edited = _strip_header(run_editor(command, text, event_id, state.environ))
        if newline != "\n":
            edited = edited.replace("\r\n", "\n").replace("\n", newline)
        if found.table.endswith("\n") and not edited.endswith("\n"):
            edited += newline
        if edited == found.table:
            state.warn(f"no change to {event_id}; nothing written")
            return
        _, wrong = problems_of(found, edited, path)
        if not wrong:
            break
        problem = f"{event_id}: {one_line(wrong[0])}; nothing written"
        if not (ask and _again(problem)):
            raise InputError(problem)
        text = HEADER + edited
    if dry_run:
        sys.stdout.write(edited)
        return
    replace_table(path, found, edited, f"edit {event_id}", timeout)
    state.warn(f"edited {event_id}")
