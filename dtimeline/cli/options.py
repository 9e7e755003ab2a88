"""Option aliases shared by commands, and turning FILTERS into a query.Filter.

FILTERS (show, query, export): --country/-c --actor/-a --kind/-k --tag/-t --status
--search/-s (each repeatable: any of the values), --since --until (any DATE form; overlap),
--upcoming, --past, --as-of.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Optional

import typer

from dtimeline.cli import complete

if TYPE_CHECKING:
    from dtimeline.cli.state import State
    from dtimeline.dates import EDate
    from dtimeline.query import Filter

_F = "Filters"

CountryOpt = Annotated[
    Optional[list[str]],  # noqa: UP045
    typer.Option("--country", "-c", autocompletion=complete.countries,
                 help="Country (slug, name, alias or ISO code); repeatable.",
                 rich_help_panel=_F, show_default=False),
]  # fmt: skip
ActorOpt = Annotated[
    Optional[list[str]],  # noqa: UP045
    typer.Option("--actor", "-a", autocompletion=complete.actors,
                 help="Person (slug, name or alias); repeatable.",
                 rich_help_panel=_F, show_default=False),
]  # fmt: skip
KindOpt = Annotated[
    Optional[list[str]],  # noqa: UP045
    typer.Option("--kind", "-k", autocompletion=complete.kinds,
                 help="Event kind, e.g. state-visit; repeatable.",
                 rich_help_panel=_F, show_default=False),
]  # fmt: skip
TagOpt = Annotated[
    Optional[list[str]],  # noqa: UP045
    typer.Option(
        "--tag",
        "-t",
        autocompletion=complete.tags,
        help="Tag; repeatable.",
        rich_help_panel=_F,
        show_default=False,
    ),
]
StatusOpt = Annotated[
    Optional[list[str]],  # noqa: UP045
    typer.Option("--status", autocompletion=complete.statuses,
                 help="announced, held, postponed or cancelled (as of --as-of); "
                 "repeatable.", rich_help_panel=_F, show_default=False),
]  # fmt: skip
SinceOpt = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option("--since", metavar="DATE", help="Events that reach this date or later "
                 "(2023, May 2023, 2023-05-17...).", rich_help_panel=_F, show_default=False),
]  # fmt: skip
UntilOpt = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option("--until", metavar="DATE", help="Events that start by the end of this date.",
                 rich_help_panel=_F, show_default=False),
]  # fmt: skip
SearchOpt = Annotated[
    Optional[list[str]],  # noqa: UP045
    typer.Option("--search", "-s", metavar="TEXT", help="Text in title, summary, place, names "
                 "or aliases (ignores case, accents and punctuation); repeatable.",
                 rich_help_panel=_F, show_default=False),
]  # fmt: skip
UpcomingOpt = Annotated[
    bool,
    typer.Option("--upcoming", help="Only events after today (or --as-of).", rich_help_panel=_F),
]
PastOpt = Annotated[
    bool,
    typer.Option("--past", help="Only events on or before today (or --as-of).",
                 rich_help_panel=_F),
]  # fmt: skip
AsOfOpt = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option("--as-of", metavar="DATE", help="View the store as it stood on that day: later "
                 "events are upcoming, later announcements hidden. A month or year means its "
                 "last day (--as-of 2024 is 2024-12-31).", rich_help_panel=_F,
                 show_default=False),
]  # fmt: skip


def make_filter(  # noqa: PLR0917
    state: State,
    country: list[str] | None = None,
    actor: list[str] | None = None,
    kind: list[str] | None = None,
    tag: list[str] | None = None,
    status: list[str] | None = None,
    since: str | None = None,
    until: str | None = None,
    search: list[str] | None = None,
    upcoming: bool = False,
    past: bool = False,
    as_of: str | None = None,
) -> Filter:
    """Resolve every FILTER value against the store; bad values raise one clear error."""
    from dtimeline import query

    store = state.head
    since_d = filter_date(state, since, "--since").earliest if since is not None else None
    until_d = filter_date(state, until, "--until").latest if until is not None else None
    as_of_d = filter_date(state, as_of, "--as-of").latest if as_of is not None else state.today
    if country:  # any ISO 3166 country: one the store does not declare matches no event
        from dtimeline.interchange import Resolver

        countries = tuple(map(Resolver(store, registry=True).country, country))
    return query.Filter(
        countries=countries if country else (),
        actors=tuple(query.resolve_actor(store, a) for a in actor or ()),
        kinds=tuple(query.resolve_kind(store, k) for k in kind or ()),
        tags=tuple(query.resolve_tag(store, t, state.tags) for t in tag or ()),
        statuses=tuple(query.resolve_status(s) for s in status or ()),
        since=since_d,
        until=until_d,
        search=tuple(search or ()),
        upcoming=upcoming,
        past=past,
        as_of=as_of_d,
        time_travel=as_of is not None,
    )


def filter_date(state: State, text: str, option: str) -> EDate:
    """A filter's DATE; unless it was ISO/EDTF already, how it was read goes to stderr
    (``--as-of`` also says which day a month or a year stands for)."""
    reading = state.read_date(text)
    when = reading.date
    if not reading.plain:
        state.warn(reading.echo(text, f"{option} "))
    if option == "--as-of" and (when.is_range or when.precision != "day"):
        state.warn(f"--as-of {when.edtf()} is read as its last day, {when.latest.isoformat()}")
    return when
