"""What one process remembers between calls: every process-wide memo, in one object, reset
by one function (tests call :func:`reset` to act as a new process).

The store's open indexes and the stores built from them (store/index.py), the derived facts'
per-day tables (facts.py) and the search keys of names and needles (query.py, store/rows.py)
all live on :data:`memo`; no module keeps a memo of its own. This module imports nothing of
dtimeline at run time, so any module may use it without an import loop."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

#: The most entries a bounded table of :class:`Memo` holds before it is emptied (a
#: process that looks at many days or names does not grow without end).
FACT_TABLES_MAX = 8
NAME_KEYS_MAX = 4096
NEEDLES_MAX = 16

if TYPE_CHECKING:
    from dtimeline.model import Store
    from dtimeline.store.index import Index


class Memo:
    """Every process-wide memo:

    - ``indexes``: the open indexes, by store path, with the file key they were checked
      under; ``stores``: the whole stores built from them (store/index.py);
    - ``fact_tables``: facts.py's table of one (store, day, time travel), by
      ``(id(store), day, time_travel)``, at most :data:`FACT_TABLES_MAX`;
    - ``name_keys``: query.py's search key of a country's or person's name, at most
      :data:`NAME_KEYS_MAX`; ``needles``: the keys of a ``--search`` text, at most
      :data:`NEEDLES_MAX`; ``name_hays``: store/rows.py's index key of a country's or
      person's names, at most :data:`NAME_KEYS_MAX`;
    - ``counters``: what tests read (hits, misses, builds...).
    """

    def __init__(self) -> None:
        self.indexes: dict[Path, tuple[str, Index]] = {}
        self.stores: dict[Index, Store] = {}
        self.fact_tables: dict[tuple[int, date, bool], Any] = {}
        self.name_keys: dict[str, str] = {}
        self.needles: dict[str, tuple[str, str]] = {}
        self.name_hays: dict[tuple[str, ...], str] = {}
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
        self.fact_tables.clear()
        self.name_keys.clear()
        self.needles.clear()
        self.name_hays.clear()
        self.counters.clear()

    def __repr__(self) -> str:
        return f"Memo({len(self.indexes)} indexes, {dict(self.counters)!r})"


memo = Memo()


def reset(*_: Any) -> None:
    """Forget everything this process remembers (as if the next call ran in a new one)."""
    memo.clear()
