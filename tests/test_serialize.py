"""The direct JSON writer gives exactly what json.dumps of the event's dict gives."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from dtimeline.dates import parse_edtf
from dtimeline.model import Event, Source
from dtimeline.serialize import event_json, event_to_dict, json_array_lines
from dtimeline.store import load_store

text = st.text(st.characters(blacklist_categories=["Cs"]), max_size=20)
words = st.lists(text, max_size=3).map(tuple)
sources = st.lists(st.builds(Source, text, text, text, st.sampled_from(["", "2024"]), text),
                   max_size=3).map(tuple)  # fmt: skip
events = st.builds(
    Event,
    id=text, date=st.sampled_from(["2013-09", "2024-07-02/2024-07-04", "2013~"]).map(parse_edtf),
    kind=text, title=text, countries=words, actors=words, host=text, place=text,
    status=text, announced=st.sampled_from([None, parse_edtf("2024-06-30")]), level=text,
    tags=words, summary=text, sources=sources,
)  # fmt: skip


@settings(max_examples=300)
@given(events, st.sampled_from([None, "announced"]))
def test_event_json_is_json_dumps(ev: Event, status: str | None) -> None:
    expected = event_to_dict(ev)
    if status:
        expected["status"] = status
    assert event_json(ev, status) == json.dumps(expected, ensure_ascii=False)


def test_bundled_events(bundled: Path) -> None:
    for ev in load_store(bundled).events:
        assert event_json(ev) == json.dumps(event_to_dict(ev), ensure_ascii=False)


def test_array_lines() -> None:
    assert "".join(json_array_lines([])) == "[]\n"
    assert json.loads("".join(json_array_lines(['{"a": 1}', '{"b": 2}']))) == [{"a": 1}, {"b": 2}]
