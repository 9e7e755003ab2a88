"""iCalendar (RFC 5545) through the ``icalendar`` library: one all-day VEVENT per event.

- DTSTART is the earliest day the date can mean, DTEND the day after the latest (DTEND of
  an all-day event is exclusive), so a month-precision event spans its month; the
  DESCRIPTION then says the date is known to the month only.
- UID is ``<event id>@dtimeline``: the same event keeps its UID across exports, so a
  calendar app updates it instead of adding a copy.
- DTSTAMP is the export day (``today``, which $DTIMELINE_TODAY pins) at 00:00 UTC: two
  exports of one store on one day are byte-identical, and a later export is newer.
- STATUS: CONFIRMED for held, TENTATIVE for announced (or a held event still in the
  future of the view) and postponed, CANCELLED for cancelled.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

from dtimeline.model import Event
from dtimeline.render.export.common import Export, precision_note

PRODID = "-//dtimeline//dtimeline export//EN"
_STATUS = {
    "held": "CONFIRMED",
    "announced": "TENTATIVE",
    "postponed": "TENTATIVE",
    "cancelled": "CANCELLED",
}
# RFC 5545 TEXT allows no control characters but HTAB (newlines are escaped as \n).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def clean(text: str) -> str:
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def uid(ev: Event) -> str:
    return f"{ev.id}@dtimeline"


def description(ev: Event, data: Export, status: str) -> str:
    parts: list[str] = []
    if ev.summary:
        parts.append(ev.summary)
    facts = [f"Date: {ev.date.human()}"]
    note = precision_note(ev)
    if note:
        facts[0] += f" ({note})"
    facts.append(f"Kind: {ev.kind}")
    if status != "held":
        facts.append(f"Status: {status}")
    if ev.actors:
        facts.append("People: " + ", ".join(data.actor_name(a) for a in ev.actors))
    facts.append("Countries: " + ", ".join(data.country_name(c) for c in ev.countries))
    parts.append("\n".join(facts))
    if ev.sources:
        lines = ["Sources:"]
        for src in ev.sources:
            label = ", ".join(p for p in (src.publisher, src.title, src.date) if p)
            line = f"- {label}" if label else "-"
            if src.url:
                line += f" <{src.url}>"
            lines.append(line)
        parts.append("\n".join(lines))
    parts.append(f"Event id: {ev.id}")
    return "\n\n".join(parts)


def render(data: Export) -> Iterator[str]:
    """The calendar, one event at a time: the calendar's own lines, each VEVENT as the
    library writes it, then the closing line (what ``Calendar.to_ical`` writes for the
    whole, which a test checks)."""
    from icalendar import Calendar

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", clean(data.title))
    empty: bytes = cal.to_ical()
    head, end = empty[: -len(_END)], empty[-len(_END) :]
    if end != _END:  # pragma: no cover (the library changed how a calendar ends)
        raise ValueError("unexpected end of an iCalendar document")
    yield head.decode("utf-8")
    for ev in data.events:
        ical: bytes = vevent(ev, data).to_ical()
        yield ical.decode("utf-8")
    yield end.decode("utf-8")


_END = b"END:VCALENDAR\r\n"


def vevent(ev: Event, data: Export) -> Any:
    """One all-day VEVENT (an ``icalendar.Event``)."""
    from icalendar import Event as VEvent

    stamp = datetime(data.stamp.year, data.stamp.month, data.stamp.day, tzinfo=timezone.utc)
    status = data.status(ev)
    item = VEvent()
    item.add("uid", uid(ev))
    item.add("dtstamp", stamp)
    item.add("dtstart", ev.date.earliest)
    item.add("dtend", ev.date.latest + timedelta(days=1))
    item.add("summary", clean(ev.title))
    if ev.place:
        item.add("location", clean(ev.place))
    item.add("description", clean(description(ev, data, status)))
    categories = [ev.kind, *(t for t in ev.tags if t != ev.kind)]
    item.add("categories", [clean(c) for c in categories])
    item.add("status", _STATUS.get(status, "CONFIRMED"))
    item.add("transp", "TRANSPARENT")  # a dated fact, not a busy slot in the user's day
    return item
