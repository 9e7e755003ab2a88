"""The SQLite index, cases found by mutation testing (docs/mutation.md)."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from test_index import append_event

from dtimeline.store import after_write, index
from dtimeline.store import load_store as load_store_fn
from dtimeline.store.memo import memo, reset


@pytest.fixture(autouse=True)
def new_process() -> None:
    reset()


def test_a_store_named_by_a_relative_path_is_followed_not_rebuilt(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The index a process read is kept under the store's resolved path, so a write through
    a relative path updates it in place (one follow) instead of building it again."""
    monkeypatch.chdir(store.parent)
    relative = Path(store.name)
    current = load_store_fn(relative)
    assert (memo.counters["follows"], memo.counters["builds"]) == (0, 1)
    current = replace(current, events=(*current.events, append_event(store, 1)))
    after_write(relative, current, store.read_bytes())
    assert (memo.counters["follows"], memo.counters["builds"]) == (1, 1)
    reset()
    assert load_store_fn(store) == current


def test_a_read_does_not_import_the_writers_planning(store: Path) -> None:
    """store/sync.py is for writers: a `query` run never imports it (start-up time)."""
    probe = (
        "import sys, runpy\n"
        "sys.argv = ['dtimeline', '--store', sys.argv[1], 'query', '--format', 'ids']\n"
        "try:\n"
        "    runpy.run_module('dtimeline', run_name='__main__')\n"
        "except SystemExit as exc:\n"
        "    sys.stderr.write(f'exit {exc.code}\\n')\n"
        "sys.stderr.write(repr('dtimeline.store.sync' in sys.modules))\n"
    )
    ran = subprocess.run(
        [sys.executable, "-c", probe, str(store)], capture_output=True, text=True, check=False
    )
    assert ran.stderr.splitlines()[-2:] == ["exit 0", "False"], ran.stderr[-500:]
    assert "2023-05-17-xi-tokayev-talks-xian" in ran.stdout.split()


def test_without_a_cache_the_index_a_write_updated_serves_the_next_read(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DTIMELINE_NO_CACHE=1: the index lives in memory for this process only; after a
    write it is updated and kept (under the store's resolved path, whatever path named
    it), so the next read does not build it again."""
    monkeypatch.setenv("DTIMELINE_NO_CACHE", "1")
    monkeypatch.chdir(store.parent)
    relative = Path(store.name)
    monkeypatch.setattr(index, "RACY_NS", 0)  # the file is not "just written": the key holds
    current = load_store_fn(relative)
    current = replace(current, events=(*current.events, append_event(store, 1)))
    after_write(relative, current, store.read_bytes())
    assert load_store_fn(store) == current
    assert (memo.counters["memory_builds"], memo.counters["follows"]) == (1, 1)


def test_a_streamed_import_leaves_the_index_in_step(store: Path, tmp_path: Path) -> None:
    """An import of JSON Lines inserts its rows into the index as it appends (store/bulk.py)
    and keys it by the new file: the next command reads the index, building nothing."""
    from conftest import invoke
    from test_import_streamed import jsonl

    data = tmp_path / "in.jsonl"
    data.write_text(jsonl(3), "utf-8")
    ran = invoke("--store", str(store), "import", str(data))
    assert ran.code == 0, ran.err
    assert "imported 3, skipped 0 duplicates" in ran.err
    reset()
    events = load_store_fn(store).events
    assert (memo.counters["builds"], memo.counters["streamed_builds"]) == (0, 0)
    assert len(events) == len(load_store_fn(store).events)


def test_a_likely_duplicate_in_the_first_days_of_year_1_is_found(tmp_path: Path) -> None:
    """The look-up of likely duplicates starts the longest span of any event (19 days here)
    before the new date, but never before 1 January of year 1."""
    from conftest import invoke

    path = tmp_path / "events.toml"
    path.write_text('schema = 1\n\n[countries.china]\nname = "China"\n', "utf-8")
    for when, title in [("2001-01-01/2001-01-20", "Long talks"), ("0001-01-02", "Early")]:
        ran = invoke("--store", str(path), "add", when, title, "-c", "china", "--kind", "talks")
        assert ran.code == 0, ran.err
    ran = invoke("--store", str(path), "add", "0001-01-02", "Early again", "-c", "china",
                 "--kind", "talks")  # fmt: skip
    assert (ran.code, ran.out) == (0, "0001-01-02-early-again\n")
    assert ran.err.splitlines() == [
        'dtimeline: "0001-01-02" -> 0001-01-02, day precision',
        "dtimeline: warning: this looks like 0001-01-02-early (2 Jan 0001: Early); added anyway",
        "dtimeline: warning: no --source given; 'check --strict' will report it",
    ]
