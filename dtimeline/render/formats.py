"""Event lists in every `query` format: table, plain, tsv, csv, json, jsonl, md, ids.

Public and stable (other renderers import them): :func:`write_events`,
:func:`clean_cell`, :func:`neutralise_formula`.

Store text is data. In the terminal table it goes into rich ``Text`` objects (never parsed as
markup). In plain text and ids every control character is made visible (``\\x1b`` for ESC)
and tabs and line breaks become spaces, so a title cannot move the cursor, change colours or
split a row. tsv, csv and md follow the rules of :mod:`dtimeline.tabular`: tsv escapes
(``\\t``, ``\\n``, ``\\\\``...) and never quotes; csv carries every field, so that
``import`` reads it back whole; md backslash-escapes what Markdown or HTML would read as
markup. In csv and tsv a field that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return gets a leading apostrophe, so a spreadsheet opening the file does not run it
as a formula. json and jsonl keep every character (JSON escapes them).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

from dtimeline.model import Event, Store
from dtimeline.query import effective_status

FORMATS = ("table", "plain", "tsv", "csv", "json", "jsonl", "md", "ids")

#: Columns of plain, tsv, csv and md (and of the table, with human dates).
COLUMNS = ("date", "id", "kind", "title", "countries", "place", "status")

# Compiled on first use (re caches them): most text is printable and never needs them.
_CONTROL = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"
_BREAKS = r"\r\n|[\t\n\r\u2028\u2029\x85]"


def clean_cell(text: str) -> str:
    """One line of inert text: tabs and line breaks become spaces, other control
    characters (ESC, BEL, DEL, C1...) their visible escape, e.g. ``\\x1b``."""
    if text.isprintable():  # every character either pattern matches is unprintable
        return text
    text = re.sub(_BREAKS, " ", text)
    return re.sub(_CONTROL, lambda m: f"\\x{ord(m.group()):02x}", text)


def neutralise_formula(text: str) -> str:
    """Prefix ``'`` to a csv/tsv field that a spreadsheet would read as a formula (see
    :func:`dtimeline.tabular.guard_formula`)."""
    from dtimeline.tabular import guard_formula

    return guard_formula(text)


def _row(ev: Event, as_of: date | None) -> list[str]:
    status = effective_status(ev, as_of) if as_of is not None else ev.status
    return [ev.date.edtf(), ev.id, ev.kind, ev.title, ",".join(ev.countries), ev.place, status]


#: A table of more rows than this is printed this many rows at a time (see _write_table).
TABLE_CHUNK = 500

#: Columns of the terminal table, in the order they are given up when the width is short
#: (id, date and title stay: they are what one needs to read an event and act on it).
GIVE_WAY = ("place", "countries", "kind", "status")
_ORDER = ("id", "date", "kind", "title", "countries", "place", "status")
_WRAPS = ("title", "countries", "place")  # columns whose text may wrap between words


def table_layout(rows: Sequence[dict[str, str]], width: int) -> dict[str, int] | None:
    """Columns of the terminal table of ``rows`` (column -> cell text) at ``width``, with
    the width of each, in order; None when even id, date and a readable title (20 cells)
    do not fit side by side (then each event takes two lines). See
    :func:`dtimeline.render.columns.fit_columns`: no id, date or word is ever cut."""
    from dtimeline.render.columns import fit_columns

    return fit_columns(rows, _ORDER, ("id", "date", "title"), GIVE_WAY, _WRAPS, width,
                       least={"title": 20}, most={"kind": 21})  # fmt: skip


def _write_table(events: Sequence[Event], store: Store, console: Console, as_of: date) -> None:
    """The terminal table: the id first, then date, title and what else fits (see
    :data:`GIVE_WAY` and :func:`table_layout`); ids are never cut. A table of more than
    :data:`TABLE_CHUNK` rows is printed that many rows at a time, in columns of the same
    widths, so only one chunk of rows exists at a time (a 10,000-row table held whole
    took 100 MB)."""
    from rich.table import Table
    from rich.text import Text

    def texts(ev: Event) -> dict[str, str]:
        countries = ", ".join(
            store.countries[c].name if c in store.countries else c for c in ev.countries
        )
        return {
            "id": clean_cell(ev.id),
            "date": ev.date.human(),
            "kind": clean_cell(ev.kind),
            "title": clean_cell(ev.title),
            "countries": clean_cell(countries),
            "place": clean_cell(ev.place),
            "status": effective_status(ev, as_of),
        }

    layout = table_layout([texts(ev) for ev in events], console.width)
    if layout is None:
        _write_stacked(events, console, as_of)
        return
    names = list(layout)

    def table(*, header: bool) -> Table:
        t = Table(box=None, header_style="bold", pad_edge=False, show_edge=False,
                  show_header=header)  # fmt: skip
        for name, size in layout.items():
            wraps = name in _WRAPS
            t.add_column(
                name,
                width=size,
                no_wrap=not wraps,
                overflow="fold" if wraps else "ellipsis",
                style={"id": "bold", "kind": "cyan"}.get(name, ""),
            )
        return t

    styles = {"announced": "yellow", "cancelled": "red", "postponed": "magenta"}
    for start in range(0, max(len(events), 1), TABLE_CHUNK):
        part = table(header=start == 0)
        for ev in events[start : start + TABLE_CHUNK]:
            row = texts(ev)
            status = row["status"]
            style = {"title": "strike" if status == "cancelled" else "",
                     "status": styles.get(status, "")}  # fmt: skip
            part.add_row(*(Text(row[name], style=style.get(name, "")) for name in names))
        console.print(part)


def _write_stacked(events: Sequence[Event], console: Console, as_of: date) -> None:
    """The table's narrow form: each event's id on a line of its own (folded only when it
    is wider than the screen), then its date, status and title, indented."""
    from rich.padding import Padding
    from rich.text import Text

    for ev in events:
        status = effective_status(ev, as_of)
        line = Text(ev.date.human())
        if status != "held":
            line.append(f" · {status}", "yellow")
        line.append(" · ")
        line.append(clean_cell(ev.title))
        console.print(Text(clean_cell(ev.id), "bold"), overflow="fold")
        console.print(Padding(line, (0, 0, 0, 2), expand=False))


def _encode(ev: Event) -> bytes:
    from dtimeline.serialize import event_json

    return event_json(ev).encode("utf-8")


def _byte_writer(stream: IO[str]) -> Callable[[bytes], object]:
    """Write UTF-8 bytes to ``stream``: straight to its buffer when it encodes UTF-8."""
    import codecs

    buffer = getattr(stream, "buffer", None)
    encoding = getattr(stream, "encoding", None) or ""
    try:
        utf8 = codecs.lookup(encoding).name == "utf-8"
    except LookupError:
        utf8 = False
    if buffer is not None and utf8:
        stream.flush()
        return buffer.write  # type: ignore[no-any-return]
    return lambda data: stream.write(data.decode("utf-8"))


def json_chunks(
    events: Sequence[Event],
    array: bool,
    *,
    as_of: date | None = None,
    encoded: Callable[[Event], bytes] | None = None,
) -> Iterator[bytes]:
    """json (an array, one object a line) or jsonl of ``events`` as UTF-8, in pieces of
    about 64 KB. ``as_of`` and ``encoded``: as for :func:`write_events`."""
    from dtimeline.serialize import event_json  # here: the timeline view needs no json

    encode = encoded or _encode

    def texts() -> Iterator[bytes]:
        for ev in events:
            status = effective_status(ev, as_of) if as_of is not None else ev.status
            yield encode(ev) if status == ev.status else event_json(ev, status).encode("utf-8")

    return json_text_chunks(texts(), array)


def json_text_chunks(texts: Iterable[bytes], array: bool) -> Iterator[bytes]:
    """json or jsonl made of events' JSON texts (UTF-8, one object each), in pieces of
    about 64 KB: what :func:`json_chunks` writes, for texts already made (the index keeps
    each event's)."""
    first, between, end = (b"[\n  ", b",\n  ", b"") if array else (b"", b"", b"\n")
    chunk: list[bytes] = []
    size = 0
    n = -1
    for n, text in enumerate(texts):
        chunk += (between if n else first, text, end)
        size += len(text)
        if size >= 1 << 16:
            yield b"".join(chunk)
            chunk, size = [], 0
    if array:
        chunk.append(b"\n]\n" if n >= 0 else b"[]\n")
    yield b"".join(chunk)


def write_json_texts(texts: Iterable[bytes], array: bool, out: Console | IO[str]) -> None:
    """Write events' JSON texts as json (``array``) or jsonl to ``out`` (see
    :func:`json_text_chunks`), as bytes where the stream has a UTF-8 buffer."""
    stream = _stream(out)
    write = _byte_writer(stream)
    for data in json_text_chunks(texts, array):
        write(data)
    getattr(stream, "buffer", stream).flush()
    stream.flush()


def _stream(out: Console | IO[str]) -> IO[str]:
    """The text stream of ``out``, a rich Console or a stream. rich is imported only when
    it is in use already: a query written to a pipe never loads it (cli/read.py)."""
    if "rich.console" in sys.modules:
        from rich.console import Console

        if isinstance(out, Console):
            return out.file
    return out  # type: ignore[return-value]


def write_events(
    events: Iterable[Event],
    store: Store,
    fmt: str,
    out: Console | IO[str],
    *,
    as_of: date | None = None,
    encoded: Callable[[Event], bytes] | None = None,
) -> None:
    """Write ``events`` in ``fmt`` (one of :data:`FORMATS`) to ``out``, a rich Console or a
    text stream. ``as_of``: statuses as of that day (else the stored status). The table
    format needs a Console. The stream is flushed, so a closed pipe raises here.
    ``encoded``: json/jsonl only, gives the UTF-8 text of :func:`event_json` for an event
    with its stored status (the texts the index keeps, store/index.py); by default it is
    computed."""
    stream = _stream(out)  # every format but table and json writes the events as they come
    if fmt == "table":
        if stream is out:
            raise TypeError("the table format needs a rich Console")
        _write_table(list(events), store, out, as_of or date.min)  # type: ignore[arg-type]
    elif fmt in ("json", "jsonl"):
        write = _byte_writer(stream)
        for data in json_chunks(list(events), fmt == "json", as_of=as_of, encoded=encoded):
            write(data)
        getattr(stream, "buffer", stream).flush()  # the bytes, if they went to the buffer
    elif fmt == "ids":
        for ev in events:
            stream.write(clean_cell(ev.id) + "\n")
    elif fmt == "csv":
        import csv

        from dtimeline.tabular import CSV_COLUMNS, csv_row

        writer = csv.writer(stream, lineterminator="\r\n")
        writer.writerow(CSV_COLUMNS)
        for ev in events:
            status = effective_status(ev, as_of) if as_of is not None else ev.status
            writer.writerow(csv_row(ev, status))
    elif fmt == "plain":
        for ev in events:
            stream.write("\t".join(clean_cell(c) for c in _row(ev, as_of)) + "\n")
    elif fmt == "tsv":
        from dtimeline.tabular import tsv_cell

        stream.write("\t".join(COLUMNS) + "\n")
        for ev in events:
            stream.write("\t".join(tsv_cell(c) for c in _row(ev, as_of)) + "\n")
    elif fmt == "md":
        from dtimeline.tabular import md_cell

        stream.write("| " + " | ".join(COLUMNS) + " |\n")
        stream.write("|" + "---|" * len(COLUMNS) + "\n")
        for ev in events:
            stream.write("| " + " | ".join(md_cell(c) for c in _row(ev, as_of)) + " |\n")
    else:
        raise ValueError(f"unknown format {fmt!r}")
    stream.flush()
