"""Records in, events out: the interchange form shared by ``query --format json`` and
``import``, plus the helpers ``add`` and ``edit`` use to build an event.

A record is a mapping with the field names of :func:`dtimeline.serialize.event_to_dict`.
``start``, ``end`` and ``precision`` are derived from ``date``: accepted and ignored.
Everything else is checked against the store exactly as ``check`` would, and a problem is
reported with where it is (``FILE:LINE`` or ``FILE: record N``).

Readers: JSON Lines, a JSON array, CSV with a header row, or a store-shaped TOML file.
CSV cells: ``countries``, ``actors`` and ``tags`` hold values separated by ``;`` or ``,``;
``sources`` holds either JSON (an array of source objects, as ``query --format json``
prints) or ``;``-separated entries each read like ``add --source`` (a URL, else a
publisher's name).

Pure: no I/O, no clock (``today`` is passed in).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from dtimeline import rules
from dtimeline.datereader import read_date
from dtimeline.dates import EDate
from dtimeline.errors import DtimelineError, InputError
from dtimeline.model import STATUSES, Country, Event, Source, Store
from dtimeline.parsewords import json_problem

FORMATS = ("jsonl", "json", "csv", "toml")
DERIVED = ("start", "end", "precision")
TEXT_FIELDS = ("id", "date", "kind", "title", "host", "place", "status", "announced", "level",
               "summary")  # fmt: skip
LIST_FIELDS = ("countries", "actors", "tags")
SOURCE_FIELDS = ("publisher", "title", "url", "date", "note")
ALL_FIELDS = (*TEXT_FIELDS, *LIST_FIELDS, "sources", *DERIVED)
SLUG_MAX = 50
_SPELL_OUT = str.maketrans({"ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ø": "o",
                            "Ø": "O", "đ": "d", "Đ": "D", "ł": "l", "Ł": "L", "þ": "th",
                            "ı": "i"})  # fmt: skip
_URL = r"(?i)https?://([^/?#\s]+)"


# --- text checks and small builders -----------------------------------------------------


def clean_text(value: str, what: str) -> str:
    """Text is kept exactly, except what no store can hold: NUL and invalid UTF-8."""
    return rules.check_text(value, what)


def check_title(title: str) -> str:
    problem = rules.title_problem(title)
    if problem:
        raise InputError(problem)
    return title


def slugify(text: str, limit: int = SLUG_MAX) -> str:
    """ASCII, lower case, words joined by '-', cut at a word boundary within ``limit``."""
    folded = unicodedata.normalize("NFKD", text.translate(_SPELL_OUT))
    ascii_text = folded.encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > limit:
            break
        slug = candidate
    return slug or (words[0][:limit] if words else "event")


def date_prefix(when: EDate) -> str:
    """The start of a date at its own precision, without qualifiers: 2023, 2023-05, 2023-05-17."""
    return when.start.edtf().rstrip("~?%")


def make_id(when: EDate, title: str, taken: Iterable[str] | Container[str]) -> str:
    """``<date>-<slug of title>``, made unique with ``-2``, ``-3``... against ``taken`` (a
    container is asked one id at a time, e.g. the index's ids; else it is made a set)."""
    used = taken if isinstance(taken, Container) else set(taken)
    base = f"{date_prefix(when)}-{slugify(title)}"
    candidate, n = base, 1
    while candidate in used:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def check_id(event_id: str) -> str:
    problem = rules.id_problem(event_id)
    if problem:
        raise InputError(problem)
    return event_id


def source_from_text(text: str) -> Source:
    """``--source``: an http(s) URL becomes {publisher: its domain, url}; other text is the
    publisher's name."""
    text = clean_text(text, "a source").strip()
    if not text:
        raise InputError("empty source")
    found = re.match(_URL, text)
    if found and " " not in text:
        host = found.group(1).rsplit("@", 1)[-1].split(":", 1)[0].lower()
        host = host.removeprefix("www.")
        return Source(publisher=host or text, url=text)
    return Source(publisher=text)


def default_status(when: EDate, today: date) -> str:
    return "announced" if when.earliest > today else "held"


def _wrap(call: Any, *args: Any) -> str:
    """Resolve a name; an unknown one is bad input (exit 2), with its suggestion."""
    try:
        return str(call(*args))
    except DtimelineError as exc:
        raise InputError(exc.message, hint=exc.hint) from None


#: The hints of an unknown name: how to declare one the registry does not know.
COUNTRY_HINT = "to declare it: dtimeline countries add SLUG --name NAME"
ACTOR_HINT = "to declare a person: dtimeline actors add NAME --country COUNTRY"


class Resolver:
    """Resolve countries/actors/kinds against a store; exact slugs take a fast path.

    With ``registry=True`` a country the store does not declare is looked up in the
    ISO 3166 registry (:mod:`dtimeline.registry`, loaded only then); one found there is
    collected in :attr:`declared` (slug -> Country) for the write to declare, unless the
    store declares it already under its ISO code."""

    def __init__(self, store: Store, *, registry: bool = False) -> None:
        self.store = store
        self.kinds = store.all_kinds()
        self.registry = registry
        self.declared: dict[str, Country] = {}

    def country(self, text: str) -> str:
        from dtimeline.query import country_matches, resolve_country

        if text in self.store.countries or text in self.declared:
            return text
        found = country_matches(self.store, text)
        if found or not self.registry:
            return _wrap(resolve_country, self.store, text)
        return self._from_registry(text)

    @property
    def known(self) -> Store:
        """The store with the countries this resolver is about to declare (what a new
        event is checked against)."""
        if not self.declared:
            return self.store
        from dataclasses import replace

        return replace(self.store, countries={**self.store.countries, **self.declared})

    def _from_registry(self, text: str) -> str:
        from dtimeline import registry
        from dtimeline.errors import ConflictError
        from dtimeline.query import country_names, fold, suggest

        entry = registry.lookup(text)
        if entry is None:
            near = suggest(fold(text.strip()), [*country_names(self.store), *registry.all_names()])
            raise InputError(
                f"unknown country {text!r}", hint="; ".join(filter(None, [near, COUNTRY_HINT]))
            )
        for c in (*self.store.countries.values(), *self.declared.values()):
            if (entry.iso and c.iso == entry.iso) or (entry.iso3 and c.iso3 == entry.iso3):
                return c.slug
        slug = slugify(entry.name)
        if slug in self.store.countries:
            raise ConflictError(
                f"cannot declare {entry.name} ({entry.iso3 or entry.iso}): the slug {slug!r} is"
                f" already used by another country",
                hint=f"declare it under another slug: dtimeline countries add SLUG --name"
                f" {entry.name!r} --iso3 {entry.iso3}",
            )
        self.declared[slug] = Country(slug, entry.name, "", entry.iso, entry.iso3)
        return slug

    def actor(self, text: str) -> str:
        from dtimeline.query import resolve_actor

        if text in self.store.actors:
            return text
        try:
            return _wrap(resolve_actor, self.store, text)
        except InputError as exc:
            if exc.message.startswith("unknown"):
                raise InputError(
                    exc.message, hint="; ".join(filter(None, [exc.hint, ACTOR_HINT]))
                ) from None
            raise

    def kind(self, text: str) -> str:
        from dtimeline.query import resolve_kind

        return text if text in self.kinds else _wrap(resolve_kind, self.store, text)

    def status(self, text: str) -> str:
        from dtimeline.query import resolve_status

        return text if text in STATUSES else _wrap(resolve_status, text)


def finish_event(ev: Event, store: Store) -> Event:
    """``ev``, if it keeps every event rule (:mod:`dtimeline.rules`, the rules ``check``
    applies) against ``store``'s declarations; else :class:`InputError` naming the first
    rule it breaks."""
    return rules.require_valid(ev, store.all_kinds(), store.countries, store.actors)


# --- records -> events ------------------------------------------------------------------


@dataclass(frozen=True)
class Record:
    """One input record of `import`, and where it came from."""

    where: str  # "FILE:LINE" or "FILE: record N"
    data: Mapping[str, Any]


def _text(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InputError(f"{key!r} must be a string, not {type(value).__name__}")
    return clean_text(value, f"{key!r}")


def _list(data: Mapping[str, Any], key: str) -> list[str]:
    value = data.get(key, [])
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError(f"{key!r} must be a list of strings")
    return [clean_text(v, f"{key!r}") for v in value]


def _sources(value: Any, today: date) -> tuple[Source, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise InputError("'sources' must be a list of objects")
    result = []
    for n, src in enumerate(value, 1):
        if not isinstance(src, Mapping):
            raise InputError(f"source {n} must be an object with a publisher")
        unknown = [k for k in src if k not in SOURCE_FIELDS]
        if unknown:
            raise InputError(f"source {n}: unknown field {unknown[0]!r}")
        fields = {k: _text(src, k) for k in SOURCE_FIELDS}
        if not fields["publisher"].strip():
            raise InputError(f"source {n} has no publisher")
        if fields["date"]:
            fields["date"] = read_date(fields["date"], today).date.edtf()
        result.append(Source(**fields))
    return tuple(result)


def record_to_event(data: Mapping[str, Any], res: Resolver, today: date) -> Event:
    """Build and check one event (its id may be '' when the record gives none)."""
    unknown = [k for k in data if k not in ALL_FIELDS]
    if unknown:
        raise InputError(f"unknown field {unknown[0]!r}")
    when_text = _text(data, "date")
    if not when_text.strip():
        raise InputError("no date")
    when = read_date(when_text, today).date
    kind_text = _text(data, "kind") or "other"  # as `add` without --kind
    title = _text(data, "title")
    if not title.strip():
        raise InputError("no title")
    event_id = _text(data, "id")
    if event_id:
        check_id(event_id)
    announced = _text(data, "announced")
    status = _text(data, "status")
    host = _text(data, "host")
    ev = Event(
        id=event_id,
        date=when,
        kind=res.kind(kind_text),
        title=title,
        countries=tuple(res.country(c) for c in _list(data, "countries")),
        actors=tuple(res.actor(a) for a in _list(data, "actors")),
        host=res.country(host) if host else "",
        place=_text(data, "place"),
        status=res.status(status) if status else default_status(when, today),
        announced=read_date(announced, today).date if announced.strip() else None,
        level=_text(data, "level"),
        tags=tuple(_list(data, "tags")),
        summary=_text(data, "summary"),
        sources=_sources(data.get("sources"), today),
    )
    return finish_event(ev, res.known)


@dataclass(frozen=True)
class ImportPlan:
    """What an import will add, and how many records it skips as already present."""

    new: list[Event]
    skipped: int


def duplicate_key(ev: Event) -> tuple[str, str, frozenset[str], str]:
    """What makes two events the same record: date (as written), kind, set of countries
    (as ``add``'s duplicate warning groups them) and title (ignoring case and accents)."""
    from dtimeline.query import fold

    return ev.date.edtf(), ev.kind, frozenset(ev.countries), fold(" ".join(ev.title.split()))


def plan_import(
    records: list[Record],
    store: Store,
    today: date,
    *,
    resolver: Resolver | None = None,
    allow_duplicates: bool = False,
) -> ImportPlan:
    """All or nothing: every record is checked; the first problem raises, naming it.

    A record with an id that is stored already with the same content is skipped; with
    other content it is a conflict. A record without an id that matches a stored (or an
    earlier) event by :func:`duplicate_key` is skipped too, unless ``allow_duplicates``.
    ``resolver``: the Resolver to use (default: one over ``store``)."""
    from dataclasses import replace

    from dtimeline.errors import ConflictError

    res = Resolver(store) if resolver is None else resolver
    existing = {ev.id: ev for ev in store.events}
    built: list[tuple[Record, Event]] = []
    for rec in records:
        try:
            built.append((rec, record_to_event(rec.data, res, today)))
        except DtimelineError as exc:
            raise type(exc)(f"{rec.where}: {exc}") from None
    explicit = {ev.id for _, ev in built if ev.id}
    taken = set(existing) | explicit
    same = set() if allow_duplicates else {duplicate_key(ev) for ev in store.events}
    new: list[Event] = []
    seen: dict[str, Event] = {}
    skipped = 0
    for rec, ev in built:
        if not ev.id:
            key = duplicate_key(ev)
            if key in same:
                skipped += 1
                continue
            if not allow_duplicates:
                same.add(key)
            ev = replace(ev, id=make_id(ev.date, ev.title, taken))  # noqa: PLW2901
            taken.add(ev.id)
        before = existing.get(ev.id) or seen.get(ev.id)
        if before is not None:
            if before == ev:
                skipped += 1
                continue
            raise ConflictError(f"{rec.where}: id {ev.id!r} exists already with different content")
        seen[ev.id] = ev
        new.append(ev)
    return ImportPlan(new, skipped)


# --- readers ----------------------------------------------------------------------------


def detect_format(name: str, text: str) -> str:
    """By the file's extension, else by its first characters."""
    lowered = name.lower()
    for ext, fmt in ((".jsonl", "jsonl"), (".ndjson", "jsonl"), (".json", "json"),
                     (".csv", "csv"), (".toml", "toml")):  # fmt: skip
        if lowered.endswith(ext):
            return fmt
    head = text.lstrip()
    if head.startswith("{"):
        # one object over several lines (jq's way): json; one a line (or just one): jsonl
        return "json" if "\n" in text.strip() and _one_json_object(text) else "jsonl"
    if re.match(r"\[\s*(\{|\]|$)", head):
        return "json"
    if head.startswith("[") or re.match(r"[A-Za-z0-9_\"'-]+\s*=", head) or head.startswith("#"):
        return "toml"
    first = head.split("\n", 1)[0]
    if "," in first or ";" in first:
        return "csv"
    raise InputError(f"{name}: cannot tell the format; give --format jsonl|json|csv|toml")


def _one_json_object(text: str) -> bool:
    """Whether ``text`` is one JSON object (one event, as ``jq '.[0]'`` prints it, or
    ``{"events": [...]}``), on one line or several; else it is read as JSON Lines."""
    import json

    try:
        return isinstance(json.loads(text), dict)
    except json.JSONDecodeError:
        return False


def read_records(text: str, fmt: str, name: str) -> list[Record]:
    if fmt == "jsonl":
        return _read_jsonl(text, name)
    if fmt == "json":
        return _read_json(text, name)
    if fmt == "csv":
        return _read_csv(text, name)
    if fmt == "toml":
        return _read_toml(text, name)
    raise InputError(f"unknown format {fmt!r} (one of: {', '.join(FORMATS)})")


def _object(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise InputError(f"{where}: expected an object (an event), not {type(value).__name__}")
    return value


def _read_jsonl(text: str, name: str) -> list[Record]:
    return list(jsonl_records(text.split("\n"), name))


def jsonl_records(lines: Iterable[str], name: str) -> Iterator[Record]:
    """The records of JSON Lines ``lines`` (without their line ends): an object a line, or
    ``{"events": [...]}`` on one line; blank lines skipped. Each is named ``NAME:LINE``
    (``NAME:LINE: record N`` inside a wrapper). Raises InputError at the first line that
    is not JSON or holds no object."""
    import json  # here: `add` and `edit` read no JSON

    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{name}:{number}"
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(
                f"{where}: not JSON: {json_problem(exc)} (column {exc.colno})"
            ) from None
        if _is_wrapper(value):
            for n, v in enumerate(value["events"], 1):
                yield Record(f"{where}: record {n}", _object(v, f"{where}: record {n}"))
            continue
        yield Record(where, _object(value, where))


def _is_wrapper(value: Any) -> bool:
    """``{"events": [...]}``: a list of events wrapped in an object."""
    return (
        isinstance(value, dict) and set(value) == {"events"} and isinstance(value["events"], list)
    )


def _read_json(text: str, name: str) -> list[Record]:
    import json

    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{name}:{exc.lineno}: not JSON: {json_problem(exc)}") from None
    if isinstance(value, dict) and isinstance(value.get("events"), list):
        value = value["events"]
    elif isinstance(value, dict):
        value = [value]  # one event
    if not isinstance(value, list):
        raise InputError(f"{name}: expected a JSON array of events (or one event)")
    return [
        Record(f"{name}: record {n}", _object(v, f"{name}: record {n}"))
        for n, v in enumerate(value, 1)
    ]


def split_cell(cell: str, separators: str = ";,") -> list[str]:
    """A CSV list cell: values separated by ';' or ',' (as ``query --format csv`` writes
    them), surrounding spaces dropped."""
    return [part.strip() for part in re.split(f"[{re.escape(separators)}]", cell) if part.strip()]


def csv_sources(cell: str) -> list[dict[str, str]]:
    cell = cell.strip()
    if not cell:
        return []
    if cell[0] in "[{":
        import json

        try:
            value = json.loads(cell)
        except json.JSONDecodeError as exc:
            raise InputError(f"'sources' is not valid JSON: {json_problem(exc)}") from None
        value = [value] if isinstance(value, dict) else value
        if not isinstance(value, list):
            raise InputError("'sources' must be a JSON array of objects")
        return value
    out = []
    for part in split_cell(cell, ";"):  # a URL may hold commas
        src = source_from_text(part)
        out.append({"publisher": src.publisher, "url": src.url})
    return out


def _read_csv(text: str, name: str) -> list[Record]:
    """CSV with a header row (names in any case), separated by ``,`` or ``;`` (as spreadsheets
    set to a decimal comma write it); cells as :mod:`dtimeline.tabular` writes them."""
    import csv
    import io

    from dtimeline.tabular import read_list_cell, unguard_formula

    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    if not reader.fieldnames:
        raise InputError(f"{name}: a CSV file needs a header row")
    header = [h.strip().lower() for h in reader.fieldnames]
    unknown = [h for h in header if h not in ALL_FIELDS]
    if unknown:
        raise InputError(f"{name}:1: unknown column {unknown[0]!r}")
    reader.fieldnames = header
    records = []
    for row in reader:
        where = f"{name}:{reader.line_num}"
        if None in row:
            raise InputError(f"{where}: more cells than the header has columns")
        data: dict[str, Any] = {}
        try:
            for key, raw in row.items():
                cell = unguard_formula(raw or "")
                if key in LIST_FIELDS:
                    listed = read_list_cell(cell)
                    data[key] = split_cell(cell) if listed is None else listed
                elif key == "sources":
                    data[key] = csv_sources(cell)
                else:
                    data[key] = cell
        except InputError as exc:
            raise InputError(f"{where}: {exc}") from None
        records.append(Record(where, data))
    return records


def _read_toml(text: str, name: str) -> list[Record]:
    import tomli

    from dtimeline.store.lines import LineIndex

    try:
        doc = tomli.loads(text)
    except tomli.TOMLDecodeError as exc:
        raise InputError(f"{name}: not TOML: {exc}") from None
    events = doc.get("events", [])
    if not isinstance(events, list):
        raise InputError(f"{name}: 'events' must be an array of tables ([[events]])")
    lines = LineIndex(text)
    records = []
    for index, table in enumerate(events):
        line = lines.event_line(index)
        where = f"{name}:{line}" if line else f"{name}: record {index + 1}"
        records.append(Record(where, _object(table, where)))
    return records
