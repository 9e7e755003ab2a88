"""What one process remembers between calls: every process-wide memo of the store, in one
object, reset by one function (tests call :func:`reset` to act as a new process)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dtimeline.model import Store
    from dtimeline.store.index import Index


class Memo:
    """The open indexes (by store path, with the file key they were checked under), the
    whole stores built from them, and counters tests read (hits, misses, builds...)."""

    def __init__(self) -> None:
        self.indexes: dict[Path, tuple[str, Index]] = {}
        self.stores: dict[Index, Store] = {}
        self.counters: Counter[str] = Counter()

    def keep_index(self, path: Path, key: str, index: Index) -> None:
        old = self.indexes.get(path)
        if old is not None and old[1] is not index:
            self.forget(old[1])
        self.indexes[path] = (key, index)

    def forget(self, index: Index) -> None:
        """Drop ``index`` (and what was built from it) from the memo."""
        self.stores.pop(index, None)
        for path, (_, held) in list(self.indexes.items()):
            if held is index:
                del self.indexes[path]

    def clear(self) -> None:
        for _, index in self.indexes.values():
            index.close()
        self.indexes.clear()
        self.stores.clear()
        self.counters.clear()

    def __repr__(self) -> str:
        return f"Memo({len(self.indexes)} indexes, {dict(self.counters)!r})"


memo = Memo()


def reset(*_: Any) -> None:
    """Forget everything this process remembers (as if the next call ran in a new one)."""
    memo.clear()
    from dtimeline import facts, query

    query.clear_memos()
    facts.clear_memos()
