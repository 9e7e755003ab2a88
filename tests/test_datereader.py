"""The date reader: the corpus (tests/data/dates.tsv) through the parser and, sampled, through
the CLI; refusals leave the store byte-identical; filters echo; every printed date form reads
back to the stored value; an ISO date never loads the word tables."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from conftest import TODAY, assert_one_line_error, invoke, run, sha
from hypothesis import given, settings
from hypothesis import strategies as st

from dtimeline.datereader import date_order, read_date
from dtimeline.dates import DatePoint, EDate, parse_edtf
from dtimeline.errors import DateError

CORPUS = Path(__file__).parent / "data" / "dates.tsv"
DAY = date.fromisoformat(TODAY)


@pytest.fixture(autouse=True)
def no_date_order(monkeypatch: pytest.MonkeyPatch) -> None:
    """The corpus's rows say their order themselves; the developer's own setting must not."""
    monkeypatch.delenv("DTIMELINE_DATE_ORDER", raising=False)


def _rows() -> list[tuple[str, str, str, str]]:
    rows = []
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        typed, expected, why, order = line.split("\t")
        rows.append((typed, expected, why, order))
    return rows


ROWS = _rows()


def test_corpus_is_big_and_covers_the_issue() -> None:
    typed = {row[0] for row in ROWS}
    assert len(ROWS) >= 150
    issue_table = ["2024-7-2", "2024-07-2", "2024.07.02", "20240702", "2024-07-02 10:00",
                   "2024-12-1", "2-4 July 2024", "Jul 2-4, 2024", "30-31 July 2024",
                   "2023-05-17 2023-05-18", "230517", "05/07/2023", "2–4 Jul 2024",
                   "30 Jun – 2 Jul 2024", "c. Sep 2013", "2024年7月2日", "2024年7月",
                   "2 июля 2024", "2 июля 2024 года", "июль 2024"]  # fmt: skip
    assert not [t for t in issue_table if t not in typed]
    refused = [row for row in ROWS if row[1] == "refused"]
    assert len(refused) >= 50
    for kind in ("could be swapped", "left over", "a time where a date belongs",
                 "does not exist", "unknown word", "two-digit year", "bare digits"):  # fmt: skip
        assert any(kind in row[2] for row in refused), kind


@pytest.mark.parametrize(("typed", "expected", "why", "order"), ROWS, ids=range(len(ROWS)))
def test_corpus_row(typed: str, expected: str, why: str, order: str) -> None:
    ordered = order or None
    if expected == "refused":
        with pytest.raises(DateError) as caught:
            read_date(typed, DAY, ordered)  # type: ignore[arg-type]
        message = str(caught.value)
        assert why in message
        assert "\n" not in message
        if typed.strip() and len(typed) <= 100:
            assert repr(typed) in message  # the whole input, quoted
        return
    reading = read_date(typed, DAY, ordered)  # type: ignore[arg-type]
    assert reading.date.edtf() == expected
    assert why in "; ".join(reading.notes)
    # the stored form reads back to itself
    assert read_date(expected, DAY).date == reading.date
    assert read_date(expected, DAY).plain


def _add(store: Path, typed: str, *extra: str, env: dict[str, str] | None = None) -> list[str]:
    return ["--store", str(store), "add", typed, "Corpus event", "-c", "kazakhstan", *extra]


SAMPLE = ROWS[::3]


@pytest.mark.parametrize(("typed", "expected", "why", "order"), SAMPLE, ids=range(len(SAMPLE)))
def test_corpus_sample_through_add(
    store: Path, typed: str, expected: str, why: str, order: str
) -> None:
    """``add`` (not a dry run): the reading lands in the store, a refusal leaves it as it was."""
    before = sha(store)
    env = {"DTIMELINE_DATE_ORDER": order} if order else None
    ran = invoke(*_add(store, typed, "--source", "Corpus"), env=env)
    if expected == "refused":
        assert_one_line_error(ran, 2, why)
        assert sha(store) == before
        return
    assert ran.code == 0, ran.err
    assert f'"{typed}" -> {expected}, ' in ran.err
    added = json.loads(invoke("--store", str(store), "query", "--format", "json").out)
    assert ran.out.strip() in {ev["id"]: ev["date"] for ev in added}
    assert {ev["id"]: ev["date"] for ev in added}[ran.out.strip()] == expected


@pytest.mark.parametrize(("typed", "expected", "why", "order"), ROWS[::25])
def test_corpus_sample_through_a_real_process(
    store: Path, typed: str, expected: str, why: str, order: str
) -> None:
    before = sha(store)
    env = {"DTIMELINE_DATE_ORDER": order} if order else None
    ran = run("--store", str(store), "query", "--since", typed, "--format", "ids", env=env)
    if expected == "refused":
        assert_one_line_error(ran, 2, why)
    else:
        assert ran.code == 0, ran.err
        reading = read_date(typed, DAY)
        assert (f'--since "{typed}" -> {expected}, ' in ran.err) is (not reading.plain)
        # the typed form selects exactly what its stored form selects
        same = invoke("--store", str(store), "query", "--since", expected, "--format", "ids")
        assert ran.out == same.out
    assert sha(store) == before


def test_the_issue_table_through_add_dry_run(store: Path) -> None:
    table = {
        "2024-7-2": "2024-07-02", "2024.07.02": "2024-07-02", "20240702": "2024-07-02",
        "2024-07-02 10:00": "2024-07-02", "2024-12-1": "2024-12-01",
        "2-4 July 2024": "2024-07-02/2024-07-04", "Jul 2-4, 2024": "2024-07-02/2024-07-04",
        "30-31 July 2024": "2024-07-30/2024-07-31",
    }  # fmt: skip
    for typed, edtf in table.items():
        ran = run(*_add(store, typed, "--dry-run"))
        assert ran.code == 0, ran.err
        assert f'date = "{edtf}"' in ran.out
        assert 'status = "held"' in ran.out  # 30-31 July 2024 is not "announced"
    ran = run(*_add(store, "2024-07-02 10:00", "--dry-run"))
    assert "time 10:00 dropped" in ran.err
    for typed, why in {"2023-05-17 2023-05-18": "2023-05-17/2023-05-18",
                       "230517": "which part is the year",
                       "05/07/2023": "day and month could be swapped"}.items():  # fmt: skip
        assert_one_line_error(run(*_add(store, typed, "--dry-run")), 2, repr(typed), why)


def test_every_refusal_leaves_the_store_byte_identical(store: Path) -> None:
    before = sha(store)

    def files() -> list[str]:
        return sorted(p.name for p in store.parent.iterdir())

    before_files = files()
    bad = "05/07/2023"
    some_id = json.loads(invoke("--store", str(store), "query", "--format", "json").out)[0]["id"]
    record = {"date": bad, "kind": "talks", "title": "T", "countries": ["kazakhstan"]}
    for args, stdin in [
        (_add(store, bad), None),
        (_add(store, "2024-07-02", "--announced", "2 Julyy 2024"), None),
        (["--store", str(store), "edit", some_id, "--date", "31 June 2024"], None),
        (["--store", str(store), "edit", some_id, "--announced", "2 July 24"], None),
        (["--store", str(store), "import", "-"], json.dumps(record) + "\n"),
        (["--store", str(store), "import", "-"],
         json.dumps({**record, "date": "2024-07-02", "sources": [{"publisher": "P",
                                                                  "date": "10:00"}]}) + "\n"),
    ]:  # fmt: skip
        ran = invoke(*args, input=stdin)
        assert ran.code == 2, (args, ran.err)
        assert sha(store) == before
        assert files() == before_files


def test_import_reads_dates_as_typed_and_stores_edtf(store: Path) -> None:
    records = [
        {"date": "2–4 Jul 2024", "kind": "talks", "title": "A", "countries": ["kazakhstan"],
         "announced": "20 June 2024", "sources": [{"publisher": "P", "date": "2024年6月20日"}]},
    ]  # fmt: skip
    ran = invoke("--store", str(store), "import", "-", input=json.dumps(records[0]) + "\n")
    assert ran.code == 0, ran.err
    text = store.read_text(encoding="utf-8")
    assert 'date = "2024-07-02/2024-07-04"' in text
    assert 'announced = "2024-06-20"' in text
    assert '"2024-06-20"' in text.split('title = "A"')[1]


def test_filters_echo_only_when_not_iso(store: Path) -> None:
    ran = invoke("--store", str(store), "query", "--since", "2024-7-2", "--format", "ids")
    assert ran.code == 0
    assert '--since "2024-7-2" -> 2024-07-02, day precision' in ran.err
    # the issue: --since 2024-7-2 returned an event of 26 May
    assert all(i >= "2024-07-02" for i in ran.out.split())
    quiet = invoke("--store", str(store), "query", "--since", "2024-07-02", "--until", "2025")
    assert quiet.code == 0 and quiet.err == ""
    for option in ("--since", "--until", "--as-of"):
        ran = invoke("--store", str(store), "show", "kazakhstan", option, "Jul 2024")
        assert f'{option} "Jul 2024" -> 2024-07, month precision' in ran.err
    ran = invoke("--store", str(store), "stats", "kazakhstan", "--as-of", "2024")
    assert "--as-of 2024 is read as its last day, 2024-12-31" in ran.err


def test_filter_refusals_are_one_line(store: Path) -> None:
    for option in ("--since", "--until", "--as-of"):
        for bad, why in [("05/07/2023", "could be swapped"), ("2 July 24", "two-digit year")]:
            ran = invoke("--store", str(store), "query", option, bad)
            assert_one_line_error(ran, 2, repr(bad), why)
    ran = invoke("--store", str(store), "stats", "--as-of", "spring 2013")
    assert_one_line_error(ran, 2, "seasons")


def test_as_of_help_says_which_day_a_year_means() -> None:
    out = " ".join(invoke("show", "--help", env={"COLUMNS": "200"}).out.split())
    assert "--as-of 2024 is 2024-12-31" in out


def test_date_order_setting(store: Path) -> None:
    assert date_order({}) is None
    assert date_order({"DTIMELINE_DATE_ORDER": "DMY"}) == "dmy"
    with pytest.raises(DateError, match="dmy or mdy"):
        date_order({"DTIMELINE_DATE_ORDER": "ymd"})
    ran = invoke(*_add(store, "05/07/2023", "--dry-run"), env={"DTIMELINE_DATE_ORDER": "mdy"})
    assert ran.code == 0 and 'date = "2023-05-07"' in ran.out
    assert "DTIMELINE_DATE_ORDER=mdy" in ran.err
    ran = invoke(*_add(store, "05/07/2023", "--dry-run"), env={"DTIMELINE_DATE_ORDER": "x"})
    assert_one_line_error(ran, 2, "DTIMELINE_DATE_ORDER must be dmy or mdy")
    # looked up only when needed: a bad setting does not break dates that do not need it
    ran = invoke(*_add(store, "13/05/2023", "--dry-run"), env={"DTIMELINE_DATE_ORDER": "x"})
    assert ran.code == 0 and 'date = "2023-05-13"' in ran.out
    # imports follow it too
    record = {"date": "05/07/2023", "kind": "talks", "title": "T", "countries": ["kazakhstan"]}
    ran = invoke("--store", str(store), "import", "-", input=json.dumps(record) + "\n",
                 env={"DTIMELINE_DATE_ORDER": "dmy"})  # fmt: skip
    assert ran.code == 0, ran.err
    assert 'date = "2023-07-05"' in store.read_text(encoding="utf-8")


def test_check_suggests_the_edtf_form(tmp_path: Path) -> None:
    path = tmp_path / "events.toml"
    path.write_text(
        'schema = 1\n[countries.kazakhstan]\nname = "Kazakhstan"\niso = "KZ"\n\n'
        '[[events]]\nid = "a"\ndate = "2 July 2024"\nkind = "talks"\ntitle = "T"\n'
        'countries = ["kazakhstan"]\n\n'
        '[[events]]\nid = "b"\ndate = "05/07/2023"\nkind = "talks"\ntitle = "T"\n'
        'countries = ["kazakhstan"]\n',
        encoding="utf-8",
    )
    ran = invoke("--store", str(path), "check")
    assert ran.code != 0
    text = ran.out + ran.err
    assert "write it as 2024-07-02" in text
    line = next(x for x in text.splitlines() if "05/07/2023" in x)
    assert "not an EDTF date: '05/07/2023'" in line and "write it as" not in line


# -- an ISO date never loads the word tables ------------------------------------------------

_PROBE = """
import sys
from datetime import date
from dtimeline.datereader import read_date
for text in sys.argv[1:]:
    read_date(text, date(2026, 1, 1))
