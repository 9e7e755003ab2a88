"""Shared fixtures: an isolated environment for every test, the bundled store, and two ways
to run the CLI: typer's CliRunner (in process) and a real subprocess of the installed
``dtimeline`` entry point."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import Phase, settings
from typer.testing import CliRunner

from dtimeline.cli import app
from dtimeline.store import index, load
from dtimeline.store.locate import bundled_path

# Hypothesis profiles (docs/mutation.md): "default" is what CI runs, with a fresh random seed
# each run; "thorough" (HYPOTHESIS_PROFILE=thorough) tries many more examples locally;
# "mutation" is fixed-seed so that a mutant's verdict does not depend on luck, and does not
# shrink a failing example (a mutant's verdict needs the failure, not the smallest example:
# shrinking took minutes per mutant on the shared machine).
settings.register_profile("default", deadline=None)
settings.register_profile("thorough", deadline=None, max_examples=2000)
settings.register_profile(
    "mutation",
    deadline=None,
    derandomize=True,
    database=None,
    phases=(Phase.explicit, Phase.reuse, Phase.generate),
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
TODAY = "2026-11-27"  # pinned "today" for reproducible relative output
ENTRY = Path(sys.executable).with_name("dtimeline")
#: Events in the bundled timeline, counted from its text (not through the loader under test).
BUNDLED_EVENTS = bundled_path().read_text(encoding="utf-8").splitlines().count("[[events]]")


@pytest.fixture(autouse=True)
def isolated(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test reads or writes the user's real folders, the repo's events.toml or a clock."""
    home = tmp_path_factory.mktemp("home")
    for var in (
        "DTIMELINE_STORE",
        "DTIMELINE_DEBUG",
        "NO_COLOR",
        "FORCE_COLOR",
        "TTY_COMPATIBLE",
        "COLUMNS",
        "LINES",
        "VISUAL",
        "PAGER",
        "DTIMELINE_PAGER",
    ):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("EDITOR", "false")  # an editor flow a test did not ask for fails fast
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    monkeypatch.setenv("DTIMELINE_TODAY", TODAY)
    work = tmp_path_factory.mktemp("cwd")
    monkeypatch.chdir(work)
    return home


@pytest.fixture
def bundled() -> Path:
    return bundled_path()


@pytest.fixture
def store(tmp_path: Path, bundled: Path) -> Path:
    """A writable copy of the bundled timeline."""
    dest = tmp_path / "events.toml"
    shutil.copyfile(bundled, dest)
    return dest


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every real TOML parse of a store, recorded (a read served by the index parses none)."""
    seen: list[Path] = []
    real = load.parse_toml

    def counting(text: str, path: Path) -> dict[str, object]:
        seen.append(path)
        return real(text, path)

    monkeypatch.setattr(load, "parse_toml", counting)
    return seen


@pytest.fixture(params=[0o022, 0o027])
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    """The usual umask (0o022), and one that takes every right of others (0o027)."""
    old = os.umask(request.param)
    try:
        yield request.param
    finally:
        os.umask(old)


def temporary_indexes(path: Path) -> list[str]:
    """The names of the temporary index files (builds under way or left by killed builders)
    in the cache folder of the store at ``path``."""
    return sorted(p.name for p in index.db_file(path.resolve()).parent.glob(".tmp-*"))


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass
class Ran:
    code: int
    out: str
    err: str


def run(
    *args: str,
    input: str | bytes | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 60,
) -> Ran:
    """Run the installed ``dtimeline`` as a real process."""
    full_env = {**os.environ, **(env or {})}
    data = input.encode() if isinstance(input, str) else input
    proc = subprocess.run(
        [str(ENTRY), *args],
        input=data,
        capture_output=True,
        env=full_env,
        timeout=timeout,
        check=False,
    )
    return Ran(
        proc.returncode,
        proc.stdout.decode("utf-8", "replace"),
        proc.stderr.decode("utf-8", "replace"),
    )


def invoke(*args: str, input: str | None = None, env: dict[str, str] | None = None) -> Ran:
    """Run the app in process through typer's CliRunner (stdout and stderr apart)."""
    result = CliRunner().invoke(app, list(args), input=input, env=env, catch_exceptions=False)
    return Ran(result.exit_code, result.stdout, result.stderr)


def assert_one_line_error(ran: Ran, code: int, *needles: str) -> None:
    assert ran.code == code, (ran.code, ran.out, ran.err)
    lines = ran.err.strip().splitlines()
    assert len(lines) == 1, ran.err
    assert lines[0].startswith("dtimeline: "), ran.err
    assert "Traceback" not in ran.err
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])
