"""Map parsed TOML back to line numbers, for `FILE:LINE: message` reports.

tomli gives no positions, so we scan the text: the n-th ``[[events]]`` header is the n-th
event, ``[countries.x]`` is country x, and a key's line is the first ``key =`` inside its
table. Built only when there is something to report, so clean loads never pay for it.
"""

from __future__ import annotations

import re
from functools import cached_property

# A table header on its own line; LF or CRLF line ends.
_HEADER = re.compile(r"^[ \t]*\[(\[)?[ \t]*([^\]\r\n]+?)[ \t]*\]\]?[ \t]*(?:#[^\r\n]*)?\r?$", re.M)


class LineIndex:
    def __init__(self, text: str) -> None:
        self.text = text

    @cached_property
    def _line_starts(self) -> list[int]:
        starts = [0]
        starts.extend(m.end() for m in re.finditer("\n", self.text))
        return starts

    def line_of(self, offset: int) -> int:
        """1-based line number of a character offset."""
        from bisect import bisect_right

        return bisect_right(self._line_starts, offset)

    @cached_property
    def _headers(self) -> list[tuple[int, bool, str]]:
        """(offset, is_array, dotted name) of every table header, in order."""
        return [
            (m.start(), bool(m.group(1)), m.group(2).strip()) for m in _HEADER.finditer(self.text)
        ]

    def _table_span(self, predicate_index: int) -> tuple[int, int]:
        headers = self._headers
        start = headers[predicate_index][0]
        end = len(self.text)
        for offset, is_array, name in headers[predicate_index + 1 :]:
            if not (is_array and name.startswith("events.")) and not name.startswith(
                headers[predicate_index][2] + "."
            ):
                end = offset
                break
        return start, end

    def event(self, index: int) -> tuple[int, int] | None:
        """Character span of the ``index``-th ``[[events]]`` table (with its sources)."""
        count = -1
        for i, (_, is_array, name) in enumerate(self._headers):
            if is_array and name == "events":
                count += 1
                if count == index:
                    return self._table_span(i)
        return None

    def _event_header(self, index: int) -> int | None:
        count = -1
        for i, (_, is_array, name) in enumerate(self._headers):
            if is_array and name == "events":
                count += 1
                if count == index:
                    return i
        return None

    def event_own(self, index: int) -> tuple[int, int] | None:
        """Span of the ``index``-th event's own keys: its table up to its first
        ``[[events.sources]]`` header (a key of a source is not a key of the event)."""
        i = self._event_header(index)
        if i is None:
            return None
        start, end = self._table_span(i)
        for offset, is_array, name in self._headers[i + 1 :]:
            if offset >= end:
                break
            if is_array and name == "events.sources":
                return start, offset
        return start, end

    def source(self, index: int, n: int) -> tuple[int, int] | None:
        """Span of the ``n``-th (0-based) ``[[events.sources]]`` table of event ``index``;
        None when its sources are not written as such tables (an inline array)."""
        i = self._event_header(index)
        if i is None:
            return None
        _, end = self._table_span(i)
        found = [
            (j, offset)
            for j, (offset, is_array, name) in enumerate(self._headers[i + 1 :], i + 1)
            if offset < end and is_array and name == "events.sources"
        ]
        if n >= len(found):
            return None
        j, start = found[n]
        stop = self._headers[j + 1][0] if j + 1 < len(self._headers) else len(self.text)
        return start, min(stop, end)

    def source_line(self, index: int, n: int, key: str | None = None, /) -> int | None:
        """Line of ``key`` in the ``n``-th (0-based) source of event ``index``; of its
        header with no key; of the event's ``sources`` key when the sources are inline."""
        span = self.source(index, n)
        if span is None:
            return self.event_line(index, "sources")
        return self.key_line(span, key)

    def table(self, dotted: str) -> tuple[int, int] | None:
        for i, (_, is_array, name) in enumerate(self._headers):
            if not is_array and _norm(name) == dotted:
                return self._table_span(i)
        return None

    def key_line(self, span: tuple[int, int] | None, key: str | None = None) -> int | None:
        """Line of ``key =`` inside ``span`` (or of the span's header when no key)."""
        if span is None:
            return None
        if key is not None:
            pattern = re.compile(rf"^[ \t]*[\"']?{re.escape(key)}[\"']?[ \t]*=", re.M)
            found = pattern.search(self.text, span[0], span[1])
            if found:
                return self.line_of(found.start())
        return self.line_of(span[0])

    def table_key_line(self, dotted: str, key: str | None = None, /) -> int | None:
        """Line of ``key`` in table ``dotted`` (of its header with no key); for an entry
        with no table of its own (``china = "China"`` under ``[countries]``), the line of
        that key in the table above it."""
        span = self.table(dotted)
        if span is None and key is None and "." in dotted:
            parent, _, name = dotted.rpartition(".")
            return self.key_line(self.table(parent), name)
        return self.key_line(span, key)

    def event_line(self, index: int, key: str | None = None, /) -> int | None:
        """Line of ``key`` in event ``index`` (of its header with no key); for events
        written as a plain array (``events = [...]``), the line of that array."""
        span = self.event_own(index) if key else self.event(index)
        if span is None and key is None:
            return self.top_key_line("events")
        return self.key_line(span, key)

    def top_key_line(self, key: str) -> int | None:
        end = self._headers[0][0] if self._headers else len(self.text)
        return self.key_line((0, end), key)


def _norm(name: str) -> str:
    return ".".join(part.strip().strip("\"'") for part in name.split("."))
