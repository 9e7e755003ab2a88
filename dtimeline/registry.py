"""Every country in the world: ISO 3166-1 countries and the former states of ISO 3166-3,
by English short name, official name, everyday name, alpha-2 or alpha-3 code.

The data is the iso-codes database that ``pycountry`` ships (``databases/iso3166-1.json``
and ``iso3166-3.json``, each an object holding one list of entries with ``alpha_2``,
``alpha_3``, ``name`` and optionally ``common_name`` / ``official_name``). It is read
straight from those files rather than through ``import pycountry``: the package's
``__init__`` imports ``importlib.metadata`` (about 40 ms), more than all the rest of an
``add`` that declares a new country. The file layout is pinned by the version bound in
pyproject.toml, and tests/test_registry.py compares every entry with pycountry's public
API, so a change of layout fails loudly there.

Nothing here is imported unless a name is missing from the store: a store's own
declarations always come first, and ``check`` never looks here.

Pure apart from reading those two package files; no clock, no terminal.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

from dtimeline.errors import DtimelineError
from dtimeline.query import fold

#: Everyday English names where the ISO short name is formal or inverted and the database
#: gives no ``common_name`` (current countries by alpha-2; former ones by alpha-3).
EVERYDAY = {
    "CD": "Democratic Republic of the Congo", "FM": "Micronesia", "PS": "Palestine",
    "RU": "Russia", "VA": "Holy See", "VG": "British Virgin Islands",
    "VI": "United States Virgin Islands",
    "SUN": "Soviet Union", "DDR": "East Germany", "VDR": "North Vietnam",
    "YMD": "South Yemen", "BYS": "Byelorussian SSR", "CSK": "Czechoslovakia",
    "YUG": "Yugoslavia", "BUR": "Socialist Republic of the Union of Burma",
    "FXX": "Metropolitan France",
}  # fmt: skip

#: Other names people use (alpha-2 of current countries, alpha-3 of former ones).
ALIASES = {
    "GB": ("UK", "Britain", "Great Britain"), "US": ("America", "United States of America"),
    "TR": ("Turkey",), "CI": ("Ivory Coast",), "MM": ("Burma",), "SZ": ("Swaziland",),
    "MK": ("Macedonia",), "CV": ("Cape Verde",), "CZ": ("Czech Republic",),
    "CD": ("DR Congo", "Congo-Kinshasa"), "CG": ("Republic of the Congo", "Congo-Brazzaville"),
    "VA": ("Vatican", "Vatican City"), "KR": ("Korea",), "TL": ("East Timor",),
    "SUN": ("USSR", "Soviet Union"), "DDR": ("GDR",), "CSK": ("Czechoslovak Socialist Republic",),
}  # fmt: skip


@dataclass(frozen=True)
class Entry:
    """One country of the registry: the everyday English ``name``, ISO 3166-1 alpha-2
    ``iso`` and alpha-3 ``iso3`` (empty for a former state whose code is now another
    country's), whether it is a ``former`` state (ISO 3166-3), and every ``names`` it
    answers to (folded)."""

    name: str
    iso: str
    iso3: str
    former: bool
    names: tuple[str, ...]


class RegistryError(DtimelineError):
    """The country database cannot be read (pycountry missing or changed)."""


def _data_dir() -> Path:
    spec = find_spec("pycountry")  # finds the package without running its __init__
    locations = spec.submodule_search_locations if spec is not None else None
    if not locations:
        raise RegistryError("the country registry (pycountry) is not installed")
    return Path(next(iter(locations)), "databases")


def _read(name: str, key: str) -> list[dict[str, str]]:
    path = _data_dir() / name
    try:
        entries = json.loads(path.read_text("utf-8"))[key]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise RegistryError(f"cannot read the country registry {path}: {exc}") from None
    if not isinstance(entries, list):
        raise RegistryError(f"{path}: unexpected layout")
    return entries


def _dashed(name: str) -> str:
    """``south-korea`` for ``South Korea``: how a slug of the name is spelt."""
    return "-".join(re.findall(r"[a-z0-9]+", fold(name)))


def _names(*names: str) -> tuple[str, ...]:
    """The folded names, then each spelt as a slug (so ``cote d ivoire`` finds one too)."""
    folded = [fold(n) for n in names if n]
    return tuple(dict.fromkeys([*folded, *map(_dashed, folded)]))


@lru_cache(maxsize=1)
def entries() -> tuple[Entry, ...]:
    """Every entry: the current countries (ISO 3166-1) first, then the former states
    (ISO 3166-3). Raises RegistryError when the database cannot be read."""
    current = _read("iso3166-1.json", "3166-1")
    result = []
    taken2, taken3 = set(), set()
    for row in current:
        iso, iso3 = row["alpha_2"], row["alpha_3"]
        taken2.add(iso)
        taken3.add(iso3)
        name = EVERYDAY.get(iso) or row.get("common_name") or row["name"]
        extra = ALIASES.get(iso, ())
        result.append(Entry(name, iso, iso3, False, _names(
            name, row["name"], row.get("common_name", ""),
            row.get("official_name", ""), iso, iso3, *extra)))  # fmt: skip
    for row in _read("iso3166-3.json", "3166-3"):
        code2, code3 = row["alpha_2"], row["alpha_3"]
        # a withdrawn code may since have gone to another country: that one keeps it
        iso = "" if code2 in taken2 else code2
        iso3 = "" if code3 in taken3 else code3
        taken2.add(code2)
        taken3.add(code3)
        name = EVERYDAY.get(code3) or row["name"].split(",")[0].strip()
        extra = ALIASES.get(code3, ())
        result.append(Entry(name, iso, iso3, True, _names(
            name, row["name"], iso, iso3, *extra)))  # fmt: skip
    return tuple(result)


@lru_cache(maxsize=1)
def _index() -> dict[str, Entry]:
    index: dict[str, Entry] = {}
    for entry in entries():
        for key in entry.names:
            index.setdefault(key, entry)  # current countries win over former states
    return index


def lookup(text: str) -> Entry | None:
    """The country ``text`` names (any of its names or codes, ignoring case and accents),
    or None."""
    index = _index()
    return index.get(fold(text.strip())) or index.get(_dashed(text))


def all_names() -> list[str]:
    """Every folded name of the registry (for suggesting the nearest)."""
    return list(_index())
