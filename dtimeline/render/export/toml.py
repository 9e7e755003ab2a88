"""The export as a complete dtimeline store (TOML): the events, and the countries, actors
and kinds they name, so that ``import`` into another store (or ``check --strict``) needs
nothing else. See :func:`dtimeline.transfer.store_document`."""

from __future__ import annotations

from collections.abc import Iterator

from dtimeline.render.export.common import Export


def render(data: Export) -> Iterator[str]:
    from dtimeline.transfer import store_document

    yield store_document(data.events, data.store)
