"""`show`: golden renderings at 40, 80 and 120 columns as a terminal and as a pipe, the
--as-of view of July 2024, svg, and store text that stays inert.

Golden files live in tests/golden/. To regenerate them after an intended change of the
view, run:  UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_show.py
and review the diff (`git diff tests/golden`). "Today" is pinned by conftest (2026-11-27).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from conftest import BUNDLED_EVENTS, assert_one_line_error, invoke, run
from rich.console import Console

from dtimeline.query import Filter, resolve_subject, select
from dtimeline.render.timeline import TimelineView, render_terminal
from dtimeline.store import load_store

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN", "") not in ("", "0")
TERMINAL = {"TTY_COMPATIBLE": "1", "TERM": "xterm-256color", "COLORTERM": "truecolor"}
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE or not path.exists():
        if not UPDATE:
            pytest.fail(f"golden file {name} is missing (run with UPDATE_GOLDEN=1)")
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{name} differs (UPDATE_GOLDEN=1?)"


def visible_width(line: str) -> int:
    from rich.cells import cell_len

    return cell_len(ANSI.sub("", line))


@pytest.mark.parametrize("width", [40, 80, 120])
@pytest.mark.parametrize("mode", ["terminal", "pipe"])
def test_golden_kazakhstan_as_of_july_2024(width: int, mode: str) -> None:
    env = TERMINAL if mode == "terminal" else None
    ran = run("show", "kazakhstan", "--as-of", "2024-07-01", "--width", str(width), env=env)
    assert ran.code == 0, ran.err
    assert ran.err == ""
    assert ("\x1b[" in ran.out) == (mode == "terminal")
    assert all(visible_width(line) <= width for line in ran.out.splitlines())
    check_golden(f"show-kazakhstan-2024-07-01-{mode}-{width}.txt", ran.out)


def test_golden_tajikistan_today_plain() -> None:
    ran = run("show", "tj", "--format", "plain")  # 80 columns in a pipe
    check_golden("show-tajikistan-plain-80.txt", ran.out)


def test_as_of_shows_the_july_visit_as_upcoming_and_hides_nothing_known() -> None:
    out = run("show", "kazakhstan", "--as-of", "2024-07-01", "--width", "120").out
    visit = out[out.index("2–4 Jul 2024") :]
    first = visit.splitlines()[0]
    assert "upcoming, in 1 day" in first and "state visit" in first
    assert "Xi Jinping's 5th visit to Kazakhstan, 4th state visit" in visit
    assert "China announces Xi's July 2024 trip" in out  # announced 2024-06-30
    assert "Foreign Ministry briefing previews" in out  # 2024-07-01 itself
    assert "upcoming, in 3 days" in out  # the SCO summit
    assert "relations since 3 Jan 1992 (32 years)" in out
    assert "as of 1 Jul 2024 · 36 events naming Kazakhstan, of which 2 upcoming" in out
    earlier = run("show", "kazakhstan", "--as-of", "2024-06-29").out
    assert "2–4 Jul 2024" not in earlier and "July 2024 trip" not in earlier


def test_today_header_figures_and_derived_annotations() -> None:
    out = run("show", "tajikistan").out
    assert out.startswith("China – Tajikistan\nrelations since 4 Jan 1992 (34 years)\n")
    assert (
        "partnership: comprehensive strategic cooperative partnership in the new era "
        "(since 5 Jul 2024)" in " ".join(out.split())
    )
    flat = " ".join(out.split())
    assert "Xi Jinping's 3rd visit to Tajikistan, 3rd state visit · first in 5 years" in flat
    assert "\nSep 2013 " in run("show", "kz").out  # a month-only date reads as a month
    assert "· · · 5 years · · ·" in out  # 2001 -> 2007 compressed
    assert "upcoming" not in out


def test_subjects_actor_tag_and_everything() -> None:
    xi = invoke("show", "xi", "--width", "100").out
    assert xi.startswith("Xi Jinping · President of China\n")
    assert "Hua Chunying" in xi  # an event where Xi is not the first actor
    assert "establish diplomatic relations" not in xi  # those events name no actor
    tag = invoke("show", "SCO").out
    assert tag.startswith("Tag: sco\n")
    assert f"as of 27 Nov 2026 · {len(invoke('query', '-t', 'sco').out.splitlines())} events" in tag
    every = invoke("show").out
    assert every.startswith("Timeline\n") and f"{BUNDLED_EVENTS} events" in every
    filtered = invoke("show", "kz", "--kind", "state-visit", "--since", "2017").out
    assert "5 events" in filtered and "Nur-Sultan" in filtered


def test_unknown_subject_suggests() -> None:
    assert_one_line_error(run("show", "kazakstan"), 3, "did you mean", "kazakhstan")
    assert_one_line_error(run("show", "kz", "--width", "5"), 2, "--width")
    assert_one_line_error(run("show", "kz", "-o", "x.svg"), 2, "--output")


def test_svg_to_stdout_and_to_a_file(tmp_path: Path) -> None:
    ran = run("show", "kz", "--format", "svg", "--width", "80")
    assert ran.code == 0 and ran.out.startswith("<svg") and "Kazakhstan" in ran.out
    target = tmp_path / "kz.svg"
    ran = run("show", "kz", "-f", "svg", "-o", str(target))
    assert ran.code == 0 and ran.out == ""
    assert target.read_text(encoding="utf-8").startswith("<svg")


def test_store_text_prints_literally(store: Path) -> None:
    with store.open("a", encoding="utf-8") as fh:
        fh.write(
            '\n[[events]]\nid = "2025-02-02-odd"\ndate = "2025-02-02"\nkind = "other"\n'
            'title = "[bold red]x\\u001b[31mred\\u0007 \\u009b2J"\n'
            'countries = ["china", "kazakhstan"]\nplace = "[link=http://e]p[/link]"\n'
        )
    for env in (None, TERMINAL):
        out = run("--store", str(store), "show", "-s", "red", "--width", "100", env=env).out
        assert "[bold red]x\\x1b[31mred\\x07 \\x9b2J" in out
        assert "[link=http://e]p[/link]" in out
        assert "\x07" not in out and "\x9b" not in out and "\x1b[31m" not in out


def test_core_render_with_a_forced_terminal_fits_every_width() -> None:
    from dtimeline.store.locate import bundled_path

    store = load_store(bundled_path())
    subject = resolve_subject(store, "kazakhstan")
    from datetime import date

    flt = Filter(countries=("kazakhstan",), as_of=date(2024, 7, 1), time_travel=True)
    view = TimelineView(store, select(store, flt), subject, flt.as_of, True)
    for width in (40, 57, 63, 64, 99, 200):
        console = Console(width=width, force_terminal=True, record=True, markup=False)
        render_terminal(view, console)
        text = console.export_text()
        assert all(len(line) <= width for line in text.splitlines()), width
        assert "○ state visit · upcoming, in 1 day" in text.replace("\n", " ") or (
            "upcoming, in 1 day" in text
        )


@pytest.mark.parametrize("batch", [1, 7, 1000])
def test_terminal_output_does_not_depend_on_the_print_batch(
    batch: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Lines go to rich in batches: the bytes must be those of one print per line."""
    import io
    from datetime import date

    from dtimeline.render import timeline
    from dtimeline.store.locate import bundled_path

    store = load_store(bundled_path())
    view = TimelineView(store, list(store.events), None, date(2026, 11, 27), False)

    def draw() -> str:
        out = io.StringIO()
        console = Console(file=out, width=72, force_terminal=True, color_system="truecolor")
        render_terminal(view, console)
        return out.getvalue()

    one_by_one = []
    for line in timeline.build(view, Console(width=72), 72, timeline.FANCY):
        out = io.StringIO()
        Console(file=out, width=72, force_terminal=True, color_system="truecolor").print(
            line, no_wrap=True, crop=True
        )
        one_by_one.append(out.getvalue())
    monkeypatch.setattr(timeline, "BATCH", batch)
    drawn = draw()
    assert drawn.count("\n") > 100  # the whole bundled timeline: several batches
    assert drawn == "".join(one_by_one)


def test_svg_taller_than_the_limit_is_refused_before_writing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from conftest import assert_one_line_error, invoke

    from dtimeline.render import timeline

    monkeypatch.setattr(timeline, "SVG_MAX_LINES", 40)
    target = tmp_path / "big.svg"
    ran = invoke("show", "--format", "svg", "-o", str(target))
    assert_one_line_error(ran, 2, "more than 40 lines tall", "--format plain")
    assert not target.exists() and list(tmp_path.iterdir()) == []
    assert invoke("show", "kazakhstan", "--since", "2025-08", "--format", "svg").code == 0
