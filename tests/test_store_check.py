"""The loader and `check`: every problem at once, as FILE:LINE: message."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import assert_one_line_error, invoke, run, sha

from dtimeline.errors import StoreError
from dtimeline.store import check_store, load_store

HEADER = """schema = 1

[countries.china]
name = "China"
iso = "CN"

[countries.kazakhstan]
name = "Kazakhstan"
iso = "KZ"
iso3 = "KAZ"
aliases = ["qazaqstan"]

[actors.xi-jinping]
name = "Xi Jinping"
country = "china"
"""

GOOD_EVENT = """
[[events]]
id = "e1"
date = "2023-05-17"
kind = "talks"
title = "Talks"
countries = ["china", "kazakhstan"]
actors = ["xi-jinping"]

[[events.sources]]
publisher = "Somebody"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "s.toml"
    path.write_text(text, encoding="utf-8")
    return path


def lines_of(path: Path) -> list[str]:
    return [f"{p.line}: {p.message}" for p in check_store(path)]


def test_clean_store_loads(tmp_path: Path) -> None:
    store = load_store(write(tmp_path, HEADER + GOOD_EVENT))
    assert [e.id for e in store.events] == ["e1"]
    assert store.countries["kazakhstan"].iso3 == "KAZ"
    assert check_store(tmp_path / "s.toml") == []


def test_every_problem_reported_with_its_line(tmp_path: Path) -> None:
    text = (
        HEADER
        + GOOD_EVENT
        + """
[[events]]
id = "e1"
date = "2023-02-30"
kind = "dance"
title = "  "
countries = ["narnia"]
actors = ["nobody"]
colour = "red"

[[events]]
id = "e3"
date = "2024-07-06/2024-07-02"
kind = "state-visit"
title = "Visit"
countries = ["china"]
status = "maybe"
"""
    )
    path = write(tmp_path, text)
    found = "\n".join(lines_of(path))
    start = HEADER.count("\n") + GOOD_EVENT.count("\n") + 2  # line of the 2nd [[events]]
    assert f"{start + 1}: duplicate id 'e1'" in found
    assert f"{start + 2}: event 'e1': bad date '2023-02-30'" in found
    assert f"{start + 3}: event 'e1': unknown kind 'dance'" in found
    assert f"{start + 4}: event 'e1': the title is empty" in found
    assert "unknown country 'narnia'" in found
    assert "unknown actor 'nobody'" in found
    assert "unknown key 'colour'" in found
    assert "ends before it starts" in found
    assert "needs a host country" in found
    assert "unknown status 'maybe'" in found
    # the strict one: e1 (2nd) and e3 cite no source
    assert sum("cites no source" in line for line in found.splitlines()) == 2


def test_toml_syntax_error_has_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + '\n[[events]]\nid = "x\nkind = 1\n')
    problems = check_store(path)
    assert len(problems) == 1
    assert problems[0].line == HEADER.count("\n") + 3
    assert "TOML syntax error" in problems[0].message
    with pytest.raises(StoreError, match=rf"{path}:{problems[0].line}:\d+: TOML syntax error"):
        load_store(path)


def test_newer_schema_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="newer than this dtimeline"):
        load_store(write(tmp_path, "schema = 99\n"))


def test_wrong_types(tmp_path: Path) -> None:
    bad = GOOD_EVENT.replace('countries = ["china", "kazakhstan"]', "countries = 5")
    found = "\n".join(lines_of(write(tmp_path, HEADER + bad)))
    assert "'countries' must be a list of strings" in found


def test_not_utf8_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_bytes(b"schema = 1\n# \xff\xfe\n")
    with pytest.raises(StoreError, match=rf"{path}:2: not UTF-8"):
        load_store(path)


def test_bom_is_tolerated(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_bytes(b"\xef\xbb\xbf" + (HEADER + GOOD_EVENT).encode())
    assert len(load_store(path).events) == 1


def test_event_without_sources_loads_but_fails_strict(tmp_path: Path) -> None:
    text = HEADER + GOOD_EVENT.split("[[events.sources]]", maxsplit=1)[0]
    path = write(tmp_path, text)
    assert len(load_store(path).events) == 1
    ran = invoke("--store", str(path), "check")
    assert ran.code == 0
    ran = invoke("--store", str(path), "check", "--strict")
    assert ran.code == 1
    assert f"{path}:" in ran.out and "cites no source" in ran.out


def test_check_cli_reports_all_and_exits_1(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + GOOD_EVENT + GOOD_EVENT.replace("2023-05-17", "2023-13"))
    before = sha(path)
    ran = run("--store", str(path), "check")
    assert ran.code == 1
    out = ran.out.splitlines()
    assert len(out) == 2
    assert all(line.startswith(f"{path}:") for line in out)
    assert "1 problem" not in ran.err and "2 problems" in ran.err
    assert sha(path) == before


def test_check_clean_exit_0(bundled: Path) -> None:
    ran = run("--store", str(bundled), "check", "--strict")
    assert ran.code == 0, ran.err
    assert ran.out == ""
    assert "ok" in ran.err


@pytest.mark.parametrize(
    ("setup", "needle"),
    [
        ("missing", "no such store file"),
        ("dir", "is a folder"),
        ("notoml", "TOML syntax error"),
        ("latin1", "not UTF-8"),
    ],
)
def test_unreadable_store_one_line(tmp_path: Path, setup: str, needle: str) -> None:
    path = tmp_path / "s.toml"
    if setup == "dir":
        path.mkdir()
    elif setup == "notoml":
        path.write_text("this is not toml\n")
    elif setup == "latin1":
        path.write_bytes("title = 'Qazaqstan é'\n".encode("latin-1"))
    ran = run("--store", str(path), "countries")
    assert_one_line_error(ran, 4, needle, str(path))
