"""Pure queries: resolve names to store entities, filter and sort events.

No I/O, no clock: ``as_of`` is always given.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Literal, NamedTuple

from dtimeline.errors import InputError, NotFoundError
from dtimeline.frozen import Frozen
from dtimeline.model import STATUSES, Event, Store
from dtimeline.store.memo import NAME_KEYS_MAX, NEEDLES_MAX, memo

SubjectKind = Literal["country", "actor", "tag"]


class Subject(NamedTuple):
    kind: SubjectKind
    slug: str


def fold(text: str) -> str:
    """Case- and accent-insensitive form: ``Xi'an`` ~ ``XI'AN``, ``Türkiye`` ~ ``turkiye``."""
    folded = text.casefold()
    if folded.isascii():  # most text: nothing to decompose, no accents to drop
        return folded
    decomposed = unicodedata.normalize("NFKD", folded)
    return "".join([c for c in decomposed if not unicodedata.combining(c)])


def _country_names(store: Store) -> dict[str, set[str]]:
    names: dict[str, set[str]] = {}
    for slug, c in store.countries.items():
        for n in (slug, c.name, c.native, c.iso, c.iso3, *c.aliases):
            if n:
                names.setdefault(fold(n), set()).add(slug)
    return names


def _actor_names(store: Store) -> dict[str, set[str]]:
    names: dict[str, set[str]] = {}
    for slug, a in store.actors.items():
        for n in (slug, a.name, a.native, *a.aliases):
            if n:
                names.setdefault(fold(n), set()).add(slug)
    return names


def all_tags(store: Store) -> set[str]:
    return {t for ev in store.events for t in ev.tags}


def _pick(text: str, names: dict[str, set[str]], what: str) -> str:
    key = fold(text.strip())
    found = names.get(key, set())
    if len(found) == 1:
        return next(iter(found))
    if len(found) > 1:
        raise InputError(f"{what} {text!r} is ambiguous: it could be {', '.join(sorted(found))}")
    raise InputError(f"unknown {what} {text!r}", hint=suggest(key, names) or None)


def suggest(key: str, names: Iterable[str]) -> str:
    """``did you mean x?`` for the nearest of ``names`` (at most three, each once), or ''."""
    close = difflib.get_close_matches(fold(key), list(dict.fromkeys(names)), n=3, cutoff=0.6)
    if not close:
        return ""
    return "did you mean " + " or ".join(repr(c) for c in close) + "?"


def country_matches(store: Store, text: str) -> set[str]:
    """The slugs of the store's countries that ``text`` names (slug, name, native name,
    alias or ISO code, ignoring case and accents): none, one, or several (ambiguous)."""
    return set(_country_names(store).get(fold(text.strip()), ()))


def country_names(store: Store) -> list[str]:
    """Every folded name of the store's countries (for suggesting the nearest)."""
    return list(_country_names(store))


def resolve_country(store: Store, text: str) -> str:
    return _pick(text, _country_names(store), "country")


def resolve_actor(store: Store, text: str) -> str:
    return _pick(text, _actor_names(store), "actor")


def resolve_kind(store: Store, text: str) -> str:
    kinds = store.all_kinds()
    key = text.strip().lower()
    if key in kinds:
        return key
    raise InputError(
        f"unknown kind {text!r}", hint=suggest(key, kinds) or f"one of: {', '.join(kinds)}"
    )


def resolve_status(text: str) -> str:
    key = text.strip().lower()
    if key in STATUSES:
        return key
    raise InputError(f"unknown status {text!r}", hint=f"one of: {', '.join(STATUSES)}")


def resolve_tag(store: Store, text: str, known: Iterable[str] | None = None) -> str:
    """A tag, case- and accent-insensitively; ``known``: the store's tags, if at hand
    (else they are gathered from ``store.events``)."""
    tags = {fold(t): t for t in (all_tags(store) if known is None else known)}
    key = fold(text.strip())
    if key in tags:
        return tags[key]
    raise InputError(f"unknown tag {text!r}", hint=suggest(key, tags) or None)


def resolve_subject(store: Store, text: str, known: Iterable[str] | None = None) -> Subject:
    """A country, actor or tag by slug, name, alias or ISO code, case-insensitively.
    ``known``: the store's tags, if at hand (else gathered from ``store.events``)."""
    key = fold(text.strip())
    tags = all_tags(store) if known is None else set(known)
    if not key:
        raise InputError("empty subject")
    candidates: list[Subject] = []
    candidates += [Subject("country", s) for s in sorted(_country_names(store).get(key, ()))]
    candidates += [Subject("actor", s) for s in sorted(_actor_names(store).get(key, ()))]
    candidates += [Subject("tag", t) for t in sorted(tags) if fold(t) == key]
    if len(candidates) == 1:
        return candidates[0]
    if candidates:
        listed = ", ".join(f"{c.kind} {c.slug}" for c in candidates)
        raise InputError(f"subject {text!r} is ambiguous: it could be {listed}")
    every = [*_country_names(store), *_actor_names(store), *map(fold, tags)]
    raise NotFoundError(f"unknown subject {text!r}", hint=suggest(key, every) or None)


