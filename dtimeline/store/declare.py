"""Declarations in the store's text: ``[countries.SLUG]``, ``[actors.SLUG]`` and ``[kinds]``
tables, written beside events in one atomic, undoable write.

New tables go at the end of the store's head (before the first ``[[events]]`` table and
the comment lines right above it), so a large store still loads in pieces and a reader
finds the declarations together. A declared table is edited in place through tomlkit,
keeping its comments and layout. Every change is made to the text, then the whole new
text is parsed and validated, and what it holds is compared with what was intended,
before it replaces the file (see :func:`rewrite`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from dtimeline.errors import StoreError
from dtimeline.model import SCHEMA_VERSION, Actor, Country, Event, Store

_EVENTS_HEADER = re.compile(r"^[ \t]*\[\[[ \t]*events[ \t]*\]\][ \t]*(?:#[^\n]*)?$", re.M)
_ANY_HEADER = re.compile(r"^[ \t]*\[", re.M)
_SCHEMA = re.compile(r"^[ \t]*schema[ \t]*=", re.M)
_BARE = re.compile(r"[A-Za-z0-9_-]+")


@dataclass(frozen=True)
class Declarations:
    """Countries, actors and kinds a write adds to the store (each new to it)."""

    countries: Mapping[str, Country] = field(default_factory=dict)
    actors: Mapping[str, Actor] = field(default_factory=dict)
    kinds: Mapping[str, str] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.countries or self.actors or self.kinds)

    def applied(self, store: Store) -> Store:
        """``store`` with these declarations added (events unchanged)."""
        return Store(
            store.schema,
            {**store.countries, **self.countries},
            {**store.actors, **self.actors},
            {**store.kinds, **self.kinds},
            store.events,
        )


def table_key(slug: str) -> str:
    """A slug as a TOML key: bare when it can be (``france``), else quoted (``"a.b"``)."""
    from dtimeline.store.tomlblock import toml_string

    return slug if _BARE.fullmatch(slug) else toml_string(slug)


def _lines(pairs: list[tuple[str, str | tuple[str, ...]]]) -> str:
    from dtimeline.store.tomlblock import toml_string

    out = []
    for key, value in pairs:
        if isinstance(value, tuple):
            if value:
                out.append(f"{key} = [{', '.join(map(toml_string, value))}]\n")
        elif value:
            out.append(f"{key} = {toml_string(value)}\n")
    return "".join(out)


def country_fields(c: Country) -> list[tuple[str, str | tuple[str, ...]]]:
    return [("name", c.name), ("native", c.native), ("iso", c.iso), ("iso3", c.iso3),
            ("aliases", c.aliases)]  # fmt: skip


def actor_fields(a: Actor) -> list[tuple[str, str | tuple[str, ...]]]:
    return [("name", a.name), ("native", a.native), ("country", a.country), ("role", a.role),
            ("aliases", a.aliases)]  # fmt: skip


def country_table(c: Country) -> str:
    return f"[countries.{table_key(c.slug)}]\n" + _lines(country_fields(c))


def actor_table(a: Actor) -> str:
    return f"[actors.{table_key(a.slug)}]\n" + _lines(actor_fields(a))


def _head_end(text: str) -> int:
    """Where new head tables go: before the first ``[[events]]`` line and the comment
    lines right above it; the end of the text when there is no event."""
    found = _EVENTS_HEADER.search(text)
    if found is None:
        return len(text)
    pos = found.start()
    while pos > 0:
        prev = text.rfind("\n", 0, pos - 1) + 1
        if not text[prev:pos].lstrip().startswith("#"):
            break
        pos = prev
    return pos


def _kinds_span(text: str) -> tuple[int, int] | None:
    """The ``[kinds]`` table's span: from its header to the end of its last key line."""
    found = re.search(r"^[ \t]*\[[ \t]*kinds[ \t]*\][ \t]*(?:#[^\n]*)?$", text, re.M)
    if found is None:
        return None
    after = _ANY_HEADER.search(text, found.end())
    end = after.start() if after else len(text)
    body = text[found.end() : end].rstrip()
    return found.start(), found.end() + len(body)


