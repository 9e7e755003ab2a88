"""Reading commands: show, query, stats.

Thin: resolve options, select events, hand them to one renderer chosen by --format. Render
modules are imported inside the commands so that --help and --version stay cheap.
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from dtimeline.cli import complete
from dtimeline.cli.options import (
    ActorOpt,
    AsOfOpt,
    CountryOpt,
    KindOpt,
    PastOpt,
    SearchOpt,
    SinceOpt,
    StatusOpt,
    TagOpt,
    UntilOpt,
    UpcomingOpt,
    make_filter,
)
from dtimeline.cli.state import State, get_state

if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import IO

    from rich.console import Console

    from dtimeline.model import Event
    from dtimeline.query import Subject


#: A timeline of more events than this is read from the index once per pass over it
#: (`show` of everything: the date column's width, the header, the lines), not held.
STREAM_EVENTS = 5000


class QueryFormat(str, Enum):
    auto = "auto"
    table = "table"
    plain = "plain"
    tsv = "tsv"
    csv = "csv"
    json = "json"
    jsonl = "jsonl"
    md = "md"
    ids = "ids"


class ShowFormat(str, Enum):
    auto = "auto"
    timeline = "timeline"
    plain = "plain"
    svg = "svg"


class StatsFormat(str, Enum):
    auto = "auto"
    table = "table"
    plain = "plain"
    json = "json"


class SortOrder(str, Enum):
    date = "date"
    desc = "-date"


WidthOpt = Annotated[
    Optional[int],  # noqa: UP045
    typer.Option("--width", "-w", min=20, metavar="N", show_default=False,
                 help="Columns to render for (default: the terminal's, or 80 in a pipe)."),
]  # fmt: skip
SubjectArg = Annotated[
    Optional[str],  # noqa: UP045
    typer.Argument(metavar="SUBJECT", show_default=False, autocompletion=complete.subjects,
                   help="A country, person or tag (slug, name, alias or ISO code)."),
]  # fmt: skip
ShowSubjectArg = Annotated[
    Optional[str],  # noqa: UP045
    typer.Argument(metavar="SUBJECT|ID", show_default=False,
                   autocompletion=complete.subject_or_id,
                   help="A country, person or tag (slug, name, alias or ISO code), or an "
                   "event's id."),
]  # fmt: skip


def _resolve(state: State, subject: str | None) -> Subject | None:
    """SUBJECT against the store's head and tags (no event is read for it)."""
    from dtimeline.query import resolve_subject

    return resolve_subject(state.head, subject, state.tags) if subject is not None else None


