"""Every process-wide memo lives on store/memo.py's one object, and its one function
forgets them all: the derived facts' tables (facts.py) and the search keys (query.py)."""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

from conftest import ROOT

from dtimeline import facts, query
from dtimeline.store import load_store
from dtimeline.store.memo import memo, reset


def test_one_reset_forgets_the_facts_and_the_search_keys(store: Path) -> None:
    reset()
    whole = load_store(store)
    assert memo.indexes and memo.name_hays and not memo.fact_tables and not memo.needles
    day = date(2026, 11, 27)
    facts.relationship(whole, facts.pairs(whole)[0], day)
    flt = query.Filter(as_of=day, search=("Xi'an",))
    assert query.select(whole, flt)
    assert memo.fact_tables and memo.name_keys and list(memo.needles) == ["Xi'an"]
    reset()
    assert not (memo.indexes or memo.stores or memo.fact_tables or memo.name_keys
                or memo.needles or memo.name_hays or memo.counters)  # fmt: skip


def test_facts_and_query_keep_no_memo_of_their_own() -> None:
    """No module-level dict and no lru_cache in facts.py, query.py and store/rows.py."""
    for name in ("facts.py", "query.py", "store/rows.py"):
        tree = ast.parse((ROOT / "dtimeline" / name).read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, (ast.Assign, ast.AnnAssign)):
                value = node.value
                assert not isinstance(value, (ast.Dict, ast.DictComp)), (name, ast.unparse(node))
            if isinstance(node, ast.FunctionDef):
                decorators = [ast.unparse(d) for d in node.decorator_list]
                assert not any("cache" in d for d in decorators), (name, node.name)
