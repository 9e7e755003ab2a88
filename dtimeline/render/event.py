"""`show ID`: one event in full, and the summary and sources `show --long` adds under each.

Every field of the event, one labelled line each (a long value wraps under its label); the
date with its precision, the status as of the view's day, every source with publisher,
title, date, URL and note; then what is derived (the nth visit and the gap since the last,
how long ago) and where the event lives in the store (``FILE:LINE``). Store text goes
through :func:`clean_cell` into rich ``Text``: data, never markup or escapes.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, NamedTuple

from rich.text import Text

from dtimeline import facts
from dtimeline.factsource import FactSource, StoreFacts
from dtimeline.query import effective_status
from dtimeline.render.formats import clean_cell

if TYPE_CHECKING:
    from rich.console import Console

    from dtimeline.model import Event, Source, Store

LABEL = 11  # width of the label column


class EventView(NamedTuple):
    """What `show ID` draws. ``store`` gives the names; the visit's facts come from
    ``facts`` (dtimeline/factsource.py), by default from ``store``, which must then hold
    every event."""

    store: Store
    event: Event
    as_of: date
    time_travel: bool = False
    where: str = ""  # FILE:LINE, or '' when unknown
    facts: FactSource | None = None


def _names(store: Store, slugs: tuple[str, ...], kind: str) -> str:
    table = store.countries if kind == "country" else store.actors
    return ", ".join(clean_cell(table[s].name) if s in table else clean_cell(s) for s in slugs)


def source_texts(src: Source, number: int | None = None) -> list[Text]:
    """A source as lines: ``publisher, "title", date``, then its URL, then its note."""
    head = Text(f"{number}. " if number is not None else "")
    head.append(clean_cell(src.publisher), "bold")
    if src.title:
        head.append(f", “{clean_cell(src.title)}”")
    if src.date:
        head.append(f", {clean_cell(src.date)}")
    lines = [head]
    if src.url:
        lines.append(Text(clean_cell(src.url), "blue underline"))
    if src.note:
        lines.append(Text(clean_cell(src.note), "italic"))
    return lines


def _visit(view: EventView) -> str:
    source = view.facts if view.facts is not None else StoreFacts(view.store)
    found = source.visit_facts(view.event, view.as_of, view.time_travel)
    if found is None:
        return ""
    visitor = _names(view.store, (found.visitor,), "actor")
    host = _names(view.store, (found.host,), "country")
    text = f"{visitor}'s {facts.ordinal(found.number)} visit to {host}"
    if found.state_number:
        text += f", {facts.ordinal(found.state_number)} state visit"
    gap = found.gap_phrase()
    return f"{text}; {gap}" if gap else f"{text}; the first"


def fields(view: EventView) -> list[tuple[str, Text]]:
    """(label, value) of every line of the view, empty fields left out."""
    store, ev = view.store, view.event
    status = effective_status(ev, view.as_of)
    when = Text(ev.date.human(), "bold")
    when.append(f"  ({ev.date.describe()}; {facts.relative(ev.date, view.as_of)})", "dim")
    state = Text(status, {"announced": "yellow", "cancelled": "red"}.get(status, ""))
    if status != ev.status:
        state.append(f" (stored: {ev.status})", "dim")
    if ev.announced is not None:
        state.append(f"; announced {ev.announced.human()}")
    rows: list[tuple[str, Text]] = [
        ("date", when),
        ("kind", Text(clean_cell(ev.kind), "cyan")),
        ("status", state),
        ("countries", Text(_names(store, ev.countries, "country"))),
        ("people", Text(_names(store, ev.actors, "actor"))),
        ("host", Text(_names(store, (ev.host,), "country") if ev.host else "")),
        ("place", Text(clean_cell(ev.place))),
        ("level", Text(clean_cell(ev.level), "green")),
        ("tags", Text(", ".join(clean_cell(t) for t in ev.tags))),
        ("visit", Text(_visit(view), "green")),
        ("summary", Text(clean_cell(ev.summary))),
    ]
    for n, src in enumerate(ev.sources, 1):
        for i, line in enumerate(source_texts(src, n)):
            rows.append(("sources" if n == 1 and i == 0 else "", line))
    if not ev.sources:
        rows.append(("sources", Text("none (check --strict reports it)", "yellow")))
    rows.append(("in", Text(view.where, "dim")))
    return [(label, value) for label, value in rows if value.plain or not label]


def lines(view: EventView, console: Console, width: int) -> list[Text]:
    """Every line of the view, wrapped to ``width`` cells."""
    out = [Text(clean_cell(view.event.id), "bold"), Text(clean_cell(view.event.title), "bold")]
    out = [piece for line in out for piece in _wrap(line, console, width, "")]
    narrow = width < 50
    for label, value in fields(view):
        if narrow:
            if label:
                out.append(Text(label, "dim"))
            out += _wrap(value, console, width, "  ")
            continue
        pieces = _wrap(value, console, width, " " * LABEL)
        pieces[0] = Text(label.ljust(LABEL), "dim") + pieces[0][LABEL:]
        out += pieces
    return out


def _wrap(text: Text, console: Console, width: int, indent: str) -> list[Text]:
    room = max(width - len(indent), 8)
    found = text.wrap(console, room, overflow="fold") if text.plain else [Text()]
    out = []
    for piece in found:
        piece.rstrip()
        out.append(Text(indent) + piece)
    return out


def render_event(view: EventView, console: Console, *, styled: bool) -> None:
    """The view on ``console``: styled (a terminal) or as plain text (a pipe)."""
    found = lines(view, console, console.width)
    if styled:
        console.print(Text("\n").join(found), no_wrap=True, crop=True)
    else:
        for line in found:
            console.file.write(line.plain.rstrip() + "\n")
    console.file.flush()
