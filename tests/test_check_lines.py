"""`check` names the line of the offending key: inside [[events.sources]] tables too, and
with CRLF line ends as with LF."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import invoke

from dtimeline.store import check_store

STORE = """schema = 1

[countries.china]
name = "China"

[[events]]
id = "e1"
date = "2023-05-17"
kind = "talks"
title = "Talks"
countries = ["china"]

[[events.sources]]
publisher = "Somebody"
date = "2023-02-30"

[[events.sources]]
title = "no publisher here"
url = "https://example.org/"
colour = "red"

[[events]]
id = "e2"
date = "2023"
kind = "dance"
title = "Other"
countries = ["narnia"]
"""


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["LF", "CRLF"])
def test_each_problem_at_its_key(tmp_path: Path, newline: str) -> None:
    path = tmp_path / "s.toml"
    path.write_bytes(STORE.replace("\n", newline).encode())
    problems = check_store(path)
    second_source = STORE.index("[[events.sources]]", STORE.index("Somebody"))
    expected = {
        "bad date '2023-02-30'": line_of(STORE, 'date = "2023-02-30"'),
        "unknown key 'colour'": line_of(STORE, "colour"),
        "source 2 has no publisher": STORE[:second_source].count("\n") + 1,
        "unknown kind 'dance'": line_of(STORE, 'kind = "dance"'),
        "unknown country 'narnia'": line_of(STORE, '["narnia"]'),
    }
    for needle, line in expected.items():
        (problem,) = [p for p in problems if needle in p.message]
        assert problem.line == line, (needle, problem)
    ran = invoke("--store", str(path), "check")
    assert ran.code != 0
    assert f"{path}:{line_of(STORE, 'colour')}: " in ran.out + ran.err
