"""The one set of event rules: what makes an event valid, whoever made it.

``check`` (store/schema.py) applies them to every table of the store, reporting each
violation at its line; ``add``, ``edit`` and ``import`` (interchange.py) apply them to the
event they are about to write and refuse the first violation. So an event that ``check``
accepts is one ``edit`` can rewrite, and an imported event is one ``check`` accepts.

What is left out here is shape: that a field is a string or a list of strings, and which
keys a table may have. The store's loader and the import readers check that for their own
input (a TOML table, a JSON object, a CSV row) before an :class:`Event` can be built.

Sources of the rules: the store format in README/docs (EDTF dates, the kinds vocabulary,
``host`` of a visit), ISO 3166 for country codes. Pure: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from functools import lru_cache
from typing import NamedTuple

from dtimeline.dates import EDate, parse_edtf
from dtimeline.errors import DateError, InputError
from dtimeline.model import STATUSES, VISIT_KINDS, Event

#: An event id, a slug of a country, actor or kind: ASCII letters and digits, then also
#: '.', '_' and '-'; at most 200 characters.
ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,199}")
SLUG_RE = ID_RE
ID_HELP = "letters, digits, '.', '_', '-'; starts with a letter or digit; at most 200"

#: Characters; a longer "title" is a paste gone wrong, not a headline.
TITLE_MAX = 500


class Violation(NamedTuple):
    """One broken rule. ``key``: the event's field it is about (None: the event as a whole);
    ``source``: 1-based number of the source it is about (0: none), ``key`` then naming the
    source's field."""

    key: str | None
    message: str
    source: int = 0


def text_problem(value: str, what: str) -> str | None:
    """Why ``value`` cannot be stored, or None: a NUL character, or text that is not valid
    Unicode (a lone surrogate, as JSON's ``\\ud800`` gives). Everything else is kept."""
    if value.isprintable():  # fast path: both problems are unprintable characters
        return None
    if "\x00" in value:
        return f"{what} contains a NUL character"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return f"{what} is not valid UTF-8 text"
    return None


def check_text(value: str, what: str) -> str:
    """``value`` unchanged, or :class:`InputError` (see :func:`text_problem`)."""
    problem = text_problem(value, what)
    if problem is not None:
        raise InputError(problem)
    return value


def id_problem(event_id: str) -> str | None:
    if ID_RE.fullmatch(event_id):
        return None
    return f"bad id {event_id!r} ({ID_HELP})"


def title_problem(title: str) -> str | None:
    if not title.strip():
        return "the title is empty"
    if len(title) > TITLE_MAX:
        return (
            f"the title is too long ({len(title):,} characters; at most {TITLE_MAX}):"
            " put the detail in the summary"
        )
    return text_problem(title, "the title")


@lru_cache(maxsize=1 << 12)
def _source_date_problem(text: str) -> str | None:
    try:
        parse_edtf(text)
    except DateError as exc:
        return f"bad date {text!r}: {exc}"
    return None


def _announced_after(announced: EDate | None, when: EDate) -> bool:
    return announced is not None and announced.earliest > when.latest


def event_violations(
    ev: Event,
    kinds: Collection[str],
    countries: Collection[str],
    actors: Collection[str],
) -> Iterator[Violation]:
    """Every rule ``ev`` breaks, in field order. ``kinds``, ``countries`` and ``actors``:
    the slugs the store declares (kinds: the built-in vocabulary and the store's own).
    An empty ``ev.id`` is allowed (an import record that gets its id made)."""
    if ev.id:
        problem = id_problem(ev.id)
        if problem:
            yield Violation("id", problem)
    if ev.kind not in kinds:
        yield Violation(
            "kind",
            f"unknown kind {ev.kind!r} (one of: {', '.join(kinds)}; or declare it under [kinds])",
        )
    problem = title_problem(ev.title)
    if problem:
        yield Violation("title", problem)
    if not ev.countries:
        yield Violation("countries", "names no country")
    seen: set[str] = set()
    for c in ev.countries:
        if c not in countries:
            yield Violation("countries", f"unknown country {c!r}")
        elif c in seen:
            yield Violation("countries", f"the country {c!r} is named twice")
        seen.add(c)
    for a in ev.actors:
        if a not in actors:
            yield Violation("actors", f"unknown actor {a!r}")
    if ev.host:
        if ev.host not in countries:
            yield Violation("host", f"unknown host country {ev.host!r}")
        elif ev.host not in ev.countries:
            yield Violation("host", f"the host {ev.host!r} is not among the event's countries")
    elif ev.kind in VISIT_KINDS:
        yield Violation("kind", f'a {ev.kind} needs a host country (host = "...")')
    if ev.status not in STATUSES:
        yield Violation("status", f"unknown status {ev.status!r} (one of: {', '.join(STATUSES)})")
    if _announced_after(ev.announced, ev.date):
        assert ev.announced is not None
        yield Violation(
            "announced",
            f"announced {ev.announced.edtf()} is after the event's date {ev.date.edtf()}",
        )
    for key in ("place", "level", "summary"):
        problem = text_problem(getattr(ev, key), key)
        if problem:
            yield Violation(key, problem)
    for tag in ev.tags:
        problem = text_problem(tag, "a tag")
        if problem:
            yield Violation("tags", problem)
    for n, src in enumerate(ev.sources, 1):
        if not src.publisher.strip():
            yield Violation("publisher", f"source {n} has no publisher", n)
        for key in ("publisher", "title", "url", "date", "note"):
            problem = text_problem(getattr(src, key), f"source {n}: {key}")
            if problem:
                yield Violation(key, problem, n)
        if src.date:
            problem = _source_date_problem(src.date)
            if problem:
                yield Violation("date", f"source {n}: {problem}", n)


def require_valid(
    ev: Event,
    kinds: Collection[str],
    countries: Collection[str],
    actors: Collection[str],
) -> Event:
    """``ev`` unchanged, or :class:`InputError` naming the first rule it breaks."""
    for violation in event_violations(ev, kinds, countries, actors):
        raise InputError(violation.message)
    return ev
