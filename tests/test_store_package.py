"""The store package's own names (store/__init__.py): `Problem` given on demand, no other
name made up, and `check_store`'s answers on small files. Cases found by mutation testing
(docs/mutation.md)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import dtimeline.store
from dtimeline.errors import StoreError
from dtimeline.store import Problem, check_store, load_store
from dtimeline.store.schema import Problem as SchemaProblem


def test_problem_is_the_validators_and_no_other_name_is_made_up() -> None:
    assert Problem is SchemaProblem
    with pytest.raises(AttributeError) as caught:
        dtimeline.store.Nothing
    assert str(caught.value) == "module 'dtimeline.store' has no attribute 'Nothing'"
    assert not hasattr(dtimeline.store, "problem")


def test_a_read_does_not_load_the_validator() -> None:
    """`Problem` is public here, but importing the package does not import store/schema.py."""
    code = "import sys, dtimeline.store; print('dtimeline.store.schema' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout == "False\n"


def test_check_store_on_small_files(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text('schema = 1\n\n[countries.china]\nname = "China"\n', "utf-8")
    assert check_store(path) == []
    path.write_text("schema = 1\nnot [ toml\n", "utf-8")
    assert check_store(path) == [
        Problem(str(path), 2, "TOML syntax error: Expected '=' after a key in a key/value pair"
                " (column 5)")
    ]  # fmt: skip
    with pytest.raises(StoreError):
        check_store(tmp_path / "missing.toml")
    path.write_text('schema = 1\n\n[countries.china]\nname = "China"\n', "utf-8")
    assert load_store(path).countries["china"].name == "China"
