"""dtimeline.query on a small purpose-built store: names resolved, whole messages for what is
not found or ambiguous, each filter at its edges, and the order of what is selected."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from dtimeline import query
from dtimeline.errors import DtimelineError
from dtimeline.model import Store
from dtimeline.store.load import load_checked

STORE = """schema = 1

[countries.china]
name = "China"
iso = "CN"

[countries.kazakhstan]
name = "Kazakhstan"
iso = "KZ"
aliases = ["kz-alias"]

[countries.turkiye]
name = "Türkiye"
native = "Türkiye Cumhuriyeti"

[actors.xi]
name = "Xi Jinping"
country = "china"

[actors.kz]
name = "KZ person"
country = "kazakhstan"

[[events]]
id = "b-talks"
date = "2023-05"
kind = "talks"
title = "Talks in Xi'an"
countries = ["china", "kazakhstan"]
actors = ["xi"]
tags = ["Trade"]
place = "Xi'an"

[[events]]
id = "a-visit"
date = "2023-05-17"
kind = "visit"
title = "A visit"
countries = ["china", "kazakhstan"]
actors = ["xi"]
host = "kazakhstan"
summary = "China–Kazakhstan summit of the year"

[[events]]
id = "c-later"
date = "2026-12-01"
kind = "summit"
title = "Summit to come"
countries = ["china", "turkiye"]
announced = "2026-10-01"
status = "held"

