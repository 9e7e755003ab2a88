"""The domain classes as a user meets them (found by mutation testing, docs/mutation.md):
a source's one-line citation in an export, a visit's visitor."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from conftest import invoke

STORE = """schema = 1

[countries.china]
name = "China"

[[events]]
id = "a"
date = "2023-05-17"
kind = "talks"
title = "Talks"
countries = ["china"]

[[events.sources]]
publisher = "Xinhua"
title = "Talks held"
date = "2023-05-17"
url = "https://example.org/a"

[[events.sources]]
publisher = "MFA"
date = "2023-05"
"""


def test_a_source_is_cited_as_publisher_title_date(tmp_path: Path) -> None:
    path = tmp_path / "events.toml"
    path.write_text(STORE, "utf-8")
    ran = invoke("--store", str(path), "export", "--format", "markwhen")
    assert ran.code == 0, ran.err
    cited = [line for line in ran.out.splitlines() if line.startswith("> Source: ")]
    assert cited == [
        "> Source: Xinhua, Talks held, 2023-05-17 <https://example.org/a>",
        "> Source: MFA, 2023-05",
    ]


VISITS = """schema = 1

[countries.china]
name = "China"

[countries.kazakhstan]
name = "Kazakhstan"

[actors.xi]
name = "Xi Jinping"
country = "china"

[actors.tokayev]
name = "Kassym-Jomart Tokayev"
country = "kazakhstan"

[[events]]
id = "v1"
date = "2019-09-11"
kind = "state-visit"
title = "Tokayev in Beijing"
countries = ["china", "kazakhstan"]
actors = ["tokayev", "xi"]
host = "china"

[[events]]
id = "t1"
date = "2020-01-02"
kind = "talks"
title = "Talks in Astana"
countries = ["china", "kazakhstan"]
actors = ["xi", "tokayev"]
host = "kazakhstan"
"""


def test_the_visitor_is_the_first_actor_of_a_visit_only(tmp_path: Path) -> None:
    """The state visit's first actor is its visitor (the host's leader is listed after);
    talks with a host are no visit, whoever is listed first."""
    path = tmp_path / "events.toml"
    path.write_text(VISITS, "utf-8")
    ran = invoke("--store", str(path), "stats")
    assert ran.code == 0, ran.err
    lines = ran.out.splitlines()
    start = lines.index("Visits (all, state)")
    assert lines[start + 1 : start + 3] == [
        "  Kassym-Jomart Tokayev to China: 1 visit, 1 state visit; last 11 Sep 2019",
        "Leaders' meetings per year (as recorded)",
    ]
    shown = invoke("--store", str(path), "show", "t1")
    assert shown.code == 0, shown.err
    assert shown.out.splitlines()[:2] == ["t1", "Talks in Astana"]
    assert not any(line.startswith("visit ") for line in shown.out.splitlines())


def test_the_sqlite_export_names_a_visitor_for_visits_only(tmp_path: Path) -> None:
    """docs/sqlite.md: ``visitor`` is the first actor of a visit, else ''."""
    path = tmp_path / "events.toml"
    path.write_text(VISITS, "utf-8")
    db = tmp_path / "out.sqlite"
    ran = invoke("--store", str(path), "export", "--format", "sqlite", "-o", str(db))
    assert ran.code == 0, ran.err
    conn = sqlite3.connect(db)
    try:
        found = conn.execute("SELECT id, visitor, host FROM events ORDER BY id").fetchall()
    finally:
        conn.close()
    assert found == [("t1", "", "kazakhstan"), ("v1", "tokayev", "china")]


def test_init_writes_schema_1_and_a_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "events.toml"
    assert invoke("--store", str(path), "init").code == 0
    assert path.read_bytes() == (
        b"# A dtimeline event store: dated, sourced events between countries (TOML).\n"
        b"# Add events with `dtimeline add`; `dtimeline check` validates the file.\n"
        b"schema = 1\n"
    )
    newer = tmp_path / "newer.toml"
    newer.write_bytes(b"schema = 2\n")
    ran = invoke("--store", str(newer), "query")
    assert (ran.code, ran.out) == (4, "")
    assert ran.err == (
        f"dtimeline: {newer}: schema 2 is newer than this dtimeline understands (1)"
        " (upgrade dtimeline)\n"
    )


def test_a_kind_the_store_declares_is_listed_and_found(tmp_path: Path) -> None:
    path = tmp_path / "events.toml"
    path.write_text(
        'schema = 1\n\n[kinds]\nforum = "A multilateral forum"\n\n'
        '[countries.china]\nname = "China"\n\n[[events]]\nid = "f1"\ndate = "2024-07-03"\n'
        'kind = "forum"\ntitle = "SCO forum"\ncountries = ["china"]\n',
        "utf-8",
    )
    kinds = invoke("--store", str(path), "kinds", "--format", "json")
    assert kinds.code == 0, kinds.err
    assert json.loads(kinds.out) == [
        {"kind": "forum", "description": "A multilateral forum", "events": 1}
    ]
    found = invoke("--store", str(path), "query", "--kind", "forum", "--format", "plain")
    assert (found.code, found.err) == (0, "")
    assert found.out == "2024-07-03\tf1\tforum\tSCO forum\tchina\t\theld\n"


def test_equal_countries_and_actors_are_one_key() -> None:
    """Like every domain value (dtimeline/frozen.py), a country and an actor are hashable:
    equal ones are one set member or dict key, different ones two."""
    from dtimeline.model import Actor, Country

    kz = Country("kazakhstan", "Kazakhstan", iso="KZ", aliases=("Qazaqstan",))
    same = Country("kazakhstan", "Kazakhstan", iso="KZ", aliases=("Qazaqstan",))
    assert len({kz, same}) == 1 and {kz: "found"}[same] == "found"
    assert len({kz, Country("kazakhstan", "Kazakhstan", iso="KAZ")}) == 2
    xi = Actor("xi", "Xi Jinping", country="china")
    assert len({xi, Actor("xi", "Xi Jinping", country="china")}) == 1
    assert len({xi, Actor("xi", "Xi Jinping", country="china", role="President")}) == 2
