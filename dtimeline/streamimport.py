"""``import`` of JSON Lines in bounded memory: the input and the store are never held whole.

The input is read line by line, three times (stdin is first copied to an unnamed temporary
file): once for its JSON (every line an object, as :func:`dtimeline.interchange.read_records`
reads it: its errors come first, before the store's lock is taken); once under the lock to
check every record against the store's index (the rules of ``check``, names resolved against
the store's declarations) and to collect the ids records give; once more to decide, record by
record and exactly as :func:`dtimeline.interchange.plan_import` does, which records are new,
which are skipped (same id and content as a stored or earlier event; no id and the same
date, kind, countries and title as one, unless duplicates are allowed) and which conflict,
yielding the new events in pieces for the writer (store/bulk.py).

Held across the passes: the ids the input gives and, per event of the input, a 16-byte hash.
A record that names a country the store does not declare (the ISO 3166 registry then declares
it) changes the store's head: :class:`Declares` is raised before anything is written, and the
caller imports the whole input the ordinary way.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from hashlib import blake2b
from pathlib import Path
from typing import IO, TYPE_CHECKING

from dtimeline.errors import ConflictError, DtimelineError, InputError
from dtimeline.interchange import (
    Record,
    Resolver,
    detect_format,
    duplicate_key,
    jsonl_records,
    make_id,
    record_to_event,
)
from dtimeline.model import Event

if TYPE_CHECKING:
    from dtimeline.store.index import Index

PIECE = 500  # events per piece written and inserted at a time
_CHUNK = 1 << 20
_BOM = b"\xef\xbb\xbf"


class Declares(Exception):  # noqa: N818 (a signal, not an error)
    """The input names countries the store does not declare: a change of the store's head,
    which this streamed import does not make."""


class Input:
    """A UTF-8 text input (a file by name, or stdin copied to an unnamed temporary file),
    read as lines as many times as needed. :meth:`open` refuses what ``import`` refuses:
    an unreadable file, binary data, text that is not UTF-8 (with its line), empty input."""

    def __init__(self, fh: IO[bytes], name: str, start: int) -> None:
        self.fh = fh
        self.name = name
        self.start = start  # past a leading BOM

    @classmethod
    def open(cls, source: str) -> Input:
        import sys
        import tempfile

        if source == "-":
            name = "<stdin>"
            fh: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 (kept open: read later)
            while chunk := sys.stdin.buffer.read(_CHUNK):
                fh.write(chunk)
        else:
            name = source
            try:
                fh = Path(source).open("rb")  # noqa: SIM115 (closed by close())
            except OSError as exc:
                raise InputError(f"{source}: cannot read: {exc.strerror or exc}") from None
        fh.seek(0)
        made = cls(fh, name, 3 if fh.read(3) == _BOM else 0)
        try:
            made.check()
        except BaseException:
            made.close()
            raise
        return made

    def close(self) -> None:
        self.fh.close()

    def _pieces(self) -> Iterator[bytes]:
        """The bytes in pieces that end at a line end (the last one: where the input ends)."""
        self.fh.seek(self.start)
        rest = b""
        while chunk := self.fh.read(_CHUNK):
            rest += chunk
            cut = rest.rfind(b"\n") + 1
            if cut:
                yield rest[:cut]
                rest = rest[cut:]
        if rest:
            yield rest

    def check(self) -> None:
        """The refusals of ``import``'s input, in its order: binary, then not UTF-8, then
        empty (raises InputError)."""
        line, bad_line, blank, binary = 1, 0, True, False
        for piece in self._pieces():  # UTF-8 never holds a newline byte inside a character
            binary = binary or b"\x00" in piece
            if not bad_line:
                try:
                    text = piece.decode("utf-8")
                    blank = blank and not text.strip()
                except UnicodeDecodeError as exc:
                    bad_line = line + piece.count(b"\n", 0, exc.start)
            line += piece.count(b"\n")
        if binary:
            raise InputError(f"{self.name}: binary data, not text")
        if bad_line:
            raise InputError(f"{self.name}:{bad_line}: not UTF-8 text")
        if blank:
            raise InputError(f"{self.name}: nothing to import (the input is empty)")

    def lines(self) -> Iterator[str]:
        """The text's lines, without their ``\\n`` (as ``text.split("\\n")`` gives them)."""
        last = ""
        for piece in self._pieces():
            parts = piece.decode("utf-8").split("\n")
            parts[0] = last + parts[0]
            last = parts.pop()
            yield from parts
        yield last

    def text(self) -> str:
        """The whole text (for the formats read whole)."""
        return "".join(piece.decode("utf-8") for piece in self._pieces())

    def head(self, size: int = 1 << 16) -> str:
        self.fh.seek(self.start)
        return codecs.getincrementaldecoder("utf-8")().decode(self.fh.read(size))

    def form(self) -> str:
        """The input's format, as :func:`dtimeline.interchange.detect_format` tells it from
        the whole text, read from its start only when that decides (a first line that is
        a JSON object makes JSON Lines); else from the whole text."""
        head = self.head()
        lowered = self.name.lower()
        if any(lowered.endswith(e) for e in (".jsonl", ".ndjson", ".json", ".csv", ".toml")):
            return detect_format(self.name, head)
        stripped = head.lstrip()
        if stripped.startswith("{"):
            first = stripped.split("\n", 1)[0]
            try:
                one = json.loads(first)
            except json.JSONDecodeError:
                one = None
            if isinstance(one, dict):
                return "jsonl"
            return detect_format(self.name, self.text())
        return detect_format(self.name, head)

    def records(self) -> Iterator[Record]:
        """The records, read as ``import`` reads JSON Lines (errors name their line)."""
        return jsonl_records(self.lines(), self.name)


