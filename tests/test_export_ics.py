"""`export --format ics`, read back by the icalendar library (an independent consumer)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from conftest import TODAY, invoke, run

from dtimeline.dates import parse_edtf
from dtimeline.model import Event, Source, Store
from dtimeline.render.export import Export, render
from dtimeline.store import load_store

icalendar = pytest.importorskip("icalendar")


def vevents(text: str) -> list[object]:
    cal = icalendar.Calendar.from_ical(text)
    assert str(cal["VERSION"]) == "2.0"
    assert "dtimeline" in str(cal["PRODID"])
    return list(cal.walk("VEVENT"))


def one_store(*events: Event) -> Store:
    return Store(events=events)


def ev(eid: str, when: str, **kw: object) -> Event:
    fields: dict[str, object] = {"kind": "talks", "title": f"title of {eid}", "countries": ()}
    fields.update(kw)
    return Event(id=eid, date=parse_edtf(when), **fields)  # type: ignore[arg-type]


def export(store: Store, as_of: date = date(2026, 11, 27)) -> str:
    return render("ics", Export(events=list(store.events), store=store, as_of=as_of,
                                stamp=as_of))  # fmt: skip


def test_bundled_store_reads_back_event_for_event(bundled: Path) -> None:
    ran = invoke("export", "--format", "ics")
    assert ran.code == 0, ran.err
    store = load_store(bundled)
    items = vevents(ran.out)
    assert len(items) == len(store.events)
    by_uid = {str(i["UID"]): i for i in items}  # type: ignore[index]
    for event in store.events:
        item = by_uid[f"{event.id}@dtimeline"]
        assert item.decoded("DTSTART") == event.date.earliest  # type: ignore[attr-defined]
        assert item.decoded("DTEND") == event.date.latest + timedelta(days=1)  # type: ignore[attr-defined]
        assert str(item["SUMMARY"]) == event.title  # type: ignore[index]
        assert str(item["STATUS"]) == "CONFIRMED"  # type: ignore[index]
        if event.place:
            assert str(item["LOCATION"]) == event.place  # type: ignore[index]


def test_uids_and_bytes_stable_across_two_exports() -> None:
    first = run("export", "--format", "ics")
    second = run("export", "--format", "ics")
    assert first.code == 0, first.err
    assert first.out == second.out
    assert first.out.count("\r\n") == first.out.count("\n")  # RFC 5545: CRLF line ends
    uids = [str(i["UID"]) for i in vevents(first.out)]  # type: ignore[index]
    assert len(set(uids)) == len(uids)
    assert all(u.endswith("@dtimeline") for u in uids)


def test_dtstamp_is_the_pinned_day() -> None:
    ran = invoke("export", "--format", "ics", env={"DTIMELINE_TODAY": "2030-01-02"})
    stamps = {i.decoded("DTSTAMP") for i in vevents(ran.out)}  # type: ignore[attr-defined]
    assert len(stamps) == 1
    (stamp,) = stamps
    assert (stamp.date(), stamp.utcoffset()) == (date(2030, 1, 2), timedelta(0))
    assert TODAY != "2030-01-02"


def test_month_and_year_precision_span_their_period_and_say_so() -> None:
    store = one_store(ev("m", "2013-09"), ev("y", "2001"), ev("r", "2024-07-02/2024-07-04"),
                      ev("a", "2013-09~"))  # fmt: skip
    items = {str(i["UID"]): i for i in vevents(export(store))}  # type: ignore[index]
    m, y, r, a = (items[f"{k}@dtimeline"] for k in "myra")
    assert (m.decoded("DTSTART"), m.decoded("DTEND")) == (date(2013, 9, 1), date(2013, 10, 1))  # type: ignore[attr-defined]
    assert "date known to the month only" in str(m["DESCRIPTION"])  # type: ignore[index]
    assert (y.decoded("DTSTART"), y.decoded("DTEND")) == (date(2001, 1, 1), date(2002, 1, 1))  # type: ignore[attr-defined]
    assert "date known to the year only" in str(y["DESCRIPTION"])  # type: ignore[index]
    assert (r.decoded("DTSTART"), r.decoded("DTEND")) == (date(2024, 7, 2), date(2024, 7, 5))  # type: ignore[attr-defined]
    assert "known to the" not in str(r["DESCRIPTION"])  # type: ignore[index]
    assert "approximate" in str(a["DESCRIPTION"])  # type: ignore[index]


@pytest.mark.parametrize(
    ("status", "when", "expected"),
    [
        ("held", "2020-01-01", "CONFIRMED"),
        ("held", "2027-01-01", "TENTATIVE"),  # in the future of the view: announced
        ("announced", "2027-01-01", "TENTATIVE"),
        ("postponed", "2027-01-01", "TENTATIVE"),
        ("cancelled", "2027-01-01", "CANCELLED"),
        ("cancelled", "2020-01-01", "CANCELLED"),
    ],
)
def test_status_mapping(status: str, when: str, expected: str) -> None:
    (item,) = vevents(export(one_store(ev("e", when, status=status))))
    assert str(item["STATUS"]) == expected  # type: ignore[index]


def test_text_fields_round_trip_with_ical_special_characters() -> None:
    title = 'Talks; agreements, "quotes"\\ and\nnew lines: 中文 \x1b[31m'
    src = Source(publisher="Xinhua", title="A, b; c", url="https://example.org/a?b=1,2",
                 date="2023-05-17")  # fmt: skip
    store = one_store(ev("e", "2023-05-17", title=title, place="Xi'an; Shaanxi",
                         summary="One.\nTwo.", tags=("summit",), sources=(src,)))  # fmt: skip
    (item,) = vevents(export(store))
    assert str(item["SUMMARY"]) == title.replace("\x1b", "")  # type: ignore[index]
    assert str(item["LOCATION"]) == "Xi'an; Shaanxi"  # type: ignore[index]
    desc = str(item["DESCRIPTION"])  # type: ignore[index]
    assert desc.startswith("One.\nTwo.")
    assert "Xinhua, A, b; c, 2023-05-17 <https://example.org/a?b=1,2>" in desc
    cats = [str(c) for c in item["CATEGORIES"].cats]  # type: ignore[index]
    assert cats == ["talks", "summit"]


def test_upcoming_filter_exports_only_future_events_as_tentative(store: Path) -> None:
    text = store.read_text(encoding="utf-8") + (
        '\n[[events]]\nid = "2027-03-01-future"\ndate = "2027-03"\nkind = "talks"\n'
        'title = "A future round of talks"\ncountries = ["china", "kazakhstan"]\n'
        'announced = "2026-10-01"\nstatus = "announced"\n'
        '[[events.sources]]\npublisher = "Test"\n'
    )
    store.write_text(text, encoding="utf-8")
    ran = run("--store", str(store), "export", "--upcoming", "--format", "ics")
    assert ran.code == 0, ran.err
    (item,) = vevents(ran.out)
    assert str(item["UID"]) == "2027-03-01-future@dtimeline"  # type: ignore[index]
    assert str(item["STATUS"]) == "TENTATIVE"  # type: ignore[index]
    assert item.decoded("DTEND") == date(2027, 4, 1)  # type: ignore[attr-defined]
