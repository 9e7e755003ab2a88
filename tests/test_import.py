"""`import`: JSONL, JSON, CSV, TOML; all or nothing; duplicates skipped; exact round trip."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from conftest import BUNDLED_EVENTS, assert_one_line_error, invoke, run, sha
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dtimeline.serialize import event_to_dict
from dtimeline.store import load_store


@pytest.fixture
def empty(tmp_path: Path, bundled: Path) -> Path:
    """The bundled store's countries and actors, no events."""
    text = bundled.read_text("utf-8")
    dest = tmp_path / "empty.toml"
    dest.write_text(text[: text.index("[[events]]")], "utf-8")
    assert load_store(dest).events == ()
    return dest


def dicts(path: Path) -> list[dict[str, object]]:
    return [event_to_dict(ev) for ev in load_store(path).events]


def test_query_jsonl_imports_into_another_store_unchanged(bundled: Path, empty: Path) -> None:
    out = run("--store", str(bundled), "query", "--format", "jsonl")
    assert out.code == 0, out.err
    ran = run("--store", str(empty), "import", "-", input=out.out)
    assert ran.code == 0, ran.err
    assert f"imported {BUNDLED_EVENTS}, skipped 0 duplicates" in ran.err
    assert ran.out == ""
    want = sorted(dicts(bundled), key=lambda d: str(d["id"]))
    assert sorted(dicts(empty), key=lambda d: str(d["id"])) == want
    assert run("--store", str(empty), "check").code == 0


def test_json_array_and_toml_files(bundled: Path, empty: Path, tmp_path: Path) -> None:
    array = tmp_path / "events.json"
    array.write_text(json.dumps(dicts(bundled)[:3]), "utf-8")
    assert invoke("--store", str(empty), "import", str(array)).code == 0
    assert len(load_store(empty).events) == 3
    # a store-shaped TOML file: the bundled store itself; the three already there are skipped
    ran = invoke("--store", str(empty), "import", str(bundled))
    assert ran.code == 0, ran.err
    assert f"imported {BUNDLED_EVENTS - 3}, skipped 3 duplicates" in ran.err
    assert len(load_store(empty).events) == BUNDLED_EVENTS


def test_csv_with_lists_and_sources(empty: Path) -> None:
    text = (
        "date,title,kind,countries,actors,tags,sources\n"
        '2025-03-01,"Talks, at last",talks,china; kazakhstan,xi|,a;b,https://x.org/1;Xinhua\n'
    ).replace("xi|", "xi")
    text += (
        '2025-04-01,Call,phone-call,china;TJ,,,"[{""publisher"": ""MFA"", ""url"": '
        '""https://mfa.gov.cn""}]"\n'
    )
    ran = invoke("--store", str(empty), "import", "-", "--format", "csv", input=text)
    assert ran.code == 0, ran.err
    first, second = load_store(empty).events
    assert first.id == "2025-03-01-talks-at-last"
    assert first.title == "Talks, at last"
    assert first.countries == ("china", "kazakhstan") and first.tags == ("a", "b")
    assert [s.publisher for s in first.sources] == ["x.org", "Xinhua"]
    assert second.countries == ("china", "tajikistan")
    assert second.sources[0].url == "https://mfa.gov.cn"


def test_format_is_detected_from_content(empty: Path) -> None:
    jsonl = '{"date": "2025", "title": "A", "kind": "other", "countries": ["china"]}\n'
    assert invoke("--store", str(empty), "import", input=jsonl).code == 0
    array = '[{"date": "2025", "title": "B", "kind": "other", "countries": ["china"]}]'
    assert invoke("--store", str(empty), "import", input=array).code == 0
    assert [e.id for e in load_store(empty).events] == ["2025-a", "2025-b"]


def test_one_bad_record_names_its_line_and_nothing_is_written(store: Path) -> None:
    good = {"date": "2025", "title": "ok", "kind": "other", "countries": ["china"]}
    lines = [json.dumps(good), "", json.dumps({**good, "countries": ["narnia"]})]
    before = sha(store)
    ran = run("--store", str(store), "import", "-", input="\n".join(lines))
    assert_one_line_error(ran, 2, "<stdin>:3: unknown country 'narnia'")
    assert sha(store) == before
    cases = [
        ({**good, "date": "someday"}, "<stdin>:1", "unknown word 'someday'"),
        ({**good, "title": " "}, "<stdin>:1", "no title"),
        ({**good, "colour": "red"}, "<stdin>:1", "unknown field 'colour'"),
        ({**good, "kind": "visit"}, "<stdin>:1", "host"),
        ({**good, "title": "a\x00b"}, "<stdin>:1", "NUL"),
        ({**good, "countries": "china"}, "<stdin>:1", "list of strings"),
    ]
    for record, where, needle in cases:
        ran = invoke("--store", str(store), "import", input=json.dumps(record) + "\n")
        assert_one_line_error(ran, 2, where, needle)
    assert sha(store) == before


