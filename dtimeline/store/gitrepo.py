"""The few things dtimeline asks of git, through the ``git`` program (never its files):
where a repository is, a store's bytes at a revision, config values, a line merge.

Every failure is an :class:`InputError` (exit 2) with git's own line of complaint: its first
``fatal:`` or ``error:`` line (a ``warning:`` may come before it), else its first line.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from dtimeline.errors import InputError


def _git() -> str:
    found = shutil.which("git")
    if found is None:
        raise InputError("git is not installed (or not on PATH)")
    return found


def _complaint(stderr: bytes) -> str | None:
    """What git said went wrong: its first ``fatal:`` or ``error:`` line, else its first
    line; None when it said nothing."""
    lines = stderr.decode("utf-8", "replace").strip().splitlines()
    for line in lines:
        if line.startswith(("fatal: ", "error: ")):
            return line
    return lines[0] if lines else None


def run_git(
    args: list[str], cwd: Path, *, check: bool = True
) -> subprocess.CompletedProcess[bytes]:
    """``git ARGS`` in ``cwd``; raises InputError when git fails (``check``) or is missing."""
    try:
        proc = subprocess.run(
            [_git(), *args], cwd=cwd, capture_output=True, check=False, timeout=120
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise InputError(f"cannot run git: {exc}") from None
    if check and proc.returncode != 0:
        said = _complaint(proc.stderr)
        raise InputError(f"git {args[0]}: {said or f'exit {proc.returncode}'}")
    return proc


def toplevel(folder: Path) -> Path | None:
    """The work tree holding ``folder``, or None outside any repository (or without git)."""
    if shutil.which("git") is None or not folder.is_dir():
        return None
    proc = run_git(["rev-parse", "--show-toplevel"], folder, check=False)
    if proc.returncode != 0:
        return None
    return Path(os.fsdecode(proc.stdout.rstrip(b"\n")))


def show(revision: str, store: Path) -> bytes:
    """The bytes of the file at ``store``'s place in the repository at ``revision``
    (``revision`` may also be ``REV:PATH`` itself, PATH relative to the repository's top)."""
    folder = store.parent
    spec = revision if ":" in revision else f"{revision}:./{store.name}"
    if toplevel(folder) is None:
        raise InputError(f"{revision!r} is not a file, and {folder} is not in a git repository")
    proc = run_git(["show", spec], folder, check=False)
    if proc.returncode != 0:
        said = _complaint(proc.stderr)
        detail = said.removeprefix("fatal: ") if said else f"exit {proc.returncode}"
        raise InputError(f"{spec}: neither a file nor a store in git ({detail})")
    return proc.stdout


def config_get(key: str, cwd: Path, *, user: bool) -> str | None:
    """The value of ``key`` in the repository's config (or the user's: ``user``)."""
    where = "--global" if user else "--local"
    proc = run_git(["config", where, "--get", key], cwd, check=False)
    if proc.returncode != 0:
        return None
    return proc.stdout.decode("utf-8", "replace").rstrip("\n")


def config_set(key: str, value: str, cwd: Path, *, user: bool) -> None:
    run_git(["config", "--global" if user else "--local", key, value], cwd)


def line_merge(base: Path, ours: Path, theirs: Path) -> int:
    """git's own line-by-line three-way merge, written to ``ours``: the number of
    conflicts (0 when clean)."""
    proc = run_git(
        [
            "merge-file",
            "-L",
            "ours",
            "-L",
            "base",
            "-L",
            "theirs",
            str(ours),
            str(base),
            str(theirs),
        ],
        ours.parent,
        check=False,
    )
    if proc.returncode > 127:  # git's exit codes above 127 are errors
        raise InputError(f"git merge-file: {_complaint(proc.stderr) or 'failed'}")
    return proc.returncode
