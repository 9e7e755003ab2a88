"""`export --format mermaid`: checked against the Mermaid timeline grammar.

The checker below replays what Mermaid does with a timeline: entity codes ``#NN;`` are
set aside first (Mermaid's encodeEntities), then the lexer's rules from Mermaid's
timeline.jison are tried in order, first match wins, and the token stream must be
``timeline`` then title/section/period/event statements. The events' text, with the
entity codes decoded, must give back each title."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from conftest import invoke, run
from hypothesis import given, settings
from hypothesis import strategies as st

from dtimeline.dates import parse_edtf
from dtimeline.model import Event, Store
from dtimeline.render.export import Export, render
from dtimeline.render.export.mermaid import text as mermaid_text
from dtimeline.store import load_store

# (name, regex) in timeline.jison's order; None = skipped (comment, whitespace)
_RULES: list[tuple[str | None, re.Pattern[str]]] = [
    (None, re.compile(r"%%(?!\{)[^\n]*")),
    (None, re.compile(r"[^}]%%[^\n]*")),
    ("NEWLINE", re.compile(r"\n+")),
    (None, re.compile(r"\s+")),
    (None, re.compile(r"#[^\n]*")),
    ("timeline", re.compile(r"timeline", re.IGNORECASE)),
    ("title", re.compile(r"title\s[^\n]+", re.IGNORECASE)),
    ("acc", re.compile(r"acc(Title|Descr)\s*[:{]", re.IGNORECASE)),
    ("section", re.compile(r"section\s[^:\n]+", re.IGNORECASE)),
    ("event", re.compile(r":\s(?:[^:\n]|:(?!\s))+")),
    ("period", re.compile(r"[^#:\n]+")),
]
_ENTITY = re.compile(r"#(\w+);")


def lex(source: str) -> list[tuple[str, str]]:
    encoded = _ENTITY.sub(lambda m: "\ufb02\u00b0\u00b0" + m.group(1) + "\u00b6\u00df", source)
    tokens: list[tuple[str, str]] = []
    pos = 0
    while pos < len(encoded):
        for name, rule in _RULES:
            match = rule.match(encoded, pos)
            if match and match.end() > pos:
                if name is not None:
                    tokens.append((name, match.group()))
                pos = match.end()
                break
        else:
            raise AssertionError(f"INVALID token at {encoded[pos : pos + 20]!r}")
    return tokens


def decode(token_text: str) -> str:
    restored = re.sub("\ufb02\u00b0\u00b0(\\d+)\u00b6\u00df", lambda m: chr(int(m.group(1))),
                      token_text)  # fmt: skip
    assert "\ufb02" not in restored
    return restored


def check(source: str) -> dict[str, list[str]]:
    """Validate a timeline; return {period: [event texts]} (decoded)."""
    assert "%%" not in source
    for line in source.splitlines():
        assert re.fullmatch(r"timeline|    title \S.*|    section \S.*|        \S[^:]* : \S.*"
                            r"|        \s+ : \S.*", line), line  # fmt: skip
        assert line.count(":") <= 1, line
    tokens = [t for t in lex(source) if t[0] != "NEWLINE"]
    assert tokens[0] == ("timeline", "timeline")
    assert tokens[1][0] == "title"
    periods: dict[str, list[str]] = {}
    current = None
    for name, value in tokens[2:]:
        assert name in ("section", "period", "event"), (name, value)
        if name == "period":
            current = decode(value.strip())
            periods.setdefault(current, [])
        elif name == "event":
            assert current is not None
            periods[current].append(decode(value[2:]))
    return periods


def test_bundled_store_is_a_valid_timeline(bundled: Path) -> None:
    ran = invoke("export", "--format", "mermaid")
    assert ran.code == 0, ran.err
    periods = check(ran.out)
    store = load_store(bundled)
    titles = sorted(t for texts in periods.values() for t in texts)
    assert titles == sorted(e.title for e in store.events)
    assert periods["17 May 2023"]  # periods are the readable dates
    assert "    section 2013" in ran.out.splitlines()
    assert ran.out.splitlines()[1] == "    title China, Kazakhstan and Tajikistan \u2013 a timeline"


def test_subprocess_run() -> None:
    ran = run("export", "--format", "mermaid")
    assert ran.code == 0, ran.err
    assert ran.out.startswith("timeline\n")


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=60))
def test_any_title_lexes_back_to_itself(title: str) -> None:
    store = Store(events=(Event(id="e", date=parse_edtf("2023-05-17"), kind="talks",
                                title=title, countries=()),))  # fmt: skip
    out = render("mermaid", Export(list(store.events), store, date(2026, 1, 1), date(2026, 1, 1)))
    periods = check(out)
    expected = re.sub(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\s]+", " ", title).strip() or "-"
    assert periods == {"17 May 2023": [expected]}


def test_escaping_examples() -> None:
    assert mermaid_text("a: b; c # d %% e <br> f") == (
        "a#58; b#59; c #35; d #37;#37; e #60;br#62; f"
    )
    assert mermaid_text("section x\ntitle y") == "section x title y"
    assert mermaid_text("  \n ") == "-"
    assert mermaid_text("#58;") == "#35;58#59;"  # a literal entity stays literal


def test_same_day_events_share_one_period_and_status_is_shown() -> None:
    evs = tuple(Event(id=f"e{i}", date=parse_edtf("2030-01-02"), kind="talks",
                      title=f"T{i}", countries=(), status=s)
                for i, s in enumerate(["announced", "cancelled"]))  # fmt: skip
    store = Store(events=evs)
    out = render("mermaid", Export(list(evs), store, date(2026, 1, 1), date(2026, 1, 1)))
    assert check(out) == {"2 Jan 2030": ["T0 (announced)", "T1 (cancelled)"]}


def test_vertical_layout_is_the_same_diagram_top_to_bottom() -> None:
    """`mermaid-td` writes `timeline TD` (Mermaid 11.14+); the rest is the `mermaid` text."""
    across = invoke("export", "--format", "mermaid").out.splitlines()
    down = invoke("export", "--format", "mermaid-td").out.splitlines()
    assert across[0] == "timeline" and down[0] == "timeline TD"
    assert down[1:] == across[1:] and len(down) > 30
    assert "mermaid-td" in invoke("export", "--help").out
