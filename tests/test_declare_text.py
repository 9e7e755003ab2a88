"""Declarations written into a store's text (store/declare.py), property-tested: whatever
comments and events the file holds, the new tables read back as given, everything else
reads back unchanged, and the one splice between old and new bytes rebuilds the new file."""

from __future__ import annotations

from pathlib import Path

import tomli
from hypothesis import given, settings
from hypothesis import strategies as st

from dtimeline.model import Actor, Country
from dtimeline.store.declare import (
    Declarations,
    country_fields,
    replaced_table,
    splice_between,
    with_declarations,
)

names = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
                min_size=1, max_size=20).filter(str.strip)  # fmt: skip
slugs = st.from_regex(r"[a-z][a-z0-9._-]{0,12}", fullmatch=True)
comments = st.lists(st.text("abc #[]=\"' ", max_size=15).map(lambda t: "# " + t), max_size=3)


@st.composite
def stores(draw: st.DrawFn) -> tuple[str, int]:
    """A store's text with comments here and there, and how many events it holds."""
    lines = [*draw(comments), "schema = 1", ""]
    lines += ["[countries.cn]", *draw(comments), 'name = "China"  # kept', ""]
    count = draw(st.integers(0, 3))
    for n in range(count):
        lines += [*draw(comments), "[[events]]", f'id = "e{n}"', 'date = "2000"',
                  'kind = "other"', f'title = "[[events]] {n}"', 'countries = ["cn"]',
                  ""]  # fmt: skip
    return "\n".join(lines) + draw(st.sampled_from(["", "\n"])), count


@settings(max_examples=60, deadline=None)
@given(stores(), st.dictionaries(slugs, names, min_size=1, max_size=3), names)
def test_declarations_read_back_and_nothing_else_moves(
    store: tuple[str, int], new: dict[str, str], person: str
) -> None:
    text, count = store
    new.pop("cn", None)
    countries = {s: Country(s, n) for s, n in new.items()}
    actors = {"p": Actor("p", person, country="cn")}
    after = with_declarations(text, Declarations(countries, actors, {"forum": "a forum"}))
    before_doc, after_doc = tomli.loads(text), tomli.loads(after)
    assert after_doc.get("events", []) == before_doc.get("events", [])
    assert len(after_doc.get("events", [])) == count
    for slug, name in new.items():
        assert after_doc["countries"][slug] == {"name": name}
    assert after_doc["countries"]["cn"] == {"name": "China"}
    assert after_doc["actors"]["p"] == {"name": person, "country": "cn"}
    assert after_doc["kinds"] == {"forum": "a forum"}
    for line in text.splitlines():
        assert line in after.splitlines()  # every line of the old file is still there
    start, end, replacement = splice_between(text.encode(), after.encode())
    old = text.encode()
    assert old[:start] + replacement + old[end:] == after.encode()


@settings(max_examples=40, deadline=None)
@given(stores(), names, st.lists(names, max_size=2))
def test_a_country_table_is_edited_in_place(
    store: tuple[str, int], native: str, aliases: list[str]
) -> None:
    text, _ = store
    changed = Country("cn", "China", native, "CN", "", tuple(aliases))
    after = replaced_table(text, "countries", "cn", country_fields(changed), Path("s.toml"))
    doc = tomli.loads(after)
    want: dict[str, object] = {"name": "China", "native": native, "iso": "CN"}
    if aliases:
        want["aliases"] = aliases
    assert doc["countries"]["cn"] == want
    assert doc.get("events", []) == tomli.loads(text).get("events", [])
    assert 'name = "China"  # kept' in after
