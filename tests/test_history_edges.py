"""The undo history (store/history.py) as a user meets it through `history`, `undo` and
`redo`, on a small store made for each test: the bound of 20 writes the README states,
and what each listing says."""

from __future__ import annotations

import json
import shutil
import stat
from pathlib import Path

from conftest import assert_one_line_error, invoke, sha

from dtimeline.store import history, load_store

STORE = 'schema = 1\n\n[countries.china]\nname = "China"\n'


def ok(path: Path, *args: str) -> str:
    ran = invoke("--store", str(path), *args)
    assert ran.code == 0, (args, ran.err)
    return ran.out


def listed(path: Path) -> list[dict[str, object]]:
    found: list[dict[str, object]] = json.loads(ok(path, "history", "--format", "json"))
    return found


def test_the_last_20_writes_are_kept_and_undone_no_more(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text(STORE, encoding="utf-8")
    states = [path.read_bytes()]
    ids = []
    for n in range(21):
        ids.append(ok(path, "add", f"2025-01-{n + 1:02d}", f"E{n}", "-c", "china").strip())
        states.append(path.read_bytes())
    found = listed(path)
    assert [r["ids"] for r in found] == [[i] for i in reversed(ids[1:])]  # 20, newest first
    for n in range(20):
        ran = invoke("--store", str(path), "undo")
        assert ran.code == 0, ran.err
        assert ran.err.startswith(f"dtimeline: undid add {ids[20 - n]} (made ")
        assert path.read_bytes() == states[20 - n]
    assert_one_line_error(invoke("--store", str(path), "undo"), 5, "nothing to undo")
    assert path.read_bytes() == states[1]
    assert [r["undone"] for r in listed(path)] == [True] * 20


def test_writes_that_declare_a_country_list_the_ids_they_touched(tmp_path: Path) -> None:
    """`add` and `edit` naming a country the store does not declare yet (declared in the
    same write, store/declare.py), and an `import` that does: `history` names their ids."""
    path = tmp_path / "s.toml"
    path.write_text("schema = 1\n", encoding="utf-8")
    added = ok(path, "add", "2025-01-01", "One", "-c", "china").strip()
    ok(path, "edit", added, "-c", "china", "-c", "kazakhstan")
    record = {"date": "2025-02-01", "title": "Two", "kind": "other", "countries": ["tajikistan"]}
    ran = invoke("--store", str(path), "import", "-", input=json.dumps(record))
    assert ran.code == 0, ran.err
    imported = [ev.id for ev in load_store(path).events if ev.title == "Two"]
    assert [(r["command"], r["ids"]) for r in listed(path)] == [
        ("import", imported),
        ("edit", [added]),
        ("add", [added]),
    ]


def two_adds(tmp_path: Path) -> tuple[Path, Path, list[str]]:
    path = tmp_path / "s.toml"
    path.write_text(STORE, encoding="utf-8")
    ids = [ok(path, "add", f"2025-01-0{n}", f"E{n}", "-c", "china").strip() for n in (1, 2)]
    return path, history.history_dir(path.resolve()), ids


def test_the_history_folder_is_private(tmp_path: Path) -> None:
    """It holds the store's old bytes: only its owner may read it."""
    path, folder, _ = two_adds(tmp_path)
    ok(path, "undo")
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / "redo").stat().st_mode) == 0o700


def test_a_damaged_entry_is_skipped_never_trusted(tmp_path: Path) -> None:
    path, folder, ids = two_adds(tmp_path)
    (folder / "000002.json").write_text("{not json", encoding="utf-8")
    assert [r["ids"] for r in listed(path)] == [[ids[0]]]
    before = sha(path)
    assert_one_line_error(invoke("--store", str(path), "undo"), 5, "changed by hand")
    assert sha(path) == before


def test_a_write_whose_history_cannot_be_kept_is_not_made(tmp_path: Path) -> None:
    path, folder, _ = two_adds(tmp_path)
    shutil.rmtree(folder)
    folder.write_text("in the way", encoding="utf-8")
    before = sha(path)
    ran = invoke("--store", str(path), "add", "2025-01-03", "E3", "-c", "china")
    assert (ran.code, ran.out) == (6, "")
    assert ran.err == f"dtimeline: {folder}: cannot keep undo history: File exists\n"
    assert sha(path) == before


