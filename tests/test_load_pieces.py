"""A large store is parsed in pieces (store/load.py): the result must be exactly what one
parse of the whole file gives, the same store and the same problems, or the same error."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

from dtimeline.errors import StoreError
from dtimeline.store import load
from dtimeline.store.schema import validate

PATH = Path("events.toml")
HEAD = """schema = 1

[countries.china]
name = "China"

[countries.kazakhstan]
name = "Kazakhstan"
"""


def whole(text: str) -> Any:
    """The reference: one parse of the whole text."""
    try:
        doc = load.parse_toml(text, PATH)
        load.check_schema_version(doc, PATH)
        store, problems = validate(doc, text, PATH)
    except StoreError as exc:
        return ("error", type(exc), str(exc))
    return ("ok", store, problems)


def pieces(text: str, monkeypatch: pytest.MonkeyPatch, chunk: int) -> Any:
    monkeypatch.setattr(load, "CHUNK", chunk)
    try:
        store, problems = load.load_text(text, PATH)
    except StoreError as exc:
        return ("error", type(exc), str(exc))
    return ("ok", store, problems)


def event(n: int, **extra: Any) -> str:
    table = {"id": f"e{n}", "date": "2023-05-17", "kind": "talks", "title": f"Talks {n}",
             "countries": ["china", "kazakhstan"], **extra}  # fmt: skip
    return "\n[[events]]\n" + tomli_w.dumps(table)


def test_large_store_is_read_in_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    real = load._load_in_pieces

    def spy(text: str, path: Path, starts: list[int]) -> Any:
        calls.append(len(starts))
        return real(text, path, starts)

    monkeypatch.setattr(load, "_load_in_pieces", spy)
    text = HEAD + "".join(event(n) for n in range(7))
    assert pieces(text, monkeypatch, 2) == whole(text)
    assert calls == [4]  # events 0-1, 2-3, 4-5, 6


TRICKY = {
    "multi-line string holding an events line": event(1, summary="a\n[[events]]\nid = 'x'\n")
    + event(2),
    "literal multi-line string": event(1) + "\n[[events]]\nid = 'e2'\nsummary = '''\n"
    "[[events]]\n'''\ndate = '2023'\nkind = 'talks'\ntitle = 'T'\ncountries = ['china']\n"
    + event(3),
    "multi-line array cut": event(1) + "\n[[events]]\nid = 'e2'\ntags = [\n\n[[events]]\n]\n",
    "top-level table after events": event(1) + event(2) + "\n[kinds]\nvisitx = 'x'\n",
    "a head table repeated after events": event(1) + "\n[countries.china]\nname = 'C'\n" + event(2),
    "events as a key in the head": HEAD.replace("schema = 1\n", "schema = 1\nevents = []\n")
    + event(1)
    + event(2),
    "events as a table": event(1) + "\n[events]\nx = 1\n" + event(2),
    "duplicate ids across pieces": event(1) + event(2) + event(1),
    "sources of an event": event(1, sources=[{"publisher": "A"}, {"publisher": "B"}]) + event(2),
    "syntax error in a later piece": event(1) + event(2) + "\n[[events]]\nid = \n",
    "bad date in a later piece": event(1) + event(2, date="2023-02-30"),
    "unknown key in a later piece": event(1) + event(2, colour="red"),
    "header line with a comment": event(1) + "\n[[events]]  # note\nid = 'e9'\n" + event(2),
    "crlf line ends": (HEAD + event(1) + event(2)).replace("\n", "\r\n"),
}


@pytest.mark.parametrize("chunk", [1, 2])
@pytest.mark.parametrize("body", TRICKY.values(), ids=TRICKY.keys())
def test_tricky_files_mean_the_same_in_pieces(
    body: str, chunk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = body if body.startswith("schema") else HEAD + body
    assert pieces(text, monkeypatch, chunk) == whole(text)


values = st.lists(
    st.sampled_from(["a", "\n", "[[events]]", '"""', "'''", "\\", "é", "#", "="]), max_size=8
).map("".join)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.fixed_dictionaries({"title": values, "summary": values}), max_size=6),
    st.integers(1, 3),
    st.sampled_from(["", "events = []\n", "[kinds]\nx = 'y'\n"]),
)
def test_any_store_means_the_same_in_pieces(
    rows: list[dict[str, str]], chunk: int, tail: str
) -> None:
    text = HEAD + "".join(event(n, **row) for n, row in enumerate(rows)) + tail
    with pytest.MonkeyPatch.context() as mp:
        assert pieces(text, mp, chunk) == whole(text)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from([event(1), event(2), "\n[[events]]\n", "id = 'x'\n", '"""\n',
                                 "'''\n", "[\n", "]\n", "\n[countries.x]\nname = 'X'\n"]),
                max_size=8))  # fmt: skip