def test_same_id_different_content_is_a_conflict(store: Path) -> None:
    ev = event_to_dict(load_store(store).events[0])
    before = sha(store)
    ran = invoke("--store", str(store), "import", input=json.dumps({**ev, "title": "other"}))
    assert_one_line_error(ran, 5, "exists already")
    assert sha(store) == before


def test_empty_and_binary_input_are_refused(store: Path, tmp_path: Path) -> None:
    before = sha(store)
    assert_one_line_error(run("--store", str(store), "import", input=""), 2, "nothing to import")
    assert_one_line_error(run("--store", str(store), "import", input="[]"), 2, "nothing")
    garbage = bytes(range(256)) * 4
    assert_one_line_error(run("--store", str(store), "import", input=garbage), 2, "binary")
    latin = tmp_path / "x.jsonl"
    latin.write_bytes(b'{"title": "caf\xe9"}\n')
    assert_one_line_error(run("--store", str(store), "import", str(latin)), 2, "not UTF-8")
    missing = str(tmp_path / "nope.jsonl")
    assert_one_line_error(invoke("--store", str(store), "import", missing), 2, "cannot read")
    assert sha(store) == before


def test_generated_ids_avoid_each_other_and_explicit_ones(empty: Path) -> None:
    rec = {"date": "2025-01-01", "title": "Same", "kind": "other", "countries": ["china"]}
    lines = [json.dumps(rec), json.dumps(rec), json.dumps({**rec, "id": "2025-01-01-same"})]
    ran = invoke("--store", str(empty), "import", "--allow-duplicates", input="\n".join(lines))
    assert ran.code == 0, ran.err
    assert sorted(e.id for e in load_store(empty).events) == [
        "2025-01-01-same",
        "2025-01-01-same-2",
        "2025-01-01-same-3",
    ]


def test_dry_run_writes_nothing(empty: Path) -> None:
    before = sha(empty)
    rec = {"date": "2025", "title": "A", "kind": "other", "countries": ["china"]}
    ran = invoke("--store", str(empty), "import", "--dry-run", input=json.dumps(rec))
    assert ran.code == 0
    assert ran.out.startswith("\n[[events]]\n")
    assert "would import 1" in ran.err
    assert sha(empty) == before


def test_import_keeps_existing_bytes(store: Path) -> None:
    store.write_bytes(store.read_bytes() + b"\n# tail comment, no newline")
    before = store.read_bytes()
    rec = {"date": "2025", "title": "A", "kind": "other", "countries": ["china"]}
    assert invoke("--store", str(store), "import", input=json.dumps(rec)).code == 0
    assert store.read_bytes().startswith(before)


def test_query_csv_output_imports(bundled: Path, empty: Path) -> None:
    """`query --format csv` separates list values with ','; import reads ';' and ','."""
    out = run(
        "--store",
        str(bundled),
        "query",
        "-k",
        "relations-established",
        "-k",
        "agreement",
        "--format",
        "csv",
    )
    assert out.code == 0 and '"china,kazakhstan"' in out.out
    ran = run("--store", str(empty), "import", "-", "--format", "csv", input=out.out)
    assert ran.code == 0, ran.err
    got = {ev.id: ev for ev in load_store(empty).events}
    for ev in load_store(bundled).events:
        if ev.kind in ("relations-established", "agreement"):
            assert got[ev.id].countries == ev.countries and got[ev.id].title == ev.title


TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"))


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    title=TEXT.filter(str.strip),
    summary=TEXT,
    tags=st.lists(TEXT, max_size=3),
    publisher=TEXT.filter(str.strip),
)
def test_jsonl_round_trip_of_arbitrary_text(
    empty: Path, title: str, summary: str, tags: list[str], publisher: str
) -> None:
    from dtimeline.interchange import plan_import, read_records
    from dtimeline.store.write import append_events

    n = len(load_store(empty).events)
    rec = {
        "id": f"r-{n}",
        "date": "2025-05",
        "kind": "talks",
        "title": title,
        "countries": ["china"],
        "summary": summary,
        "tags": tags,
        "sources": [{"publisher": publisher, "title": "", "url": "", "date": ""}],
    }
    line = json.dumps(rec, ensure_ascii=False)
    records = read_records(line + "\n", "jsonl", "<t>")
    append_events(
        empty, lambda s: plan_import(records, s, date(2026, 1, 1)).new, lambda e: "import", 10.0
    )
    ev = load_store(empty).event(f"r-{n}")
    assert ev is not None
    got = event_to_dict(ev)
    assert {k: got[k] for k in rec} == rec
