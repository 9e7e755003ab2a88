"""`edit ID` through $EDITOR on a small store: whole messages with the line counted in the
event's table, a second event refused, a store changed meanwhile, a BOM kept (found by
mutation testing, docs/mutation.md)."""

from __future__ import annotations

import sys
from pathlib import Path

from conftest import Ran, run

STORE = """schema = 1

[countries.china]
name = "China"

# first
[[events]]
id = "a"
date = "2020"
kind = "talks"
title = "A"
countries = ["china"]

[[events]]
id = "b"
date = "2021"
kind = "talks"
title = "B"
countries = ["china"]
"""

EVENT_C = (
    '\n[[events]]\nid = "c"\ndate = "2022"\nkind = "talks"\ntitle = "C"\ncountries = ["china"]\n'
)


def editor(tmp_path: Path, body: str) -> str:
    """An editor script: ``text`` is the temporary file's text, ``path`` the file."""
    script = tmp_path / f"ed{len(list(tmp_path.glob('ed*.py')))}.py"
    script.write_text(
        f"#!{sys.executable}\nimport pathlib, sys\npath = pathlib.Path(sys.argv[1])\n"
        f"text = path.read_text(encoding='utf-8')\n{body}\n",
        encoding="utf-8",
    )
    script.chmod(0o755)
    return str(script)


def edit_b(tmp_path: Path, body: str, data: bytes = STORE.encode()) -> tuple[Path, Ran]:
    store = tmp_path / "events.toml"
    store.write_bytes(data)
    env = {"DTIMELINE_STORE": str(store), "EDITOR": editor(tmp_path, body)}
    return store, run("edit", "b", env=env)


def test_a_refusal_names_the_line_in_the_events_table(tmp_path: Path) -> None:
    for body, said in [
        (
            "path.write_text(text.replace('kind = \"talks\"', 'kind = \"picnic\"'))",
            "line 4: event 'b': unknown kind 'picnic' (one of: relations-established,"
            " state-visit, official-visit, visit, talks, meeting, summit, phone-call,"
            " agreement, treaty, joint-statement, partnership, announcement, other;"
            " or declare it under [kinds])",
        ),
        (
            "path.write_text(text.replace('title = \"B\"', 'title = \"B'))",
            "line 5: TOML syntax error: Illegal character '\\n' (column 11)",
        ),
        (
            f"path.write_text(text + {EVENT_C!r})",
            "the text must hold this one event: one [[events]] table",
        ),
        (
            "path.write_text(text.replace('id = \"b\"', 'id = \"d\"'))",
            "the id must stay 'b' (an event's id never changes)",
        ),
    ]:
        store, ran = edit_b(tmp_path, body)
        assert (ran.code, ran.out) == (2, ""), ran
        assert ran.err == f"dtimeline: b: {said}; nothing written\n"
        assert store.read_text("utf-8") == STORE


def test_a_store_changed_while_editing_is_not_overwritten(tmp_path: Path) -> None:
    store = tmp_path / "events.toml"
    body = (
        f"pathlib.Path({str(store)!r}).write_text({(STORE + EVENT_C)!r}, encoding='utf-8')\n"
        "path.write_text(text.replace('title = \"B\"', 'title = \"Bee\"'))"
    )
    _, ran = edit_b(tmp_path, body)
    assert ran.code == 5 and ran.out == "", ran
    assert ran.err == (f"dtimeline: {store}: the store changed while the event was being edited\n")
    assert store.read_text("utf-8") == STORE + EVENT_C


def test_an_edit_keeps_the_byte_order_mark_and_every_other_byte(tmp_path: Path) -> None:
    data = b"\xef\xbb\xbf" + STORE.replace("\n", "\r\n").encode()
    store, ran = edit_b(
        tmp_path,
        "path.write_bytes(path.read_bytes().replace(b'title = \"B\"', b'title = \"Bee\"'))",
        data,
    )
    assert ran.code == 0, ran
    assert store.read_bytes() == data.replace(b'title = "B"', b'title = "Bee"')


def test_an_unchanged_table_of_a_crlf_store_writes_nothing(tmp_path: Path) -> None:
    """The editor's file is read back with universal newlines: the CRLF table must still
    compare equal (it was written back half LF, saying "edited b")."""
    data = STORE.replace("\n", "\r\n").encode()
    store, ran = edit_b(tmp_path, "pass", data)
    assert (ran.code, ran.out) == (0, ""), ran
    assert ran.err == "dtimeline: no change to b; nothing written\n"
    assert store.read_bytes() == data


def test_a_problem_outside_the_table_has_no_line_of_the_table(tmp_path: Path) -> None:
    """The duplicate id is reported where the other event uses it, after the edited table:
    no "line N" of the table then."""
    store = tmp_path / "events.toml"
    store.write_text(STORE, "utf-8")
    body = "path.write_text(text.replace('id = \"a\"', 'id = \"b\"'))"
    env = {"DTIMELINE_STORE": str(store), "EDITOR": editor(tmp_path, body)}
    ran = run("edit", "a", env=env)
    assert (ran.code, ran.out) == (2, "")
    assert ran.err == "dtimeline: a: duplicate id 'b' (first used at line 8); nothing written\n"
    assert store.read_text("utf-8") == STORE


def test_lines_are_counted_from_the_files_first_line(tmp_path: Path) -> None:
    """A store that starts with a blank line: the table's lines are still its own."""
    body = "path.write_text(text.replace('kind = \"talks\"', 'kind = \"picnic\"'))"
    store, ran = edit_b(tmp_path, body, ("\n" + STORE).encode())
    assert ran.code == 2
    assert ran.err.startswith("dtimeline: b: line 4: event 'b': unknown kind 'picnic' (")
    assert store.read_text("utf-8") == "\n" + STORE


def test_an_event_of_a_store_of_300_events_is_edited(tmp_path: Path) -> None:
    """Counts above 256 (Python's small integers): the event count still compares equal."""
    many = "".join(
        f'\n[[events]]\nid = "e{i}"\ndate = "2020"\nkind = "talks"\ntitle = "E{i}"\n'
        'countries = ["china"]\n'
        for i in range(300)
    )
    body = "path.write_text(text.replace('title = \"B\"', 'title = \"Bee\"'))"
    store, ran = edit_b(tmp_path, body, (STORE + many).encode())
    assert (ran.code, ran.err) == (0, "dtimeline: edited b\n")
    assert store.read_text("utf-8") == (STORE + many).replace('title = "B"', 'title = "Bee"')