print("dtimeline.datewords" in sys.modules)
"""


@pytest.mark.parametrize(
    ("texts", "loaded"),
    [
        (["2024-07-02", "2024-7-2", "20240702", "2024-07-02T10:00Z", "2013-09~/2014?"], "False"),
        (["2 July 2024"], "True"),
        (["2024年7月2日"], "True"),
    ],
)
def test_iso_input_never_imports_the_word_tables(texts: list[str], loaded: str) -> None:
    out = subprocess.run([sys.executable, "-c", _PROBE, *texts], capture_output=True,
                         text=True, check=True).stdout.strip()  # fmt: skip
    assert out == loaded


def test_cli_with_iso_filters_does_not_import_the_word_tables(store: Path) -> None:
    env = {"PYTHONPROFILEIMPORTTIME": "1"}
    iso = run("--store", str(store), "query", "--since", "2024-07-02", "--format", "ids", env=env)
    words = run("--store", str(store), "query", "--since", "2 July 2024", "-f", "ids", env=env)
    assert iso.code == words.code == 0
    assert "dtimeline.datewords" not in iso.err
    assert "dtimeline.datewords" in words.err  # the probe can see it


# -- every printed form reads back ----------------------------------------------------------

points = st.builds(
    lambda y, m, d, a, u, prec: DatePoint(
        y, m if prec != "year" else None, min(d, 28) if prec == "day" else None, a, u
    ),
    st.integers(1, 9999),
    st.integers(1, 12),
    st.integers(1, 31),
    st.booleans(),
    st.booleans(),
    st.sampled_from(["year", "month", "day"]),
)


@st.composite
def edates(draw: st.DrawFn) -> EDate:
    start = draw(points)
    if draw(st.booleans()):
        return EDate(start)
    if draw(st.booleans()):  # same year and month: the collapsed "2–4 Jul 2024" forms
        end = draw(points)
        end = DatePoint(start.year, start.month if end.month else None,
                        end.day if start.month and end.day else None,
                        end.approximate, end.uncertain)  # fmt: skip
    else:
        end = draw(points)
    if end.latest < start.earliest:
        start, end = end, start
    if end.latest < start.earliest:
        return EDate(start)
    return EDate(start, end)


@settings(max_examples=400)
@given(edates())
def test_every_printed_form_reads_back(d: EDate) -> None:
    assert read_date(d.edtf(), DAY).date == d
    assert read_date(d.human(), DAY).date == d, d.human()
    echo = read_date(d.human(), DAY).echo(d.human())
    assert read_date(echo.split(" -> ")[1].split(",")[0], DAY).date == d
    markwhen = d.start.iso() + (f"/{d.end.iso()}" if d.end else "")
    plain = EDate(DatePoint(d.start.year, d.start.month, d.start.day),
                  d.end and DatePoint(d.end.year, d.end.month, d.end.day))  # fmt: skip
    assert read_date(markwhen, DAY).date == plain


def test_html_markwhen_and_table_dates_read_back(store: Path) -> None:
    """The dates as the html page, the markwhen file and the query table print them."""
    forms = ["2013-09~", "2013?", "0999-03-04%", "2024-06-30/2024-07-02", "2023-05/2023-06",
             "2013~/2014?", "2024-07-02/2024-07-04", "1992", "2023-05-17/2024"]  # fmt: skip
    lines = [json.dumps({"id": f"rt-{n}", "date": f, "kind": "talks", "title": f"RT {n}",
                         "countries": ["kazakhstan"], "tags": ["roundtrip"]})
             for n, f in enumerate(forms)]  # fmt: skip
    assert invoke("--store", str(store), "import", "-", input="\n".join(lines) + "\n").code == 0
    stored = {f"rt-{n}": parse_edtf(f) for n, f in enumerate(forms)}
    html = invoke("--store", str(store), "export", "-f", "html", "-t", "roundtrip").out
    found = re.findall(r'id="(rt-\d+)">\s*<time datetime="([^"]*)">([^<]*)</time>', html)
    assert len(found) == len(forms)
    for event_id, _, shown in found:
        assert read_date(shown.replace("&#x27;", "'"), DAY).date == stored[event_id]
    mw = invoke("--store", str(store), "export", "-f", "markwhen", "-t", "roundtrip").out
    shown_dates = re.findall(r"Date: (.+?)(?: \(.*\))?$", mw, re.MULTILINE)
    assert sorted(read_date(s, DAY).date.edtf() for s in shown_dates) == sorted(forms)
    table = invoke("--store", str(store), "query", "-t", "roundtrip", "-f", "table",
                   env={"COLUMNS": "200"}).out  # fmt: skip
    for ev in stored.values():
        assert ev.human() in table
    show = invoke("--store", str(store), "show", "-t", "roundtrip", env={"COLUMNS": "200"}).out
    shown = [ev.human() for ev in stored.values() if ev.human() in show]
    assert len(shown) == len(forms)
    assert all(read_date(h, DAY).date == ev for h, ev in zip(shown, stored.values()))


_DATEISH = st.lists(
    st.sampled_from([*"0123456789-/.–, ~?%:TZ", "Jul", "May", "c.", "июля", "年", "月", "日",
                     "2024", "12", "至", " to ", "Tue"]),
    max_size=10,
).map("".join)  # fmt: skip


@settings(max_examples=500)
@given(_DATEISH)
def test_date_like_text_is_read_exactly_or_refused(text: str) -> None:
    """Nothing but a DateError escapes, and whatever is read was stated in the text: every
    year of the reading is written in it, and its EDTF reads back to the same value."""
    try:
        reading = read_date(text, DAY, "dmy")
    except DateError as exc:
        assert "\n" not in str(exc)
        assert not text.strip() or repr(text) in str(exc)  # the whole input, quoted
        return
    d = reading.date
    for point in (d.start, d.end):
        if point is not None and text.strip().lower() not in {"today"}:
            assert f"{point.year:04d}" in text or str(point.year) in text
    assert read_date(d.edtf(), DAY).date == d
