"""The SQLite index, cases found by mutation testing (docs/mutation.md)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from test_index import append_event

from dtimeline.store import after_write
from dtimeline.store import load_store as load_store_fn
from dtimeline.store.memo import memo, reset


@pytest.fixture(autouse=True)
def new_process() -> None:
    reset()


def test_a_store_named_by_a_relative_path_is_followed_not_rebuilt(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The index a process read is kept under the store's resolved path, so a write through
    a relative path updates it in place (one follow) instead of building it again."""
    monkeypatch.chdir(store.parent)
    relative = Path(store.name)
    current = load_store_fn(relative)
    assert (memo.counters["follows"], memo.counters["builds"]) == (0, 1)
    current = replace(current, events=(*current.events, append_event(store, 1)))
    after_write(relative, current, store.read_bytes())
    assert (memo.counters["follows"], memo.counters["builds"]) == (1, 1)
    reset()
    assert load_store_fn(store) == current
