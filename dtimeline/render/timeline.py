"""The `show` view: a vertical timeline with a header for the relationship.

One layout, built as a list of rich ``Text`` lines already wrapped to the width, and drawn
two ways: styled on a terminal (and in svg), or as colourless plain text (``.plain``) in a
pipe. Every string from the store goes through :func:`clean_cell` into a ``Text``: never
markup, never a terminal escape. Every figure (years, ordinals, gaps, relative times) comes
from :mod:`dtimeline.facts`, computed as of the view's day.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from itertools import combinations
from typing import TYPE_CHECKING, NamedTuple

from rich.text import Text

from dtimeline import facts
from dtimeline.dates import DatePoint
from dtimeline.factsource import FactSource, Standing, StoreFacts
from dtimeline.query import effective_status, is_upcoming
from dtimeline.render.formats import clean_cell
from dtimeline.render.plaintext import PlainText

if TYPE_CHECKING:
    from rich.console import Console

    from dtimeline.model import Event, Store
    from dtimeline.query import Subject

NARROW = 64  # below this many columns the date goes on the event's first line
GAP_YEARS = 2  # a gap of at least this many whole years between events gets a marker
MAX_DATE_COLUMN = 20


class Glyphs(NamedTuple):
    bullet: str
    upcoming: str
    stem: str
    rule: str
    dot: str
    text: type[Text] = Text  # the lines' class: PlainText when only .plain is read


FANCY = Glyphs(bullet="●", upcoming="○", stem="│", rule="─", dot="·")
PLAIN = Glyphs(bullet="*", upcoming="o", stem=" ", rule="-", dot="·", text=PlainText)


class TimelineView(NamedTuple):
    """What `show` draws: the events (already filtered and in date order) and the day.

    ``store`` gives the names of countries and people; the derived facts come from
    ``facts`` (dtimeline/factsource.py), by default from ``store`` itself, which must then
    hold every event (store/factsql.py asks the index instead)."""

    store: Store
    events: Sequence[Event]  # walked once per pass: may be read again each time
    subject: Subject | None
    as_of: date
    time_travel: bool = False
    long: bool = False  # each event's summary and sources under it (show --long)
    facts: FactSource | None = None


def source(view: TimelineView) -> FactSource:
    """Where the view's derived facts come from."""
    return view.facts if view.facts is not None else StoreFacts(view.store)


def _t(g: Glyphs, text: str, style: str) -> Text:
    """A Text whose style covers only its own characters (not what is appended later)."""
    out = g.text()
    out.append(text, style)
    return out


def _name(store: Store, slug: str, kind: str) -> str:
    table = store.countries if kind == "country" else store.actors
    entity = table.get(slug)
    return clean_cell(entity.name if entity else slug)


def _wrap(text: Text, width: int, console: Console, indent: str = "") -> list[Text]:
    width = max(width - len(indent), 8)
    if "\n" not in text.plain and text.cell_len <= width:  # most lines: nothing to wrap
        line = text.copy()
        line.rstrip()
        return [type(text)(indent) + line if indent else line]
    out = []
    for line in text.wrap(console, width, overflow="fold"):
        line.rstrip()
        out.append(type(text)(indent) + line if indent else line)
    return out


def _relationships(view: TimelineView) -> list[Standing]:
    """The standing of each relationship the events touch (of the subject's, for a
    country), in the order of :func:`facts.pairs`."""
    found = source(view)
    subject = view.subject
    touched = {
        frozenset(pair)
        for ev in view.events
        for pair in combinations(sorted(set(ev.countries)), 2)
        if subject is None or subject.kind != "country" or subject.slug in pair
    }
    kept = found.pairs_among(touched)
    return [found.standing(pair, view.as_of, view.time_travel) for pair in kept]


def _title(view: TimelineView, rels: list[Standing]) -> str:
    store, subject = view.store, view.subject
    if subject is None:
        return "Timeline"
    if subject.kind == "country":
        if len(rels) == 1:
            a, b = rels[0].pair
            return f"{_name(store, a, 'country')} – {_name(store, b, 'country')}"
        return _name(store, subject.slug, "country")
    if subject.kind == "actor":
        actor = store.actors.get(subject.slug)
        role = f" · {clean_cell(actor.role)}" if actor and actor.role else ""
        return _name(store, subject.slug, "actor") + role
    return f"Tag: {clean_cell(subject.slug)}"


def _relationship_texts(view: TimelineView, rel: Standing, g: Glyphs) -> list[Text]:
    """[relations since ... (N years)], then [level since ...], then upcoming levels."""
    out = [g.text()]
    if rel.established is not None and rel.years is not None:
        out[0].append(f"relations since {rel.established.human()} ")
        out[0].append(f"({facts.plural(rel.years, 'year')})", "bold cyan")
    else:
        out[0].append("no relations-established event")
    if rel.level and rel.level_since is not None:
        level = g.text("partnership: ")
        level.append(clean_cell(rel.level), "bold green")
        level.append(f" (since {rel.level_since.human()})")
        out.append(level)
    for step in rel.upcoming_levels:
        soon = g.text("upcoming: ")
        soon.append(clean_cell(step.level), "yellow")
        soon.append(f" ({step.date.human()})")
        out.append(soon)
    return out


