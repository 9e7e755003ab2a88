"""Whole-store views read through the index (store/streams.py): exports of the events a
filter keeps, read as they are written; stats one relationship at a time; the line of an
event found by reading the file in pieces. Each must give exactly what the whole store in
memory gives (the bundled timeline, and a bigger one made from it)."""

from __future__ import annotations

import io
import random
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from dtimeline import query
from dtimeline.dates import parse_edtf
from dtimeline.model import Store
from dtimeline.render.export import Export, render
from dtimeline.render.stats import collect, to_json, write_json
from dtimeline.store import index, load_store, where
from dtimeline.store.lines import LineIndex
from dtimeline.store.memo import reset
from dtimeline.store.select import position
from dtimeline.store.streams import Selected, home_country, pair_figures
from dtimeline.store.tomlblock import event_block

DAY = date(2026, 11, 27)
FILTERS = [
    {},
    {"countries": ("kazakhstan",), "since": date(2019, 1, 1)},
    {"kinds": ("state-visit",)},
    {"tags": ("sco",)},
    {"search": ("summit",)},
    {"search": ("xi", "tokayev")},  # matched in Python after the SQL
    {"as_of": date(2015, 1, 1), "time_travel": True, "upcoming": True},
    {"since": date(2040, 1, 1)},  # nothing
]


def bigger(store: Store, copies: int, seed: int) -> Store:
    """The store's events again under other ids, dates and tags."""
    rng = random.Random(seed)
    events = list(store.events)
    for n in range(copies):
        for ev in store.events:
            year = min(max(ev.date.earliest.year + rng.randint(-20, 5), 1990), 2030)
            tags = ev.tags if rng.random() < 0.5 else (*ev.tags, "extra")
            events.append(replace(ev, id=f"{ev.id}-c{n}", date=parse_edtf(str(year)), tags=tags))
    rng.shuffle(events)
    return replace(store, events=tuple(events))


@pytest.fixture
def stores(store: Path) -> list[Store]:
    reset()
    whole = load_store(store)
    return [whole, bigger(whole, 2, 3)]


@pytest.mark.parametrize("fmt", ["ics", "html", "markwhen", "mermaid", "timelinejs", "toml"])
def test_an_export_read_from_the_index_is_the_export_of_the_store(
    stores: list[Store], fmt: str
) -> None:
    for whole in stores:
        idx = index.build(None, whole, "-")
        for extra in FILTERS:
            flt = query.Filter(**{"as_of": DAY, **extra})  # type: ignore[arg-type]
            want = render(fmt, Export(query.select(whole, flt), whole, flt.as_of, DAY))
            chosen = Selected(idx, flt)
            got = render(fmt, Export(chosen, idx.head, flt.as_of, DAY, home_country(idx)))
            assert got == want, (fmt, extra)
            assert len(chosen) == len(query.select(whole, flt))
            assert bool(chosen) == bool(len(chosen))
            if len(chosen):
                assert chosen[-1] == query.select(whole, flt)[-1]


@pytest.mark.parametrize(
    "subject",
    [None, ("tag", "sco"), ("tag", "extra"), ("tag", "no-such-tag"), ("country", "kazakhstan"),
     ("country", "tajikistan"), ("country", "china"), ("actor", "tokayev"), ("actor", "xi")],
)  # fmt: skip
def test_stats_one_relationship_at_a_time(
    stores: list[Store], subject: tuple[query.SubjectKind, str] | None
) -> None:
    for whole in stores:
        idx = index.build(None, whole, "-")
        subj = query.Subject(*subject) if subject else None
        if subj is not None and subj.kind == "actor":
            subj = query.resolve_subject(whole, subj.slug)
        for day, travel in ((DAY, False), (date(2015, 1, 1), True)):
            want = to_json(collect(whole, subj, day, travel), whole)
            assert to_json(list(pair_figures(idx, subj, day, travel)), idx.head) == want
            out = io.StringIO()
            write_json(pair_figures(idx, subj, day, travel), idx.head, out)
            import json

            assert out.getvalue() == json.dumps(want, ensure_ascii=False, indent=2) + "\n"


def test_the_line_of_an_event_read_in_pieces(
    store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every event's line, as LineIndex finds it in the whole text, also when the file is
    read a few bytes at a time, with CRLF line ends, a byte-order mark and headers written
    with spaces and a comment."""
    whole = load_store(store)
    text = store.read_text(encoding="utf-8")
    odd = "\ufeff" + text.replace("[[events]]\n", "  [[ events ]]  # an event\n", 3)
    crlf = text.replace("\n", "\r\n")
    extra = text + "\n" + event_block(replace(whole.events[0], id="one-more"))
    mid = text.replace("[[events]]\n", "# not a header: [[events]]\n[[events]]\n", 5)
    unended = text.rstrip("\n") + "\n[[events]]"
    for n, body in enumerate([text, odd, crlf, extra, mid, unended]):
        path = tmp_path / f"s{n}.toml"
        path.write_bytes(body.encode("utf-8"))
        lines = LineIndex(body.removeprefix("\ufeff"))
        count = body.count("\n[[events]]") + body.count("[[ events ]]")
        for chunk in (1 << 22, 7):
            monkeypatch.setattr(where, "CHUNK", chunk)
            for i in range(count):
                assert where.event_line_at(path, i) == lines.event_line(i), (n, chunk, i)
            assert where.event_line_at(path, count) is None
    assert where.event_line_at(tmp_path / "missing.toml", 0) is None
    idx = index.build(None, whole, "-")
    last = whole.events[-1]
    assert where.event_line_at(store, position(idx, last.id) or 0) == LineIndex(text).event_line(
        len(whole.events) - 1
    )


SHOWS = [
    ("show",),
    ("show", "kazakhstan", "--since", "2013", "--until", "2016", "--long"),
    ("show", "sco", "--as-of", "2019-06-01", "--width", "40"),
    ("show", "--search", "xi", "--search", "tokayev"),
    ("--color", "always", "show", "china", "--format", "timeline"),
    ("query", "--format", "tsv", "--sort", "-date", "--limit", "7"),
    ("query", "--format", "csv", "--search", "xi", "--search", "summit", "--limit", "3"),
    ("query", "-c", "kazakhstan", "--since", "2023"),
    ("query", "--format", "md", "--kind", "state-visit"),
    ("query", "--format", "ids", "--upcoming", "--as-of", "2024-07-01"),
]


@pytest.mark.parametrize("args", SHOWS)
def test_a_long_timeline_or_list_read_in_passes_reads_as_one_held(
    args: tuple[str, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`show` of more than STREAM_EVENTS events reads the index once per pass instead of
    holding the events; `query`'s text formats write them as they are read: the output
    is the same as when they are held (here: a threshold of 0 against one above all)."""
    from conftest import invoke

    from dtimeline.cli import read

    held = invoke(*args)
    assert held.code == 0, held.err
    monkeypatch.setattr(read, "STREAM_EVENTS", 0)
    reset()
    streamed = invoke(*args)
    assert (streamed.code, streamed.out, streamed.err) == (held.code, held.out, held.err)
    assert held.out.strip()
