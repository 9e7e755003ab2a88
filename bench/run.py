"""The benchmark suite: whole-process timings and peak memory of dtimeline commands, each
beside baselines measured in the same run, written to bench/README.md.

    .venv/bin/python bench/run.py            # everything (1k, 10k, 100k events), < 10 min
    .venv/bin/python bench/run.py --quick    # fewer repetitions

Every figure is one fresh process, forked by a small launcher (LAUNCH) and reaped there with
os.wait4, which returns that process's own resource usage: the wall time is measured around
it, the peak memory is its ru_maxrss (so each measurement is per command, not a maximum over
the run, and not inflated by this harness's own memory). A figure is the
median of N runs after one warm-up run (min and max shown); slow commands get fewer runs.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import gen  # noqa: E402

ROOT = HERE.parent
BIN = Path(sys.executable).parent
DTL = str(BIN / "dtimeline")
JRNL = BIN / "jrnl"
PY = sys.executable
SLOW = 2.0  # seconds: a command slower than this (first run) gets at most 3 runs
VERY_SLOW = 5.0  # seconds: slower than this (first run), that run is the figure
BUDGET = 30.0  # seconds: a 100k figure predicted (10x its 10k median) above this is skipped
SIZES = {"1k": 1_000, "10k": 10_000, "100k": 100_000}
#: The issue-17 reads: one country and one month, one phrase, one subject over one month.
MONTH = ["--since", "2023-05", "--until", "2023-05"]
PHRASE = "investment customs education"


def issue17_reads(dt: Sequence[str]) -> dict[str, tuple[str, list[str]]]:
    """key suffix -> (label, argv) of the reads the index targets (issue 17)."""
    return {
        "query-month": ("query -c kazakhstan, one month", [*dt, "query", "-c", "kazakhstan",
                                                           *MONTH]),
        "search-phrase": (f"query --search '{PHRASE}'", [*dt, "query", "--search", PHRASE]),
        "show-month": ("show kazakhstan, one month", [*dt, "show", "kazakhstan", *MONTH]),
    }  # fmt: skip


def add_argv(store: Path) -> Callable[[int], list[str]]:
    return lambda n: [DTL, "--store", str(store), "add", "2024-05-17",
                      f"Bench talks number {n} {time.time_ns()}", "--country", "china",
                      "--country", "kazakhstan", "--kind", "talks",
                      "--source", "https://news.example.org/bench.html"]  # fmt: skip


#: Runs one command and reports (on the file descriptor in argv[1]) its wall time, peak RSS
#: (os.wait4: that process alone) and exit code. A launcher of about 5 MB, so the peak of a
#: command is its own down to that size (see Bench.once).
LAUNCH = r"""
import os, sys, time
fd = int(sys.argv[1])
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        os.close(fd)
        os.execv(sys.argv[2], sys.argv[2:])
    finally:
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - start
os.write(fd, b"%r %d %d" % (wall, usage.ru_maxrss, os.waitstatus_to_exitcode(status)))
"""


@dataclass
class Figure:
    label: str
    times: list[float]
    rss_kb: list[int]
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def peak_mb(self) -> float:
        return max(self.rss_kb) / 1024


@dataclass
class Bench:
    out: Path
    runs: int
    env: dict[str, str]
    cwd: Path
    results: dict[str, Figure] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def once(self, argv: Sequence[str], env: dict[str, str] | None = None) -> tuple[float, int]:
        """One fresh process: (wall seconds, its own peak RSS in KB); fails loudly.

        Started by :data:`LAUNCH` in a small Python of its own, not forked from this one:
        Linux counts the memory of the process a command was forked from in the command's
        ``ru_maxrss`` (the figure cannot go below it), and this harness grows large."""
        err = self.out / "last-stderr.txt"
        exe = shutil.which(argv[0], path=(env or self.env).get("PATH")) or argv[0]
        read, write = os.pipe()
        try:
            with err.open("wb") as fh:
                proc = subprocess.Popen(
                    [PY, "-I", "-S", "-c", LAUNCH, str(write), exe, *argv[1:]],
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=fh,
                    env=env or self.env,
                    cwd=self.cwd,
                    pass_fds=(write,),
                )
                os.close(write)
                write = -1
                report = b""
                while chunk := os.read(read, 256):
                    report += chunk
                proc.wait()
        finally:
            os.close(read)
            if write >= 0:
                os.close(write)
        try:
            wall_text, rss_text, code_text = report.split()
            wall, rss, code = float(wall_text), int(rss_text), int(code_text)
        except ValueError:
            code, wall, rss = proc.returncode or 1, 0.0, 0
        if code != 0:
            raise SystemExit(f"bench: {' '.join(argv)} exited {code}:\n{err.read_text()[-2000:]}")
        return wall, rss

    def measure(
        self,
        key: str,
        label: str,
        argv: Callable[[int], Sequence[str]] | Sequence[str],
        *,
        env: dict[str, str] | None = None,
        setup: Callable[[int], None] | None = None,
        runs: int | None = None,
    ) -> Figure:
        """Warm up once, then N runs; ``argv`` may depend on the run number."""
        return self.group(Spec(key, label, argv, env, setup, runs))[0]

    def group(self, *specs: Spec) -> list[Figure]:
        """Measure commands side by side: warm-ups first, then the runs in turns (A, B, A,
        B...), so a change in the machine's load hits a figure and its baseline alike."""
        for spec in specs:
            if spec.setup:
                spec.setup(0)
            self.once(spec.args(0), spec.env)  # warm-up: page cache, and the read cache
        want = {spec.key: spec.runs or self.runs for spec in specs}
        times: dict[str, list[float]] = {spec.key: [] for spec in specs}
        rss: dict[str, list[int]] = {spec.key: [] for spec in specs}
        i = 0
        while any(len(times[k]) < n for k, n in want.items()):
            i += 1
            for spec in specs:
                if len(times[spec.key]) >= want[spec.key]:
                    continue
                if spec.setup:
                    spec.setup(i)
                t, r = self.once(spec.args(i), spec.env)
                times[spec.key].append(t)
                rss[spec.key].append(r)
                if i == 1 and t > SLOW:  # a slow command: fewer runs keep the suite short
                    n = want[spec.key]
                    fewer = 1 if t > VERY_SLOW else min(n, 3 if self.runs > 3 else 1)
                    want[spec.key] = max(fewer, spec.min_runs)
        figures = []
        for spec in specs:
            fig = Figure(spec.label, times[spec.key], rss[spec.key])
            self.results[spec.key] = fig
            figures.append(fig)
            print(
                f"  {spec.label:<58} {fig.median:8.3f} s  [{min(fig.times):.3f}-"
                f"{max(fig.times):.3f}] n={len(fig.times)}  {fig.peak_mb:6.1f} MB",
                flush=True,
            )
        return figures


