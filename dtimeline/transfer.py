"""Moving events between stores with what they need: the countries, actors and kinds.

``export --format toml`` writes a complete store (:func:`store_document`); ``import`` of a
TOML store or of a JSON document with ``countries`` / ``actors`` / ``kinds`` (the store's
own shape) declares in the target what it lacks (:func:`document_declarations`, then
:func:`missing_from`). A declaration that contradicts the target's (the same slug with
another name or ISO code, an actor of another country, or the same ISO code under another
slug) is a conflict: nothing is written.

Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from dtimeline.errors import ConflictError, InputError
from dtimeline.model import KINDS, SCHEMA_VERSION, Actor, Country, Event, Store
from dtimeline.parsewords import json_problem
from dtimeline.store.declare import Declarations

#: The fields that say *which* country or person a declaration is; the others (native
#: name, aliases, role) may differ between stores without contradicting each other.
_COUNTRY_IDENTITY = ("name", "iso", "iso3")
_ACTOR_IDENTITY = ("name", "country")


def _raw(value: Any, key: str, name: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InputError(f"{name}: {key!r} must be a table of {key} by slug")
    return value


def document_declarations(text: str, fmt: str, name: str) -> dict[str, dict[str, Any]]:
    """The raw ``countries``, ``actors`` and ``kinds`` tables of an input document (TOML,
    or a JSON object), empty for other formats. Not yet checked: see :func:`missing_from`."""
    if fmt == "toml":
        import tomli

        try:
            doc = tomli.loads(text)
        except tomli.TOMLDecodeError as exc:
            raise InputError(f"{name}: not TOML: {exc}") from None
    elif fmt == "json" and text.lstrip().startswith("{"):
        import json

        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"{name}:{exc.lineno}: not JSON: {json_problem(exc)}") from None
    else:
        return {"countries": {}, "actors": {}, "kinds": {}}
    if not isinstance(doc, dict):
        raise InputError(f"{name}: expected a document of events")
    if fmt == "json" and "events" not in doc:  # one event (as jq '.[0]' prints it)
        return {"countries": {}, "actors": {}, "kinds": {}}
    return {key: _raw(doc.get(key), key, name) for key in ("countries", "actors", "kinds")}


def _checked(raw: dict[str, dict[str, Any]], store: Store, name: str) -> Store:
    """The declarations of ``raw`` as a store, validated as ``check`` validates a store
    (an actor's country may be the target's)."""
    from dtimeline.store.schema import validate

    placeholders = {slug: {"name": c.name} for slug, c in store.countries.items()}
    doc = {
        "schema": SCHEMA_VERSION,
        "countries": {**placeholders, **raw["countries"]},
        "actors": raw["actors"],
        "kinds": raw["kinds"],
    }
    checked, problems = validate(doc, "", Path(name))
    if problems:
        raise InputError(f"{name}: {problems[0].message}")
    return checked


def _contradiction(
    old: Country | Actor, new: Country | Actor, fields: tuple[str, ...]
) -> str | None:
    for key in fields:
        mine, theirs = getattr(old, key), getattr(new, key)
        if mine and theirs and mine != theirs:
            return f"{key} {theirs!r} where the store has {mine!r}"
    return None


def missing_from(raw: dict[str, dict[str, Any]], store: Store, name: str) -> Declarations:
    """What the document declares and ``store`` lacks. Raises InputError for a bad
    declaration, ConflictError (exit 5) for one that contradicts the store's."""
    checked = _checked(raw, store, name)
    countries: dict[str, Country] = {}
    for slug in raw["countries"]:
        new = checked.countries[slug]
        old = store.countries.get(slug)
        if old is not None:
            clash = _contradiction(old, new, _COUNTRY_IDENTITY)
            if clash:
                raise ConflictError(f"{name}: country {slug!r} has {clash}")
            continue
        for other in store.countries.values():
            for code in ("iso", "iso3"):
                if getattr(new, code) and getattr(new, code) == getattr(other, code):
                    raise ConflictError(
                        f"{name}: country {slug!r} has ISO code {getattr(new, code)}, which the"
                        f" store gives to {other.slug!r}",
                        hint="rename one of them so the slugs agree",
                    )
        countries[slug] = new
    actors: dict[str, Actor] = {}
    for slug in raw["actors"]:
        new_actor = checked.actors[slug]
        old_actor = store.actors.get(slug)
        if old_actor is not None:
            clash = _contradiction(old_actor, new_actor, _ACTOR_IDENTITY)
            if clash:
                raise ConflictError(f"{name}: actor {slug!r} has {clash}")
            continue
        actors[slug] = new_actor
    have = store.all_kinds()
    kinds = {k: v for k, v in checked.kinds.items() if k not in have}
    return Declarations(countries, actors, kinds)


def store_document(events: Iterable[Event], store: Store) -> str:
    """A complete store (TOML text) holding ``events`` and the countries, actors and kinds
    they use, declared as in ``store``; ``check`` accepts it as it accepts ``store``."""
    from dtimeline.store.declare import actor_table, country_table
    from dtimeline.store.tomlblock import events_text, toml_string

    chosen = list(events)
    actor_slugs = dict.fromkeys(a for ev in chosen for a in ev.actors)
    actors = [store.actors[a] for a in actor_slugs if a in store.actors]
    used = dict.fromkeys(
        [c for ev in chosen for c in (*ev.countries, ev.host) if c]
        + [a.country for a in actors if a.country]
    )
    countries = [store.countries[c] for c in used if c in store.countries]
    kinds = {k: store.kinds[k] for k in dict.fromkeys(ev.kind for ev in chosen)
             if k in store.kinds and k not in KINDS}  # fmt: skip
    parts = [
        "# A dtimeline event store (exported): the events and what they name.\n",
        f"schema = {SCHEMA_VERSION}\n",
    ]
    parts += ["\n" + country_table(c) for c in countries]
    parts += ["\n" + actor_table(a) for a in actors]
    if kinds:
        lines = "".join(f"{toml_string(k)} = {toml_string(v)}\n" for k, v in kinds.items())
        parts.append("\n[kinds]\n" + lines)
    parts.append(events_text(chosen))
    return "".join(parts)
