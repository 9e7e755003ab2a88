"""`export --format markwhen` read by the current @markwhen/parser under node: every event,
in its section, with its dates, title, tags and description."""

from __future__ import annotations

import json
import re
import subprocess
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from conftest import invoke
from hypothesis import given, settings
from hypothesis import strategies as st
from readers import ROOT, node, node_package

from dtimeline.dates import parse_edtf
from dtimeline.model import Country, Event, Store
from dtimeline.render.export import Export, render
from dtimeline.render.export.markwhen import tag
from dtimeline.store import load_store

SCRIPT = ROOT / "tests" / "js" / "markwhen_parse.cjs"
_SPACE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\s]+")


def markwhen(doc: str) -> dict[str, Any]:
    proc = subprocess.run(
        [node(), str(SCRIPT), str(node_package("@markwhen/parser"))],
        input=doc.encode(),
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    result: dict[str, Any] = json.loads(proc.stdout)
    return result


def span(ev: Event) -> tuple[str, str]:
    """The instants markwhen gives a date: its first day's start, the day after its last."""
    return ev.date.earliest.isoformat(), (ev.date.latest + timedelta(days=1)).isoformat()


def test_bundled_export_reads_whole(bundled: Path) -> None:
    ran = invoke("export", "--format", "markwhen")
    assert ran.code == 0, ran.err
    doc = markwhen(ran.out)
    assert doc["messages"] == []
    assert doc["header"]["title"]
    store = load_store(bundled)
    want = {ev.id: ev for ev in store.events}
    assert len(doc["events"]) == len(store.events)
    sections = set()
    for got in doc["events"]:
        ev = want[got["description"][-1].removeprefix("> Event id: ")]
        assert got["title"].replace("\u2060", "") == ev.title
        assert len(got["path"]) == 1, got  # one section per relationship, none lost
        sections.add(got["path"][0])
        assert (got["from"][:10], got["to"][:10]) == span(ev), got
        assert got["tags"][0] == tag(ev.kind)[1:]
    assert len(sections) >= 2


TEXT = st.lists(
    st.text(st.characters(exclude_categories=("Cs",)), max_size=8) | st.sampled_from(
        ["# heading", "group X", "endGroup", "2024-01-01: not an event", " #tag", "//", "---",
         "- item", "title: x", "> quote", "中文 #标签", "\u202eRTL", "😀 #1", " !id", " .end",
         "[x] ", "[a](b.c)", "![i](x.png)", "[p](location)", " @bob", " 50% ", "\ufeff#t"]),
    max_size=4,
).map("".join)  # fmt: skip


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(TEXT, TEXT, st.sampled_from(["kazakhstan", "tajikistan"])),
                min_size=1, max_size=4))  # fmt: skip
def test_any_text_stays_in_its_event(items: list[tuple[str, str, str]]) -> None:
    countries = {
        "china": Country("china", "China"),
        "kazakhstan": Country("kazakhstan", "Kazakhstan"),
        "tajikistan": Country("tajikistan", "Tajikistan"),
    }
    evs = [
        Event(id=f"e{n}", date=parse_edtf(f"20{10 + n}-05"), kind="talks", title=title,
              countries=("china", other), summary=summary)
        for n, (title, summary, other) in enumerate(items)
    ]  # fmt: skip
    store = Store(countries=countries, events=tuple(evs))
    data = Export(evs, store, date(2026, 1, 1), date(2026, 1, 1))
    doc = markwhen(render("markwhen", data))
    assert doc["messages"] == []
    by_id = {ev.id: ev for ev in evs}
    assert len(doc["events"]) == len(evs)
    for got in doc["events"]:
        ev = by_id[got["description"][-1].removeprefix("> Event id: ")]
        assert got["title"].replace("\u2060", "") == (_SPACE.sub(" ", ev.title).strip() or "-")
        assert got["path"] == [data.relation(ev)]
        assert got["tags"] == ["talks"]
        assert (got["from"][:10], got["to"][:10]) == span(ev)
        assert {"id", "percent", "completed", "locations"}.isdisjoint(got), got
        assert all(isinstance(line, str) for line in got["description"]), got
        summary = _SPACE.sub(" ", ev.summary).strip()
        if summary:
            assert got["description"][0].replace("\u2060", "") == "> " + summary
