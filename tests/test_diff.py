"""`dtimeline diff OLD NEW` on store files (in process): events and declarations added,
removed and changed, field by field; exit 0 same, 1 different, 2 on any error."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import assert_one_line_error, invoke

FIRST = "1992-01-03-china-kazakhstan-relations"


def changed_copy(store: Path, tmp_path: Path) -> Path:
    new = tmp_path / "new.toml"
    new.write_bytes(store.read_bytes())
    assert invoke("--store", str(new), "edit", FIRST, "--place", "Alma-Ata", "--tag", "x").code == 0
    assert invoke("--store", str(new), "remove", "1992-01-04-china-tajikistan-relations").code == 0
    text = new.read_text("utf-8").replace('name = "Tajikistan"', 'name = "Tojikiston"', 1)
    new.write_text(text + '\n[kinds]\nforum = "a forum"\n', "utf-8")
    return new


def test_the_same_store_is_exit_0_and_says_nothing(store: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.toml"
    copy.write_text("# a comment changes nothing\n" + store.read_text("utf-8"), "utf-8")
    ran = invoke("diff", str(store), str(copy))
    assert (ran.code, ran.out) == (0, "")
    assert invoke("diff", str(store), str(copy), "--format", "json").out == "[]\n"


def test_changes_field_by_field(store: Path, tmp_path: Path) -> None:
    new = changed_copy(store, tmp_path)
    ran = invoke("diff", str(store), str(new))
    assert ran.code == 1, ran.err
    assert ran.out.splitlines() == [
        "~ country tajikistan: Tojikiston",
        '    name: "Tajikistan" -> "Tojikiston"',
        "+ kind forum",
        f"~ event {FIRST}: China and Kazakhstan establish diplomatic relations",
        '    place: "Almaty" -> "Alma-Ata"',
        '    tags: ["diplomatic-relations"] -> ["x"]',
        "- event 1992-01-04-china-tajikistan-relations:"
        " China and Tajikistan establish diplomatic relations",
    ]
    records = json.loads(invoke("diff", str(store), str(new), "--format", "json").out)
    assert [(r["what"], r["id"], r["change"]) for r in records] == [
        ("country", "tajikistan", "changed"),
        ("kind", "forum", "added"),
        ("event", FIRST, "changed"),
        ("event", "1992-01-04-china-tajikistan-relations", "removed"),
    ]
    assert records[2]["fields"]["tags"] == {"old": ["diplomatic-relations"], "new": ["x"]}
    back = invoke("diff", str(new), str(store))
    assert "+ event 1992-01-04-china-tajikistan-relations:" in back.out
    assert '    place: "Alma-Ata" -> "Almaty"' in back.out


def test_a_field_set_or_cleared_shows_none(store: Path, tmp_path: Path) -> None:
    new = tmp_path / "new.toml"
    new.write_bytes(store.read_bytes())
    assert invoke("--store", str(new), "edit", FIRST, "--clear", "place").code == 0
    ran = invoke("diff", str(store), str(new))
    assert '    place: "Almaty" -> (none)' in ran.out.splitlines()


def test_errors_are_exit_2(store: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("schema = 1\n[[events]]\nid = 3\n", "utf-8")
    assert_one_line_error(invoke("diff", str(store), str(bad)), 2, "bad.toml")
    # no such file and no git repository here
    assert_one_line_error(invoke("--store", str(store), "diff", "nope.toml"), 2, "nope.toml")
