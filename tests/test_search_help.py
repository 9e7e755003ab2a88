"""Repeated --search means any of these; help survives a closed pipe."""

from __future__ import annotations

import subprocess

import pytest
from conftest import ENTRY, invoke


def ids(*args: str) -> set[str]:
    ran = invoke("query", "--format", "ids", *args)
    assert ran.code == 0, ran.err
    return set(ran.out.split())


def test_repeated_search_is_any_of_them() -> None:
    visa, summit = ids("-s", "visa"), ids("-s", "summit")
    assert visa and summit and not visa >= summit
    assert ids("-s", "visa", "-s", "summit") == visa | summit
    assert ids("--search", "visa", "--search", "summit", "-c", "kz") == (visa | summit) & ids(
        "-c", "kz"
    )
    assert ids("-s", "visa", "-s", "zzzz-nothing") == visa


@pytest.mark.parametrize(
    "args", [["query", "--help"], ["--help"], ["show", "--help"], ["export", "--help"]]
)
def test_help_into_head_exits_0(args: list[str]) -> None:
    """`dtimeline query --help | head -1`: the pipe closes early; exit 0, nothing on stderr."""
    shell = f"set -o pipefail; {ENTRY} {' '.join(args)} | head -1"
    proc = subprocess.run(["bash", "-c", shell], capture_output=True, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == b""
    assert proc.stdout.count(b"\n") == 1


@pytest.mark.parametrize("args", [["query", "--help"], ["--help"]])
def test_help_into_a_closed_pipe_exits_0(args: list[str]) -> None:
    """The reader is gone before the first byte is written: every write meets EPIPE."""
    proc = subprocess.Popen([str(ENTRY), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    err = proc.stderr.read()
    assert proc.wait(timeout=60) == 0, err
    assert err == b""
