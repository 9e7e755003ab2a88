"""The text side of a merge: a store's file cut into its head and its event tables, and a
table's text changed to new values with the fewest changes.

A store is cut at each ``[[events]]`` header line: the *head* is everything before the
first one (schema, declarations, comments); each event's *core* runs from its header to
its last key line (its ``[[events.sources]]`` included), and its *tail* is the blank and
comment lines after it, which belong to what follows (as in store/tomlblock.py). The cut
is made on the text alone, so a header look-alike inside a multi-line string would cut
wrongly: the merge verifies its result by parsing it (store/merge.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

#: An ``[[events]]`` header line (the array-of-tables header of one event).
_EVENT_HEADER = re.compile(
    r"^[ \t]*\[\[[ \t]*events[ \t]*\]\][ \t]*(?:#[^\r\n]*)?\r?$", re.MULTILINE
)
#: The event's ``id = "..."`` line (the first one in its table: sources have no id).
_ID_LINE = re.compile(
    r"""^[ \t]*id[ \t]*=[ \t]*(?:"([^"\\\n]*)"|'([^'\n]*)')[ \t]*(?:#[^\n]*)?\r?$""", re.MULTILINE
)
#: A line of a tail: blank, or a comment.
_TAIL_LINE = re.compile(r"[ \t]*(?:#[^\n]*)?\r?\n?")


class CutError(Exception):
    """The file cannot be cut into event tables (an event without a readable id, a
    duplicate id, a table that is not one event); the caller falls back."""


@dataclass(frozen=True)
class Segment:
    """One event's text: ``core`` (header to last key line) and ``tail`` (blank and comment
    lines after it). ``id``: the event's id."""

    id: str
    core: str
    tail: str

    def table(self) -> dict[str, Any]:
        """The event's table, parsed from its core alone (raises CutError if the core is
        not exactly one ``[[events]]`` table)."""
        return parse_core(self.core)


@dataclass(frozen=True)
class Cut:
    """A store's text as its head and its events, in file order."""

    head: str
    events: tuple[Segment, ...]

    def by_id(self) -> dict[str, Segment]:
        found = {seg.id: seg for seg in self.events}
        if len(found) != len(self.events):
            raise CutError("an event id is used twice")
        return found


def cut(text: str) -> Cut:
    """Cut ``text`` (a store's text, without a BOM) at its ``[[events]]`` headers."""
    starts = [m.start() for m in _EVENT_HEADER.finditer(text)]
    if not starts:
        return Cut(text, ())
    bounds = [*starts, len(text)]
    events = []
    for start, end in pairwise(bounds):
        core, tail = split_tail(text[start:end])
        events.append(Segment(_id_of(core), core, tail))
    return Cut(text[: starts[0]], tuple(events))


def split_tail(piece: str) -> tuple[str, str]:
    """``piece`` (a header and what follows up to the next header) as core and tail; the
    core always ends with a line break."""
    lines = piece.splitlines(keepends=True)
    keep = len(lines)
    while keep > 1 and _TAIL_LINE.fullmatch(lines[keep - 1]):
        keep -= 1
    core, tail = "".join(lines[:keep]), "".join(lines[keep:])
    if not core.endswith("\n"):
        core += "\r\n" if "\r\n" in piece else "\n"
    return core, tail


def _id_of(core: str) -> str:
    found = _ID_LINE.search(core)
    if found is not None:
        return found.group(1) if found.group(1) is not None else found.group(2)
    event_id = parse_core(core).get("id")
    if not isinstance(event_id, str):
        raise CutError("an event has no id")
    return event_id


def parse_core(core: str) -> dict[str, Any]:
    """The one event table of ``core`` (raises CutError otherwise)."""
    import tomli

    try:
        doc = tomli.loads(core)
    except tomli.TOMLDecodeError as exc:
        raise CutError(f"an event's table does not parse alone ({exc})") from None
    events = doc.pop("events", None)
    if doc or not isinstance(events, list) or len(events) != 1:
        raise CutError("an [[events]] table is followed by another kind of table")
    table: dict[str, Any] = events[0]
    return table


def parse_head(head: str) -> dict[str, Any]:
    """The head's tables and keys (raises CutError when it does not parse alone)."""
    import tomli

    try:
        return tomli.loads(head)
    except tomli.TOMLDecodeError as exc:
        raise CutError(f"the part before the first event does not parse alone ({exc})") from None


def rewritten(text: str, old: dict[str, Any], new: dict[str, Any], *, event: bool) -> str:
    """``text`` (an event's core when ``event``, else a head), whose values are ``old``,
    changed to hold ``new``: only the keys whose value changed are rewritten (through
    tomlkit, which keeps every other line, comment and layout); tables are changed key by
    key, lists and arrays of tables as a whole. The result is checked by parsing it; if it
    does not read back as ``new``, it is written afresh (tomli-w) instead."""
    import tomlkit

    doc = tomlkit.parse(text)
    container: Any = doc["events"][0] if event else doc
    _apply(container, old, new)
    result = tomlkit.dumps(doc)
    if (parse_core(result) if event else parse_head(result)) == new:
        return result
    import tomli_w

    fresh = tomli_w.dumps({"events": [new]} if event else new)
    newline = "\r\n" if "\r\n" in text else "\n"
    return fresh if newline == "\n" else fresh.replace("\n", newline)


def _apply(container: Any, old: dict[str, Any], new: dict[str, Any]) -> None:
    import tomlkit

    for key in [k for k in old if k not in new]:
        del container[key]
    for key, value in new.items():
        before = old.get(key)
        if before == value:
            continue
        if isinstance(value, dict) and isinstance(before, dict):
            _apply(container[key], before, value)
        elif isinstance(value, dict):
            table = tomlkit.table()
            table.update(value)
            table.add(tomlkit.nl())
            container[key] = table
        else:
            container[key] = value


def table_span(head: str, dotted: str) -> tuple[int, int] | None:
    """Character span of the ``[dotted]`` table of ``head``, from its header to its last
    key line (the blank and comment lines after it left out), or None."""
    from dtimeline.store.lines import LineIndex

    span = LineIndex(head).table(dotted)
    if span is None:
        return None
    start, end = span
    core, _ = split_tail(head[start:end])
    return start, start + min(len(core), end - start)
