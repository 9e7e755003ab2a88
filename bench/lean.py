"""A lean synthetic store for the 1,000,000-event figures (issue 17): about 330 bytes of
TOML an event, written straight in the store's own layout, fast.

    python bench/gen.py 1000000 -o /tmp/dt1m --lean      # about 330 MB, well under 2 minutes

The 1k/10k/100k stores of gen.py (about 1 KB an event, 10 countries) stay as they are: other
figures compare against them. This shape is made for a big store, so that the reads of the
issue mean what they say:

* **every current ISO 3166-1 country** (249, from the registry dtimeline declares countries
  from), two per event, and dates from 1971 to 2026 (672 months): one country over one
  month is about a dozen events (``query -c kazakhstan --since 2023-05 --until 2023-05``);
* titles and summaries made of a vocabulary of :data:`VOCABULARY` made-up words, so any
  two words side by side occur in a few events, and the bench phrase (:data:`PHRASE`) is
  planted in about one summary in :data:`PHRASE_EVERY`: a few dozen events;
* 400 actors (on 3 events in 10), every kind (visits with a host), tags on half the events,
  one source (publisher and URL), a few dates at month, interval or approximate-year
  precision, events after :data:`TODAY` announced.

Each event is an :class:`Event` written by ``store/tomlblock.py``'s ``event_block`` (the
layout ``add`` and ``import`` write), so the file is canonical by construction; the head is
written with tomli-w, as gen.py does. Deterministic: the same count and seed give the same
bytes. ``jsonl`` writes other events (ids after the store's) in the interchange form, for
timing ``import`` into the big store.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import Any

import tomli_w

from dtimeline.dates import EDate, parse_edtf
from dtimeline.interchange import slugify
from dtimeline.model import KINDS, VISIT_KINDS, Event, Source

TODAY = date(2026, 11, 27)
FIRST_DAY = date(1971, 1, 1)
LAST_DAY = date(2026, 12, 31)
VOCABULARY = 1000
PHRASE = "investment customs education"
PHRASE_EVERY = 40_000
#: Native names of the countries the bundled timeline is about (the rest have none).
NATIVE = {"china": "中国", "kazakhstan": "Қазақстан", "tajikistan": "Тоҷикистон",
          "kyrgyzstan": "Кыргызстан", "russia": "Россия", "mongolia": "Монгол Улс"}  # fmt: skip
PUBLISHERS = ["Xinhua", "Kazinform", "TASS", "Khovar", "UzA", "AKIpress", "Reuters",
              "AP", "AFP", "Kyodo", "Yonhap", "Anadolu", "BBC", "Al Jazeera"]  # fmt: skip
PLACES = ["Beijing", "Astana", "Almaty", "Dushanbe", "Tashkent", "Bishkek", "Moscow",
          "Geneva", "New York", "Vienna", "Ankara", "Urumqi"]  # fmt: skip
TAGS = ["sco", "belt-and-road", "energy", "trade", "security", "culture", "border",
        "water", "transport", "finance", "health", "customs"]  # fmt: skip
FIRST = ["Aslan", "Bolat", "Chen", "Dilnoza", "Erlan", "Farida", "Gulnara", "Hu", "Ilhom",
         "Jamshid", "Kairat", "Li", "Madina", "Nurlan", "Oleg", "Pavel", "Qian", "Rustam",
         "Saule", "Timur"]  # fmt: skip
LAST = ["Abdullaev", "Bekov", "Chen", "Ermekov", "Fazylov", "Guo", "Hasanov", "Iskakov",
        "Jumabaev", "Karimov", "Liu", "Mirzaev", "Nazarov", "Omarov", "Petrov", "Qasimov",
        "Rahimov", "Sultanov", "Tokayev", "Usmanov"]  # fmt: skip


def countries() -> list[tuple[str, str, str, str]]:
    """``(slug, name, iso, iso3)`` of every current ISO 3166-1 country, slugs as ``add``
    makes them (interchange.slugify of the everyday name)."""
    from dtimeline import registry

    out = []
    for entry in registry.entries():
        if not entry.former:
            out.append((slugify(entry.name), entry.name, entry.iso, entry.iso3))
    return out


def actors(slugs: list[str]) -> list[tuple[str, str, str]]:
    """``(slug, name, country)`` of 400 people, each of one of ``slugs``."""
    out = []
    for i in range(400):
        name = f"{FIRST[i % 20]} {LAST[(i // 20) % 20]}"
        out.append((name.lower().replace(" ", "-"), name, slugs[(i * 7) % len(slugs)]))
    return out


def words() -> list[str]:
    """:data:`VOCABULARY` made-up words of two or three syllables (none of the phrase's)."""
    rng = random.Random(7)
    syllables = [c + v for c in "bdgklmnprstvz" for v in "aeiou"]
    out: dict[str, None] = {}
    while len(out) < VOCABULARY:
        out["".join(rng.choice(syllables) for _ in range(rng.choice((2, 3))))] = None
    return list(out)


def head_text(country_rows: list[tuple[str, str, str, str]],
              people: list[tuple[str, str, str]]) -> str:  # fmt: skip
    head = {
        "schema": 1,
        "countries": {slug: {"name": name, "native": NATIVE.get(slug, ""), "iso": iso,
                             "iso3": iso3, "aliases": []}
                      for slug, name, iso, iso3 in country_rows},
        "actors": {slug: {"name": name, "country": country, "role": "Minister", "aliases": []}
                   for slug, name, country in people},
    }  # fmt: skip
    return "# synthetic benchmark store (bench/gen.py --lean)\n" + tomli_w.dumps(head)


@lru_cache(maxsize=1 << 16)
def _date(text: str) -> EDate:
    return parse_edtf(text)


def events(seed: int = 1, first: int = 0) -> Iterator[Event]:
    """The events of the lean store, without end; ``first``: the number of the first
    (ids are unique per number)."""
    rng = random.Random(seed * 1_000_003 + first)
    names = {c[0]: c[1] for c in countries()}
    slugs = list(names)
    people = [p[0] for p in actors(slugs)]
    vocab = words()
    kinds = list(KINDS)
    span = (LAST_DAY - FIRST_DAY).days + 1
    rand, choice, randrange = rng.random, rng.choice, rng.randrange
    n = first
    while True:
        day = FIRST_DAY + timedelta(days=randrange(span))
        p = rand()
        if p < 0.85:
            edtf = day.isoformat()
        elif p < 0.95:
            edtf = day.isoformat()[:7]
        elif p < 0.98:
            edtf = f"{day.isoformat()}/{(day + timedelta(days=1 + randrange(3))).isoformat()}"
        else:
            edtf = f"{day.year}~"
        when = _date(edtf)
        kind = choice(kinds)
        pair = rng.sample(slugs, 2)
        title = f"{choice(vocab)} {choice(vocab)}"
        summary = " ".join(choice(vocab) for _ in range(3 + randrange(3)))
        if n % PHRASE_EVERY == PHRASE_EVERY // 2:
            summary = f"{summary} {PHRASE}"
        future = when.earliest > TODAY
        status = "announced" if future else ("held" if rand() < 0.97 else "postponed")
        yield Event(
            id=f"{edtf[:10].replace('~', '')}-{kind}-{n:07d}",
            date=when,
            kind=kind,
            title=f"{names[pair[0]]} and {names[pair[1]]}: {title}",
            countries=tuple(pair),
            actors=(choice(people),) if rand() < 0.3 else (),
            host=pair[1] if kind in VISIT_KINDS else "",
            place=choice(PLACES) if rand() < 0.3 else "",
            status=status,
            tags=(choice(TAGS),) if rand() < 0.5 else (),
            summary=summary[0].upper() + summary[1:] + ".",
            sources=(Source(publisher=choice(PUBLISHERS),
                            url=f"https://news.example.org/{day.year}/{n}.html"),),
        )  # fmt: skip
        n += 1


def write_store(count: int, path: Path, seed: int = 1) -> dict[str, Any]:
    """Write the lean store of ``count`` events to ``path``; returns what it holds:
    ``{"count", "bytes", "phrase": events whose summary holds PHRASE}``."""
    from dtimeline.store.tomlblock import event_block

    country_rows = countries()
    people = actors([c[0] for c in country_rows])
    phrase = 0
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write(head_text(country_rows, people))
        batch: list[str] = []
        for ev in islice(events(seed), count):
            batch.append("\n")
            batch.append(event_block(ev))
            phrase += PHRASE in ev.summary
            if len(batch) >= 20_000:
                fh.write("".join(batch))
                batch.clear()
        fh.write("".join(batch))
    return {"count": count, "bytes": path.stat().st_size, "phrase": phrase}


def write_jsonl(count: int, path: Path, first: int, seed: int = 1) -> None:
    """``count`` more events (numbered from ``first``, so their ids are not the store's)
    as JSON lines in the interchange form ``import`` reads."""
    from dtimeline.serialize import event_json

    with path.open("w", encoding="utf-8", newline="\n") as fh:
        for ev in islice(events(seed + 1, first), count):
            fh.write(event_json(ev) + "\n")
