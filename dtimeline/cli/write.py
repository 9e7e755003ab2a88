"""Writing commands: add, import, edit, remove, undo.

Thin: options are turned into values here; building events lives in
:mod:`dtimeline.interchange`, and every write goes through :mod:`dtimeline.store.write`
(lock, atomic replace, undo history).
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from dtimeline.cli import complete
from dtimeline.cli.state import State, get_state
from dtimeline.cli.target import write_target

if TYPE_CHECKING:
    from dtimeline.dates import EDate
    from dtimeline.interchange import Resolver
    from dtimeline.model import Country, Event, Store
    from dtimeline.store.index import WriterView
    from dtimeline.streamimport import Input

_E = "Event fields"

CountryOpt = Annotated[
    Optional[list[str]],  # noqa: UP045
    typer.Option("--country", "-c", autocompletion=complete.countries,
                 metavar="COUNTRY",
                 help="Country (slug, name, alias or ISO code); repeatable.",
                 rich_help_panel=_E, show_default=False),
]  # fmt: skip
KindOpt = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option("--kind", "-k", autocompletion=complete.kinds,
                 metavar="KIND",
                 help="Event kind, e.g. talks, state-visit (add: default other).",
                 rich_help_panel=_E, show_default=False),
]  # fmt: skip
ActorOpt = Annotated[
    Optional[list[str]],  # noqa: UP045
    typer.Option("--actor", "-a", autocompletion=complete.actors,
                 metavar="ACTOR",
                 help="Person (slug, name or alias); a visit lists the visitor first; "
                 "repeatable.", rich_help_panel=_E, show_default=False),
]  # fmt: skip
HostOpt = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option("--host", autocompletion=complete.countries,
                 metavar="COUNTRY", help="Host country of a visit (required for visits).",
                 rich_help_panel=_E, show_default=False),
]  # fmt: skip
PlaceOpt = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option(
        "--place", metavar="TEXT", help="Where it happened.", rich_help_panel=_E, show_default=False
    ),
]
TagOpt = Annotated[
    Optional[list[str]],  # noqa: UP045
    typer.Option(
        "--tag",
        "-t",
        autocompletion=complete.tags,
        metavar="TAG",
        help="Tag; repeatable.",
        rich_help_panel=_E,
        show_default=False,
    ),
]
StatusOpt = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option("--status", autocompletion=complete.statuses,
                 metavar="STATUS",
                 help="announced, held, postponed or cancelled (add: announced for a "
                 "future date, else held).", rich_help_panel=_E, show_default=False),
]  # fmt: skip
SummaryOpt = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option("--summary", metavar="TEXT", help="A few sentences.", rich_help_panel=_E,
                 show_default=False),
]  # fmt: skip
SourceOpt = Annotated[
    Optional[list[str]],  # noqa: UP045
    typer.Option("--source", metavar="URL|TEXT", help="A source: a URL (its domain becomes the "
                 "publisher) or the publisher's name; repeatable.", rich_help_panel=_E,
                 show_default=False),
]  # fmt: skip
AnnouncedOpt = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option("--announced", metavar="DATE", help="When the event became known.",
                 rich_help_panel=_E, show_default=False),
]  # fmt: skip
LevelOpt = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option("--level", metavar="TEXT", help="Partnership level reached.",
                 rich_help_panel=_E, show_default=False),
]  # fmt: skip
DryRunOpt = Annotated[
    bool, typer.Option("--dry-run", help="Print the TOML that would be written; write nothing.")
]


class ImportFormat(str, Enum):
    jsonl = "jsonl"
    json = "json"
    csv = "csv"
    toml = "toml"


class Clearable(str, Enum):
    actors = "actors"
    host = "host"
    place = "place"
    tags = "tags"
    summary = "summary"
    sources = "sources"
    announced = "announced"
    level = "level"


def _timeout(state: State) -> float:
    from dtimeline.cli.target import lock_timeout

    return lock_timeout(state)


class _Declare(Exception):  # noqa: N818 (a signal, not an error)
    """The event names a country the store does not declare yet: the write must declare it
    too, which the fast append path cannot do."""


def _declared_notes(countries: Iterable[Country]) -> list[str]:
    return [
        f"declared country {c.slug} ({c.name}, ISO 3166 {'/'.join(filter(None, [c.iso, c.iso3]))})"
        for c in countries
    ]


def timeout_of(state: State) -> float:
    """How long a write waits for the store's lock (``$DTIMELINE_LOCK_TIMEOUT``), seconds."""
    return _timeout(state)


