"""The fast paths of building the index: store/fastread.py must read exactly what tomli
reads (or decline), and rows.hay must be the search key query.search_text makes."""

from __future__ import annotations

import pytest
import tomli
from hypothesis import given, settings
from hypothesis import strategies as st

from dtimeline.dates import parse_edtf
from dtimeline.model import Actor, Country, Event, Source, Store
from dtimeline.query import search_text
from dtimeline.store import rows
from dtimeline.store.fastread import event_tables
from dtimeline.store.tomlblock import events_text

#: Text with what makes TOML strings hard: quotes, backslashes, control characters, tabs,
#: brackets, separators, accents, non-BMP characters, and the layout's own markers.
CHARS = st.one_of(
    st.sampled_from("\"\\\t\n\x7f\x01[],= #'éßİ\u0301\u00a0\x1c𝔸_-"),
    st.characters(codec="utf-8"),
)
TRICKY = st.lists(
    st.one_of(CHARS, st.sampled_from(['", "', "[[events]]", " = ", "\n[[events.sources]]\n"])),
    max_size=8,
).map("".join)
NAMES = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=8)
DATES = ["2023-05-17", "2023-05", "2023~", "2023-05-17/2023-05-19", "1991-12-16"]


@st.composite
def events(draw: st.DrawFn) -> list[Event]:
    out = []
    for n in range(draw(st.integers(1, 4))):
        countries = tuple(draw(st.lists(st.sampled_from(["china", "kazakhstan", "x-y"]),
                                        min_size=1, max_size=3, unique=True)))  # fmt: skip
        sources = tuple(
            Source(draw(TRICKY) or "p", draw(TRICKY), draw(TRICKY), draw(TRICKY), draw(TRICKY))
            for _ in range(draw(st.integers(0, 2)))
        )
        out.append(
            Event(
                id=f"e{n}",
                date=parse_edtf(draw(st.sampled_from(DATES))),
                kind=draw(st.sampled_from(["talks", "visit"])),
                title=draw(TRICKY) or "t",
                countries=countries,
                actors=tuple(draw(st.lists(st.sampled_from(["xi", "tokayev"]), unique=True))),
                host=draw(st.sampled_from(["", countries[0]])),
                place=draw(TRICKY),
                status="held",
                announced=draw(st.sampled_from([None, parse_edtf("2020")])),
                level=draw(TRICKY),
                tags=tuple(draw(st.lists(TRICKY, max_size=3))),
                summary=draw(TRICKY),
                sources=sources,
            )
        )
    return out


def reference(text: str) -> list[object] | None:
    """What tomli reads, when it reads only an array of event tables."""
    try:
        doc = tomli.loads(text)
    except tomli.TOMLDecodeError:
        return None
    found = doc.pop("events", None)
    return found if not doc and isinstance(found, list) else None


@settings(max_examples=150)
@given(events())
def test_written_events_read_as_tomli_reads_them(evs: list[Event]) -> None:
    text = events_text(evs)[1:]  # a piece starts at its [[events]] line
    got = event_tables(text)
    want = reference(text)
    assert want is not None
    if got is not None:
        assert got == want
    if all(not any(c in repr(ev) for c in '"\\\t\x7f\x01\x1c') for ev in evs):
        assert got is not None  # plain text: the fast path must take it


@settings(max_examples=200)
@given(
    events(),
    st.lists(
        st.tuples(st.integers(0, 10_000), st.sampled_from([*"\" []=,#'x\n\t", '", "'])),
        min_size=1,
        max_size=3,
    ),
)
def test_edited_text_is_read_as_tomli_reads_it_or_declined(
    evs: list[Event], edits: list[tuple[int, str]]
) -> None:
    text = events_text(evs)[1:]
    for where, insert in edits:
        at = where % (len(text) + 1)
        text = text[:at] + insert + text[at:]
    got = event_tables(text)
    if got is not None:
        assert got == reference(text)


#: Lines of the layout, and lines near it that TOML reads otherwise or not at all.
PLAIN_LINES = [
    'id = "a"',
    'title = "x"',
    'countries = ["china", "kazakhstan"]',
    "tags = []",
    'tags = [", "]',
    "",
    "[[events.sources]]",
    'publisher = "P"',
    'url = ""',
]
ODD_LINES = [
    "[events]", '[["events"]]', " ", "# note", 'id = "b"', 'title="x"', 'title = "x" ',
    "title = 'x'", 'countries = ["china","kazakhstan"]', "countries = [ ]",
    'countries = ["a", ]', 'sources = "s"', "date = 2023-05-17", "level = 1", 'summary = """',
    '"""', 'a.b = "c"', 'title = "a"b"', 'tags = ["a"b"]', 'tags = ["a", "b"c"]',
    'summary = "a" # c', 'id = "x" = "y"', 'tags = ["a" , "b"]', 'tags = "a", "b"',
    'tags = ["a", "b"', 'note = "n"', "[[events]] # c", "[[ events ]]", 'title = "',
]  # fmt: skip


@given(
    st.lists(st.sampled_from(PLAIN_LINES), max_size=10),
    st.sampled_from(ODD_LINES),
    st.integers(0, 10),
)
def test_lines_near_the_layout_are_read_as_tomli_reads_them_or_declined(
    lines: list[str], odd: str, at: int
) -> None:
    lines.insert(at % (len(lines) + 1), odd)
    text = "[[events]]\n" + "\n".join(lines) + "\n"
    got = event_tables(text)
    if got is not None:
        assert got == reference(text)


@pytest.mark.parametrize("odd", ODD_LINES)
def test_each_odd_line_is_read_as_tomli_reads_it_or_declined(odd: str) -> None:
    text = f'[[events]]\nid = "a"\n{odd}\n'
    got = event_tables(text)
    assert got is None or got == reference(text)


def test_declines_what_it_does_not_read() -> None:
    assert event_tables("") is None  # no table: tomli says there is no events array
    assert event_tables('[[events]]\nid = "a\\"b"\n') is None  # an escape
    assert event_tables('[[events]]\nid = "a"\nid = "b"\n') is None  # a key twice
    assert event_tables('[[events.sources]]\npublisher = "p"\n') is None  # no event yet
    assert event_tables('[[events]]\nid = "a"\r\n') is None
    assert event_tables('[[events]]\nid = "a"\n[[events.sources]]\npublisher = "p"\n') == [
        {"id": "a", "sources": [{"publisher": "p"}]}
    ]


HEAD = Store(
    countries={
        "china": Country("china", "China", "中国", "CN", "CHN", ("PRC", "Zhōngguó")),
        "kazakhstan": Country("kazakhstan", "Kazakhstan", "Қазақстан", "KZ", "KAZ"),
    },
    actors={"xi": Actor("xi", "Xi Jinping", "习近平", "china", "", ("Xi",))},
)


@settings(max_examples=150)
@given(
    NAMES, NAMES, NAMES, NAMES,
    st.lists(st.sampled_from(["china", "kazakhstan", "nowhere"]), min_size=1, unique=True),
    st.lists(st.sampled_from(["xi", "nobody"]), unique=True),
)  # fmt: skip
def test_hay_is_the_search_key_without_spaces(
    title: str, summary: str, place: str, level: str, countries: list[str], actors: list[str]
) -> None:
    ev = Event("e", parse_edtf("2023"), "talks", title, tuple(countries), tuple(actors),
               place=place, level=level, summary=summary)  # fmt: skip
    assert rows.hay(ev, HEAD) == search_text(ev, HEAD).replace(" ", "")