@dataclass
class Spec:
    """One command to measure (``argv`` may depend on the run number)."""

    key: str
    label: str
    argv: Callable[[int], Sequence[str]] | Sequence[str]
    env: dict[str, str] | None = None
    setup: Callable[[int], None] | None = None
    runs: int | None = None
    min_runs: int = 1  # however slow: for the baseline of a target, one run is too few

    def args(self, n: int) -> Sequence[str]:
        return self.argv(n) if callable(self.argv) else self.argv


# --- inputs ------------------------------------------------------------------------------


def build_store(b: Bench, size: str, count: int) -> Path:
    folder = b.out / size
    stamp = folder / "stamp.json"
    method = "import" if gen.has_import(Path(DTL)) else "fallback"
    want = {"count": count, "seed": 1, "method": method, "gen": gen.__doc__ and len(gen.__doc__)}
    store = folder / "events.toml"
    if store.is_file() and stamp.is_file() and json.loads(stamp.read_text()) == want:
        print(f"  reusing {store} ({method})", flush=True)
        return store
    start = time.perf_counter()
    gen.build(count, folder, Path(DTL))
    stamp.write_text(json.dumps(want))
    mb = store.stat().st_size / 1e6
    print(f"  built {store}: {mb:.1f} MB via {method} in {time.perf_counter() - start:.1f} s")
    if method == "fallback":
        b.notes.append(
            f"{size}: store written by the tomli-w fallback of bench/gen.py"
            " (`dtimeline import` was not available)"
        )
    return store


