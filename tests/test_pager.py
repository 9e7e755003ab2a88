"""The pager and --color, through the installed program on a pseudo-terminal (pty)."""

from __future__ import annotations

import fcntl
import os
import struct
import subprocess
import termios
from pathlib import Path

import pytest
from conftest import ENTRY, run

from dtimeline.cli.pager import pager_command

ANSI = "\x1b["


def on_pty(
    *args: str, rows: int = 24, cols: int = 80, env: dict[str, str] | None = None
) -> tuple[int, str, str]:
    """Run dtimeline with stdout on a pty of ``rows`` x ``cols``: (exit code, what the
    terminal showed, stderr)."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    full = {**os.environ, "TERM": "xterm-256color", **(env or {})}
    for var in ("LINES", "COLUMNS", "PAGER", "DTIMELINE_PAGER"):
        if env is None or var not in env:
            full.pop(var, None)
    proc = subprocess.Popen(
        [str(ENTRY), *args],
        stdin=subprocess.DEVNULL,
        stdout=slave,
        stderr=subprocess.PIPE,
        env=full,
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the other end closed
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    assert proc.stderr is not None
    err = proc.stderr.read().decode()
    code = proc.wait(timeout=60)
    return code, b"".join(chunks).decode("utf-8", "replace"), err


def pager_to(path: Path) -> dict[str, str]:
    return {"DTIMELINE_PAGER": f"cat > '{path}'"}


def test_tall_output_goes_through_the_pager_in_colour(tmp_path: Path) -> None:
    paged = tmp_path / "paged.txt"
    code, shown, err = on_pty("show", "kazakhstan", rows=20, env=pager_to(paged))
    assert (code, err) == (0, "")
    text = paged.read_text()
    assert "Kazakhstan" in text and ANSI in text  # the colours are kept
    assert len(text.splitlines()) > 20
    assert "Kazakhstan" not in shown


def test_pager_falls_back_to_PAGER(tmp_path: Path) -> None:
    paged = tmp_path / "paged.txt"
    code, _, _ = on_pty("show", "kazakhstan", rows=20, env={"PAGER": f"cat > '{paged}'"})
    assert code == 0 and "Kazakhstan" in paged.read_text()


def test_output_that_fits_is_not_paged(tmp_path: Path) -> None:
    paged = tmp_path / "paged.txt"
    code, shown, _ = on_pty("show", "kazakhstan", rows=2000, env=pager_to(paged))
    assert code == 0
    assert not paged.exists()
    assert "Kazakhstan" in shown and ANSI in shown


@pytest.mark.parametrize(
    ("args", "extra"),
    [(("--no-pager",), {}), ((), {"DTIMELINE_PAGER": "cat"}), ((), {"DTIMELINE_PAGER": ""})],
)
def test_pager_switched_off(tmp_path: Path, args: tuple[str, ...], extra: dict[str, str]) -> None:
    paged = tmp_path / "paged.txt"
    env = {"PAGER": f"cat > '{paged}'", **extra}
    code, shown, _ = on_pty(*args, "show", "kazakhstan", rows=20, env=env)
    assert code == 0
    assert not paged.exists()
    assert "Kazakhstan" in shown


def test_never_into_a_pipe(tmp_path: Path) -> None:
    paged = tmp_path / "paged.txt"
    ran = run("show", "kazakhstan", env={"DTIMELINE_PAGER": f"cat > '{paged}'", "LINES": "5"})
    assert ran.code == 0 and "Kazakhstan" in ran.out
    assert not paged.exists()


def test_a_pager_that_quits_early_is_not_an_error() -> None:
    code, _, err = on_pty("query", "--format", "json", rows=5, env={"DTIMELINE_PAGER": "true"})
    assert (code, err) == (0, "")
    code, _, err = on_pty("show", rows=5, env={"DTIMELINE_PAGER": "head -c 10"})
    assert (code, err) == (0, "")


def test_error_after_output_still_reaches_the_terminal() -> None:
    code, _, err = on_pty("show", "nowhere", rows=5, env={"DTIMELINE_PAGER": "true"})
    assert code == 3 and "unknown subject" in err


def test_default_pager_is_less_keeping_colours() -> None:
    assert pager_command({}) == "less -FRX"
    assert pager_command({"PAGER": "more"}) == "more"
    assert pager_command({"PAGER": "more", "DTIMELINE_PAGER": "most"}) == "most"
    assert pager_command({"DTIMELINE_PAGER": "cat"}) == ""


@pytest.mark.parametrize(
    ("color", "env", "coloured"),
    [
        ("auto", {}, True),
        ("auto", {"NO_COLOR": "1"}, False),
        ("never", {}, False),
        ("always", {"NO_COLOR": "1"}, True),
    ],
)
def test_color_on_a_terminal(color: str, env: dict[str, str], coloured: bool) -> None:
    code, shown, _ = on_pty(
        "--no-pager", "--color", color, "show", "tj", "--since", "2024", env=env
    )
    assert code == 0 and "Tajikistan" in shown
    # NO_COLOR keeps bold and dim (it is about colour); never writes no escape at all
    has_colour = any(f"\x1b[{n}" in shown for n in ("31", "32", "33", "34", "35", "36"))
    assert has_colour == coloured
    if color == "never":
        assert ANSI not in shown


@pytest.mark.parametrize(
    ("color", "env", "styled"),
    [
        ("auto", {}, False),
        ("auto", {"FORCE_COLOR": "1"}, True),
        ("always", {}, True),
        ("never", {"FORCE_COLOR": "1"}, False),
    ],
)
def test_color_in_a_pipe(color: str, env: dict[str, str], styled: bool) -> None:
    ran = run("--color", color, "show", "tajikistan", env=env)
    assert ran.code == 0
    assert (ANSI in ran.out) == styled
