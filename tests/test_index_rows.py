"""The rows of the SQLite tables (store/rows.py) as a user reads them in an exported
database (docs/sqlite.md): cases found by mutation testing (docs/mutation.md)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from conftest import invoke

STORE = """schema = 1

[countries.china]
name = "China"
native = "中国"
aliases = ["prc", "中华"]

[countries.kazakhstan]
name = "Kazakhstan"
native = "Қазақстан"
aliases = ["qazaqstan", "Қазақ елі"]

[countries.tajikistan]
name = "Tajikistan"

[actors.xi-jinping]
name = "Xi Jinping"
native = "习近平"
country = "china"
role = "President of China"
aliases = ["xi", "习主席"]

[[events]]
id = "2023-05-17-two"
date = "2023-05-17"
kind = "talks"
title = "Two countries"
countries = ["kazakhstan", "china"]

[[events]]
id = "2023-05-18-one"
date = "2023-05-18"
kind = "talks"
title = "One country"
countries = ["china"]

[[events]]
id = "2023-05-19-three"
date = "2023-05-19/2023-05-21"
kind = "summit"
title = "Three countries"
countries = ["china", "kazakhstan", "tajikistan"]
"""


def exported(tmp_path: Path) -> sqlite3.Connection:
    store = tmp_path / "events.toml"
    store.write_text(STORE, "utf-8")
    db = tmp_path / "out.db"
    ran = invoke("--store", str(store), "export", "--format", "sqlite", "-o", str(db))
    assert (ran.code, ran.out) == (0, ""), ran.err
    return sqlite3.connect(db)


def test_names_and_aliases_are_stored_as_written(tmp_path: Path) -> None:
    """Text is UTF-8 as written, in the JSON arrays too (no ``\\u`` escapes), so SQL can
    match a native alias."""
    conn = exported(tmp_path)
    countries = "SELECT slug, pos, name, native, aliases FROM countries ORDER BY pos"
    assert conn.execute(countries).fetchall() == [
        ("china", 0, "China", "中国", '["prc","中华"]'),
        ("kazakhstan", 1, "Kazakhstan", "Қазақстан", '["qazaqstan","Қазақ елі"]'),
        ("tajikistan", 2, "Tajikistan", "", "[]"),
    ]
    assert conn.execute("SELECT slug, native, country, role, aliases FROM actors").fetchall() == [
        ("xi-jinping", "习近平", "china", "President of China", '["xi","习主席"]'),
    ]
    found = conn.execute("SELECT slug FROM countries WHERE aliases LIKE '%Қазақ елі%'")
    assert found.fetchall() == [("kazakhstan",)]
    conn.close()


def test_the_pair_is_the_two_countries_of_an_event_of_exactly_two(tmp_path: Path) -> None:
    conn = exported(tmp_path)
    assert conn.execute("SELECT id, countries, pair FROM events ORDER BY seq").fetchall() == [
        ("2023-05-17-two", '["kazakhstan","china"]', "china kazakhstan"),
        ("2023-05-18-one", '["china"]', ""),
        ("2023-05-19-three", '["china","kazakhstan","tajikistan"]', ""),
    ]
    conn.close()


def test_the_meta_table_names_the_documented_format(tmp_path: Path) -> None:
    """docs/sqlite.md: ``format`` 4, ``max_span`` the most days an event's date spans,
    ``schema`` the store's; nothing that ties it to a store file."""
    conn = exported(tmp_path)
    assert sorted(conn.execute("SELECT name, value FROM meta").fetchall()) == [
        ("format", 4), ("max_span", 2), ("schema", 1),
    ]  # fmt: skip
    conn.close()
