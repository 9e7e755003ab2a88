"""Listings of countries, actors, tags and kinds."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

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
        _table(console, columns, rows)
        return
    for row in rows:
        console.file.write(
            "\t".join(cell.replace("\t", " ").replace("\n", " ") for cell in row) + "\n"
        )


#: Columns of the countries and actors tables that may wrap; the slug (what one types)
#: and the name always show, the others give way from the right as the screen narrows.
_WRAPS = ("name", "native", "role", "aliases")


def _table(console: Console, columns: list[str], rows: list[list[str]]) -> None:
    from dtimeline.render.columns import fit_columns
    from dtimeline.render.formats import clean_cell

    cells = [dict(zip(columns, (clean_cell(c) for c in row), strict=True)) for row in rows]
    keep = columns[:2]
    give_way = columns[:1:-1]  # the last column goes first
    wraps = [c for c in columns if c in _WRAPS]
    layout = fit_columns(cells, columns, keep, give_way[::-1], wraps, console.width)
    if layout is None:  # not even slug and name side by side: one slug a line
        for row in cells:
            console.print(Text(row[columns[0]], "bold"), overflow="fold")
            console.print(Text("  " + row[columns[1]]), overflow="fold")
        return
    table = Table(header_style="bold", box=None, pad_edge=False, show_edge=False)
    for name, size in layout.items():
        table.add_column(name, width=size, no_wrap=name not in _WRAPS, overflow="fold",
                         style="bold" if name == columns[0] else "")  # fmt: skip
    for row in cells:
        table.add_row(*(Text(row[name]) for name in layout))
    console.print(table)


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
