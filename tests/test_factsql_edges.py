"""The header of `show` states a relationship's standing asked of the index
(store/factsql.py): on a small store written for the test, every upcoming partnership level
in date order, and levels of events naming a third country too, compared line for line."""

from __future__ import annotations

from pathlib import Path

from conftest import invoke

HEAD = """schema = 1

[countries.china]
name = "China"

[countries.kazakhstan]
name = "Kazakhstan"

[countries.uzbekistan]
name = "Uzbekistan"
"""


def partnership(eid: str, when: str, level: str, *, third: bool = False, more: str = "") -> str:
    countries = '"china", "kazakhstan"' + (', "uzbekistan"' if third else "")
    return (
        f'\n[[events]]\nid = "{eid}"\ndate = "{when}"\nkind = "partnership"\ntitle = "{eid}"\n'
        f'countries = [{countries}]\nlevel = "{level}"\n{more}'
        '\n[[events.sources]]\npublisher = "Test"\n'
    )


STORE = (
    HEAD + '\n[[events]]\nid = "rel"\ndate = "1992-01-03"\nkind = "relations-established"\n'
    'title = "rel"\ncountries = ["china", "kazakhstan"]\n\n[[events.sources]]\npublisher = "Test"\n'
    + partnership("p1", "2011-06-13", "strategic partnership")
    + partnership("m1", "2015-05-01", "good-neighbourly partnership", third=True)
    + partnership("p3", "2028-06-01", "permanent partnership")
    + partnership(
        "m2", "2027-09-01", "shared future", third=True, more='announced = "2016-01-01"\n'
    )
    + partnership("p2", "2027-03", "comprehensive partnership")
)


def header(path: Path, *args: str) -> list[str]:
    ran = invoke("--store", str(path), "show", "kazakhstan", "--width", "100", *args)
    assert ran.code == 0, ran.err
    return ran.out.splitlines()[:7]


def test_every_upcoming_level_in_date_order_with_those_of_three_countries(tmp_path: Path) -> None:
    path = tmp_path / "events.toml"
    path.write_text(STORE, encoding="utf-8")
    assert header(path)[:6] == [
        "China – Kazakhstan",
        "relations since 3 Jan 1992 (34 years)",
        "partnership: good-neighbourly partnership (since 1 May 2015)",
        "upcoming: comprehensive partnership (Mar 2027)",
        "upcoming: shared future (1 Sep 2027)",
        "upcoming: permanent partnership (1 Jun 2028)",
    ]


def test_looking_back_the_levels_not_yet_announced_are_not_upcoming(tmp_path: Path) -> None:
    path = tmp_path / "events.toml"
    path.write_text(STORE, encoding="utf-8")
    assert header(path, "--as-of", "2016-06-01")[:5] == [
        "China – Kazakhstan",
        "relations since 3 Jan 1992 (24 years)",
        "partnership: good-neighbourly partnership (since 1 May 2015)",
        "upcoming: shared future (1 Sep 2027)",
        "as of 1 Jun 2016 · 4 events naming Kazakhstan, of which 1 upcoming",
    ]
    assert header(path, "--as-of", "2015-04-30")[2] == (
        "partnership: strategic partnership (since 13 Jun 2011)"
    )
