"""Lines of `show`'s timeline for plain output: rich's ``Text`` without the styles.

In a pipe the timeline is read back as ``.plain``; keeping rich's spans, copies and
per-append bookkeeping for it was most of the time `show` spent drawing (bench/README.md).
:class:`PlainText` offers the part of ``Text`` that render/timeline.py uses, holding only
the characters, and gives the same characters: control codes are removed as rich removes
them (:func:`rich.control.strip_control_codes`), and wrapping is rich's own
(:meth:`rich.text.Text.wrap` on the same characters: styles never move a line break).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from rich.containers import Lines
from rich.control import strip_control_codes
from rich.text import Text

if TYPE_CHECKING:
    from rich.console import Console
    from rich.style import Style


class PlainText(Text):
    """A ``Text`` that keeps only its characters: ``style`` arguments are accepted and
    dropped. Only the methods below are meant to be used on it; rich's other methods
    would find none of a ``Text``'s own state and fail loudly."""

    __slots__ = ("chars",)

    def __init__(self, text: str = "", style: str | Style = "") -> None:
        self.chars = strip_control_codes(text)

    @property
    def plain(self) -> str:
        return self.chars

    @plain.setter
    def plain(self, new_text: str) -> None:
        self.chars = strip_control_codes(new_text)

    @property
    def cell_len(self) -> int:
        return cell_len(self.chars)

    def __len__(self) -> int:
        return len(self.chars)

    def __bool__(self) -> bool:
        return bool(self.chars)

    def __str__(self) -> str:
        return self.chars

    def __repr__(self) -> str:
        return f"<plain {self.chars!r}>"

    def __add__(self, other: Any) -> Text:
        if isinstance(other, (str, Text)):
            return self.copy().append(other)
        return NotImplemented

    def append(self, text: str | Text, style: str | Style | None = None) -> Text:
        if isinstance(text, Text):
            self.chars += text.plain
        elif isinstance(text, str):
            self.chars += strip_control_codes(text)
        else:
            raise TypeError("Only str or Text can be appended to Text")
        return self

    def copy(self) -> Text:
        return PlainText(self.chars)

    def rstrip(self) -> None:
        self.chars = self.chars.rstrip()

    def wrap(self, console: Console, width: int, **options: Any) -> Lines:
        return Lines(
            PlainText(line.plain) for line in Text(self.chars).wrap(console, width, **options)
        )