def build_journal(folder: Path, rows: list[dict[str, Any]], *, tags: bool = True) -> Path:
    """A jrnl 4.6 plain-text journal of the same entries (date, title, summary and, as jrnl
    @tags, the event's tags), and its own config file."""
    name = "journal" if tags else "journal-notags"
    journal = folder / f"{name}.txt"
    with journal.open("w", encoding="utf-8") as fh:
        for row in sorted(rows, key=lambda r: str(r["start"])):
            marks = "".join(f" @{t}" for t in row["tags"]) if tags else ""
            fh.write(f"[{row['start']} 09:00] {row['title']}\n{row['summary']}{marks}\n\n")
    config = folder / f"{name}.yaml"
    config.write_text(
        "colors: {body: none, date: none, tags: none, title: none}\n"
        "default_hour: 9\ndefault_minute: 0\neditor: ''\nencrypt: false\nhighlight: false\n"
        "indent_character: '|'\n"
        f"journals:\n  default:\n    journal: {journal}\n"
        "linewrap: 79\ntagsymbols: '#@'\ntemplate: false\ntimeformat: '%Y-%m-%d %H:%M'\n"
        "version: v4.6\n",
        encoding="utf-8",
    )
    return config


# --- the suite ---------------------------------------------------------------------------


def size_suite(b: Bench, size: str, count: int, *, full: bool) -> None:
    print(f"\n== {size} ({count} events)", flush=True)
    store = build_store(b, size, count)
    folder = store.parent
    s = str(store)
    dt = [DTL, "--store", s]
    filtered = [*dt, "query", "-c", "kazakhstan", "--since", "2023", "--until", "2023"]
    tomli = Spec(f"{size}/tomli", "baseline: bare tomli parse of the store",
                 [PY, "-c", f"import tomli; tomli.load(open({s!r}, 'rb'))"])  # fmt: skip
    query = Spec(f"{size}/query", "query -c kazakhstan --since 2023 --until 2023", filtered)
    json_all = Spec(f"{size}/json", "query --format json (everything)",
                    [*dt, "query", "--format", "json"])  # fmt: skip
    work = folder / "work.toml"
    shutil.copyfile(store, work)  # adds accumulate here: the cache stays warm, as in use
    add = Spec(f"{size}/add", "add (one event)",
               lambda n: [DTL, "--store", str(work), "add", "2024-05-17",
                          f"Bench talks number {n} {time.time_ns()}", "--country", "china",
                          "--country", "kazakhstan", "--kind", "talks",
                          "--source", "https://news.example.org/bench.html"])  # fmt: skip

    jrnl = JRNL.exists() and count <= 10_000
    if not JRNL.exists():
        b.notes.append(f"jrnl not installed ({JRNL}): jrnl baselines skipped")
    if jrnl:
        rows = [json.loads(line) for line in (folder / "events.jsonl").open(encoding="utf-8")]
        jr = [str(JRNL), "--config-file", str(build_journal(folder, rows))]
        b.group(tomli)
        b.group(query, Spec(f"{size}/jrnl-filter", "jrnl: -from 2023 -to 2023 -contains Kazakhstan",
                            [*jr, "-from", "2023-01-01", "-to", "2023-12-31",
                             "-contains", "Kazakhstan"]))  # fmt: skip
        b.group(json_all, Spec(f"{size}/jrnl-json", "jrnl: --format json (everything)",
                               [*jr, "--format", "json"], min_runs=3))  # fmt: skip
    else:
        b.group(tomli, query)  # side by side: the 100k target is their ratio
        b.group(json_all)
    b.measure(f"{size}/query-cold", "  query, cache off (DTIMELINE_NO_CACHE=1)", filtered,
              env={**b.env, "DTIMELINE_NO_CACHE": "1"}, runs=min(b.runs, 3))  # fmt: skip
    # The first read of a store: an empty cache folder, so the command parses the file and
    # writes the cache (and, for json, the kept texts) as it goes.
    empty_cache = b.out / "home" / "empty-cache"

    def no_cache(_: int) -> None:
        shutil.rmtree(empty_cache, ignore_errors=True)

    first = {**b.env, "XDG_CACHE_HOME": str(empty_cache)}
    if count > 10_000:  # a first read of 100k takes 20 s: over the suite's budget
        b.notes.append(f"{size}: first reads (empty cache folder) are not run (time budget)")
    else:
        b.measure(f"{size}/query-first", "  query, first read (empty cache folder)", filtered,
                  env=first, setup=no_cache, runs=min(b.runs, 3))  # fmt: skip
        b.measure(f"{size}/json-first", "  query --format json, first read (empty cache folder)",
                  [*dt, "query", "--format", "json"], env=first, setup=no_cache,
                  runs=min(b.runs, 3))  # fmt: skip
    if affordable(b, size, "stats"):
        b.measure(f"{size}/stats", "stats", [*dt, "stats"])
    # A Tab in bash: the completion script runs dtimeline with these variables (typer's
    # mechanism); the names come from a small file kept beside the read cache.
    tab = {**b.env, "_DTIMELINE_COMPLETE": "complete_bash", "COMP_CWORD": "4"}
    b.group(
        Spec(f"{size}/version", "  --version (same run, for the Tab figures)", [DTL, "--version"]),
        Spec(f"{size}/tab-subject", "  Tab: show SUBJECT (bash completion)", [DTL],
             env={**tab, "COMP_WORDS": f"dtimeline --store {s} show ka"}),
        Spec(f"{size}/tab-id", "  Tab: edit ID (bash completion)", [DTL],
             env={**tab, "COMP_WORDS": f"dtimeline --store {s} edit 2024-0"}),
    )  # fmt: skip
    b.measure(f"{size}/search", "query --search talks (every event's text)",
              [*dt, "query", "--search", "talks"], runs=min(b.runs, 3))  # fmt: skip
    for suffix, (label, argv) in issue17_reads(dt).items():
        b.measure(f"{size}/{suffix}", label, argv, runs=min(b.runs, 3))
    if count <= 10_000:  # whole-store views: the slowest reads, and the largest outputs
        b.measure(f"{size}/show", "show (every event, plain)", [*dt, "show"],
                  runs=min(b.runs, 3))  # fmt: skip
        b.measure(f"{size}/table", "query --format table (every event)",
                  [*dt, "query", "--format", "table"], runs=min(b.runs, 3))  # fmt: skip
        b.measure(f"{size}/ics", "export --format ics (every event)",
                  [*dt, "export", "--format", "ics"], runs=min(b.runs, 3))  # fmt: skip
    b.measure(f"{size}/check", "check", [*dt, "check"], runs=min(b.runs, 3))
    if not full:
        return
    if jrnl:
        entry = "2024-05-17 10:00: Bench talks {}. Body text."
        b.group(add, Spec(f"{size}/jrnl-add", "jrnl: add one entry",
                          lambda n: [*jr, entry.format(n)], min_runs=3))  # fmt: skip
    else:
        b.group(add)
    empty = folder / "empty.toml"
    jsonl = folder / "events.jsonl"

    def fresh(_: int) -> None:
        gen.write_header(empty)

    b.measure(f"{size}/import", f"import ({count} JSONL events into an empty store)",
              [DTL, "--store", str(empty), "import", str(jsonl), "--format", "jsonl"],
              setup=fresh, runs=min(b.runs, 3))  # fmt: skip
    if jrnl and count >= 10_000:
        # jrnl spends most of its add and export time on @tags: show it without them too
        plain = [str(JRNL), "--config-file", str(build_journal(folder, rows, tags=False))]
        b.measure(f"{size}/jrnl-json-notags", "jrnl, journal without @tags: --format json",
                  [*plain, "--format", "json"], runs=min(b.runs, 3))  # fmt: skip
        b.measure(f"{size}/jrnl-add-notags", "jrnl, journal without @tags: add one entry",
                  lambda n: [*plain, f"2024-05-17 10:00: Bench talks {n}. Body text."],
                  runs=min(b.runs, 3))  # fmt: skip