@dataclass(init=False, repr=False, eq=False)  # frozen: see dtimeline/frozen.py
class Filter(Frozen):
    """What to keep. Empty tuples mean 'any'; different fields must all match."""

    as_of: date  # the day the filter looks from (default: today)
    countries: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    since: date | None = None
    until: date | None = None
    search: tuple[str, ...] = ()  # any of these texts
    upcoming: bool = False
    past: bool = False
    time_travel: bool = False  # --as-of given: hide what was not yet known that day

    def __init__(  # noqa: PLR0917 (one parameter per field, as a dataclass has)
        self,
        as_of: date | None = None,  # None: today
        countries: tuple[str, ...] = (),
        actors: tuple[str, ...] = (),
        kinds: tuple[str, ...] = (),
        tags: tuple[str, ...] = (),
        statuses: tuple[str, ...] = (),
        since: date | None = None,
        until: date | None = None,
        search: tuple[str, ...] = (),
        upcoming: bool = False,
        past: bool = False,
        time_travel: bool = False,
    ) -> None:
        if since and until and since > until:
            raise InputError(f"--since {since.isoformat()} is after --until {until.isoformat()}")
        if upcoming and past:
            raise InputError("--upcoming and --past exclude each other")
        d = self.__dict__
        d["as_of"] = date.today() if as_of is None else as_of
        d["countries"], d["actors"], d["kinds"], d["tags"], d["statuses"] = (
            countries, actors, kinds, tags, statuses,
        )  # fmt: skip
        d["since"], d["until"], d["search"], d["upcoming"], d["past"] = (
            since, until, search, upcoming, past,
        )  # fmt: skip
        d["time_travel"] = time_travel


def known_on(event: Event, as_of: date, time_travel: bool) -> bool:
    """Was the event known on ``as_of``? Announced later: no. Looking back with --as-of,
    an event after that day is known only if it carries an earlier ``announced`` date."""
    if event.announced is not None:
        return event.announced.earliest <= as_of
    return not (time_travel and event.date.earliest > as_of)


def is_upcoming(event: Event, as_of: date) -> bool:
    return event.date.earliest > as_of


def effective_status(event: Event, as_of: date) -> str:
    """The status as it stood on ``as_of``: a held event still in the future was announced."""
    if event.status == "held" and is_upcoming(event, as_of):
        return "announced"
    return event.status


_PUNCTUATION = re.compile(r"[^\w\s]+")


def search_key(text: str) -> str:
    """What ``--search`` compares: folded, without punctuation (``xian`` finds ``Xi'an``,
    ``china-kazakhstan`` finds ``China–Kazakhstan``), spaces collapsed."""
    return " ".join(_PUNCTUATION.sub(" ", fold(text)).split())


def search_text(event: Event, store: Store) -> str:
    """The search key of everything ``--search`` looks in: title, summary, place, level,
    and the names, native names and aliases of the event's countries and people.

    Built part by part (a key of parts joined by newlines is their keys joined by spaces:
    NFKD only decomposes, and the rest works a character or a word at a time), so the key
    of a name, shared by thousands of events, is made once."""
    keys = [search_key(event.title), search_key(event.summary), search_key(event.place),
            search_key(event.level)]  # fmt: skip
    for slug in event.countries:
        c = store.countries.get(slug)
        keys += [_name_key(n) for n in (c.name, c.native, *c.aliases)] if c else [_name_key(slug)]
    for slug in event.actors:
        a = store.actors.get(slug)
        keys += [_name_key(n) for n in (a.name, a.native, *a.aliases)] if a else [_name_key(slug)]
    return " ".join(k for k in keys if k)


def _name_key(name: str) -> str:
    """The search key of a name, kept in the process memo (store/memo.py): a name is
    shared by thousands of events."""
    keys = memo.name_keys
    found = keys.get(name)
    if found is None:
        if len(keys) >= NAME_KEYS_MAX:
            keys.clear()
        found = keys[name] = search_key(name)
    return found


def _needles(search: str) -> tuple[str, str]:
    """What --search looks for: its key, and the key without spaces (kept in the process
    memo, store/memo.py)."""
    kept = memo.needles
    found = kept.get(search)
    if found is None:
        if len(kept) >= NEEDLES_MAX:
            kept.clear()
        key = search_key(search)
        found = kept[search] = (key, key.replace(" ", ""))
    return found


def clear_memos() -> None:
    """Forget the keys memoised in this process (store/memo.py:
    :func:`~dtimeline.store.memo.reset` forgets every memo at once)."""
    memo.name_keys.clear()
    memo.needles.clear()


def matches(event: Event, flt: Filter, store: Store) -> bool:
    if not known_on(event, flt.as_of, flt.time_travel):
        return False
    if flt.countries and not set(flt.countries) & set(event.countries):
        return False
    if flt.actors and not set(flt.actors) & set(event.actors):
        return False
    if flt.kinds and event.kind not in flt.kinds:
        return False
    if flt.tags and not set(flt.tags) & set(event.tags):
        return False
    if flt.statuses and effective_status(event, flt.as_of) not in flt.statuses:
        return False
    if not event.date.overlaps(flt.since, flt.until):
        return False
    if flt.upcoming and not is_upcoming(event, flt.as_of):
        return False
    if flt.past and is_upcoming(event, flt.as_of):
        return False
    if not flt.search:
        return True
    hay = search_text(event, store)
    flat = hay.replace(" ", "")
    for text in flt.search:
        needle, joined = _needles(text)
        if needle in hay or joined in flat:
            return True
    return False


def select(
    store: Store, flt: Filter, *, descending: bool = False, limit: int | None = None
) -> list[Event]:
    """The events that match, in date order (earliest possible day, then latest, then id)."""
    found = [ev for ev in store.events if matches(ev, flt, store)]
    found.sort(key=lambda ev: (ev.date.earliest, ev.date.latest, ev.id), reverse=descending)
    return found if limit is None else found[:limit]
