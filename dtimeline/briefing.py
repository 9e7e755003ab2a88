"""The briefing: a short, sourced account of one relationship as of a day, as claims.

Pure: no I/O, no clock, no terminal. Every figure comes from :mod:`dtimeline.facts` (years
of relations, partnership ladder, leaders' encounters, nth visit and gap); every sentence is
composed here from those figures and the store's names, dates and titles, never stored.
A figure the store cannot support (no relations event, no visit, no meeting that year) is
left out, not guessed.

- :func:`resolve_relationship`: a SUBJECT (a country, or ``A/B``) to a pair of countries
  (in two steps, :func:`named_countries` and :func:`relationship_of`, for a partial store).
- :func:`brief`: the :class:`Briefing` of a pair as of a day: its :class:`Claim` list, in
  reading order, and the events they rest on, numbered in order of first citation.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import date
from typing import NamedTuple

from dtimeline import facts
from dtimeline.dates import EDate, parse_edtf
from dtimeline.errors import DateError, InputError, NotFoundError
from dtimeline.model import Event, Store
from dtimeline.query import is_upcoming, known_on, resolve_country, resolve_subject

#: Separators of a pair of countries in a SUBJECT: ``china/kazakhstan``.
PAIR_SEPARATOR = "/"

#: Kinds whose most recent event gets a sentence of its own (the partnership ladder has its
#: own claim), with the words that name them.
MILESTONES: Mapping[str, str] = {"joint-statement": "joint statement", "treaty": "treaty"}

_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
_ORDINALS = ("", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
             "ninth", "tenth")  # fmt: skip
_VISIT_NAMES = {"state-visit": "a state visit", "official-visit": "an official visit"}


class Claim(NamedTuple):
    """One statement of the briefing.

    ``kind``: relations, partnership, upcoming-partnership, meetings, upcoming-visit,
    last-visit, joint-statement or treaty. ``value``: its figures, JSON-ready (str, int,
    lists and dicts of them; dates as EDTF). ``sentence``: plain English, ending in a full
    stop. ``ids``: the events it rests on, in the order cited."""

    kind: str
    value: Mapping[str, object]
    sentence: str
    ids: tuple[str, ...]


class Briefing(NamedTuple):
    """The claims about ``pair`` as of ``as_of``, and the events they cite."""

    pair: tuple[str, str]
    as_of: date
    claims: tuple[Claim, ...]
    references: tuple[Event, ...]  # every cited event once, in order of first citation

    def number(self, event_id: str) -> int:
        """The reference number (from 1) of a cited event."""
        for n, ev in enumerate(self.references, 1):
            if ev.id == event_id:
                return n
        raise KeyError(event_id)


# --- words -----------------------------------------------------------------------------------


def number_word(n: int) -> str:
    """``one`` ... ``ten``, then digits (``11``, ``32``)."""
    return _WORDS[n] if 0 <= n < len(_WORDS) else str(n)


def ordinal_word(n: int) -> str:
    """``first`` ... ``tenth``, then ``11th``, ``21st``."""
    return _ORDINALS[n] if 0 < n < len(_ORDINALS) else facts.ordinal(n)


def times(n: int) -> str:
    """``once``, ``twice``, ``three times``, ``12 times``."""
    return {1: "once", 2: "twice"}.get(n, f"{number_word(n)} times")


def years(n: int) -> str:
    return f"{number_word(n)} year" if n == 1 else f"{number_word(n)} years"


def article(phrase: str) -> str:
    """``a strategic partnership``, ``an all-round partnership`` (by the first letter)."""
    return ("an " if phrase[:1].lower() in "aeiou" else "a ") + phrase


def on(when: EDate) -> str:
    """``on 3 Jan 1992`` for a day or a range of days, ``in Sep 2013``, ``in 1998``."""
    return ("on " if when.precision == "day" else "in ") + when.human()


def _when(events: tuple[Event, ...]) -> EDate:
    """The dates of a trip's events as one date, at their own precision: from the start of
    the earliest to the end of the latest (``16–19 May 2023``, ``Sep 2013``)."""
    first = min(events, key=lambda ev: ev.date.earliest).date
    last = max(events, key=lambda ev: ev.date.latest).date
    end = last.end or last.start
    if first.start.edtf() == end.edtf():
        return EDate(first.start)
    return EDate(first.start, end)


def _list(items: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _name(store: Store, slug: str, countries: bool = False) -> str:
    entity = (store.countries if countries else store.actors).get(slug)
    return entity.name if entity else slug


# --- the subject -----------------------------------------------------------------------------


def named_countries(store: Store, text: str, tags: Iterable[str] | None = None) -> tuple[str, ...]:
    """The one country, or the two of ``A/B``, that a SUBJECT names (``store``: its
    countries and actors are enough; ``tags``: the store's tags, else gathered from its
    events). Raises NotFoundError (exit 3, with the nearest names) for a name the store does
    not hold, InputError (exit 2, with a hint) for a person or a tag, and for ``A/A``."""
    if PAIR_SEPARATOR in text and not _is_name(store, text, tags):
        first, _, second = text.partition(PAIR_SEPARATOR)
        a, b = resolve_country(store, first), resolve_country(store, second)
        if a == b:
            raise InputError(f"{text!r} names {a} twice", hint="name two countries, as A/B")
        return (a, b)
    subject = resolve_subject(store, text, tags)
    if subject.kind != "country":
        raise InputError(
            f"{subject.kind} {subject.slug!r} is not a relationship",
            hint="a brief is about two countries: name a country, or a pair as A/B",
        )
    return (subject.slug,)


def relationship_of(store: Store, countries: tuple[str, ...]) -> tuple[str, str]:
    """The pair of :func:`named_countries`, in the order of :func:`facts.pairs` (the country
    with more relationships first); ``store`` must hold the events of the relationships of
    those countries. One country gives its one relationship; raises NotFoundError (exit 3)
    when it has none, InputError (exit 2, naming the pairs) when it has several."""
    pairs = facts.pairs(store)
    if len(countries) == 2:
        return next((p for p in pairs if set(p) == set(countries)), (countries[0], countries[1]))
    (slug,) = countries
    mine = [p for p in pairs if slug in p]
    if len(mine) == 1:
        return mine[0]
    if not mine:
        raise NotFoundError(f"the store holds no relationship of {slug}",
                            hint="record an event of it with another country")  # fmt: skip
    listed = " or ".join("/".join(p) for p in mine)
    raise InputError(f"{slug} has {len(mine)} relationships", hint=f"name one: {listed}")


def resolve_relationship(store: Store, text: str) -> tuple[str, str]:
    """The pair of countries a SUBJECT names in a whole store (a country with its one
    relationship, or ``A/B``): :func:`named_countries`, then :func:`relationship_of`."""
    return relationship_of(store, named_countries(store, text))


def _is_name(store: Store, text: str, tags: Iterable[str] | None) -> bool:
    """Is ``text`` (with its slash) itself a name the store knows?"""
    try:
        resolve_subject(store, text, tags)
    except (InputError, NotFoundError):
        return False
    return True


# --- claims ----------------------------------------------------------------------------------


def _relations(store: Store, rel: facts.Relationship, ids: list[str]) -> Claim | None:
    if rel.established is None or rel.years is None or not ids:
        return None
    a, b = (_name(store, slug, True) for slug in rel.pair)
    length = f"for {years(rel.years)}" if rel.years else "for less than a year"
    sentence = (
        f"{a} and {b} have had diplomatic relations {length}, since {rel.established.human()}."
    )
    value = {"established": rel.established.edtf(), "years": rel.years}
    return Claim("relations", value, sentence, tuple(ids[:1]))


def _partnership(rel: facts.Relationship) -> list[Claim]:
    out = []
    if rel.ladder:
        step = rel.ladder[-1]
        sentence = f"Relations have been {article(step.level)} since {step.date.human()}"
        value: dict[str, object] = {"level": step.level, "since": step.date.edtf()}
        ids = [step.event_id]
        if len(rel.ladder) > 1:
            before = rel.ladder[-2]
            sentence += f", upgraded from {article(before.level)} ({before.date.human()})"
            value["previous"] = {"level": before.level, "since": before.date.edtf()}
            ids.append(before.event_id)
        out.append(Claim("partnership", value, sentence + ".", tuple(ids)))
    for step in rel.upcoming_levels:
        sentence = f"An upgrade to {article(step.level)} is announced for {step.date.human()}."
        value = {"level": step.level, "date": step.date.edtf()}
        out.append(Claim("upcoming-partnership", value, sentence, (step.event_id,)))
    return out


def _meetings(
    store: Store, pair: tuple[str, str], year: int, as_of: date, time_travel: bool
) -> Claim | None:
    found = facts.encounters(store, pair, as_of, time_travel, year=year)
    if not found:
        return None
    leaders: dict[str, list[str]] = {pair[0]: [], pair[1]: []}
    for enc in found:
        for slug in enc.leaders(store):
            side = leaders[store.actors[slug].country]
            if slug not in side:
                side.append(slug)
    if all(len(side) == 1 for side in leaders.values()):
        who = " and ".join(_name(store, side[0]) for side in leaders.values())
    else:
        who = "The leaders of " + " and ".join(_name(store, c, True) for c in pair)
    verb = "met" if year < as_of.year else "have met"
    so_far = " so far" if year == as_of.year else ""
    where = []
    records = []
    for enc in found:
        when = _when(enc.events).human()
        places = _list(list(enc.places)) if enc.places else ""
        where.append(f"in {places} ({when})" if places else f"on {when}")
        records.append({
            "first": enc.first.isoformat(),
            "last": enc.last.isoformat(),
            "places": list(enc.places),
            "ids": [ev.id for ev in enc.events],
        })  # fmt: skip
    sentence = f"{who} {verb} {times(len(found))} in {year}{so_far}: {_list(where)}."
    value = {
        "year": year,
        "count": len(found),
        "leaders": [slug for side in leaders.values() for slug in side],
        "meetings": records,
    }
    ids = tuple(ev.id for enc in found for ev in enc.events)
    return Claim("meetings", value, sentence, ids)


def _visits(
    store: Store, visitors: Iterable[str], host: str, as_of: date, time_travel: bool
) -> list[Event]:
    """The visits known on ``as_of`` of people of one country to ``host``, in date order."""
    out: list[Event] = []
    for slug in visitors:
        out += facts.visit_series(store, slug, host, as_of, time_travel)
    out.sort(key=lambda ev: (ev.date.earliest, ev.date.latest, ev.id))
    return out


def _visit_kind(ev: Event) -> str:
    return _VISIT_NAMES.get(ev.kind, "")


def _upcoming_visit(store: Store, ev: Event, as_of: date, time_travel: bool) -> Claim:
    """An announced visit: its ordinals and gap where :func:`facts.visit_facts` gives them
    (not when the store holds the visitor's series to the host only in part)."""
    visitor, host = _name(store, ev.visitor), _name(store, ev.host, True)
    kind = _visit_kind(ev)
    value: dict[str, object] = {"visitor": ev.visitor, "host": ev.host,
                                "date": ev.date.edtf(), "kind": ev.kind}  # fmt: skip
    vf = facts.visit_facts(store, ev, as_of, time_travel)
    if vf is None:
        what = f"to pay {kind} to {host}" if kind else f"to visit {host}"
        sentence = f"{visitor} is due {what} {on(ev.date)}."
        return Claim("upcoming-visit", value, sentence, (ev.id,))
    sentence = f"{visitor}'s {ordinal_word(vf.number)} visit to {host}"
    sentence += f", {kind}," if kind else ""
    sentence += f" is due {on(ev.date)}"
    series = facts.visit_series(store, vf.visitor, vf.host, as_of, time_travel)
    if vf.state_number and vf.state_number != vf.number:
        sentence += f" (the {ordinal_word(vf.state_number)} counting state visits only)"
    elif not vf.state_number and any(other.kind == "state-visit" for other in series):
        sentence += " (not classed as a state visit)"
    gap_years = None
    if vf.previous is not None and vf.gap_months is not None and vf.gap_months >= 24:
        gap_years = vf.gap_months // 12
        sentence += f", the first in {years(gap_years)}"
    value |= {
        "number": vf.number,
        "state_number": vf.state_number,
        "previous": vf.previous.date.edtf() if vf.previous else None,
        "gap_years": gap_years,
    }
    ids = (ev.id, vf.previous.id) if vf.previous is not None else (ev.id,)
    return Claim("upcoming-visit", value, sentence + ".", ids)


def _last_visit(store: Store, ev: Event) -> Claim:
    visitor, host = _name(store, ev.visitor), _name(store, ev.host, True)
    sentence = f"{visitor} last visited {host} {on(ev.date)}"
    kind = _visit_kind(ev)
    sentence += f" ({kind})." if kind else "."
    value = {"visitor": ev.visitor, "host": ev.host, "date": ev.date.edtf(), "kind": ev.kind}
    return Claim("last-visit", value, sentence, (ev.id,))


def _visit_claims(
    store: Store, pair: tuple[str, str], as_of: date, time_travel: bool
) -> tuple[list[Claim], list[Claim]]:
    """(upcoming visits, the last visit in each direction)."""
    upcoming: list[Claim] = []
    last: list[Claim] = []
    for side, host in (pair, pair[::-1]):
        visitors = [slug for slug, actor in store.actors.items() if actor.country == side]
        series = _visits(store, visitors, host, as_of, time_travel)
        held = [ev for ev in series if not is_upcoming(ev, as_of)]
        if held:
            last.append(_last_visit(store, held[-1]))
        for ev in series:
            if is_upcoming(ev, as_of):
                upcoming.append(_upcoming_visit(store, ev, as_of, time_travel))
    upcoming.sort(key=lambda c: str(c.value["date"]))
    return upcoming, last


def _milestones(events: list[Event], as_of: date) -> list[Claim]:
    """The most recent held event of each kind of :data:`MILESTONES` (``events`` in date
    order)."""
    latest: dict[str, Event] = {}
    for ev in events:
        happened = ev.status not in facts.NOT_HAPPENING and ev.date.earliest <= as_of
        if ev.kind in MILESTONES and happened:
            latest[ev.kind] = ev
    out = []
    for kind, words in MILESTONES.items():
        if kind not in latest:
            continue
        ev = latest[kind]
        where = f", {ev.place}" if ev.place else ""
        sentence = f"Most recent {words}: \u201c{ev.title}\u201d, {ev.date.human()}{where}."
        value = {"date": ev.date.edtf(), "title": ev.title, "place": ev.place}
        out.append(Claim(kind, value, sentence, (ev.id,)))
    return out


def brief(store: Store, pair: tuple[str, str], as_of: date, time_travel: bool = False) -> Briefing:
    """The briefing of ``pair`` as of ``as_of`` (``time_travel``: a look back, hiding what
    was not yet known that day, as ``--as-of`` does).

    Claims, in reading order: relations (years since the relations-established event);
    partnership (the level reached, since when, the level before) and any announced
    upgrade; leaders' meetings in the previous and the current calendar year (counted by
    :func:`facts.encounters`, the rule of ``stats``); announced visits (the nth visit of the
    visitor to the host, the nth state visit when the two counts differ, the first in N
    years after a gap of two years or more); the last visit in each direction; the most
    recent joint statement and treaty."""
    rel = facts.relationship(store, pair, as_of, time_travel)
    events = _pair_events(store, pair, as_of, time_travel)
    claims: list[Claim] = []
    established = [
        ev.id
        for ev in events
        if ev.kind == "relations-established" and rel.established is not None
        and ev.date.edtf() == rel.established.edtf() and ev.status not in facts.NOT_HAPPENING
    ]  # fmt: skip
    relations = _relations(store, rel, established)
    if relations is not None:
        claims.append(relations)
    claims += _partnership(rel)
    for year in (as_of.year - 1, as_of.year):
        meetings = _meetings(store, pair, year, as_of, time_travel)
        if meetings is not None:
            claims.append(meetings)
    upcoming, last = _visit_claims(store, pair, as_of, time_travel)
    claims += upcoming + last
    claims += _milestones(events, as_of)
    return Briefing(pair, as_of, tuple(claims), _cited(store, claims, as_of, time_travel))


def _pair_events(
    store: Store, pair: tuple[str, str], as_of: date, time_travel: bool
) -> list[Event]:
    """The events of both countries known on ``as_of``, in date order."""
    found = [
        ev
        for ev in store.events
        if pair[0] in ev.countries and pair[1] in ev.countries
        and known_on(ev, as_of, time_travel)
    ]  # fmt: skip
    found.sort(key=lambda ev: (ev.date.earliest, ev.date.latest, ev.id))
    return found


def _cited(store: Store, claims: list[Claim], as_of: date, time_travel: bool) -> tuple[Event, ...]:
    wanted: dict[str, None] = {}
    for claim in claims:
        for event_id in claim.ids:
            wanted.setdefault(event_id, None)
    by_id = {ev.id: ev for ev in store.events if ev.id in wanted}
    cited = (by_id[event_id] for event_id in wanted if event_id in by_id)
    if not time_travel:
        return tuple(cited)
    return tuple(sources_known_on(ev, as_of) for ev in cited)


def sources_known_on(ev: Event, as_of: date) -> Event:
    """``ev`` citing only the sources that could be read on ``as_of``: those dated (EDTF)
    no later than that day, and the undated ones. A look back must not cite reporting from
    after the day it looks from; where every source is later, all are kept, since the event
    itself was known (its ``announced`` day) and a reference with no source is worse."""
    known = tuple(s for s in ev.sources if not s.date or _source_day(s.date) <= as_of)
    if not known or len(known) == len(ev.sources):
        return ev
    return replace(ev, sources=known)


def _source_day(text: str) -> date:
    try:
        return parse_edtf(text).earliest
    except DateError:
        return date.min  # an unreadable date is check's business; keep the source
