"""`query`'s text formats read their events through the index as they are written
(store/streams.py: Selected): on a small store made for the test, the exact ids a limit,
a descending sort and a search matched after the SQL give."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run

HEAD = """schema = 1

[countries.china]
name = "China"

[countries.kazakhstan]
name = "Kazakhstan"

[countries.tajikistan]
name = "Tajikistan"
"""
EVENTS = [
    ("a", "2020-01-10", "Xi meets Tokayev", "kazakhstan"),
    ("b", "2021-02-10", "Border talks", "kazakhstan"),
    ("c", "2022-03-10", "Xi in Dushanbe", "tajikistan"),
    ("d", "2023-04-10", "Trade fair", "tajikistan"),
    ("e", "2024-05-10", "Xi and Rahmon", "tajikistan"),
]


@pytest.fixture
def small(tmp_path: Path) -> Path:
    path = tmp_path / "s.toml"
    path.write_text(
        HEAD
        + "".join(
            f'\n[[events]]\nid = "{eid}"\ndate = "{day}"\nkind = "talks"\ntitle = "{title}"\n'
            f'countries = ["china", "{other}"]\n\n[[events.sources]]\npublisher = "Test"\n'
            for eid, day, title, other in EVENTS
        ),
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    ("args", "ids"),
    [
        (("--limit", "2"), "a b"),
        (("--sort", "-date", "--limit", "3"), "e d c"),
        (("--sort", "-date",), "e d c b a"),
        (("--search", "xi"), "a c e"),  # two letters: matched after the SQL
        (("--search", "xi", "--limit", "2"), "a c"),
        (("--search", "xi", "--sort", "-date", "--limit", "2"), "e c"),
        (("-c", "tajikistan", "--limit", "2"), "c d"),
    ],
)  # fmt: skip
def test_query_ids_limit_sort_and_search(small: Path, args: tuple[str, ...], ids: str) -> None:
    ran = run("--store", str(small), "query", "--format", "ids", *args)
    assert (ran.code, ran.out.split()) == (0, ids.split()), ran.err