def huge_suite(b: Bench) -> None:
    """1,000,000 events (the lean store of bench/lean.py, about 340 MB of TOML): the index's
    first build once, then each read and ``add`` side by side with the same command on the
    bundled store (turns: bundled, 1M, bundled...), and one ``import`` of 200,000 JSONL
    records into a copy of the 1M store (its index built first, untimed)."""
    import zlib

    import lean

    count = 1_000_000
    print(f"\n== 1m ({count} events)", flush=True)
    folder = b.out / "1m"
    folder.mkdir(parents=True, exist_ok=True)
    store = folder / "events.toml"
    stamp = folder / "stamp.json"
    code = zlib.crc32((HERE / "lean.py").read_bytes())
    want = {"count": count, "seed": 1, "method": "lean", "lean.py": code}
    if not (store.is_file() and stamp.is_file() and json.loads(stamp.read_text()) == want):
        start = time.perf_counter()
        made = lean.write_store(count, store)
        lean.write_jsonl(200_000, folder / "import-200k.jsonl", first=count)
        stamp.write_text(json.dumps(want))
        print(f"  built {store} in {time.perf_counter() - start:.0f} s: {made}", flush=True)
    home = b.out / "home"
    empty_cache = home / "empty-cache-1m"
    shutil.rmtree(empty_cache, ignore_errors=True)
    first = {**b.env, "XDG_CACHE_HOME": str(empty_cache)}
    reads = issue17_reads([DTL, "--store", str(store)])
    wall, rss = b.once(reads["query-month"][1], first)  # no warm-up: the build is the figure
    b.results["1m/first"] = Figure("first read: index built (query -c kazakhstan, one month)",
                                   [wall], [rss])  # fmt: skip
    print(f"  first read {wall:.1f} s, {rss / 1024:.0f} MB", flush=True)

    bundled = b.out / "bundled-work.toml"
    shutil.copyfile(ROOT / "events.toml", bundled)
    near = issue17_reads([DTL, "--store", str(bundled)])
    for suffix, (label, argv) in reads.items():
        b.group(Spec(f"bundled/{suffix}", f"{near[suffix][0]} (bundled)", near[suffix][1]),
                Spec(f"1m/{suffix}", label, argv, env=first))  # fmt: skip
    copy = folder / "add-copy.toml"  # adds accumulate on a copy, never on the shared store
    shutil.copyfile(store, copy)
    b.group(Spec("bundled/add-pair", "add (bundled)", add_argv(bundled)),
            Spec("1m/add", "add (one event, to a copy of the 1M store)", add_argv(copy),
                 env=first))  # fmt: skip

    target = folder / "import-copy.toml"
    shutil.copyfile(store, target)
    b.once([DTL, "--store", str(target), "query", "--limit", "1"], first)  # its index, untimed
    jsonl = folder / "import-200k.jsonl"
    try:
        wall, rss = b.once([DTL, "--store", str(target), "import", str(jsonl), "--format",
                            "jsonl"], first)  # fmt: skip
    except SystemExit as failed:  # reported, and the figures so far kept
        b.notes.append(f"1M import of 200,000 records failed: {str(failed)[:300]}")
        print(f"  {b.notes[-1]}", flush=True)
    else:
        label = "import 200,000 JSONL records (into a copy)"
        b.results["1m/import"] = Figure(label, [wall], [rss])
        print(f"  import 200k {wall:.1f} s, {rss / 1024:.0f} MB", flush=True)
    for path in (copy, target):
        path.unlink(missing_ok=True)


