"""Knight Lab TimelineJS JSON: a ``title`` slide and one slide per event.

- ``start_date`` (and ``end_date`` for a range) hold ``year``, and ``month`` and ``day``
  only as far as the date is known: a month-precision event has no ``day``. An end less
  precise than its start is given to the start's precision at its last possible day, so
  that the range does not end before it begins (see :func:`end_object`).
- ``display_date`` is the readable date (``17 May 2023``, ``c. Sep 2013``), which also
  carries the approximate/uncertain qualifiers TimelineJS dates cannot express.
- ``text.headline`` is the title; ``text.text`` the summary, place, people and sources.
  TimelineJS treats both as HTML, so every data string is HTML-escaped and only http(s)
  source URLs become links.
- ``group`` is the relationship (the countries other than the home country, escaped too);
  ``unique_id`` is the event id.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from html import escape
from typing import Any

from dtimeline.dates import DatePoint
from dtimeline.model import Event
from dtimeline.render.export.common import Export, is_web_url, precision_note


def date_object(point: DatePoint) -> dict[str, int]:
    out = {"year": point.year}
    if point.month is not None:
        out["month"] = point.month
    if point.day is not None:
        out["day"] = point.day
    return out


_DEPTH = {"year": 0, "month": 1, "day": 2}


def end_object(start: DatePoint, end: DatePoint) -> dict[str, int]:
    """The ``end_date`` of a range. TimelineJS reads a missing month or day as the first,
    so an end written less precisely than its start (``2023-10-16/2023-10``) would end
    before it starts; such an end is given down to the start's precision at its last
    possible day (``2023-10-31``). ``display_date`` still says what the source gave."""
    if _DEPTH[end.precision] >= _DEPTH[start.precision]:
        return date_object(end)
    last = end.latest
    out = {"year": last.year, "month": last.month}
    if start.precision == "day":
        out["day"] = last.day
    return out


def body(ev: Event, data: Export) -> str:
    parts: list[str] = []
    if ev.summary:
        parts.append(f"<p>{escape(ev.summary)}</p>")
    facts: list[str] = []
    status = data.status(ev)
    if status != "held":
        facts.append(f"<strong>{escape(status.capitalize())}</strong>")
    note = precision_note(ev)
    if note:
        facts.append(escape(note.capitalize()))
    if ev.place:
        facts.append(f"Place: {escape(ev.place)}")
    if ev.actors:
        facts.append("People: " + escape(", ".join(data.actor_name(a) for a in ev.actors)))
    facts.append("Kind: " + escape(ev.kind))
    parts.append("<p>" + "<br>".join(facts) + "</p>")
    if ev.sources:
        items = []
        for src in ev.sources:
            label = escape(src.label())
            if src.url and is_web_url(src.url):
                url = escape(src.url, quote=True)
                label = f'<a href="{url}" rel="noopener noreferrer">{label}</a>'
            items.append(f"<li>{label}</li>")
        parts.append("<p>Sources:</p><ul>" + "".join(items) + "</ul>")
    return "".join(parts)


def slide(ev: Event, data: Export) -> dict[str, Any]:
    out: dict[str, Any] = {"start_date": date_object(ev.date.start)}
    if ev.date.end is not None:
        out["end_date"] = end_object(ev.date.start, ev.date.end)
    out["display_date"] = escape(ev.date.human())
    out["text"] = {"headline": escape(ev.title), "text": body(ev, data)}
    group = data.relation(ev)
    if group:
        out["group"] = escape(group)
    out["unique_id"] = ev.id
    return out


def title_slide(data: Export) -> dict[str, Any]:
    return {"text": {"headline": escape(data.title), "text": f"<p>{escape(data.subtitle)}</p>"}}


def document(data: Export) -> dict[str, Any]:
    """The whole document as one object (what :func:`render` writes piece by piece)."""
    return {"title": title_slide(data), "events": [slide(ev, data) for ev in data.events]}


def render(data: Export) -> Iterator[str]:
    """``json.dumps(document(data), ensure_ascii=False, indent=2)`` and a newline, one
    slide at a time (a test checks the two agree). JSON escapes line breaks inside strings,
    so indenting every line of a slide's text indents the slide."""
    title = _dumps(title_slide(data)).replace("\n", "\n  ")
    yield '{\n  "title": ' + title + ',\n  "events": ['
    first = True
    for ev in data.events:
        text = _dumps(slide(ev, data)).replace("\n", "\n    ")
        yield ("\n    " if first else ",\n    ") + text
        first = False
    yield "]\n}\n" if first else "\n  ]\n}\n"


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)
