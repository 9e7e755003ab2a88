"""The export command: the selected events in a format another tool reads."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

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
    from dtimeline.query import Filter


class ExportFormat(str, Enum):
    ics = "ics"
    mermaid = "mermaid"
    mermaid_td = "mermaid-td"
    timelinejs = "timelinejs"
    markwhen = "markwhen"
    json = "json"
    jsonl = "jsonl"
    html = "html"
    sqlite = "sqlite"
    toml = "toml"


_FORMAT_HELP = (
    "ics: iCalendar (all-day events, stable UIDs); mermaid: a Mermaid timeline diagram, left "
    "to right; mermaid-td: the same top to bottom (Mermaid 11.14 or later); "
    "timelinejs: Knight Lab TimelineJS JSON; markwhen: a markwhen document; json/jsonl: the "
    "schema of `query` and `import`; html: one self-contained printable page; sqlite: a "
    "database (needs -o FILE; tables in docs/sqlite.md); toml: a complete store (events, "
    "with the countries, actors and kinds they name) for `import` or `--store`."
)


def _batches(pieces: Iterable[str], size: int = 1 << 16) -> Iterator[bytes]:
    """The pieces of an export as UTF-8, in writes of about ``size`` bytes."""
    batch: list[str] = []
    held = 0
    for piece in pieces:
        batch.append(piece)
        held += len(piece)
        if held >= size:
            yield "".join(batch).encode("utf-8")
            batch, held = [], 0
    if batch:
        yield "".join(batch).encode("utf-8")


def write_stdout(data: Iterable[bytes]) -> None:
    """The export to stdout as bytes (ICS keeps its CRLF, UTF-8 whatever the locale), as
    it is made. A closed pipe raises BrokenPipeError here, which the boundary turns into a
    quiet exit 0."""
    stream = sys.stdout
    buffer = getattr(stream, "buffer", None)
    stream.flush()
    for piece in data:
        if buffer is None:  # pragma: no cover (a text-only stream)
            stream.write(piece.decode("utf-8"))
        else:
            buffer.write(piece)
    (buffer or stream).flush()


def write_file(path: Path, data: Iterable[bytes]) -> None:
    """The export to ``path``, replaced atomically once the whole export is written."""
    from dtimeline.store.write import atomic_writer, write_all

    with atomic_writer(path) as fd:
        for piece in data:
            write_all(fd, piece)


def export(  # noqa: PLR0917
    ctx: typer.Context,
    fmt: Annotated[
        ExportFormat,
        typer.Option("--format", "-f", help=_FORMAT_HELP, case_sensitive=False, show_default=False),
    ],
    output: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write to FILE (replaced atomically) instead of stdout; '-' is stdout.",
            show_default=False,
        ),
    ] = None,
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
) -> None:
    """Export the events that match FILTERS (all by default), in date order."""
    from dtimeline.render.export import Export, chunks

    state = get_state(ctx)
    flt = make_filter(
        state, country, actor, kind, tag, status, since, until, search, upcoming, past, as_of
    )
    body: Iterable[bytes]
    if fmt is ExportFormat.sqlite:
        _export_sqlite(state, flt, output)
        return
    counted = [0]
    if fmt in (ExportFormat.json, ExportFormat.jsonl):
        # the records of `query`: the same SQL, writer and JSON texts the index keeps,
        # written as they are read (no event is built)
        from dtimeline.render.formats import json_text_chunks
        from dtimeline.store.select import json_texts, select, select_texts

        kept = select_texts(state.index, flt)
        if kept is None:  # part of the rule runs in Python
            events = select(state.index, flt)
            texts = json_texts(state.index, events)
            kept = (texts[ev.id] for ev in events)

        def counting(texts: Iterable[bytes]) -> Iterator[bytes]:
            for text in texts:
                counted[0] += 1
                yield text

        body = json_text_chunks(counting(kept), fmt is ExportFormat.json)
    else:
        # the matching events, read from the index as the export is written (never all
        # held, except by formats that group them: markwhen, toml)
        from dtimeline.store.streams import Selected, home_country

        chosen = Selected(state.index, flt)
        counted[0] = len(chosen)
        data = Export(chosen, state.head, flt.as_of, state.today, home_country(state.index))
        body = _batches(chunks(fmt.value, data))
    if output is None or output == "-":
        write_stdout(body)
    else:
        path = Path(output)
        write_file(path, body)
    count = counted[0]
    if not count:
        state.warn("no events match; the export is empty")
    if output is not None and output != "-":
        state.warn(f"wrote {count} event{'s' if count != 1 else ''} ({fmt.value}) to {path}")


def _export_sqlite(state: State, flt: Filter, output: str | None) -> None:
    from dtimeline.errors import InputError
    from dtimeline.store.dbexport import write_database
    from dtimeline.store.select import select

    if output is None or output == "-":
        raise InputError("--format sqlite writes a database file: give it with -o FILE")
    events = select(state.index, flt)
    if not events:
        state.warn("no events match; the export is empty")
    path = Path(output)
    write_database(path, state.head, events)
    count = len(events)
    state.warn(f"wrote {count} event{'s' if count != 1 else ''} (sqlite) to {path}")


#: The commands of this module, by name (cli/application.py registers them).
COMMANDS = {"export": export}
EXAMPLES = {
    "export": (
        "dtimeline export --upcoming --format ics > visits.ics",
        "dtimeline export -c kazakhstan --format html -o kazakhstan.html",
        "dtimeline export --kind state-visit --format mermaid",
    ),
}
