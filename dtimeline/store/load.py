"""Read a store file: bytes -> text -> TOML -> validated :class:`Store`.

Every failure becomes a :class:`StoreError` naming the file (and line, where there is one).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from itertools import pairwise
from pathlib import Path
from typing import Any

from dtimeline.errors import StoreError
from dtimeline.model import SCHEMA_VERSION, Store
from dtimeline.store.digest import Digest
from dtimeline.store.fastread import event_tables
from dtimeline.store.schema import Problem, validate

_POS = re.compile(r"\(at line (\d+), column (\d+)\)")


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise StoreError(
            f"{path}: no such store file",
            hint="check --store or $DTIMELINE_STORE",
        ) from None
    except IsADirectoryError:
        raise StoreError(f"{path}: is a folder, not a store file") from None
    except PermissionError:
        raise StoreError(f"{path}: permission denied") from None
    except OSError as exc:
        raise StoreError(f"{path}: cannot read: {exc.strerror or exc}") from None


def decode(data: bytes, path: Path) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]  # a UTF-8 byte-order mark: harmless, tolerated
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise StoreError(f"{path}:{line}: not UTF-8 text (byte 0x{data[exc.start]:02x})") from None


class TomlSyntaxError(StoreError):
    """The store is not valid TOML; knows the line and column."""

    def __init__(self, path: Path, line: int | None, col: int | None, detail: str) -> None:
        where = f"{path}:{line}:{col}" if line else str(path)
        super().__init__(f"{where}: TOML syntax error: {detail}")
        self.problem = Problem(str(path), line, f"TOML syntax error: {detail} (column {col})")


class ConflictMarkersError(TomlSyntaxError):
    """The store holds git's conflict markers: a merge left for a person to finish."""

    def __init__(self, path: Path, line: int, conflicts: int) -> None:
        detail = (
            f"unresolved merge conflict ({conflicts} left): git's conflict markers"
            " (<<<<<<<, =======, >>>>>>>) are still in the store; keep one version of each"
            " conflicting table and delete the marker lines"
        )
        StoreError.__init__(self, f"{path}:{line}: {detail}")
        self.problem = Problem(str(path), line, detail)


_MARKER = re.compile(r"^(?:<{7}|={7}|>{7})(?:[ \t].*)?\r?$", re.MULTILINE)


def parse_toml(text: str, path: Path) -> dict[str, Any]:
    import tomli

    try:
        return tomli.loads(text)
    except tomli.TOMLDecodeError as exc:
        marker = _MARKER.search(text)
        if marker is not None:
            at = text.count("\n", 0, marker.start()) + 1
            conflicts = len(re.findall(r"^<{7}(?:[ \t].*)?\r?$", text, re.MULTILINE))
            raise ConflictMarkersError(path, at, max(conflicts, 1)) from None
        line = getattr(exc, "lineno", None)
        col = getattr(exc, "colno", None)
        detail = getattr(exc, "msg", None) or _POS.sub("", str(exc)).strip()
        found = _POS.search(str(exc))
        if found and line is None:
            line, col = int(found.group(1)), int(found.group(2))
        raise TomlSyntaxError(path, line, col, detail) from None


def check_schema_version(doc: dict[str, Any], path: Path) -> None:
    schema = doc.get("schema")
    if isinstance(schema, int) and not isinstance(schema, bool) and schema > SCHEMA_VERSION:
        raise StoreError(
            f"{path}: schema {schema} is newer than this dtimeline understands ({SCHEMA_VERSION})",
            hint="upgrade dtimeline",
        )


def load_text(text: str, path: Path) -> tuple[Store, list[Problem]]:
    """Parse and validate ``text``; all problems are returned, none raised.

    A store of more than :data:`CHUNK` events is parsed in pieces (:func:`_load_in_pieces`),
    so that its parsed tables never all exist at once; anything unusual about the file
    means one parse of the whole, as for a small store."""
    starts = _piece_starts(text)
    if len(starts) > 1:
        try:
            return _load_in_pieces(text, path, starts)
        except _Unsplittable:
            pass
    doc = parse_toml(text, path)
    check_schema_version(doc, path)
    return validate(doc, text, path)


