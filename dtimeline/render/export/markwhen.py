"""A markwhen document: a YAML header (title, description), then one section per
relationship, a Markdown heading (``# China – Kazakhstan``), holding its events in date order.
The current parser (@markwhen/parser 1.2) and the markwhen apps read sections from headings;
the ``group``/``endGroup`` lines of older versions are no longer read (their lines would
become the description of the event before them). A test runs that parser under node.

Each event is one line ``DATE: TITLE #tags`` and a description in lines that start with
``> `` (a Markdown quote), so no line of the description can be read as an event, a
property, a group, a section, a comment or a heading.

- DATE is EDTF level 0, which markwhen reads: ``2023-05-17``, ``2013-09``, ``1992``,
  ranges ``2024-07-02/2024-07-04``. markwhen knows no ``~``/``?`` qualifiers, so an
  approximate or uncertain date is written without them and the description says so.
- Tags are the kind, the event's tags and a non-held status, as ``#word``: markwhen
  tags are ASCII word characters, so other characters become ``_`` (``#state_visit``).
- Text is one line (newlines become spaces) in which markwhen finds no markup of its own: a
  WORD JOINER (U+2060, invisible) goes before a ``#`` it would take for a tag (at the start
  or after a space), between the slashes of a leading ``//`` (a comment), after a ``!``
  before a word (an event id), after the ``.`` of ``.start``/``.end``, before a leading
  ``[`` (a checkbox), between ``]`` and ``(`` (a link, image or location), after a ``@``
  before a word (a mention) and before the ``%`` of ``50%`` (a progress figure).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator

from dtimeline.model import Event
from dtimeline.render.export.common import Export, is_web_url, joined, precision_note

_SPACE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\s]+")  # JavaScript's \s too
_WJ = "\u2060"
#: (pattern, where the joiner goes: the text of group 1, joiner, the rest of the match)
_MARKUP = re.compile(
    r"(^|\s)(?=#)"  # a tag
    r"|^(/)(?=/)"  # a comment
    r"|(!)(?=\w|\[)"  # an event id or an image
    r"|((?:^|[^A-Za-z0-9_])\.)(?=(?:start|end))"  # an event id's .start/.end (JS \W)
    r"|^()(?=\[)"  # a checkbox
    r"|(\])(?=\()"  # a link, image or location
    r"|(@)(?=\w)"  # a mention
    r"|((?:^|\s)\d{1,3})(?=%)"  # a progress figure
)
_NOT_WORD = re.compile(r"[^A-Za-z0-9_]+")


def text(value: str) -> str:
    """One line in which markwhen finds no markup (see the module's docstring)."""
    flat = _SPACE.sub(" ", value).strip()
    return _MARKUP.sub(lambda m: m.group() + _WJ, flat)


def tag(value: str) -> str:
    """``#word`` from any tag ('' when nothing of it is an ASCII letter or digit)."""
    ascii_only = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    word = _NOT_WORD.sub("_", ascii_only).strip("_")
    if not word:
        return ""
    if word.isdigit():  # markwhen does not take #2024 for a tag
        word = "_" + word
    return "#" + word


def when(ev: Event) -> str:
    """EDTF level 0: the stored date without ~ ? % qualifiers."""
    if ev.date.end is None:
        return ev.date.start.iso()
    return f"{ev.date.start.iso()}/{ev.date.end.iso()}"


def event_lines(ev: Event, data: Export) -> list[str]:
    status = data.status(ev)
    tags: list[str] = []
    for raw in (ev.kind, *ev.tags, *([status] if status != "held" else [])):
        word = tag(raw)
        if word and word not in tags:
            tags.append(word)
    head = f"{when(ev)}: {text(ev.title) or '-'}"
    if tags:
        head += " " + " ".join(tags)
    desc: list[str] = []
    if ev.summary:
        desc.append(text(ev.summary))
    facts = [f"Date: {ev.date.human()}"]
    note = precision_note(ev)
    if note:
        facts[0] += f" ({note})"
    if status != "held":
        facts.append(f"Status: {status}")
    if ev.place:
        facts.append(f"Place: {ev.place}")
    if ev.actors:
        facts.append("People: " + ", ".join(data.actor_name(a) for a in ev.actors))
    desc.append(text("; ".join(facts)))
    for src in ev.sources:
        line = "Source: " + text(src.label())
        if src.url and is_web_url(src.url) and not re.search(r"[\s<>]", src.url):
            line += f" <{src.url}>"  # a Markdown autolink
        elif src.url:
            line += " " + text(src.url)
        desc.append(line)
    desc.append(f"Event id: {text(ev.id)}")
    return [head, *(f"> {line}" for line in desc)]


def render(data: Export) -> Iterator[str]:
    """The document, piece by piece."""
    return joined(_lines(data), end="")


def _lines(data: Export) -> Iterator[str]:
    yield "---"
    yield f"title: {json.dumps(text(data.title), ensure_ascii=False)}"
    yield f"description: {json.dumps(text(data.subtitle), ensure_ascii=False)}"
    yield "---"
    yield ""
    groups: dict[str, list[Event]] = {}
    for ev in data.events:
        groups.setdefault(data.relation(ev), []).append(ev)
    for name, evs in groups.items():
        yield f"# {text(name) or 'Events'}"
        for ev in evs:
            yield from event_lines(ev, data)
        yield ""
