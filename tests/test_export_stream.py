"""Exports are written piece by piece (render/export): the pieces must join to exactly what
each format's whole-document writer gives, for the bundled timeline, for nothing, and for
arbitrary events; and a failing export never leaves a partial file behind."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dtimeline.dates import parse_edtf
from dtimeline.errors import WriteError
from dtimeline.model import Event, Source, Store
from dtimeline.render.export import FORMATS, Export, chunks, common, ics, render, timelinejs
from dtimeline.store import load_store
from dtimeline.store.locate import bundled_path
from dtimeline.store.write import atomic_writer, write_all

DAY = date(2026, 11, 27)


def export_of(store: Store, events: list[Event] | None = None) -> Export:
    chosen = list(store.events) if events is None else events
    return Export(events=chosen, store=store, as_of=DAY, stamp=DAY)


def whole_ics(data: Export) -> str:
    """The reference: every VEVENT added to one Calendar, written at once."""
    from icalendar import Calendar

    cal = Calendar()
    cal.add("prodid", ics.PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", ics.clean(data.title))
    for ev in data.events:
        cal.add_component(ics.vevent(ev, data))
    text: bytes = cal.to_ical()
    return text.decode("utf-8")


def whole_timelinejs(data: Export) -> str:
    return json.dumps(timelinejs.document(data), ensure_ascii=False, indent=2) + "\n"


REFERENCES = {"ics": whole_ics, "timelinejs": whole_timelinejs}


@pytest.mark.parametrize("fmt", sorted(REFERENCES))
@pytest.mark.parametrize("which", ["bundled", "none", "one"])
def test_pieces_join_to_the_whole_document(fmt: str, which: str) -> None:
    store = load_store(bundled_path())
    events = {"bundled": None, "none": [], "one": [store.events[3]]}[which]
    data = export_of(store, events)
    assert render(fmt, data) == REFERENCES[fmt](data)


text = st.text(st.characters(blacklist_categories=["Cs"]), max_size=80)
events = st.lists(
    st.builds(
        Event,
        id=st.from_regex(r"[a-z][a-z0-9-]{0,8}", fullmatch=True),
        date=st.sampled_from(["1992", "2013-09", "2023-05-17", "2024-07-02/2024-07-04"]).map(
            parse_edtf
        ),
        kind=st.sampled_from(["talks", "state-visit", "summit"]),
        title=text,
        countries=st.just(("china", "kazakhstan")),
        summary=text,
        place=text,
        tags=st.lists(st.sampled_from(["energy", "trade"]), max_size=2).map(tuple),
        sources=st.lists(st.builds(Source, text, text, text), max_size=2).map(tuple),
    ),
    max_size=4,
)


@settings(max_examples=40, deadline=None)
@given(events)
def test_any_events_join_to_the_whole_document(evs: list[Event]) -> None:
    data = export_of(Store(events=tuple(evs)))
    for fmt, whole in REFERENCES.items():
        assert render(fmt, data) == whole(data)


@given(st.lists(text, max_size=6), st.sampled_from(["", "\n"]))
def test_joined_is_join(lines: list[str], end: str) -> None:
    assert "".join(common.joined(iter(lines), end)) == "\n".join(lines) + end


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_format_is_made_lazily(fmt: str) -> None:
    """Nothing is rendered before the first piece is asked for (so nothing is held)."""
    seen: list[str] = []

    class Watched(list[Event]):
        def __iter__(self):  # type: ignore[no-untyped-def]
            seen.append("iterated")
            return super().__iter__()

    store = load_store(bundled_path())
    data = export_of(store, Watched(store.events))
    pieces = chunks(fmt, data)
    assert seen == []
    assert "".join(pieces) == render(fmt, export_of(store))
    assert seen


def test_failed_export_leaves_no_file(tmp_path: Path) -> None:
    target = tmp_path / "out.ics"
    target.write_text("old\n", encoding="utf-8")

    def pieces():  # type: ignore[no-untyped-def]
        yield "BEGIN:VCALENDAR\r\n"
        raise RuntimeError("renderer failed halfway")

    with pytest.raises(RuntimeError), atomic_writer(target) as fd:
        for piece in pieces():
            write_all(fd, piece.encode())
    assert target.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.ics"]


def test_unwritable_folder_is_a_write_error(tmp_path: Path) -> None:
    with pytest.raises(WriteError, match="cannot write"), atomic_writer(tmp_path / "no" / "x"):
        pass


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_export_records_are_the_bytes_of_the_query_writer(fmt: str) -> None:
    """`export` writes json/jsonl with `query`'s writer; the pure renderer must agree."""
    from dtimeline.render.formats import json_chunks

    store = load_store(bundled_path())
    for events in (list(store.events), []):
        data = export_of(store, events)
        written = b"".join(json_chunks(events, fmt == "json"))
        assert written == render(fmt, data).encode("utf-8")
