"""Map parsed TOML back to line numbers, for `FILE:LINE: message` reports.

tomli gives no positions, so we scan the text: the n-th ``[[events]]`` header is the n-th
event, ``[countries.x]`` is country x, and a key's line is the first ``key =`` inside its
table. Built only when there is something to report, so clean loads never pay for it.
"""

from __future__ import annotations

import re
from functools import cached_property

_HEADER = re.compile(r"^[ \t]*\[(\[)?[ \t]*([^\]\n]+?)[ \t]*\]\]?[ \t]*(?:#.*)?$", re.M)


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
        return self.key_line(self.table(dotted), key)

    def event_line(self, index: int, key: str | None = None, /) -> int | None:
        return self.key_line(self.event(index), key)

    def top_key_line(self, key: str) -> int | None:
        end = self._headers[0][0] if self._headers else len(self.text)
        return self.key_line((0, end), key)


def _norm(name: str) -> str:
    return ".".join(part.strip().strip("\"'") for part in name.split("."))
