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
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from typing import IO, TYPE_CHECKING

from rich.console import Console

if TYPE_CHECKING:
    from rich.table import Table
    from rich.text import Text

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


def _write_table(events: Sequence[Event], store: Store, console: Console, as_of: date) -> None:
    """The terminal table. Up to :data:`TABLE_CHUNK` rows it is one rich ``Table``. A longer
    one is printed in tables of that many rows whose columns are given the widths rich
    chooses for the whole table (found from a table of only each column's widest cell and
    longest word, which measures the same), so the output is the same while only one chunk
    of rows exists at a time: a 10,000-row table held whole took 100 MB."""
    from rich.table import Table
    from rich.text import Text

    wide, medium = console.width >= 100, console.width >= 64
    names = ["date", "kind", "title", "countries", "place", "status"]
    if not wide:
        names.remove("countries")
        names.remove("place")
    if not medium:
        names.remove("kind")

    def table(widths: list[int] | None = None, *, header: bool = True) -> Table:
        t = Table(box=None, header_style="bold", pad_edge=False, show_edge=False,
                  show_header=header)  # fmt: skip
        settings: dict[str, dict[str, object]] = {
            "date": {"no_wrap": True},
            "kind": {"style": "cyan", "no_wrap": True, "overflow": "ellipsis", "max_width": 21},
            "title": {"ratio": 3, "min_width": 12},
            "countries": {"ratio": 1, "min_width": 8},
            "place": {"ratio": 1, "min_width": 6},
            "status": {"no_wrap": True},
        }
        for i, name in enumerate(names):
            extra = settings[name] if widths is None else {**settings[name], "width": widths[i]}
            t.add_column(name, **extra)  # type: ignore[arg-type]
        return t

    def cells(ev: Event) -> list[Text]:
        status = effective_status(ev, as_of)
        countries = ", ".join(
            store.countries[c].name if c in store.countries else c for c in ev.countries
        )
        style = {"announced": "yellow", "cancelled": "red", "postponed": "magenta"}.get(status, "")
        row = {
            "date": Text(ev.date.human()),
            "kind": Text(clean_cell(ev.kind)),
            "title": Text(clean_cell(ev.title), style="strike" if status == "cancelled" else ""),
            "countries": Text(clean_cell(countries)),
            "place": Text(clean_cell(ev.place)),
            "status": Text(status, style=style),
        }
        return [row[name] for name in names]

    widths = _table_widths(events, cells, table, console) if len(events) > TABLE_CHUNK else None
    if widths is None:
        whole = table()
        for ev in events:
            whole.add_row(*cells(ev))
        console.print(whole)
        return
    for start in range(0, len(events), TABLE_CHUNK):
        part = table(widths, header=start == 0)
        for ev in events[start : start + TABLE_CHUNK]:
            part.add_row(*cells(ev))
        console.print(part)


def _table_widths(
    events: Sequence[Event],
    cells: Callable[[Event], list[Text]],
    table: Callable[[], Table],
    console: Console,
) -> list[int] | None:
    """The column widths rich gives a table of ``events``, or None if rich cannot say.

    rich measures a column as the largest minimum (longest word) and largest maximum
    (longest line) of its cells, so two rows made of each column's extreme cells measure
    like all of them. The widths come from rich's own (private) width solver; should it
    change, or the table not fit the width, the caller prints one whole table instead."""
    from rich.cells import cell_len

    widest: list[Text] = []
    wordiest: list[Text] = []
    longest: list[tuple[int, int]] = []  # per column: (line length, longest word)
    for ev in events:
        row = cells(ev)
        if not longest:
            widest, wordiest = list(row), list(row)
            longest = [(0, 0)] * len(row)
        for i, cell in enumerate(row):
            text = cell.plain
            line = cell_len(text)
            word = max((cell_len(w) for w in text.split()), default=0)
            if line > longest[i][0]:
                widest[i] = cell
            if word > longest[i][1]:
                wordiest[i] = cell
            longest[i] = (max(line, longest[i][0]), max(word, longest[i][1]))
    probe = table()
    probe.add_row(*widest)
    probe.add_row(*wordiest)
    try:
        widths: list[int] = probe._calculate_column_widths(console, console.options)
        # those include each column's padding, which a column's own width does not
        inner = [w - probe._get_padding_width(i) for i, w in enumerate(widths)]
    except Exception:
        return None
    # a table that cannot fit (a very narrow terminal) is cut by rich in ways fixed widths
    # would not repeat: print it whole
    return inner if sum(widths) <= console.options.max_width else None


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
    first, between, end = (b"[\n  ", b",\n  ", b"") if array else (b"", b"", b"\n")
    chunk: list[bytes] = []
    size = 0
    for n, ev in enumerate(events):
        status = effective_status(ev, as_of) if as_of is not None else ev.status
        text = encode(ev) if status == ev.status else event_json(ev, status).encode("utf-8")
        chunk += (between if n else first, text, end)
        size += len(text)
        if size >= 1 << 16:
            yield b"".join(chunk)
            chunk, size = [], 0
    if array:
        chunk.append(b"\n]\n" if events else b"[]\n")
    yield b"".join(chunk)


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
    with its stored status (kept texts, store/jsontext.py); by default it is computed."""
    stream: IO[str] = out.file if isinstance(out, Console) else out
    events = list(events)
    if fmt == "table":
        if not isinstance(out, Console):
            raise TypeError("the table format needs a rich Console")
        _write_table(events, store, out, as_of or date.min)
    elif fmt in ("json", "jsonl"):
        write = _byte_writer(stream)
        for data in json_chunks(events, fmt == "json", as_of=as_of, encoded=encoded):
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
