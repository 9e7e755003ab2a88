"""The lean generator of the 1,000,000-event bench (bench/lean.py) makes a valid store in
the layout dtimeline itself writes, with the shape its figures rely on."""

from __future__ import annotations

import sys
from pathlib import Path

from conftest import invoke

from dtimeline.store.load import load_text
from dtimeline.store.tomlblock import events_text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import lean


def test_lean_store_is_valid_and_canonical(tmp_path: Path) -> None:
    path = tmp_path / "events.toml"
    info = lean.write_store(1200, path)
    text = path.read_text(encoding="utf-8")
    assert info["count"] == 1200
    assert info["bytes"] == len(text.encode())
    store, problems = load_text(text, path)
    assert problems == []
    assert len(store.events) == 1200
    # every event block is what dtimeline's own writer makes of the event read back
    start = text.index("\n[[events]]\n")
    assert text[start:] == events_text(store.events)
    assert len(store.countries) >= 240  # every current ISO 3166-1 country is declared
    assert "kazakhstan" in store.countries and "china" in store.countries
    assert len({ev.id for ev in store.events}) == 1200
    # events body: about 330 bytes an event (the 1M store is about 330 MB)
    assert 300 <= (len(text.encode()) - start) / 1200 <= 380


def test_lean_jsonl_imports_other_ids(tmp_path: Path) -> None:
    path = tmp_path / "events.toml"
    lean.write_store(300, path)
    jsonl = tmp_path / "more.jsonl"
    lean.write_jsonl(200, jsonl, first=300)
    ran = invoke("--store", str(path), "import", str(jsonl), "--format", "jsonl")
    assert ran.code == 0, ran.err
    store, problems = load_text(path.read_text(encoding="utf-8"), path)
    assert problems == []
    assert len(store.events) == 500
