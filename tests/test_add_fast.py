"""`add` on the writer's view (store/view.py): the full store is not unpickled, and the read
cache it leaves behind always gives what a fresh parse of the file gives."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest
from conftest import invoke, run

from dtimeline.dates import parse_edtf
from dtimeline.errors import ConflictError
from dtimeline.model import Event
from dtimeline.serialize import event_to_dict
from dtimeline.store import cache, load_store
from dtimeline.store import view as wv
from dtimeline.store.write import append_on_view

COLD = {"DTIMELINE_NO_CACHE": "1"}


def entry_of(path: Path) -> Path:
    return cache.cache_file(path.resolve())


def view_path(path: Path) -> Path:
    return wv.view_file(entry_of(path))


def new_process() -> None:
    """As if the next step ran in a new process."""
    cache._bases.clear()
    cache._loaded.clear()
    cache._by_key.clear()


def talks(n: int, day: str = "2099-01-05") -> Event:
    return Event(
        id=f"fast-{n}", date=parse_edtf(day), kind="talks", title=f"Fast {n}",
        countries=("china", "kazakhstan"),
    )  # fmt: skip


@pytest.fixture
def full_reads(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """Every full entry unpickled (by its key)."""
    seen: list[bytes] = []
    real = cache._read_base

    def counting(t: cache.Ticket, key: bytes, want_crc: int | None) -> tuple[object, int]:
        seen.append(key)
        return real(t, key, want_crc)

    monkeypatch.setattr(cache, "_read_base", counting)
    return seen


def same_as_cold(path: Path) -> list[dict[str, object]]:
    """The store read through the cache equals a parse with the cache off."""
    new_process()
    warm = [event_to_dict(e) for e in load_store(path).events]
    os.environ["DTIMELINE_NO_CACHE"] = "1"
    try:
        cold = [event_to_dict(e) for e in load_store(path).events]
    finally:
        del os.environ["DTIMELINE_NO_CACHE"]
    assert warm == cold
    return warm


def add(path: Path, ev: Event) -> list[Event]:
    return append_on_view(path, lambda view: [ev], lambda evs: f"add {evs[0].id}", 5)


def test_fast_add_does_not_unpickle_the_full_store(store: Path, full_reads: list[bytes]) -> None:
    load_store(store)  # a read leaves the full entry and the view
    assert view_path(store).is_file()
    new_process()
    full_reads.clear()
    before = dict(wv.counters)
    for n in (1, 2, 3):
        add(store, talks(n))
        new_process()
    assert full_reads == []
    assert wv.counters["view_hits"] - before["view_hits"] == 3
    assert wv.counters["fast_updates"] - before["fast_updates"] == 3
    events = same_as_cold(store)
    assert [e["id"] for e in events[-3:]] == ["fast-1", "fast-2", "fast-3"]
    assert len(full_reads) == 1  # the read above: one full entry plus the delta


def test_view_answers_what_add_asks(store: Path) -> None:
    full = load_store(store)
    view = wv.view_of(full)
    assert view.head.countries == full.countries and view.head.events == ()
    assert view.id_set() == {e.id for e in full.events}
    again = pickle.loads(pickle.dumps(view))
    assert again == view
    for ev in full.events:
        want = [
            (o.id, o.date.edtf(), o.title)
            for o in full.events
            if o.id != ev.id
            and o.kind == ev.kind
            and set(o.countries) == set(ev.countries)
            and o.date.overlaps(ev.date.earliest, ev.date.latest)
        ]
        assert [tuple(s) for s in again.similar(ev)] == want
        assert parse_edtf(ev.date.edtf()).human() == ev.date.human()


def test_titles_holding_the_separator_survive_the_view(store: Path) -> None:
    full = load_store(store)
    odd = Event(id="odd", date=parse_edtf("2001"), kind="talks", title="a\x00b\nc",
                countries=("china",))  # fmt: skip
    view = wv.view_of(full).plus([odd])
    again = pickle.loads(pickle.dumps(view))
    assert again.titles[-1] == "a\x00b\nc" and again == view
    assert pickle.loads(pickle.dumps(wv.view_of(full.__class__()))).ids == ()


@pytest.mark.parametrize("damage", ["cut5", "cut-1", "flip", "empty", "garbage"])
def test_damaged_view_is_ignored(store: Path, full_reads: list[bytes], damage: str) -> None:
    load_store(store)
    path = view_path(store)
    data = path.read_bytes()
    if damage.startswith("cut"):
        path.write_bytes(data[: int(damage[3:])])
    elif damage == "flip":
        path.write_bytes(data[:-10] + bytes([data[-10] ^ 1]) + data[-9:])
    elif damage == "empty":
        path.write_bytes(b"")
    else:
        path.write_bytes(wv.VIEW_MAGIC + os.urandom(200))
    new_process()
    full_reads.clear()
    misses = wv.counters["view_misses"]
    add(store, talks(1))
    assert wv.counters["view_misses"] == misses + 1
    assert full_reads  # fell back to the full store
    assert same_as_cold(store)[-1]["id"] == "fast-1"


def test_view_of_other_bytes_under_the_same_key_is_ignored(
    store: Path, full_reads: list[bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A view names the exact bytes it describes: a same-key edit (clock did not move) is
    caught even where the stat key cannot see it."""
    load_store(store)
    real = cache.ticket
    first = real(store)
    assert first is not None
    text = store.read_text(encoding="utf-8")
    store.write_text(text.replace('title = "', 'title = "X', 1), encoding="utf-8")

    def frozen(path: Path) -> cache.Ticket | None:
        t = real(path)
        return None if t is None else cache.Ticket(t.store, t.cache, first.key, t.changed_ns)

    monkeypatch.setattr(cache, "ticket", frozen)
    monkeypatch.setattr(wv, "ticket", frozen)
    new_process()
    misses = wv.counters["view_misses"]
    add(store, talks(1))  # the (racy) full entry is refused too: the file is parsed
    assert wv.counters["view_misses"] == misses + 1
    assert load_store(store).events[-1].id == "fast-1"
    monkeypatch.undo()
    assert 'title = "X' in store.read_text(encoding="utf-8")
    events = same_as_cold(store)
    assert events[-1]["id"] == "fast-1" and str(events[0]["title"]).startswith("X")


