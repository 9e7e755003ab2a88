"""Three-way merge of two stores that grew apart from a common base (git's merge driver).

Events are matched by id and merged field by field; the head's declarations (countries,
actors, kinds) by slug and field, the same way. For one event (or one declaration):

- unchanged on one side: the other side's version is taken (a change, or a removal);
- changed the same way on both sides: taken once;
- changed on both sides in different fields: both changes are taken;
- the same field changed differently, changed on one side and removed on the other, or
  the same new id added with different content: a **conflict**.

Events added on either side are all kept: ours where they are, theirs appended after
ours, in their order. The result is OURS's text with the fewest changes: an event taken
whole from one side keeps that side's text, an event merged field by field is rewritten
key by key (store/mergetext.py), and every other byte of OURS (comments, layout, order)
stays. A conflict is written as git writes one, around the event's table only:

    <<<<<<< ours
    [[events]]        (ours's table, in full; nothing when ours removed it)
    =======
    [[events]]        (theirs's table, in full)
    >>>>>>> theirs

A declaration's conflict puts such markers around its table (``[countries.x]``,
``[actors.x]``, ``[kinds]``); any other conflict in the head, around the whole head.
Everything here is pure: text in, text out. A clean result is parsed and validated
before it is returned.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from dtimeline.store.mergetext import (
    Cut,
    CutError,
    Segment,
    cut,
    parse_head,
    rewritten,
    table_span,
)

OURS_MARKER: Final = "<<<<<<< ours"
SEPARATOR: Final = "======="
THEIRS_MARKER: Final = ">>>>>>> theirs"


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


#: The value of something absent on one side (an event or a key not there).
MISSING: Final = _Missing()


class MergeError(Exception):
    """The stores cannot be merged by event (the caller may fall back to a line merge)."""


@dataclass(frozen=True)
class Conflict:
    """One place both sides changed incompatibly: ``what`` (e.g. ``event 'x'``) and why."""

    what: str
    why: str

    def __str__(self) -> str:
        return f"{self.what}: {self.why}"


@dataclass
class Merged:
    """The merged text; ``conflicts`` empty when clean; ``problems``: what ``check`` says
    about a clean result that still is not a valid store (e.g. an event citing a country
    removed on the other side)."""

    text: str
    conflicts: list[Conflict] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.conflicts and not self.problems


def merge3(base: Any, ours: Any, theirs: Any, depth: int) -> tuple[Any, list[str]]:
    """The three-way merge of one value and the keys where it conflicts.

    Tables present on all three sides are merged key by key, ``depth`` levels down; any
    other value is taken from the side that changed it. Returns the merged value (MISSING
    for absent) and the conflicting key paths (``""``: the value itself)."""
    if ours == theirs:
        return ours, []
    if ours == base:
        return theirs, []
    if theirs == base:
        return ours, []
    if depth > 0 and all(isinstance(v, dict) for v in (base, ours, theirs)):
        merged: dict[str, Any] = {}
        conflicts: list[str] = []
        for key in dict.fromkeys([*ours, *theirs]):
            value, inner = merge3(
                base.get(key, MISSING), ours.get(key, MISSING), theirs.get(key, MISSING), depth - 1
            )
            conflicts += [f"{key}.{path}" if path else key for path in inner]
            if value is not MISSING:
                merged[key] = value
        return merged, conflicts
    return ours, [""]


def _why(base: Any, ours: Any, theirs: Any, paths: list[str]) -> str:
    if base is MISSING:
        return "added on both sides with different content"
    if ours is MISSING:
        return "removed here, changed there"
    if theirs is MISSING:
        return "changed here, removed there"
    return f"{', '.join(paths)} changed differently on both sides"


def merge_texts(base: str, ours: str, theirs: str, path: Path) -> Merged:
    """Merge the texts of three stores (without BOMs; ``base`` may be empty: the store
    was added on both sides). Raises MergeError when a text cannot be cut into events or
    the clean result does not read back as intended."""
    try:
        b, o, t = cut(base), cut(ours), cut(theirs)
        b_ids, o_ids, t_ids = b.by_id(), o.by_id(), t.by_id()
        head, head_value, conflicts = _merge_head(b, o, t)
        parts = [head]
        result = _Result()
        for seg in o.events:
            text, conflict = _merge_event(b_ids.get(seg.id), seg, t_ids.get(seg.id), result)
            parts.append(text)
            conflicts += conflict
        for seg in t.events:
            if seg.id in o_ids:
                continue
            text, conflict = _merge_event(b_ids.get(seg.id), None, seg, result)
            if text:
                _blank_line_before(parts, text)
                parts.append(text)
            conflicts += conflict
        text = "".join(parts)
        merged = Merged(text, conflicts)
        if not conflicts:
            if head_value is None:
                head_value = parse_head(head) if head.strip() else {}
            merged.problems = _verify(text, head_value, result, path)
    except CutError as exc:
        raise MergeError(str(exc)) from None
    return merged


@dataclass
class _Result:
    """What the merged text must hold: its events' ids in order, and the tables of the
    events merged field by field (the rest are copied text)."""

    ids: list[str] = field(default_factory=list)
    rewritten: dict[str, dict[str, Any]] = field(default_factory=dict)


def _blank_line_before(parts: list[str], text: str) -> None:
    """An appended table follows a blank line (written in the file's line ending)."""
    newline = "\r\n" if text.endswith("\r\n") else "\n"
    end = "".join(parts[-2:])
    if not end:
        return
    if not end.endswith("\n"):
        parts.append(newline)
        end += newline
    if not end.endswith(("\n\n", "\n\r\n")):
        parts.append(newline)


def _merge_head(b: Cut, o: Cut, t: Cut) -> tuple[str, dict[str, Any] | None, list[Conflict]]:
    """The merged head, its parsed value when at hand, and its conflicts."""
    if o.head in {b.head, t.head}:
        return t.head, None, []
    if t.head == b.head:
        return o.head, None, []
    base = parse_head(b.head) if b.head.strip() else {}
    ours, theirs = parse_head(o.head), parse_head(t.head)
    value, paths = merge3(base, ours, theirs, 3)
    if paths:
        tables = list(dict.fromkeys(_table_of(p) for p in paths))
        conflicts = [_declaration_conflict(t, base, ours, theirs) for t in tables if t]
        head = None if None in tables else _marked_head(o.head, t.head, ours, value, tables)
        if head is None:  # a conflict outside the declarations' tables: the whole head
            conflicts = [
                Conflict(_declaration(p), "changed differently on both sides") for p in paths
            ]
            head = _conflict_block(o.head, t.head)
        return head, None, conflicts
    head = o.head if value == ours else rewritten(o.head, ours, value, event=False)
    return head, value, []


def _table_of(path: str) -> str | None:
    """The declaration table a conflicting key path is in (``countries.china``, ``kinds``),
    or None for anything else (e.g. ``schema``)."""
    parts = path.split(".")
    if parts[0] in {"countries", "actors"} and len(parts) > 1:
        return f"{parts[0]}.{parts[1]}"
    if parts[0] == "kinds" and len(parts) > 1:
        return "kinds"
    return None


def _lookup(doc: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        doc = doc.get(part, MISSING) if isinstance(doc, dict) else MISSING
    return doc


def _declaration_conflict(dotted: str, base: Any, ours: Any, theirs: Any) -> Conflict:
    b, o, t = (_lookup(doc, dotted) for doc in (base, ours, theirs))
    keys = (
        [k for k in dict.fromkeys([*o, *t]) if o.get(k) != t.get(k)]
        if all(isinstance(v, dict) for v in (b, o, t))
        else []
    )
    return Conflict(_declaration(dotted), _why(b, o, t, keys))


def _marked_head(
    o_head: str, t_head: str, ours: dict[str, Any], value: dict[str, Any], tables: list[Any]
) -> str | None:
    """Ours's head with every change merged but the conflicting tables, which are kept as
    ours has them and put between conflict markers with theirs's version; None when a
    table cannot be found as a ``[table]`` of its own (the caller marks the whole head)."""
    import copy

    clean = copy.deepcopy(value)
    for dotted in tables:
        group, _, slug = dotted.partition(".")
        mine = _lookup(ours, dotted)
        holder = clean.setdefault(group, {}) if slug else clean
        key = slug or group
        if mine is MISSING:
            holder.pop(key, None)
        else:
            holder[key] = copy.deepcopy(mine)
    head = o_head if clean == ours else rewritten(o_head, ours, clean, event=False)
    appended = []
    for dotted in tables:
        mine, other = table_span(head, dotted), table_span(t_head, dotted)
        if (mine is None) != (_lookup(ours, dotted) is MISSING):
            return None
        theirs_text = t_head[other[0] : other[1]] if other else ""
        if mine is None:
            appended.append(_conflict_block("", theirs_text))
        else:
            block = _conflict_block(head[mine[0] : mine[1]], theirs_text)
            head = head[: mine[0]] + block + head[mine[1] :]
    if appended:
        newline = "\r\n" if "\r\n" in head else "\n"
        head += ("" if head.endswith("\n") or not head else newline) + newline.join(appended)
        head += newline
    return head


def _declaration(path: str) -> str:
    kind, _, rest = path.partition(".")
    names = {"countries": "country", "actors": "actor", "kinds": "kind"}
    if kind in names and rest:
        slug, _, key = rest.partition(".")
        return f"{names[kind]} {slug!r}" + (f" ({key})" if key else "")
    return f"the store's {path!r}"


def _merge_event(
    base: Segment | None,
    ours: Segment | None,
    theirs: Segment | None,
    result: _Result,
) -> tuple[str, list[Conflict]]:
    """The text of one event in the result (its core and ours's tail) and its conflict."""
    seg = ours or theirs
    assert seg is not None
    tail = ours.tail if ours is not None else ""
    core = _same_text(base, ours, theirs)
    if core == "":
        return _removed(tail), []
    if core is not None:
        result.ids.append(seg.id)
        return core + tail, []
    b, o, t = (s.table() if s is not None else MISSING for s in (base, ours, theirs))
    value, paths = merge3(b, o, t, 1)
    if paths:
        why = _why(b, o, t, paths)
        block = _conflict_block(ours.core if ours else "", theirs.core if theirs else "")
        return block + tail, [Conflict(f"event {seg.id!r}", why)]
    if value is MISSING:
        return _removed(tail), []
    result.ids.append(seg.id)
    if value == o and ours is not None:
        return ours.core + tail, []
    if ours is None:
        assert theirs is not None
        return theirs.core, []
    assert isinstance(o, dict)
    result.rewritten[seg.id] = value
    return rewritten(ours.core, o, value, event=True) + tail, []


def _same_text(base: Segment | None, ours: Segment | None, theirs: Segment | None) -> str | None:
    """The event's core when one side left it as it was, word for word (no parse needed);
    ``""`` when the result has no such event; None when both sides changed it."""
    b, o, t = (s.core if s is not None else None for s in (base, ours, theirs))
    if o in {t, b}:  # theirs as ours, or ours as the base: theirs's version stands
        return t or ""
    if t == b:  # theirs as the base (or theirs and base both without it): ours stands
        return o or ""
    return None


def _removed(tail: str) -> str:
    """What stays of an event taken out: its tail's comments (they belong to what follows)."""
    return tail.lstrip("\r\n")


def _conflict_block(ours: str, theirs: str) -> str:
    newline = "\r\n" if "\r\n" in ours + theirs else "\n"
    ours, theirs = (s if not s or s.endswith("\n") else s + newline for s in (ours, theirs))
    return f"{OURS_MARKER}{newline}{ours}{SEPARATOR}{newline}{theirs}{THEIRS_MARKER}{newline}"


def _verify(text: str, head: dict[str, Any], result: _Result, path: Path) -> list[str]:
    """Parse and validate the clean result: its head must be ``head``, its events in order
    ``result.ids``, each rewritten one as merged. Returns the validator's errors (strict
    ones left out); raises MergeError on a text that does not read back as intended."""
    from dtimeline.store.load import TomlSyntaxError, check_schema_version, parse_toml
    from dtimeline.store.schema import validate

    try:
        doc = parse_toml(text, path)
    except TomlSyntaxError as exc:
        raise MergeError(f"the merged text does not parse: {exc}") from None
    events = doc.get("events", [])
    if {k: v for k, v in doc.items() if k != "events"} != head:
        raise MergeError("the merged text does not hold the merged declarations")
    ids = [e.get("id") if isinstance(e, dict) else None for e in events]
    if ids != result.ids:
        raise MergeError("the merged text does not hold the merged events")
    for index, event_id in enumerate(ids):
        if event_id in result.rewritten and events[index] != result.rewritten[event_id]:
            raise MergeError(f"event {event_id!r} does not read back as merged")
    check_schema_version(doc, path)
    _, problems = validate(doc, text, path)
    return [str(p) for p in problems if not p.strict]
