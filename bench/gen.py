"""Synthetic stores for the benchmarks: N events with realistic field sizes.

    python bench/gen.py 10000 -o bench/out/10k        # writes events.toml (+ events.jsonl)

The store is written THROUGH dtimeline's own import path: a header file holding the
countries and actors (written here with tomli-w), then ``dtimeline import`` of a JSONL file
of N events in the interchange form of ``dtimeline.serialize.event_to_dict``. When the
installed dtimeline has no ``import`` command yet, a fallback writes the events with tomli-w
directly (and says so on stderr).

Deterministic: the same N and seed give the same files.

    python bench/gen.py 100000 -o bench/out/100k --stream   # about 100 MB of TOML
    python bench/gen.py 1000000 -o bench/out/1m --lean      # about 340 MB, under a minute

``--stream`` writes the TOML blocks directly (dtimeline's own serializer, store/tomlblock.py)
one event at a time, never holding the events. The files are those ``import`` would write
(same blocks, same order); about 1 KB of TOML an event, so a gigabyte for a million.
``--lean`` writes the shape of bench/lean.py instead (every ISO 3166 country, about 340
bytes an event, no JSONL): the 1,000,000-event store of issue 17.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import tomli_w

from dtimeline.dates import parse_edtf
from dtimeline.model import KINDS, VISIT_KINDS, Event, Source
from dtimeline.serialize import event_to_dict

ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2026, 11, 27)

COUNTRIES = [
    ("china", "China", "中国", "CN", "CHN"),
    ("kazakhstan", "Kazakhstan", "Қазақстан", "KZ", "KAZ"),
    ("tajikistan", "Tajikistan", "Тоҷикистон", "TJ", "TJK"),
    ("uzbekistan", "Uzbekistan", "Oʻzbekiston", "UZ", "UZB"),
    ("kyrgyzstan", "Kyrgyzstan", "Кыргызстан", "KG", "KGZ"),
    ("turkmenistan", "Turkmenistan", "Türkmenistan", "TM", "TKM"),
    ("russia", "Russia", "Россия", "RU", "RUS"),
    ("mongolia", "Mongolia", "Монгол Улс", "MN", "MNG"),
    ("india", "India", "भारत", "IN", "IND"),
    ("turkey", "Türkiye", "Türkiye", "TR", "TUR"),
]
FIRST = ["Aslan", "Bolat", "Chen", "Dilnoza", "Erlan", "Farida", "Gulnara", "Hu", "Ilhom",
         "Jamshid", "Kairat", "Li", "Madina", "Nurlan", "Oleg", "Pavel", "Qian", "Rustam",
         "Saule", "Timur", "Ulugbek", "Vera", "Wang", "Xu", "Yerlan", "Zhang", "Aigerim",
         "Batyr", "Chingiz", "Dauren"]  # fmt: skip
LAST = ["Abdullaev", "Bekov", "Chen", "Dosmukhamedov", "Ermekov", "Fazylov", "Guo", "Hasanov",
        "Iskakov", "Jumabaev", "Karimov", "Liu", "Mirzaev", "Nazarov", "Omarov"]  # fmt: skip
PLACES = ["Beijing", "Astana", "Almaty", "Dushanbe", "Tashkent", "Samarkand",
          "Bishkek", "Ashgabat", "Moscow", "Ulaanbaatar", "New Delhi", "Ankara", "Xi'an",
          "Urumqi"]  # fmt: skip
TAGS = ["sco", "belt-and-road", "energy", "trade", "security", "culture", "c5-plus-1",
        "border", "water", "transport", "education", "health", "finance", "space",
        "agriculture", "tourism", "media", "customs", "railway", "pipeline"]  # fmt: skip
PUBLISHERS = ["Xinhua", "Kazinform", "TASS", "Khovar", "UzA", "AKIpress", "Reuters",
              "People's Daily", "The Astana Times", "Ministry of Foreign Affairs"]  # fmt: skip
TEXT = (
    "leaders discussed cooperation in trade energy transport and security and agreed "
    "to expand ties between their countries while officials signed documents on "
    "investment customs education culture and tourism during the visit and talks "
    "covered regional stability water resources railway links and a new pipeline"
)
WORDS = TEXT.split(" ")


def actors() -> list[tuple[str, str, str, str]]:
    out = []
    for i in range(30):
        name = f"{FIRST[i]} {LAST[i % len(LAST)]}"
        slug = name.lower().replace(" ", "-")
        out.append((slug, name, COUNTRIES[i % len(COUNTRIES)][0], f"Minister {i + 1}"))
    return out


def header() -> dict[str, Any]:
    return {
        "schema": 1,
        "countries": {
            slug: {"name": name, "native": native, "iso": iso, "iso3": iso3, "aliases": []}
            for slug, name, native, iso, iso3 in COUNTRIES
        },
        "actors": {
            slug: {"name": name, "country": country, "role": role, "aliases": []}
            for slug, name, country, role in actors()
        },
    }


def _sentence(rng: random.Random, chars: int) -> str:
    words: list[str] = []
    while sum(len(w) + 1 for w in words) < chars:
        words.append(rng.choice(WORDS))
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def make_event(rng: random.Random, n: int, people: list[tuple[str, str, str, str]]) -> Event:
    day = date(1992, 1, 1) + timedelta(
        days=rng.randrange((date(2027, 12, 31) - date(1992, 1, 1)).days)
    )
    precision = rng.random()
    if precision < 0.8:
        edtf = day.isoformat()
    elif precision < 0.93:
        edtf = day.isoformat()[:7]
    elif precision < 0.97:
        edtf = f"{day.isoformat()}/{(day + timedelta(days=rng.randint(1, 3))).isoformat()}"
    else:
        edtf = day.isoformat()[:4] + "~"
    when = parse_edtf(edtf)
    kind = rng.choice(list(KINDS))
    pair = rng.sample(COUNTRIES, 2)
    countries = tuple(c[0] for c in pair)
    acts = tuple(rng.sample([p[0] for p in people], rng.randint(0, 2)))
    future = when.earliest > TODAY
    announced = parse_edtf((when.earliest - timedelta(days=rng.randint(5, 60))).isoformat())
    sources = tuple(
        Source(
            publisher=rng.choice(PUBLISHERS),
            title=_sentence(rng, 50)[:-1],
            url=f"https://news.example.org/{when.earliest.year}/{n}-{k}.html",
            date=when.earliest.isoformat(),
        )
        for k in range(rng.randint(1, 3))
    )
    place = rng.choice(PLACES)
    return Event(
        id=f"{edtf[:10].replace('~', '')}-{kind}-{n:06d}",
        date=when,
        kind=kind,
        title=f"{pair[0][1]} and {pair[1][1]}: {_sentence(rng, 40)[:-1]}"[:70],
        countries=countries,
        actors=acts,
        host=countries[1] if kind in VISIT_KINDS else "",
        place=place,
        status="announced" if future else rng.choice(["held"] * 18 + ["postponed", "cancelled"]),
        announced=announced if future or rng.random() < 0.1 else None,
        tags=tuple(sorted(rng.sample(TAGS, rng.randint(0, 3)))),
        summary=_sentence(rng, 300),
        sources=sources,
    )


def events(count: int, seed: int = 1) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    people = actors()
    return [event_to_dict(make_event(rng, n, people)) for n in range(count)]


def write_jsonl(rows: list[dict[str, Any]], path: Path) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def write_header(path: Path) -> None:
    path.write_text(
        "# synthetic benchmark store (bench/gen.py)\n" + tomli_w.dumps(header()), encoding="utf-8"
    )


def has_import(exe: Path) -> bool:
    ran = subprocess.run([str(exe), "import", "--help"], capture_output=True, check=False)
    return ran.returncode == 0


def _toml_event(row: dict[str, Any]) -> dict[str, Any]:
    out = {
        k: v for k, v in row.items() if k not in {"start", "end", "precision"} and v not in ("", [])
    }
    out["sources"] = [{k: v for k, v in s.items() if v} for s in row["sources"]]
    return out


def build(count: int, folder: Path, exe: Path, seed: int = 1) -> Path:
    """Write ``folder/events.jsonl`` and ``folder/events.toml`` (through ``import``)."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = events(count, seed)
    jsonl = folder / "events.jsonl"
    write_jsonl(rows, jsonl)
    store = folder / "events.toml"
    write_header(store)
    if has_import(exe):
        ran = subprocess.run(
            [str(exe), "--store", str(store), "import", str(jsonl), "--format", "jsonl"],
            capture_output=True,
            check=False,
            env={"DTIMELINE_NO_CACHE": "1", "PATH": "/usr/bin:/bin", "HOME": str(folder)},
        )
        if ran.returncode != 0:
            sys.exit(
                f"gen: dtimeline import failed ({ran.returncode}): {ran.stderr.decode()[:500]}"
            )
    else:
        print(
            "gen: no 'dtimeline import' yet: writing events with tomli-w (fallback)",
            file=sys.stderr,
        )
        with store.open("a", encoding="utf-8") as fh:
            fh.write("\n" + tomli_w.dumps({"events": [_toml_event(r) for r in rows]}))
    return store