def test_an_undo_whose_redo_cannot_be_kept_stands(tmp_path: Path) -> None:
    path, folder, ids = two_adds(tmp_path)
    after_one = path.read_bytes()
    (folder / "redo").write_text("in the way", encoding="utf-8")
    ok(path, "undo")
    assert path.read_bytes() != after_one
    assert [r["ids"] for r in listed(path)] == [[ids[0]]]
    assert_one_line_error(invoke("--store", str(path), "redo"), 5, "nothing to redo")


def test_a_damaged_redo_is_refused(tmp_path: Path) -> None:
    path, folder, ids = two_adds(tmp_path)
    ok(path, "undo")
    (blob,) = (folder / "redo").glob("*.bin")
    for damage in ("garbage", None):
        if damage is None:
            blob.unlink()
        else:
            blob.write_text(damage, encoding="utf-8")
        before = sha(path)
        ran = invoke("--store", str(path), "redo")
        assert (ran.code, ran.out) == (5, "")
        assert ran.err == (
            f"dtimeline: {path.resolve()}: the redo history for 'add {ids[1]}' is damaged;"
            " redo refused\n"
        )
        assert sha(path) == before


def test_a_dry_run_keeps_the_entry_of_a_write_that_never_happened(tmp_path: Path) -> None:
    path, _, ids = two_adds(tmp_path)
    ok(path, "undo")
    after_one = path.read_bytes()
    ok(path, "redo")
    path.write_bytes(after_one)  # as if the second write's rename never happened
    ran = invoke("--store", str(path), "undo", "--dry-run")
    assert (ran.code, path.read_bytes()) == (0, after_one)
    assert f"would undo add {ids[0]}" in ran.err
    assert [r["ids"] for r in listed(path)] == [[ids[1]], [ids[0]]]  # kept
    ok(path, "undo")
    assert [(r["ids"], r["undone"]) for r in listed(path)] == [([ids[0]], True)]  # B dropped


def test_forget_named_forgets_one_entry_by_its_file_name_only(tmp_path: Path) -> None:
    """What an append cut back after its writer died (store/inplace.py) forgets."""
    path, folder, ids = two_adds(tmp_path)
    target = path.resolve()
    for name in ("", "000001", "../history/000001.json", "000001.bin"):
        history.forget_named(target, name)
    assert sorted(p.name for p in folder.iterdir()) == [
        "000001.bin", "000001.json", "000002.bin", "000002.json"
    ]  # fmt: skip
    history.forget_named(target, "000002.json")
    history.forget_named(target, "000009.json")  # none: nothing happens
    assert sorted(p.name for p in folder.iterdir()) == ["000001.bin", "000001.json"]
    assert [r["ids"] for r in listed(path)] == [[ids[0]]]


def test_a_damaged_older_entry_leaves_the_newer_ones_usable(tmp_path: Path) -> None:
    path, folder, ids = two_adds(tmp_path)
    after_two = path.read_bytes()
    ok(path, "add", "2025-01-03", "E3", "-c", "china")
    (folder / "000001.json").write_text('{"start": "x"}', encoding="utf-8")
    assert [r["ids"] for r in listed(path)][1:] == [[ids[1]]]
    ok(path, "undo")
    assert path.read_bytes() == after_two
    ok(path, "undo")
    assert_one_line_error(invoke("--store", str(path), "undo"), 5, "nothing to undo")


def test_an_undo_whose_old_bytes_are_lost_is_refused(tmp_path: Path) -> None:
    path, folder, ids = two_adds(tmp_path)
    (folder / "000002.bin").unlink()
    before = sha(path)
    ran = invoke("--store", str(path), "undo")
    assert (ran.code, ran.out) == (5, "")
    assert ran.err == (
        f"dtimeline: {path.resolve()}: the undo history for 'add {ids[1]}' is damaged;"
        " undo refused\n"
    )
    assert sha(path) == before
