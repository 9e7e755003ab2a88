"""`export --format timelinejs`, validated against the TimelineJS JSON format's documented
structure (timeline: events + optional title; slide: start_date, end_date, text, group,
display_date, unique_id; date: integer year and optional month/day)."""

from __future__ import annotations

import calendar
import json
from datetime import date
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from conftest import invoke, run
from hypothesis import given, settings
from hypothesis import strategies as st

from dtimeline.datereader import parse_date
from dtimeline.dates import parse_edtf
from dtimeline.model import Event, Source, Store
from dtimeline.render.export import Export, render
from dtimeline.store import load_store

SLIDE_KEYS = {"start_date", "end_date", "text", "media", "group", "display_date",
              "background", "autolink", "unique_id"}  # fmt: skip
DATE_KEYS = {"year", "month", "day", "hour", "minute", "second", "millisecond",
             "display_date"}  # fmt: skip


def validate_date(obj: Any) -> tuple[int, int, int]:
    assert isinstance(obj, dict) and set(obj) <= DATE_KEYS, obj
    year = obj["year"]
    assert type(year) is int
    month, day = obj.get("month"), obj.get("day")
    if day is not None:
        assert month is not None, "a day needs a month"
    if month is not None:
        assert type(month) is int and 1 <= month <= 12
    if day is not None:
        assert type(day) is int and 1 <= day <= calendar.monthrange(year, month)[1]
    return (year, month or 1, day or 1)


def validate_text(obj: Any) -> None:
    assert isinstance(obj, dict) and set(obj) <= {"headline", "text"}
    assert all(isinstance(v, str) for v in obj.values())


def validate(doc: Any) -> list[dict[str, Any]]:
    assert isinstance(doc, dict) and set(doc) <= {"events", "title", "eras", "scale"}
    assert isinstance(doc["events"], list)
    if "title" in doc:
        assert set(doc["title"]) <= SLIDE_KEYS - {"start_date"} | {"start_date"}
        validate_text(doc["title"]["text"])
    ids: set[str] = set()
    for slide in doc["events"]:
        assert isinstance(slide, dict) and set(slide) <= SLIDE_KEYS, slide
        start = validate_date(slide["start_date"])
        if "end_date" in slide:
            assert validate_date(slide["end_date"]) >= start
        validate_text(slide["text"])
        for key in ("group", "display_date", "unique_id"):
            assert isinstance(slide.get(key, ""), str)
        uid = slide["unique_id"]
        assert uid and uid not in ids
        ids.add(uid)
    return list(doc["events"])


class TextOnly(HTMLParser):
    """Collects tags and text of an HTML fragment (to prove escaping)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.hrefs: list[str] = []
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.hrefs += [v or "" for k, v in attrs if k == "href"]

    def handle_data(self, data: str) -> None:
        self.text += data


def parse_html(fragment: str) -> TextOnly:
    parser = TextOnly()
    parser.feed(fragment)
    parser.close()
    return parser


def test_bundled_store_validates(bundled: Path) -> None:
    ran = invoke("export", "--format", "timelinejs")
    assert ran.code == 0, ran.err
    slides = validate(json.loads(ran.out))
    store = load_store(bundled)
    assert len(slides) == len(store.events)
    for slide in slides:
        event = store.event(slide["unique_id"])
        assert event is not None
        assert parse_html(slide["text"]["headline"]).text == event.title
        start = slide["start_date"]
        assert ("day" in start) == (event.date.precision == "day")
        assert ("month" in start) == (event.date.precision != "year")
        assert ("end_date" in slide) == event.date.is_range
        assert slide["group"] in {"Kazakhstan", "Tajikistan", "Kazakhstan, Tajikistan"}
    month_only = next(s for s in slides if s["unique_id"].startswith("2013-09-xi"))
    assert month_only["start_date"] == {"year": 2013, "month": 9}


def test_subprocess_run_title_slide() -> None:
    ran = run("export", "--format", "timelinejs", "--country", "tajikistan")
    assert ran.code == 0, ran.err
    doc = json.loads(ran.out)
    validate(doc)
    # the home country first, then the others in order of appearance
    assert doc["title"]["text"]["headline"].startswith("China, Tajikistan")
    assert all("Tajikistan" in s["group"] for s in doc["events"])


def test_html_in_data_is_escaped_and_only_web_urls_link() -> None:
    srcs = (Source(publisher="<b>P</b>", url="javascript:alert(1)"),
            Source(publisher="Q", url='https://x.org/?a=1&b="2"'))  # fmt: skip
    ev = Event(id="e", date=parse_edtf("2024-07-02/2024-07-04"), kind="talks",
               title="<script>alert(1)</script> & co", countries=("x", "y"),
               summary="<img src=x onerror=alert(1)>", sources=srcs)  # fmt: skip
    store = Store(events=(ev,))
    (slide,) = validate(json.loads(render("timelinejs", Export([ev], store, date(2026, 1, 1),
                                                               date(2026, 1, 1)))))  # fmt: skip
    head = parse_html(slide["text"]["headline"])
    assert head.tags == [] and head.text == ev.title
    body = parse_html(slide["text"]["text"])
    assert "script" not in body.tags and "img" not in body.tags and "b" not in body.tags
    assert body.hrefs == ['https://x.org/?a=1&b="2"']
    assert "<img src=x onerror=alert(1)>" in body.text
    assert slide["end_date"] == {"year": 2024, "month": 7, "day": 4}


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.text(max_size=30),
                          st.sampled_from(["1992", "2013-09", "2013-09~", "2024-07-02",
                                           "2024-07-02/2024-07-04", "2001/2003-05",
                                           "2023-10-16/2023-10", "2013-09/2013",
                                           "2023-12-30/2024", "2024-02-10/2024-02"])),
                max_size=6))  # fmt: skip
def test_any_titles_and_dates_validate(rows: list[tuple[str, str]]) -> None:
    evs = [Event(id=f"e{i}", date=parse_edtf(d), kind="talks", title=t, countries=())
           for i, (t, d) in enumerate(rows)]  # fmt: skip
    store = Store(events=tuple(evs))
    doc = json.loads(render("timelinejs", Export(evs, store, date(2026, 1, 1), date(2026, 1, 1))))
    slides = validate(doc)
    assert [parse_html(s["text"]["headline"]).text for s in slides] == [e.title for e in evs]


def test_an_end_less_precise_than_its_start_does_not_end_first() -> None:
    ev = Event(id="e", date=parse_edtf("2023-10-16/2023-10"), kind="visit", title="t",
               countries=())  # fmt: skip
    leap = Event(id="f", date=parse_edtf("2024-02-10/2024-02"), kind="visit", title="t",
                 countries=())  # fmt: skip
    year = Event(id="g", date=parse_edtf("2013-09/2013"), kind="visit", title="t",
                 countries=())  # fmt: skip
    store = Store(events=(ev, leap, year))
    doc = json.loads(render("timelinejs", Export([ev, leap, year], store, date(2026, 1, 1),
                                                 date(2026, 1, 1))))  # fmt: skip
    ends = [s["end_date"] for s in validate(doc)]
    assert ends == [{"year": 2023, "month": 10, "day": 31},
                    {"year": 2024, "month": 2, "day": 29},
                    {"year": 2013, "month": 12}]  # fmt: skip
    # what the source gave stays in the readable date, which reads back to the stored one
    today = date(2026, 1, 1)
    assert [parse_date(unescape(s["display_date"]), today).edtf() for s in doc["events"]] == [
        "2023-10-16/2023-10",
        "2024-02-10/2024-02",
        "2013-09/2013",
    ]
