"""csv, tsv and md carry adversarial text safely: csv round-trips through `import` field for
field, tsv is one row per event to csv.reader (with and without quote handling), Markdown
renders (markdown-it-py, CommonMark + tables) with no element or link from the data, and
json/jsonl stay lossless."""

from __future__ import annotations

import csv
import io
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import invoke, run
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from dtimeline.cli import app
from dtimeline.dates import parse_edtf
from dtimeline.model import Event, Source
from dtimeline.render.formats import COLUMNS
from dtimeline.store import load_store
from dtimeline.store.tomlblock import event_block
from dtimeline.tabular import guard_formula, tsv_cell, tsv_unescape, unguard_formula

HEADER = """schema = 1

[countries.china]
name = "China"

[countries.kazakhstan]
name = "Kazakhstan"

[actors.xi-jinping]
name = "Xi Jinping"
country = "china"
"""

NASTY = [
    "=SUM(A1)", "'=SUM(A1)", "''+1", "+1", "-2", "@cmd", "\tlead", "\rlead", '"', '"quoted',
    'say "hi"', "\t", "\n", "\r\n", "<script>alert(1)</script>", "<b>", "&amp;", "|", "*_[]",
    "[x](http://e.org)", "![i](x.png)", "`code`", "\\", "\\n", "\\t", "中文标题", "😀", "\u202e",
    "עברית", "مرحبا", ",", ";", "[", "www.example.org", "https://example.org/a_b", "a@b.org",
    "\x1b[31m", "\x07", "\u2028", "# h", "> q", "~~s~~", " ", "x",
]  # fmt: skip
TEXT = st.lists(
    st.one_of(st.sampled_from(NASTY), st.text(st.characters(exclude_categories=("Cs",),
                                                            exclude_characters="\x00"),
                                              max_size=6)),
    max_size=4,
).map("".join)  # fmt: skip
TITLE = TEXT.filter(lambda t: bool(t.strip()))
SOURCE = st.builds(
    Source,
    publisher=TITLE,
    title=TEXT,
    url=TEXT,
    date=st.sampled_from(["", "2023-05-17", "2024"]),
    note=TEXT,
)


@st.composite
def events(draw: st.DrawFn) -> list[Event]:
    result = []
    for n in range(draw(st.integers(1, 3))):
        countries = draw(st.sampled_from([("china", "kazakhstan"), ("kazakhstan",)]))
        visit = draw(st.booleans())
        result.append(
            Event(
                id=f"e{n}",
                date=parse_edtf(draw(st.sampled_from(["2023-05-17", "2013-09",
                                                      "2024-07-02/2024-07-04"]))),
                kind="state-visit" if visit else draw(st.sampled_from(["talks", "other"])),
                title=draw(TITLE),
                countries=countries,
                actors=draw(st.sampled_from([(), ("xi-jinping",)])),
                host=countries[-1] if visit else "",
                place=draw(TEXT),
                status=draw(st.sampled_from(["held", "announced", "cancelled"])),
                announced=draw(st.sampled_from([None, parse_edtf("2013")])),
                level=draw(TEXT),
                tags=tuple(draw(st.lists(TEXT, max_size=3))),
                summary=draw(TEXT),
                sources=tuple(draw(st.lists(SOURCE, max_size=2))),
            )
        )  # fmt: skip
    return result


def write_store(folder: Path, name: str, evs: list[Event]) -> Path:
    path = folder / name
    path.write_text(HEADER + "".join("\n" + event_block(ev) for ev in evs), encoding="utf-8")
    assert list(load_store(path).events) == evs
    return path


def query(path: Path, fmt: str) -> str:
    """stdout as written (CliRunner's ``stdout`` turns CRLF into LF, inside CSV fields too)."""
    result = CliRunner().invoke(app, ["--store", str(path), "query", "--format", fmt])
    assert result.exit_code == 0, result.stderr
    return result.stdout_bytes.decode("utf-8")


# --- csv: the round trip ----------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(events(), st.sampled_from(["csv", "json", "jsonl"]))
def test_export_then_import_gives_back_every_field(evs: list[Event], fmt: str) -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        source = write_store(folder, "a.toml", evs)
        target = folder / "b.toml"
        target.write_text(HEADER, encoding="utf-8")
        ran = invoke("--store", str(target), "import", "-", "--format", fmt,
                     input=query(source, fmt))  # fmt: skip
        assert ran.code == 0, ran.err
        assert sorted(load_store(target).events, key=by_id) == evs


def by_id(ev: Event) -> str:
    return ev.id


def order(ev: Event) -> tuple[object, ...]:
    """The order of `query`'s output."""
    return (ev.date.earliest, ev.date.latest, ev.id)


def test_bundled_csv_round_trip_keeps_visits_and_sources(bundled: Path, tmp_path: Path) -> None:
    """The issue's example: the old csv lacked host (every visit failed: "needs a host")."""
    text = bundled.read_text("utf-8")
    target = tmp_path / "b.toml"
    target.write_text(text[: text.index("[[events]]")], "utf-8")
    out = run("--store", str(bundled), "query", "--format", "csv")
    assert out.code == 0
    ran = run("--store", str(target), "import", "-", input=out.out)
    assert ran.code == 0, ran.err
    got, want = load_store(target).events, load_store(bundled).events
    assert sorted(got, key=by_id) == sorted(want, key=by_id)


