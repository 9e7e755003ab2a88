"""history, undo --dry-run, remove --dry-run and redo, through the installed program."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import assert_one_line_error, run, sha


def dt(store: Path, *args: str) -> tuple[int, str, str]:
    ran = run(*args, env={"DTIMELINE_STORE": str(store)})
    return ran.code, ran.out, ran.err


def add(store: Path, day: str, title: str) -> str:
    code, out, err = dt(store, "add", day, title, "-c", "cn", "-c", "kz")
    assert code == 0, err
    return out.strip()


def records(store: Path) -> list[dict[str, object]]:
    code, out, _ = dt(store, "history", "--format", "json")
    assert code == 0
    data: list[dict[str, object]] = json.loads(out)
    return data


def test_history_lists_writes_newest_first(store: Path) -> None:
    assert records(store) == []
    code, out, err = dt(store, "history")
    assert (code, out) == (0, "") and "no writes recorded" in err
    one = add(store, "2031-01-01", "One")
    two = add(store, "2031-01-02", "Two")
    assert dt(store, "edit", one, "--place", "Almaty")[0] == 0
    assert dt(store, "remove", one, two)[0] == 0
    found = records(store)
    assert [r["command"] for r in found] == ["remove", "edit", "add", "add"]
    assert [r["ids"] for r in found] == [[one, two], [one], [two], [one]]
    assert all(str(r["when"]).endswith("Z") and r["undone"] is False for r in found)
    code, out, _ = dt(store, "history")
    lines = out.splitlines()
    assert lines[0].split("\t")[1:] == ["remove", f"{one},{two}", "done"]
    assert len(lines) == 4


def test_undo_dry_run_says_what_and_changes_nothing(store: Path) -> None:
    new = add(store, "2031-01-01", "One")
    before = sha(store)
    code, out, err = dt(store, "undo", "--dry-run")
    assert code == 0 and out == ""
    assert f"would undo add {new}" in err and "nothing changed" in err
    assert sha(store) == before
    assert len(records(store)) == 1


def test_undo_dry_run_refuses_as_undo_would(store: Path) -> None:
    before = sha(store)
    assert_one_line_error(run("undo", "--dry-run", env={"DTIMELINE_STORE": str(store)}), 5,
                          "nothing to undo")  # fmt: skip
    assert sha(store) == before


def test_remove_dry_run_lists_ids_and_removes_nothing(store: Path) -> None:
    one = add(store, "2031-01-01", "One")
    two = add(store, "2031-01-02", "Two")
    before = sha(store)
    code, out, err = dt(store, "remove", two, one, two, "--dry-run")
    assert code == 0
    assert out.split() == [one, two]  # file order, once each
    assert "would remove 2 events" in err
    assert sha(store) == before
    ran = run("remove", one, "nope", "--dry-run", env={"DTIMELINE_STORE": str(store)})
    assert_one_line_error(ran, 3, "nope")


def test_redo_applies_again_what_undo_took_back(store: Path) -> None:
    original = sha(store)
    one = add(store, "2031-01-01", "One")
    after_add = sha(store)
    assert dt(store, "edit", one, "--place", "Almaty")[0] == 0
    after_edit = sha(store)
    assert dt(store, "undo")[0] == 0
    assert dt(store, "undo")[0] == 0
    assert sha(store) == original
    assert [r["undone"] for r in records(store)] == [True, True]
    code, _, err = dt(store, "redo")
    assert code == 0 and f"redid add {one}" in err
    assert sha(store) == after_add
    assert dt(store, "redo")[0] == 0
    assert sha(store) == after_edit
    assert_one_line_error(run("redo", env={"DTIMELINE_STORE": str(store)}), 5, "nothing to redo")
    assert dt(store, "undo")[0] == 0  # a redone write is an undo step again
    assert sha(store) == after_add


def test_a_new_write_ends_redo(store: Path) -> None:
    add(store, "2031-01-01", "One")
    assert dt(store, "undo")[0] == 0
    add(store, "2031-01-02", "Two")
    before = sha(store)
    assert_one_line_error(run("redo", env={"DTIMELINE_STORE": str(store)}), 5, "nothing to redo")
    assert sha(store) == before


def test_redo_refused_after_a_hand_edit(store: Path) -> None:
    add(store, "2031-01-01", "One")
    assert dt(store, "undo")[0] == 0
    with store.open("a", encoding="utf-8") as fh:
        fh.write("\n# a note by hand\n")
    before = sha(store)
    assert_one_line_error(run("redo", env={"DTIMELINE_STORE": str(store)}), 5, "changed")
    assert sha(store) == before
