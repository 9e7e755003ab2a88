"""What every export format shares: the selected events with their store, a title, and
the label of the relationship an event belongs to. Pure: no I/O, no clock."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from dtimeline.model import Event, Store
from dtimeline.query import effective_status


@dataclass(frozen=True)
class Export:
    """The input of every format: ``events`` in date order, the ``store`` they come from,
    the day the view is taken (``as_of``: decides 'announced' for future events) and the
    export day (``stamp``: used where a format wants a creation date, e.g. ICS DTSTAMP).
    ``home_country``: :attr:`home`, when the caller counted it (then ``store`` needs no
    events: its countries and actors give the names)."""

    events: Sequence[Event]
    store: Store
    as_of: date
    stamp: date
    home_country: str | None = None

    @cached_property
    def home(self) -> str:
        """The country most events involve (China in the bundled timeline), or ''."""
        if self.home_country is not None:
            return self.home_country
        counts = Counter(c for ev in self.store.events for c in ev.countries)
        if not counts:
            return ""
        best = max(counts.values())
        return min(slug for slug, n in counts.items() if n == best)

    def country_name(self, slug: str) -> str:
        country = self.store.countries.get(slug)
        return country.name if country else slug

    def actor_name(self, slug: str) -> str:
        actor = self.store.actors.get(slug)
        return actor.name if actor else slug

    def relation(self, ev: Event) -> str:
        """The relationship an event belongs to: the names of its countries other than the
        home country ('Kazakhstan'), or the home country's name when it is alone."""
        others = [self.country_name(c) for c in ev.countries if c != self.home]
        if others:
            return ", ".join(others)
        return self.country_name(self.home) if self.home else ""

    def status(self, ev: Event) -> str:
        """The status as of ``as_of``: a held event still in the future is 'announced'."""
        return effective_status(ev, self.as_of)

    @cached_property
    def title(self) -> str:
        """'China, Kazakhstan and Tajikistan – a timeline' from the countries exported."""
        slugs: list[str] = []
        if self.home and any(self.home in ev.countries for ev in self.events):
            slugs.append(self.home)
        for ev in self.events:
            slugs += [c for c in ev.countries if c not in slugs]
        names = [self.country_name(s) for s in slugs]
        if not names:
            return "Timeline"
        joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        return f"{joined} \u2013 a timeline"

    @cached_property
    def subtitle(self) -> str:
        """'35 events, 1992–2024' (no clock: only what the events say)."""
        count = len(self.events)
        text = f"{count} event{'s' if count != 1 else ''}"
        if self.events:
            first = min(ev.date.earliest.year for ev in self.events)
            last = max(ev.date.latest.year for ev in self.events)
            text += f", {first}" if first == last else f", {first}\u2013{last}"
        return text


def joined(lines: Iterable[str], end: str = "\n") -> Iterator[str]:
    """``"\n".join(lines) + end``, piece by piece (an export is written as it is made)."""
    first = True
    for line in lines:
        yield line if first else "\n" + line
        first = False
    yield end


def precision_note(ev: Event) -> str:
    """'date known to the month only' and the like; '' for a plain day date."""
    notes: list[str] = []
    if ev.date.precision == "month":
        notes.append("date known to the month only")
    elif ev.date.precision == "year":
        notes.append("date known to the year only")
    if ev.date.approximate:
        notes.append("approximate date")
    if ev.date.uncertain:
        notes.append("uncertain date")
    return "; ".join(notes)


def is_web_url(url: str) -> bool:
    """Only http(s) URLs become links (never javascript:, data:, file:...)."""
    lowered = url.strip().lower()
    return lowered.startswith(("http://", "https://")) and len(lowered) > len("https://")
