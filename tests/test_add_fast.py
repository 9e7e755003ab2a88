"""`add` on the store's index (store/index.py): no event of the store is built, and the
index it leaves behind always gives what a fresh parse of the file gives."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import invoke, run

from dtimeline.dates import parse_edtf
from dtimeline.errors import ConflictError
from dtimeline.model import Event
from dtimeline.serialize import event_to_dict
from dtimeline.store import index, load_store, rows
from dtimeline.store.memo import memo, reset
from dtimeline.store.write import append_on_view

COLD = {"DTIMELINE_NO_CACHE": "1"}


def db_of(path: Path) -> Path:
    return index.db_file(path.resolve())


def new_process() -> None:
    """As if the next step ran in a new process."""
    reset()


def talks(n: int, day: str = "2099-01-05") -> Event:
    return Event(
        id=f"fast-{n}", date=parse_edtf(day), kind="talks", title=f"Fast {n}",
        countries=("china", "kazakhstan"),
    )  # fmt: skip


@pytest.fixture
def built(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every event built from the index (by id)."""
    seen: list[str] = []
    real = rows.event_of

    def counting(row: tuple[object, ...]) -> Event:
        ev = real(row)
        seen.append(ev.id)
        return ev

    monkeypatch.setattr(rows, "event_of", counting)
    return seen


def same_as_cold(path: Path) -> list[dict[str, object]]:
    """The store read through the index equals a parse with the cache off."""
    new_process()
    warm = [event_to_dict(e) for e in load_store(path).events]
    os.environ["DTIMELINE_NO_CACHE"] = "1"
    try:
        new_process()
        cold = [event_to_dict(e) for e in load_store(path).events]
    finally:
        del os.environ["DTIMELINE_NO_CACHE"]
    assert warm == cold
    return warm


def add(path: Path, ev: Event) -> list[Event]:
    return append_on_view(path, lambda view: [ev], lambda evs: f"add {evs[0].id}", 5)


def test_add_builds_no_event_of_the_store(
    store: Path, built: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from dtimeline.store import write

    load_store(store)  # a read leaves the index
    new_process()
    built.clear()
    monkeypatch.setattr(index, "RACY_NS", 0)  # a racy index reads the file to check it

    def whole(target: Path) -> bytes:
        raise AssertionError("add read the whole store file into memory")

    monkeypatch.setattr(write, "read_current", whole)
    for n in (1, 2, 3):
        add(store, talks(n))
        new_process()
    monkeypatch.undo()
    assert built == []
    events = same_as_cold(store)
    assert [e["id"] for e in events[-3:]] == ["fast-1", "fast-2", "fast-3"]


def test_index_answers_what_add_asks(store: Path) -> None:
    full = load_store(store)
    view = index.open_index(store)
    assert view.head.countries == full.countries and view.head.events == ()
    ids = view.id_set()
    assert all(e.id in ids for e in full.events) and "no-such-id" not in ids
    ids.add("no-such-id")
    assert "no-such-id" in ids
    for ev in full.events:
        want = [
            (o.id, o.date.edtf(), o.title)
            for o in full.events
            if o.id != ev.id
            and o.kind == ev.kind
            and set(o.countries) == set(ev.countries)
            and o.date.overlaps(ev.date.earliest, ev.date.latest)
        ]
        assert [tuple(s) for s in view.similar(ev)] == want


@pytest.mark.parametrize("damage", ["cut4096", "cut-1", "empty", "garbage"])
def test_damaged_index_is_rebuilt_by_add(store: Path, damage: str) -> None:
    load_store(store)
    path = db_of(store)
    data = path.read_bytes()
    if damage.startswith("cut"):
        path.write_bytes(data[: int(damage[3:])])
    elif damage == "empty":
        path.write_bytes(b"")
    else:
        path.write_bytes(b"SQLite format 3\x00" + os.urandom(5000))
    new_process()
    add(store, talks(1))
    assert same_as_cold(store)[-1]["id"] == "fast-1"


def test_index_of_other_bytes_under_the_same_key_is_ignored(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The writer checks the index describes the exact bytes it read: a same-key edit (the
    clock did not move) is caught even where the stat key cannot see it."""
    load_store(store)
    real = index.ticket
    first = real(store)
    assert first is not None
    text = store.read_text(encoding="utf-8")
    store.write_text(text.replace('title = "', 'title = "X', 1), encoding="utf-8")

    def frozen(path: Path) -> index.Ticket | None:
        t = real(path)
        return None if t is None else t._replace(key=first.key)

    monkeypatch.setattr(index, "ticket", frozen)
    monkeypatch.setattr(index, "RACY_NS", 0)  # not even the racy check would see it
    new_process()
    add(store, talks(1))
    assert load_store(store).events[-1].id == "fast-1"
    monkeypatch.undo()
    assert 'title = "X' in store.read_text(encoding="utf-8")
    events = same_as_cold(store)
    assert events[-1]["id"] == "fast-1" and str(events[0]["title"]).startswith("X")


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
    assert not db_of(store).exists()
    assert memo.counters["memory_builds"] >= 1


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
            assert db_of(store).is_file()
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
from dtimeline.store import load_store
from dtimeline.store.memo import reset

path = Path(sys.argv[1])
for _ in range(int(sys.argv[2])):
    reset()
    load_store(path)
"""


def test_writers_and_readers_at_once_leave_a_true_index(store: Path) -> None:
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


def test_a_long_event_is_a_likely_duplicate_of_a_day_at_its_end(store: Path) -> None:
    """`similar` bounds its range of days by the store's longest date: a date of 25 years
    that ends on the new event's day is still found."""
    long = Event(id="long-talks", date=parse_edtf("2000-01-01/2024-05-17"), kind="talks",
                 title="Long talks", countries=("kazakhstan", "china"))  # fmt: skip
    add(store, long)
    new_process()
    view = index.open_index(store)
    day = talks(9, "2024-05-17")
    assert "long-talks" in [s.id for s in view.similar(day)]
    assert "long-talks" not in [s.id for s in view.similar(talks(9, "2024-05-18"))]
