"""'did you mean ...' hints and the relationship lines of `show`'s header, asserted as whole
messages and whole lines on a small purpose-built store (three countries, three events)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import invoke, sha

SMALL = """schema = 1

[countries.china]
name = "China"

[countries.kazakhstan]
name = "Kazakhstan"

[countries.tajikistan]
name = "Tajikistan"

[actors.xi]
name = "Xi"
country = "china"

[[events]]
id = "cn-kz-talks"
date = "2020-01-02"
kind = "talks"
title = "CN KZ talks"
countries = ["china", "kazakhstan"]
actors = ["xi"]
tags = ["trade"]

[[events]]
id = "cn-tj-talks"
date = "2021-01-02"
kind = "talks"
title = "CN TJ talks"
countries = ["china", "tajikistan"]
tags = ["water"]

[[events]]
id = "cn-tj-relations"
date = "2021-03-02"
kind = "relations-established"
title = "CN TJ relations"
countries = ["china", "tajikistan"]
"""

DECLARE = "to declare it: dtimeline countries add SLUG --name NAME"
DECLARE_ACTOR = "to declare a person: dtimeline actors add NAME --country COUNTRY"
KINDS = (
    "relations-established, state-visit, official-visit, visit, talks, meeting, summit,"
    " phone-call, agreement, treaty, joint-statement, partnership, announcement, other"
)


@pytest.fixture
def small(tmp_path: Path) -> Path:
    path = tmp_path / "events.toml"
    path.write_text(SMALL, "utf-8")
    return path


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["show", "kazakstan"], 3,
         "unknown subject 'kazakstan' (did you mean 'kazakhstan' or 'tajikistan'?)"),
        (["show", "--kind", "talk"], 2, "unknown kind 'talk' (did you mean 'talks'?)"),
        (["show", "--kind", "zzzz"], 2, f"unknown kind 'zzzz' (one of: {KINDS})"),
        (["show", "--tag", "trad"], 2, "unknown tag 'trad' (did you mean 'trade'?)"),
        (["show", "--country", "tajik"], 2,
         f"unknown country 'tajik' (did you mean 'tjk' or 'tajikistan'?; {DECLARE})"),
        (["show", "--country", "qqqq"], 2, f"unknown country 'qqqq' ({DECLARE})"),
        (["edit", "cn-kz-talk", "--title", "X"], 3,
         "no event with id 'cn-kz-talk' (did you mean 'cn-kz-talks' or 'cn-tj-talks'?)"),
        (["remove", "cn-tj-relation"], 3,
         "no event with id 'cn-tj-relation' (did you mean 'cn-tj-relations'?)"),
        (["add", "2020-01-01", "T", "-c", "kazakstan", "--source", "X"], 2,
         "unknown country 'kazakstan' (did you mean 'kazakhstan' or 'pakistan'"
         f" or 'uzbekistan'?; {DECLARE})"),
        (["add", "2020-01-01", "T", "-c", "china", "-a", "xii", "--source", "X"], 2,
         f"unknown actor 'xii' (did you mean 'xi'?; {DECLARE_ACTOR})"),
        (["shwo"], 2, "No such command 'shwo'. Did you mean 'show'? (see 'dtimeline --help')"),
    ],
)  # fmt: skip
def test_hints_are_whole_messages(small: Path, args: list[str], code: int, message: str) -> None:
    before = sha(small)
    ran = invoke("--store", str(small), *args)
    assert (ran.code, ran.err) == (code, f"dtimeline: {message}\n")
    assert ran.out == ""
    assert sha(small) == before


def header(small: Path, *args: str) -> list[str]:
    ran = invoke("--store", str(small), "show", *args, env={"COLUMNS": "80"})
    assert ran.code == 0, ran.err
    lines = ran.out.splitlines()
    return lines[: next(i for i, line in enumerate(lines) if line.startswith("---"))]


def test_header_names_only_the_relationships_its_events_involve(small: Path) -> None:
    # the tag's one event names China and Kazakhstan: China-Tajikistan is not about it,
    # though its events name China too
    assert header(small, "trade") == [
        "Tag: trade",
        "China – Kazakhstan: no relations-established event",
        "as of 27 Nov 2026 · 1 event tagged trade",
    ]
    assert header(small, "water") == [
        "Tag: water",
        "China – Tajikistan: relations since 2 Mar 2021 (5 years)",
        "as of 27 Nov 2026 · 1 event tagged water",
    ]
    assert header(small, "xi") == [
        "Xi",
        "China – Kazakhstan: no relations-established event",
        "as of 27 Nov 2026 · 1 event naming Xi",
    ]
    assert header(small, "tajikistan") == [
        "China – Tajikistan",
        "relations since 2 Mar 2021 (5 years)",
        "as of 27 Nov 2026 · 2 events naming Tajikistan",
    ]
    assert header(small, "china") == [
        "China",
        "China – Kazakhstan: no relations-established event",
        "China – Tajikistan: relations since 2 Mar 2021 (5 years)",
        "as of 27 Nov 2026 · 3 events naming China",
    ]


def test_a_suggestion_is_named_once() -> None:
    from dtimeline.query import suggest

    assert suggest("tajik", ["tajikistan", "tjk", "tajikistan"]) == (
        "did you mean 'tjk' or 'tajikistan'?"
    )
    assert suggest("Kazakstan", ["kazakhstan"]) == "did you mean 'kazakhstan'?"
    assert suggest("zzz", ["kazakhstan"]) == ""
