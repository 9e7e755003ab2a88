"""The `brief` output: a :class:`~dtimeline.briefing.Briefing` as text, Markdown or JSON.

All three carry the same claims and references; the figures and sentences come from
:mod:`dtimeline.briefing` and are only laid out here.

- text: a title line, one paragraph of sentences each followed by its reference numbers
  (``[1][2]``), then ``References``: per cited event its title, date and id, and each of its
  sources (publisher, title, date, URL). Wrapped to the width; a URL is never broken.
  Store text is cleaned as in every text format (:func:`clean_cell`).
- md: the same with Markdown footnotes (``[^1]``), one footnote per cited event. Every
  sentence and source is escaped as a cell of the md query output, and further (see
  :func:`md_escape`), so a title cannot make a link, emphasis, a footnote or raw HTML.
- json: one object (see :func:`to_json`).
"""

from __future__ import annotations

import json
import re
from typing import IO, TYPE_CHECKING, Any

from rich.cells import cell_len

from dtimeline.dates import DatePoint
from dtimeline.render.formats import clean_cell

if TYPE_CHECKING:
    from dtimeline.briefing import Briefing, Claim
    from dtimeline.model import Event, Source, Store

REFERENCE_INDENT = "    "

#: What Markdown may read as markup besides what a table cell escapes (a heading, math).
_MD_EXTRA = re.compile(r"[#$]")
#: What makes a line a block (list item, quote, heading, rule...) when it starts one.
_MD_BLOCK_START = re.compile(r"^(\d*)([-+=.)])")
_PLAIN_URL = re.compile(r"https?://[^\s<>\x00-\x1f\x7f]+")


def _title(briefing: Briefing, store: Store) -> str:
    a, b = (store.countries[c].name if c in store.countries else c for c in briefing.pair)
    day = briefing.as_of
    return f"{a} – {b}, as of {DatePoint(day.year, day.month, day.day).human()}"


def _source_parts(source: Source) -> list[str]:
    parts = [source.publisher]
    if source.title:
        parts.append(f"\u201c{source.title}\u201d")
    parts += [source.date, source.url]
    return [p for p in parts if p]


def _reference_head(ev: Event) -> str:
    return f"{ev.title}, {ev.date.human()} ({ev.id})"


# --- text ------------------------------------------------------------------------------------


def wrap(text: str, width: int, indent: str = "") -> list[str]:
    """Greedy word wrap by terminal cells; a word longer than the line (a URL) gets a line
    of its own, unbroken. Every line but the first starts with ``indent``."""
    lines: list[str] = []
    line, size = "", 0
    for word in text.split():
        need = cell_len(word)
        if line and size + 1 + need > width:
            lines.append(line)
            line, size = indent + word, cell_len(indent) + need
        elif line:
            line, size = f"{line} {word}", size + 1 + need
        else:
            line, size = (indent if lines else "") + word, (cell_len(indent) if lines else 0) + need
    if line:
        lines.append(line)
    return lines


def _marks(briefing: Briefing, claim: Claim) -> str:
    return "".join(f"[{briefing.number(i)}]" for i in claim.ids)


def render_text(briefing: Briefing, store: Store, stream: IO[str], width: int) -> None:
    """The briefing as plain text, ``width`` columns (URLs may run over)."""
    out = [clean_cell(_title(briefing, store)), ""]
    if briefing.claims:
        prose = " ".join(f"{clean_cell(c.sentence)} {_marks(briefing, c)}" for c in briefing.claims)
        out += wrap(prose, width)
    else:
        out.append("The store records no figure of this relationship as of that day.")
    if briefing.references:
        out += ["", "References"]
    for n, ev in enumerate(briefing.references, 1):
        out += wrap(f"[{n}] {clean_cell(_reference_head(ev))}", width, REFERENCE_INDENT)
        for source in ev.sources:
            text = ", ".join(clean_cell(p) for p in _source_parts(source))
            lines = wrap("- " + text, width - len(REFERENCE_INDENT), "  ")
            out += [REFERENCE_INDENT + line for line in lines]
    stream.write("\n".join(line.rstrip() for line in out) + "\n")
    stream.flush()


