"""`query`'s text formats read their events through the index as they are written
(store/streams.py: Selected): on a small store made for the test, the exact ids a limit,
a descending sort and a search matched after the SQL give."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from conftest import run

from dtimeline import query
from dtimeline.store import index, load_store
from dtimeline.store.streams import Selected, pair_figures

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


def test_the_selected_events_are_a_sequence(small: Path) -> None:
    """Selected as the renderers use it: a sequence read again from the index each time
    (length, truth, items from either end, slices, IndexError past either end)."""
    store = load_store(small)
    idx = index.build(None, store, "-")
    flt = query.Filter(as_of=date(2026, 11, 27))
    every = Selected(idx, flt)
    assert [ev.id for ev in every] == ["a", "b", "c", "d", "e"]
    assert (len(every), bool(every)) == (5, True)
    assert [every[i].id for i in (0, 4, -1, -5)] == ["a", "e", "e", "a"]
    assert [ev.id for ev in every[1:3]] == ["b", "c"]
    assert [ev.id for ev in every[::-2]] == ["e", "c", "a"]
    for outside in (5, -6):
        with pytest.raises(IndexError):
            every[outside]
    last_two = Selected(idx, flt, descending=True, limit=2)
    assert ([ev.id for ev in last_two], len(last_two), last_two[-1].id) == (["e", "d"], 2, "d")
    searched = Selected(idx, query.Filter(as_of=date(2026, 11, 27), search=("xi",)), limit=2)
    assert ([ev.id for ev in searched], len(searched)) == (["a", "c"], 2)
    none = Selected(idx, query.Filter(as_of=date(2026, 11, 27), since=date(2030, 1, 1)))
    assert (list(none), len(none), bool(none)) == ([], 0, False)


def test_stats_knows_a_series_held_in_part_from_a_visit_not_naming_both(tmp_path: Path) -> None:
    """`stats` reads one relationship at a time; the visit that marks Xi's visits to
    Kazakhstan as held in part names Kazakhstan only, yet it counts for the pair."""
    path = tmp_path / "s.toml"
    path.write_text(
        'schema = 1\n\n[countries.china]\nname = "China"\n\n[countries.kazakhstan]\n'
        'name = "Kazakhstan"\n\n[actors.xi]\nname = "Xi"\ncountry = "china"\n'
        + "".join(
            f'\n[[events]]\nid = "{eid}"\ndate = "{day}"\nkind = "{kind}"\ntitle = "{eid}"\n'
            f'countries = {countries}\nactors = ["xi"]\nhost = "kazakhstan"\n{tags}'
            '\n[[events.sources]]\npublisher = "Test"\n'
            for eid, day, kind, countries, tags in [
                (
                    "v0",
                    "2010-01-01",
                    "visit",
                    '["kazakhstan"]',
                    'tags = ["visits-not-all-recorded"]\n',
                ),
                ("v1", "2013-09-07", "state-visit", '["china", "kazakhstan"]', ""),
            ]
        ),
        encoding="utf-8",
    )
    ran = run("--store", str(path), "stats", "--format", "json")
    assert ran.code == 0, ran.err
    (pair,) = json.loads(ran.out)
    assert pair["visits"] == [
        {"visitor": "xi", "host": "kazakhstan", "visits": 1, "state_visits": 1,
         "last": "2013-09-07", "upcoming": 0, "complete": False}
    ]  # fmt: skip


def test_stats_counts_every_event_of_more_than_500_naming_three_countries() -> None:
    """The events of three countries are read in batches of 500 seqs: none is lost
    between two batches."""
    from dtimeline.dates import parse_edtf
    from dtimeline.model import Country, Event, Source, Store

    def talks(n: int, countries: tuple[str, ...]) -> Event:
        return Event(f"e{n:04d}", parse_edtf("2020-05-01"), "talks", f"Talks {n}", countries,
                     sources=(Source("Test"),))  # fmt: skip

    three = ("china", "kazakhstan", "tajikistan")
    store = Store(
        1,
        {slug: Country(slug, slug.title()) for slug in three},
        {},
        {},
        (talks(0, three[:2]), *(talks(n, three) for n in range(1, 1101))),
    )
    idx = index.build(None, store, "-")
    figures = list(pair_figures(idx, None, date(2026, 11, 27), False))
    assert [(f.relationship.pair, f.events) for f in figures] == [(("china", "kazakhstan"), 1101)]
