"""Fit a table's columns to the screen without cutting what people type.

Pure arithmetic on cell widths (no rich table involved), so a table printed in chunks
lines up and a narrow screen gives up whole columns, least needed first, instead of
cutting ids and slugs in the middle.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

GAP = 2  # cells between two columns


def fit_columns(  # noqa: PLR0917
    rows: Iterable[Mapping[str, str]],
    order: Sequence[str],
    keep: Sequence[str],
    give_way: Sequence[str],
    wraps: Sequence[str],
    width: int,
    *,
    least: Mapping[str, int] | None = None,
    most: Mapping[str, int] | None = None,
) -> dict[str, int] | None:
    """The columns (in ``order``) and the width of each, for ``rows`` (column -> text) at
    ``width`` cells; None when the columns of ``keep`` alone do not fit.

    A column not in ``wraps`` is as wide as its widest cell (at most ``most[name]``); one in
    ``wraps`` at least as wide as its longest word (and ``least[name]``, when its cells are
    that wide), and gets a share of the spare cells by what it lacks, up to its widest cell.
    Columns of ``give_way`` are added, the last first, while they fit. Headers (the column
    names) count as cells."""
    from rich.cells import cell_len

    widest = {name: cell_len(name) for name in order}
    need = dict(widest)
    wrapping = set(wraps)
    for row in rows:
        for name, text in row.items():
            if name not in widest:
                continue
            size = cell_len(text)
            widest[name] = max(widest[name], size)
            if name in wrapping and size > need[name]:
                need[name] = max(need[name], *(cell_len(w) for w in text.split()))
    for name, cap in (most or {}).items():
        widest[name] = min(widest[name], cap)
    for name in order:
        if name not in wrapping:
            need[name] = widest[name]
    for name, floor in (least or {}).items():
        need[name] = max(need[name], min(widest[name], floor))
    used = sum(need[name] for name in keep) + GAP * (len(keep) - 1)
    if used > width:
        return None
    chosen = set(keep)
    for name in reversed(give_way):
        if used + GAP + need[name] <= width:
            chosen.add(name)
            used += GAP + need[name]
    sizes = {name: need[name] for name in order if name in chosen}
    spare = width - used
    while spare > 0:  # share what is left among the columns that wrap, by what they lack
        short = {n: widest[n] - sizes[n] for n in wraps if n in sizes and sizes[n] < widest[n]}
        if not short:
            break
        total = sum(short.values())
        given = 0
        for name, lack in short.items():
            extra = min(lack, spare * lack // total, spare - given)
            if not extra and given < spare:
                extra = 1
            sizes[name] += extra
            given += extra
        spare -= given
    return sizes
