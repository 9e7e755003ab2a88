"""render/plaintext.py: the plain lines `show` prints in a pipe are exactly those rich's
styled ``Text`` gives, through the real timeline layout and for any characters."""

from __future__ import annotations

import io
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console
from rich.text import Text

from dtimeline import query
from dtimeline.render.console import make_console
from dtimeline.render.plaintext import PlainText
from dtimeline.render.timeline import PLAIN, TimelineView, build
from dtimeline.store import bundled_path, open_index
from dtimeline.store.select import fact_store, select

AS_OF = date(2026, 11, 29)


def console(width: int) -> Console:
    return make_console(io.StringIO(), width=width, environ={})


@pytest.mark.parametrize("subject", [None, "kazakhstan", "tajikistan", "xi-jinping"])
@pytest.mark.parametrize("long", [False, True])
def test_timeline_lines_match_rich_text(subject: str | None, long: bool) -> None:
    idx = open_index(bundled_path())
    subj = query.resolve_subject(idx.head, subject) if subject else None
    events = select(idx, query.Filter(as_of=AS_OF), subject=subj)
    view = TimelineView(fact_store(idx, events, subj), events, subj, AS_OF, long=long)
    styled = PLAIN._replace(text=Text)
    for width in (20, 40, 63, 64, 80, 120):
        fast = [line.plain for line in build(view, console(width), width, PLAIN)]
        slow = [line.plain for line in build(view, console(width), width, styled)]
        assert fast == slow, (subject, long, width)
        assert len(fast) > 5


pieces = st.text(
    st.sampled_from(["a", "Ж", "中", "é", " ", "\t", "\x07", "\x08", "\r", "\x0b", "-", "\n"]),
    max_size=30,
)


@given(
    first=pieces,
    more=st.lists(st.tuples(pieces, st.booleans()), max_size=6),
    width=st.integers(1, 40),
)
def test_operations_match_rich_text(first: str, more: list[tuple[str, bool]], width: int) -> None:
    fast: Text = PlainText(first)
    slow = Text(first)
    for piece, as_text in more:
        if as_text:  # + a Text (a new object), as the layout joins pieces
            fast, slow = fast + Text(piece, "bold"), slow + Text(piece, "bold")
        else:
            fast.append(piece, "dim")
            slow.append(piece, "dim")
    assert (fast.plain, fast.cell_len, len(fast), bool(fast)) == (
        slow.plain, slow.cell_len, len(slow), bool(slow),
    )  # fmt: skip
    con = console(80)
    wrapped = fast.wrap(con, width, overflow="fold")
    assert all(isinstance(line, PlainText) for line in wrapped)
    assert [w.plain for w in wrapped] == [w.plain for w in slow.wrap(con, width, overflow="fold")]
    copy = fast.copy()
    copy.rstrip()
    slow_copy = slow.copy()
    slow_copy.rstrip()
    assert (copy.plain, fast.plain) == (slow_copy.plain, slow.plain)
