"""The store's index (store/index.py): used while it describes the file exactly, rebuilt
otherwise, never trusted over the store, never fatal."""

from __future__ import annotations

import os
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import run

from dtimeline.dates import parse_edtf
from dtimeline.errors import StoreError
from dtimeline.model import Event
from dtimeline.store import after_write, index
from dtimeline.store import load_store as load_store_fn
from dtimeline.store.memo import memo, reset

TITLE = "Xi Jinping and Kassym-Jomart Tokayev hold talks in Xi'an"


@pytest.fixture(autouse=True)
def new_process() -> None:
    reset()


@pytest.fixture
def plain(monkeypatch: pytest.MonkeyPatch) -> None:
    """No index is "racy": each relies on the stat key alone (ctime must catch edits)."""
    monkeypatch.setattr(index, "RACY_NS", 0)


def db_of(path: Path) -> Path:
    return index.db_file(path.resolve())


def edit_same_size_same_mtime(path: Path, old: str, new: str) -> None:
    """A hand edit that keeps the size and restores the mtime (only ctime moves)."""
    assert len(old.encode()) == len(new.encode())
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)


def titles(path: Path) -> set[str]:
    reset()  # as a new process reads it
    return {ev.title for ev in load_store_fn(path).events}


def meta(db: Path) -> dict[str, object]:
    with sqlite3.connect(db) as conn:
        return dict(conn.execute("SELECT name, value FROM meta").fetchall())


def test_second_read_is_served_by_the_index(store: Path, parses: list[Path]) -> None:
    first = load_store_fn(store)
    assert len(parses) == 1
    assert db_of(store).is_file()
    reset()
    second = load_store_fn(store)
    assert len(parses) == 1, "an unchanged store was parsed again"
    assert second == first


def test_index_is_private_and_in_the_cache_folder(store: Path, isolated: Path) -> None:
    load_store_fn(store)
    db = db_of(store)
    assert db.parent == isolated / "cache" / "dtimeline"
    assert stat.S_IMODE(db.stat().st_mode) == 0o600


