"""The read cache (store/cache.py): hits when the file is unchanged, never stale, never fatal."""

from __future__ import annotations

import os
import pickle
import shutil
import stat
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import run

from dtimeline.dates import parse_edtf
from dtimeline.errors import StoreError
from dtimeline.model import Event
from dtimeline.store import after_write, cache, load
from dtimeline.store import load_store as load_store_fn

TITLE = "Xi Jinping and Kassym-Jomart Tokayev hold talks in Xi'an"


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every real TOML parse of a store, recorded (a cache hit parses nothing)."""
    seen: list[Path] = []
    real = load.parse_toml

    def counting(text: str, path: Path) -> dict[str, object]:
        seen.append(path)
        return real(text, path)

    monkeypatch.setattr(load, "parse_toml", counting)
    return seen


def entry_of(path: Path) -> Path:
    return cache.cache_file(path.resolve())


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


@pytest.fixture
def plain(monkeypatch: pytest.MonkeyPatch) -> None:
    """No entry is "racy": each relies on the stat key alone (ctime must catch edits)."""
    monkeypatch.setattr(cache, "RACY_NS", 0)


def titles(path: Path) -> set[str]:
    return {ev.title for ev in load_store_fn(path).events}


def test_second_read_is_a_hit(store: Path, parses: list[Path]) -> None:
    first = load_store_fn(store)
    assert len(parses) == 1
    assert entry_of(store).is_file()
    second = load_store_fn(store)
    assert len(parses) == 1, "an unchanged store was parsed again"
    assert second == first


def test_entry_is_private_and_in_the_cache_folder(store: Path, isolated: Path) -> None:
    load_store_fn(store)
    entry = entry_of(store)
    assert entry.parent == isolated / "cache" / "dtimeline"
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600


@pytest.mark.parametrize("racy", [True, False])
def test_hand_edit_with_same_size_and_restored_mtime_is_seen(
    store: Path, parses: list[Path], racy: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not racy:
        monkeypatch.setattr(cache, "RACY_NS", 0)  # only the stat key (ctime) can catch it
    assert TITLE in titles(store)
    assert len(parses) == 1
    edit_same_size_same_mtime(store, TITLE, TITLE.upper())
    seen = titles(store)
    assert len(parses) == 2
    assert TITLE.upper() in seen and TITLE not in seen


def test_edit_in_the_same_tick_is_caught_by_the_racy_check(
    store: Path, parses: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Even if the clock did not move at all (same ctime too), a fresh entry is verified."""
    load_store_fn(store)
    st = store.stat()
    real_ticket = cache.ticket

    def frozen_clock_ticket(path: Path) -> cache.Ticket | None:
        t = real_ticket(path)
        assert t is not None
        # pretend the edit below left every stat field as it was
        return cache.Ticket(t.store, t.cache, first_key, t.changed_ns)

    first_key = real_ticket(store).key  # type: ignore[union-attr]
    edit_same_size_same_mtime(store, TITLE, TITLE.swapcase())
    monkeypatch.setattr(cache, "ticket", frozen_clock_ticket)
    assert TITLE.swapcase() in titles(store)
    assert len(parses) == 2
    del st