def _header(view: TimelineView, width: int, console: Console, g: Glyphs) -> list[Text]:
    rels = _relationships(view)
    title = g.text()
    title.append(_title(view, rels), "bold")
    lines = _wrap(title, width, console)
    single = view.subject is not None and view.subject.kind == "country" and len(rels) == 1
    for rel in rels:
        parts = _relationship_texts(view, rel, g)
        if single:
            for part in parts:
                lines += _wrap(part, width, console)
            continue
        a, b = (_name(view.store, slug, "country") for slug in rel.pair)
        line = _t(g, f"{a} – {b}: ", "bold")
        for i, part in enumerate(parts):
            line += g.text("; " if i else "") + part
        lines += _wrap(line, width, console)
    summary = f"as of {_day(view.as_of)} {g.dot} {counted(view)}"
    lines += _wrap(_t(g, summary, "dim"), width, console)
    lines.append(_t(g, g.rule * min(width, 60), "dim"))
    return lines


def counted(view: TimelineView) -> str:
    """What the header counts, said in full (so it is not mistaken for `stats`' figure):
    ``43 events naming Kazakhstan, of which 2 upcoming and 1 cancelled or postponed``."""
    subject, store = view.subject, view.store
    text = facts.plural(len(view.events), "event")
    if subject is not None:
        if subject.kind == "tag":
            text += f" tagged {clean_cell(subject.slug)}"
        else:
            text += f" naming {_name(store, subject.slug, subject.kind)}"
    upcoming = sum(1 for ev in view.events if is_upcoming(ev, view.as_of))
    off = sum(1 for ev in view.events if effective_status(ev, view.as_of) in facts.NOT_HAPPENING)
    parts = [f"{upcoming} upcoming"] if upcoming else []
    parts += [f"{off} cancelled or postponed"] if off else []
    return f"{text}, of which {' and '.join(parts)}" if parts else text


def _day(day: date) -> str:
    return DatePoint(day.year, day.month, day.day).human()


def _first_line(view: TimelineView, ev: Event, g: Glyphs) -> Text:
    """kind, then marks: upcoming (how far off), status, approximate/uncertain, relative."""
    text = g.text()
    text.append(ev.kind.replace("-", " "), "bold cyan")
    status = effective_status(ev, view.as_of)
    when = facts.relative(ev.date, view.as_of)
    if is_upcoming(ev, view.as_of) and ev.status not in facts.NOT_HAPPENING:
        text.append(f" {g.dot} ")
        text.append(f"upcoming, {when}", "bold yellow")
    elif status in ("postponed", "cancelled"):
        text.append(f" {g.dot} ")
        text.append(status.upper(), "bold magenta" if status == "postponed" else "bold red")
        text.append(f" {g.dot} {when}", "dim")
    else:
        if status != "held":
            text.append(f" {g.dot} ")
            text.append(status, "yellow")
        text.append(f" {g.dot} {when}", "dim")
    if ev.date.approximate:
        text.append(f" {g.dot} ")
        text.append("~ approximate date", "italic")
    if ev.date.uncertain:
        text.append(f" {g.dot} ")
        text.append("? uncertain date", "italic")
    return text


def _body(view: TimelineView, ev: Event, g: Glyphs) -> list[Text]:
    store = view.store
    status = effective_status(ev, view.as_of)
    title = g.text()
    title.append(clean_cell(ev.title), "bold strike" if status == "cancelled" else "bold")
    lines = [title]
    where = g.text()
    if ev.place:
        where.append(clean_cell(ev.place), "italic")
    names = [_name(store, a, "actor") for a in ev.actors]
    if names:
        if ev.place:
            where.append(f" {g.dot} ")
        where.append(", ".join(names))
    if where.plain:
        lines.append(where)
    if ev.kind == "partnership" and ev.level:
        lines.append(g.text("level: ") + _t(g, clean_cell(ev.level), "green"))
    visit = source(view).visit_facts(ev, view.as_of, view.time_travel)
    if visit is not None:
        visitor = _name(store, visit.visitor, "actor")
        host = _name(store, visit.host, "country")
        derived = f"{visitor}'s {facts.ordinal(visit.number)} visit to {host}"
        if visit.state_number:
            derived += f", {facts.ordinal(visit.state_number)} state visit"
        gap = visit.gap_phrase()
        if gap:
            derived += f" {g.dot} {gap}"
        lines.append(_t(g, derived, "green"))
    if view.long:
        lines += _long(ev, g)
    return lines


def _long(ev: Event, g: Glyphs) -> list[Text]:
    """The summary and every source of an event (``show --long``)."""
    from dtimeline.render.event import source_texts

    lines = [g.text(clean_cell(ev.summary))] if ev.summary else []
    for src in ev.sources:
        found = source_texts(src)
        lines.append(_t(g, "source: ", "dim") + found[0])
        lines += [g.text("  ") + rest for rest in found[1:]]
    if not ev.sources:
        lines.append(_t(g, "no source", "yellow"))
    return lines