[[events]]
id = "d-cancelled"
date = "2024-02-01/2024-02-03"
kind = "meeting"
title = "Cancelled meeting"
countries = ["kazakhstan"]
status = "cancelled"
level = "strategic"
"""

TODAY = date(2026, 11, 27)


@pytest.fixture(scope="module")
def store() -> Store:
    return load_checked(STORE, Path("q.toml"))


def message(call: object, *args: object) -> str:
    with pytest.raises(DtimelineError) as caught:
        call(*args)  # type: ignore[operator]
    exc = caught.value
    return f"{exc.message} ({exc.hint})" if exc.hint else exc.message


def test_names_resolve_case_and_accent_insensitively(store: Store) -> None:
    assert query.resolve_country(store, " turkiye ") == "turkiye"
    assert query.resolve_country(store, "TÜRKIYE CUMHURIYETI") == "turkiye"
    assert query.resolve_country(store, "cn") == "china"
    assert query.resolve_actor(store, "XI JINPING") == "xi"
    assert query.resolve_kind(store, " Talks ") == "talks"
    assert query.resolve_status(" Cancelled") == "cancelled"
    assert query.resolve_tag(store, "trade") == "Trade"
    assert query.resolve_tag(store, "TRADE", ["Trade", "other"]) == "Trade"
    assert query.resolve_subject(store, "Türkiye") == ("country", "turkiye")
    assert query.resolve_subject(store, "trade") == ("tag", "Trade")
    assert query.resolve_subject(store, "xi jinping") == ("actor", "xi")


def test_whole_messages(store: Store) -> None:
    assert message(query.resolve_subject, store, "kz") == (
        "subject 'kz' is ambiguous: it could be country kazakhstan, actor kz"
    )
    assert message(query.resolve_subject, store, "  ") == "empty subject"
    assert message(query.resolve_status, "done") == (
        "unknown status 'done' (one of: announced, held, postponed, cancelled)"
    )
    assert message(query.resolve_tag, store, "trad") == "unknown tag 'trad' (did you mean 'trade'?)"
    assert message(query.resolve_actor, store, "xi jinpin") == (
        "unknown actor 'xi jinpin' (did you mean 'xi jinping'?)"
    )
    assert message(query.Filter, TODAY, (), (), (), (), (), date(2024, 1, 2), date(2024, 1, 1)) == (
        "--since 2024-01-02 is after --until 2024-01-01"
    )
    assert message(lambda: query.Filter(TODAY, upcoming=True, past=True)) == (
        "--upcoming and --past exclude each other"
    )


def ids(store: Store, **kw: object) -> list[str]:
    descending = bool(kw.pop("descending", False))
    limit = kw.pop("limit", None)
    flt = query.Filter(TODAY, **kw)  # type: ignore[arg-type]
    return [ev.id for ev in query.select(store, flt, descending=descending, limit=limit)]  # type: ignore[arg-type]


def test_select_orders_by_earliest_day_then_latest_then_id(store: Store) -> None:
    # the month 2023-05 starts on 1 May, before the 17 May visit
    assert ids(store) == ["b-talks", "a-visit", "d-cancelled", "c-later"]
    assert ids(store, descending=True) == ["c-later", "d-cancelled", "a-visit", "b-talks"]
    assert ids(store, limit=2) == ["b-talks", "a-visit"]


def test_each_filter_at_its_edges(store: Store) -> None:
    assert ids(store, countries=("turkiye",)) == ["c-later"]
    assert ids(store, countries=("turkiye", "kazakhstan")) == [
        "b-talks", "a-visit", "d-cancelled", "c-later"]  # fmt: skip
    assert ids(store, actors=("xi",)) == ["b-talks", "a-visit"]
    assert ids(store, kinds=("visit", "summit")) == ["a-visit", "c-later"]
    assert ids(store, tags=("Trade",)) == ["b-talks"]
    # since/until take every day a date can mean, both ends included
    assert ids(store, since=date(2023, 5, 31), until=date(2023, 5, 31)) == ["b-talks"]
    assert ids(store, since=date(2023, 5, 17), until=date(2023, 5, 17)) == ["b-talks", "a-visit"]
    assert ids(store, since=date(2024, 2, 3), until=date(2024, 2, 3)) == ["d-cancelled"]
    assert ids(store, since=date(2024, 2, 4)) == ["c-later"]
    assert ids(store, until=date(2024, 1, 31)) == ["b-talks", "a-visit"]
    assert ids(store, upcoming=True) == ["c-later"]
    assert ids(store, past=True) == ["b-talks", "a-visit", "d-cancelled"]
    # a held event still to come counts as announced
    assert ids(store, statuses=("announced",)) == ["c-later"]
    assert ids(store, statuses=("held",)) == ["b-talks", "a-visit"]
    assert ids(store, statuses=("cancelled",)) == ["d-cancelled"]


def test_known_on_a_day(store: Store) -> None:
    """With --as-of, an event is shown only once it was known: announced, or already past."""
    flt = query.Filter(date(2026, 9, 1), time_travel=True)
    assert [ev.id for ev in query.select(store, flt)] == ["b-talks", "a-visit", "d-cancelled"]
    flt = query.Filter(date(2026, 10, 1), time_travel=True)
    assert [ev.id for ev in query.select(store, flt)][-1] == "c-later"
    flt = query.Filter(date(2023, 5, 16), time_travel=True)
    assert [ev.id for ev in query.select(store, flt)] == ["b-talks"]


@pytest.mark.parametrize(
    ("search", "found"),
    [
        (("xian",), ["b-talks"]),
        (("XI'AN",), ["b-talks"]),
        (("china-kazakhstan summit",), ["a-visit"]),
        (("chinakazakhstansummit",), ["a-visit"]),
        (("chinakazakhstan",), ["b-talks", "a-visit"]),
        (("strategic",), ["d-cancelled"]),
        (("türkiye cumhuriyeti",), ["c-later"]),
        (("kz alias",), ["b-talks", "a-visit", "d-cancelled"]),
        (("nothing", "summit to"), ["c-later"]),
        (("nothing",), []),
    ],
)
def test_search(store: Store, search: tuple[str, ...], found: list[str]) -> None:
    assert ids(store, search=search) == found


def test_a_name_shared_by_two_countries_is_ambiguous() -> None:
    shared = load_checked(
        STORE.replace('aliases = ["kz-alias"]', 'aliases = ["kz-alias", "steppe"]').replace(
            'native = "Türkiye Cumhuriyeti"', 'native = "Türkiye Cumhuriyeti"\naliases = ["steppe"]'
        ),
        Path("q.toml"),
    )
    assert message(query.resolve_country, shared, "Steppe") == (
        "country 'Steppe' is ambiguous: it could be kazakhstan, turkiye"
    )
