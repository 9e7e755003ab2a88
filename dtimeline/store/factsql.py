"""Derived facts asked of the index: :class:`~dtimeline.factsource.FactSource` in SQL.

Each answer is one or two queries that walk a short range of an index and stop, so the cost
of a timeline's header and of a visit's ordinal does not grow with the store:

- which of the pairs a view touches are relationships: one seek of the index on
  ``events.pair`` each, and each country's number of relationships (what ranks them, as
  :func:`dtimeline.facts.pairs` does): one seek per declared country;
- a relationship's standing: its first ``relations-established`` event that happened, its
  latest partnership level reached and its levels to come, each ``ORDER BY`` the date
  columns with ``LIMIT 1`` (or the few events after the day), read from the partial indexes
  ``events_by_established`` and ``events_by_level`` (pair, earliest, latest, id): the pair's
  own range, plus the events of more than two countries (``pair = ''``) naming both;
- a visit's ordinals: counts over the visitor's visits to the host (the index on
  ``(visitor, host)``), and the one just before it.

The rules are :mod:`dtimeline.facts`' (which events are known on a day, which happened, the
order of events: earliest day, latest day, id), said in SQL; tests/test_factsql.py checks
every answer against the facts computed in memory, on random stores.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from dtimeline import facts
from dtimeline.dates import parse_edtf
from dtimeline.factsource import Standing
from dtimeline.model import VISIT_KINDS
from dtimeline.query import known_on
from dtimeline.store import rows

if TYPE_CHECKING:
    from dtimeline.model import Event
    from dtimeline.store.index import Index

#: Known on :day (``query.known_on``), with :tt the time-travel flag (0 or 1).
KNOWN = (
    "(CASE WHEN e.announced_earliest IS NOT NULL THEN e.announced_earliest <= :day"
    " ELSE NOT (:tt AND e.earliest > :day) END)"
)
#: Not cancelled or postponed (``facts.NOT_HAPPENING``).
ON = "e.status NOT IN (" + ",".join(f"'{s}'" for s in sorted(facts.NOT_HAPPENING)) + ")"
#: Both countries of the pair (:a, :b) among the event's: a key lookup each.
BOTH = (
    "EXISTS (SELECT 1 FROM event_countries c WHERE c.country = :a AND c.seq = e.seq)"
    " AND EXISTS (SELECT 1 FROM event_countries c WHERE c.country = :b AND c.seq = e.seq)"
)
VISITS = "e.kind IN (" + ",".join(f"'{k}'" for k in sorted(VISIT_KINDS)) + ")"
SERIES = f"e.visitor = :v AND e.visitor != '' AND e.host = :h AND {VISITS} AND {KNOWN} AND {ON}"
BEFORE = "(e.earliest, e.latest, e.id) < (:earliest, :latest, :id)"


def _step(row: tuple[str, str, str]) -> facts.Step:
    level, edtf, event_id = row
    return facts.Step(level, parse_edtf(edtf), event_id)


class IndexFacts:
    """:class:`~dtimeline.factsource.FactSource` over an open index (one command's)."""

    def __init__(self, index: Index) -> None:
        self.index = index
        self._partial: dict[tuple[str, str], bool] = {}

    def _rows(self, sql: str, params: dict[str, Any]) -> list[Any]:
        return self.index.conn.execute(sql, params).fetchall()

    def pairs_among(self, touched: Iterable[frozenset[str]]) -> list[tuple[str, str]]:
        conn = self.index.conn
        found = [
            pair for pair in set(touched)
            if len(pair) == 2 and conn.execute(
                "SELECT 1 FROM events WHERE pair != '' AND pair = ? LIMIT 1",
                (" ".join(sorted(pair)),)).fetchone()
        ]  # fmt: skip
        head = self.index.head.countries
        degree = {c: self._degree(c) for pair in found for c in pair}
        return facts.rank_pairs(found, head, degree)

    def _degree(self, country: str) -> int:
        """How many relationships ``country`` takes part in: one seek of the pair index
        per declared country."""
        (count,) = self.index.conn.execute(
            "SELECT count(*) FROM countries k WHERE k.slug != :c AND EXISTS (SELECT 1 FROM"
            " events e WHERE e.pair != '' AND e.pair = CASE WHEN k.slug < :c"
            " THEN k.slug || ' ' || :c ELSE :c || ' ' || k.slug END)",
            {"c": country},
        ).fetchone()
        return int(count)

    def _first(self, what: str, params: dict[str, Any], *, last: bool = False,
               limit: bool = True) -> list[Any]:  # fmt: skip
        """The rows of ``what`` (a SELECT whose WHERE ends open) for the pair, in date
        order (``last``: reversed), at most one unless not ``limit``: those of exactly the
        two countries through ``events.pair``, and those of more countries naming both."""
        order = " DESC" if last else ""
        tail = f" ORDER BY e.earliest{order}, e.latest{order}, e.id{order}"
        tail += " LIMIT 1" if limit else ""
        found = self._rows(f"{what} AND e.pair = :pair{tail}", params)
        found += self._rows(f"{what} AND e.pair = '' AND {BOTH}{tail}", params)
        found.sort(key=lambda row: row[-3:], reverse=last)
        return found[:1] if limit else found

    def standing(self, pair: tuple[str, str], as_of: date, time_travel: bool) -> Standing:
        params = {"a": pair[0], "b": pair[1], "pair": " ".join(sorted(pair)),
                  "day": as_of.isoformat(), "tt": int(time_travel)}  # fmt: skip
        rule = f"{KNOWN} AND {ON}"
        first = self._first(
            "SELECT e.date, e.earliest, e.latest, e.id FROM events e"  # noqa: S608 (no values)
            f" WHERE e.kind = 'relations-established' AND e.earliest <= :day AND {rule}",
            params,
        )
        levels = (
            "SELECT e.level, e.date, e.id, e.earliest, e.latest, e.id FROM events e"  # noqa: S608
            f" WHERE e.kind = 'partnership' AND e.level != '' AND {rule}"
        )
        latest = self._first(f"{levels} AND e.earliest <= :day", params, last=True)
        upcoming = self._first(f"{levels} AND e.earliest > :day", params, limit=False)
        established = parse_edtf(first[0][0]) if first else None
        years = facts.whole_years(established.earliest, as_of) if established else None
        return Standing(pair, as_of, established, years,
                        _step(latest[0][:3]) if latest else None,
                        tuple(_step(row[:3]) for row in upcoming))  # fmt: skip

    def _complete(self, visitor: str, host: str) -> bool:
        """:func:`facts.series_complete`: no visit of the series carries the tag."""
        key = (visitor, host)
        if key not in self._partial:
            self._partial[key] = bool(self._rows(
                "SELECT 1 FROM events e WHERE e.visitor = :v AND e.visitor != ''"  # noqa: S608
                f" AND e.host = :h AND {VISITS} AND EXISTS (SELECT 1 FROM event_tags t"
                " WHERE t.tag = :tag AND t.seq = e.seq) LIMIT 1",
                {"v": visitor, "h": host, "tag": facts.PARTIAL_SERIES_TAG},
            ))  # fmt: skip
        return not self._partial[key]

    def visit_facts(self, event: Event, as_of: date, time_travel: bool) -> facts.VisitFacts | None:
        visitor, host = event.visitor, event.host
        if not (event.is_visit and visitor and host) or not self._complete(visitor, host):
            return None
        if not known_on(event, as_of, time_travel) or event.status in facts.NOT_HAPPENING:
            return None  # not in its own series
        d = event.date
        params = {"v": visitor, "h": host, "day": as_of.isoformat(), "tt": int(time_travel),
                  "earliest": d.earliest.isoformat(), "latest": d.latest.isoformat(),
                  "id": event.id}  # fmt: skip
        ((before, states),) = self._rows(
            "SELECT count(*), coalesce(sum(e.kind = 'state-visit'), 0) FROM events e"  # noqa: S608
            f" WHERE {SERIES} AND {BEFORE}",
            params,
        )
        state_number = states + 1 if event.kind == "state-visit" else 0
        previous = None
        gap = None
        if before:
            found = self._rows(
                f"SELECT {rows.EVENT_COLUMNS} FROM events e WHERE {SERIES} AND {BEFORE}"  # noqa: S608
                " ORDER BY e.earliest DESC, e.latest DESC, e.id DESC LIMIT 1",
                params,
            )
            previous = rows.event_of(found[0])
            gap = facts.whole_months(previous.date.latest, d.earliest)
        return facts.VisitFacts(visitor, host, before + 1, state_number, previous, gap)