def with_declarations(text: str, decl: Declarations, newline: str = "\n") -> str:
    """``text`` with ``decl`` written in, and ``schema = 1`` if the text has none (an
    empty store: only whitespace and comments)."""
    from dtimeline.store.tomlblock import toml_string

    if not _SCHEMA.search(text) and not _ANY_HEADER.search(text):
        text = _ensure_newline(text, newline) + f"schema = {SCHEMA_VERSION}{newline}"
    kinds = "".join(f"{table_key(k)} = {toml_string(v)}\n" for k, v in decl.kinds.items())
    span = _kinds_span(text) if kinds else None
    if span is not None:
        end = span[1]
        text = text[:end] + newline + kinds.rstrip("\n").replace("\n", newline) + text[end:]
        kinds = ""
    blocks = declarations_text(Declarations(decl.countries, decl.actors, {}))
    if kinds:
        blocks += ("\n" if blocks else "") + "[kinds]\n" + kinds
    if not blocks:
        return text
    at = _head_end(text)
    before = _ensure_newline(text[:at], newline)
    gap = "" if before.endswith(newline * 2) or not before.strip() else newline
    insert = gap + blocks.replace("\n", newline) + (newline if text[at:] else "")
    return before + insert + text[at:]


def declarations_text(decl: Declarations) -> str:
    """The tables of ``decl``, separated by blank lines (what a write adds to the head)."""
    from dtimeline.store.tomlblock import toml_string

    blocks = [country_table(c) for c in decl.countries.values()]
    blocks += [actor_table(a) for a in decl.actors.values()]
    if decl.kinds:
        lines = "".join(f"{table_key(k)} = {toml_string(v)}\n" for k, v in decl.kinds.items())
        blocks.append("[kinds]\n" + lines)
    return "\n".join(blocks)


def _ensure_newline(text: str, newline: str) -> str:
    return text if not text or text.endswith("\n") else text + newline


def with_events(text: str, events: list[Event] | tuple[Event, ...], newline: str = "\n") -> str:
    """``text`` with ``events`` appended as ``[[events]]`` tables."""
    from dtimeline.store.tomlblock import events_text

    if not events:
        return text
    return _ensure_newline(text, newline) + events_text(events, newline)


def replaced_table(
    text: str, kind: str, slug: str, fields: list[tuple[str, str | tuple[str, ...]]], path: Path
) -> str:
    """``text`` with the ``[kind.slug]`` table's keys set to ``fields`` (an empty value
    removes the key); its other lines and comments stay (tomlkit edits only what changed)."""
    import tomlkit

    from dtimeline.store.tomlblock import toml_string

    header = re.compile(
        rf"^[ \t]*\[[ \t]*{kind}[ \t]*\.[ \t]*(?:{re.escape(slug)}|\"{re.escape(slug)}\")"
        r"[ \t]*\][ \t]*(?:#[^\n]*)?$",
        re.M,
    )
    found = header.search(text)
    if found is None:
        raise StoreError(
            f"{path}: cannot find the [{kind}.{slug}] table (written another way?);"
            " please edit it by hand"
        )
    after = _ANY_HEADER.search(text, found.end())
    end = after.start() if after else len(text)
    segment = text[found.start() : end]
    body = segment.rstrip()
    doc = tomlkit.parse(body + "\n")
    table = doc[kind][slug]
    for key, value in fields:
        if not value:
            if key in table:
                del table[key]
            continue
        line = (
            f"{key} = [{', '.join(map(toml_string, value))}]"
            if isinstance(value, tuple)
            else f"{key} = {toml_string(value)}"
        )
        new = tomlkit.parse(line + "\n")[key]
        if table.get(key) != new:
            table[key] = new
    edited = tomlkit.dumps(doc).rstrip("\r\n") + segment[len(body) :]
    return text[: found.start()] + edited + text[end:]


# --- the write ---------------------------------------------------------------------------


def splice_between(old: bytes, new: bytes) -> tuple[int, int, bytes]:
    """The one splice turning ``old`` into ``new``: their common start and end kept."""
    limit = min(len(old), len(new))
    lo, hi = 0, limit
    while lo < hi:  # the longest common prefix, by halving (slices compare in C)
        mid = (lo + hi + 1) // 2
        if old[:mid] == new[:mid]:
            lo = mid
        else:
            hi = mid - 1
    prefix = lo
    lo, hi = 0, limit - prefix
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if old[len(old) - mid :] == new[len(new) - mid :]:
            lo = mid
        else:
            hi = mid - 1
    return prefix, len(old) - lo, new[prefix : len(new) - lo]


Change = Callable[[Store, str, str], tuple[str, Callable[[Store], bool]]]


