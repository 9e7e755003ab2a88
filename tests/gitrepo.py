"""A temporary git repository driven through the real ``git`` program (for the team tests).

Git reads no system or user configuration here (``GIT_CONFIG_NOSYSTEM``, ``HOME`` set to the
test's own folder), so the tests see the same git on every machine."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ENTRY

GIT = shutil.which("git")


def git_env(home: Path) -> dict[str, str]:
    """The environment for git and dtimeline in a test: no system or user git config, and
    the installed ``dtimeline`` first on PATH (git runs the merge driver through the shell)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update({
        "GIT_CONFIG_NOSYSTEM": "1",
        "HOME": str(home),
        "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org",
        "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.org",
        "PATH": f"{ENTRY.parent}{os.pathsep}{os.environ.get('PATH', '')}",
    })  # fmt: skip
    return env


class Repo:
    """A work tree at ``root`` holding ``events.toml`` (a copy of ``store``), committed on main."""

    def __init__(self, root: Path, home: Path) -> None:
        if GIT is None:
            pytest.skip("git is not installed: the git tests need the real git program")
        self.root = root
        self.env = git_env(home)
        self.store = root / "events.toml"
        root.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        proc = subprocess.run(
            [str(GIT), *args],
            cwd=self.root,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if check and proc.returncode != 0:
            raise AssertionError(f"git {' '.join(args)}: {proc.returncode}\n{proc.stderr}")
        return proc

    def dt(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        """The installed dtimeline, run in the work tree (its store found as ./events.toml)."""
        return subprocess.run(
            [str(ENTRY), *args],
            cwd=self.root,
            env=self.env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    def ok(self, *args: str) -> str:
        proc = self.dt(*args)
        assert proc.returncode == 0, (args, proc.stdout, proc.stderr)
        return proc.stdout

    def commit_all(self, message: str) -> None:
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message)

    def status(self) -> list[str]:
        out = self.git("status", "--porcelain", "--untracked-files=all").stdout
        return out.splitlines()
