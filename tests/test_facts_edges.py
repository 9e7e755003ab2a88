"""Derived facts on small purpose-built stores, the cases a sampled fault in facts.py
showed untested: the order of relationships that share a country, the relations date when
events of other kinds come first, and a visit series' default view of upcoming visits.
Each expectation is worked out by hand from the store written here."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from test_facts_small import AS_OF, event, store_of

from dtimeline import facts
from dtimeline.store.load import load_checked

#: Declared in this order on purpose: it is not the order of the relationships.
COUNTRIES = ("china", "tajikistan", "kyrgyzstan", "kazakhstan", "uzbekistan", "turkmenistan")


def test_relationships_of_one_country_rank_the_other_by_its_pairs_then_store_order() -> None:
    head = "schema = 1\n" + "".join(
        f'\n[countries.{slug}]\nname = "{slug.title()}"\n' for slug in COUNTRIES
    )
    both = [("china", other) for other in COUNTRIES[1:]] + [("kazakhstan", "uzbekistan")]
    body = "".join(
        event(f"e{n}", f"2020-01-{n + 1:02d}", "talks", countries=f'["{a}", "{b}"]')
        for n, (a, b) in enumerate(both)
    )
    facts.clear_memos()
    store = load_checked(head + "\n" + body, Path("pairs.toml"))
    # china: 5 relationships; kazakhstan and uzbekistan 2 each (kazakhstan declared first);
    # tajikistan, kyrgyzstan and turkmenistan 1 each, in the order they are declared
    assert facts.pairs(store) == [
        ("china", "kazakhstan"),
        ("china", "uzbekistan"),
        ("china", "tajikistan"),
        ("china", "kyrgyzstan"),
        ("china", "turkmenistan"),
        ("kazakhstan", "uzbekistan"),
    ]


def test_relations_date_is_not_taken_from_a_meeting_or_partnership_before_it() -> None:
    """Kinds that sort before ``relations-established`` (meeting, agreement, partnership)."""
    store = store_of(
        event("meet", "1991-10-01", "meeting"),
        event("deal", "1991-11-01", "agreement"),
        event("partner", "1991-12-01", "partnership", level="strategic partnership"),
        event("rel", "1992-01-03", "relations-established"),
    )
    rel = facts.relationship(store, ("china", "kazakhstan"), AS_OF)
    assert rel.established is not None and rel.established.edtf() == "1992-01-03"
    assert rel.years == 33
    before = facts.relationship(store, ("china", "kazakhstan"), date(1992, 1, 2))
    assert (before.established, before.years) == (None, None)


def test_a_visit_series_holds_an_unannounced_upcoming_visit_unless_looking_back() -> None:
    store = store_of(
        event("v1", "2019-04-02", "state-visit"),
        event("v2", "2026-06-01", "visit"),
    )
    series = facts.visit_series(store, "xi", "kazakhstan", AS_OF)
    assert [ev.id for ev in series] == ["v1", "v2"]
    looking_back = facts.visit_series(store, "xi", "kazakhstan", AS_OF, time_travel=True)
    assert [ev.id for ev in looking_back] == ["v1"]