# --- Markdown --------------------------------------------------------------------------------


def md_escape(text: str) -> str:
    """Store text as inert Markdown on one line: escaped as a cell of the md query output
    (:func:`dtimeline.tabular.md_cell`), with runs of spaces made one (Markdown reads
    leading ones as code), ``#`` and ``$`` escaped too, and the punctuation of a leading
    block marker (``- ``, ``+ ``, ``1. ``)."""
    from dtimeline.tabular import md_cell  # only Markdown needs it

    one_line = " ".join(clean_cell(text).split())
    escaped = _MD_EXTRA.sub(r"\\\g<0>", md_cell(one_line))
    return _MD_BLOCK_START.sub(lambda m: m.group(1) + "\\" + m.group(2), escaped, count=1)


def _md_url(url: str) -> str:
    """An autolink for a plain http(s) URL; anything else as escaped text."""
    return f"<{url}>" if _PLAIN_URL.fullmatch(url) else md_escape(url)


def render_md(briefing: Briefing, store: Store, stream: IO[str]) -> None:
    """The briefing as Markdown: a bold title, one paragraph with footnote references,
    one footnote per cited event listing its sources."""
    out = [f"**{md_escape(_title(briefing, store))}**", ""]
    if briefing.claims:
        out.append(" ".join(
            md_escape(c.sentence) + "".join(f"[^{briefing.number(i)}]" for i in c.ids)
            for c in briefing.claims
        ))  # fmt: skip
    else:
        out.append("The store records no figure of this relationship as of that day.")
    if briefing.references:
        out.append("")
    for n, ev in enumerate(briefing.references, 1):
        sources = []
        for source in ev.sources:
            parts = [md_escape(p) for p in _source_parts(source) if p != source.url]
            if source.url:
                parts.append(_md_url(source.url))
            sources.append(", ".join(parts))
        note = md_escape(_reference_head(ev)) + "."
        if sources:
            note += " Sources: " + "; ".join(sources) + "."
        out.append(f"[^{n}]: {note}")
    stream.write("\n".join(out) + "\n")
    stream.flush()


# --- JSON ------------------------------------------------------------------------------------


def _source_json(source: Source) -> dict[str, str]:
    return {"publisher": source.publisher, "title": source.title, "date": source.date,
            "url": source.url}  # fmt: skip


def to_json(briefing: Briefing, store: Store) -> dict[str, Any]:
    """``{"relationship": [A, B], "as_of": ISO day, "title": ..., "claims": [...],
    "references": [...]}``. A claim: ``kind``, ``value`` (its figures), ``sentence``,
    ``ids`` (events it rests on), ``references`` (their numbers) and ``sources`` (each
    source of those events, with the event's ``id``). A reference: ``number``, ``id``,
    ``date`` (EDTF), ``title`` and ``sources`` (publisher, title, date, url)."""
    by_id = {ev.id: ev for ev in briefing.references}
    claims = []
    for claim in briefing.claims:
        sources = [
            {"id": event_id, **_source_json(source)}
            for event_id in claim.ids
            for source in by_id[event_id].sources
        ]
        claims.append({
            "kind": claim.kind,
            "value": claim.value,
            "sentence": claim.sentence,
            "ids": list(claim.ids),
            "references": [briefing.number(i) for i in claim.ids],
            "sources": sources,
        })  # fmt: skip
    references = [
        {
            "number": n,
            "id": ev.id,
            "date": ev.date.edtf(),
            "title": ev.title,
            "sources": [_source_json(s) for s in ev.sources],
        }
        for n, ev in enumerate(briefing.references, 1)
    ]
    return {
        "relationship": list(briefing.pair),
        "as_of": briefing.as_of.isoformat(),
        "title": _title(briefing, store),
        "claims": claims,
        "references": references,
    }


def write_json(briefing: Briefing, store: Store, stream: IO[str]) -> None:
    stream.write(json.dumps(to_json(briefing, store), ensure_ascii=False, indent=2) + "\n")
    stream.flush()
