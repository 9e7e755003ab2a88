"""Help and errors in plain words: every command's --help (walked from the application, so
commands added later are held to it too) and a catalogue of bad options."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from conftest import assert_one_line_error, invoke, run

from dtimeline.cli import app

TYPE_LABEL = re.compile(r"<(bool|str|int|float|list\[[^]]*\]|[a-z-]+(\|[a-z-]+)+)>")


def command_paths() -> Iterator[tuple[str, ...]]:
    """Every command of the application (and of any command group), as its words."""
    root = typer.main.get_command(app)

    def walk(command: object, path: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
        yield path
        sub = getattr(command, "commands", None) or {}
        for name, child in sub.items():
            if not getattr(child, "hidden", False):
                yield from walk(child, (*path, name))

    yield from walk(root, ())


PATHS = list(command_paths())


def help_text(path: tuple[str, ...], columns: int = 80) -> str:
    ran = invoke(*path, "--help", env={"COLUMNS": str(columns), "NO_COLOR": "1"})
    assert ran.code == 0, (path, ran.err)
    return ran.out


def examples_of(text: str) -> list[str]:
    lines = text.splitlines()
    starts = [i for i, line in enumerate(lines) if line.strip() == "Examples"]
    assert starts, "no Examples section"
    found = []
    for line in lines[starts[-1] + 1 :]:
        if not line.strip():
            if found:
                break
            continue
        found.append(line.strip())
    return found


def test_every_command_is_walked() -> None:
    names = {p[0] for p in PATHS if p}
    assert {"show", "query", "stats", "add", "edit", "remove", "undo", "check"} <= names


@pytest.mark.parametrize("path", PATHS, ids=lambda p: " ".join(p) or "dtimeline")
def test_help_has_no_type_labels_and_plain_usage(path: tuple[str, ...]) -> None:
    text = help_text(path)
    assert not TYPE_LABEL.search(text), TYPE_LABEL.search(text)
    assert "x>=" not in text and "x<=" not in text
    usage = next(line for line in text.splitlines() if "Usage:" in line)
    assert "[[" not in usage and "{" not in usage, usage


@pytest.mark.parametrize("path", PATHS, ids=lambda p: " ".join(p) or "dtimeline")
def test_help_has_two_to_four_examples(path: tuple[str, ...]) -> None:
    text = help_text(path, columns=200)
    found = examples_of(text)
    assert 2 <= len(found) <= 4, found
    assert all("dtimeline" in line for line in found), found


@pytest.mark.parametrize("columns", [40, 80])
@pytest.mark.parametrize("path", [("query",), ("show",), ("export",)], ids=" ".join)
def test_choice_lists_wrap_between_words(path: tuple[str, ...], columns: int) -> None:
    text = help_text(path, columns)
    for line in text.splitlines():
        assert len(line) <= columns
        # a choice list cut inside a word leaves a fragment such as "ti" + "meline"
        assert not re.search(r"\|[a-z]*$", line.rstrip(" │")), line


def test_help_through_the_installed_program() -> None:
    ran = run("show", "--help", env={"COLUMNS": "80"})
    assert ran.code == 0
    assert "Usage: dtimeline show [OPTIONS] [SUBJECT|ID]" in ran.out
    assert "<bool>" not in ran.out and "<list[str]>" not in ran.out
    assert "dtimeline show kazakhstan" in ran.out


LIBRARY_WORDS = (
    "Value error",
    "Input should",
    "Invalid value",
    "Got unexpected",
    "No such",
    "requires an argument",
    "Missing argument",
    "pydantic",
    "\t",
)

BAD = [
    (("query", "--format", "xml"), "--format", "'xml'"),
    (("query", "--limit", "-1"), "--limit", "at least 0"),
    (("query", "--limit", "x"), "--limit", "whole number"),
    (("show", "--width", "5"), "--width", "at least 20"),
    (("query", "--sort", "foo"), "--sort", "-date"),
    (("edit", "x", "--clear", "foo"), "--clear", "summary"),
    (("show", "--bogus"), "--bogus", "no option"),
    (("show", "--sinc", "2020"), "--since", "did you mean"),
    (("frob",), "'frob'", "no command"),
    (("query", "-n"), "-n", "needs a value"),
    (("add",), "DATE", "missing"),
    (("add", "2020"), "TITLE", "missing"),
    (("export",), "--format", "required"),
    (("stats", "--format", "x"), "--format", "auto"),
    (("countries", "--format", "x"), "--format", "json"),
    (("query", "--country"), "--country", "needs a value"),
    (("show", "a", "b"), "unexpected", "b"),
    (("remove",), "ID", "missing"),
    (("--color", "sometimes", "show"), "--color", "never"),
]


@pytest.mark.parametrize(("args", "first", "second"), BAD, ids=str)
def test_bad_options_are_said_in_dtimelines_words(
    args: tuple[str, ...], first: str, second: str
) -> None:
    ran = run(*args)
    assert_one_line_error(ran, 2, first, second)
    for words in LIBRARY_WORDS:
        assert words not in ran.err, (words, ran.err)


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ('{"date": "2024"\n', "comma is missing"),
        ('[{"date": "2024",}]', "double quotes"),
        ('{"title": "a\tb"}\n', "inside a string"),
        ("[1] [2]", "more than one JSON value"),
    ],
)
def test_bad_json_is_said_in_plain_words(tmp_path: Path, text: str, needle: str) -> None:
    src = tmp_path / ("in.json" if text.startswith("[") else "in.jsonl")
    src.write_text(text, encoding="utf-8")
    ran = run("import", str(src), "--dry-run")
    assert_one_line_error(ran, 2, needle)
    assert "Expecting" not in ran.err and "delimiter" not in ran.err