def _read_store(state: State) -> Store:
    """The store a dry run checks against (the bundled one is never copied for it)."""
    from dtimeline.store import load_store

    return load_store(state.location.path)


def _date(state: State, text: str, notes: list[str], what: str = "") -> EDate:
    """Read a DATE; how it was read is said on stderr once the command succeeds."""
    reading = state.read_date(text)
    notes.append(reading.echo(text, what))
    return reading.date


def _text(value: str, what: str) -> str:
    from dtimeline.interchange import clean_text

    return clean_text(value, what)


def _similar_notes(view: WriterView, ev: Event) -> list[str]:
    """Likely duplicates: same kind, same set of countries, overlapping dates."""
    from dtimeline.dates import parse_edtf

    return [
        f"warning: this looks like {other.id} ({parse_edtf(other.edtf).human()}:"
        f" {other.title}); added anyway"
        for other in view.similar(ev)[:3]
    ]


def _say(state: State, notes: list[str]) -> None:
    for note in notes:
        state.warn(note)


def add(  # noqa: PLR0917
    ctx: typer.Context,
    date_text: Annotated[
        str,
        typer.Argument(
            metavar="DATE",
            help="2023-05-17, 17 May 2023, May 2023, 2024-07-02/2024-07-04, today...",
        ),
    ],
    title: Annotated[str, typer.Argument(metavar="TITLE", help="One line saying what happened.")],
    country: CountryOpt = None,
    kind: KindOpt = None,
    actor: ActorOpt = None,
    host: HostOpt = None,
    place: PlaceOpt = None,
    tag: TagOpt = None,
    status: StatusOpt = None,
    summary: SummaryOpt = None,
    source: SourceOpt = None,
    announced: AnnouncedOpt = None,
    level: LevelOpt = None,
    event_id: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--id",
            help="The event's id (default: DATE-slug-of-title, made unique).",
            show_default=False,
        ),
    ] = None,
    dry_run: DryRunOpt = False,
) -> None:
    """Add one event; print its id on stdout.

    The event is appended to the end of the store as a new events table: nothing already
    in the file changes. A likely duplicate (same countries and kind, overlapping date) is warned
    about but still added.
    """
    from dtimeline import interchange as ix
    from dtimeline.errors import ConflictError, InputError
    from dtimeline.model import Event

    state = get_state(ctx)
    ix.check_title(title)
    notes: list[str] = []
    when = _date(state, date_text, notes)
    announced_d = _date(state, announced, notes, "announced ") if announced is not None else None
    if event_id is not None:
        ix.check_id(event_id)
    if not country:
        raise InputError("name at least one country (--country/-c)")

    declared: dict[str, Country] = {}

    def build(view: WriterView, declaring: bool = False) -> list[Event]:
        res = ix.Resolver(view.head, registry=True)
        ids = view.id_set()
        if event_id is not None and event_id in ids:
            raise ConflictError(f"an event with id {event_id!r} exists already")
        ev = ix.finish_event(
            Event(
                id=event_id or ix.make_id(when, title, ids),
                date=when,
                kind=res.kind(kind) if kind is not None else "other",
                title=title,
                countries=tuple(res.country(c) for c in country or ()),
                actors=tuple(res.actor(a) for a in actor or ()),
                host=res.country(host) if host else "",
                place=_text(place or "", "--place"),
                status=res.status(status) if status else ix.default_status(when, state.today),
                announced=announced_d,
                level=_text(level or "", "--level"),
                tags=tuple(_text(t, "--tag") for t in tag or ()),
                summary=_text(summary or "", "--summary"),
                sources=tuple(ix.source_from_text(s) for s in source or ()),
            ),
            res.known,
        )
        if res.declared and not declaring:
            raise _Declare
        declared.clear()
        declared.update(res.declared)
        notes.extend(_similar_notes(view, ev))
        if not ev.sources:
            notes.append("warning: no --source given; 'check --strict' will report it")
        return [ev]

    from dtimeline.store.index import open_index

    if dry_run:
        from dtimeline.store.declare import Declarations, declarations_text
        from dtimeline.store.tomlblock import event_block

        ev = build(open_index(state.location.path), declaring=True)[0]
        decl_text = declarations_text(Declarations(declared))
        typer.echo(decl_text + "\n" if decl_text else "", nl=False)
        typer.echo(event_block(ev), nl=False)
        _say(state, notes)
        return
    from dtimeline.store.declare import Declarations, add_and_declare
    from dtimeline.store.write import append_on_view

    with write_target(state) as path:
        try:
            events = append_on_view(path, build, lambda evs: f"add {evs[0].id}", _timeout(state))
        except _Declare:
            _, events = add_and_declare(
                path,
                lambda _: (Declarations(declared), build(open_index(path), declaring=True)),
                lambda evs: f"add {evs[0].id}",
                _timeout(state),
            )
    _say(state, [*notes, *_declared_notes(declared.values())])
    typer.echo(events[0].id)


