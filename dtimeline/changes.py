"""What changed between two stores: events added, removed and changed (field by field),
and declarations (countries, actors, kinds) likewise. Pure: two :class:`Store` in, a
:class:`Changes` out; ``dtimeline diff`` renders it.

Fields are compared as the store writes them (store/tomlblock.py): dates as EDTF text,
lists of names as lists, an event's sources as one list of tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dtimeline.model import Actor, Country, Event, Store

_COUNTRY_FIELDS = ("name", "native", "iso", "iso3", "aliases")
_ACTOR_FIELDS = ("name", "native", "country", "role", "aliases")


@dataclass(frozen=True)
class FieldChange:
    """One field's value before and after (None: the field is not set)."""

    name: str
    old: Any
    new: Any


@dataclass(frozen=True)
class Change:
    """One event or declaration that changed: ``what`` is ``event``, ``country``,
    ``actor`` or ``kind``; ``change`` is ``added``, ``removed`` or ``changed``; ``title``:
    an event's title (or a declaration's name), for people; ``fields``: for ``changed``."""

    what: str
    key: str
    change: str
    title: str = ""
    fields: tuple[FieldChange, ...] = ()

    def as_json(self) -> dict[str, Any]:
        record: dict[str, Any] = {"what": self.what, "id": self.key, "change": self.change}
        if self.title:
            record["title"] = self.title
        if self.fields:
            record["fields"] = {f.name: {"old": f.old, "new": f.new} for f in self.fields}
        return record


@dataclass(frozen=True)
class Changes:
    """Every change, declarations first, then events in the new store's order (removed
    ones in the old store's order, after them)."""

    items: tuple[Change, ...] = field(default_factory=tuple)

    @property
    def same(self) -> bool:
        return not self.items


def event_fields(ev: Event) -> dict[str, Any]:
    """An event's fields as the store writes them (empty optional fields left out)."""
    from dtimeline.store.tomlblock import expected_doc

    table: dict[str, Any] = expected_doc(ev)["events"][0]
    return table


def _fields_of(entity: Country | Actor, names: tuple[str, ...]) -> dict[str, Any]:
    values = {name: getattr(entity, name) for name in names}
    return {k: list(v) if isinstance(v, tuple) else v for k, v in values.items() if v}


def field_changes(old: dict[str, Any], new: dict[str, Any]) -> tuple[FieldChange, ...]:
    """The fields whose value differs, in the order of ``old`` then ``new``'s new keys."""
    return tuple(
        FieldChange(key, old.get(key), new.get(key))
        for key in dict.fromkeys([*old, *new])
        if old.get(key) != new.get(key)
    )


def compare(old: Store, new: Store) -> Changes:
    """The changes that turn ``old`` into ``new``."""
    items: list[Change] = []
    pairs: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
        ("country", _table(old.countries, _COUNTRY_FIELDS), _table(new.countries, _COUNTRY_FIELDS)),
        ("actor", _table(old.actors, _ACTOR_FIELDS), _table(new.actors, _ACTOR_FIELDS)),
        ("kind", {k: {"description": v} for k, v in old.kinds.items()},
         {k: {"description": v} for k, v in new.kinds.items()}),
    ]  # fmt: skip
    for what, before, after in pairs:
        items += _keyed(what, before, after)
    old_events = {ev.id: ev for ev in old.events}
    new_ids = set()
    for ev in new.events:
        new_ids.add(ev.id)
        was = old_events.get(ev.id)
        if was is None:
            items.append(Change("event", ev.id, "added", ev.title))
        elif was != ev:
            changed = field_changes(event_fields(was), event_fields(ev))
            if changed:
                items.append(Change("event", ev.id, "changed", ev.title, changed))
    items += [
        Change("event", ev.id, "removed", ev.title) for ev in old.events if ev.id not in new_ids
    ]
    return Changes(tuple(items))


def _table(entities: Any, names: tuple[str, ...]) -> dict[str, dict[str, Any]]:
    return {slug: _fields_of(entity, names) for slug, entity in entities.items()}


def _keyed(
    what: str, old: dict[str, dict[str, Any]], new: dict[str, dict[str, Any]]
) -> list[Change]:
    found = []
    for key in dict.fromkeys([*new, *old]):
        before, after = old.get(key), new.get(key)
        name = str((after or before or {}).get("name", ""))
        if before is None:
            found.append(Change(what, key, "added", name))
        elif after is None:
            found.append(Change(what, key, "removed", name))
        elif before != after:
            found.append(Change(what, key, "changed", name, field_changes(before, after)))
    return found
