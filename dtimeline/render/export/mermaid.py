"""A Mermaid ``timeline`` diagram: a title, one ``section`` per year, one period per date
with its events (several events of one day share the period).

Two layouts: ``mermaid`` is left to right (``timeline``), which every Mermaid that draws
timelines reads, but a long timeline becomes a strip thousands of pixels wide;
``mermaid-td`` is top to bottom (``timeline TD``), which Mermaid reads from version 11.14
(mermaid.live, mermaid-cli 11.14 and later); older Mermaid, as in renderers that have not
updated, refuses the ``TD``.

Escaping (so that any title is valid Mermaid timeline text). Mermaid's lexer reads ``:``
as the separator between a period and its events, ``#`` as the start of a comment (outside
event text), ``%%`` as a comment, and ``<br>`` as a line break; before parsing, Mermaid
turns entity codes ``#NN;`` into placeholders and after drawing back into the character.
So every character of that set is written as its entity code:

    #  ->  #35;      :  ->  #58;      ;  ->  #59;      %  ->  #37;
    <  ->  #60;      >  ->  #62;

A newline or other control character becomes a space; text that would be empty becomes
a dash. Every line is then one of ``timeline``, ``title X``, ``section X``,
``<period> : <event>`` or ``: <event>`` (a further event of the same period), and the only
raw ``:`` on a line is the separator.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import groupby

from dtimeline.render.export.common import Export, joined

_ENTITY = {c: f"#{ord(c)};" for c in "#:;%<>"}
_SPECIAL = re.compile("[#:;%<>]")
_SPACE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\s]+")


def text(value: str) -> str:
    """Mermaid-safe text: one line, special characters as entity codes, never empty."""
    flat = _SPACE.sub(" ", value).strip()
    return _SPECIAL.sub(lambda m: _ENTITY[m.group()], flat) or "-"


def render(data: Export) -> Iterator[str]:
    """The diagram, left to right, piece by piece."""
    return joined(_lines(data, "timeline"))


def render_vertical(data: Export) -> Iterator[str]:
    """The diagram, top to bottom (``timeline TD``: Mermaid 11.14 and later)."""
    return joined(_lines(data, "timeline TD"))


def _lines(data: Export, head: str) -> Iterator[str]:
    yield head
    yield f"    title {text(data.title)}"
    for year, in_year in groupby(data.events, key=lambda ev: ev.date.earliest.year):
        yield f"    section {year:04d}"
        for period, same in groupby(in_year, key=lambda ev: ev.date.human()):
            label = text(period)
            for i, ev in enumerate(same):
                entry = text(ev.title)
                if data.status(ev) in ("announced", "postponed", "cancelled"):
                    entry += f" ({data.status(ev)})"
                lead = label if i == 0 else " " * len(label)
                yield f"        {lead} : {entry}"