def import_(
    ctx: typer.Context,
    source: Annotated[
        str, typer.Argument(metavar="[FILE|-]", help="File to read; '-' or nothing: stdin.")
    ] = "-",
    fmt: Annotated[
        Optional[ImportFormat],  # noqa: UP045
        typer.Option(
            "--format",
            "-f",
            help="Input format (default: from the extension or the content).",
            case_sensitive=False,
            show_default=False,
        ),
    ] = None,
    allow_duplicates: Annotated[
        bool,
        typer.Option(
            "--allow-duplicates",
            help="Add records without an id even when an event with the same date, kind,"
            " countries and title is stored.",
        ),
    ] = False,
    dry_run: DryRunOpt = False,
) -> None:
    """Import events (JSON Lines, JSON array, CSV or TOML), all or nothing.

    Fields are those of 'query --format json'. One bad record is reported with its line
    and nothing is written. Records identical to an event already stored (same id, same
    content) are skipped; the same id with other content is a conflict. A record without
    an id that matches a stored event (same date, kind, countries and title) is skipped
    as a duplicate, unless --allow-duplicates. Countries, actors and kinds that a TOML
    store or a JSON document declares are declared in this store when it lacks them; a
    contradicting declaration is a conflict (exit 5). Any ISO 3166 country is declared
    on first use.
    """
    from dtimeline import interchange as ix
    from dtimeline import streamimport, transfer
    from dtimeline.errors import InputError
    from dtimeline.store.declare import Declarations

    state = get_state(ctx)
    inp = streamimport.Input.open(source)
    try:
        form = fmt.value if fmt is not None else inp.form()
        if form == "jsonl" and _import_streamed(state, inp, allow_duplicates, dry_run):
            return
        name, text = inp.name, inp.text()
    finally:
        inp.close()
    records = ix.read_records(text, form, name)
    raw = transfer.document_declarations(text, form, name)
    if not records and not any(raw.values()):
        raise InputError(f"{name}: nothing to import (no events in it)")
    skipped = 0
    declared = Declarations()

    def plan(store: Store) -> tuple[Declarations, list[Event]]:
        nonlocal skipped, declared
        from_doc = transfer.missing_from(raw, store, name)
        res = ix.Resolver(from_doc.applied(store), registry=True)
        planned = ix.plan_import(
            records, store, state.today, resolver=res, allow_duplicates=allow_duplicates
        )
        skipped = planned.skipped
        declared = Declarations(
            {**from_doc.countries, **res.declared}, from_doc.actors, from_doc.kinds
        )
        return declared, planned.new

    def build(store: Store) -> list[Event]:
        decl, events = plan(store)
        if decl:
            raise _Declare
        return events

    if dry_run:
        from dtimeline.store.declare import declarations_text
        from dtimeline.store.tomlblock import events_text

        decl, new = plan(_read_store(state))
        typer.echo(declarations_text(decl), nl=False)
        typer.echo(events_text(new), nl=False)
        state.warn(f"would import {len(new)}, skip {skipped} duplicate{_s(skipped)}")
        return
    from dtimeline.store.declare import add_and_declare
    from dtimeline.store.write import append_events

    what = lambda evs: f"import of {len(evs)} events"  # noqa: E731
    with write_target(state) as path:
        try:
            events, _ = append_events(path, build, what, _timeout(state))
        except _Declare:
            _, events = add_and_declare(path, plan, what, _timeout(state))
    notes = _declared_notes(declared.countries.values())
    notes += [f"declared actor {a.slug} ({a.name})" for a in declared.actors.values()]
    notes += [f"declared kind {k}" for k in declared.kinds]
    _say(state, notes)
    state.warn(f"imported {len(events)}, skipped {skipped} duplicate{_s(skipped)}")


