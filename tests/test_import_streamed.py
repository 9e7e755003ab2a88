"""`import` of JSON Lines streamed (dtimeline/streamimport.py, store/bulk.py): the same
decisions as the whole-input import (interchange.plan_import), the same store, one undo step,
an index in step, and the ordinary path when the input declares a country."""

from __future__ import annotations

import io
import json
import os
from datetime import date
from pathlib import Path

import pytest
from conftest import TODAY, assert_one_line_error, invoke, run, sha
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dtimeline.errors import DtimelineError
from dtimeline.interchange import Record, plan_import
from dtimeline.model import Event
from dtimeline.serialize import event_to_dict
from dtimeline.store import index, load_store
from dtimeline.store.memo import reset
from dtimeline.streamimport import Input, Tally, planner

DAY = date.fromisoformat(TODAY)


def as_input(lines: list[str], name: str = "in.jsonl") -> Input:
    return Input(io.BytesIO("\n".join(lines).encode("utf-8")), name, 0)


def streamed(store: Path, lines: list[str], allow: bool) -> tuple[list[Event], int]:
    reset()
    tally = Tally()
    plan = planner(as_input(lines), DAY, allow_duplicates=allow, tally=tally)
    events = [ev for piece in plan(index.open_index(store)) for ev in piece]
    return events, tally.skipped


def whole(store: Path, lines: list[str], allow: bool) -> tuple[list[Event], int]:
    reset()
    records = [Record(f"in.jsonl:{n}", json.loads(line)) for n, line in enumerate(lines, 1)]
    made = plan_import(records, load_store(store), DAY, allow_duplicates=allow)
    return made.new, made.skipped


def outcome(do: object, *args: object) -> object:
    try:
        return do(*args)  # type: ignore[operator]
    except DtimelineError as exc:
        return (type(exc).__name__, exc.message)


RECORD = st.fixed_dictionaries(
    {
        "date": st.sampled_from(["2024-01-02", "2024-01", "2023", "2024-13-01"]),
        "title": st.sampled_from(["Talks", "talks", "Visit", "Forum  of  Cities"]),
        "kind": st.sampled_from(["talks", "other", "meeting"]),
        "countries": st.sampled_from([["china"], ["china", "kazakhstan"], ["kazakhstan", "china"]]),
    },
    optional={
        "id": st.sampled_from(
            ["a-1", "a-2", "2024-01-02-talks", "1992-01-03-china-kazakhstan-relations"]
        ),
        "summary": st.sampled_from(["s", "t"]),
    },
)  # fmt: skip


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(records=st.lists(RECORD, min_size=1, max_size=8), allow=st.booleans())
def test_same_decisions_as_the_whole_input_import(
    store: Path, records: list[dict[str, object]], allow: bool
) -> None:
    """New events (ids made alike), skipped counts, and the first problem: identical."""
    lines = [json.dumps(r) for r in records]
    assert outcome(streamed, store, lines, allow) == outcome(whole, store, lines, allow)


def test_a_stored_duplicate_and_a_stored_id_are_skipped(store: Path) -> None:
    first = event_to_dict(load_store(store).events[0])
    again = {k: v for k, v in first.items() if k != "id"}
    lines = [json.dumps(first), json.dumps(again), json.dumps({**again, "title": "New one"})]
    events, skipped = streamed(store, lines, allow=False)
    assert skipped == 2 and [ev.title for ev in events] == ["New one"]
    assert (events, skipped) == whole(store, lines, allow=False)


def jsonl(n: int, start: int = 0) -> str:
    record = {"date": "2024-03-04", "kind": "meeting", "countries": ["china", "kazakhstan"],
              "summary": "x" * 50, "sources": [{"publisher": "Bench"}]}  # fmt: skip
    return "".join(
        json.dumps({**record, "title": f"Bulk {i}"}) + "\n" for i in range(start, start + n)
    )


def test_cli_import_in_pieces_one_undo_step_index_in_step(store: Path, tmp_path: Path) -> None:
    before = store.read_bytes()
    data = tmp_path / "in.jsonl"
    data.write_text(jsonl(1200), "utf-8")  # more than two pieces
    ran = run("--store", str(store), "import", str(data))
    assert ran.code == 0, ran.err
    assert "imported 1200, skipped 0 duplicates" in ran.err
    assert store.read_bytes().startswith(before)
    again = run("--store", str(store), "import", "-", input=data.read_text("utf-8"))
    assert "imported 0, skipped 1200 duplicates" in again.err
    reset()
    warm = [event_to_dict(ev) for ev in load_store(store).events]
    os.environ["DTIMELINE_NO_CACHE"] = "1"
    try:
        reset()
        cold = [event_to_dict(ev) for ev in load_store(store).events]
    finally:
        del os.environ["DTIMELINE_NO_CACHE"]
    assert warm == cold and len(warm) - 1200 == len(cold) - 1200
    hist = run("--store", str(store), "history")
    assert hist.out.count("import") == 1, hist.out
    assert run("--store", str(store), "undo").code == 0
    assert store.read_bytes() == before


