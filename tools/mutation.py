"""Sampled mutation testing of one module: do the tests notice a small deliberate fault?

Usage (from the repository root, with the ``mutation`` extra installed)::

    python tools/mutation.py dtimeline/dates.py tests/test_dates.py tests/test_datereader.py \
        --sample 50 --seed 1

What it does, step by step:

1. Copies the tracked files of the working tree (as they are now, edits included) into a
   scratch folder, so the working tree is never mutated and other work can go on beside a run.
2. Runs the chosen tests once on the unmutated copy (they must pass) and times them; the time
   limit of each mutant run is ``--timeout-factor`` times that, at least ``--min-timeout`` s.
3. Asks cosmic-ray (``cosmic-ray init``) for every mutant of the module, then keeps one mutant
   at each of ``--sample`` source sites (a site is a line and column), chosen with ``--seed``;
   the rest are marked skipped in cosmic-ray's session database. A module with fewer sites
   than ``--sample`` runs every site, filled up to ``--sample`` mutants (several per site).
4. Runs the sample (``cosmic-ray exec``, one mutant at a time, local distributor). Each mutant
   is written into the copy's module, the tests run with ``PYTHONPATH`` pointing at the copy
   (so the CLI subprocesses the tests start run the mutant too), and the module is restored.
5. Prints killed / survived / timeout and, for each survivor, its line, operator and diff.

Exit code: 0 when the run finished (whatever the score), 2 on bad arguments, 1 when the
unmutated tests fail. The score is a measurement, not a gate: it is not part of CI.
See docs/mutation.md for how to read the result and judge equivalent mutants.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def tracked_files(root: Path) -> list[str]:
    """The repository's tracked files that exist in the working tree (relative paths)."""
    out = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=root,
        check=True,
        capture_output=True,
    ).stdout.decode()
    return [name for name in out.split("\0") if name and (root / name).is_file()]


def copy_tree(root: Path, dest: Path) -> None:
    for name in tracked_files(root):
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / name, target)


def test_command(tests: list[str], extra: list[str]) -> list[str]:
    return [
        sys.executable,
        "-m",
        "pytest",
        "-x",
        "-q",
        "-p",
        "no:cacheprovider",
        "-o",
        "addopts=",
        *extra,
        *tests,
    ]


def write_config(path: Path, module: str, command: list[str], timeout: float) -> None:
    quoted = " ".join(_shell_quote(part) for part in command)
    path.write_text(
        "[cosmic-ray]\n"
        f"module-path = {json.dumps(module)}\n"
        f"timeout = {timeout:.1f}\n"
        "excluded-modules = []\n"
        f"test-command = {json.dumps(quoted)}\n"
        "\n[cosmic-ray.distributor]\n"
        'name = "local"\n',
        encoding="utf-8",
    )


def _shell_quote(part: str) -> str:
    import shlex

    return shlex.quote(part)


def sample_sites(session: Path, size: int, seed: int) -> tuple[int, int]:
    """Keep one mutant at each of ``size`` sites; mark every other mutant skipped.

    Returns (number of sites in the module, number of mutants in the module)."""
    from cosmic_ray.work_db import WorkDB, use_db
    from cosmic_ray.work_item import WorkerOutcome, WorkResult

    with use_db(str(session), WorkDB.Mode.open) as db:
        # in a stable order (cosmic-ray's job ids are random at each init), so that the same
        # seed on the same code runs the same mutants, not only the same sites
        items = sorted(db.pending_work_items, key=_stable_key)
        by_site: dict[tuple[int, int], list[str]] = {}
        for item in items:
            mutation = item.mutations[0]
            by_site.setdefault(tuple(mutation.start_pos), []).append(item.job_id)
        rng = random.Random(seed)
        sites = sorted(by_site)
        if len(sites) >= size:
            chosen = set(rng.sample(sites, size))
            keep = {rng.choice(by_site[site]) for site in chosen}
        else:
            keep = fill_small_module(by_site, size, rng)
        skipped = [item.job_id for item in items if item.job_id not in keep]
        if skipped:
            db.set_multiple_results(
                skipped,
                WorkResult(output="not in the sample", worker_outcome=WorkerOutcome.SKIPPED),
            )
        return len(sites), len(items)


def _stable_key(item: Any) -> tuple[object, ...]:
    mutation = item.mutations[0]
    return (tuple(mutation.start_pos), mutation.operator_name, mutation.occurrence)


def fill_small_module(
    by_site: dict[tuple[int, int], list[str]], size: int, rng: random.Random
) -> set[str]:
    """Mutants to run in a module with fewer sites than the sample size.

    Every site gets one mutant, then a second, a third... (round robin over the sites in
    source order, each site's mutants in a seeded random order) until ``size`` mutants are
    kept or the module has no more. A small module is so measured on up to ``size`` faults
    rather than one per site."""
    queues = {site: rng.sample(jobs, len(jobs)) for site, jobs in by_site.items()}
    keep: set[str] = set()
    while len(keep) < size and any(queues.values()):
        for site in sorted(queues):
            if queues[site] and len(keep) < size:
                keep.add(queues[site].pop())
    return keep


