"""The domain: frozen dataclasses, pure, no I/O.

An :class:`Event` is what one ``[[events]]`` table of the store says, already validated;
:class:`Store` is the whole file's content. Nothing here reads files, the clock or the
terminal.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from dtimeline.dates import EDate
from dtimeline.frozen import Frozen

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


# The classes below are frozen dataclasses in all but start-up cost: see dtimeline/frozen.py.
# Each __init__ stores every field, in declaration order, and nothing else.


@dataclass(init=False, repr=False, eq=False)
class Source(Frozen):
    """Where a fact comes from: publisher, and optionally title, URL, date and a note."""

    publisher: str
    title: str = ""
    url: str = ""
    date: str = ""  # EDTF string, as given (validated by `check`)
    note: str = ""

    def __init__(
        self, publisher: str, title: str = "", url: str = "", date: str = "", note: str = ""
    ) -> None:
        d = self.__dict__
        d["publisher"], d["title"], d["url"], d["date"], d["note"] = (
            publisher, title, url, date, note,
        )  # fmt: skip

    def label(self) -> str:
        """One-line citation: publisher, title, date."""
        parts = [p for p in (self.publisher, self.title, self.date) if p]
        return ", ".join(parts) or self.url


@dataclass(init=False, repr=False, eq=False)
class Country(Frozen):
    """A country of the store (``[countries.<slug>]``)."""

    slug: str
    name: str
    native: str = ""
    iso: str = ""  # ISO 3166-1 alpha-2
    iso3: str = ""  # ISO 3166-1 alpha-3
    aliases: tuple[str, ...] = ()

    def __init__(  # noqa: PLR0917 (one parameter per field, as a dataclass has)
        self,
        slug: str,
        name: str,
        native: str = "",
        iso: str = "",
        iso3: str = "",
        aliases: tuple[str, ...] = (),
    ) -> None:
        d = self.__dict__
        d["slug"], d["name"], d["native"], d["iso"], d["iso3"], d["aliases"] = (
            slug, name, native, iso, iso3, aliases,
        )  # fmt: skip


@dataclass(init=False, repr=False, eq=False)
class Actor(Frozen):
    """A person of the store (``[actors.<slug>]``), e.g. a head of state."""

    slug: str
    name: str
    native: str = ""
    country: str = ""
    role: str = ""
    aliases: tuple[str, ...] = ()

    def __init__(  # noqa: PLR0917 (one parameter per field, as a dataclass has)
        self,
        slug: str,
        name: str,
        native: str = "",
        country: str = "",
        role: str = "",
        aliases: tuple[str, ...] = (),
    ) -> None:
        d = self.__dict__
        d["slug"], d["name"], d["native"], d["country"], d["role"], d["aliases"] = (
            slug, name, native, country, role, aliases,
        )  # fmt: skip


@dataclass(init=False, repr=False, eq=False)
class Event(Frozen):
    """One dated event (an ``[[events]]`` table), validated."""

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

    def __init__(  # noqa: PLR0917 (one parameter per field, as a dataclass has)
        self,
        id: str,
        date: EDate,
        kind: str,
        title: str,
        countries: tuple[str, ...],
        actors: tuple[str, ...] = (),
        host: str = "",
        place: str = "",
        status: str = "held",
        announced: EDate | None = None,
        level: str = "",
        tags: tuple[str, ...] = (),
        summary: str = "",
        sources: tuple[Source, ...] = (),
    ) -> None:
        d = self.__dict__
        d["id"], d["date"], d["kind"], d["title"], d["countries"] = (
            id, date, kind, title, countries,
        )  # fmt: skip
        d["actors"], d["host"], d["place"], d["status"], d["announced"] = (
            actors, host, place, status, announced,
        )  # fmt: skip
        d["level"], d["tags"], d["summary"], d["sources"] = level, tags, summary, sources

    @property
    def is_visit(self) -> bool:
        return self.kind in VISIT_KINDS

    @property
    def visitor(self) -> str:
        """The visiting actor of a visit: the first actor (by convention), else ''."""
        return self.actors[0] if self.is_visit and self.actors else ""


@dataclass(init=False, repr=False, eq=False)
class Store(Frozen):
    """Everything one store file holds. ``events`` keep the file's order."""

    schema: int
    countries: Mapping[str, Country]
    actors: Mapping[str, Actor]
    kinds: Mapping[str, str]  # extra kinds declared by the store
    events: tuple[Event, ...]

    def __init__(
        self,
        schema: int = SCHEMA_VERSION,
        countries: Mapping[str, Country] | None = None,
        actors: Mapping[str, Actor] | None = None,
        kinds: Mapping[str, str] | None = None,
        events: tuple[Event, ...] = (),
    ) -> None:
        d = self.__dict__
        d["schema"] = schema
        d["countries"] = {} if countries is None else countries
        d["actors"] = {} if actors is None else actors
        d["kinds"] = {} if kinds is None else kinds
        d["events"] = events

    def all_kinds(self) -> dict[str, str]:
        return {**KINDS, **self.kinds}

    def event(self, event_id: str) -> Event | None:
        for ev in self.events:
            if ev.id == event_id:
                return ev
        return None
