"""Writes read back from disk as whole files: removing several events at once, the last
event, an edit or an append at a file that does not end with a line break, a store that
starts with a byte order mark, the temporary files a killed writer left, `undo --dry-run`
and `redo`, and the whole messages of a refused write (found by mutation testing of
store/write.py, docs/mutation.md)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import assert_one_line_error, invoke, run, sha

from dtimeline.errors import StoreError
from dtimeline.store import inplace, tomlblock
from dtimeline.store.write import rewrite_event, undo_last

HEAD = """schema = 1

[countries.china]
name = "China"

"""
E1 = """# the first event
[[events]]
id = "e1"
date = "2023-05-17"
kind = "talks"
title = "Talks"
countries = ["china"]
"""
E2 = """[[events]]
id = "e2"
date = "2023-06-01"
kind = "talks"
title = "More talks"
countries = ["china"]  # kept
"""
E3 = """[[events]]
id = "e3"
date = "2023-07-01"
kind = "talks"
title = "Last talks"
countries = ["china"]
"""
TEXT = HEAD + E1 + "\n" + E2 + "\n\n" + E3
ADD_N = ["add", "2024", "New", "-c", "china", "--id", "n"]
NEW = (
    '[[events]]\nid = "n"\ndate = "2024"\nkind = "other"\ntitle = "New"\n'
    'countries = ["china"]\nstatus = "held"\n'
)


def make(tmp_path: Path, text: str = TEXT, *, raw: bytes | None = None) -> Path:
    path = tmp_path / "events.toml"
    path.write_bytes(text.encode("utf-8") if raw is None else raw)
    return path


def ok(*args: str, input: str | None = None) -> str:
    ran = invoke(*args, input=input)
    assert ran.code == 0, ran.err
    return ran.err


def indexed(path: Path) -> Path:
    """The store with a current index, so `add` appends in place."""
    assert run("--store", str(path), "query", "--format", "ids").out.split() == ["e1", "e2", "e3"]
    return path


def way(path: Path, in_place: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """An index describing the file, so `add` appends in place; or, when not ``in_place``,
    the file seen to change between its stat and its opening (as another process could
    make it), so `add` reads the file whole and replaces it."""
    indexed(path)
    if not in_place:

        def moved(*args: object) -> object:
            raise inplace.Moved

        monkeypatch.setattr(inplace, "append", moved)


def test_removing_two_events_apart_keeps_the_one_between_and_every_comment(
    tmp_path: Path,
) -> None:
    path = make(tmp_path)
    assert ok("--store", str(path), "remove", "e3", "e1") == "dtimeline: removed 2 events\n"
    assert path.read_text("utf-8") == HEAD + "# the first event\n" + E2 + "\n\n"


def test_removing_the_middle_event_takes_its_blank_lines_with_it(tmp_path: Path) -> None:
    path = make(tmp_path)
    ok("--store", str(path), "remove", "e2")
    assert path.read_text("utf-8") == HEAD + E1 + "\n" + E3


def test_removing_the_last_event_of_an_unended_file(tmp_path: Path) -> None:
    path = make(tmp_path, TEXT.rstrip("\n"))
    ok("--store", str(path), "remove", "e3")
    assert path.read_text("utf-8") == HEAD + E1 + "\n" + E2 + "\n\n"
    ok("--store", str(path), "undo")
    assert path.read_text("utf-8") == TEXT.rstrip("\n")


@pytest.mark.parametrize("where", ["e2", "e3"])
def test_an_edit_keeps_the_files_end_as_it_was(tmp_path: Path, where: str) -> None:
    path = make(tmp_path, TEXT.rstrip("\n"))
    ok("--store", str(path), "edit", where, "--place", "Xian")
    want = TEXT.rstrip("\n")
    if where == "e2":
        kept = 'countries = ["china"]  # kept\n'
        want = want.replace(kept, kept + 'place = "Xian"\n')
    else:
        want += '\nplace = "Xian"'
    assert path.read_text("utf-8") == want


@pytest.mark.parametrize("in_place", [True, False], ids=["in-place", "whole-file"])
def test_an_add_to_an_unended_file_starts_on_a_line_of_its_own(
    tmp_path: Path, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = make(tmp_path, TEXT.rstrip("\n"))
    way(path, in_place, monkeypatch)
    inode = path.stat().st_ino
    ok("--store", str(path), "add", "2024", "New", "-c", "china", "--id", "n")
    assert path.read_text("utf-8") == TEXT + "\n" + NEW
    assert (path.stat().st_ino == inode) == in_place  # appended, or a new file renamed over
    ok("--store", str(path), "undo")
    assert path.read_text("utf-8") == TEXT.rstrip("\n")


@pytest.mark.parametrize("in_place", [True, False], ids=["in-place", "whole-file"])
def test_an_add_to_a_crlf_store_writes_crlf(
    tmp_path: Path, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    crlf = TEXT.replace("\n", "\r\n")
    path = make(tmp_path, raw=crlf.encode())
    way(path, in_place, monkeypatch)
    ok("--store", str(path), "add", "2024", "New", "-c", "china", "--id", "n")
    assert path.read_bytes() == (TEXT + "\n" + NEW).replace("\n", "\r\n").encode()


@pytest.mark.parametrize("array", [False, True], ids=["json-lines", "json-array"])
def test_an_import_into_an_unended_file_starts_on_a_line_of_its_own(
    tmp_path: Path, array: bool
) -> None:
    """JSON Lines go through the streamed import (store/bulk.py), a JSON array through
    the whole-input one (store/write.py append_events)."""
    path = make(tmp_path, TEXT.rstrip("\n"))
    rec = {"id": "n", "date": "2024", "title": "New", "kind": "other", "countries": ["china"]}
    ok("--store", str(path), "import", "-", input=json.dumps([rec] if array else rec))
    assert path.read_text("utf-8") == TEXT + "\n" + NEW
    assert run("--store", str(path), "query", "--format", "ids").out.split() == [
        "e1", "e2", "e3", "n"
    ]  # fmt: skip


def test_a_store_with_a_byte_order_mark_keeps_it_through_edit_and_remove(
    tmp_path: Path,
) -> None:
    bom = b"\xef\xbb\xbf"
    path = make(tmp_path, raw=bom + TEXT.encode())
    ok("--store", str(path), "edit", "e2", "--title", "Other talks")
    assert path.read_bytes() == bom + TEXT.replace("More talks", "Other talks").encode()
    ok("--store", str(path), "remove", "e1")
    assert (
        path.read_bytes()
        == bom
        + (HEAD + "# the first event\n" + E2 + "\n\n" + E3)
        .replace("More talks", "Other talks")
        .encode()
    )


@pytest.mark.parametrize(
    "args",
    [
        ["add", "2024", "New", "-c", "china", "--id", "n"],
        ["edit", "e1", "--place", "Xian"],
        ["remove", "e2"],
    ],
    ids=["add", "edit", "remove"],
)
def test_a_write_sweeps_the_temporary_files_a_killed_writer_left(
    tmp_path: Path, args: list[str]
) -> None:
    path = make(tmp_path)
    stale = tmp_path / ".events.toml.k1ll3d.tmp"
    stale.write_bytes(b"half a store")
    others = [tmp_path / ".other.toml.x.tmp", tmp_path / "events.toml.tmp"]
    for other in others:
        other.write_bytes(b"not ours")
    ok("--store", str(path), *args)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["events.toml", *(p.name for p in others)]
    )


def test_undo_dry_run_changes_nothing_and_undo_then_redo(tmp_path: Path) -> None:
    path = make(tmp_path)
    ok("--store", str(path), "edit", "e1", "--place", "Xian")
    edited = path.read_bytes()
    err = ok("--store", str(path), "undo", "--dry-run")
    assert err.startswith("dtimeline: would undo edit e1 (made ")
    assert err.endswith("); nothing changed\n")
    assert path.read_bytes() == edited
    assert ok("--store", str(path), "undo").startswith("dtimeline: undid edit e1 (made ")
    assert path.read_text("utf-8") == TEXT
    assert ok("--store", str(path), "redo") == "dtimeline: redid edit e1\n"
    assert path.read_bytes() == edited
    assert ok("--store", str(path), "undo").startswith("dtimeline: undid edit e1")
    assert path.read_text("utf-8") == TEXT
    assert_one_line_error(invoke("--store", str(path), "undo"), 5, "nothing to undo")


def test_redo_of_a_remove_and_of_an_add_puts_the_same_bytes_back(tmp_path: Path) -> None:
    path = make(tmp_path)
    ok("--store", str(path), "remove", "e2")
    removed = path.read_bytes()
    ok("--store", str(path), "add", "2024", "New", "-c", "china", "--id", "n")
    added = path.read_bytes()
    ok("--store", str(path), "undo")
    ok("--store", str(path), "undo")
    assert path.read_text("utf-8") == TEXT
    ok("--store", str(path), "redo")
    assert path.read_bytes() == removed
    ok("--store", str(path), "redo")
    assert path.read_bytes() == added
    ok("--store", str(path), "undo")
    assert path.read_bytes() == removed


@pytest.mark.parametrize("command", ["edit", "remove"])
def test_an_unknown_id_is_refused_naming_the_nearest(tmp_path: Path, command: str) -> None:
    path = make(tmp_path)
    before = sha(path)
    extra = ["--place", "x"] if command == "edit" else []
    ran = invoke("--store", str(path), command, "e4", *extra)
    assert ran.code == 3, ran.err
    assert ran.err.splitlines()[0] == "dtimeline: no event with id 'e4'"
    assert sha(path) == before


@pytest.mark.parametrize("in_place", [True, False], ids=["in-place", "whole-file"])
def test_an_add_with_a_taken_id_is_refused_whole(
    tmp_path: Path, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = make(tmp_path)
    way(path, in_place, monkeypatch)
    before = sha(path)
    ran = invoke("--store", str(path), "add", "2024", "New", "-c", "china", "--id", "e2")
    assert (ran.code, ran.err) == (5, "dtimeline: an event with id 'e2' exists already\n")
    assert sha(path) == before


@pytest.mark.parametrize(
    "wrong",
    [lambda segment: segment, lambda segment: segment.replace('id = "e2"', 'id = "e1"')],
    ids=["edit-lost", "id-taken"],
)
def test_a_minimal_edit_that_does_not_read_back_is_written_afresh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, wrong: Callable[[str], str]
) -> None:
    """Should the key-by-key edit (tomlblock.edited_block) not read back as the edited
    event (here made to lose the change, or to take another event's id), the event's
    table is written whole instead (tomlblock.event_block), its comment dropped."""
    path = make(tmp_path)
    monkeypatch.setattr(tomlblock, "edited_block", lambda segment, *args: wrong(segment))
    ok("--store", str(path), "edit", "e2", "--place", "Xian")
    fresh = E2.replace("  # kept", "") + 'place = "Xian"\nstatus = "held"\n'
    assert path.read_text("utf-8") == TEXT.replace(E2, fresh)


def test_the_core_undo_reverts_unless_asked_for_a_dry_run(tmp_path: Path) -> None:
    path = make(tmp_path)
    ok("--store", str(path), "edit", "e1", "--place", "Xian")
    edited = path.read_bytes()
    assert undo_last(path, 5.0, dry_run=True).what == "edit e1"
    assert path.read_bytes() == edited
    assert undo_last(path, 5.0).what == "edit e1"
    assert path.read_text("utf-8") == TEXT


def test_an_edit_that_cannot_read_back_either_way_is_refused_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = make(tmp_path)
    before = sha(path)
    with pytest.raises(StoreError) as caught:
        rewrite_event(path, "e2", lambda s, e: replace(e, countries=("atlantis",)), "edit", 5.0)
    assert str(caught.value) == (
        f"{path}: refusing to write: the change would not read back as intended"
        f" ({path}:19: event 'e2': unknown country 'atlantis'); please edit this event by hand"
    )
    monkeypatch.setattr(tomlblock, "edited_block", lambda segment, *args: segment)
    monkeypatch.setattr(tomlblock, "event_block", lambda ev, newline="\n": E2)
    with pytest.raises(StoreError) as caught:
        rewrite_event(path, "e2", lambda s, e: replace(e, place="Xian"), "edit", 5.0)
    assert str(caught.value) == (
        f"{path}: refusing to write: the change would not read back as intended"
        " (events differ); please edit this event by hand"
    )
    assert sha(path) == before


@pytest.mark.parametrize("in_place", [True, False], ids=["in-place", "whole-file"])
@pytest.mark.parametrize(
    ("fault", "message"),
    [
        (lambda text: text.replace('place = "Xian"\n', ""), "new text does not read back as given"),
        (lambda text: text.replace('place = "Xian"', 'place = "Xian'), "new text does not parse"),
    ],
    ids=["field-lost", "broken"],
)
def test_an_append_whose_new_text_does_not_read_back_is_refused(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    in_place: bool,
    fault: Callable[[str], str],
    message: str,
) -> None:
    """The write check compares a fresh parse of the new blocks with the events as given
    (store/readback.py), so a writer that lost a field is caught before the write."""
    path = make(tmp_path)
    way(path, in_place, monkeypatch)
    before = sha(path)
    real = tomlblock.events_text
    monkeypatch.setattr(tomlblock, "events_text", lambda *args: fault(real(*args)))
    ran = invoke("--store", str(path), *ADD_N, "--place", "Xian")
    assert ran.code == 4, ran.err
    assert ran.err.startswith(f"dtimeline: {path}: refusing to write: {message}")
    assert len(ran.err.splitlines()) == 1
    assert sha(path) == before