def test_long_delta_turns_into_a_full_entry(
    store: Path, full_reads: list[bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "delta_limit", lambda count: 2)
    load_store(store)
    first_entry = entry_of(store).read_bytes()
    for n in (1, 2):
        add(store, talks(n))
        new_process()
    assert entry_of(store).read_bytes() == first_entry  # deltas so far
    add(store, talks(3))  # would make three: the full store is loaded and cached whole
    assert entry_of(store).read_bytes() != first_entry
    assert not entry_of(store).with_suffix(".delta").exists()
    assert [e["id"] for e in same_as_cold(store)[-3:]] == ["fast-1", "fast-2", "fast-3"]
    new_process()
    full_reads.clear()
    add(store, talks(4))
    assert full_reads == []
    assert same_as_cold(store)[-1]["id"] == "fast-4"


def test_conflicting_id_writes_nothing(store: Path) -> None:
    load_store(store)
    add(store, talks(1))
    before = store.read_bytes()
    new_process()
    with pytest.raises(ConflictError):
        add(store, talks(1))
    assert store.read_bytes() == before
    same_as_cold(store)


def test_cache_off_still_adds(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DTIMELINE_NO_CACHE", "1")
    add(store, talks(1))
    assert load_store(store).events[-1].id == "fast-1"
    assert not view_path(store).exists()


def query_json(store: Path, env: dict[str, str] | None = None) -> str:
    ran = run("--store", str(store), "query", "--format", "json", env=env)
    assert ran.code == 0, ran.err
    return ran.out


def test_cli_adds_mixed_with_edit_remove_undo_read_back_exactly(store: Path) -> None:
    """Each step in a new process; after each, a cached read equals a cold one."""
    base = ("--store", str(store))
    assert query_json(store) == query_json(store, COLD)
    ids: list[str] = []
    steps: list[tuple[str, ...]] = [
        ("add", "2099-01-01", "Fast one", "-c", "china", "-c", "kz", "-k", "talks"),
        ("add", "2099-01-01", "Fast two", "-c", "kz", "-c", "china", "-k", "talks"),
        ("add", "Jan 2099", "Fast three", "-c", "china", "--source", "https://example.org/a"),
        ("edit", "{0}", "--title", "Fast one, edited"),
        ("add", "2099-02-01", "Fast four", "-c", "china"),
        ("remove", "{1}"),
        ("add", "2099-03-01", "Fast five", "-c", "kz"),
        ("undo",),
        ("undo",),
        ("add", "2099-04-01", "Fast six", "-c", "kz"),
        ("add", "2099-04-01", "Fast seven", "-c", "kz", "--id", "fast-seven"),
    ]
    for step in steps:
        args = tuple(a.format(*ids) for a in step)
        ran = run(*base, *args)
        assert ran.code == 0, (args, ran.err)
        if step[0] == "add":
            ids.append(ran.out.strip())
            assert view_path(store).is_file()
        assert query_json(store) == query_json(store, COLD), args
    listed = run(*base, "query", "--format", "ids").out.split()
    # the two undos took back "Fast five" and the removal of "Fast two"
    assert "fast-seven" in listed and ids[1] in listed and ids[4] not in listed
    assert ids[5] in listed and ids[3] in listed


def test_cli_warnings_and_ids_are_those_of_the_full_store(store: Path) -> None:
    base = ("--store", str(store))
    first = run(*base, "add", "2025-05-01", "Same", "-c", "china", "-c", "kz")
    second = run(*base, "add", "May 2025", "Same", "-c", "kz", "-c", "china")
    assert second.code == 0
    want = f"warning: this looks like {first.out.strip()} (1 May 2025: Same); added anyway"
    assert want in second.err
    assert "no --source given" in second.err
    clash = run(*base, "add", "2025-05-01", "X", "-c", "china", "--id", first.out.strip())
    assert clash.code == 5 and "exists already" in clash.err
    dry = invoke(*base, "add", "May 2025", "Same", "-c", "china", "-c", "kz", "--dry-run")
    assert dry.code == 0 and want in dry.err


FAST_WRITER = """
import sys
from pathlib import Path
from dtimeline.dates import parse_edtf
from dtimeline.model import Event
from dtimeline.store.write import append_on_view

path, tag, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
for i in range(count):
    ev = Event(id=f"p{tag}-{i}", date=parse_edtf("2025-01-01"), kind="other",
               title=f"writer {tag} event {i}", countries=("china",))
    append_on_view(path, lambda view, ev=ev: [ev], lambda evs: "add", 60.0)
"""

READER = """
import sys
from pathlib import Path
from dtimeline.store import cache, load_store

path = Path(sys.argv[1])
for _ in range(int(sys.argv[2])):
    cache._bases.clear(); cache._loaded.clear(); cache._by_key.clear()
    load_store(path)
"""


def test_writers_and_readers_at_once_leave_a_true_cache(store: Path) -> None:
    """Readers (which rewrite entries on a miss, without the lock) racing `add`s."""
    import subprocess
    import sys

    load_store(store)
    procs = [
        subprocess.Popen([sys.executable, "-c", FAST_WRITER, str(store), str(n), "12"])
        for n in range(3)
    ] + [subprocess.Popen([sys.executable, "-c", READER, str(store), "15"]) for _ in range(2)]
    assert [p.wait(timeout=120) for p in procs] == [0] * 5
    events = same_as_cold(store)
    ids = {str(e["id"]) for e in events}
    assert {f"p{n}-{i}" for n in range(3) for i in range(12)} <= ids