def _event_lines(
    view: TimelineView, ev: Event, width: int, console: Console, *, g: Glyphs, date_col: int
) -> list[Text]:
    bullet = g.upcoming if is_upcoming(ev, view.as_of) else g.bullet
    human = ev.date.human()
    first = _first_line(view, ev, g)
    body = _body(view, ev, g)
    lines: list[Text] = []
    if width < NARROW or not date_col:
        head = g.text(f"{bullet} ") + _t(g, human, "bold") + g.text(f" {g.dot} ") + first
        wrapped = _wrap(head, width - 2, console)
        lines.append(wrapped[0])
        lines += [g.text("  ") + rest for rest in wrapped[1:]]
        for part in body:
            lines += _wrap(part, width, console, indent="  ")
        return lines
    indent = " " * date_col + "  "
    stem = g.text(indent) + _t(g, f"{g.stem} ", "dim")
    if len(human) > date_col:
        lines.append(_t(g, human, "bold"))
        lead = g.text(indent)
    else:
        lead = _t(g, human.ljust(date_col), "bold") + g.text("  ")
    wrapped = _wrap(first, width - date_col - 4, console)
    lines.append(lead + g.text(f"{bullet} ") + wrapped[0])
    lines += [stem + rest for rest in wrapped[1:]]
    for part in body:
        lines += [stem + piece for piece in _wrap(part, width - date_col - 4, console)]
    return lines


def build(view: TimelineView, console: Console, width: int, g: Glyphs) -> Iterator[Text]:
    """Every line of the view, none wider than ``width`` cells, one at a time (a timeline
    of a large store is never held whole)."""
    yield from _header(view, width, console, g)
    if not view.events:
        yield _t(g, "no events match", "dim")
        return
    date_col = 0
    if width >= NARROW:
        date_col = min(max(len(ev.date.human()) for ev in view.events), MAX_DATE_COLUMN)
    previous: Event | None = None
    for ev in view.events:
        year = ev.date.earliest.year
        if previous is not None:
            gap = facts.whole_years(previous.date.latest, ev.date.earliest)
            if gap >= GAP_YEARS:
                marker = (
                    f"{g.dot} {g.dot} {g.dot} {facts.plural(gap, 'year')} {g.dot} {g.dot} {g.dot}"
                )
                pad = " " * (date_col + 2 if date_col else 2)
                yield from _wrap(_t(g, marker, "dim italic"), width, console, indent=pad)
        if previous is None or previous.date.earliest.year != year:
            label = f"{g.rule * 2} {year} "
            yield _t(g, label + g.rule * max(min(width, 60) - len(label), 0), "bold blue")
        yield from _event_lines(view, ev, width, console, g=g, date_col=date_col)
        previous = ev


#: Lines handed to rich in one print call (each call has a fixed cost of its own).
BATCH = 200


def render_terminal(view: TimelineView, console: Console) -> None:
    _print(build(view, console, console.width, FANCY), console)


def _print(lines: Iterable[Text], console: Console) -> None:
    """Styled lines to ``console``, handed to rich :data:`BATCH` at a time."""
    batch: list[Text] = []
    newline = Text("\n")
    for line in lines:
        batch.append(line)
        if len(batch) >= BATCH:
            console.print(newline.join(batch), no_wrap=True, crop=True)
            batch = []
    if batch:
        console.print(newline.join(batch), no_wrap=True, crop=True)
    console.file.flush()


def render_plain(view: TimelineView, console: Console) -> None:
    """Colourless text, the same information as the terminal view (the default in a pipe)."""
    stream = console.file
    for line in build(view, console, console.width, PLAIN):
        stream.write(line.plain.rstrip() + "\n")
    stream.flush()


#: The tallest SVG picture `show` draws, in lines: rich holds the whole picture (about 6 KB
#: a line) while it writes it, and no viewer shows a picture of tens of thousands of lines.
SVG_MAX_LINES = 4000


def render_svg(view: TimelineView, width: int) -> str:
    """The terminal view as an SVG picture (rich's export), ``width`` columns wide.

    Raises InputError when the view has more than :data:`SVG_MAX_LINES` lines."""
    import io

    from rich.console import Console

    console = Console(
        file=io.StringIO(),
        width=width,
        record=True,
        force_terminal=True,
        color_system="truecolor",
        markup=False,
        emoji=False,
        highlight=False,
    )
    _print(_at_most(build(view, console, width, FANCY), SVG_MAX_LINES), console)
    from dtimeline.render.svg import export_svg

    return export_svg(console, "dtimeline")


def _at_most(lines: Iterable[Text], limit: int) -> Iterator[Text]:
    """``lines``, raising InputError (before the line over the limit is drawn) if there are
    more than ``limit``: the recording console then never holds more."""
    from dtimeline.errors import InputError

    for count, line in enumerate(lines, 1):
        if count > limit:
            raise InputError(
                f"the svg would be more than {limit} lines tall",
                hint="narrow the view with a subject or filters such as --since, or use "
                "--format plain",
            )
        yield line
