"""dtimeline.rules on its own: every rule an event can break, each message whole and in
field order, and each limit at its edge."""

from __future__ import annotations

import pytest

from dtimeline.dates import parse_edtf
from dtimeline.errors import InputError
from dtimeline.model import Event, Source
from dtimeline.rules import (
    Violation,
    check_text,
    event_violations,
    id_problem,
    require_valid,
    text_problem,
    title_problem,
)

KINDS = ("talks", "visit", "state-visit")
COUNTRIES = ("china", "kazakhstan", "uzbekistan")
ACTORS = ("xi",)


def good(**changes: object) -> Event:
    fields: dict[str, object] = {
        "id": "e1",
        "date": parse_edtf("2023-05"),
        "kind": "talks",
        "title": "Talks",
        "countries": ("china", "kazakhstan"),
        "actors": ("xi",),
        "sources": (Source("Xinhua", date="2023-05-17"),),
    }
    fields.update(changes)
    return Event(**fields)  # type: ignore[arg-type]


def broken(ev: Event) -> list[Violation]:
    return list(event_violations(ev, KINDS, COUNTRIES, ACTORS))


def test_a_valid_event_breaks_nothing() -> None:
    assert broken(good()) == []
    assert broken(good(kind="visit", host="kazakhstan")) == []
    assert broken(good(id="")) == []  # an import record whose id is made later
    assert broken(good(announced=parse_edtf("2023-05-31"))) == []  # the month's last day
    assert require_valid(good(), KINDS, COUNTRIES, ACTORS) == good()


def test_every_rule_broken_at_once_in_field_order() -> None:
    ev = good(
        id="-bad",
        kind="party",
        title=" ",
        countries=("china", "mars", "china"),
        actors=("xi", "nobody"),
        host="uzbekistan",
        status="done",
        announced=parse_edtf("2023-06-01"),
        place="a\x00b",
        level="\ud800",
        summary="ok\ttab",
        tags=("fine", "t\x00"),
        sources=(Source(" ", note="n\x00", date="2023-13"), Source("X", date="2023-05~")),
    )
    assert broken(ev) == [
        Violation("id", f"bad id '-bad' ({ID_HELP_TEXT})"),
        Violation("kind", "unknown kind 'party' (one of: talks, visit, state-visit;"
                  " or declare it under [kinds])"),
        Violation("title", "the title is empty"),
        Violation("countries", "unknown country 'mars'"),
        Violation("countries", "the country 'china' is named twice"),
        Violation("actors", "unknown actor 'nobody'"),
        Violation("host", "the host 'uzbekistan' is not among the event's countries"),
        Violation("status", "unknown status 'done' (one of: announced, held, postponed,"
                  " cancelled)"),
        Violation("announced", "announced 2023-06-01 is after the event's date 2023-05"),
        Violation("place", "place contains a NUL character"),
        Violation("level", "level is not valid UTF-8 text"),
        Violation("tags", "a tag contains a NUL character"),
        Violation("publisher", "source 1 has no publisher", 1),
        Violation("note", "source 1: note contains a NUL character", 1),
        Violation("date", "source 1: bad date '2023-13': month 13 does not exist"
                  " (months run 01-12)", 1),
    ]  # fmt: skip


ID_HELP_TEXT = "letters, digits, '.', '_', '-'; starts with a letter or digit; at most 200"


def test_host_and_countries() -> None:
    assert broken(good(kind="state-visit")) == [
        Violation("kind", 'a state-visit needs a host country (host = "...")')
    ]
    assert broken(good(host="mars")) == [Violation("host", "unknown host country 'mars'")]
    assert broken(good(countries=())) == [Violation("countries", "names no country")]


def test_limits_at_their_edges() -> None:
    assert id_problem("a" * 200) is None
    assert id_problem("a" * 201) == f"bad id '{'a' * 201}' ({ID_HELP_TEXT})"
    assert id_problem("9._-x") is None
    assert id_problem("a b") == f"bad id 'a b' ({ID_HELP_TEXT})"
    assert title_problem("t" * 500) is None
    assert title_problem("t" * 1000) == (
        "the title is too long (1,000 characters; at most 500): put the detail in the summary"
    )
    assert title_problem("t" * 501) == (
        "the title is too long (501 characters; at most 500): put the detail in the summary"
    )
    assert title_problem("\t") == "the title is empty"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("plain", None),
        ("tab\there\nnewline", None),
        ("\x7f delete", None),
        ("nul\x00", "it contains a NUL character"),
        ("lone \udc80", "it is not valid UTF-8 text"),
    ],
)
def test_text_problems(text: str, problem: str | None) -> None:
    assert text_problem(text, "it") == problem
    if problem is None:
        assert check_text(text, "it") == text
    else:
        with pytest.raises(InputError) as caught:
            check_text(text, "it")
        assert caught.value.message == problem


def test_require_valid_names_the_first_rule_broken() -> None:
    with pytest.raises(InputError) as caught:
        require_valid(good(kind="party", title=""), KINDS, COUNTRIES, ACTORS)
    assert caught.value.message == (
        "unknown kind 'party' (one of: talks, visit, state-visit; or declare it under [kinds])"
    )