def test_arbitrary_fragments_mean_the_same_in_pieces(parts: list[str]) -> None:
    text = HEAD + "".join(parts)
    with pytest.MonkeyPatch.context() as mp:
        assert pieces(text, mp, 1) == whole(text)


# --- the index built straight from disk (store/index.py, load.stream_tables) --------------


def via_index(text: str, chunk: int, piece: int, split: bool = False) -> Any:
    """The store the index gives when it is built from the file in pieces from disk
    (``split``: by two processes, store/splitbuild.py, where it can)."""
    import tempfile

    from dtimeline.store import index
    from dtimeline.store.memo import reset

    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as mp:
        path = Path(folder) / PATH
        path.write_bytes(text.encode("utf-8"))
        mp.setattr(load, "CHUNK", chunk)
        mp.setattr(load, "STREAM_PIECE", piece)
        mp.setattr(index, "STREAM_MIN", 0)
        if split:
            mp.setattr(index, "SPLIT_MIN", 0)
        reset()
        try:
            got: Any = ("ok", index.load(path))
        except StoreError as exc:
            got = ("error", str(exc).replace(str(path), "PATH"))
        reset()
        try:
            want: Any = ("ok", load.load_checked(text, path))
        except StoreError as exc:
            want = ("error", str(exc).replace(str(path), "PATH"))
    assert got == want
    return got


def test_index_of_a_large_store_is_built_from_disk_in_pieces(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from dtimeline.store.memo import memo

    def never(path: Path) -> bytes:
        raise AssertionError("the whole file was read")

    monkeypatch.setattr(load, "read_bytes", never)
    text = HEAD + "".join(event(n, summary="x" * 50) for n in range(9))
    import tempfile

    from dtimeline.store import index
    from dtimeline.store.memo import reset

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / PATH
        path.write_text(text, encoding="utf-8")
        monkeypatch.setattr(load, "CHUNK", 2)
        monkeypatch.setattr(load, "STREAM_PIECE", 64)  # many reads per piece
        monkeypatch.setattr(index, "STREAM_MIN", 0)
        reset()
        store = index.load(path)
        assert memo.counters["streamed_builds"] == 1
        assert [ev.id for ev in store.events] == [f"e{n}" for n in range(9)]
        monkeypatch.undo()
        assert store == load.load_path(path)


@pytest.mark.parametrize("piece", [16, 4096])
@pytest.mark.parametrize("chunk", [1, 2])
@pytest.mark.parametrize("body", TRICKY.values(), ids=TRICKY.keys())
def test_tricky_files_index_the_same_from_disk(body: str, chunk: int, piece: int) -> None:
    via_index(body if body.startswith("schema") else HEAD + body, chunk, piece)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no os.fork on this system")
@pytest.mark.parametrize("chunk", [1, 2])
@pytest.mark.parametrize("body", TRICKY.values(), ids=TRICKY.keys())
def test_tricky_files_index_the_same_in_two_processes(body: str, chunk: int) -> None:
    via_index(body if body.startswith("schema") else HEAD + body, chunk, 4096, split=True)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no os.fork on this system")
@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.fixed_dictionaries({"title": values, "summary": values}), min_size=2, max_size=6),
    st.sampled_from(["", "events = []\n", "[kinds]\nx = 'y'\n"]),
)
def test_any_store_indexes_the_same_in_two_processes(rows: list[dict[str, str]], tail: str) -> None:
    via_index(HEAD + "".join(event(n, **row) for n, row in enumerate(rows)) + tail, 1, 4096, True)


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.fixed_dictionaries({"title": values, "summary": values}), max_size=6),
    st.integers(1, 3),
    st.sampled_from([7, 64, 1 << 20]),
    st.sampled_from(["", "events = []\n", "[kinds]\nx = 'y'\n"]),
)
def test_any_store_indexes_the_same_from_disk(
    rows: list[dict[str, str]], chunk: int, piece: int, tail: str
) -> None:
    via_index(HEAD + "".join(event(n, **row) for n, row in enumerate(rows)) + tail, chunk, piece)