def query(  # noqa: PLR0917
    ctx: typer.Context,
    country: CountryOpt = None,
    actor: ActorOpt = None,
    kind: KindOpt = None,
    tag: TagOpt = None,
    status: StatusOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    search: SearchOpt = None,
    upcoming: UpcomingOpt = False,
    past: PastOpt = False,
    as_of: AsOfOpt = None,
    sort: Annotated[
        SortOrder, typer.Option("--sort", help="date (oldest first) or -date (newest first).")
    ] = SortOrder.date,
    limit: Annotated[
        Optional[int],  # noqa: UP045
        typer.Option(
            "--limit",
            "-n",
            min=0,
            metavar="N",
            show_default=False,
            help="At most N events (after sorting).",
        ),
    ] = None,
    fmt: Annotated[
        QueryFormat,
        typer.Option(
            "--format",
            "-f",
            case_sensitive=False,
            help="auto: table on a terminal, plain (tab-separated) in a pipe.",
        ),
    ] = QueryFormat.auto,
    width: WidthOpt = None,
) -> None:
    """List events that match FILTERS, one a line, in any of nine formats.

    Columns of plain/tsv/csv/md: date (EDTF), id, kind, title, countries, place, status
    (as of today or --as-of). tsv and csv start with a header row; plain does not.
    """
    from dtimeline.render.formats import write_events
    from dtimeline.store.select import select, select_texts

    state = get_state(ctx)
    flt = make_filter(state, country, actor, kind, tag, status, since, until, search,
                      upcoming, past, as_of)  # fmt: skip
    name = fmt.value
    # text to a pipe needs no rich Console (state.pipe): rich is not even imported
    pipe = state.pipe() if name != "table" else None
    console: Console | IO[str]
    if pipe is not None:
        console = pipe
        name = "plain" if name == "auto" else name
    else:
        console = state.console(width=width)
        if name == "auto":
            name = "table" if console.is_terminal else "plain"
    # Machine formats carry the stored status (lossless for `import`) unless --as-of asks
    # for the view of another day; the human views always show the status as of the day.
    status_day = flt.as_of if flt.time_travel or name not in ("json", "jsonl") else None
    descending = sort is SortOrder.desc
    if status_day is None:  # json/jsonl of the stored texts: no event is built
        kept = select_texts(state.index, flt, descending=descending, limit=limit)
        if kept is not None:
            from dtimeline.render.formats import write_json_texts

            write_json_texts(kept, name == "json", console)
            return
    events: Sequence[Event]
    if name in ("plain", "tsv", "csv", "md", "ids"):  # written as read: never all held
        from dtimeline.store.streams import Selected

        events = Selected(state.index, flt, descending=descending, limit=limit)
    else:
        events = select(state.index, flt, descending=descending, limit=limit)
    encoded = None
    if name in ("json", "jsonl"):
        from dtimeline.store.select import json_texts

        texts = json_texts(state.index, events)
        encoded = lambda ev: texts[ev.id]  # noqa: E731
    write_events(events, state.head, name, console, as_of=status_day, encoded=encoded)


def show(  # noqa: PLR0917
    ctx: typer.Context,
    subject: ShowSubjectArg = None,
    country: CountryOpt = None,
    actor: ActorOpt = None,
    kind: KindOpt = None,
    tag: TagOpt = None,
    status: StatusOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    search: SearchOpt = None,
    upcoming: UpcomingOpt = False,
    past: PastOpt = False,
    as_of: AsOfOpt = None,
    fmt: Annotated[
        ShowFormat,
        typer.Option(
            "--format",
            "-f",
            case_sensitive=False,
            help="auto: the timeline on a terminal, plain text in a pipe; svg: a "
            "picture of the timeline (at most 4,000 lines).",
        ),
    ] = ShowFormat.auto,
    width: WidthOpt = None,
    output: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            show_default=False,
            help="Write the svg to FILE instead of stdout.",
        ),
    ] = None,
    long: Annotated[
        bool,
        typer.Option("--long", "-l", help="Each event's summary and sources under it."),
    ] = False,
) -> None:
    """A vertical timeline of a country, person or tag (or of everything), or one event.

    Derived facts come from the data: years of relations, partnership level, the nth visit,
    gaps since the last visit, how long ago or how far off. Given an event's id (see
    'query'), shows that event in full: every field, every source, what is derived and
    where it is in the store (FILE:LINE)."""
    from dtimeline.errors import InputError
    from dtimeline.render.timeline import TimelineView, render_plain, render_svg, render_terminal
    from dtimeline.store.factsql import IndexFacts
    from dtimeline.store.select import event, select
    from dtimeline.store.streams import Selected

    state = get_state(ctx)
    if subject is not None:
        found = event(state.index, subject)
        if found is not None:
            return _show_event(state, found, as_of, fmt, width, output)
    subj = _resolve(state, subject)
    flt = make_filter(state, country, actor, kind, tag, status, since, until, search,
                      upcoming, past, as_of)  # fmt: skip
    # only the events shown are read; the header's facts and each visit's ordinals are
    # asked of the index (store/factsql.py)
    events: Sequence[Event] = select(state.index, flt, subject=subj, limit=STREAM_EVENTS + 1)
    if len(events) > STREAM_EVENTS:  # a long timeline: read again for each pass, not held
        events = Selected(state.index, flt, subject=subj)
    view = TimelineView(state.head, events, subj, flt.as_of, flt.time_travel, long,
                        IndexFacts(state.index))  # fmt: skip
    console = state.console(width=width)
    name = fmt.value
    if name == "auto":
        name = "timeline" if console.is_terminal else "plain"
    if output is not None and name != "svg":
        raise InputError("--output is only for --format svg")
    if name == "timeline":
        render_terminal(view, console)
    elif name == "plain":
        render_plain(view, console)
    else:
        svg = render_svg(view, width or 100)
        if output is None:
            console.file.write(svg)
            console.file.flush()
        else:
            from pathlib import Path

            from dtimeline.store.write import atomic_replace

            atomic_replace(Path(output), svg.encode("utf-8"))


