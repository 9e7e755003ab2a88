"""`export --format markwhen`: every date is EDTF level 0 (read by the `edtf` package),
the document's lines are of the kinds markwhen knows, and markwhen's own tag pattern finds
exactly the tags we meant, whatever the titles hold."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from conftest import invoke, run
from hypothesis import given, settings
from hypothesis import strategies as st

from dtimeline.dates import parse_edtf
from dtimeline.model import Event, Source, Store
from dtimeline.render.export import Export, render
from dtimeline.render.export.markwhen import tag
from dtimeline.store import load_store

edtf = pytest.importorskip("edtf")

_LEVEL0 = r"\d{4}(?:-\d{2}(?:-\d{2})?)?"
EVENT = re.compile(rf"(?P<date>{_LEVEL0}(?:/{_LEVEL0})?): (?P<rest>.*)")
# markwhen's tag pattern (JavaScript \w is ASCII): src/regex.ts TAG_REGEX
TAG = re.compile(r"(?:^|\s)#(?!\d+(?:\s|$))(\w+)", re.ASCII)
_SPACE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\s]+")


def parse(doc: str) -> list[tuple[str, str, list[str], str]]:
    """(group, date, tags, title) per event; asserts every line's kind."""
    lines = doc.split("\n")
    assert lines[0] == "---" and lines[1].startswith("title: ") and lines[3] == "---"
    found = []
    group = ""
    for line in lines[4:]:
        if line == "" or line.startswith("> "):
            continue
        if line.startswith("# "):
            group = line[2:]
            continue
        match = EVENT.fullmatch(line)
        assert match, line
        for part in match["date"].split("/"):
            assert edtf.parse_edtf(part) is not None
        assert edtf.parse_edtf(match["date"]) is not None
        rest = match["rest"]
        tags = TAG.findall(rest)
        title = TAG.sub("", rest).strip().replace("\u2060", "")
        found.append((group, match["date"], tags, title))
    return found


def test_bundled_store(bundled: Path) -> None:
    ran = invoke("export", "--format", "markwhen")
    assert ran.code == 0, ran.err
    events = parse(ran.out)
    store = load_store(bundled)
    # the bundled dates carry no qualifiers: level 0 is the stored date
    assert sorted((d, t) for _, d, _, t in events) == sorted(
        (e.date.edtf(), e.title) for e in store.events
    )
    kinds = {(e.date.edtf(), e.title): e.kind for e in store.events}
    for group, when, tags, title in events:
        assert tags[0] == kinds[when, title].replace("-", "_")
        assert group in {"Kazakhstan", "Tajikistan", "Kazakhstan, Tajikistan"}
    assert ("Kazakhstan", "2013-09") in {(g, d) for g, d, *_ in events}


def test_subprocess_and_qualifiers_dropped_but_said(store: Path) -> None:
    ran = run("--store", str(store), "export", "--format", "markwhen", "--since", "2024")
    assert ran.code == 0, ran.err
    assert parse(ran.out)
    srcs = (Source("P", url="javascript:x"), Source("Q", url="https://q.org/"))
    ev = Event(id="a", date=parse_edtf("2013-09~/2014?"), kind="state-visit", title="T",
               countries=(), status="cancelled", tags=("中国", "2024", "a b"),
               sources=srcs)  # fmt: skip
    out = render("markwhen", Export([ev], Store(events=(ev,)), date(2026, 1, 1),
                                    date(2026, 1, 1)))  # fmt: skip
    ((_, when, tags, title),) = parse(out)
    assert (when, title) == ("2013-09/2014", "T")
    assert tags == ["state_visit", "_2024", "a_b", "cancelled"]
    assert "approximate date; uncertain date" in out
    assert "<https://q.org/>" in out and "<javascript" not in out


def test_tag_words() -> None:
    assert tag("china-central-asia-summit") == "#china_central_asia_summit"
    assert tag("Türkiye") == "#Turkiye"
    assert tag("中国") == ""


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=50), st.text(max_size=50))
def test_any_title_and_summary_stay_text(title: str, summary: str) -> None:
    ev = Event(id="e", date=parse_edtf("2023-05"), kind="talks", title=title, countries=(),
               summary=summary)  # fmt: skip
    out = render("markwhen", Export([ev], Store(events=(ev,)), date(2026, 1, 1),
                                    date(2026, 1, 1)))  # fmt: skip
    ((_, when, tags, got),) = parse(out)
    assert when == "2023-05"
    assert tags == ["talks"]
    assert got == (_SPACE.sub(" ", title).strip() or "-")
