"""Where a view's derived facts come from: a store held in memory, or the store's index.

A timeline (render/timeline.py) and one event in full (render/event.py) state a few derived
facts: which of the pairs of countries it touches are relationships, each one's standing
(relations since, partnership level, levels to come) and a visit's place in its series.
:class:`FactSource` is what they ask;
:class:`StoreFacts` answers from a :class:`~dtimeline.model.Store` in memory with the
functions of :mod:`dtimeline.facts`, and store/factsql.py answers with a few SQL queries on
the index, whose cost does not grow with the store. Both give the same answers (tests/
test_factsql.py checks them against each other on random stores).

Pure: no I/O, no clock.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, NamedTuple, Protocol

from dtimeline import facts
from dtimeline.dates import EDate

if TYPE_CHECKING:
    from dtimeline.model import Event, Store


class Standing(NamedTuple):
    """A relationship as a header states it on ``as_of``: :class:`facts.Relationship`
    with only the highest rung of its ladder (``latest``: the partnership level reached by
    then, None when none was)."""

    pair: tuple[str, str]
    as_of: date
    established: EDate | None = None
    years: int | None = None  # completed years since relations were established
    latest: facts.Step | None = None
    upcoming_levels: tuple[facts.Step, ...] = ()  # announced, dated after as_of

    @property
    def level(self) -> str:
        return self.latest.level if self.latest else ""

    @property
    def level_since(self) -> EDate | None:
        return self.latest.date if self.latest else None


def standing_of(rel: facts.Relationship) -> Standing:
    """The standing :class:`facts.Relationship` ``rel`` gives."""
    latest = rel.ladder[-1] if rel.ladder else None
    return Standing(rel.pair, rel.as_of, rel.established, rel.years, latest, rel.upcoming_levels)


class FactSource(Protocol):
    """The derived facts a view asks for (every rule is :mod:`dtimeline.facts`')."""

    def pairs_among(self, touched: Iterable[frozenset[str]]) -> list[tuple[str, str]]:
        """The relationships among ``touched`` (sets of two country slugs), in the order
        and orientation :func:`facts.pairs` gives every relationship of the store."""
        ...  # pragma: no cover

    def standing(self, pair: tuple[str, str], as_of: date, time_travel: bool) -> Standing:
        """One relationship on ``as_of`` (:func:`facts.relationship`)."""
        ...  # pragma: no cover

    def visit_facts(self, event: Event, as_of: date, time_travel: bool) -> facts.VisitFacts | None:
        """A visit's place in its series (:func:`facts.visit_facts`); ``event`` is one of
        the store's events."""
        ...  # pragma: no cover


class StoreFacts:
    """:class:`FactSource` over a whole store in memory."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def pairs_among(self, touched: Iterable[frozenset[str]]) -> list[tuple[str, str]]:
        wanted = set(touched)
        return [pair for pair in facts.pairs(self.store) if frozenset(pair) in wanted]

    def standing(self, pair: tuple[str, str], as_of: date, time_travel: bool) -> Standing:
        return standing_of(facts.relationship(self.store, pair, as_of, time_travel))

    def visit_facts(self, event: Event, as_of: date, time_travel: bool) -> facts.VisitFacts | None:
        return facts.visit_facts(self.store, event, as_of, time_travel)
