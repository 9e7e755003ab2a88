"""Derived facts: figures computed from the events, never typed into the store.

Pure: no I/O, no clock. Every function takes the day it is computed for (``as_of``) and
whether the view is a look back in time (``time_travel``: hide what was not yet known).

- :func:`pairs` and :func:`relationship`: the pairs of countries, and for each when
  relations were established, how many years ago, and the partnership level reached by
  ``as_of`` (with its ladder).
- :func:`visit_facts`: for a visit, its ordinal among the visitor's visits to that host
  (all kinds, and state visits apart) and the gap since the previous one.
- :func:`relative`: "in 2 days", "3 years ago", "now".
- :func:`encounters`: the bilateral encounters of two countries' leaders (the leaders'
  meetings), one per trip, each with the events that record it.
- :func:`pair_stats`: visits per visitor and host, leaders' meetings per year, events per year.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import NamedTuple

from dtimeline.dates import EDate
from dtimeline.model import VISIT_KINDS, Event, Store
from dtimeline.query import known_on
from dtimeline.store.memo import FACT_TABLES_MAX, memo

#: Statuses of events that did not (and will not) take place as planned.
NOT_HAPPENING = frozenset({"cancelled", "postponed"})

#: Tag of a visit whose visitor made visits to the same host that the store does not hold
#: (a head of state with decades of trips, of which a few are recorded). One such visit
#: marks the whole series of that visitor's visits to that host as partial: no ordinal, gap
#: or count of all visits is derived for it, since none would be true.
PARTIAL_SERIES_TAG = "visits-not-all-recorded"


# --- calendar arithmetic -------------------------------------------------------------------


def whole_months(start: date, end: date) -> int:
    """Completed calendar months from ``start`` to ``end`` (0 when end <= start)."""
    if end <= start:
        return 0
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    return max(months, 0)


def whole_years(start: date, end: date) -> int:
    """Completed years from ``start`` to ``end`` (an age: 0 when end is before start)."""
    return whole_months(start, end) // 12


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def ordinal(n: int) -> str:
    """``1st``, ``2nd``, ``3rd``, ``4th``, ``11th``, ``21st``."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def span(start: date, end: date) -> str:
    """A human length of time between two days: ``5 days``, ``3 weeks``, ``7 months``,
    ``4 years`` (the largest unit that reads naturally; whole units, rounded down)."""
    days = (end - start).days
    if days < 14:
        return plural(days, "day")
    months = whole_months(start, end)
    if months < 2:
        return plural(days // 7, "week")
    if months < 24:
        return plural(months, "month")
    return plural(months // 12, "year")


def relative(when: EDate, as_of: date) -> str:
    """Where a date lies from ``as_of``: ``in 1 day``, ``3 years ago``, ``today``, ``now``
    (``as_of`` falls inside the date's span, e.g. a range or a month-precision date)."""
    if when.earliest > as_of:
        return "in " + span(as_of, when.earliest)
    if when.latest < as_of:
        if (as_of - when.latest).days == 1 and when.precision == "day":
            return "yesterday"
        return span(when.latest, as_of) + " ago"
    if when.earliest == when.latest:
        return "today"
    return "now"


# --- which events count ----------------------------------------------------------------------


class _Index:
    """What every figure of one (store, day) needs, computed once: the events known that
    day in date order, and the same split by pair of countries and by (visitor, host).
    Without it, stats and show re-sorted the whole store for every pair and every visit
    (seconds at 10,000 events, a minute at 100,000)."""

    def __init__(self, store: Store, as_of: date, time_travel: bool) -> None:
        known = [ev for ev in store.events if known_on(ev, as_of, time_travel)]
        known.sort(key=lambda ev: (ev.date.earliest, ev.date.latest, ev.id))
        self.store = store
        self.known = known
        self.by_pair: dict[frozenset[str], list[Event]] = {}
        self.visits: dict[tuple[str, str], list[Event]] = {}
        self.partial = {
            (ev.visitor, ev.host)
            for ev in store.events
            if ev.is_visit and PARTIAL_SERIES_TAG in ev.tags
        }
        for ev in known:
            countries = sorted(set(ev.countries))
            for i, first in enumerate(countries):
                for second in countries[i + 1 :]:
                    self.by_pair.setdefault(frozenset((first, second)), []).append(ev)
            if ev.is_visit and ev.visitor and ev.host and ev.status not in NOT_HAPPENING:
                self.visits.setdefault((ev.visitor, ev.host), []).append(ev)


def clear_memos() -> None:
    """Forget the tables of this process (store/memo.py: :func:`~dtimeline.store.memo.reset`
    forgets every memo at once)."""
    memo.fact_tables.clear()


def _index(store: Store, as_of: date, time_travel: bool) -> _Index:
    tables = memo.fact_tables
    key = (id(store), as_of, time_travel)
    found = tables.get(key)
    if not isinstance(found, _Index) or found.store is not store:
        if len(tables) >= FACT_TABLES_MAX:
            tables.clear()
        found = tables[key] = _Index(store, as_of, time_travel)
    return found


def _of_pair(store: Store, pair: tuple[str, str], as_of: date, time_travel: bool) -> list[Event]:
    return _index(store, as_of, time_travel).by_pair.get(frozenset(pair), [])


def _happened(ev: Event, as_of: date) -> bool:
    """Held (or under way) by ``as_of``, and not cancelled or postponed."""
    return ev.status not in NOT_HAPPENING and ev.date.earliest <= as_of


def _actor_country(store: Store, slug: str) -> str:
    actor = store.actors.get(slug)
    return actor.country if actor else ""


# --- relationships ---------------------------------------------------------------------------


class Step(NamedTuple):
    """One rung of the partnership ladder."""

    level: str
    date: EDate
    event_id: str


class Relationship(NamedTuple):
    """Two countries, as they stood on ``as_of``."""

    pair: tuple[str, str]
    as_of: date
    established: EDate | None = None
    years: int | None = None  # completed years since relations were established
    ladder: tuple[Step, ...] = ()  # partnership levels reached by as_of, oldest first
    upcoming_levels: tuple[Step, ...] = ()  # announced, dated after as_of

    @property
    def level(self) -> str:
        return self.ladder[-1].level if self.ladder else ""

    @property
    def level_since(self) -> EDate | None:
        return self.ladder[-1].date if self.ladder else None


def pairs(store: Store) -> list[tuple[str, str]]:
    """Every pair of countries that share an event of exactly two countries. The country
    that takes part in more pairs comes first (China in the bundled timeline); ties keep
    the store's order of countries."""
    found: set[frozenset[str]] = set()
    for ev in store.events:
        if len(set(ev.countries)) == 2:
            found.add(frozenset(ev.countries))
    return rank_pairs(found, store.countries)


def rank_pairs(
    found: Iterable[frozenset[str]],
    countries: Iterable[str],
    degree: Mapping[str, int] | None = None,
) -> list[tuple[str, str]]:
    """``found`` (each a set of two country slugs) as :func:`pairs` orders them: in each
    pair, then among pairs, the country of more pairs first, ties in the order of
    ``countries`` (the store's), then by slug. ``degree``: each country's number of pairs,
    when ``found`` is not every pair of the store (default: counted in ``found``)."""
    found = set(found)
    order = {slug: i for i, slug in enumerate(countries)}
    if degree is None:
        degree = Counter(c for p in found for c in p)

    def rank(slug: str) -> tuple[int, int, str]:
        return (-degree.get(slug, 0), order.get(slug, len(order)), slug)

    out = []
    for p in found:
        a, b = sorted(p, key=rank)
        out.append((a, b))
    out.sort(key=lambda ab: (rank(ab[0]), rank(ab[1])))
    return out


def relationship(
    store: Store, pair: tuple[str, str], as_of: date, time_travel: bool = False
) -> Relationship:
    """The facts of one pair of countries as of ``as_of``."""
    events = _of_pair(store, pair, as_of, time_travel)
    established = next(
        (ev.date for ev in events if ev.kind == "relations-established" and _happened(ev, as_of)),
        None,
    )
    ladder: list[Step] = []
    upcoming: list[Step] = []
    for ev in events:
        if ev.kind != "partnership" or not ev.level or ev.status in NOT_HAPPENING:
            continue
        step = Step(ev.level, ev.date, ev.id)
        (ladder if ev.date.earliest <= as_of else upcoming).append(step)
    years = whole_years(established.earliest, as_of) if established else None
    return Relationship(pair, as_of, established, years, tuple(ladder), tuple(upcoming))


# --- visits ----------------------------------------------------------------------------------


class VisitFacts(NamedTuple):
    """A visit's place in the visitor's series of visits to the host."""

    visitor: str
    host: str
    number: int  # 1 = the first visit of this visitor to this host (all kinds)
    state_number: int  # among state visits; 0 when this is not a state visit
    previous: Event | None = None  # the visitor's previous visit to the host
    gap_months: int | None = None  # completed months from the previous visit to this one

    def gap_phrase(self) -> str:
        """``first in 5 years`` when two years or more have passed since the previous
        visit, else ``previous visit Sep 2022``; '' for a first visit."""
        if self.previous is None or self.gap_months is None:
            return ""
        if self.gap_months >= 24:
            return f"first in {plural(self.gap_months // 12, 'year')}"
        assert self.previous is not None
        return "previous visit " + self.previous.date.human()


def visit_series(
    store: Store, visitor: str, host: str, as_of: date, time_travel: bool = False
) -> list[Event]:
    """The visitor's visits to the host known on ``as_of`` (upcoming ones included,
    cancelled and postponed ones left out), in date order."""
    return list(_index(store, as_of, time_travel).visits.get((visitor, host), ()))


def series_complete(
    store: Store, visitor: str, host: str, as_of: date, time_travel: bool = False
) -> bool:
    """Does the store hold every visit of ``visitor`` (an actor slug) to ``host`` (a country
    slug)? False when any of them, known or not on ``as_of``, carries
    :data:`PARTIAL_SERIES_TAG`."""
    return (visitor, host) not in _index(store, as_of, time_travel).partial


def visit_facts(
    store: Store, event: Event, as_of: date, time_travel: bool = False
) -> VisitFacts | None:
    """Ordinals and gap of a visit (None for an event that is not a visit with a visitor
    and a host, one that is cancelled, postponed or not known on ``as_of``, or one of a
    series the store holds only in part: see :func:`series_complete`)."""
    if not (event.is_visit and event.visitor and event.host):
        return None
    if not series_complete(store, event.visitor, event.host, as_of, time_travel):
        return None
    series = visit_series(store, event.visitor, event.host, as_of, time_travel)
    index = next((i for i, ev in enumerate(series) if ev.id == event.id), None)
    if index is None:
        return None
    state_number = 0
    if event.kind == "state-visit":
        state_number = sum(1 for ev in series[: index + 1] if ev.kind == "state-visit")
    previous = series[index - 1] if index else None
    gap = whole_months(previous.date.latest, event.date.earliest) if previous else None
    return VisitFacts(event.visitor, event.host, index + 1, state_number, previous, gap)


# --- statistics ------------------------------------------------------------------------------


# --- leaders' meetings ------------------------------------------------------------------------

#: Kinds of event that are an encounter of leaders when they name a leader of each side: a
#: visit, talks or a meeting. A summit, a ceremony, a signing or a statement is not one in
#: itself; it counts only through a visit, talks or meeting recorded on the same trip.
ENCOUNTER_KINDS = frozenset(VISIT_KINDS | {"talks", "meeting"})


class Encounter(NamedTuple):
    """One bilateral encounter of leaders of two countries: the events of one trip.

    ``events`` are the visit, talks and meeting events of the trip that name a leader of
    each side, in date order (at least one); ``first`` and ``last`` are the earliest and
    latest day they can mean (a month-precision visit spans its month)."""

    pair: tuple[str, str]
    events: tuple[Event, ...]
    first: date
    last: date

    @property
    def year(self) -> int:
        """The year the encounter began: the year it counts in."""
        return self.first.year

    @property
    def places(self) -> tuple[str, ...]:
        """The places its events name, each once, in date order ('' ones left out)."""
        seen: dict[str, None] = {}
        for ev in self.events:
            for place in ev.place.split(","):
                if place.strip():
                    seen.setdefault(place.strip(), None)
        return tuple(seen)

    def leaders(self, store: Store) -> tuple[str, ...]:
        """The actors of either side named by its events (slugs, each once, in the order
        the events name them)."""
        seen: dict[str, None] = {}
        for ev in self.events:
            for slug in ev.actors:
                if _actor_country(store, slug) in self.pair:
                    seen.setdefault(slug, None)
        return tuple(seen)


def is_encounter(store: Store, event: Event, pair: tuple[str, str]) -> bool:
    """Is ``event`` a bilateral encounter of the pair's leaders? A visit, talks or meeting
    (:data:`ENCOUNTER_KINDS`) among whose actors is a person of each country (an actor's
    ``country``), and that is not cancelled or postponed. Whether it had happened by a
    given day is :func:`encounters`' business."""
    if event.kind not in ENCOUNTER_KINDS or event.status in NOT_HAPPENING:
        return False
    sides = {_actor_country(store, slug) for slug in event.actors}
    return pair[0] in sides and pair[1] in sides


def encounters(
    store: Store,
    pair: tuple[str, str],
    as_of: date,
    time_travel: bool = False,
    year: int | None = None,
) -> list[Encounter]:
    """The leaders' bilateral encounters of two countries that had happened by ``as_of``
    (an event counts from its earliest day), in date order; with ``year``, only those that
    began in that year.

    Rule: every event that :func:`is_encounter` says is one, among the events known on
    ``as_of`` (see :func:`dtimeline.query.known_on`); events whose days overlap or follow
    one another without a free day between them are one trip and make one encounter (a
    state visit with its talks, or talks in one city and a meeting the next day). Summits
    and ceremonies that both attend add nothing unless a visit, talks or meeting is
    recorded with them. Cancelled and postponed events never count."""
    found = [
        ev
        for ev in _of_pair(store, pair, as_of, time_travel)
        if _happened(ev, as_of) and is_encounter(store, ev, pair)
    ]
    found.sort(key=lambda ev: (ev.date.earliest, ev.date.latest, ev.id))
    trips: list[list[Event]] = []
    last = date.min
    for ev in found:
        if trips and ev.date.earliest <= last + timedelta(days=1):
            trips[-1].append(ev)
            last = max(last, ev.date.latest)
        else:
            trips.append([ev])
            last = ev.date.latest
    out = [
        Encounter(
            pair,
            tuple(trip),
            min(ev.date.earliest for ev in trip),
            max(ev.date.latest for ev in trip),
        )
        for trip in trips
    ]
    return out if year is None else [enc for enc in out if enc.year == year]


def meetings_per_year(
    store: Store, pair: tuple[str, str], as_of: date, time_travel: bool = False
) -> dict[int, int]:
    """Leaders' bilateral encounters (:func:`encounters`) per year they began, years in
    order; years without one are left out."""
    counts = Counter(enc.year for enc in encounters(store, pair, as_of, time_travel))
    return dict(sorted(counts.items()))


class VisitCount(NamedTuple):
    visitor: str
    host: str
    visits: int
    state_visits: int
    last: EDate | None
    upcoming: int = 0
    complete: bool = True  # False: the store holds only some of these visits


class PairStats(NamedTuple):
    relationship: Relationship
    events: int  # events of both countries known and happened by as_of
    upcoming: int  # announced, after as_of
    visits: tuple[VisitCount, ...]
    meetings_per_year: dict[int, int]
    events_per_year: dict[int, int]
    meetings: tuple[Encounter, ...] = ()  # the encounters meetings_per_year counts


def pair_stats(
    store: Store, pair: tuple[str, str], as_of: date, time_travel: bool = False
) -> PairStats:
    """Counts for one relationship as of ``as_of``. Only what happened by then is counted
    (upcoming events are counted apart); cancelled and postponed events never count.

    - visits: per visitor and host among the pair, all visit kinds and state visits apart
      (``complete`` False for a series the store holds only in part, whose counts are of
      the recorded visits only);
    - leaders' meetings per year: bilateral encounters, one per trip (:func:`encounters`);
    - events per year: every event that involves both countries (by its first year).
    """
    rel = relationship(store, pair, as_of, time_travel)
    both = _of_pair(store, pair, as_of, time_travel)
    done = [ev for ev in both if _happened(ev, as_of)]
    upcoming = [ev for ev in both if ev.date.earliest > as_of and ev.status not in NOT_HAPPENING]
    visits: dict[tuple[str, str], list[Event]] = {}
    for ev in done + upcoming:
        if ev.is_visit and ev.visitor and ev.host in pair:
            visits.setdefault((ev.visitor, ev.host), []).append(ev)
    counts = []
    for (visitor, host), evs in visits.items():
        held = [ev for ev in evs if _happened(ev, as_of)]
        counts.append(
            VisitCount(
                visitor,
                host,
                len(held),
                sum(1 for ev in held if ev.kind == "state-visit"),
                held[-1].date if held else None,
                len(evs) - len(held),
                series_complete(store, visitor, host, as_of, time_travel),
            )
        )
    counts.sort(key=lambda c: (-c.visits, c.visitor, c.host))
    per_year = Counter(ev.date.earliest.year for ev in done)
    met = encounters(store, pair, as_of, time_travel)
    return PairStats(
        rel,
        len(done),
        len(upcoming),
        tuple(counts),
        dict(sorted(Counter(enc.year for enc in met).items())),
        dict(sorted(per_year.items())),
        tuple(met),
    )
