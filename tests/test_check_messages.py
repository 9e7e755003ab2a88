"""`check` says what is wrong with each part of a store, as whole lines FILE:LINE: message:
the head's shapes (schema, kinds, countries, actors), each key's type, each missing key
of an event and each malformed source (found by mutation testing of store/schema.py,
docs/mutation.md)."""

from __future__ import annotations

from pathlib import Path

from conftest import invoke


def check(tmp_path: Path, text: str, *flags: str) -> tuple[int, list[str], str]:
    path = tmp_path / "events.toml"
    path.write_text(text, "utf-8")
    ran = invoke("--store", str(path), "check", *flags)
    return ran.code, ran.out.replace(str(path), "S").splitlines(), ran.err


HEAD = """schema = 0
colour = "red"

[kinds]
forum = "A forum"
"Bad Kind" = "x"
summit = 3

[countries.china]
name = "China"
iso = "cn"
iso3 = "CHN"

[countries.peru]
name = 5

[countries."bad slug"]
name = "X"

[countries.mars]
name = "Mars"
aliases = "red planet"
population = 3

[countries.tajikistan]
name = "Tajikistan"
iso3 = "tjk"

[actors.xi]
name = "Xi"
country = "narnia"

[actors.rahmon]
name = "Emomali Rahmon"
country = "tajikistan"

[actors.li]
name = "Li Qiang"
country = "china"

[actors."x y"]
name = "Y"

[actors.nobody]
role = true
"""


def test_every_problem_of_the_head_is_said_whole(tmp_path: Path) -> None:
    """A country with a bad code is left out, so an actor of it names an unknown country."""
    code, out, err = check(tmp_path, HEAD)
    assert code == 1
    assert out == [
        "S:2: unknown top-level key 'colour'",
        "S:1: 'schema' must be a positive whole number, not 0",
        "S:4: bad kind declaration 'Bad Kind'",
        "S:4: bad kind declaration 'summit'",
        "S:11: country 'china': iso must be two capital letters (ISO 3166-1 alpha-2), not 'cn'",
        "S:15: country 'peru': 'name' must be a string, not a number",
        "S:14: country 'peru' needs a name",
        "S:17: bad country slug 'bad slug' (letters, digits, '.', '_', '-')",
        "S:23: unknown key 'population' in country 'mars'",
        "S:22: country 'mars': 'aliases' must be a list of strings",
        "S:27: country 'tajikistan': iso3 must be three capital letters, not 'tjk'",
        "S:31: actor 'xi': unknown country 'narnia'",
        "S:35: actor 'rahmon': unknown country 'tajikistan'",
        "S:39: actor 'li': unknown country 'china'",
        "S:41: bad actor slug 'x y' (letters, digits, '.', '_', '-')",
        "S:45: actor 'nobody': 'role' must be a string, not a boolean",
        "S:44: actor 'nobody' needs a name",
    ]
    assert "17 problems" in err


def test_the_heads_tables_of_the_wrong_shape(tmp_path: Path) -> None:
    text = 'schema = "1"\nkinds = 3\ncountries = 3\nactors = []\nevents = 5\n'
    code, out, _ = check(tmp_path, text)
    assert code == 1
    assert out == [
        "S:1: 'schema' must be a positive whole number, not '1'",
        "S:2: 'kinds' must be a table of kind = \"description\"",
        "S:3: 'countries' must be a table",
        "S:4: 'actors' must be a table",
        "S:5: 'events' must be an array of tables ([[events]])",
    ]


def test_entries_that_are_not_tables(tmp_path: Path) -> None:
    text = 'schema = 1\nevents = [1, "x"]\n\n[countries]\nchina = "China"\n\n[actors]\nxi = 1\n'
    code, out, _ = check(tmp_path, text)
    assert code == 1
    assert out == [  # each on the line that holds it
        "S:5: country 'china' must be a table",
        "S:8: actor 'xi' must be a table",
        "S:2: event #1 must be a table",
        "S:2: event #2 must be a table",
    ]


def test_a_schema_is_a_positive_number_and_an_empty_file_is_an_empty_store(tmp_path: Path) -> None:
    code, out, _ = check(tmp_path, '[countries.china]\nname = "China"\n')
    assert (code, out) == (1, ["S:1: missing 'schema' (add: schema = 1)"])
    code, out, _ = check(tmp_path, "schema = true\n")
    assert (code, out) == (1, ["S:1: 'schema' must be a positive whole number, not a boolean"])
    code, out, _ = check(tmp_path, "schema = 2023-05-17\n")
    assert (code, out) == (1, ["S:1: 'schema' must be a positive whole number, not a date"])
    code, out, _ = check(tmp_path, "schema = 1.5\n")
    assert (code, out) == (1, ["S:1: 'schema' must be a positive whole number, not 1.5"])
    for empty in ("schema = 1\n", "", "# nothing yet\n"):
        code, out, _ = check(tmp_path, empty)
        assert (code, out) == (0, [])


