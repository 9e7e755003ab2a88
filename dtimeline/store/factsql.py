"""Derived facts asked of the index: :class:`~dtimeline.factsource.FactSource` in SQL.

Each answer is one or two queries that walk a short range of an index and stop, so the cost
of a timeline's header and of a visit's ordinal does not grow with the store:

- the relationships: the distinct values of ``events.pair``, one index seek each
  (store/select.py: :func:`distinct`), ranked as :func:`dtimeline.facts.pairs` ranks them;
- a relationship's standing: its first ``relations-established`` event that happened, its
  latest partnership level reached and its levels to come, each ``ORDER BY`` the date
  columns with ``LIMIT 1`` (or the few events after the day), driven by the index on
  ``(kind, earliest)``;
- a visit's ordinals: counts over the visitor's visits to the host (the index on
  ``(visitor, host)``), and the one just before it.

The rules are :mod:`dtimeline.facts`' (which events are known on a day, which happened, the
order of events: earliest day, latest day, id), said in SQL; tests/test_factsql.py checks
every answer against the facts computed in memory, on random stores.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from dtimeline import facts
from dtimeline.dates import parse_edtf
from dtimeline.factsource import Standing
from dtimeline.model import VISIT_KINDS
from dtimeline.query import known_on
from dtimeline.store import rows
from dtimeline.store.select import distinct

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

    def pairs(self) -> list[tuple[str, str]]:
        found = distinct(self.index.conn, "events", "pair", "pair != ''")
        return facts.rank_pairs((frozenset(p.split(" ")) for p in found), self.index.head.countries)

    def standing(self, pair: tuple[str, str], as_of: date, time_travel: bool) -> Standing:
        day = as_of.isoformat()
        params = {"a": pair[0], "b": pair[1], "day": day, "tt": int(time_travel)}
        up = "ORDER BY e.earliest, e.latest, e.id"
        down = "ORDER BY e.earliest DESC, e.latest DESC, e.id DESC"
        picked = f"{KNOWN} AND {ON} AND {BOTH}"
        first = self._rows(
            "SELECT e.date FROM events e WHERE e.kind = 'relations-established'"  # noqa: S608
            f" AND e.earliest <= :day AND {picked} {up} LIMIT 1",
            params,
        )
        levels = f"SELECT e.level, e.date, e.id FROM events e WHERE e.kind = 'partnership' AND e.level != '' AND {picked}"  # noqa: S608,E501
        latest = self._rows(f"{levels} AND e.earliest <= :day {down} LIMIT 1", params)
        upcoming = self._rows(f"{levels} AND e.earliest > :day {up}", params)
        established = parse_edtf(first[0][0]) if first else None
        years = facts.whole_years(established.earliest, as_of) if established else None
        return Standing(pair, as_of, established, years,
                        _step(latest[0]) if latest else None,
                        tuple(map(_step, upcoming)))  # fmt: skip

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