def _import_streamed(state: State, inp: Input, allow_duplicates: bool, dry_run: bool) -> bool:
    """Import JSON Lines in bounded memory (dtimeline/streamimport.py, store/bulk.py); False
    when the input declares countries (then the ordinary import runs, nothing written)."""
    from dtimeline import streamimport as si
    from dtimeline.errors import InputError

    if si.count_records(inp) == 0:
        raise InputError(f"{inp.name}: nothing to import (no events in it)")
    tally = si.Tally()
    try:
        if dry_run:
            from dtimeline.store.index import open_index

            view = open_index(state.location.path)
            pieces = si.dry_run_text(
                inp, view, state.today, allow_duplicates=allow_duplicates, tally=tally
            )
            for text in pieces:
                typer.echo(text, nl=False)
            skipped = tally.skipped
            state.warn(f"would import {tally.new}, skip {skipped} duplicate{_s(skipped)}")
            return True
        from dtimeline.store.bulk import append_in_pieces

        plan = si.planner(inp, state.today, allow_duplicates=allow_duplicates, tally=tally)
        with write_target(state) as path:
            written = append_in_pieces(path, plan, lambda n: f"import of {n} events",
                                       _timeout(state))  # fmt: skip
    except si.Declares:
        return False
    state.warn(f"imported {written}, skipped {tally.skipped} duplicate{_s(tally.skipped)}")
    return True


def _s(n: int) -> str:
    return "" if n == 1 else "s"


