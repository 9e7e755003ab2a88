"""The mutation tool's sampling (tools/mutation.py): what a run measures in a small module."""

from __future__ import annotations

import importlib.util
import random
import sys
from pathlib import Path

TOOL = Path(__file__).resolve().parent.parent / "tools" / "mutation.py"


def _tool():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("mutation_tool", TOOL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["mutation_tool"] = module
    spec.loader.exec_module(module)
    return module


def _sites(counts: list[int]) -> dict[tuple[int, int], list[str]]:
    return {(line, 0): [f"{line}-{k}" for k in range(n)] for line, n in enumerate(counts, 1)}


def test_a_small_module_is_filled_up_to_the_sample_size_with_every_site_in_it() -> None:
    by_site = _sites([1, 5, 30, 2, 40])
    keep = _tool().fill_small_module(by_site, 50, random.Random(1))
    assert len(keep) == 50
    lines = {int(job.split("-")[0]) for job in keep}
    assert lines == {1, 2, 3, 4, 5}
    # round robin: the sites with few mutants give all of them
    assert {"1-0", "2-0", "2-1", "2-2", "2-3", "2-4", "4-0", "4-1"} <= keep


def test_a_module_with_fewer_mutants_than_the_sample_runs_them_all() -> None:
    by_site = _sites([3, 4, 2])
    keep = _tool().fill_small_module(by_site, 50, random.Random(1))
    assert keep == {job for jobs in by_site.values() for job in jobs}


def test_the_same_seed_keeps_the_same_mutants() -> None:
    tool = _tool()
    by_site = _sites([9, 9, 9, 9])
    first = tool.fill_small_module(by_site, 20, random.Random(7))
    assert first == tool.fill_small_module(by_site, 20, random.Random(7))
    assert len(first) == 20