#: Events per piece when a large store is parsed in pieces.
CHUNK = 500
_EVENTS_LINE = "\n[[events]]\n"


class _Unsplittable(Exception):  # noqa: N818 (a signal, not an error)
    """Parsing in pieces might not mean what parsing the whole file means."""


def _piece_starts(text: str) -> list[int]:
    """Offsets of the ``[[events]]`` lines that start a piece: the first, then every
    :data:`CHUNK`-th. Only a line that is exactly ``[[events]]`` counts."""
    starts = []
    seen = 0
    at = text.find(_EVENTS_LINE)
    while at != -1:
        if seen % CHUNK == 0:
            starts.append(at + 1)
        seen += 1
        at = text.find(_EVENTS_LINE, at + 1)
    return starts


def _load_in_pieces(text: str, path: Path, starts: list[int]) -> tuple[Store, list[Problem]]:
    """The head (everything before the first ``[[events]]``) and then each piece of events
    parsed alone; every table is validated and dropped before the next piece is parsed.

    This means what one parse of the file means whenever every piece parses: a cut inside
    a multi-line string or array leaves the piece before it unterminated, which fails to
    parse. A piece that fails, a head that has ``events`` or a piece that has anything but
    ``[[events]]`` tables (a top-level table could repeat one of the head) raise
    :class:`_Unsplittable`, and the caller parses the whole file instead."""
    import tomli

    try:
        head = tomli.loads(text[: starts[0]])
    except tomli.TOMLDecodeError:
        raise _Unsplittable from None
    if "events" in head:
        raise _Unsplittable
    check_schema_version(head, path)

    def tables() -> Iterator[Any]:
        bounds = [*starts, len(text)]
        for start, end in pairwise(bounds):
            events = event_tables(text[start:end])
            if events is None:
                try:
                    piece = tomli.loads(text[start:end])
                except tomli.TOMLDecodeError:
                    raise _Unsplittable from None
                events = piece.pop("events", None)
                if piece or not isinstance(events, list):
                    raise _Unsplittable
            events.reverse()
            while events:
                yield events.pop()  # each table goes once read

    return validate(head, text, path, tables())


def load_path(path: Path) -> Store:
    """Load a store for a command: the first error stops it."""
    return load_data(read_bytes(path), path)


def load_data(data: bytes, path: Path) -> Store:
    """Build the store from the bytes of the file at ``path``: the first error stops it."""
    return load_checked(decode(data, path), path)


def load_checked(text: str, path: Path) -> Store:
    """Build the store from the text of the file at ``path``: the first error stops it."""
    store, problems = load_text(text, path)
    errors = [p for p in problems if not p.strict]
    if errors:
        more = f" (and {len(errors) - 1} more: run 'dtimeline check')" if len(errors) > 1 else ""
        raise StoreError(f"{errors[0]}{more}")
    return store


class Unstreamable(Exception):  # noqa: N818 (a signal, not an error)
    """The file cannot be read in pieces from disk: read it whole instead."""


#: Bytes read from disk at a time when a store is streamed.
STREAM_PIECE = 1 << 22


def stream_tables(path: Path, digest: Digest, stop: int | None = None) -> tuple[Any, Iterator[Any]]:
    """Read the store at ``path`` from disk in pieces, never holding its whole text: the
    parsed head (everything before the first ``[[events]]`` line) and an iterator over the
    event tables, :data:`CHUNK` at a time, cut where :func:`_load_in_pieces` cuts (the
    same rules, so the same meaning). ``digest`` is fed every byte read. ``stop``: read
    only the bytes before this offset (the start of an ``[[events]]`` line: see
    :func:`stream_part`). Raises :class:`Unstreamable` (also while iterating) for anything
    that would need the whole text: not UTF-8, no ``[[events]]`` line, a piece that does
    not parse alone, other tables among the events, a BOM or CRLF line ends."""
    import tomli

    marker = _EVENTS_LINE.encode()
    fh = path.open("rb")
    read = _reader(fh, digest, stop)
    buffer = b""
    while marker not in buffer:
        more = read()
        if not more:
            fh.close()
            raise Unstreamable
        buffer += more
    if buffer.startswith(b"\xef\xbb\xbf") or b"\r" in buffer:
        fh.close()
        raise Unstreamable
    cut = buffer.index(marker) + 1
    try:
        head = tomli.loads(buffer[:cut].decode("utf-8"))
    except (UnicodeDecodeError, tomli.TOMLDecodeError):
        fh.close()
        raise Unstreamable from None
    if "events" in head:
        fh.close()
        raise Unstreamable
    return head, _tables(fh, buffer[cut:], read)


