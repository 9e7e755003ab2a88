"""`dtimeline export` as a command: every format through a real process, -o written
atomically, a closed pipe, and the errors."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from conftest import BUNDLED_EVENTS, ENTRY, assert_one_line_error, invoke, run, sha

FORMATS = ["ics", "mermaid", "timelinejs", "markwhen", "json", "jsonl", "html"]
FIRST = "China and Kazakhstan establish diplomatic relations"


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_in_a_real_process(fmt: str) -> None:
    ran = run("export", "--format", fmt)
    assert ran.code == 0, ran.err
    assert ran.err == ""
    assert FIRST in ran.out


@pytest.mark.parametrize("fmt", FORMATS)
def test_output_file_matches_stdout(fmt: str, tmp_path: Path) -> None:
    target = tmp_path / f"out.{fmt}"
    target.write_text("old content", encoding="utf-8")
    ran = invoke("export", "--format", fmt, "-o", str(target))
    assert ran.code == 0, ran.err
    assert ran.out == ""
    assert f"wrote {BUNDLED_EVENTS} events ({fmt}) to {target}" in ran.err
    direct = invoke("export", "--format", fmt)  # (CliRunner shows CRLF as LF)
    assert target.read_bytes().replace(b"\r\n", b"\n") == direct.out.encode("utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]  # no temp file left


def test_output_file_mode_follows_umask(tmp_path: Path) -> None:
    target = tmp_path / "t.ics"
    ran = run("export", "--format", "ics", "--output", str(target))
    assert ran.code == 0, ran.err
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask


def test_dash_is_stdout() -> None:
    ran = invoke("export", "--format", "jsonl", "-o", "-")
    assert ran.code == 0 and len(ran.out.splitlines()) == BUNDLED_EVENTS


def test_unwritable_output_is_one_line_error(tmp_path: Path) -> None:
    ran = run("export", "--format", "ics", "-o", str(tmp_path / "missing" / "x.ics"))
    assert_one_line_error(ran, 6, "cannot write")


def test_output_onto_a_directory_fails_cleanly(tmp_path: Path) -> None:
    ran = run("export", "--format", "html", "-o", str(tmp_path))
    assert_one_line_error(ran, 6, "cannot write")
    assert list(tmp_path.iterdir()) == []


def test_format_is_required_and_checked() -> None:
    assert_one_line_error(run("export"), 2, "--format")
    assert_one_line_error(run("export", "--format", "pdf"), 2, "pdf")


def test_bad_filter_values_are_errors() -> None:
    assert_one_line_error(run("export", "-f", "ics", "--country", "narnia"), 2, "narnia")
    assert_one_line_error(run("export", "-f", "ics", "--since", "someday"), 2, "someday")


def test_nothing_matches_gives_an_empty_valid_export() -> None:
    ran = invoke("export", "-f", "json", "--since", "2090")
    assert ran.code == 0
    assert ran.out == "[]\n"
    assert "no events match" in ran.err


def test_store_is_not_touched(store: Path) -> None:
    before = sha(store)
    for fmt in FORMATS:
        assert invoke("--store", str(store), "export", "-f", fmt).code == 0
    assert sha(store) == before


@pytest.mark.parametrize(
    ("fmt", "reader"),
    [("ics", "head -1"), ("html", "head -1"), ("json", "true"), ("markwhen", "true")],
)
def test_closed_pipe_ends_quietly(fmt: str, reader: str) -> None:
    # `true` exits at once, so the export writes into a pipe already closed (EPIPE)
    shell = f"'{ENTRY}' export --format {fmt} | {reader}"
    proc = subprocess.run(["bash", "-o", "pipefail", "-c", shell], capture_output=True,
                          text=True, timeout=60, check=False)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert len(proc.stdout.splitlines()) == (1 if reader.startswith("head") else 0)


def test_as_of_marks_later_events_upcoming() -> None:
    ran = invoke("export", "-f", "ics", "--as-of", "2024-06-30", "--upcoming")
    assert ran.code == 0, ran.err
    # events after that day that were announced by then are upcoming: TENTATIVE
    assert "BEGIN:VEVENT" in ran.out and "STATUS:TENTATIVE" in ran.out
    assert "STATUS:CONFIRMED" not in ran.out