def count_records(inp: Input) -> int:
    """Read every line's JSON (raising its first error, as ``import`` does before it
    takes the store's lock); the number of records."""
    return sum(1 for _ in inp.records())


def _hash(text: str) -> bytes:
    return blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def _key_hash(ev: Event) -> bytes:
    edtf, kind, countries, title = duplicate_key(ev)
    return _hash(repr((edtf, kind, sorted(countries), title)))


@dataclass
class Tally:
    """What the streamed import did: events to write, records skipped."""

    new: int = 0
    skipped: int = 0


class _Taken:
    """The ids in use: the index's, those the input gives, those made so far."""

    def __init__(self, index: Index, given: set[str]) -> None:
        self.index = index
        self.given = given
        self.made: set[str] = set()

    def __contains__(self, event_id: object) -> bool:
        return isinstance(event_id, str) and (
            event_id in self.given or event_id in self.made or self.index.has_id(event_id)
        )


def _stored(index: Index, event_id: str) -> Event | None:
    from dtimeline.store import rows

    found = index.conn.execute(
        f"SELECT {rows.EVENT_COLUMNS} FROM events WHERE id = ?",  # noqa: S608
        (event_id,),
    )
    return next(rows.events_of(found), None)


def _stored_duplicate(index: Index, ev: Event) -> bool:
    """Whether the index holds an event of ``ev``'s :func:`duplicate_key`."""
    want = duplicate_key(ev)
    found = index.conn.execute(
        "SELECT date, kind, countries, title FROM events"
        " WHERE kind = ? AND earliest = ? AND date = ?",
        (ev.kind, ev.date.earliest.isoformat(), ev.date.edtf()),
    )
    from dtimeline.query import fold

    for edtf, kind, countries, title in found:
        key = (edtf, kind, frozenset(json.loads(countries)), fold(" ".join(title.split())))
        if key == want:
            return True
    return False


def planner(
    inp: Input, today: date, *, allow_duplicates: bool, tally: Tally
) -> Callable[[Index], Iterator[list[Event]]]:
    """What store/bulk.py asks for: given the store's index (under its lock), check every
    record (raising the first problem, naming its record, or :class:`Declares`), then
    return the new events in pieces of :data:`PIECE`, counting into ``tally``."""

    def plan(index: Index) -> Iterator[list[Event]]:
        res = Resolver(index.head, registry=True)
        given: set[str] = set()
        for rec in inp.records():
            ev = _built(rec, res, today)
            if ev.id:
                given.add(ev.id)
        if res.declared:
            raise Declares
        tally.new = tally.skipped = 0
        return _pieces(index, inp, today, given, allow_duplicates, tally)

    return plan


def _built(rec: Record, res: Resolver, today: date) -> Event:
    try:
        return record_to_event(rec.data, res, today)
    except DtimelineError as exc:
        raise type(exc)(f"{rec.where}: {exc}") from None


def _pieces(  # noqa: PLR0917
    index: Index, inp: Input, today: date, given: set[str], allow_duplicates: bool, tally: Tally
) -> Iterator[list[Event]]:
    """The second pass: :func:`dtimeline.interchange.plan_import`'s decisions, one record at
    a time, against the index and hashes of what came before."""
    from dtimeline.store.tomlblock import event_block

    res = Resolver(index.head, registry=True)
    taken = _Taken(index, given)
    same: set[bytes] = set()  # duplicate keys of the records kept so far
    seen: dict[str, bytes] = {}  # id -> hash of the event written under it
    piece: list[Event] = []
    for rec in inp.records():
        ev = _built(rec, res, today)
        if not ev.id:
            key = _key_hash(ev)
            if not allow_duplicates and (key in same or _stored_duplicate(index, ev)):
                tally.skipped += 1
                continue
            if not allow_duplicates:
                same.add(key)
            ev = replace(ev, id=make_id(ev.date, ev.title, taken))
            taken.made.add(ev.id)
        mine = _hash(event_block(ev))
        stored = _stored(index, ev.id) if index.has_id(ev.id) else None
        if stored is not None or ev.id in seen:
            if (stored == ev) if stored is not None else seen[ev.id] == mine:
                tally.skipped += 1
                continue
            raise ConflictError(f"{rec.where}: id {ev.id!r} exists already with different content")
        seen[ev.id] = mine
        piece.append(ev)
        tally.new += 1
        if len(piece) >= PIECE:
            yield piece
            piece = []
    if piece:
        yield piece


def dry_run_text(
    inp: Input, index: Index, today: date, *, allow_duplicates: bool, tally: Tally
) -> Iterator[str]:
    """The TOML an import would append, piece by piece (``import --dry-run``)."""
    from dtimeline.store.tomlblock import events_text

    for events in planner(inp, today, allow_duplicates=allow_duplicates, tally=tally)(index):
        yield events_text(events)