#: Countries the bundled timeline does not declare: each run of the declaring add names the
#: next one, so every run declares a country (by its everyday name, through the registry).
UNDECLARED = (
    "Mongolia", "Japan", "Brazil", "Mexico", "Nigeria", "Kenya", "Peru", "Chile", "Norway",
    "Finland", "Poland", "Greece", "Egypt", "Morocco", "Vietnam", "Thailand", "Laos",
    "Cambodia", "Nepal", "Bhutan", "Iran", "Iraq", "Jordan", "Oman", "Qatar", "Kuwait",
    "Ghana", "Senegal", "Angola", "Zambia", "Uganda", "Ethiopia", "Sudan", "Tunisia",
    "Algeria", "Libya", "Cuba", "Bolivia", "Uruguay", "Paraguay", "Ecuador", "Colombia",
    "Venezuela", "Panama", "Honduras", "Ireland", "Portugal", "Spain", "Italy", "Austria",
    "Hungary", "Romania", "Bulgaria", "Serbia", "Croatia", "Slovenia", "Slovakia", "Czechia",
    "Estonia", "Latvia", "Lithuania", "Belarus", "Ukraine", "Moldova", "Georgia", "Armenia",
    "Azerbaijan", "Turkmenistan", "Afghanistan", "Pakistan", "India", "Sri Lanka",
)  # fmt: skip


