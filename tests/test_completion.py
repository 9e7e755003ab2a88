"""Shell completion through typer's own mechanism: a real bash sources the script that
``dtimeline --show-completion`` prints and asks it to complete; zsh and fish scripts are
checked for what they call, and what they call is asked the way they ask it."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ENTRY, run

BASH = shutil.which("bash")


def env_with(**extra: str) -> dict[str, str]:
    return {**os.environ, "PATH": f"{ENTRY.parent}{os.pathsep}{os.environ['PATH']}", **extra}


@pytest.fixture(scope="module")
def script() -> str:
    if BASH is None:
        pytest.skip("bash is not installed")
    proc = subprocess.run(
        # `; exit $?` keeps bash the parent of dtimeline (a lone command would be exec'ed in
        # its place), so the shell typer detects is this bash, whatever started the tests
        [BASH, "-c", "dtimeline --show-completion; exit $?"],
        capture_output=True,
        text=True,
        env=env_with(),
        check=True,
        timeout=60,
    )
    assert "_DTIMELINE_COMPLETE=complete_bash" in proc.stdout
    return proc.stdout


def complete(script: str, line: str, env: dict[str, str] | None = None) -> list[str]:
    """What bash offers for ``line`` (the cursor at its end), using the sourced script."""
    assert BASH is not None
    program = (
        f"{script}\n"
        'read -r -a COMP_WORDS <<< "$LINE"\n'
        'if [[ "$LINE" == *" " ]]; then COMP_WORDS+=(""); fi\n'
        "COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))\n"
        "_dtimeline_completion dtimeline\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    proc = subprocess.run(
        [BASH, "-c", program],
        capture_output=True,
        text=True,
        env=env_with(LINE=line, **(env or {})),
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == "", proc.stderr
    return [w for w in proc.stdout.splitlines() if w]


def test_commands_and_options(script: str) -> None:
    assert complete(script, "dtimeline sh") == ["show"]
    assert {"show", "query", "stats", "edit", "undo"} <= set(complete(script, "dtimeline "))
    assert "--format" in complete(script, "dtimeline query --fo")
    assert complete(script, "dtimeline query --format j") == ["json", "jsonl"]


def test_values_from_the_store(script: str) -> None:
    assert "kazakhstan" in complete(script, "dtimeline show ka")
    assert "kassym-jomart-tokayev" in complete(script, "dtimeline show ka")
    assert complete(script, "dtimeline query -c ta") == ["tajikistan"]
    assert complete(script, "dtimeline query --country ta") == ["tajikistan"]
    assert complete(script, "dtimeline query --actor xi") == ["xi-jinping"]
    assert complete(script, "dtimeline query --tag belt") == ["belt-and-road"]
    assert complete(script, "dtimeline query --kind state") == ["state-visit"]
    assert complete(script, "dtimeline query --status a") == ["announced"]
    assert complete(script, "dtimeline stats taj") == ["tajikistan"]
    assert complete(script, "dtimeline add 2025 x --host kaz") == ["kazakhstan"]


def test_ids_for_show_edit_and_remove(script: str) -> None:
    want = ["2024-07-02-xi-state-visit-kazakhstan"]
    assert complete(script, "dtimeline show 2024-07-02") == want
    assert complete(script, "dtimeline edit 2024-07-02") == want
    assert complete(script, "dtimeline remove 2024-07-01-foreign 2024-07-02") == want
    assert not any(w[:1].isdigit() for w in complete(script, "dtimeline show "))


def test_names_follow_the_store(script: str, store: Path) -> None:
    env = {"DTIMELINE_STORE": str(store)}
    assert complete(script, "dtimeline edit 2031", env) == []
    added = run("add", "2031-01-02", "A later meeting", "-c", "cn", "-c", "kz", env=env)
    assert added.code == 0, added.err
    assert complete(script, "dtimeline edit 2031", env) == [added.out.strip()]


def test_a_broken_store_completes_nothing_quietly(script: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("not [ toml", encoding="utf-8")
    assert complete(script, "dtimeline show ka", {"DTIMELINE_STORE": str(bad)}) == []
    assert complete(script, "dtimeline --store /nowhere/x.toml show ka") == []


def test_install_completion_for_bash(tmp_path: Path) -> None:
    if BASH is None:
        pytest.skip("bash is not installed")
    home = tmp_path / "home"
    home.mkdir()
    proc = subprocess.run(
        [BASH, "-c", "dtimeline --install-completion"],
        capture_output=True,
        text=True,
        env=env_with(HOME=str(home)),
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "bash completion installed" in proc.stdout
    assert "dtimeline" in (home / ".bashrc").read_text()


@pytest.mark.parametrize("shell", ["zsh", "fish"])
def test_zsh_and_fish_scripts(shell: str) -> None:
    ran = run("--show-completion", shell, env={"_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"})
    assert ran.code == 0
    assert f"_DTIMELINE_COMPLETE=complete_{shell}" in ran.out
    # what those scripts run, asked the way they ask it
    extra = {"_TYPER_COMPLETE_FISH_ACTION": "get-args"} if shell == "fish" else {}
    asked = run(
        env={"_DTIMELINE_COMPLETE": f"complete_{shell}",
             "_TYPER_COMPLETE_ARGS": "dtimeline query --kind state", **extra}
    )  # fmt: skip
    assert "state-visit" in asked.out