def test_a_bad_record_late_in_the_input_writes_nothing(store: Path, tmp_path: Path) -> None:
    before = sha(store)
    data = tmp_path / "in.jsonl"
    data.write_text(jsonl(700) + json.dumps({"date": "2024-02-30", "title": "x"}) + "\n")
    assert_one_line_error(run("--store", str(store), "import", str(data)), 2, "in.jsonl:701")
    data.write_text(jsonl(700) + "{not json\n" + jsonl(3, 900))
    assert_one_line_error(run("--store", str(store), "import", str(data)), 2, "in.jsonl:701")
    assert sha(store) == before


def test_a_country_to_declare_goes_the_ordinary_way(store: Path) -> None:
    rec = {"date": "2024", "title": "With Mongolia", "countries": ["china", "Mongolia"]}
    ran = invoke("--store", str(store), "import", input=json.dumps(rec) + "\n")
    assert ran.code == 0, ran.err
    assert "declared country mongolia" in ran.err
    assert load_store(store).events[-1].countries == ("china", "mongolia")


def test_dry_run_streamed_prints_what_would_be_appended(store: Path) -> None:
    before = sha(store)
    ran = invoke("--store", str(store), "import", "--dry-run", input=jsonl(3))
    assert ran.code == 0, ran.err
    assert ran.out.count("[[events]]") == 3 and "would import 3, skip 0" in ran.err
    assert sha(store) == before


@pytest.mark.parametrize("crlf", [False, True])
def test_input_lines_as_split_gives_them(crlf: bool) -> None:
    text = "a\nb\n\nc" if not crlf else "a\r\nb\r\n"
    inp = Input(io.BytesIO(text.encode()), "x", 0)
    assert list(inp.lines()) == text.split("\n")


# Runs `dtimeline --store STORE import FILE`, dying by SIGKILL at STEP.
KILLED_IMPORT = """
import os, signal, sys
from dtimeline.store import history, index, rows

store, data, step = sys.argv[1:4]

def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)

if step == "second piece":
    real, calls = rows.insert_events, []
    def insert(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            die()
        return real(*args, **kwargs)
    rows.insert_events = insert
elif step == "before the rename":
    history.record = die
elif step == "after the rename":
    index.commit_follow = die
sys.argv = ["dtimeline", "--store", store, "import", data]
from dtimeline.entry import main
main()
"""


@pytest.mark.parametrize("step", ["second piece", "before the rename", "after the rename"])
def test_sigkill_during_a_streamed_import(store: Path, tmp_path: Path, step: str) -> None:
    import subprocess
    import sys

    assert run("--store", str(store), "query", "--format", "ids").code == 0  # an index
    before = store.read_bytes()
    data = tmp_path / "in.jsonl"
    data.write_text(jsonl(1200), "utf-8")
    ran = subprocess.run([sys.executable, "-c", KILLED_IMPORT, str(store), str(data), step],
                         capture_output=True, text=True, timeout=120, check=False)  # fmt: skip
    assert ran.returncode == -9, ran.stderr
    now = store.read_bytes()
    if step == "after the rename":
        assert now.startswith(before) and now[len(before) :].count(b"[[events]]") == 1200
    else:
        assert now == before
    ids = run("--store", str(store), "query", "--format", "ids").out.split()
    assert ("2024-03-04-bulk-0" in ids) == (step == "after the rename")
    reset()
    warm = [event_to_dict(ev) for ev in load_store(store).events]
    os.environ["DTIMELINE_NO_CACHE"] = "1"
    try:
        reset()
        cold = [event_to_dict(ev) for ev in load_store(store).events]
    finally:
        del os.environ["DTIMELINE_NO_CACHE"]
    assert warm == cold
    again = run("--store", str(store), "import", str(data))
    assert again.code == 0, again.err
    assert not [p for p in store.parent.iterdir() if p.name.endswith(".tmp")]
    assert run("--store", str(store), "check").code == 0