def edit(  # noqa: PLR0917
    ctx: typer.Context,
    event_id: Annotated[
        str,
        typer.Argument(metavar="ID", help="The event to change.", autocompletion=complete.ids),
    ],
    date_text: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--date", metavar="DATE", help="New date.", rich_help_panel=_E, show_default=False
        ),
    ] = None,
    title: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--title", metavar="TEXT", help="New title.", rich_help_panel=_E, show_default=False
        ),
    ] = None,
    country: CountryOpt = None,
    kind: KindOpt = None,
    actor: ActorOpt = None,
    host: HostOpt = None,
    place: PlaceOpt = None,
    tag: TagOpt = None,
    status: StatusOpt = None,
    summary: SummaryOpt = None,
    source: SourceOpt = None,
    announced: AnnouncedOpt = None,
    level: LevelOpt = None,
    add_source: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option(
            "--add-source",
            metavar="URL|TEXT",
            help="Add a source, keeping the others; repeatable.",
            rich_help_panel=_E,
            show_default=False,
        ),
    ] = None,
    add_tag: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option(
            "--add-tag",
            autocompletion=complete.tags,
            metavar="TAG",
            help="Add a tag, keeping the others; repeatable.",
            rich_help_panel=_E,
            show_default=False,
        ),
    ] = None,
    clear: Annotated[
        Optional[list[Clearable]],  # noqa: UP045
        typer.Option(
            "--clear",
            metavar="FIELD",
            help="Empty a field: actors, host, place, "
            "tags, summary, sources, announced or level; repeatable.",
            case_sensitive=False,
            show_default=False,
        ),
    ] = None,
    dry_run: DryRunOpt = False,
) -> None:
    """Change fields of one event; the other fields and the rest of the file stay as they are.

    List options (--country, --actor, --tag, --source) replace the whole list; --add-tag
    and --add-source extend it; --clear empties a field. The event's id never changes.
    Without field options, the event's TOML table opens in $VISUAL or $EDITOR; what is
    saved is checked as 'check' would and written if valid (exit 2 and nothing written if
    not; unchanged: nothing written).
    """
    from dataclasses import replace

    from dtimeline import interchange as ix
    from dtimeline.errors import InputError

    state = get_state(ctx)
    options = (date_text, title, country, kind, actor, host, place, tag, status, summary,
               source, announced, level, add_source, add_tag, clear)  # fmt: skip
    if all(value is None or value == [] for value in options):
        from dtimeline.cli.editor import edit_in_editor

        with write_target(state, dry_run=dry_run) as path:
            edit_in_editor(state, event_id, path, _timeout(state), dry_run)
        return
    if title is not None:
        ix.check_title(title)
    notes: list[str] = []
    when = _date(state, date_text, notes) if date_text is not None else None
    announced_d = _date(state, announced, notes, "announced ") if announced is not None else None
    cleared = {c.value for c in clear or ()}

    declared: dict[str, Country] = {}

    def change(store: Store, ev: Event, declaring: bool = False) -> Event:
        res: Resolver = ix.Resolver(store, registry=True)
        new = ev
        if when is not None:
            new = replace(new, date=when)
        if title is not None:
            new = replace(new, title=title)
        if kind is not None:
            new = replace(new, kind=res.kind(kind))
        if country:
            new = replace(new, countries=tuple(res.country(c) for c in country))
        fields: dict[str, Any] = {
            "actors": tuple(res.actor(a) for a in actor) if actor else None,
            "host": res.country(host) if host else None,
            "place": _text(place, "--place") if place is not None else None,
            "status": res.status(status) if status else None,
            "summary": _text(summary, "--summary") if summary is not None else None,
            "level": _text(level, "--level") if level is not None else None,
            "announced": announced_d,
            "tags": tuple(_text(t, "--tag") for t in tag) if tag else None,
            "sources": tuple(ix.source_from_text(s) for s in source) if source else None,
        }
        for key, value in fields.items():
            if value is not None:
                if key in cleared:
                    raise InputError(f"--clear {key} and a new {key} exclude each other")
                new = replace(new, **{key: value})
        empty: dict[str, Any] = {"actors": (), "tags": (), "sources": (), "announced": None}
        for key in cleared:
            new = replace(new, **{key: empty.get(key, "")})
        if add_tag:
            extra = tuple(t for t in (_text(t, "--add-tag") for t in add_tag) if t not in new.tags)
            new = replace(new, tags=new.tags + extra)
        if add_source:
            new = replace(new, sources=new.sources + tuple(map(ix.source_from_text, add_source)))
        if new == ev:
            raise InputError(f"nothing to change in {ev.id!r} (give a field option)")
        if res.declared and not declaring:
            raise _Declare
        declared.clear()
        declared.update(res.declared)
        return ix.finish_event(new, res.known)

    if dry_run:
        from dtimeline.store.tomlblock import event_block
        from dtimeline.store.write import find_event

        store = _read_store(state)
        typer.echo(event_block(change(store, find_event(store, event_id)[1])), nl=False)
        _say(state, notes)
        return
    from dtimeline.store.write import rewrite_event

    with write_target(state) as path:
        try:
            rewrite_event(path, event_id, change, f"edit {event_id}", _timeout(state))
        except _Declare:
            from dtimeline.store.declare import Declarations, edit_and_declare

            def declaring(store: Store, ev: Event) -> tuple[Declarations, Event]:
                return Declarations(declared), change(store, ev, declaring=True)

            edit_and_declare(path, event_id, declaring, f"edit {event_id}", _timeout(state))
    _say(state, [*notes, *_declared_notes(declared.values()), f"edited {event_id}"])


