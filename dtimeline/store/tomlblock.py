"""Serialize one :class:`Event` as an ``[[events]]`` block of TOML text.

Every value goes through tomli-w (which escapes quotes, backslashes, newlines and control
characters); the only text written by hand is the two fixed table headers. Sources are
written as ``[[events.sources]]`` tables, like the hand-written store.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from dtimeline.errors import StoreError
from dtimeline.model import Event, Source

EVENT_HEADER = "[[events]]\n"
SOURCE_HEADER = "[[events.sources]]\n"


def event_table(ev: Event) -> dict[str, Any]:
    """The ``[[events]]`` table of ``ev`` without its sources; empty optional fields left out."""
    table: dict[str, Any] = {
        "id": ev.id,
        "date": ev.date.edtf(),
        "kind": ev.kind,
        "title": ev.title,
        "countries": list(ev.countries),
    }
    if ev.actors:
        table["actors"] = list(ev.actors)
    for key, value in (("host", ev.host), ("place", ev.place)):
        if value:
            table[key] = value
    table["status"] = ev.status
    if ev.announced is not None:
        table["announced"] = ev.announced.edtf()
    if ev.level:
        table["level"] = ev.level
    if ev.tags:
        table["tags"] = list(ev.tags)
    if ev.summary:
        table["summary"] = ev.summary
    return table


def source_table(src: Source) -> dict[str, str]:
    table = {"publisher": src.publisher}
    for key in ("title", "url", "date", "note"):
        value = getattr(src, key)
        if value:
            table[key] = value
    return table


def expected_doc(ev: Event) -> dict[str, Any]:
    """What parsing the block of ``ev`` must give back (used to verify a block)."""
    table = event_table(ev)
    if ev.sources:
        table["sources"] = [source_table(s) for s in ev.sources]
    return {"events": [table]}


def event_block(ev: Event, newline: str = "\n") -> str:
    """``[[events]]`` + the event's keys, then one ``[[events.sources]]`` table per source."""
    parts = [EVENT_HEADER, _table_text(event_table(ev))]
    for src in ev.sources:
        parts += ["\n", SOURCE_HEADER, _table_text(source_table(src))]
    text = "".join(parts)
    return text if newline == "\n" else text.replace("\n", newline)


def _table_text(table: dict[str, Any]) -> str:
    """``key = value`` lines of ``table`` in its order; lists of strings on one line
    (``countries = ["china", "kazakhstan"]``)."""
    lines = []
    for key, value in table.items():
        if isinstance(value, list):
            lines.append(f"{key} = [{', '.join(toml_string(item) for item in value)}]\n")
        else:
            lines.append(f"{key} = {toml_string(value)}\n")
    return "".join(lines)


#: What a TOML basic string cannot hold as is (tomli-w escapes exactly these).
_NEEDS_ESCAPE = re.compile(r'[\x00-\x08\x0a-\x1f"\\\x7f]')


def toml_string(value: str) -> str:
    """A TOML basic string. Text needing escapes goes through tomli-w; text that needs none
    is quoted as tomli-w would quote it (a fast path: import writes many thousands), and
    every block is parsed back before it is written."""
    if _NEEDS_ESCAPE.search(value) is None:
        return f'"{value}"'
    import tomli_w

    return tomli_w.dumps({"v": value})[len("v = ") : -1]


def events_text(events: list[Event] | tuple[Event, ...], newline: str = "\n") -> str:
    """Blocks of several events, each preceded by a blank line (for appending)."""
    return "".join(newline + event_block(ev, newline) for ev in events)


_HEADER = re.compile(
    r"^[ \t]*\[(\[)?[ \t]*([^\]\r\n]+?)[ \t]*\]\]?[ \t]*(?:#[^\r\n]*)?\r?$", re.MULTILINE
)


