"""Shell completion values from the store: typer's ``autocompletion`` callbacks.

Shells ask through typer's own mechanism (``--install-completion``, ``--show-completion``
for bash, zsh and fish). Commands, options and ``--format`` choices typer completes by
itself; these callbacks add the store's names: SUBJECT, ``--country``, ``--actor``,
``--tag``, ``--kind``, ``--status`` and the ids of ``show``, ``edit`` and ``remove``.
Names come from :func:`dtimeline.store.names.names`, read with SQL from the store's index
(no event is built), so a Tab on a 10,000-event store costs little more than
``--version`` (bench/README.md).
"""

from __future__ import annotations

from collections.abc import Callable

import typer


def _names(ctx: typer.Context, *kinds: str, id_prefix: str = "") -> list[str]:
    from dtimeline.store import locate
    from dtimeline.store.names import names

    store = ctx.find_root().params.get("store")
    try:
        found = names(locate(store).path, id_prefix)
    except Exception:  # a Tab never prints an error into the prompt
        return []
    return [name for kind in kinds for name in found[kind]]


def _matching(words: list[str], incomplete: str) -> list[str]:
    low = incomplete.casefold()
    return [w for w in dict.fromkeys(words) if w.casefold().startswith(low)]


def of(*kinds: str) -> Callable[[typer.Context, str], list[str]]:
    """A completion callback offering the store's names of ``kinds`` (store/names.py)."""

    def complete(ctx: typer.Context, incomplete: str) -> list[str]:
        return _matching(_names(ctx, *kinds, id_prefix=incomplete), incomplete)

    return complete


def statuses(incomplete: str) -> list[str]:
    from dtimeline.model import STATUSES  # here: --help must not import the model

    return _matching(list(STATUSES), incomplete)


countries = of("countries")
actors = of("actors")
tags = of("tags")
kinds = of("kinds")
ids = of("ids")
subjects = of("countries", "actors", "tags")


def subject_or_id(ctx: typer.Context, incomplete: str) -> list[str]:
    """SUBJECT of ``show``: countries, people and tags; ids too once a digit is typed
    (every id starts with its date), so a bare Tab is not thousands of ids long."""
    kinds = ("countries", "actors", "tags") + (("ids",) if incomplete[:1].isdigit() else ())
    return _matching(_names(ctx, *kinds, id_prefix=incomplete), incomplete)
