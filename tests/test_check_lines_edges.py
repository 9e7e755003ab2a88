"""`check` names the line of each problem: events after events with sources, sources
written inline, the last source of the file, a top-level key before the only table (found
by mutation testing of store/lines.py, docs/mutation.md)."""

from __future__ import annotations

from pathlib import Path

from conftest import invoke

STORE = (Path(__file__).parent / "data" / "check_lines_edges.toml").read_text("utf-8")


def test_every_problem_is_on_its_own_line(tmp_path: Path) -> None:
    path = tmp_path / "events.toml"
    path.write_text(STORE, "utf-8")
    ran = invoke("--store", str(path), "check")
    assert ran.code == 1
    p = str(path)
    assert ran.out.splitlines() == [
        f"{p}:6: country 'peru' needs a name",
        f"{p}:21: event 'a', source 2: bad date '2023-13': month 13 does not exist"
        " (months run 01-12)",
        f"{p}:23: event 'b' has no kind",
        f"{p}:28: event 'b', source 1: bad date '2023-13': month 13 does not exist"
        " (months run 01-12)",
        f"{p}:28: event 'b', source 2: bad date '2023-02-30': day 30 does not exist in"
        " 2023-02 (it has 28 days)",
        f"{p}:33: event 'c': a state-visit needs a host country (host = \"...\")",
        f"{p}:47: event 'd', source 1: bad date '2023-14': month 14 does not exist"
        " (months run 01-12)",
    ]


def test_a_top_level_key_before_the_only_table(tmp_path: Path) -> None:
    path = tmp_path / "events.toml"
    path.write_text('schema = 1\nfoo = 2\n\n[countries.china]\nname = "China"\n', "utf-8")
    ran = invoke("--store", str(path), "check")
    assert ran.code == 1
    assert ran.out == f"{path}:2: unknown top-level key 'foo'\n"
