"""What a write changes in the index: the event rows to delete and to insert.

Events keep their place (``seq``) when they stay; an edited event is deleted and inserted
again under its own ``seq``; appended events take the numbers after the last. A change of
the head (countries, actors, kinds: they feed every event's search key) or of the order of
events is no plan at all: the caller rebuilds the index from the new store. Declarations
only added at the end of the head (a write naming a new country) are a plan: the new head
is written and no existing event's key changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from dtimeline.model import Event, Store

if TYPE_CHECKING:
    from dtimeline.store.index import Index


class Plan(NamedTuple):
    deleted: list[tuple[int, Event]]  # (seq, the event as the index holds it)
    inserted: list[tuple[int, Event]]
    head: Store | None = None  # the new head, when declarations were added


def _next_seq(index: Index) -> int:
    row = index.conn.execute("SELECT coalesce(max(seq), -1) FROM events").fetchone()
    return int(row[0]) + 1


def appended(index: Index, events: Sequence[Event]) -> Plan:
    """``events`` added at the end of the store."""
    start = _next_seq(index)
    return Plan([], list(enumerate(events, start)))


def _same_head(a: Store, b: Store) -> bool:
    return (a.schema, a.countries, a.actors, a.kinds) == (b.schema, b.countries, b.actors, b.kinds)


def _grown_head(a: Store, b: Store) -> bool:
    """Whether ``b``'s head is ``a``'s with declarations added at the end and none changed
    (what a write naming a new country or person does): no event of ``a`` can name what
    was added, so no stored search key changes."""
    return (
        a.schema == b.schema
        and a.kinds == b.kinds
        and list(b.countries)[: len(a.countries)] == list(a.countries)
        and list(b.actors)[: len(a.actors)] == list(a.actors)
        and all(b.countries[k] == v for k, v in a.countries.items())
        and all(b.actors[k] == v for k, v in a.actors.items())
    )


def changes(index: Index, old: Store | None, new: Store) -> Plan | None:
    """The plan that turns the index of ``old`` into one of ``new``; None when there is none
    short of a rebuild (no ``old``, another head, events reordered)."""
    if old is None:
        return None
    head = None
    if not _same_head(old, new):
        if not _grown_head(old, new):
            return None
        head = Store(new.schema, new.countries, new.actors, new.kinds, ())
    seqs = [seq for (seq,) in index.conn.execute("SELECT seq FROM events ORDER BY seq")]
    if len(seqs) != len(old.events):
        return None
    where = {ev.id: i for i, ev in enumerate(old.events)}
    deleted: list[tuple[int, Event]] = []
    inserted: list[tuple[int, Event]] = []
    added: list[Event] = []
    seen = [False] * len(old.events)
    last = -1
    for ev in new.events:
        i = where.get(ev.id)
        if i is None:
            added.append(ev)
            continue
        if i <= last or added:
            return None  # reordered, or a new event before an old one
        last = i
        seen[i] = True
        before = old.events[i]
        if before != ev:
            deleted.append((seqs[i], before))
            inserted.append((seqs[i], ev))
    deleted += [(seqs[i], old.events[i]) for i, kept in enumerate(seen) if not kept]
    start = (seqs[-1] + 1) if seqs else 0
    inserted += list(enumerate(added, start))
    return Plan(deleted, inserted, head)