def build_streamed(count: int, folder: Path, seed: int = 1) -> Path:
    """Write ``folder/events.jsonl`` and ``folder/events.toml`` one event at a time."""
    from dtimeline.store.tomlblock import event_block

    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    people = actors()
    store = folder / "events.toml"
    write_header(store)
    with (store.open("a", encoding="utf-8") as toml,
          (folder / "events.jsonl").open("w", encoding="utf-8") as jsonl):  # fmt: skip
        for n in range(count):
            ev = make_event(rng, n, people)
            toml.write("\n" + event_block(ev))
            jsonl.write(json.dumps(event_to_dict(ev), ensure_ascii=False) + "\n")
    return store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("-o", "--out", type=Path, required=True, help="output folder")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--exe", type=Path, default=Path(sys.executable).with_name("dtimeline"))
    parser.add_argument("--stream", action="store_true", help="write the files one event at a time")
    parser.add_argument(
        "--lean",
        action="store_true",
        help="the lean shape of bench/lean.py (about 330 bytes an event; for 1M events)",
    )
    args = parser.parse_args()
    if args.lean:
        import lean

        args.out.mkdir(parents=True, exist_ok=True)
        store = args.out / "events.toml"
        print(store, json.dumps(lean.write_store(args.count, store, args.seed)))
    elif args.stream:
        print(build_streamed(args.count, args.out, args.seed))
    else:
        print(build(args.count, args.out, args.exe, args.seed))


if __name__ == "__main__":
    main()
