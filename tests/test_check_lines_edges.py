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


def test_a_source_is_numbered_by_its_place_after_a_malformed_one(tmp_path: Path) -> None:
    """The first source has no publisher (so the rules never see it); the third one's bad
    date is still "source 3", on its own line."""
    path = tmp_path / "events.toml"
    path.write_text(
        'schema = 1\n\n[countries.china]\nname = "China"\n\n'
        '[[events]]\nid = "e1"\ndate = "2023-05-18"\nkind = "talks"\ntitle = "Talks"\n'
        'countries = ["china"]\n\n'
        '[[events.sources]]\ntitle = "No publisher here"\n\n'
        '[[events.sources]]\npublisher = "Good"\n\n'
        '[[events.sources]]\npublisher = "Bad date"\ndate = "2023-13"\n',
        "utf-8",
    )
    ran = invoke("--store", str(path), "check")
    assert ran.code == 1
    assert ran.out.splitlines() == [
        f"{path}:13: event 'e1', source 1 has no publisher",
        f"{path}:21: event 'e1', source 3: bad date '2023-13': month 13 does not exist"
        " (months run 01-12)",
    ]
