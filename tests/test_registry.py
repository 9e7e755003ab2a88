"""The country registry against pycountry's public API: every ISO 3166-1 country and every
ISO 3166-3 former state, read from the package's data files, agrees with what pycountry
itself says. If pycountry changes how it ships its data, this fails loudly."""

from __future__ import annotations

import pycountry
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dtimeline import registry
from dtimeline.interchange import Resolver, slugify
from dtimeline.model import Country, Store
from dtimeline.query import fold


def test_every_current_country_is_found_by_each_of_its_names_and_codes() -> None:
    listed = list(pycountry.countries)
    assert len(listed) >= 249
    for c in listed:
        for text in (c.alpha_2, c.alpha_3, c.name, getattr(c, "official_name", None),
                     getattr(c, "common_name", None)):  # fmt: skip
            if text:
                found = registry.lookup(text)
                assert found is not None and found.iso == c.alpha_2, (text, found)
                assert found.iso3 == c.alpha_3 and not found.former


def test_every_former_state_is_found_unless_its_code_went_to_another() -> None:
    current2 = {c.alpha_2 for c in pycountry.countries}
    current3 = {c.alpha_3 for c in pycountry.countries}
    formers = list(pycountry.historic_countries)
    assert len(formers) >= 30
    for c in formers:
        found = registry.lookup(c.name)
        assert found is not None, c.name
        if not found.former:  # a name now used for its successor (East Timor: Timor-Leste)
            assert c.name in registry.ALIASES.get(found.iso, ()), c.name
            continue
        assert found.iso3 in (c.alpha_3, "")
        assert found.iso3 == ("" if c.alpha_3 in current3 else c.alpha_3)
        if c.alpha_2 in current2:
            assert found.iso == ""  # BY is Belarus, not the Byelorussian SSR


@pytest.mark.parametrize(
    ("text", "iso", "name"),
    [("Russia", "RU", "Russia"), ("South Korea", "KR", "South Korea"), ("Iran", "IR", "Iran"),
     ("United States", "US", "United States"), ("UK", "GB", "United Kingdom"),
     ("USSR", "SU", "Soviet Union"), ("Soviet Union", "SU", "Soviet Union"),
     ("Yugoslavia", "YU", "Yugoslavia"), ("Czechoslovakia", "CS", "Czechoslovakia"),
     ("East Germany", "DD", "East Germany"), ("türkiye", "TR", "Türkiye"),
     ("TURKIYE", "TR", "Türkiye"), ("cote d'ivoire", "CI", "Côte d'Ivoire")],
)  # fmt: skip
def test_everyday_names(text: str, iso: str, name: str) -> None:
    found = registry.lookup(text)
    assert found is not None and (found.iso, found.name) == (iso, name)


def test_unknown_names_are_none() -> None:
    for text in ("Atlantis", "", "E", "European Union", "XX"):
        assert registry.lookup(text) is None, text


def test_slugs_are_readable_and_unique() -> None:
    slugs = [slugify(e.name) for e in registry.entries()]
    assert {"france", "south-korea", "soviet-union", "united-kingdom"} <= set(slugs)
    assert len(set(slugs)) == len(slugs)


def test_resolver_prefers_the_stores_declaration_by_iso_code() -> None:
    store = Store(countries={"kz": Country("kz", "Qazaqstan", iso="KZ")})
    res = Resolver(store, registry=True)
    assert res.country("Republic of Kazakhstan") == "kz"
    assert res.country("Mongolia") == "mongolia" and set(res.declared) == {"mongolia"}
    assert res.country("MNG") == "mongolia"


@given(st.text(max_size=30))
def test_lookup_never_raises_and_ignores_case(text: str) -> None:
    found = registry.lookup(text)
    assert registry.lookup(text.upper()) == found or fold(text.upper()) != fold(text)
