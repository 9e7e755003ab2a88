"""`import` recognises the shapes people pipe in: one JSON object (jq '.[0]'), a one-line
{"events": [...]}, CSV headers in any case, ;-separated CSV, CSV without a kind column."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import invoke, run

from dtimeline.store import load_store

HEADER = """schema = 1

[countries.china]
name = "China"

[countries.kazakhstan]
name = "Kazakhstan"
iso = "KZ"
"""

EVENT = {"id": "e1", "date": "2023-05-17", "kind": "talks", "title": "Talks",
         "countries": ["china", "kazakhstan"]}  # fmt: skip


@pytest.fixture
def target(tmp_path: Path) -> Path:
    path = tmp_path / "t.toml"
    path.write_text(HEADER, encoding="utf-8")
    return path


def imported(target: Path, text: str, *options: str) -> list[str]:
    ran = invoke("--store", str(target), "import", "-", *options, input=text)
    assert ran.code == 0, ran.err
    return [ev.id for ev in load_store(target).events]


def test_single_json_object_over_several_lines(target: Path) -> None:
    """What `jq '.[0]'` prints."""
    assert imported(target, json.dumps(EVENT, indent=2) + "\n") == ["e1"]


def test_single_json_object_with_format_json(target: Path) -> None:
    assert imported(target, json.dumps(EVENT), "--format", "json") == ["e1"]


def test_one_line_events_wrapper(target: Path) -> None:
    two = [EVENT, {**EVENT, "id": "e2"}]
    assert imported(target, json.dumps({"events": two}) + "\n") == ["e1", "e2"]


def test_pretty_events_wrapper_through_a_real_process(target: Path) -> None:
    text = json.dumps({"events": [EVENT]}, indent=2)
    ran = run("--store", str(target), "import", "-", input=text)
    assert ran.code == 0, ran.err
    assert [ev.id for ev in load_store(target).events] == ["e1"]


def test_csv_headers_in_any_case(target: Path) -> None:
    text = "Date,Kind,TITLE,Countries\r\n2023-05-17,talks,Talks,china;kazakhstan\r\n"
    assert len(imported(target, text)) == 1
    (ev,) = load_store(target).events
    assert ev.countries == ("china", "kazakhstan") and ev.kind == "talks"


def test_semicolon_separated_csv(target: Path) -> None:
    """As a spreadsheet set to a decimal comma saves it."""
    text = 'date;kind;title;countries\n2023-05-17;talks;"Talks; at last";china,kazakhstan\n'
    imported(target, text)
    (ev,) = load_store(target).events
    assert ev.title == "Talks; at last" and ev.countries == ("china", "kazakhstan")


def test_csv_without_kind_defaults_like_add(target: Path) -> None:
    text = "date,title,countries\n2023-05-17,Something,china\n"
    imported(target, text)
    (ev,) = load_store(target).events
    added = invoke("--store", str(target), "add", "2023-05-18", "Other", "-c", "china")
    assert added.code == 0
    assert ev.kind == load_store(target).events[1].kind == "other"


def test_a_list_cell_that_is_not_json_is_split(target: Path) -> None:
    text = "date,title,countries,tags\n2023,T,china,[draft];x\n"
    imported(target, text)
    assert load_store(target).events[0].tags == ("[draft]", "x")