def declaring_add(b: Bench, out: Path, runs: int) -> None:
    """``add`` on a copy of the bundled timeline, and ``add`` naming a country the store
    does not declare yet (looked up in the ISO 3166 registry and declared in the same
    write), side by side; each on its own copy, where adds accumulate."""
    folder = out / "bundled"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    plain, declaring = folder / "plain.toml", folder / "declaring.toml"
    for copy in (plain, declaring):
        shutil.copyfile(ROOT / "events.toml", copy)
    url = "https://news.example.org/bench.html"

    def add(store: Path, other: Callable[[int], str]) -> Callable[[int], list[str]]:
        return lambda n: [DTL, "--store", str(store), "add", "2024-05-17",
                          f"Bench talks number {n} {time.time_ns()}", "--country", "china",
                          "--country", other(n), "--kind", "talks", "--source", url]  # fmt: skip

    b.group(
        Spec("bundled/add", "add (bundled timeline)", add(plain, lambda n: "kazakhstan"),
             runs=min(runs, len(UNDECLARED) - 1)),
        Spec("bundled/add-iso", "add naming an undeclared ISO country (bundled timeline)",
             add(declaring, lambda n: UNDECLARED[n % len(UNDECLARED)]),
             runs=min(runs, len(UNDECLARED) - 1)),
    )  # fmt: skip


def affordable(b: Bench, size: str, name: str) -> bool:
    """At 100k, skip a command whose 10k figure predicts more than BUDGET seconds."""
    if size != "100k" or f"10k/{name}" not in b.results:
        return True
    predicted = 10 * b.results[f"10k/{name}"].median
    if predicted <= BUDGET:
        return True
    b.notes.append(
        f"100k `{name}` skipped: {b.results[f'10k/{name}'].median:.1f} s at 10k predicts"
        f" about {predicted:.0f} s per run at 100k"
    )
    print(f"  {name}: skipped (predicted {predicted:.0f} s)", flush=True)
    return False


def ratio(b: Bench, a: str, base: str) -> float | None:
    if a in b.results and base in b.results:
        return b.results[a].median / b.results[base].median
    return None