def remove(
    ctx: typer.Context,
    ids: Annotated[
        list[str],
        typer.Argument(
            metavar="ID...",
            help="Events to remove; '-': ids from stdin.",
            autocompletion=complete.ids,
        ),
    ],
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run",
            help="Print the ids that would be removed (and say how many); remove nothing.",
        ),
    ] = False,
) -> None:
    """Remove events by id (all or nothing: one unknown id and nothing is removed).

    With '-', ids are read from stdin one a line (as 'query --format ids' prints them);
    blank lines are ignored.
    """
    import sys

    from dtimeline.errors import InputError

    state = get_state(ctx)
    wanted: list[str] = []
    for item in ids:
        if item == "-":
            wanted += [line.strip() for line in sys.stdin.read().splitlines() if line.strip()]
        else:
            wanted.append(item)
    if not wanted:
        raise InputError("no ids to remove")
    if dry_run:
        from dtimeline.store.write import find_event

        store = _read_store(state)
        found = dict(find_event(store, i) for i in wanted)  # position -> event
        for position in sorted(found):
            typer.echo(found[position].id)
        state.warn(f"would remove {len(found)} event{_s(len(found))}; nothing removed")
        return
    from dtimeline.store.write import remove_events

    what = f"remove {wanted[0]}" if len(wanted) == 1 else f"remove of {len(set(wanted))} events"
    with write_target(state) as path:
        removed, _ = remove_events(path, wanted, what, _timeout(state))
    state.warn(f"removed {len(removed)} event{_s(len(removed))}")


def undo(
    ctx: typer.Context,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Say what would be undone; change nothing.")
    ] = False,
) -> None:
    """Revert the last write (add, import, edit, remove); repeat to go further back.

    The history (the last 20 writes, see 'history') is kept in the user's state folder, not
    beside the store. Undo refuses when the store was changed by hand since that write;
    'redo' applies again what undo took back.
    """
    from dtimeline.store.write import undo_last

    state = get_state(ctx)
    with write_target(state, dry_run=dry_run) as path:
        entry = undo_last(path, _timeout(state), dry_run=dry_run)
    when = f" (made {entry.when})" if entry.when else ""
    state.warn(f"would undo {entry.what}{when}; nothing changed" if dry_run
               else f"undid {entry.what}{when}")  # fmt: skip


#: The commands of this module, by name (cli/application.py registers them).
COMMANDS = {"add": add, "import": import_, "edit": edit, "remove": remove, "undo": undo}
EXAMPLES = {
    "add": (
        "dtimeline add 2025-06-17 'Xi Jinping visits Astana' -c china -c kz --kind state-visit"
        " --host kz --actor xi --source https://www.fmprc.gov.cn/eng/",
        "id=$(dtimeline add 'May 2025' 'Trade forum in Almaty' -c china -c kazakhstan)",
        "dtimeline add today 'Phone call' -c cn -c tj --kind phone-call --dry-run",
    ),
    "import": (
        "dtimeline import events.jsonl",
        "dtimeline query --format jsonl | dtimeline --store copy.toml import -",
        "dtimeline import new.csv --dry-run",
    ),
    "edit": (
        "dtimeline edit 2023-05-17-xi-tokayev-talks-xian --place Xian",
        "dtimeline edit 2023-05-17-xi-tokayev-talks-xian --add-tag summit --dry-run",
    ),
    "remove": (
        "dtimeline remove 2023-05-17-xi-tokayev-talks-xian",
        "dtimeline query --tag draft --format ids | dtimeline remove - --dry-run",
        "dtimeline query --tag draft --format ids | dtimeline remove -",
    ),
    "undo": ("dtimeline undo --dry-run", "dtimeline undo", "dtimeline undo && dtimeline redo"),
}
