"""The domain: frozen dataclasses, pure, no I/O.

An :class:`Event` is what one ``[[events]]`` table of the store says, already validated;
:class:`Store` is the whole file's content. Nothing here reads files, the clock or the
terminal.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from dtimeline.dates import EDate

SCHEMA_VERSION = 1

#: The controlled vocabulary of event kinds (a store may declare more under ``[kinds]``).
KINDS: Mapping[str, str] = MappingProxyType(
    {
        "relations-established": "diplomatic relations established",
        "state-visit": "state visit (by the host's classification)",
        "official-visit": "official visit",
        "visit": "visit of another or unstated kind",
        "talks": "talks between leaders or delegations",
        "meeting": "meeting",
        "summit": "multilateral summit",
        "phone-call": "phone or video call",
        "agreement": "agreement or protocol",
        "treaty": "treaty",
        "joint-statement": "joint statement or communique",
        "partnership": "a new level of partnership",
        "announcement": "announcement",
        "other": "anything else",
    }
)

#: Kinds that are a leader visiting a host country: they need ``host``.
VISIT_KINDS = frozenset({"state-visit", "official-visit", "visit"})

STATUSES = ("announced", "held", "postponed", "cancelled")


@dataclass(frozen=True)
class Source:
    publisher: str
    title: str = ""
    url: str = ""
    date: str = ""  # EDTF string, as given (validated by `check`)
    note: str = ""

    def label(self) -> str:
        """One-line citation: publisher, title, date."""
        parts = [p for p in (self.publisher, self.title, self.date) if p]
        return ", ".join(parts) or self.url


@dataclass(frozen=True)
class Country:
    slug: str
    name: str
    native: str = ""
    iso: str = ""  # ISO 3166-1 alpha-2
    iso3: str = ""  # ISO 3166-1 alpha-3
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Actor:
    slug: str
    name: str
    native: str = ""
    country: str = ""
    role: str = ""
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Event:
    id: str
    date: EDate
    kind: str
    title: str
    countries: tuple[str, ...]
    actors: tuple[str, ...] = ()
    host: str = ""
    place: str = ""
    status: str = "held"
    announced: EDate | None = None
    level: str = ""
    tags: tuple[str, ...] = ()
    summary: str = ""
    sources: tuple[Source, ...] = ()

    @property
    def is_visit(self) -> bool:
        return self.kind in VISIT_KINDS

    @property
    def visitor(self) -> str:
        """The visiting actor of a visit: the first actor (by convention), else ''."""
        return self.actors[0] if self.is_visit and self.actors else ""


@dataclass(frozen=True)
class Store:
    """Everything one store file holds. ``events`` keep the file's order."""

    schema: int = SCHEMA_VERSION
    countries: Mapping[str, Country] = field(default_factory=dict)
    actors: Mapping[str, Actor] = field(default_factory=dict)
    kinds: Mapping[str, str] = field(default_factory=dict)  # extra kinds declared by the store
    events: tuple[Event, ...] = ()

    def all_kinds(self) -> dict[str, str]:
        return {**KINDS, **self.kinds}

    def event(self, event_id: str) -> Event | None:
        for ev in self.events:
            if ev.id == event_id:
                return ev
        return None