@pytest.mark.parametrize("racy", [True, False])
def test_hand_edit_with_same_size_and_restored_mtime_is_seen(
    store: Path, parses: list[Path], racy: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not racy:
        monkeypatch.setattr(index, "RACY_NS", 0)  # only the stat key (ctime) can catch it
    assert TITLE in titles(store)
    edit_same_size_same_mtime(store, TITLE, TITLE.upper())
    seen = titles(store)
    assert len(parses) == 2
    assert TITLE.upper() in seen and TITLE not in seen


def test_edit_in_the_same_tick_is_caught_by_the_racy_check(
    store: Path, parses: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Even if the clock did not move at all (same stat key), a fresh index is verified."""
    load_store_fn(store)
    first = index.ticket(store)
    assert first is not None
    edit_same_size_same_mtime(store, TITLE, TITLE.swapcase())
    real = index.ticket

    def frozen_clock(path: Path) -> index.Ticket | None:
        t = real(path)
        assert t is not None
        return t._replace(key=first.key)  # pretend the edit left every stat field as it was

    monkeypatch.setattr(index, "ticket", frozen_clock)
    assert TITLE.swapcase() in titles(store)
    assert len(parses) == 2


def test_fresh_index_becomes_plain_once_old(
    store: Path, parses: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    load_store_fn(store)
    assert meta(db_of(store))["racy"] == 1  # the file was just written
    monkeypatch.setattr(index, "RACY_NS", 0)  # as if two seconds had passed
    titles(store)  # a verified hit, which marks the index plain
    assert meta(db_of(store))["racy"] == 0
    titles(store)
    assert len(parses) == 1


@pytest.mark.parametrize("cut", [1, 100, 4096, -1, -4096])
def test_truncated_index_is_rebuilt(store: Path, parses: list[Path], cut: int, plain: None) -> None:
    first = load_store_fn(store)
    db = db_of(store)
    reset()
    db.write_bytes(db.read_bytes()[:cut])
    assert load_store_fn(store) == first  # whatever SQLite noticed, the truth
    if cut > 0:  # no header or no tables at all: certainly rebuilt
        assert len(parses) == 2
    assert meta(db)["key"] == index.ticket(store).key  # type: ignore[union-attr]
    assert titles(store) == {ev.title for ev in first.events}


@pytest.mark.parametrize(
    "garbage",
    [b"", b"not a database", b"SQLite format 3\x00" + b"\xff" * 64, os.urandom(8192)],
)
def test_garbage_is_rebuilt(store: Path, parses: list[Path], garbage: bytes) -> None:
    first = load_store_fn(store)
    reset()
    db_of(store).write_bytes(garbage)
    assert load_store_fn(store) == first
    assert len(parses) == 2


def test_damaged_pages_are_rebuilt(store: Path, parses: list[Path], plain: None) -> None:
    first = load_store_fn(store)
    reset()
    db = db_of(store)
    data = bytearray(db.read_bytes())
    for at in range(4096, len(data), 4096):  # every page but the first: the file header
        data[at : at + 64] = b"\xa5" * 64
    db.write_bytes(bytes(data))
    assert load_store_fn(store) == first
    assert len(parses) == 2


def test_foreign_database_is_rebuilt(store: Path, parses: list[Path]) -> None:
    first = load_store_fn(store)
    reset()
    db = db_of(store)
    db.unlink()
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE notes(text)")
        conn.execute("INSERT INTO notes VALUES ('someone else''s')")
    assert load_store_fn(store) == first
    assert len(parses) == 2
    assert "format" in meta(db)


@pytest.mark.parametrize("change", ["format", "key"])
def test_newer_format_or_other_key_is_rebuilt(
    store: Path, parses: list[Path], change: str, plain: None
) -> None:
    first = load_store_fn(store)
    reset()
    with sqlite3.connect(db_of(store)) as conn:
        value = 999 if change == "format" else "another file"
        conn.execute("UPDATE meta SET value = ? WHERE name = ?", (value, change))
        conn.execute("DELETE FROM events")  # what it says must not be believed
    assert load_store_fn(store) == first
    assert len(parses) == 2


def test_new_version_is_rebuilt(
    store: Path, parses: list[Path], monkeypatch: pytest.MonkeyPatch, plain: None
) -> None:
    load_store_fn(store)
    monkeypatch.setattr(index, "__version__", "999.0")
    titles(store)
    assert len(parses) == 2
    titles(store)
    assert len(parses) == 2  # the new version's index is used from then on


def test_index_of_another_file_is_not_used(tmp_path: Path, store: Path, parses: list[Path]) -> None:
    """Replacing the file (a new inode: git checkout, cp, editors) is a rebuild."""
    load_store_fn(store)
    other = tmp_path / "other.toml"
    other.write_text(store.read_text(encoding="utf-8").replace(TITLE, "Replaced"), "utf-8")
    os.replace(other, store)
    assert "Replaced" in titles(store)
    assert len(parses) == 2


def test_cache_folder_that_is_a_file_means_an_index_in_memory(
    store: Path, parses: list[Path], isolated: Path
) -> None:
    (isolated / "cache").write_text("a file where the cache folder should be")
    first = load_store_fn(store)
    assert memo.counters["memory_builds"] == 1
    assert titles(store) == {ev.title for ev in first.events}
    assert len(parses) == 2  # no index kept, but no error either


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores permissions")
def test_read_only_cache_folder_means_an_index_in_memory(
    store: Path, isolated: Path
) -> None:  # pragma: no cover - not as root
    folder = isolated / "cache" / "dtimeline"
    folder.mkdir(parents=True)
    folder.chmod(0o500)
    try:
        assert load_store_fn(store).events
        assert memo.counters["memory_builds"] == 1
        ran = run("--store", str(store), "query", "--search", "xian", "--format", "ids")
        assert (ran.code, ran.err) == (0, "")
        assert "2023-05-17-xi-tokayev-talks-xian" in ran.out.split()
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o700)


def test_read_only_index_file_is_not_fatal(store: Path, plain: None) -> None:
    first = load_store_fn(store)
    db = db_of(store)
    db.chmod(0o400)
    try:
        assert titles(store) == {ev.title for ev in first.events}
    finally:
        db.chmod(0o600)


def test_no_cache_variable(
    store: Path, parses: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DTIMELINE_NO_CACHE", "1")
    titles(store)
    titles(store)
    assert len(parses) == 2
    assert not db_of(store).exists()
    monkeypatch.setenv("DTIMELINE_NO_CACHE", "0")
    titles(store)
    titles(store)
    assert len(parses) == 3


def test_no_cache_keeps_its_index_in_a_temporary_file_that_never_stays(
    store: Path, tmp_path: Path
) -> None:
    """Without a cache the index lives in SQLite's private temporary database: the answer
    is the same as with one, and the temporary folder is as empty afterwards as before."""
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    args = ("--store", str(store), "query", "--search", "xian", "--format", "ids")
    cold = run(*args, env={"DTIMELINE_NO_CACHE": "1", "TMPDIR": str(scratch),
                           "SQLITE_TMPDIR": str(scratch)})  # fmt: skip
    warm = run(*args)
    assert (cold.code, cold.err) == (0, "")
    assert "2023-05-17-xi-tokayev-talks-xian" in cold.out.split()
    assert cold.out == warm.out
    assert list(scratch.iterdir()) == []


def test_no_temporary_file_to_be_had_means_memory(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = sqlite3.connect
    asked: list[str] = []

    def connect(name: str, *args: object, **kwargs: object) -> sqlite3.Connection:
        asked.append(name)
        if name == "":
            raise sqlite3.OperationalError("unable to open database file")
        return real(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(sqlite3, "connect", connect)
    monkeypatch.setenv("DTIMELINE_NO_CACHE", "1")
    assert TITLE in titles(store)
    assert asked[-2:] == ["", ":memory:"]
    assert memo.counters["memory_builds"] == 1


def test_store_with_errors_is_not_indexed(store: Path, parses: list[Path]) -> None:
    text = store.read_text(encoding="utf-8")
    store.write_text(text.replace('kind = "talks"', 'kind = "no-such-kind"', 1), encoding="utf-8")
    for _ in range(2):
        reset()
        with pytest.raises(StoreError):
            load_store_fn(store)
    assert len(parses) == 2
    assert not db_of(store).exists()


def append_event(path: Path, n: int) -> Event:
    """Append one valid event by hand (as `add` would) and return it as the model has it."""
    with path.open("a", encoding="utf-8") as fh:
        fh.write(
            f'\n[[events]]\nid = "2099-01-0{n}-written"\ndate = "2099-01-0{n}"\n'
            f'kind = "talks"\ntitle = "Written {n}"\ncountries = ["china", "kazakhstan"]\n'
        )
    return Event(
        id=f"2099-01-0{n}-written", date=parse_edtf(f"2099-01-0{n}"), kind="talks",
        title=f"Written {n}", countries=("china", "kazakhstan"),
    )  # fmt: skip


def test_after_write_keeps_the_index_in_step(store: Path, parses: list[Path]) -> None:
    current = load_store_fn(store)
    for n in (1, 2):
        current = replace(current, events=(*current.events, append_event(store, n)))
        after_write(store, current, store.read_bytes())
        assert memo.counters["follows"] == 1  # rows inserted, not rebuilt
        reset()
        assert load_store_fn(store) == current
    assert len(parses) == 1


def test_a_rewrite_updates_the_changed_rows(store: Path, parses: list[Path]) -> None:
    first = load_store_fn(store)
    store.write_text(store.read_text(encoding="utf-8").replace(TITLE, "Changed"), "utf-8")
    changed = tuple(replace(e, title="Changed") if e.title == TITLE else e for e in first.events)
    new = replace(first, events=changed)
    after_write(store, new, store.read_bytes())
    assert memo.counters["follows"] == 1
    reset()
    assert load_store_fn(store) == new
    assert len(parses) == 1
    ran = run("--store", str(store), "query", "--search", "changed", "--format", "ids")
    assert ran.out.split() == ["2023-05-17-xi-tokayev-talks-xian"]


def test_cli_sees_hand_edit(store: Path, isolated: Path) -> None:
    """Through the real entry point: run twice (the second is served by the index), edit
    by hand keeping size and mtime, run again."""
    args = ("--store", str(store), "query", "--search", "Xi'an", "--format", "plain")
    one = run(*args)
    assert one.code == 0, one.err
    assert db_of(store).is_file()
    two = run(*args)
    assert (two.code, two.out) == (0, one.out)
    edit_same_size_same_mtime(store, TITLE, TITLE.upper())
    three = run(*args)
    assert three.code == 0, three.err
    assert TITLE.upper() in three.out and TITLE not in three.out
    cold = run(*args, env={"DTIMELINE_NO_CACHE": "1"})
    assert cold.out == three.out


def test_cli_with_truncated_index(store: Path) -> None:
    args = ("--store", str(store), "query", "--format", "ids")
    one = run(*args)
    assert one.code == 0, one.err
    db = db_of(store)
    db.write_bytes(db.read_bytes()[: db.stat().st_size // 2])
    two = run(*args)
    assert (two.code, two.out, two.err) == (0, one.out, one.err)


@pytest.mark.parametrize(
    ("flag", "heavy"),
    [
        ("--version", ["rich", "rich.table", "rich.console"]),
        # typer draws its help with rich (panels are tables): only the rest must stay out
        ("--help", []),
    ],
)
def test_version_and_help_stay_light(flag: str, heavy: list[str]) -> None:
    """`--version` and `--help` import neither the store, sqlite3, dateutil, tomli nor pydantic."""
    heavy = [*heavy, "dateutil", "tomli", "sqlite3", "dtimeline.store", "dtimeline.store.load",
             "dtimeline.dates", "pydantic"]  # fmt: skip
    probe = (
        "import sys, runpy\n"
        "sys.argv = ['dtimeline', sys.argv[1]]\n"
        "try:\n"
        "    runpy.run_module('dtimeline', run_name='__main__')\n"
        "except SystemExit:\n"
        "    pass\n"
        f"bad = [m for m in {heavy!r} if m in sys.modules]\n"
        "sys.stderr.write(repr(bad))\n"
    )
    ran = subprocess.run(
        [sys.executable, "-c", probe, flag], capture_output=True, text=True, check=False
    )
    assert ran.stderr.strip().endswith("[]"), (flag, ran.stderr[-500:])
    assert "dtimeline" in ran.stdout


# --- processes -----------------------------------------------------------------------------

BUILDER = """
import sys
from pathlib import Path
from dtimeline.store import load_store
from dtimeline.store.memo import reset

for _ in range(int(sys.argv[2])):
    reset()
    load_store(Path(sys.argv[1]))
"""


def test_two_processes_building_at_once(store: Path, plain: None) -> None:
    """Builders racing on a missing index each rename a complete one: every read is true."""
    want = load_store_fn(store)
    for _ in range(3):
        db_of(store).unlink()
        procs = [
            subprocess.Popen([sys.executable, "-c", BUILDER, str(store), "3"]) for _ in range(2)
        ]
        assert [p.wait(timeout=120) for p in procs] == [0, 0]
        reset()
        assert load_store_fn(store) == want
        assert memo.counters["misses"] == 0
    assert not list(db_of(store).parent.glob(".tmp-*"))


def test_sigkill_mid_build_leaves_no_false_index(store: Path, tmp_path: Path) -> None:
    """A builder killed at random moments: the next read still gives the store's truth."""
    big = tmp_path / "big.toml"
    text = store.read_text(encoding="utf-8")
    head, _, body = text.partition("\n[[events]]\n")
    blocks = body.split("\n[[events]]\n")
    copies = [
        "\n[[events]]\n" + b.replace('id = "', f'id = "c{n}-', 1) for n in range(20) for b in blocks
    ]
    big.write_text(head + "".join(copies), encoding="utf-8")
    want = {ev.id for ev in load_store_fn(big).events}
    for delay in (0.05, 0.2, 0.4, 0.8):
        reset()
        db_of(big).unlink(missing_ok=True)
        proc = subprocess.Popen([sys.executable, "-c", BUILDER, str(big), "1"])
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        assert {ev.id for ev in load_store_fn(big).events} == want
    # what a killed builder leaves is a temporary file, swept once old
    for stale in db_of(big).parent.glob(".tmp-*"):
        os.utime(stale, (1, 1))
    reset()
    db_of(big).unlink()
    load_store_fn(big)
    assert not list(db_of(big).parent.glob(".tmp-*"))


def test_a_long_date_added_later_is_still_found_by_a_date_filter(store: Path) -> None:
    """The date filter bounds the earliest day by the longest span the index has seen: a
    write that adds a longer one must widen it."""
    from datetime import date

    from dtimeline.query import Filter
    from dtimeline.store.select import select

    first = load_store_fn(store)
    long = Event(id="long-one", date=parse_edtf("1995/2030"), kind="talks", title="Long",
                 countries=("china", "kazakhstan"))  # fmt: skip
    with store.open("a", encoding="utf-8") as fh:
        fh.write('\n[[events]]\nid = "long-one"\ndate = "1995/2030"\nkind = "talks"\n'
                 'title = "Long"\ncountries = ["china", "kazakhstan"]\n')  # fmt: skip
    after_write(store, replace(first, events=(*first.events, long)), store.read_bytes())
    assert memo.counters["follows"] == 1
    reset()
    flt = Filter(as_of=date(2026, 11, 27), since=date(2026, 1, 1), until=date(2026, 1, 31))
    assert "long-one" in [ev.id for ev in select(index.open_index(store), flt)]


def test_a_write_that_declares_a_country_updates_the_index_in_place(store: Path) -> None:
    """An add naming a country the store does not declare yet adds the declaration and the
    event to the index (no rebuild); the index then answers as one built from the file."""
    from conftest import invoke

    from dtimeline.store.load import load_text

    assert invoke("--store", str(store), "query", "--format", "ids").code == 0
    reset()
    ran = invoke("--store", str(store), "add", "2031-05-02", "Talks with the Élysée",
                 "-c", "china", "-c", "France", "-k", "talks", "--source", "x")  # fmt: skip
    assert ran.code == 0, ran.err
    assert memo.counters["follows"] == 1 and memo.counters["builds"] == 0, memo
    reset()
    served = load_store_fn(store)
    parsed, problems = load_text(store.read_text(encoding="utf-8"), store)
    assert not [p for p in problems if not p.strict]
    assert served == parsed
    assert served.countries["france"].iso == "FR"
    for args in (["-c", "FR"], ["-c", "france"], ["-s", "élysée"], ["-s", "france"]):
        ran = invoke("--store", str(store), "query", *args, "--format", "ids")
        assert ran.out.split() == ["2031-05-02-talks-with-the-elysee"], (args, ran.out)
    assert memo.counters["builds"] == 0  # every read above was served by that index
