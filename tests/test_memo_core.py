"""The process memo's bookkeeping (store/memo.py), on a `Memo` of its own with stand-in
indexes: an index replaced under a path is forgotten with what was built from it, one kept
again stays whole, `forget` drops every path holding an index, and `clear` closes them.
Cases found by mutation testing (docs/mutation.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from dtimeline.store.memo import Memo


class FakeIndex:
    """Stands in for store/index.py's Index: the memo only holds it and closes it."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.closed = 0

    def close(self) -> None:
        self.closed += 1


def index(name: str) -> Any:
    return cast(Any, FakeIndex(name))


def test_an_index_replaced_under_its_path_is_forgotten_with_its_store() -> None:
    memo = Memo()
    old, new, built = index("old"), index("new"), cast(Any, object())
    memo.keep_index(Path("a.toml"), "k1", old)
    memo.stores[old] = built
    memo.keep_index(Path("a.toml"), "k2", new)
    assert memo.indexes == {Path("a.toml"): ("k2", new)}
    assert memo.stores == {}


def test_an_index_kept_again_under_a_new_key_keeps_its_store() -> None:
    """After a write the same index describes the new file: its new key replaces the old,
    and the store built from it stays (it is the written one)."""
    memo = Memo()
    same, built = index("same"), cast(Any, object())
    memo.keep_index(Path("a.toml"), "k1", same)
    memo.stores[same] = built
    memo.keep_index(Path("a.toml"), "k2", same)
    assert memo.indexes == {Path("a.toml"): ("k2", same)}
    assert memo.stores == {same: built}


def test_forget_drops_every_path_holding_the_index_and_no_other() -> None:
    memo = Memo()
    one, other = index("one"), index("other")
    memo.keep_index(Path("a.toml"), "k", one)
    memo.keep_index(Path("link.toml"), "k", one)  # a second path to the same store
    memo.keep_index(Path("b.toml"), "k", other)
    memo.stores[one] = cast(Any, object())
    memo.stores[other] = built = cast(Any, object())
    memo.forget(one)
    assert memo.indexes == {Path("b.toml"): ("k", other)}
    assert memo.stores == {other: built}
    assert (one.closed, other.closed) == (0, 0)  # forgetting does not close


def test_clear_closes_every_index_and_forgets_everything() -> None:
    memo = Memo()
    one, other = index("one"), index("other")
    memo.keep_index(Path("a.toml"), "k", one)
    memo.keep_index(Path("b.toml"), "k", other)
    memo.counters["hits"] += 1
    memo.name_keys["Xi"] = "xi"
    memo.clear()
    assert (one.closed, other.closed) == (1, 1)
    assert repr(memo) == "Memo(0 indexes, {})"
    assert not (memo.indexes or memo.stores or memo.name_keys or memo.counters)
