"""Merge benchmark: `dtimeline merge-driver` on two branches that each added 1,000 events to
a 10,000-event store, against a cold `query` of that store, in the same run.

    .venv/bin/python bench/merge.py            # 5 runs each, interleaved
    .venv/bin/python bench/merge.py --runs 9

Target: the merge under 3x the cold query (issue "merge by event"). A *cold* query is a
first read: an empty cache folder, so the command parses the store and fills the cache.
Each merge run starts from a fresh copy of OURS (the driver writes its result there);
copying is not timed. Prints the figures; bench/README.md records a run by hand.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import gen  # noqa: E402

DTL = Path(sys.executable).with_name("dtimeline")
OUT = HERE / "out" / "merge"


def branch(base: Path, rows_seed: int, prefix: str, dest: Path, env: dict[str, str]) -> None:
    """``dest``: ``base`` plus 1,000 generated events (ids prefixed), added by ``import``."""
    shutil.copyfile(base, dest)
    rows = gen.events(1_000, seed=rows_seed)
    for row in rows:
        row["id"] = f"{prefix}-{row['id']}"
    jsonl = dest.with_suffix(".jsonl")
    gen.write_jsonl(rows, jsonl)
    ran = subprocess.run(
        [str(DTL), "--store", str(dest), "import", str(jsonl), "--format", "jsonl"],
        capture_output=True,
        env=env,
        check=False,
    )
    if ran.returncode != 0:
        sys.exit(f"import into {dest.name} failed: {ran.stderr.decode()[:300]}")


def timed(argv: list[str], env: dict[str, str]) -> tuple[float, int]:
    start = time.perf_counter()
    ran = subprocess.run(
        argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, check=False
    )
    return time.perf_counter() - start, ran.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    home = OUT / "home"
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "XDG_CACHE_HOME": str(home / "cache"),
        "XDG_STATE_HOME": str(home / "state"),
        "XDG_DATA_HOME": str(home / "data"),
        "DTIMELINE_TODAY": "2026-11-27",
    }
    base = gen.build(10_000, OUT / "base", DTL)
    ours, theirs = OUT / "ours.toml", OUT / "theirs.toml"
    branch(base, 2, "ours", ours, env)
    branch(base, 3, "theirs", theirs, env)
    work = OUT / "work.toml"
    cold_env = {**env, "XDG_CACHE_HOME": str(home / "cold-cache")}
    query = [str(DTL), "--store", str(base), "query", "-c", "kazakhstan", "--since", "2023"]
    merge = [str(DTL), "merge-driver", str(base), str(work), str(theirs), "events.toml"]
    cold, merged = [], []
    for _ in range(args.runs + 1):  # the first of each is a warm-up
        shutil.rmtree(home / "cold-cache", ignore_errors=True)
        seconds, code = timed(query, cold_env)
        assert code == 0, "query failed"
        cold.append(seconds)
        shutil.copyfile(ours, work)
        seconds, code = timed(merge, env)
        assert code == 0, "the merge was not clean"
        merged.append(seconds)
    check = subprocess.run(
        [str(DTL), "--store", str(work), "check"], capture_output=True, env=env, check=False
    )
    assert check.returncode == 0, check.stderr
    q, m = statistics.median(cold[1:]), statistics.median(merged[1:])
    for label, times, median in (
        ("cold query of the 10k store:", cold, q),
        ("merge-driver, 2 x 1,000 added:", merged, m),
    ):
        runs = times[1:]
        print(f"{label:32} median {median:.3f} s ({min(runs):.3f}-{max(runs):.3f})")
    print(f"ratio merge / cold query: {m / q:.2f} (target < 3), {args.runs} runs each")


if __name__ == "__main__":
    main()