def stream_part(path: Path, start: int, digest: Digest) -> Iterator[Any]:
    """The event tables of the store at ``path`` from byte ``start`` to its end, read as
    :func:`stream_tables` reads them; ``start`` must be the start of an ``[[events]]``
    line (else :class:`Unstreamable`). ``digest`` is fed the bytes from ``start`` on.
    Together, ``stream_tables(path, d, stop=start)`` and this read what one
    :func:`stream_tables` reads: any cut at an ``[[events]]`` line means what the whole
    file means when each side parses (see :func:`_load_in_pieces`)."""
    fh = path.open("rb")
    try:
        fh.seek(start - 1)
        before = fh.read(1)
        buffer = fh.read(STREAM_PIECE)
    except OSError:
        fh.close()
        raise
    if before != b"\n" or not buffer.startswith(_EVENTS_LINE[1:].encode()) or b"\r" in buffer:
        fh.close()
        raise Unstreamable
    digest.update(buffer)
    return _tables(fh, buffer, _reader(fh, digest, None))


def find_cut(path: Path, at: int) -> int | None:
    """The offset of the first ``[[events]]`` line starting after byte ``at`` (looked for
    within a few pieces), or None."""
    marker = _EVENTS_LINE.encode()
    with path.open("rb") as fh:
        fh.seek(max(at - 1, 0))
        data = fh.read(4 * STREAM_PIECE)
    found = data.find(marker)
    return None if found == -1 else max(at - 1, 0) + found + 1


def _reader(fh: Any, digest: Digest, stop: int | None) -> Callable[[], bytes]:
    """Reads the next piece of ``fh`` (at most up to offset ``stop``), fed to ``digest``."""
    left = [stop]

    def read() -> bytes:
        if left[0] is None:
            more: bytes = fh.read(STREAM_PIECE)
        else:
            more = fh.read(min(STREAM_PIECE, left[0])) if left[0] > 0 else b""
            left[0] -= len(more)
        digest.update(more)
        return more

    return read


def _tables(fh: Any, buffer: bytes, read: Callable[[], bytes]) -> Iterator[Any]:
    """The event tables of ``buffer`` and what ``read`` gives after it, :data:`CHUNK` at a
    time (each piece starts at an ``[[events]]`` line). Closes ``fh`` when done."""
    marker = _EVENTS_LINE.encode()
    with fh:
        done = False
        while not done:
            # the start of the CHUNK-th next [[events]] line: where this piece ends
            pos, seen = 0, 0
            while True:
                at = buffer.find(marker, pos)
                if at != -1:
                    seen += 1
                    if seen == CHUNK:
                        break
                    pos = at + 1
                    continue
                more = read()
                if not more:
                    done = True
                    break
                if b"\r" in more:
                    raise Unstreamable
                pos = max(pos, len(buffer) - len(marker) + 1)  # a marker across the cut
                buffer += more
            end = len(buffer) if done else at + 1
            text, buffer = buffer[:end], buffer[end:]
            events = _piece_tables(text)
            del text
            events.reverse()
            while events:
                yield events.pop()


def _piece_tables(data: bytes) -> list[Any]:
    """The event tables of one piece of a streamed store: read by store/fastread.py when
    the piece is in dtimeline's own layout, else by tomli. Raises :class:`Unstreamable`."""
    import tomli

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise Unstreamable from None
    events = event_tables(text)
    if events is not None:
        return events
    try:
        parsed = tomli.loads(text)
    except tomli.TOMLDecodeError:
        raise Unstreamable from None
    found = parsed.pop("events", None)
    if parsed or not isinstance(found, list):
        raise Unstreamable
    return found
