"""Listings of countries, actors, tags and kinds."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from rich.console import Console
from rich.table import Table

from dtimeline.model import Store


def _emit(
    console: Console,
    fmt: str,
    columns: list[str],
    rows: list[list[str]],
    records: list[dict[str, Any]],
) -> None:
    if fmt == "json":
        console.file.write(json.dumps(records, ensure_ascii=False, indent=2) + "\n")
        return
    if fmt == "table" or (fmt == "auto" and console.is_terminal):
        table = Table(*columns, header_style="bold", box=None, pad_edge=False)
        for row in rows:
            table.add_row(*row)
        console.print(table)
        return
    for row in rows:
        console.file.write(
            "\t".join(cell.replace("\t", " ").replace("\n", " ") for cell in row) + "\n"
        )


def render_countries(store: Store, console: Console, fmt: str) -> None:
    counts = Counter(c for ev in store.events for c in ev.countries)
    records: list[dict[str, Any]] = [
        {"slug": c.slug, "name": c.name, "native": c.native, "iso": c.iso, "iso3": c.iso3,
         "aliases": list(c.aliases), "events": counts[c.slug]}
        for c in store.countries.values()
    ]  # fmt: skip
    rows = [[r["slug"], r["name"], r["native"], r["iso"], r["iso3"], ", ".join(r["aliases"]),
             str(r["events"])] for r in records]  # fmt: skip
    _emit(
        console, fmt, ["slug", "name", "native", "iso", "iso3", "aliases", "events"], rows, records
    )


def render_actors(store: Store, console: Console, fmt: str) -> None:
    counts = Counter(a for ev in store.events for a in ev.actors)
    records: list[dict[str, Any]] = [
        {"slug": a.slug, "name": a.name, "native": a.native, "country": a.country,
         "role": a.role, "aliases": list(a.aliases), "events": counts[a.slug]}
        for a in store.actors.values()
    ]  # fmt: skip
    rows = [[r["slug"], r["name"], r["native"], r["country"], r["role"], ", ".join(r["aliases"]),
             str(r["events"])] for r in records]  # fmt: skip
    _emit(console, fmt, ["slug", "name", "native", "country", "role", "aliases", "events"],
          rows, records)  # fmt: skip


def render_tags(store: Store, console: Console, fmt: str) -> None:
    """The tags the events use, most used first (then by name), with their counts."""
    counts = Counter(t for ev in store.events for t in ev.tags)
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    records: list[dict[str, Any]] = [{"tag": t, "events": n} for t, n in ranked]
    _emit(console, fmt, ["tag", "events"], [[t, str(n)] for t, n in ranked], records)


def render_kinds(store: Store, console: Console, fmt: str) -> None:
    """The event kinds the events use, most used first (then by name), with their counts
    and descriptions."""
    described = store.all_kinds()
    counts = Counter(ev.kind for ev in store.events)
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    records: list[dict[str, Any]] = [
        {"kind": k, "description": described.get(k, ""), "events": n} for k, n in ranked
    ]
    rows = [[r["kind"], r["description"], str(r["events"])] for r in records]
    _emit(console, fmt, ["kind", "description", "events"], rows, records)