TARGETS: list[tuple[str, str, str, float]] = [
    ("show kazakhstan (bundled) vs import floor", "bundled/show", "floor", 1.25),
    (
        "add naming an undeclared ISO country vs add (bundled)",
        "bundled/add-iso",
        "bundled/add",
        1.2,
    ),
    ("brief kazakhstan (bundled) vs show kazakhstan", "bundled/brief", "bundled/show", 1.3),
    ("10k filtered query vs jrnl filter", "10k/query", "10k/jrnl-filter", 0.35),
    ("10k add vs jrnl add", "10k/add", "10k/jrnl-add", 0.05),
    ("10k query --format json vs jrnl json export", "10k/json", "10k/jrnl-json", 0.1),
    ("100k filtered query vs bare tomli parse", "100k/query", "100k/tomli", 0.4),
    ("1M query -c kazakhstan one month vs bundled", "1m/query-month", "bundled/query-month", 1.5),
    ("1M --search one phrase vs bundled", "1m/search-phrase", "bundled/search-phrase", 1.5),
    ("1M show kazakhstan one month vs bundled", "1m/show-month", "bundled/show-month", 1.5),
    ("1M add vs bundled add", "1m/add", "bundled/add-pair", 1.5),
    ("10k Tab completing an id vs --version", "10k/tab-id", "10k/version", 1.5),
    ("10k Tab completing a subject vs --version", "10k/tab-subject", "10k/version", 1.5),
]
#: Peak memory limits (MB) of single figures (issue 17).
PEAKS = [("1m/query-month", 100), ("1m/search-phrase", 100), ("1m/show-month", 100),
         ("1m/add", 100), ("1m/first", 400), ("1m/import", 400)]  # fmt: skip


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{os.cpu_count()} CPUs ({model}), {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}"
    )