EVENTS = """schema = 1

[countries.china]
name = "China"

[[events]]
summary = "nothing else"

[[events]]
id = "e2"
date = 2023
kind = "talks"
title = "T"
countries = ["china"]
level = 3
sources = "Xinhua"

[[events]]
id = "e3"
date = "17 May 2023"
announced = "soon"
kind = "talks"
title = "T"
countries = ["china"]
tags = [1]
sources = ["Xinhua", {title = "x"}]

[[events]]
id = ""
date = "2023-05-17"
kind = "talks"
title = "T"
countries = ["china"]

[[events.sources]]
publisher = "Xinhua"

[[events]]
id = "e5"
date = "2023-05-17"
announced = "2023-06-01"
kind = "talks"
title = "T"
countries = ["china"]

[[events.sources]]
publisher = "Xinhua"
"""


def test_every_problem_of_an_event_is_said_whole(tmp_path: Path) -> None:
    code, out, _ = check(tmp_path, EVENTS, "--strict")
    assert code == 1
    assert out == [
        "S:6: event #1 has no id",
        "S:6: event #1 has no date",
        "S:6: event #1 has no kind",
        "S:6: event #1 has no title",
        "S:6: event #1 names no country",
        "S:6: event #1 cites no source",
        "S:15: event 'e2': 'level' must be a string, not a number",
        "S:11: event 'e2': 'date' must be an EDTF date string, not a number",
        "S:16: event 'e2': 'sources' must be an array of tables ([[events.sources]])",
        "S:25: event 'e3': 'tags' must be a list of strings",
        "S:20: event 'e3': bad date '17 May 2023': not an EDTF date: '17 May 2023';"
        " write it as 2023-05-17",
        "S:21: event 'e3': bad announced 'soon': not an EDTF date: 'soon'",
        "S:26: event 'e3', source 1 must be a table",
        "S:26: event 'e3', source 2 has no publisher",
        "S:28: event '' has no id",
        "S:41: event 'e5': announced 2023-06-01 is after the event's date 2023-05-17",
    ]


def test_a_toml_syntax_error_is_a_problem_without_strict(tmp_path: Path) -> None:
    text = 'schema = 1\n\n[countries.china]\nname = "China"\nname = "Again"\n'
    code, out, err = check(tmp_path, text)
    assert code == 1
    assert out == ["S:5: TOML syntax error: Cannot overwrite a value (column 15)"]
    assert err.endswith("1 problem in " + str(tmp_path / "events.toml") + "\n")


def many(count: int, last: str = "") -> str:
    """A store of ``count`` valid events, then ``last``."""
    event = (
        '[[events]]\nid = "e{n}"\ndate = "2023-05-17"\nkind = "talks"\ntitle = "T"\n'
        'countries = ["china"]\n\n[[events.sources]]\npublisher = "Xinhua"\n\n'
    )
    head = 'schema = 1\n\n[countries.china]\nname = "China"\n\n'
    return head + "".join(event.format(n=n) for n in range(count)) + last


def test_a_store_of_more_than_2000_events_is_checked(tmp_path: Path) -> None:
    """Events are validated in batches of 2000 (store/schema.py, SINK_BATCH): past the
    first batch, a valid event and one that cites no source are read like the others."""
    last = '[[events]]\nid = "late"\ndate = "2024"\nkind = "talks"\ntitle = "T"\n'
    last += 'countries = ["china"]\n'
    text = many(2001, last)
    code, out, err = check(tmp_path, text)
    assert (code, out) == (0, [])
    assert err.endswith(": ok, 2002 events\n")
    code, out, _ = check(tmp_path, text, "--strict")
    line = text.count("\n") - 5
    assert (code, out) == (1, [f"S:{line}: event 'late' cites no source"])


def test_unquoted_toml_dates_are_named_by_their_kind(tmp_path: Path) -> None:
    """TOML reads `date = 2023-05-18` (no quotes) as a date, not a string: the message
    names the kind of value the file holds, in words."""
    text = (
        'schema = 1\n\n[countries.china]\nname = "China"\n\n[[events]]\nid = "e1"\n'
        'date = 2023-05-18\nkind = "talks"\ntitle = "Talks"\ncountries = ["china"]\n'
        'announced = 2023-05-18T10:00:00\n\n[[events.sources]]\npublisher = "Good"\n'
    )
    code, out, _ = check(tmp_path, text)
    assert code == 1
    assert out == [
        "S:8: event 'e1': 'date' must be an EDTF date string, not a date",
        "S:12: event 'e1': 'announced' must be an EDTF date string, not a date-time",
    ]
