"""`undo`: reverts the last writes, byte for byte, from a bounded history kept outside the
store's folder."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import BUNDLED_EVENTS, assert_one_line_error, invoke, run, sha

from dtimeline.store import history

FIRST = "1992-01-03-china-kazakhstan-relations"


def test_undo_reverts_each_kind_of_write_in_turn(store: Path) -> None:
    states = [store.read_bytes()]
    steps = [
        ["add", "2025-01-01", "One", "-c", "china"],
        ["import", "-"],
        ["edit", FIRST, "--place", "Alma-Ata", "--clear", "tags"],
        ["remove", "1992-01-04-china-tajikistan-relations"],
    ]
    rec = {"date": "2025", "title": "Imported", "kind": "other", "countries": ["china"]}
    for step in steps:
        ran = invoke("--store", str(store), *step, input=json.dumps(rec))
        assert ran.code == 0, ran.err
        states.append(store.read_bytes())
    for what, expected in zip(["remove", "edit", "import", "add"], reversed(states[:-1])):
        ran = run("--store", str(store), "undo")
        assert ran.code == 0, ran.err
        assert ran.err.startswith(f"dtimeline: undid {what}")
        assert store.read_bytes() == expected
    assert_one_line_error(invoke("--store", str(store), "undo"), 5, "nothing to undo")


def test_history_lives_outside_the_stores_folder_and_is_bounded(
    store: Path, isolated: Path
) -> None:
    for n in range(history.KEEP + 3):
        assert invoke("--store", str(store), "add", "2025", f"E{n}", "-c", "china").code == 0
    folder = history.history_dir(store.resolve())
    assert folder.is_dir()
    assert folder.is_relative_to(isolated / "state" / "dtimeline")  # $XDG_STATE_HOME
    assert sorted(p.name for p in store.parent.iterdir()) == ["events.toml"]
    assert len(list(folder.glob("*.json"))) == history.KEEP
    assert "history" not in store.read_text("utf-8")
    for _ in range(history.KEEP):
        assert invoke("--store", str(store), "undo").code == 0
    assert_one_line_error(invoke("--store", str(store), "undo"), 5, "nothing to undo")
    assert store.read_text("utf-8").count("[[events]]") == BUNDLED_EVENTS + 3


def test_undo_refuses_after_a_hand_edit(store: Path) -> None:
    assert invoke("--store", str(store), "add", "2025", "A", "-c", "china").code == 0
    store.write_bytes(store.read_bytes() + b"\n# edited by hand\n")
    before = sha(store)
    assert_one_line_error(invoke("--store", str(store), "undo"), 5, "changed by hand")
    assert sha(store) == before


def test_undo_skips_a_write_that_never_happened(store: Path) -> None:
    """A writer killed after recording but before replacing leaves an entry whose 'before'
    hash is the file's: undo drops it and reverts the write before it."""
    original = store.read_bytes()
    assert invoke("--store", str(store), "add", "2025", "A", "-c", "china").code == 0
    after_a = store.read_bytes()
    assert invoke("--store", str(store), "add", "2025", "B", "-c", "china").code == 0
    store.write_bytes(after_a)  # as if B's rename never happened
    ran = invoke("--store", str(store), "undo")
    assert ran.code == 0, ran.err
    assert "undid add 2025-a" in ran.err
    assert store.read_bytes() == original


def test_damaged_history_is_refused(store: Path) -> None:
    assert invoke("--store", str(store), "edit", FIRST, "--place", "X").code == 0
    folder = history.history_dir(store.resolve())
    (blob,) = folder.glob("*.bin")
    blob.write_bytes(b"garbage")
    before = sha(store)
    assert_one_line_error(invoke("--store", str(store), "undo"), 5, "damaged")
    assert sha(store) == before


def test_undo_through_a_symlink(store: Path, tmp_path: Path) -> None:
    link = tmp_path / "link.toml"
    link.symlink_to(store)
    before = store.read_bytes()
    assert invoke("--store", str(link), "add", "2025", "A", "-c", "china").code == 0
    assert link.is_symlink() and store.read_bytes() != before
    assert invoke("--store", str(store), "undo").code == 0  # same history either way
    assert store.read_bytes() == before and link.is_symlink()


def test_two_stores_of_one_name_keep_apart_histories(store: Path, tmp_path: Path) -> None:
    other = tmp_path / "other" / "events.toml"
    other.parent.mkdir()
    other.write_bytes(store.read_bytes())
    assert invoke("--store", str(store), "add", "2025", "A", "-c", "china").code == 0
    assert history.history_dir(store.resolve()) != history.history_dir(other.resolve())
    assert_one_line_error(invoke("--store", str(other), "undo"), 5, "nothing to undo")
    assert invoke("--store", str(store), "undo").code == 0