def report(b: Bench, args: argparse.Namespace, elapsed: float) -> str:
    lines = [
        "## Results",
        "",
        f"Machine: {machine()}. Taken {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"
        f" in {elapsed / 60:.1f} min with `{' '.join(['python', 'bench/run.py', *args.argv])}`.",
        "",
        "### Targets",
        "",
        "| target | ours (s) | baseline (s) | ratio | limit | result |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for name, a, base, limit in TARGETS:
        r = ratio(b, a, base)
        if r is None:
            lines.append(f"| {name} | | | | {limit} | not measured |")
            continue
        ok = "pass" if r <= limit else "FAIL"
        lines.append(
            f"| {name} | {b.results[a].median:.3f} | {b.results[base].median:.3f}"
            f" | {r:.3f}x | {limit}x | {ok} |"
        )
    for key, limit_mb in PEAKS:
        if key in b.results:
            peak = b.results[key].peak_mb
            ok = "pass" if peak <= limit_mb else "FAIL"
            lines.append(f"| {key} peak memory | {peak:.1f} MB | | | {limit_mb} MB | {ok} |")
    if "1m/first" in b.results:
        t = b.results["1m/first"].median
        lines.append(f"| 1M first read (index build) | {t:.1f} s | | | 90 s |"
                     f" {'pass' if t <= 90 else 'FAIL'} |")  # fmt: skip
    reads = [k for k in b.results if k.startswith("10k/") and k.split("/")[1] in READS]
    for k in reads:
        peak = b.results[k].peak_mb
        ok = "pass" if peak < 80 else "FAIL"
        name = f"10k peak memory: {b.results[k].label.strip()}"
        lines.append(f"| {name} | {peak:.1f} MB | | | 80 MB | {ok} |")
    lines += [
        "",
        "### All figures",
        "",
        "Median wall time of whole processes (min-max, runs), peak RSS of that process, and",
        'ratios to the import floor (`python -c "import typer, rich.console"`) and to a bare',
        "tomli parse of the same store file.",
        "",
        "| size | command | median s | min-max s | n | peak MB | x floor | x tomli |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for key, fig in b.results.items():
        size = key.split("/")[0]
        xf = ratio(b, key, "floor")
        xt = ratio(b, key, f"{size}/tomli")
        lines.append(
            f"| {size} | {fig.label} | {fig.median:.3f} | {min(fig.times):.3f}-"
            f"{max(fig.times):.3f} | {len(fig.times)} | {fig.peak_mb:.1f} |"
            + (f" {xf:.2f} |" if xf is not None else " |")
            + (f" {xt:.2f} |" if xt is not None else " |")
        )
    if b.notes:
        lines += ["", "Notes:", "", *[f"- {n}" for n in b.notes]]
    return "\n".join(lines) + "\n"


READS = {
    "query", "json", "search", "stats", "show", "table", "ics", "query-cold", "query-first",
    "json-first",
}  # fmt: skip


def write_readme(text: str) -> None:
    readme = HERE / "README.md"
    head = readme.read_text(encoding="utf-8") if readme.is_file() else "# Benchmarks\n"
    marker = "## Results"
    head = head.split(marker)[0].rstrip() + "\n\n"
    readme.write_text(head + text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description="dtimeline benchmark suite")
    parser.add_argument("--quick", action="store_true", help="3 runs per figure instead of 5")
    parser.add_argument("--runs", type=int, help="runs per figure (after one warm-up)")
    parser.add_argument(
        "--sizes", default="1k,10k,100k", help="comma-separated: 1k,10k,100k (default: all)"
    )
    parser.add_argument("--no-readme", action="store_true", help="do not rewrite README.md")
    parser.add_argument(
        "--huge", action="store_true",
        help="also 1,000,000 events (issue 17: index build, reads, add, import; slow)",
    )  # fmt: skip
    parser.add_argument(
        "--only-huge", action="store_true",
        help="only the 1,000,000-event figures (implies --huge --sizes '' --no-readme)",
    )  # fmt: skip
    args = parser.parse_args()
    args.argv = sys.argv[1:]
    if args.only_huge:
        args.huge, args.sizes, args.no_readme = True, "", True
    began = time.perf_counter()
    out = HERE / "out"
    home = out / "home"
    shutil.rmtree(home, ignore_errors=True)
    cwd = out / "cwd"
    cwd.mkdir(parents=True, exist_ok=True)
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "XDG_CACHE_HOME": str(home / "cache"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_STATE_HOME": str(home / "state"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "DTIMELINE_TODAY": "2026-11-27",
        "LANG": "C.UTF-8",
    }
    # Timed as installed: with bytecode compiled (pip compiles on install; an editable
    # checkout under PYTHONDONTWRITEBYTECODE would otherwise recompile on every run).
    import compileall

    compileall.compile_dir(str(HERE.parent / "dtimeline"), quiet=1)
    b = Bench(out, args.runs or (3 if args.quick else 5), env, cwd)
    print(f"machine: {machine()}", flush=True)
    if not args.only_huge:
        print("\n== startup and the bundled timeline", flush=True)
        # A tenth of a second each, and a target within a few hundredths of its limit: many runs
        # (four times the others'), so that a burst of load on the shared machine moves the
        # median less.
        quick = b.runs * 4
        b.group(
            Spec("floor", "baseline: import floor (import typer, rich.console)",
                 [PY, "-c", "import typer, rich.console"], runs=quick),
            Spec("version", "--version", [DTL, "--version"], runs=quick),
            Spec("bundled/show", "show kazakhstan (bundled timeline)",
                 [DTL, "show", "kazakhstan"],
                 runs=quick),
            Spec("bundled/brief", "brief kazakhstan (bundled timeline)",
                 [DTL, "brief", "kazakhstan"], runs=quick),
        )  # fmt: skip
        declaring_add(b, out, quick)
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    for size in sizes:
        size_suite(b, size, SIZES[size], full=size != "100k")
    if "100k" in sizes:
        b.notes.append("100k: `add` and `import` are not run (the suite's time budget)")
    if args.huge:
        huge_suite(b)
    elapsed = time.perf_counter() - began
    text = report(b, args, elapsed)
    print("\n" + text)
    if not args.no_readme:
        write_readme(text)
    print(f"bench: done in {elapsed / 60:.1f} min")


if __name__ == "__main__":
    main()