def test_formula_guard_is_removed_exactly(tmp_path: Path) -> None:
    evs = [Event(id=f"f{n}", date=parse_edtf("2024"), kind="other", title=title,
                 countries=("china",))
           for n, title in enumerate(["=SUM(A1)", "'=SUM(A1)", "'plain", "-", "''@x"])]  # fmt: skip
    source = write_store(tmp_path, "a.toml", evs)
    rows = list(csv.DictReader(io.StringIO(query(source, "csv"), newline="")))
    assert [r["title"] for r in rows] == ["'=SUM(A1)", "''=SUM(A1)", "'plain", "'-", "'''@x"]
    target = tmp_path / "b.toml"
    target.write_text(HEADER, encoding="utf-8")
    assert invoke("--store", str(target), "import", "-", input=query(source, "csv")).code == 0
    assert [ev.title for ev in load_store(target).events] == [ev.title for ev in evs]


@given(TEXT)
def test_guard_and_unguard_are_inverse(text: str) -> None:
    guarded = guard_formula(text)
    assert unguard_formula(guarded) == text
    assert not guarded.startswith(("=", "+", "-", "@", "\t", "\r"))


# --- tsv: one row per event -------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(events())
def test_tsv_is_one_row_per_event_with_and_without_quote_handling(evs: list[Event]) -> None:
    with tempfile.TemporaryDirectory() as name:
        out = query(write_store(Path(name), "a.toml", evs), "tsv")
    assert out.count("\n") == len(evs) + 1
    want = [[ev.date.edtf(), ev.id, ev.kind, ev.title, ",".join(ev.countries), ev.place,
             ev.status] for ev in sorted(evs, key=order)]  # fmt: skip
    for quoting in (csv.QUOTE_MINIMAL, csv.QUOTE_NONE):
        rows = list(csv.reader(io.StringIO(out, newline=""), delimiter="\t", quoting=quoting))
        assert rows[0] == list(COLUMNS)
        assert [[tsv_unescape(cell) for cell in row] for row in rows[1:]] == want


def test_tsv_field_starting_with_a_quote(tmp_path: Path) -> None:
    """The issue's example: a title starting with '"' swallowed the rows after it."""
    evs = [Event(id=f"q{n}", date=parse_edtf("2024"), kind="other", title=title,
                 countries=("china",))
           for n, title in enumerate(['"Quoted" start', 'open " only', "tab\there"])]  # fmt: skip
    out = query(write_store(tmp_path, "a.toml", evs), "tsv")
    rows = list(csv.reader(io.StringIO(out), delimiter="\t"))
    assert len(rows) == 4
    assert [r[3] for r in rows[1:]] == ['\\"Quoted" start', 'open " only', "tab\\there"]


@pytest.mark.parametrize(
    ("text", "cell"),
    [("a\tb", "a\\tb"), ("a\nb", "a\\nb"), ("a\\b", "a\\\\b"), ("\r", "\\r"), ('"x"', '\\"x"'),
     ("=1", "'=1"), ("\x1b", "\\x1b"), ("\u2028", "\\u2028"), ("中文 😀", "中文 😀")],
)  # fmt: skip
def test_tsv_escapes(text: str, cell: str) -> None:
    assert tsv_cell(text) == cell
    assert tsv_unescape(cell) == text


# --- md: inert in a Markdown renderer -------------------------------------------------------


class _Cells(HTMLParser):
    """Tags seen, and the text of each table cell."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.rows: list[list[str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self.rows[-1].append("")

    def handle_data(self, data: str) -> None:
        if self.rows and self.rows[-1]:
            self.rows[-1][-1] += data


def render_md(text: str) -> _Cells:
    markdown_it = pytest.importorskip("markdown_it", reason="markdown-it-py is not installed")
    html = markdown_it.MarkdownIt("commonmark").enable("table").render(text)
    cells = _Cells()
    cells.feed(html)
    return cells


def _shown(text: str) -> str:
    """What a cell shows: line breaks as spaces, other controls as \\xHH, trimmed."""
    from dtimeline.render.formats import clean_cell

    return clean_cell(text.replace("\t", " ")).strip()


@settings(max_examples=60, deadline=None)
@given(events())
def test_md_renders_no_element_or_link_from_the_data(evs: list[Event]) -> None:
    with tempfile.TemporaryDirectory() as name:
        out = query(write_store(Path(name), "a.toml", evs), "md")
    cells = render_md(out)
    assert cells.tags <= {"table", "thead", "tbody", "tr", "th", "td"}, cells.tags
    want = [[_shown(c) for c in (ev.date.edtf(), ev.id, ev.kind, ev.title,
                                 ",".join(ev.countries), ev.place, ev.status)]
            for ev in sorted(evs, key=order)]  # fmt: skip
    assert [[c.strip() for c in row] for row in cells.rows[1:]] == want


def test_md_script_title_is_text(tmp_path: Path) -> None:
    """The issue's example: raw HTML in a title passed through to the rendered page."""
    evs = [Event(id="x", date=parse_edtf("2024"), kind="talks",
                 title="<script>alert(1)</script> talks", countries=("china",))]  # fmt: skip
    cells = render_md(query(write_store(tmp_path, "a.toml", evs), "md"))
    assert "script" not in cells.tags
    assert cells.rows[1][3].strip() == "<script>alert(1)</script> talks"
