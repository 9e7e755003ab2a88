"""The pre-commit hook (.pre-commit-hooks.yaml): its entry, run as pre-commit runs it (split
like a shell line, the staged store paths appended), passes a clean store and stops a
commit of one with an unsourced event."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ENTRY, ROOT

HOOKS = ROOT / ".pre-commit-hooks.yaml"


def hook() -> dict[str, str]:
    """The hook's keys (the file is one flat list item: `key: value` lines)."""
    found = {}
    for line in HOOKS.read_text("utf-8").splitlines():
        match = re.fullmatch(r"(?:- |  )(\w+): (.*)", line)
        if match:
            found[match.group(1)] = match.group(2)
    return found


def test_the_hook_file_is_what_pre_commit_reads() -> None:
    yaml = pytest.importorskip("yaml", reason="PyYAML is not installed: the YAML parse is skipped")
    (parsed,) = yaml.safe_load(HOOKS.read_text("utf-8"))
    assert parsed == {**hook(), "pass_filenames": True}


def test_hook_keys() -> None:
    keys = hook()
    assert keys["id"] == "dtimeline-check"
    assert keys["language"] == "python"
    pattern = re.compile(keys["files"])
    assert pattern.search("events.toml") and pattern.search("data/events.toml")
    assert not pattern.search("pyproject.toml")


def run_entry(*files: Path) -> subprocess.CompletedProcess[str]:
    if shutil.which("sh") is None:
        pytest.skip("no sh on this machine: the hook's entry runs through sh")
    argv = [*shlex.split(hook()["entry"]), *map(str, files)]
    env = {**os.environ, "PATH": f"{ENTRY.parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    return subprocess.run(argv, capture_output=True, text=True, env=env, timeout=60, check=False)


def test_the_entry_passes_clean_stores_and_stops_an_unsourced_one(
    tmp_path: Path, store: Path
) -> None:
    other = tmp_path / "other" / "events.toml"
    other.parent.mkdir()
    other.write_bytes(store.read_bytes())
    ok = run_entry(store, other)
    assert ok.returncode == 0, ok.stderr
    assert ok.stderr.count(": ok, ") == 2
    with other.open("a", encoding="utf-8") as fh:
        fh.write('\n[[events]]\nid = "x"\ndate = "2025"\nkind = "other"\ntitle = "X"\n')
        fh.write('countries = ["china"]\n')
    bad = run_entry(store, other)
    assert bad.returncode == 1
    assert f"{other}:" in bad.stdout and "cites no source" in bad.stdout
