"""The `stats` view: figures per relationship, as styled or plain text, or as JSON.

Every figure comes from :func:`dtimeline.facts.pair_stats`; the JSON carries the same data
as the text (documented in the README, "stats --format json").
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date
from typing import IO, TYPE_CHECKING, Any

from rich.text import Text

from dtimeline import facts
from dtimeline.dates import DatePoint
from dtimeline.render.formats import clean_cell

if TYPE_CHECKING:
    from rich.console import Console

    from dtimeline.model import Store
    from dtimeline.query import Subject

BAR_MAX = 30  # cells of the longest bar


def collect(
    store: Store, subject: Subject | None, as_of: date, time_travel: bool
) -> list[facts.PairStats]:
    """Stats of every relationship, or of those the subject takes part in: a country's
    pairs; an actor's country's pairs; a tag's pairs (those with an event so tagged)."""
    out = []
    for pair in facts.pairs(store):
        if subject is not None:
            if subject.kind == "country" and subject.slug not in pair:
                continue
            if subject.kind == "actor":
                actor = store.actors.get(subject.slug)
                if actor is None or actor.country not in pair:
                    continue
            if subject.kind == "tag" and not any(
                subject.slug in ev.tags and set(pair) <= set(ev.countries) for ev in store.events
            ):
                continue
        out.append(facts.pair_stats(store, pair, as_of, time_travel))
    return out


def _name(store: Store, slug: str, countries: bool) -> str:
    entity = (store.countries if countries else store.actors).get(slug)
    return clean_cell(entity.name if entity else slug)


def to_json(figures: list[facts.PairStats], store: Store) -> list[dict[str, Any]]:
    out = []
    for st in figures:
        rel = st.relationship
        out.append(
            {
                "countries": list(rel.pair),
                "as_of": rel.as_of.isoformat(),
                "established": rel.established.edtf() if rel.established else None,
                "years": rel.years,
                "level": rel.level,
                "ladder": [
                    {"level": s.level, "date": s.date.edtf(), "id": s.event_id} for s in rel.ladder
                ],
                "upcoming_levels": [
                    {"level": s.level, "date": s.date.edtf(), "id": s.event_id}
                    for s in rel.upcoming_levels
                ],
                "events": st.events,
                "upcoming": st.upcoming,
                "visits": [
                    {
                        "visitor": v.visitor,
                        "host": v.host,
                        "visits": v.visits,
                        "state_visits": v.state_visits,
                        "last": v.last.edtf() if v.last else None,
                        "upcoming": v.upcoming,
                        "complete": v.complete,
                    }
                    for v in st.visits
                ],
                "meetings_per_year": {str(y): n for y, n in st.meetings_per_year.items()},
                "meetings": [
                    {
                        "first": enc.first.isoformat(),
                        "last": enc.last.isoformat(),
                        "places": list(enc.places),
                        "events": [ev.id for ev in enc.events],
                    }
                    for enc in st.meetings
                ],
                "events_per_year": {str(y): n for y, n in st.events_per_year.items()},
            }
        )
    return out


def write_json(figures: Iterable[facts.PairStats], store: Store, stream: IO[str]) -> None:
    """``json.dumps(to_json(figures), indent=2)`` and a newline, one relationship at a time
    (``figures`` may be made as they are written)."""
    first = True
    for st in figures:
        item = json.dumps(to_json([st], store)[0], ensure_ascii=False, indent=2)
        stream.write(("[\n  " if first else ",\n  ") + item.replace("\n", "\n  "))
        first = False
    stream.write("[]\n" if first else "\n]\n")
    stream.flush()


def _lines(st: facts.PairStats, store: Store, styled: bool, width: int) -> list[Text]:
    rel = st.relationship
    a, b = (_name(store, slug, True) for slug in rel.pair)
    bar = "█" if styled else "#"
    bar_max = max(min(BAR_MAX, width - 12), 5)
    lines: list[Text] = []

    def add(text: str, style: str = "") -> Text:
        line = Text()
        line.append(text, style)
        lines.append(line)
        return line

    add(f"{a} – {b}", "bold")
    if rel.established is not None and rel.years is not None:
        line = add(f"  relations established {rel.established.human()}, ")
        line.append(facts.plural(rel.years, "year"), "bold cyan")
        line.append(" ago")
    else:
        add("  no relations-established event")
    # said in full, so it is not mistaken for the count in `show`'s header (which counts
    # every event naming the subject, upcoming, cancelled and postponed ones included)
    day = DatePoint(rel.as_of.year, rel.as_of.month, rel.as_of.day).human()
    add(f"  events naming both: {st.events} by {day}"
        + (f", {st.upcoming} upcoming" if st.upcoming else "")
        + " (cancelled and postponed ones not counted)")  # fmt: skip
    add("Partnership ladder", "bold blue")
    if not rel.ladder and not rel.upcoming_levels:
        add("  (none)", "dim")
    for step in rel.ladder:
        line = add(f"  {step.date.human():<14} ")
        line.append(clean_cell(step.level), "green")
    for step in rel.upcoming_levels:
        line = add(f"  {step.date.human():<14} ")
        line.append(clean_cell(step.level), "yellow")
        line.append(" (upcoming)", "yellow")
    add("Visits (all, state)", "bold blue")
    if not st.visits:
        add("  (none)", "dim")
    for v in st.visits:
        line = add(f"  {_name(store, v.visitor, False)} to {_name(store, v.host, True)}: ")
        line.append(f"{v.visits}", "bold")
        line.append(f" visit{'s' if v.visits != 1 else ''}, ")
        line.append(f"{v.state_visits}", "bold")
        line.append(f" state visit{'s' if v.state_visits != 1 else ''}")
        if not v.complete:
            line.append(" (not all recorded)")
        if v.last is not None:
            line.append(f"; last {v.last.human()}", "dim")
        if v.upcoming:
            line.append(f"; {v.upcoming} upcoming", "yellow")
    for title, counts, style in (
        ("Leaders' meetings per year (as recorded)", st.meetings_per_year, "magenta"),
        ("Events per year", st.events_per_year, "cyan"),
    ):
        add(title, "bold blue")
        if not counts:
            add("  (none)", "dim")
        top = max(counts.values(), default=1)
        for year, n in counts.items():
            line = add(f"  {year} ")
            line.append(bar * max(1, round(n * bar_max / top)), style)
            line.append(f" {n}")
    return lines


def render_stats(
    figures: Iterable[facts.PairStats], store: Store, console: Console, *, styled: bool
) -> None:
    """Styled on a terminal (``styled``) or plain text; lines wrap to the console width.
    ``figures`` may be made as they are drawn."""
    width = console.width
    i = -1
    for i, st in enumerate(figures):
        lines = ([Text()] if i else []) + _lines(st, store, styled, width)
        for line in lines:
            pieces = list(line.wrap(console, width - 4, overflow="fold"))
            pieces[1:] = [Text("    ") + p for p in pieces[1:]]
            for piece in pieces:
                if styled:
                    console.print(piece, no_wrap=True, crop=True)
                else:
                    console.file.write(piece.plain.rstrip() + "\n")
    if i < 0:
        console.file.write("no relationship matches\n")
    console.file.flush()
