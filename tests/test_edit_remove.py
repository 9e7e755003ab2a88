"""`edit` and `remove`: only the changed event's lines change; every other byte stays."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
import tomli
import tomlkit
from conftest import BUNDLED_EVENTS, assert_one_line_error, invoke, run, sha
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dtimeline.store import load_store
from dtimeline.store.write import rewrite_event

FIRST = "1992-01-03-china-kazakhstan-relations"
SECOND = "1992-01-04-china-tajikistan-relations"


@pytest.fixture
def commented(store: Path) -> Path:
    """The bundled store with comments and odd spacing between and inside events."""
    text = store.read_text("utf-8")
    text = text.replace(
        f'[[events]]\nid = "{SECOND}"',
        f'#  a comment   about the next event\n\n\n[[events]]   # header comment\nid = "{SECOND}"',
    )
    text = text.replace(
        'kind = "relations-established"\ntitle = "China and Tajikistan',
        'kind = "relations-established"   # kind comment\n'
        '# a line comment inside\ntitle = "China and Tajikistan',
    )
    store.write_text(text + "\n# end   comment", "utf-8")
    assert invoke("--store", str(store), "check").code == 0
    return store


def changed_region(before: bytes, after: bytes) -> tuple[int, int, int]:
    """(common prefix length, common suffix length, total): bytes outside are untouched."""
    p = 0
    while p < min(len(before), len(after)) and before[p] == after[p]:
        p += 1
    s = 0
    while s < min(len(before), len(after)) - p and before[-1 - s] == after[-1 - s]:
        s += 1
    return p, s, len(before)


def test_edit_changes_only_the_changed_keys(commented: Path) -> None:
    before = commented.read_bytes()
    ran = invoke(
        "--store",
        str(commented),
        "edit",
        SECOND,
        "--place",
        "Dushanbe old town",
        "--title",
        "New title",
    )
    assert ran.code == 0, ran.err
    after = commented.read_bytes()
    old_lines, new_lines = before.decode().splitlines(), after.decode().splitlines()
    removed = [line for line in old_lines if line not in new_lines]
    added = [line for line in new_lines if line not in old_lines]
    assert removed == ['title = "China and Tajikistan establish diplomatic relations"']
    assert sorted(added) == ['place = "Dushanbe old town"', 'title = "New title"']
    text = after.decode()
    for comment in (
        "# kind comment",
        "# a line comment inside",
        "# header comment",
        "#  a comment   about the next event",
        "# end   comment",
    ):
        assert comment in text
    ev = load_store(commented).event(SECOND)
    assert ev is not None and ev.place == "Dushanbe old town" and ev.title == "New title"


def test_edit_outside_bytes_identical(commented: Path) -> None:
    before = commented.read_bytes()
    old = load_store(commented).event(SECOND)
    assert old is not None
    start = before.index(f'id = "{SECOND}"'.encode())
    stop = before.index(b"[[events]]", start)
    ran = run(
        "--store",
        str(commented),
        "edit",
        SECOND,
        "--summary",
        "Short.\n[[events]]",
        "--clear",
        "tags",
        "--add-source",
        "https://example.org/x",
    )
    assert ran.code == 0, ran.err
    after = commented.read_bytes()
    prefix, suffix, _ = changed_region(before, after)
    assert prefix >= start and suffix >= len(before) - stop
    tomli.loads(after.decode())
    tomlkit.parse(after.decode())
    ev = load_store(commented).event(SECOND)
    assert ev is not None and ev.summary == "Short.\n[[events]]" and ev.tags == ()
    assert ev.sources[-1].url == "https://example.org/x" and len(ev.sources) == len(old.sources) + 1


def test_edit_date_kind_and_lists(store: Path) -> None:
    ran = invoke(
        "--store",
        str(store),
        "edit",
        FIRST,
        "--date",
        "January 1992",
        "-k",
        "visit",
        "--host",
        "kz",
        "-a",
        "nazarbayev",
        "-t",
        "x",
        "-t",
        "y",
    )
    assert ran.code == 0, ran.err
    assert '"January 1992" -> 1992-01, month precision' in ran.err
    ev = load_store(store).event(FIRST)
    assert ev is not None
    assert (ev.date.edtf(), ev.kind, ev.host, ev.actors, ev.tags) == (
        "1992-01",
        "visit",
        "kazakhstan",
        ("nursultan-nazarbayev",),
        ("x", "y"),
    )
    assert ev.id == FIRST


def test_edit_errors_leave_store_unchanged(store: Path) -> None:
    before = sha(store)
    cases = [
        (["edit", "no-such-id", "--place", "x"], 3, "no event with id"),
        (["edit", FIRST, "--place", "Almaty"], 2, "nothing to change"),
        (["edit", FIRST, "--title", " "], 2, "title is empty"),
        (["edit", FIRST, "-k", "visit"], 2, "host"),
        (["edit", FIRST, "--date", "soon"], 2, "soon"),
        (["edit", FIRST, "-c", "narnia"], 2, "narnia"),
        (["edit", FIRST, "--clear", "place", "--place", "x"], 2, "exclude"),
        (["edit", FIRST, "--clear", "title"], 2, ""),
    ]
    for args, code, needle in cases:
        assert_one_line_error(invoke("--store", str(store), *args), code, needle)
    assert sha(store) == before


def test_remove_keeps_every_other_byte(commented: Path) -> None:
    before = commented.read_bytes()
    start = before.index(b"[[events]]   # header comment")
    ran = run("--store", str(commented), "remove", SECOND)
    assert ran.code == 0, ran.err
    assert "removed 1 event" in ran.err
    after = commented.read_bytes()
    assert after[:start] == before[:start]  # the comment about it stays (it is outside)
    rest = before[before.index(b"[[events]]", start + 5) :]
    assert after[start:] == rest
    assert load_store(commented).event(SECOND) is None
    assert len(load_store(commented).events) == BUNDLED_EVENTS - 1


def test_remove_ids_from_stdin_all_or_nothing(store: Path) -> None:
    ids = run("--store", str(store), "query", "-c", "tajikistan", "--format", "ids").out
    assert ids.count("\n") > 3
    before = sha(store)
    ran = run("--store", str(store), "remove", "-", input=ids + "\nnot-an-id\n")
    assert_one_line_error(ran, 3, "not-an-id")
    assert sha(store) == before
    ran = run("--store", str(store), "remove", "-", input="\n" + ids + "\n\n")
    assert ran.code == 0, ran.err
    left = load_store(store).events
    assert all("tajikistan" not in ev.countries for ev in left)
    assert invoke("--store", str(store), "check").code == 0


def test_remove_without_ids_is_an_error(store: Path) -> None:
    assert_one_line_error(invoke("--store", str(store), "remove", "-", input="\n\n"), 2, "no ids")


TEXT = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30
)
TRICKY = st.sampled_from(
    ['"', "\\", "\n", "\r\n", "[[events]]", "[bold]x[/]", "'''", '"""', "\t", "\x7f", "# c"]
)
FIELD = st.lists(st.one_of(TEXT, TRICKY), max_size=4).map("".join)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(title=FIELD.filter(str.strip), summary=FIELD, tag=FIELD.filter(bool))
def test_edit_round_trip_of_arbitrary_text(
    commented: Path, title: str, summary: str, tag: str
) -> None:
    before = commented.read_bytes()
    change = lambda store, ev: replace(ev, title=title, summary=summary, tags=(tag,))  # noqa: E731
    rewrite_event(commented, SECOND, change, "edit", 10.0)
    text = commented.read_text("utf-8")
    tomli.loads(text)
    tomlkit.parse(text)
    ev = load_store(commented).event(SECOND)
    assert ev is not None
    assert (ev.title, ev.summary, ev.tags) == (title, summary, (tag,))
    assert text.startswith(before.decode()[: before.index(b"#  a comment   about")])
    assert text.endswith("# end   comment")


def test_crlf_store_keeps_its_line_endings(store: Path) -> None:
    store.write_bytes(store.read_bytes().replace(b"\n", b"\r\n"))
    assert invoke("--store", str(store), "add", "2025", "A", "-c", "china").code == 0
    assert (
        invoke("--store", str(store), "edit", FIRST, "--place", "X", "--add-source", "Y").code == 0
    )
    assert invoke("--store", str(store), "remove", SECOND).code == 0
    data = store.read_bytes()
    assert data.count(b"\n") == data.count(b"\r\n")
    assert invoke("--store", str(store), "check").code == 0
