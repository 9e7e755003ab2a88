"""`stats`: per-relationship figures as text (terminal and pipe) and JSON, as of a day."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import assert_one_line_error, invoke, run


def stats_json(*args: str) -> list[dict[str, object]]:
    ran = invoke("stats", *args, "--format", "json")
    assert ran.code == 0, ran.err
    data = json.loads(ran.out)
    assert isinstance(data, list)
    return data


def test_json_for_kazakhstan_today() -> None:
    (kz,) = stats_json("kazakhstan")
    assert kz["countries"] == ["china", "kazakhstan"]
    assert (kz["established"], kz["years"], kz["as_of"]) == ("1992-01-03", 34, "2026-11-27")
    assert kz["level"] == "permanent comprehensive strategic partnership"
    assert [s["date"] for s in kz["ladder"]] == ["2005-07-04", "2011-06-13", "2019-09-11"]  # type: ignore[index]
    assert kz["visits"] == [
        {"visitor": "xi-jinping", "host": "kazakhstan", "visits": 6, "state_visits": 4,
         "last": "2025-06-16/2025-06-18", "upcoming": 0, "complete": True},
        {"visitor": "kassym-jomart-tokayev", "host": "china", "visits": 5, "state_visits": 2,
         "last": "2025-08-30/2025-09-03", "upcoming": 0, "complete": True},
        {"visitor": "nursultan-nazarbayev", "host": "china", "visits": 1, "state_visits": 1,
         "last": "2014-05-19/2014-05-20", "upcoming": 0, "complete": False},
    ]  # fmt: skip
    assert kz["meetings_per_year"]["2024"] == 1  # type: ignore[index]
    assert kz["meetings_per_year"]["2025"] == 2  # type: ignore[index]
    assert sum(kz["events_per_year"].values()) == kz["events"] == 47  # type: ignore[attr-defined]


def test_as_of_changes_every_figure() -> None:
    (kz,) = stats_json("KZ", "--as-of", "2024-07-01")
    assert kz["years"] == 32
    (xi,) = [v for v in kz["visits"] if v["visitor"] == "xi-jinping"]  # type: ignore[index, union-attr]
    assert xi["visits"] == 4 and xi["upcoming"] == 1
    assert kz["upcoming"] == 2
    assert kz["meetings_per_year"]["2023"] == 2  # type: ignore[index]
    assert "2024" not in kz["meetings_per_year"]  # type: ignore[operator]
    (tj,) = stats_json("tajikistan", "--as-of", "2024-07-01")
    assert tj["level"] == "comprehensive strategic partnership"
    assert tj["upcoming_levels"] == []  # the upgrade was decided on 5 July, not announced


def test_subjects() -> None:
    assert len(stats_json()) == 2
    assert len(stats_json("xi")) == 2  # Xi's country, China, is in both pairs
    assert [p["countries"] for p in stats_json("rahmon")] == [["china", "tajikistan"]]
    assert len(stats_json("visa")) == 1  # the tag is on China-Kazakhstan events only
    assert_one_line_error(run("stats", "narnia"), 3, "narnia")


def test_text_in_a_pipe_and_on_a_terminal() -> None:
    plain = run("stats", "tajikistan")
    assert plain.code == 0 and "\x1b" not in plain.out
    lines = plain.out.splitlines()
    assert lines[0] == "China – Tajikistan"
    assert "  relations established 4 Jan 1992, 34 years ago" in lines
    assert "  Xi Jinping to Tajikistan: 3 visits, 3 state visits; last 4–6 Jul 2024" in lines
    assert "  2025 ############################## 7" in lines  # the longest bar
    tty = run("stats", "tajikistan", "--width", "40", env={"TTY_COMPATIBLE": "1"})
    assert "█" in tty.out and "\x1b[" in tty.out
    narrow = run("stats", "--width", "40").out
    assert all(len(line) <= 40 for line in narrow.splitlines())


def test_figures_follow_the_data(store: Path) -> None:
    text = store.read_text(encoding="utf-8").replace(
        'kind = "visit"\ntitle = "Xi Jinping\'s half-day',
        'kind = "state-visit"\ntitle = "Xi Jinping\'s half-day',
    )
    assert "half-day" in text
    store.write_text(text, encoding="utf-8")
    ran = run("--store", str(store), "stats", "kz", "-f", "json")
    assert json.loads(ran.out)[0]["visits"][0]["state_visits"] == 5


def _show_count(*args: str) -> tuple[int, int, int]:
    """(events, upcoming, cancelled or postponed) from show's header."""
    import re

    out = run("show", *args, "--width", "200").out
    found = re.search(
        r"· (\d+) events? naming [^,\n]+(?:, of which (?:(\d+) upcoming)?(?: and )?"
        r"(?:(\d+) cancelled or postponed)?)?",
        out,
    )
    assert found, out
    return int(found[1]), int(found[2] or 0), int(found[3] or 0)


def _stats_count(*args: str) -> tuple[int, int]:
    import re

    out = run("stats", *args, "--width", "200").out
    found = re.search(r"events naming both: (\d+) by [^,(]+(?:, (\d+) upcoming)? \(cancelled", out)
    assert found, out
    return int(found[1]), int(found[2] or 0)


@pytest.mark.parametrize("subject", ["kazakhstan", "tajikistan"])
@pytest.mark.parametrize("as_of", [[], ["--as-of", "2024-07-01"], ["--as-of", "2015"]])
def test_show_and_stats_say_what_they_count_and_agree(subject: str, as_of: list[str]) -> None:
    """show counts every event naming the country; stats those naming both countries,
    held by the day, and the upcoming ones apart, leaving out cancelled and postponed ones.
    In the bundled timeline every event naming one of them names China too."""
    shown, upcoming, off = _show_count(subject, *as_of)
    held, ahead = _stats_count(subject, *as_of)
    assert upcoming == ahead
    assert shown == held + ahead + off