def _show_event(  # noqa: PLR0917
    state: State,
    event: Event,
    as_of: str | None,
    fmt: ShowFormat,
    width: int | None,
    output: str | None,
) -> None:
    """`show ID`: one event in full (render/event.py)."""
    from dtimeline.errors import InputError
    from dtimeline.render.event import EventView, render_event
    from dtimeline.store.factsql import IndexFacts
    from dtimeline.store.select import position
    from dtimeline.store.where import event_line_at

    if fmt is ShowFormat.svg or output is not None:
        raise InputError("one event is shown as text: --format svg and --output are for timelines")
    flt = make_filter(state, as_of=as_of)
    path = state.location.path
    place = position(state.index, event.id)
    line = event_line_at(path, place) if place is not None else None
    where = f"{path}:{line}" if line is not None else str(path)
    console = state.console(width=width)
    styled = fmt is ShowFormat.timeline or (fmt is ShowFormat.auto and console.is_terminal)
    view = EventView(state.head, event, flt.as_of, flt.time_travel, where,
                     IndexFacts(state.index))  # fmt: skip
    render_event(view, console, styled=styled)


def stats(
    ctx: typer.Context,
    subject: SubjectArg = None,
    as_of: AsOfOpt = None,
    fmt: Annotated[
        StatsFormat,
        typer.Option(
            "--format",
            "-f",
            case_sensitive=False,
            help="auto: coloured on a terminal, plain text in a pipe; json: the same "
            "figures as data.",
        ),
    ] = StatsFormat.auto,
    width: WidthOpt = None,
) -> None:
    """Figures per relationship: years, partnership ladder, visits, meetings, events.

    Years of relations, each partnership level and its date, visits per leader and host (all
    and state visits; "not all recorded" where the store holds only some of a leader's trips
    to that host), leaders' meetings per year and events per year.

    A leaders' meeting is a bilateral encounter: a visit, talks or meeting that names a
    leader of each country, counted one per trip (events on overlapping or consecutive days
    are one trip). A summit or ceremony both attend counts only through a visit, talks or
    meeting recorded with it; cancelled and postponed events never count."""
    from dtimeline.render.stats import render_stats, write_json

    state = get_state(ctx)
    subj = _resolve(state, subject)
    flt = make_filter(state, as_of=as_of)
    # one relationship at a time, each over its own events (store/streams.py)
    from dtimeline.store.streams import pair_figures

    store = state.head
    figures = pair_figures(state.index, subj, flt.as_of, flt.time_travel)
    console = state.console(width=width)
    name = fmt.value
    if name == "auto":
        name = "table" if console.is_terminal else "plain"
    if name == "json":
        write_json(figures, store, console.file)
    else:
        render_stats(figures, store, console, styled=name == "table")


#: The commands of this module, by name (cli/application.py registers them).
COMMANDS = {"show": show, "query": query, "stats": stats}
EXAMPLES = {
    "show": (
        "dtimeline show kazakhstan",
        "dtimeline show tajikistan --since 2013 --kind state-visit",
        "dtimeline show tokayev --as-of 2024-07-01",
    ),
    "query": (
        "dtimeline query -c kazakhstan --since 2023",
        "dtimeline query --kind state-visit --sort -date --limit 5",
        "dtimeline query --tag sco --format json | jq '.[].title'",
        "dtimeline query --upcoming --format ids",
    ),
    "stats": (
        "dtimeline stats",
        "dtimeline stats kazakhstan",
        "dtimeline stats tajikistan --as-of 2020 --format json",
    ),
}
