"""The `brief` command: a short, sourced briefing on one relationship as of a day."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer

from dtimeline.cli.options import AsOfOpt
from dtimeline.cli.read import WidthOpt
from dtimeline.cli.state import get_state


class BriefFormat(str, Enum):
    text = "text"
    md = "md"
    json = "json"


def brief(
    ctx: typer.Context,
    subject: Annotated[
        str,
        typer.Argument(
            metavar="SUBJECT",
            show_default=False,
            help="A country (paired with the one country it has relations with in "
            "the store), or a pair of countries as A/B, e.g. china/kazakhstan.",
        ),
    ],
    as_of: AsOfOpt = None,
    fmt: Annotated[
        BriefFormat,
        typer.Option(
            "--format",
            "-f",
            case_sensitive=False,
            help="text; md: Markdown with footnotes; json: each claim as a record "
            "(kind, value, sentence, ids, sources).",
        ),
    ] = BriefFormat.text,
    width: WidthOpt = None,
) -> None:
    """A briefing on a relationship as of today (or --as-of), each sentence sourced.

    Years of relations and since when; the partnership level and since when; leaders'
    bilateral meetings in the previous and the current year (counted as `stats` counts
    them); announced visits (the nth visit, the first in N years, state visit or not); the
    last visit each way; the most recent joint statement and treaty. Every figure is
    computed from the store; one the store cannot support is left out. Each sentence is
    followed by the numbers of the events it rests on, listed at the end with their
    sources."""
    from dtimeline.briefing import brief as compute
    from dtimeline.briefing import named_countries, relationship_of
    from dtimeline.cli.options import make_filter
    from dtimeline.store.select import relationship_store

    state = get_state(ctx)
    named = named_countries(state.head, subject, state.tags)
    # only the events of those countries' relationships (read through the index), as stats
    store = relationship_store(state.index, set(named))
    pair = relationship_of(store, named)
    flt = make_filter(state, as_of=as_of)
    briefing = compute(store, pair, flt.as_of, flt.time_travel)
    from dtimeline.render import brief as render

    console = state.console(width=width)
    if fmt is BriefFormat.json:
        render.write_json(briefing, store, console.file)
    elif fmt is BriefFormat.md:
        render.render_md(briefing, store, console.file)
    else:
        render.render_text(briefing, store, console.file, console.width)


#: The commands of this module, by name (cli/application.py registers them).
COMMANDS = {"brief": brief}
EXAMPLES = {
    "brief": (
        "dtimeline brief kazakhstan --as-of 2024-07-01",
        "dtimeline brief china/tajikistan --format md",
        "dtimeline brief kz --format json | jq '.claims[].sentence'",
    ),
}