def read_results(session: Path) -> list[dict[str, object]]:
    from cosmic_ray.work_db import WorkDB, use_db
    from cosmic_ray.work_item import TestOutcome, WorkerOutcome

    rows: list[dict[str, object]] = []
    with use_db(str(session), WorkDB.Mode.open) as db:
        for item, result in db.completed_work_items:
            if result.worker_outcome == WorkerOutcome.SKIPPED:
                continue
            mutation = item.mutations[0]
            if result.worker_outcome != WorkerOutcome.NORMAL:
                outcome = "incompetent"
            elif result.test_outcome == TestOutcome.SURVIVED:
                outcome = "survived"
            elif result.output == "timeout":
                outcome = "timeout"
            elif result.test_outcome == TestOutcome.INCOMPETENT:
                outcome = "incompetent"
            else:
                outcome = "killed"
            rows.append(
                {
                    "line": mutation.start_pos[0],
                    "column": mutation.start_pos[1],
                    "operator": mutation.operator_name.rsplit("/", 1)[-1],
                    "occurrence": mutation.occurrence,
                    "outcome": outcome,
                    "diff": result.diff or "",
                }
            )
    rows.sort(key=lambda row: (row["line"], row["column"]))  # type: ignore[arg-type,return-value]
    return rows


def report(module: str, rows: list[dict[str, object]], sites: int, mutants: int) -> str:
    counts = {
        name: sum(1 for row in rows if row["outcome"] == name)
        for name in ("killed", "survived", "timeout", "incompetent")
    }
    scored = counts["killed"] + counts["survived"] + counts["timeout"]
    noticed = counts["killed"] + counts["timeout"]
    share = f"{100 * noticed / scored:.0f}%" if scored else "n/a"
    lines = [
        f"module: {module} ({sites} sites, {mutants} mutants; {len(rows)} sampled)",
        f"killed {counts['killed']}  survived {counts['survived']}  timeout {counts['timeout']}"
        f"  incompetent {counts['incompetent']}  noticed {noticed}/{scored} = {share}",
    ]
    survivors = [row for row in rows if row["outcome"] == "survived"]
    if survivors:
        lines.append("survivors:")
    for row in survivors:
        lines.append(f"- line {row['line']}: {row['operator']}")
        diff_lines = str(row["diff"]).splitlines()
        lines.extend(
            "    " + text
            for text in diff_lines
            if text.startswith(("+", "-")) and not text.startswith(("+++", "---"))
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("module", help="module file to mutate, e.g. dtimeline/dates.py")
    parser.add_argument("tests", nargs="+", help="test files or node ids that exercise it")
    parser.add_argument(
        "--sample",
        type=int,
        default=50,
        help="sites to sample (default 50); a smaller module: mutants, all sites",
    )
    parser.add_argument("--seed", type=int, default=1, help="sampling seed (default 1)")
    parser.add_argument("--timeout-factor", type=float, default=4.0)
    parser.add_argument("--min-timeout", type=float, default=30.0)
    parser.add_argument("--pytest-arg", action="append", default=[], help="extra pytest argument")
    parser.add_argument("--keep", action="store_true", help="keep the scratch copy")
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    args = parser.parse_args(argv)

    if not (ROOT / args.module).is_file():
        parser.error(f"no such module: {args.module}")
    if shutil.which("cosmic-ray", path=str(Path(sys.executable).parent)) is None:
        parser.error("cosmic-ray is not installed: pip install -e '.[mutation]'")

    scratch = Path(tempfile.mkdtemp(prefix="dtimeline-mutation-"))
    try:
        copy_tree(ROOT, scratch)
        env = dict(os.environ, PYTHONPATH=str(scratch), PYTHONDONTWRITEBYTECODE="1")
        env.setdefault("HYPOTHESIS_PROFILE", "mutation")
        command = test_command(args.tests, args.pytest_arg)

        started = time.monotonic()
        baseline = subprocess.run(
            command, check=False, cwd=scratch, env=env, capture_output=True, text=True
        )
        took = time.monotonic() - started
        if baseline.returncode != 0:
            sys.stderr.write(baseline.stdout[-4000:] + baseline.stderr[-2000:])
            sys.stderr.write("the tests fail on the unmutated code; fix that first\n")
            return 1
        timeout = max(args.min_timeout, args.timeout_factor * took)
        print(f"baseline: tests pass in {took:.1f}s; timeout per mutant {timeout:.0f}s", flush=True)

        config = scratch / "mutation.toml"
        session = scratch / "mutation.sqlite"
        write_config(config, args.module, command, timeout)
        bindir = Path(sys.executable).parent
        subprocess.run(
            [str(bindir / "cosmic-ray"), "init", str(config), str(session)],
            cwd=scratch,
            env=env,
            check=True,
        )
        sites, mutants = sample_sites(session, args.sample, args.seed)
        if sites >= args.sample:
            print(f"sampled {args.sample} of {sites} sites ({mutants} mutants)", flush=True)
        else:
            kept = min(args.sample, mutants)
            print(f"all {sites} sites; {kept} of {mutants} mutants", flush=True)
        subprocess.run(
            [str(bindir / "cosmic-ray"), "exec", str(config), str(session)],
            cwd=scratch,
            env=env,
            check=True,
        )
        rows = read_results(session)
        print(report(args.module, rows, sites, mutants))
        if args.json:
            args.json.write_text(json.dumps(rows, indent=1), encoding="utf-8")
        return 0
    finally:
        if args.keep:
            print(f"scratch copy kept in {scratch}", file=sys.stderr)
        else:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
