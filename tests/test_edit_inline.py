"""`edit` of an event whose sources are an inline array (or whose keys carry comments) keeps
every byte outside the changed keys."""

from __future__ import annotations

import re
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from conftest import invoke
from hypothesis import given, settings
from hypothesis import strategies as st

from dtimeline.model import Event, Source
from dtimeline.store import load_store
from dtimeline.store.tomlblock import event_table
from dtimeline.store.write import rewrite_event

HEAD = """schema = 1

[countries.china]
name = "China"

[countries.kazakhstan]
name = "Kazakhstan"

# the event edited below
"""
SINGLE = 'sources = [{ publisher = "Xinhua", url = "https://x.org" }]  # inline\n'
MULTI = (
    "sources = [\n"
    '  { publisher = "Xinhua", url = "https://x.org" },  # first\n'
    '  { publisher = "TASS", date = "2023-05-17" },\n'
    "]\n"
)
EVENT = """[[events]]
id = "e1"  # keep me
date = "2023-05-17"
title = "Talks"   # a title comment
kind = "talks"
countries = ["china", "kazakhstan"]  # both
place = "Xi'an"  # the place
tags = ["a", "b"]
{sources}"""
TAIL = """# a comment after the event

[[events]]
id = "e2"
date = "2023-05-18"
title = "More"
kind = "talks"
countries = ["china"]
"""

_KEY = re.compile(r"^([A-Za-z_]+) *=")


def keyed_lines(text: str) -> list[tuple[str, str]]:
    """(key, line) for every line of an event's text; a multi-line value's lines belong to
    its key; lines outside any key (header, comments) to ''."""
    out, key, depth = [], "", 0
    for line in text.splitlines(keepends=True):
        found = _KEY.match(line)
        if depth == 0:
            key = found.group(1) if found else ""
        depth += line.split("#", 1)[0].count("[") - line.split("#", 1)[0].count("]")
        if line.startswith("[[events]]"):
            depth = 0
        out.append((key, line))
    return out


def changed_keys(before: Event, after: Event) -> set[str]:
    old, new = event_table(before), event_table(after)
    keys = {k for k in {*old, *new} if old.get(k) != new.get(k)}
    if before.sources != after.sources:
        keys.add("sources")
    return keys


NEW_SOURCE = st.builds(Source, publisher=st.sampled_from(["Kazinform", "People's Daily"]),
                       url=st.sampled_from(["", "https://e.org/a"]))  # fmt: skip
EDITS = st.fixed_dictionaries(
    {},
    optional={
        "title": st.sampled_from(["New title", 'Quote " and \\ backslash', "中文"]),
        "place": st.sampled_from(["", "Astana", "Beijing # not a comment"]),
        "summary": st.sampled_from(["", "A summary.", "two\nlines"]),
        "tags": st.sampled_from([(), ("x",), ("a", "b", "c")]),
        "status": st.sampled_from(["held", "cancelled"]),
        "level": st.sampled_from(["", "strategic"]),
        "countries": st.sampled_from([("china",), ("kazakhstan", "china")]),
        "kind": st.sampled_from(["talks", "meeting"]),
        "sources": st.one_of(st.just("add"), st.just(()), st.lists(NEW_SOURCE, max_size=2)),
    },
)


def apply(ev: Event, edits: dict[str, Any]) -> Event:
    fields = dict(edits)
    sources = fields.pop("sources", None)
    new = replace(ev, **fields)
    if sources == "add":
        return replace(new, sources=(*ev.sources, Source("Kazinform", url="https://k.kz/1")))
    if sources is not None:
        return replace(new, sources=tuple(sources))
    return new


@settings(max_examples=80, deadline=None)
@given(st.sampled_from([SINGLE, MULTI]), st.sampled_from(["\n", "\r\n"]), EDITS)
def test_random_edits_keep_every_byte_outside_the_changed_keys(
    sources: str, newline: str, edits: dict[str, Any]
) -> None:
    event = EVENT.format(sources=sources)
    text = HEAD + event + TAIL
    with tempfile.TemporaryDirectory() as name:
        path = Path(name) / "s.toml"
        path.write_bytes(text.replace("\n", newline).encode())
        before = load_store(path).events[0]
        after = apply(before, edits)
        if after == before:
            return
        rewrite_event(path, "e1", lambda _store, ev: apply(ev, edits), "edit e1", 5.0)
        new_text = path.read_bytes().decode()
        assert load_store(path).events[0] == after
    assert new_text.startswith(HEAD.replace("\n", newline))
    assert new_text.endswith(TAIL.replace("\n", newline))
    new_event = new_text[len(HEAD.replace("\n", newline)) : -len(TAIL.replace("\n", newline))]
    changed = changed_keys(before, after)
    kept_before = [line for key, line in keyed_lines(event.replace("\n", newline))
                   if key not in changed]  # fmt: skip
    kept_after = [line for key, line in keyed_lines(new_event) if key not in changed]
    assert kept_after == kept_before, changed


def test_add_source_to_an_inline_array_through_the_cli(tmp_path: Path) -> None:
    """The issue's example: the whole table was rewritten (a comment lost, keys reordered,
    `status = "held"` added)."""
    path = tmp_path / "s.toml"
    text = HEAD + EVENT.format(sources=SINGLE) + TAIL
    path.write_text(text, encoding="utf-8")
    ran = invoke("--store", str(path), "edit", "e1", "--add-source", "https://k.kz/1")
    assert ran.code == 0, ran.err
    want = text.replace(
        SINGLE,
        'sources = [{ publisher = "Xinhua", url = "https://x.org" },'
        ' { publisher = "k.kz", url = "https://k.kz/1" }]  # inline\n',
    )
    assert path.read_text(encoding="utf-8") == want


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_clear_inline_sources(tmp_path: Path, newline: str) -> None:
    path = tmp_path / "s.toml"
    text = HEAD + EVENT.format(sources=MULTI) + TAIL
    path.write_bytes(text.replace("\n", newline).encode())
    assert invoke("--store", str(path), "edit", "e1", "--clear", "sources").code == 0
    assert path.read_bytes().decode() == (HEAD + EVENT.format(sources="") + TAIL).replace(
        "\n", newline
    )
