"""store/tomlblock.py on its own: the exact text of a block, strings as TOML writes them
(checked against tomli-w and tomli, independent of our fast path), the span of an event's
table, and the minimal edit of a table written by hand."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
import tomli
import tomli_w
from hypothesis import given
from hypothesis import strategies as st

from dtimeline.dates import parse_edtf
from dtimeline.errors import StoreError
from dtimeline.model import Event, Source
from dtimeline.store.tomlblock import (
    edited_block,
    event_block,
    event_span,
    events_text,
    toml_string,
)

FULL = Event(
    "e1", parse_edtf("2023-05-17"), "state-visit", 'Visit "quoted"', ("china", "kazakhstan"),
    actors=("xi",), host="kazakhstan", place="Astana", status="held",
    announced=parse_edtf("2023-05-01"), level="strategic", tags=("a", "b"),
    summary="line1\nline2",
    sources=(Source("Xinhua", title="T", url="https://x.org", date="2023-05-17", note="n"),
             Source("TASS")),
)  # fmt: skip
FULL_TEXT = """[[events]]
id = "e1"
date = "2023-05-17"
kind = "state-visit"
title = "Visit \\"quoted\\""
countries = ["china", "kazakhstan"]
actors = ["xi"]
host = "kazakhstan"
place = "Astana"
status = "held"
announced = "2023-05-01"
level = "strategic"
tags = ["a", "b"]
summary = "line1\\nline2"

[[events.sources]]
publisher = "Xinhua"
title = "T"
url = "https://x.org"
date = "2023-05-17"
note = "n"

[[events.sources]]
publisher = "TASS"
"""
BARE = Event("e2", parse_edtf("2023~"), "talks", "T", ("china",), status="postponed")
BARE_TEXT = """[[events]]
id = "e2"
date = "2023~"
kind = "talks"
title = "T"
countries = ["china"]
status = "postponed"
"""


def test_event_block_is_exact() -> None:
    assert event_block(FULL) == FULL_TEXT
    assert event_block(BARE) == BARE_TEXT
    assert event_block(FULL, "\r\n") == FULL_TEXT.replace("\n", "\r\n")


def test_events_text_puts_a_blank_line_before_each_block() -> None:
    assert events_text([FULL, BARE]) == "\n" + FULL_TEXT + "\n" + BARE_TEXT
    assert events_text((BARE,), "\r\n") == ("\n" + BARE_TEXT).replace("\n", "\r\n")
    assert events_text([]) == ""


@given(st.text())
def test_toml_string_is_what_tomli_w_writes_and_reads_back(text: str) -> None:
    written = toml_string(text)
    assert written == tomli_w.dumps({"v": text})[len("v = ") : -1]
    assert tomli.loads(f"v = {written}")["v"] == text


@pytest.mark.parametrize("text", ['"', "\\", "\x7f", "\x00", "\x1f", "\n", "\t", "a\x08b", "é"])
def test_toml_string_of_characters_that_may_need_escapes(text: str) -> None:
    assert tomli.loads(f"v = {toml_string(text)}")["v"] == text
    assert toml_string(text) == tomli_w.dumps({"v": text})[len("v = ") : -1]


STORE = """schema = 1

[countries.china]
name = "China"

[[events]]   # first
id = "a"
date = "2023"
[[events.sources]]
publisher = "X"

# about b
[[ events ]]
id = "b"
date = "2024"

  # trailing comment of b

[countries.kazakhstan]
name = "Kazakhstan"

[[events]]
id = "c"
date = "2025"
"""


def test_event_span_covers_the_table_and_its_sources_only() -> None:
    path = Path("s.toml")
    spans = [event_span(STORE, i, path) for i in range(3)]
    texts = [STORE[a:b] for a, b in spans]
    assert texts == [
        '[[events]]   # first\nid = "a"\ndate = "2023"\n[[events.sources]]\npublisher = "X"\n',
        '[[ events ]]\nid = "b"\ndate = "2024"\n',
        '[[events]]\nid = "c"\ndate = "2025"\n',
    ]
    with pytest.raises(StoreError) as caught:
        event_span(STORE, 3, path)
    assert caught.value.message == (
        "s.toml: cannot find the [[events]] table of event #4"
        " (written as an inline array?); please edit it by hand"
    )


def test_event_span_of_a_last_table_without_newline() -> None:
    text = 'schema = 1\n[[events]]\nid = "a"\n# gone'
    start, end = event_span(text, 0, Path("s.toml"))
    assert text[start:end] == '[[events]]\nid = "a"\n'
    text = 'schema = 1\n[[events]]\nid = "a"'
    start, end = event_span(text, 0, Path("s.toml"))
    assert text[start:end] == '[[events]]\nid = "a"'


HAND = """[[events]]
id = "e2"  # keep
date = "2023~"
kind = "talks"   # kind
title = "T"
countries = ["china"]
status = "postponed"
"""


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_edited_block_changes_only_changed_keys(newline: str) -> None:
    segment = HAND.replace("\n", newline)
    after = replace(BARE, title="New", status="held", place="Astana")
    text = edited_block(segment, BARE, after, newline)
    assert text == (
        '[[events]]\nid = "e2"  # keep\ndate = "2023~"\nkind = "talks"   # kind\n'
        'title = "New"\ncountries = ["china"]\nstatus = "held"\nplace = "Astana"\n'
    ).replace("\n", newline)
    cleared = edited_block(segment, BARE, replace(BARE, status="held", kind="meeting"), newline)
    assert cleared == segment.replace('"talks"', '"meeting"').replace('"postponed"', '"held"')


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_edited_block_sources(newline: str) -> None:
    with_sources = replace(BARE, sources=(Source("X"), Source("Y")))
    segment = (HAND + '\n[[events.sources]]\npublisher = "X"  # x\n\n'
               '[[events.sources]]\npublisher = "Y"\n').replace("\n", newline)  # fmt: skip
    # one more source: the old blocks stay as written, comments included
    more = replace(with_sources, sources=(Source("X"), Source("Y"), Source("Z", url="u")))
    assert edited_block(segment, with_sources, more, newline) == (
        segment
        + newline
        + '[[events.sources]]\npublisher = "Z"\nurl = "u"\n'.replace("\n", newline)
    )
    # a source changed: the sources are written afresh
    changed = replace(with_sources, sources=(Source("W"),))
    assert edited_block(segment, with_sources, changed, newline) == (
        HAND + '\n[[events.sources]]\npublisher = "W"\n'
    ).replace("\n", newline)
    # no sources left: the table ends after its keys
    assert edited_block(segment, with_sources, replace(BARE), newline) == HAND.replace(
        "\n", newline
    )
    # the first source of an event that had none: a blank line, then the block
    assert edited_block(HAND.replace("\n", newline), BARE, changed, newline) == (
        HAND + '\n[[events.sources]]\npublisher = "W"\n'
    ).replace("\n", newline)


def test_equal_sources_rebuilt_are_left_as_written() -> None:
    """An edit that rebuilds the sources (from $EDITOR's text) but changes none of them
    keeps the source blocks byte for byte, comments included."""
    with_sources = replace(BARE, sources=(Source("X"), Source("Y")))
    segment = (
        HAND + '\n[[events.sources]]\npublisher = "X"  # x\n\n[[events.sources]]\npublisher = "Y"\n'
    )
    rebuilt = replace(with_sources, title="New", sources=(Source("X"), Source("Y")))
    assert rebuilt.sources is not with_sources.sources
    assert edited_block(segment, with_sources, rebuilt) == segment.replace('"T"', '"New"')
