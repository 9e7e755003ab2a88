"""The undo history (store/history.py) as a user meets it through `history`, `undo` and
`redo`, on a small store made for each test: the bound of 20 writes the README states,
and what each listing says."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import assert_one_line_error, invoke

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