def event_span(text: str, index: int, path: Path) -> tuple[int, int]:
    """Character span of the ``index``-th ``[[events]]`` table of ``text``: from its header
    to the end of its last key line (its ``[[events.sources]]`` included). Comments and blank
    lines after it are left out: they belong to what follows. The caller verifies the result
    (by parsing), so a header look-alike inside a multi-line string cannot corrupt a file."""
    headers = [(m.start(), m.group(2).strip(), bool(m.group(1))) for m in _HEADER.finditer(text)]
    count = -1
    for i, (offset, name, is_array) in enumerate(headers):
        if name != "events" or not is_array:
            continue
        count += 1
        if count != index:
            continue
        end = len(text)
        for next_offset, next_name, _ in headers[i + 1 :]:
            if next_name != "events.sources":
                end = next_offset
                break
        return offset, _trim_tail(text, offset, end)
    raise StoreError(
        f"{path}: cannot find the [[events]] table of event #{index + 1}"
        " (written as an inline array?); please edit it by hand"
    )


def _trim_tail(text: str, start: int, end: int) -> int:
    lines = re.findall(r"[^\n]*\n|[^\n]+", text[start:end])
    while len(lines) > 1 and (not lines[-1].strip() or lines[-1].lstrip().startswith("#")):
        lines.pop()
    return start + sum(len(line) for line in lines)


def _inline_source(src: Source) -> str:
    pairs = ", ".join(f"{k} = {toml_string(v)}" for k, v in source_table(src).items())
    return f"{{ {pairs} }}"


def _edit_inline_sources(
    table: Any, before: tuple[Source, ...], after: tuple[Source, ...], newline: str
) -> None:
    """Sources written as an inline array in the event's table: new sources are appended to
    the array as it stands (its items, layout and comments kept); other changes rewrite the
    array; no sources remove the key."""
    import tomlkit

    if not after:
        del table["sources"]
        return
    items = [tomlkit.parse(f"v = {_inline_source(s)}{newline}")["v"] for s in after]
    current = table["sources"]
    if after[: len(before)] == before and hasattr(current, "append"):
        for item in items[len(before) :]:
            current.append(item)
        return
    line = f"sources = [{', '.join(_inline_source(s) for s in after)}]"
    table["sources"] = tomlkit.parse(line + newline)["sources"]


def edited_block(segment: str, before: Event, after: Event, newline: str = "\n") -> str:
    """``segment`` (the text of ``before``'s table, from :func:`event_span`) changed into
    ``after`` with the fewest changes: only keys whose value changed are rewritten (through
    tomlkit, which keeps every other line, comment and layout of the table as it was);
    sources are rewritten as a whole only when they changed."""
    import tomlkit

    split = len(segment)
    for m in _HEADER.finditer(segment):
        if m.group(1) and m.group(2).strip() == "events.sources":
            split = m.start()
            break
    main, sources = segment[:split], segment[split:]
    body = main.rstrip()
    gap = main[len(body) :]
    doc = tomlkit.parse(body + newline)
    table = doc["events"][0]
    old, new = event_table(before), event_table(after)
    inline = "sources" in table  # sources = [{ publisher = "..." }, ...] in the table itself
    if inline and before.sources != after.sources:
        _edit_inline_sources(table, before.sources, after.sources, newline)
    for key in dict.fromkeys([*old, *new]):
        if old.get(key) == new.get(key):
            continue
        if key not in new:
            if key in table:
                del table[key]
            continue
        value = new[key]
        line = (
            f"{key} = [{', '.join(map(toml_string, value))}]"
            if isinstance(value, list)
            else (f"{key} = {toml_string(value)}")
        )
        table[key] = tomlkit.parse(line + newline)[key]
    text = tomlkit.dumps(doc).rstrip("\r\n") + (gap or newline)
    if before.sources == after.sources or inline:
        return text + sources
    if not after.sources:
        return text.rstrip("\r\n") + newline
    kept = len(before.sources)
    if sources and after.sources[:kept] == before.sources:  # sources added: keep the old ones
        text += sources if sources.endswith("\n") else sources + newline
        text += newline
        new_sources = after.sources[kept:]
    else:
        new_sources = after.sources
    blocks = [SOURCE_HEADER + _table_text(source_table(s)) for s in new_sources]
    tail = "\n".join(blocks)
    if newline != "\n":
        tail = tail.replace("\n", newline)
    if not sources and tail:
        text = text.rstrip("\r\n") + newline + newline
    return text + tail