def rewrite(
    path: Path,
    change: Change,
    what: str | Callable[[], str],
    timeout: float,
    ids: Callable[[], tuple[str, ...]] = tuple,
) -> tuple[Store, Store]:
    """Change the store's text under its lock, in one atomic, undoable write.

    ``change(store, text, newline)`` returns the new text and a test the new store must
    pass (what the change meant); ``what`` names the write in the undo history (a
    callable: asked once the change is made), ``ids`` the events it touches (asked then
    too; none by default). The new text is parsed and validated whole before it
    replaces the file; any problem raises StoreError and nothing is written. Returns the
    stores before and after (the same store twice when nothing changed)."""
    from dtimeline.store import after_write, load_store
    from dtimeline.store.load import load_text
    from dtimeline.store.lock import store_lock
    from dtimeline.store.write import (
        Splice,
        commit,
        decode_store,
        newline_of,
        read_current,
        target_of,
    )

    target = target_of(path)
    with store_lock(target, timeout):
        old = read_current(target)
        store = load_store(path)
        text, bom = decode_store(old, target)
        new_text, meant = change(store, text, newline_of(old))
        if new_text == text:
            return store, store
        new_store, problems = load_text(new_text, target)
        errors = [p for p in problems if not p.strict]
        if errors or not meant(new_store):
            raise StoreError(
                f"{target}: refusing to write: the change would not read back as intended"
                f" ({errors[0] if errors else 'contents differ'}); please edit the file by hand"
            )
        new = old[:bom] + new_text.encode("utf-8")
        start, end, replacement = splice_between(old, new)
        label = what if isinstance(what, str) else what()
        data = commit(target, old, Splice(start, end, replacement), label, ids=ids())
        after_write(path, new_store, data, old=store)
    return store, new_store


def add_and_declare(
    path: Path,
    build: Callable[[Store], tuple[Declarations, list[Event]]],
    what: Callable[[list[Event]], str],
    timeout: float,
) -> tuple[Declarations, list[Event]]:
    """Append the events ``build(store)`` returns (under the lock) and declare what they
    need, in one write. Returns what was declared and the events written."""
    done: list[tuple[Declarations, list[Event]]] = []

    def change(store: Store, text: str, newline: str) -> tuple[str, Callable[[Store], bool]]:
        decl, events = build(store)
        done.append((decl, events))
        want = decl.applied(store)

        def meant(new: Store) -> bool:
            return (
                new.events == store.events + tuple(events)
                and dict(new.countries) == dict(want.countries)
                and dict(new.actors) == dict(want.actors)
                and dict(new.kinds) == dict(want.kinds)
            )

        if not events and not decl:
            return text, meant
        return with_events(with_declarations(text, decl, newline), events, newline), meant

    _, _ = rewrite(path, change, lambda: what(done[-1][1]), timeout,
                   lambda: tuple(ev.id for ev in done[-1][1]))  # fmt: skip
    return done[-1]


def edit_and_declare(
    path: Path,
    event_id: str,
    change: Callable[[Store, Event], tuple[Declarations, Event]],
    what: str,
    timeout: float,
) -> tuple[Event, Event]:
    """Change one event (as ``store.write.rewrite_event`` does: only the keys that
    changed) and declare what the new event needs, in one write."""
    from dtimeline.errors import NotFoundError
    from dtimeline.store.tomlblock import edited_block, event_span

    done: list[tuple[Event, Event]] = []

    def edit(store: Store, text: str, newline: str) -> tuple[str, Callable[[Store], bool]]:
        index = next((i for i, ev in enumerate(store.events) if ev.id == event_id), -1)
        if index < 0:
            raise NotFoundError(f"no event with id {event_id!r}")
        before = store.events[index]
        decl, after = change(store, before)
        done.append((before, after))
        start, end = event_span(text, index, path)
        segment = text[start:end]
        block = edited_block(segment, before, after, newline)
        if not segment.endswith("\n"):
            block = block.rstrip("\r\n")
        events = list(store.events)
        events[index] = after
        want = decl.applied(store)

        def meant(new: Store) -> bool:
            return list(new.events) == events and dict(new.countries) == dict(want.countries)

        new_text = text[:start] + block + text[end:]
        return with_declarations(new_text, decl, newline), meant

    rewrite(path, edit, what, timeout, lambda: (event_id,))
    return done[-1]
