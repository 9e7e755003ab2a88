"""Kept JSON texts of events (store/jsontext.py): `query --format json` copies them when the
store is unchanged, and never prints anything other than what encoding the events now gives."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import run

from dtimeline.model import Store
from dtimeline.render.formats import write_events
from dtimeline.serialize import event_json, event_to_dict
from dtimeline.store import after_write, cache, jsontext, load_store

TITLE = "Xi Jinping and Kassym-Jomart Tokayev hold talks in Xi'an"


def texts_of(store: Path) -> Path:
    return cache.cache_file(store.resolve()).with_suffix(".json")


def new_process() -> None:
    cache._bases.clear()
    cache._loaded.clear()
    cache._by_key.clear()


def dump(store: Store, fmt: str = "json", **kw: object) -> str:
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline="")
    encoded = jsontext.encoder(store, 10**9)
    write_events(store.events, store, fmt, out, encoded=encoded, **kw)  # type: ignore[arg-type]
    out.seek(0)
    return out.read()


def expected(store: Store) -> str:
    """What the events say, encoded by json.dumps (no kept text involved)."""
    items = [json.dumps(event_to_dict(ev), ensure_ascii=False) for ev in store.events]
    return "[\n  " + ",\n  ".join(items) + "\n]\n"


@pytest.fixture
def counters(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    fresh = {"hits": 0, "misses": 0, "writes": 0}
    monkeypatch.setattr(jsontext, "counters", fresh)
    return fresh


def test_first_dump_keeps_the_texts_and_the_next_copies_them(
    store: Path, counters: dict[str, int]
) -> None:
    first = load_store(store)
    assert dump(first) == expected(first)
    assert counters == {"hits": 0, "misses": 1, "writes": 1}
    assert texts_of(store).is_file()
    new_process()
    second = load_store(store)
    assert dump(second) == expected(first)
    assert dump(second, "jsonl") == "".join(
        json.dumps(event_to_dict(ev), ensure_ascii=False) + "\n" for ev in second.events
    )
    assert counters["hits"] == 2


def test_small_selection_does_not_keep_texts(store: Path, counters: dict[str, int]) -> None:
    s = load_store(store)
    encode = jsontext.encoder(s, 1)
    assert encode(s.events[0]) == event_json(s.events[0]).encode()
    assert counters == {"hits": 0, "misses": 1, "writes": 0}
    assert not texts_of(store).exists()


def test_appended_events_are_encoded_on_the_fly(store: Path, counters: dict[str, int]) -> None:
    first = load_store(store)
    dump(first)
    extra = replace(first.events[0], id="appended-1", title="Appended «talks»")
    with store.open("a", encoding="utf-8") as fh:  # the file changed: a delta entry follows
        fh.write("\n")
    grown = replace(first, events=(*first.events, extra))
    after_write(store, grown)
    new_process()
    again = load_store(store)
    assert again == grown
    text = dump(again)
    assert counters["hits"] == 1, "the texts of the full entry still apply"
    assert text == expected(grown)
    assert '"Appended «talks»"' in text


def test_rewritten_store_does_not_use_old_texts(store: Path, counters: dict[str, int]) -> None:
    first = load_store(store)
    dump(first)
    store.write_text(store.read_text(encoding="utf-8").replace(TITLE, "Changed"), "utf-8")
    new_process()
    changed = load_store(store)
    text = dump(changed)
    assert "Changed" in text and TITLE not in text
    assert text == expected(changed)
    assert counters == {"hits": 0, "misses": 2, "writes": 2}


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b[: len(b) // 2],  # truncated
        lambda b: b[:-1] + bytes([b[-1] ^ 1]),  # a flipped byte in the texts
        lambda b: b"",  # empty
        lambda b: b"DTLJSONT" + b"\0" * 60,  # a header of nonsense
    ],
    ids=["truncated", "flipped", "empty", "nonsense"],
)
def test_damaged_texts_are_ignored_and_rewritten(
    store: Path, counters: dict[str, int], damage: object
) -> None:
    first = load_store(store)
    dump(first)
    kept = texts_of(store)
    good = kept.read_bytes()
    kept.write_bytes(damage(good))  # type: ignore[operator]
    new_process()
    assert dump(load_store(store)) == expected(first)
    assert counters["hits"] == 0
    assert kept.read_bytes() == good


def test_texts_of_another_encoding_are_ignored(
    store: Path, counters: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    first = load_store(store)
    dump(first)
    monkeypatch.setattr(jsontext, "JSON_SCHEMA", "event-json 2: something else")
    new_process()
    dump(load_store(store))
    assert counters == {"hits": 0, "misses": 2, "writes": 2}


def test_status_as_of_another_day_is_not_taken_from_kept_texts(store: Path) -> None:
    from datetime import date

    first = load_store(store)
    dump(first)  # keeps stored statuses ("held")
    new_process()
    s = load_store(store)
    day = date(2024, 6, 1)  # the July 2024 visits were still ahead
    text = dump(s, as_of=day)
    records = json.loads(text)
    july = [r for r in records if r["start"] >= "2024-07"]
    assert july and all(r["status"] == "announced" for r in july)
    assert text == dump(replace(s), as_of=day)  # same as without kept texts


def test_stream_without_utf8_buffer_gets_text(store: Path) -> None:
    s = load_store(store)
    dump(s)
    out = io.StringIO()  # no .buffer: written as text
    write_events(s.events, s, "json", out, encoded=jsontext.encoder(s, len(s.events)))
    assert out.getvalue() == expected(s)


def test_cli_dump_is_the_same_with_kept_texts_cache_off_and_after_add(store: Path) -> None:
    base = ("--store", str(store), "query", "--format", "json")
    cold = run(*base, env={"DTIMELINE_NO_CACHE": "1"})
    one = run(*base)
    assert texts_of(store).is_file()
    two = run(*base)
    assert cold.code == one.code == two.code == 0
    assert cold.out == one.out == two.out
    added = run("--store", str(store), "add", "2026-11-01", "Kept-text talks", "--country",
                "china", "--kind", "talks", "--source", "https://example.org/k")  # fmt: skip
    assert added.code == 0, added.err
    three = run(*base)
    assert "Kept-text talks" in three.out
    assert three.out == run(*base, env={"DTIMELINE_NO_CACHE": "1"}).out
    assert json.loads(three.out)[-1]["title"] == "Kept-text talks"
