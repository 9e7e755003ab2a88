"""The SQLite index (store/index.py) where time stamps, clocks, owners and writers meet:
cases found by mutation testing (docs/mutation.md), each made testable without sleeping
(time stamps set with ``os.utime``, the clock's tick and the "racy" window set through the
module constants, the writer's race played inside its own build step)."""

from __future__ import annotations

import os
import sqlite3
import sys
import time
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import invoke
from test_import_streamed import jsonl
from test_index import TITLE, append_event

from dtimeline.errors import StoreError
from dtimeline.model import Event
from dtimeline.store import after_write, index, inplace, load, rows
from dtimeline.store import load_store as load_store_fn
from dtimeline.store.memo import memo, reset

HOUR_S = 3600


@pytest.fixture(autouse=True)
def new_process() -> None:
    reset()


@pytest.fixture
def digests(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every time a read checks an index against the bytes of the store file."""
    seen: list[Path] = []
    real = index.file_digest

    def counting(path: Path) -> str:
        seen.append(path)
        return real(path)

    monkeypatch.setattr(index, "file_digest", counting)
    return seen


def db_of(path: Path) -> Path:
    return index.db_file(path.resolve())


def needs_fine_stamps(path: Path) -> None:
    t = index.ticket(path)
    assert t is not None
    if not t.fine:
        pytest.skip("the file system here keeps time stamps of a millisecond or coarser")


def test_a_temporary_index_is_swept_once_it_is_an_hour_old(tmp_path: Path) -> None:
    """What a killed builder leaves (a ``.tmp-*.sqlite`` file of the cache folder) is removed
    by the next build once more than an hour old, and not before: another builder may still
    be writing a younger one."""
    folder = index.cache_dir()
    folder.mkdir(parents=True)
    young, old = folder / ".tmp-young.sqlite", folder / ".tmp-old.sqlite"
    young.write_bytes(b"half a database")
    old.write_bytes(b"half a database")
    store = tmp_path / "events.toml"
    store.write_text("schema = 1\n", "utf-8")  # a store built in a few milliseconds
    now = time.time_ns()
    for path, age_s in ((young, HOUR_S - 0.75), (old, HOUR_S + 0.25)):
        stamp = now - int(age_s * 1e9)
        os.utime(path, ns=(stamp, stamp))
    load_store_fn(store)
    assert sorted(p.name for p in folder.glob(".tmp-*")) == [".tmp-young.sqlite"]


def test_an_index_file_another_user_owns_is_not_believed(store: Path, parses: list[Path]) -> None:
    """An index in the cache folder that is not the user's own (another user put it there)
    is never read: the store is parsed again and the index rebuilt as the user's."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        pytest.skip("giving a file to another user needs root")
    load_store_fn(store)
    db = db_of(store)
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("UPDATE events SET title = 'Forged'")
    conn.close()
    os.chown(db, 65534, 65534)
    reset()
    seen = {ev.title for ev in load_store_fn(store).events}
    assert "Forged" not in seen and TITLE in seen
    assert len(parses) == 2
    assert db.stat().st_uid == os.getuid()


@pytest.mark.parametrize("cache", [True, False])
def test_a_missing_store_is_a_store_error(
    tmp_path: Path, cache: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not cache:
        monkeypatch.setenv("DTIMELINE_NO_CACHE", "1")
    missing = tmp_path / "none.toml"
    with pytest.raises(StoreError) as caught:
        load_store_fn(missing)
    assert str(caught.value.message) == f"{missing}: no such store file"
    assert not index.cache_dir().exists() or not list(index.cache_dir().iterdir())


def hand_edit_in_the_same_tick(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Change a title by hand keeping the file's size and mtime, and make every later stat
    give the key the file had before (as if the edit fell in the same clock tick as the
    write before it: then only the fingerprint of its bytes can tell)."""
    first = index.ticket(path)
    assert first is not None
    before = path.stat()
    text = path.read_text("utf-8")
    path.write_text(text.replace(TITLE, TITLE.swapcase(), 1), "utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    real = index.ticket

    def same_tick(at: Path) -> index.Ticket | None:
        t = real(at)
        return None if t is None else t._replace(key=first.key)

    monkeypatch.setattr(index, "ticket", same_tick)


def import_three(store: Path, tmp_path: Path) -> None:
    data = tmp_path / "in.jsonl"
    data.write_text(jsonl(3), "utf-8")
    ran = invoke("--store", str(store), "import", str(data))  # streamed: store/bulk.py
    assert (ran.code, ran.err) == (0, "dtimeline: imported 3, skipped 0 duplicates\n")


def add_one(store: Path, tmp_path: Path) -> None:
    ran = invoke("--store", str(store), "add", "2099-01-05", "Fast talks", "-c", "china",
                 "-c", "kazakhstan", "--kind", "talks", "--source", "Xinhua")  # fmt: skip
    assert (ran.code, ran.out) == (0, "2099-01-05-fast-talks\n"), ran.err


WRITES = {"import": import_three, "add": add_one}


@pytest.mark.parametrize("write", sorted(WRITES))
def test_past_the_clock_tick_the_next_read_trusts_the_stat_key(
    store: Path, tmp_path: Path, write: str, digests: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """On Linux, once a clock tick has passed since the write (any later change of the file
    then gets a later time stamp), the index the write left is used on its stat key alone:
    the next read does not read the store's bytes to check it."""
    needs_fine_stamps(store)
    monkeypatch.setattr(inplace, "FINE_TICK_NS", 0)
    load_store_fn(store)
    WRITES[write](store, tmp_path)
    reset()
    digests.clear()
    load_store_fn(store)
    assert (digests, memo.counters["builds"]) == ([], 0)


@pytest.mark.parametrize("write", sorted(WRITES))
def test_elsewhere_the_next_read_checks_the_bytes_however_fine_the_stamps(
    store: Path, tmp_path: Path, write: str, digests: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Off Linux, how often the clock that stamps files ticks is not known: within
    :data:`index.RACY_NS` of a write the next read checks the index against the file's
    bytes, even on a file system keeping fine time stamps and with the tick passed."""
    needs_fine_stamps(store)
    monkeypatch.setattr(inplace, "FINE_TICK_NS", 0)
    monkeypatch.setattr(index, "RACY_NS", 10**18)  # the write stays recent
    monkeypatch.setattr(index, "sys", SimpleNamespace(platform="darwin",
                                                      version_info=sys.version_info))  # fmt: skip
    load_store_fn(store)
    WRITES[write](store, tmp_path)
    reset()
    digests.clear()
    seen = load_store_fn(store)
    assert (digests, memo.counters["builds"]) == ([store.resolve()], 0)
    assert len(seen.events) == len(load.load_path(store).events)


@pytest.mark.parametrize("write", sorted(WRITES))
def test_within_the_clock_tick_a_hand_edit_after_a_write_is_seen(
    store: Path, tmp_path: Path, write: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Within a clock tick of the write, a hand edit could leave every stat field as it was:
    the index the write left is checked against the file's bytes, so the edit is seen."""
    monkeypatch.setattr(inplace, "FINE_TICK_NS", 10**18)  # the tick never passes
    load_store_fn(store)
    WRITES[write](store, tmp_path)
    hand_edit_in_the_same_tick(store, monkeypatch)
    reset()
    seen = {ev.title for ev in load_store_fn(store).events}
    assert TITLE.swapcase() in seen and TITLE not in seen


def test_the_next_read_in_the_process_takes_the_store_the_write_made(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a write that holds the whole new store, the next read in the same process
    serves that store: no event is built again from the index."""
    built: list[str] = []
    real = rows.event_of

    def counting(row: tuple[object, ...]) -> Event:
        ev = real(row)
        built.append(ev.id)
        return ev

    monkeypatch.setattr(rows, "event_of", counting)
    monkeypatch.setattr(index, "RACY_NS", 0)  # the index is keyed by the stat alone
    current = load_store_fn(store)
    current = replace(current, events=(*current.events, append_event(store, 1)))
    after_write(store, current, store.read_bytes())
    assert load_store_fn(store) is current
    assert (built, memo.counters["follows"]) == ([], 1)


def test_an_import_through_a_link_removed_meanwhile_still_finishes(
    store: Path, tmp_path: Path
) -> None:
    """The store named by a symbolic link that goes away while an import runs: the events
    are written to the file the link named and the import says how many; the rows it put
    into the index are rolled back (no file the path names to key them by), so the next
    read builds the index again."""
    from dtimeline.dates import parse_edtf
    from dtimeline.model import Source
    from dtimeline.store.bulk import append_in_pieces

    link = tmp_path / "link.toml"
    link.symlink_to(store)
    new = Event(id="2099-01-05-linked", date=parse_edtf("2099-01-05"), kind="talks",
                title="Linked", countries=("china",), sources=(Source("Xinhua"),))  # fmt: skip

    def plan(view: index.Index) -> list[list[Event]]:
        link.unlink()  # another program removes the link while the import runs
        return [[new]]

    assert append_in_pieces(link, plan, lambda n: f"import of {n} events", 5) == 1
    assert memo.counters["follows"] == 0
    reset()
    assert load_store_fn(store).events[-1] == new
    assert memo.counters["builds"] == 1  # the index of the old bytes was not used


def test_a_hand_edit_while_add_runs_is_kept_and_the_index_built_once(store: Path) -> None:
    """A hand edit that lands while ``add`` holds the lock (after it looked at the index,
    before it writes): the file is then read whole, the edit kept, the new event appended
    after it, and the index built once from the file as it now is, not twice."""
    from dtimeline.dates import parse_edtf
    from dtimeline.model import Source
    from dtimeline.store.load import load_path
    from dtimeline.store.write import append_on_view

    load_store_fn(store)
    reset()
    new = Event(id="2099-01-05-during", date=parse_edtf("2099-01-05"), kind="talks",
                title="During", countries=("china",), sources=(Source("Xinhua"),))  # fmt: skip
    edited: list[str] = []

    def build(view: index.Index) -> list[Event]:
        if not edited:  # another program saves the file while the event is being made
            text = store.read_text("utf-8")
            store.write_text(text.replace(TITLE, f"{TITLE} (edited)", 1), "utf-8")
            edited.append(TITLE)
        return [new]

    assert append_on_view(store, build, lambda evs: "add", 5) == [new]
    assert memo.counters["builds"] == 1
    reset()
    got = load_store_fn(store)
    assert got == load_path(store)
    assert got.events[-1] == new
    assert f"{TITLE} (edited)" in {ev.title for ev in got.events}


def test_without_a_cache_an_import_keeps_its_index_for_the_next_read(
    store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DTIMELINE_NO_CACHE=1: the index an import kept in step lives in memory, and the next
    read in the same process is served by it, building nothing."""
    monkeypatch.setenv("DTIMELINE_NO_CACHE", "1")
    monkeypatch.setattr(index, "RACY_NS", 0)  # the file is not "just written": the key holds
    import_three(store, tmp_path)
    assert (memo.counters["memory_builds"], memo.counters["follows"]) == (1, 1)
    got = load_store_fn(store)
    assert memo.counters["memory_builds"] == 1
    assert [ev.title for ev in got.events[-3:]] == ["Bulk 0", "Bulk 1", "Bulk 2"]


def test_a_large_store_is_indexed_once_in_two_processes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A store past :data:`index.SPLIT_MIN` is indexed by two processes, once: not built
    again the one-process way after the two-process build succeeded."""
    from dtimeline.store import splitbuild
    from dtimeline.store.load import load_path

    if not splitbuild.available():
        pytest.skip("no os.fork here: the index is built by one process")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    import lean

    path = tmp_path / "events.toml"
    lean.write_store(3000, path)
    monkeypatch.setattr(index, "STREAM_MIN", 0)
    monkeypatch.setattr(index, "SPLIT_MIN", 0)
    assert index.load(path) == load_path(path)
    kinds = ("split_builds", "streamed_builds", "builds", "memory_builds")
    assert [memo.counters[k] for k in kinds] == [1, 0, 0, 0]


def test_an_event_of_fewer_countries_is_not_a_likely_duplicate(tmp_path: Path) -> None:
    """``add`` warns of a likely duplicate only for an event of the same set of countries:
    talks of China alone on the day are not the talks of China and Kazakhstan."""
    path = tmp_path / "events.toml"
    path.write_text('schema = 1\n\n[countries.china]\nname = "China"\n\n'
                    '[countries.kazakhstan]\nname = "Kazakhstan"\n', "utf-8")  # fmt: skip
    common = ("--kind", "talks", "--source", "Xinhua")
    ran = invoke("--store", str(path), "add", "2023-05-17", "Talks in Beijing", "-c", "china",
                 *common)  # fmt: skip
    assert ran.code == 0, ran.err
    ran = invoke("--store", str(path), "add", "2023-05-17", "Talks with Kazakhstan",
                 "-c", "china", "-c", "kazakhstan", *common)  # fmt: skip
    assert (ran.code, ran.out) == (0, "2023-05-17-talks-with-kazakhstan\n")
    assert ran.err.splitlines() == ['dtimeline: "2023-05-17" -> 2023-05-17, day precision']


def test_a_likely_duplicate_that_began_days_before_is_found(tmp_path: Path) -> None:
    """Talks of 15-20 May cover 17 May: adding talks of the same countries on 17 May warns,
    though the earlier event starts before the new one."""
    path = tmp_path / "events.toml"
    path.write_text('schema = 1\n\n[countries.china]\nname = "China"\n', "utf-8")
    common = ("-c", "china", "--kind", "talks", "--source", "Xinhua")
    ran = invoke("--store", str(path), "add", "2023-05-15/2023-05-20", "Long talks", *common)
    assert ran.code == 0, ran.err
    ran = invoke("--store", str(path), "add", "2023-05-17", "Talks", *common)
    assert (ran.code, ran.out) == (0, "2023-05-17-talks\n")
    assert ran.err.splitlines() == [
        'dtimeline: "2023-05-17" -> 2023-05-17, day precision',
        "dtimeline: warning: this looks like 2023-05-15-long-talks (15–20 May 2023: Long talks);"
        " added anyway",
    ]