def test_fresh_entry_becomes_plain_once_old(
    store: Path, parses: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    load_store_fn(store)
    assert cache._HEAD.unpack_from(entry_of(store).read_bytes())[2] == 1  # file just written
    monkeypatch.setattr(cache, "RACY_NS", 0)  # as if two seconds had passed
    load_store_fn(store)  # a verified hit, rewritten without the per-read check
    assert cache._HEAD.unpack_from(entry_of(store).read_bytes())[2] == 0
    load_store_fn(store)
    assert len(parses) == 1


@pytest.mark.parametrize("cut", [1, 20, 100, -1, -100])
def test_truncated_entry_is_ignored_and_rewritten(
    store: Path, parses: list[Path], cut: int, plain: None
) -> None:
    first = load_store_fn(store)
    entry = entry_of(store)
    data = entry.read_bytes()
    entry.write_bytes(data[:cut])
    assert load_store_fn(store) == first
    assert len(parses) == 2
    assert entry.read_bytes() == data  # rewritten whole
    load_store_fn(store)
    assert len(parses) == 2


@pytest.mark.parametrize(
    "garbage",
    [b"", b"not a cache", b"DTLCACHE" + b"\xff" * 64, os.urandom(4096)],
)
def test_garbage_entry_is_ignored(store: Path, parses: list[Path], garbage: bytes) -> None:
    first = load_store_fn(store)
    entry_of(store).write_bytes(garbage)
    assert load_store_fn(store) == first
    assert len(parses) == 2


def test_flipped_payload_byte_is_ignored(store: Path, parses: list[Path], plain: None) -> None:
    first = load_store_fn(store)
    entry = entry_of(store)
    data = bytearray(entry.read_bytes())
    data[-10] ^= 0xFF
    entry.write_bytes(bytes(data))
    assert load_store_fn(store) == first
    assert len(parses) == 2


def test_stale_version_tag_is_ignored(
    store: Path, parses: list[Path], monkeypatch: pytest.MonkeyPatch, plain: None
) -> None:
    load_store_fn(store)
    monkeypatch.setattr(cache, "__version__", "999.0")
    load_store_fn(store)
    assert len(parses) == 2
    load_store_fn(store)
    assert len(parses) == 2  # the new version's entry is used from then on


def test_entry_of_another_file_is_not_used(tmp_path: Path, store: Path, parses: list[Path]) -> None:
    """Replacing the file (a new inode: git checkout, cp, editors) is a miss."""
    load_store_fn(store)
    other = tmp_path / "other.toml"
    text = store.read_text(encoding="utf-8")
    other.write_text(text.replace(TITLE, TITLE.upper()), encoding="utf-8")
    os.replace(other, store)
    assert TITLE.upper() in titles(store)
    assert len(parses) == 2


def test_unwritable_cache_folder_does_not_break_reads(
    store: Path, parses: list[Path], isolated: Path
) -> None:
    (isolated / "cache").write_text("a file where the cache folder should be")
    first = load_store_fn(store)
    assert load_store_fn(store) == first
    assert len(parses) == 2  # no cache, but no error either


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores permissions")
def test_read_only_cache_folder_does_not_break_reads(store: Path, isolated: Path) -> None:
    folder = isolated / "cache" / "dtimeline"
    folder.mkdir(parents=True)
    folder.chmod(0o500)
    try:
        assert load_store_fn(store).events
    finally:
        folder.chmod(0o700)


def test_no_cache_variable(
    store: Path, parses: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DTIMELINE_NO_CACHE", "1")
    load_store_fn(store)
    load_store_fn(store)
    assert len(parses) == 2
    assert not entry_of(store).exists()
    monkeypatch.setenv("DTIMELINE_NO_CACHE", "0")
    load_store_fn(store)
    load_store_fn(store)
    assert len(parses) == 3


def test_store_with_errors_is_not_cached(store: Path, parses: list[Path]) -> None:
    text = store.read_text(encoding="utf-8")
    store.write_text(text.replace('kind = "talks"', 'kind = "no-such-kind"', 1), encoding="utf-8")
    for _ in range(2):
        with pytest.raises(StoreError):
            load_store_fn(store)
    assert len(parses) == 2
    assert not entry_of(store).exists()


def test_after_write_makes_the_next_read_a_hit(store: Path, parses: list[Path]) -> None:
    first = load_store_fn(store)
    ev = first.events[0]
    new_ev = replace(ev, id="2099-01-01-written", title="Written through")
    with store.open("a", encoding="utf-8") as fh:
        fh.write(
            '\n[[events]]\nid = "2099-01-01-written"\n'
            f'date = "{ev.date.edtf()}"\nkind = "{ev.kind}"\ntitle = "Written through"\n'
            f"countries = {list(ev.countries)!r}\n".replace("'", '"')
        )
    new = replace(first, events=(*first.events, new_ev))
    after_write(store, new)
    assert load_store_fn(store) == new
    assert len(parses) == 1


def test_after_write_with_cache_off_writes_nothing(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DTIMELINE_NO_CACHE", "1")
    after_write(store, load_store_fn(store))
    assert not entry_of(store).exists()


def test_cli_sees_hand_edit(store: Path, isolated: Path) -> None:
    """Through the real entry point: run twice (the second is served by the cache), edit
    by hand keeping size and mtime, run again."""
    args = ("--store", str(store), "query", "--search", "Xi'an", "--format", "plain")
    one = run(*args)
    assert one.code == 0, one.err
    assert entry_of(store).is_file()
    two = run(*args)
    assert (two.code, two.out) == (0, one.out)
    edit_same_size_same_mtime(store, TITLE, TITLE.upper())
    three = run(*args)
    assert three.code == 0, three.err
    assert TITLE.upper() in three.out and TITLE not in three.out
    shutil.rmtree(isolated / "cache")
    assert run(*args, env={"DTIMELINE_NO_CACHE": "1"}).out == three.out
    assert not (isolated / "cache").exists()


def test_cli_with_truncated_entry(store: Path) -> None:
    args = ("--store", str(store), "query", "--format", "ids")
    one = run(*args)
    assert one.code == 0, one.err
    entry = entry_of(store)
    entry.write_bytes(entry.read_bytes()[: entry.stat().st_size // 2])
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
    """`--version` and `--help` import neither the store, dateutil, tomli nor pydantic."""
    heavy = [*heavy, "dateutil", "tomli", "dtimeline.store", "dtimeline.store.load",
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


# --- write-through deltas ------------------------------------------------------------------


def append_event(path: Path, n: int) -> Event:
    """Append one valid event by hand (as `add` would) and return it as the model has it."""
    with path.open("a", encoding="utf-8") as fh:
        fh.write(
            f'\n[[events]]\nid = "2099-01-0{n}-written"\ndate = "2099-01-0{n}"\n'
            f'kind = "talks"\ntitle = "Written {n}"\ncountries = ["china", "kazakhstan"]\n'
        )
    return Event(
        id=f"2099-01-0{n}-written",
        date=parse_edtf(f"2099-01-0{n}"),
        kind="talks",
        title=f"Written {n}",
        countries=("china", "kazakhstan"),
    )


def forget_process_state() -> None:
    """As if the next read ran in a new process."""
    cache._bases.clear()
    cache._loaded.clear()


def test_appends_are_written_through_as_a_delta(store: Path, parses: list[Path]) -> None:
    first = load_store_fn(store)
    entry = entry_of(store)
    base_bytes = entry.read_bytes()
    current = first
    for n in (1, 2):
        current = replace(current, events=(*current.events, append_event(store, n)))
        after_write(store, current)
        assert entry.read_bytes() == base_bytes, (n, cache.counters)  # full entry left alone
        assert entry.with_suffix(".delta").is_file()
        forget_process_state()
        assert load_store_fn(store) == current
        current = load_store_fn(store)
    assert len(parses) == 1
    assert current.events[-2].title == "Written 1"


def test_delta_over_a_changed_base_is_not_used(store: Path, parses: list[Path]) -> None:
    first = load_store_fn(store)
    new = replace(first, events=(*first.events, append_event(store, 1)))
    after_write(store, new)
    # another process replaced the full entry meanwhile (same key, other content)
    t = cache.ticket(store)
    assert t is not None
    cache._write(t, t.cache, cache.MAGIC, pickle.dumps(replace(first, events=())), None)
    forget_process_state()
    assert load_store_fn(store) == new
    assert len(parses) == 2


@pytest.mark.parametrize("cut", [5, -1])
def test_truncated_delta_is_ignored(store: Path, parses: list[Path], cut: int) -> None:
    first = load_store_fn(store)
    new = replace(first, events=(*first.events, append_event(store, 1)))
    after_write(store, new)
    delta = entry_of(store).with_suffix(".delta")
    delta.write_bytes(delta.read_bytes()[:cut])
    forget_process_state()
    assert load_store_fn(store) == new
    assert len(parses) == 2


def test_a_rewrite_is_written_in_full(store: Path, parses: list[Path]) -> None:
    first = load_store_fn(store)
    text = store.read_text(encoding="utf-8")
    store.write_text(text.replace(TITLE, "Changed"), encoding="utf-8")
    changed = tuple(replace(e, title="Changed") if e.title == TITLE else e for e in first.events)
    new = replace(first, events=changed)
    after_write(store, new)
    assert not entry_of(store).with_suffix(".delta").exists()
    forget_process_state()
    assert load_store_fn(store) == new
    assert len(parses) == 1


def test_cli_add_then_read_is_a_hit_and_sees_the_event(store: Path) -> None:
    base = ("--store", str(store))
    assert run(*base, "query", "--format", "ids").code == 0
    added = run(*base, "add", "2099-01-01", "Bench talks", "--country", "china",
                "--kind", "talks", "--source", "https://example.org/x")  # fmt: skip
    assert added.code == 0, added.err
    event_id = added.out.strip()
    assert entry_of(store).with_suffix(".delta").is_file()
    listed = run(*base, "query", "--format", "ids")
    assert event_id in listed.out.split()
    cold = run(*base, "query", "--format", "ids", env={"DTIMELINE_NO_CACHE": "1"})
    assert cold.out == listed.out
