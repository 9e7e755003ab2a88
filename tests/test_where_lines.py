"""The line of an event's `[[events]]` header (store/where.py), read in pieces of every
size from 1 byte to the whole file, against line numbers written out by hand: blank lines
before headers, a look-alike in a comment, mixed line ends, a byte-order mark. Cases found
by mutation testing (docs/mutation.md)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import invoke

from dtimeline.store import load_store, where

EVENT = 'id = "{id}"\ndate = "2024"\nkind = "talks"\ntitle = "{id}"\ncountries = ["china"]\n'

STORE = (
    'schema = 1\n\n[countries.china]\nname = "China"\n\n'  # lines 1-5
    "# a comment naming [[events]]\n"  # 6: not a header
    "[[events]]\n" + EVENT.format(id="a") + "\n"  # 7-13
    "[[events]]\n" + EVENT.format(id="b") + "\n"  # 14-20
    "  [[ events ]]  # indented, spaced, commented\n" + EVENT.format(id="c")  # 21-26
)
LINES = [7, 14, 21]


def lines_read_in_pieces(path: Path, monkeypatch: pytest.MonkeyPatch) -> list[int | None]:
    """Every header's line, and None past the last, the same for every piece size."""
    every = []
    for chunk in range(1, path.stat().st_size + 2):
        monkeypatch.setattr(where, "CHUNK", chunk)
        got = []
        for i in range(100):
            got.append(where.event_line_at(path, i))
            if got[-1] is None:
                break
        every.append(got)
    assert all(got == every[0] for got in every), [got for got in every if got != every[0]]
    return every[0]


def test_the_header_lines_read_in_pieces_of_every_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "events.toml"
    path.write_text(STORE, "utf-8")
    assert lines_read_in_pieces(path, monkeypatch) == [*LINES, None]


def test_mixed_line_ends_and_a_look_alike_in_a_comment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two headers ended LF and three CRLF (a file edited on two systems), a `[[events]]`
    inside a comment, then a sixth header: the look-alike is never counted."""
    text = 'schema = 1\n\n[countries.china]\nname = "China"\n\n'  # 1-5
    text += "# see [[events]]\n"  # 6
    lines = []
    for n, end in enumerate(["\n", "\n", "\r\n", "\r\n", "\r\n", "\n"]):
        lines.append(text.count("\n") + 1)
        text += "[[events]]" + end + EVENT.format(id=f"e{n}").replace("\n", end) + end
    path = tmp_path / "mixed.toml"
    path.write_bytes(text.encode("utf-8"))
    assert lines == [7, 14, 21, 28, 35, 42]
    assert lines_read_in_pieces(path, monkeypatch) == [*lines, None]


def test_a_header_on_the_first_line_after_a_byte_order_mark(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The core function reads any file: a header on the first line, after a byte-order
    mark (which the loader drops, store/load.py) or not, is on line 1."""
    text = "\ufeff[[events]]\n" + EVENT.format(id="a") + "\n[[events]]\n" + EVENT.format(id="b")
    path = tmp_path / "bom.toml"
    path.write_bytes(text.encode("utf-8"))
    assert lines_read_in_pieces(path, monkeypatch) == [1, 8, None]
    path.write_bytes(text.removeprefix("\ufeff").encode("utf-8"))  # and without the mark
    assert lines_read_in_pieces(path, monkeypatch) == [1, 8, None]


def test_the_line_of_an_event_by_its_id(tmp_path: Path) -> None:
    path = tmp_path / "events.toml"
    path.write_text(STORE, "utf-8")
    store = load_store(path)
    assert [where.event_line(path, store, i) for i in ("a", "b", "c")] == LINES
    assert where.event_line(path, store, "d") is None
    assert where.event_line(tmp_path / "missing.toml", store, "a") is None


def test_show_id_says_the_line_of_each_event(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("events.toml").write_text(STORE, "utf-8")
    for event_id, line in zip("abc", LINES, strict=True):
        ran = invoke("--store", "events.toml", "show", event_id)
        assert (ran.code, ran.err) == (0, "")
        assert ran.out.splitlines()[-1] == f"in         events.toml:{line}"
