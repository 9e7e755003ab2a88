"""Hardening (issue 7), continued: pipes and terminals, injection, permissions and faults.
Every case is a real process of the installed ``dtimeline``."""

from __future__ import annotations

import json
import os
import random
import re
import resource
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
from conftest import ENTRY, run, sha

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)")

READ_COMMANDS = [
    ["show"],
    ["show", "kazakhstan"],
    ["query"],
    ["query", "--format", "json"],
    ["query", "--format", "csv"],
    ["stats"],
    ["countries"],
    ["actors"],
    ["export", "--format", "ics"],
    ["export", "--format", "html"],
]


def bash(cmd: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-c", f"set -o pipefail; {cmd}"],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("args", READ_COMMANDS, ids=" ".join)
def test_closed_pipe_ends_quietly(args: list[str], store: Path) -> None:
    # `| head -c 1` closes stdout after one byte: the writer must end quietly, exit 0.
    cmd = f"{ENTRY} --store {store} {' '.join(args)} | head -c 1 >/dev/null"
    proc = bash(cmd)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""


# --- terminals -----------------------------------------------------------------------------


def add(store: Path, title: str, *extra: str) -> str:
    ran = run(
        "--store",
        str(store),
        "add",
        "-c",
        "kazakhstan",
        "-c",
        "china",
        "-k",
        "meeting",
        *extra,
        "--",
        "2024-07-03",
        title,
    )
    assert ran.code == 0, ran.err
    return ran.out.strip()


def test_term_dumb_and_no_color(store: Path) -> None:
    add(store, "Plain title")
    for env in ({"TERM": "dumb", "TTY_COMPATIBLE": "1"}, {"NO_COLOR": "1", "TTY_COMPATIBLE": "1"}):
        ran = run("--store", str(store), "show", "kazakhstan", env=env)
        assert ran.code == 0, ran.err
        assert "Plain title" in ran.out
        # NO_COLOR: no colour codes (bold and dim are not colours); TERM=dumb: none at all
        colour = re.compile(r"\x1b\[(?:[0-9;]*;)?(?:3[0-8]|4[0-8]|9[0-7]|10[0-7])(?:;[0-9;]*)?m")
        assert not colour.search(ran.out)
        if env.get("TERM") == "dumb":
            assert "\x1b" not in ran.out


def test_columns_20(store: Path) -> None:
    ran = run(
        "--store", str(store), "show", "kazakhstan", env={"COLUMNS": "20", "TTY_COMPATIBLE": "1"}
    )
    assert ran.code == 0, ran.err
    visible = [ANSI.sub("", line) for line in ran.out.splitlines()]
    assert max(len(line) for line in visible) <= 20


def test_c_locale_with_non_latin_titles(store: Path) -> None:
    add(store, "Тоқаев және Си Цзиньпин 会谈")
    ran = run("--store", str(store), "query", "-s", "Тоқаев", env={"LC_ALL": "C", "LANG": "C"})
    assert ran.code == 0, ran.err
    assert "Тоқаев және Си Цзиньпин 会谈" in ran.out


# --- injection -----------------------------------------------------------------------------

NASTY = [
    "[bold red]alarm[/bold red] [link=https://evil.example]click[/link]",
    "\x1b[31mred\x1b[0m \x1b]8;;https://evil.example\x07link\x1b]8;;\x07 bell\x07",
    'break"""\n[[events]]\nid = "injected"\ndate = "2024"',
    "back\\slash 'single' \"double\" \t tab",
]


@pytest.mark.parametrize("title", NASTY, ids=["markup", "ansi", "toml", "quotes"])
def test_text_is_data_everywhere(title: str, store: Path) -> None:
    event_id = add(store, title, "--summary", title, "--place", title)
    assert run("--store", str(store), "check").code == 0
    data = json.loads(run("--store", str(store), "query", "--format", "json").out)
    (got,) = [e for e in data if e["id"] == event_id]
    assert got["title"] == title and got["summary"] == title and got["place"] == title
    assert not [e for e in data if e["id"] == "injected"]
    for env in ({"TTY_COMPATIBLE": "1"}, {}):
        for args in (["show", "kazakhstan"], ["query"], ["query", "--format", "table"]):
            ran = run("--store", str(store), *args, env=env)
            assert ran.code == 0, ran.err
            # nothing from the data reaches the terminal as an escape sequence
            assert "\x1b]8;;https://evil" not in ran.out
            assert "\x1b[31m" not in ran.out
            assert "\x07" not in ran.out
            if "[bold red]" in title:
                assert "[bold red]" in ran.out


def test_csv_formulas_neutralised(store: Path) -> None:
    import csv
    import io

    for title in ('=HYPERLINK("https://evil.example","x")', "+1+1", "-2", "@SUM(A1)"):
        add(store, title)
    ran = run("--store", str(store), "query", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(ran.out)))
    titles = {r["title"] for r in rows}
    for bad in ('=HYPERLINK("https://evil.example","x")', "+1+1", "-2", "@SUM(A1)"):
        assert bad not in titles
        assert "'" + bad in titles


def test_html_export_escapes_scripts(store: Path) -> None:
    add(store, "<script>alert(1)</script><img src=x onerror=alert(2)>")
    out = run("--store", str(store), "export", "--format", "html").out
    assert "<script>alert(1)" not in out
    assert "<img src=x" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out


def test_mermaid_syntax_characters(store: Path) -> None:
    add(store, "Talks: phase 2; %% not a comment # section title")
    out = run("--store", str(store), "export", "--format", "mermaid").out
    for line in out.splitlines():
        stripped = line.strip()
        if not stripped or stripped == "timeline" or stripped.startswith(("title ", "section ")):
            continue
        # `period : event`, or `: event` continuing the period above
        assert stripped.startswith(": ") or " : " in stripped, stripped
        assert "%%" not in stripped


# --- permissions (as an unprivileged user; root ignores file modes) -------------------------

SETPRIV = shutil.which("setpriv")


def as_nobody(store: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "HOME": str(store.parent),
        "XDG_CACHE_HOME": str(store.parent / "c"),
        "XDG_DATA_HOME": str(store.parent / "d"),
        "XDG_STATE_HOME": str(store.parent / "s"),
    }
    return subprocess.run(
        [
            SETPRIV,
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            str(ENTRY),
            "--store",
            str(store),
            *args,
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


@pytest.fixture
def shared_dir() -> Path:
    """A folder nobody can enter, outside pytest's private tmp tree."""
    import tempfile

    path = Path(tempfile.mkdtemp(prefix="dtimeline-perm-", dir="/tmp"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


def _nobody_can_run() -> bool:
    if SETPRIV is None or os.geteuid() != 0:
        return False
    probe = subprocess.run(
        [SETPRIV, "--reuid=65534", "--regid=65534", "--clear-groups", str(ENTRY), "--version"],
        capture_output=True,
        check=False,
    )
    return probe.returncode == 0


needs_nobody = pytest.mark.skipif(
    not _nobody_can_run(), reason="needs root, setpriv and an entry point user 65534 can run"
)


@needs_nobody
def test_unreadable_store(shared_dir: Path, bundled: Path) -> None:
    store = shared_dir / "events.toml"
    shutil.copyfile(bundled, store)
    store.chmod(0o000)
    proc = as_nobody(store, "query")
    assert proc.returncode == 4, proc.stderr
    assert "permission denied" in proc.stderr and "Traceback" not in proc.stderr


@needs_nobody
def test_read_only_store_on_write(shared_dir: Path, bundled: Path) -> None:
    store = shared_dir / "events.toml"
    shutil.copyfile(bundled, store)
    store.chmod(0o444)
    before = sha(store)
    proc = as_nobody(store, "add", "2024", "Title", "-c", "china")
    assert proc.returncode == 6, proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr
    assert sha(store) == before


# --- symlinks -----------------------------------------------------------------------------


def test_symlinked_store_is_followed_and_written_through(tmp_path: Path, bundled: Path) -> None:
    real = tmp_path / "real" / "events.toml"
    real.parent.mkdir()
    shutil.copyfile(bundled, real)
    link = tmp_path / "link.toml"
    link.symlink_to(real)
    assert run("--store", str(link), "query", "--format", "ids").code == 0
    event_id = run("--store", str(link), "add", "2025", "Via a link", "-c", "china").out.strip()
    assert link.is_symlink()
    assert event_id in real.read_text(encoding="utf-8")


def test_big_string_store(tmp_path: Path, bundled: Path) -> None:
    store = tmp_path / "events.toml"
    shutil.copyfile(bundled, store)
    big = "x" * (10 * 1024 * 1024)
    with store.open("a", encoding="utf-8") as f:
        f.write(
            f'\n[[events]]\nid = "big"\ndate = "2020"\nkind = "other"\ntitle = "Big"\n'
            f'countries = ["china"]\nsummary = "{big}"\n'
        )
    ran = run("--store", str(store), "query", "--format", "ids")
    assert ran.code == 0, ran.err[:300]
    assert "big" in ran.out.split()


# --- faults -------------------------------------------------------------------------------


def test_disk_full_keeps_old_store(store: Path) -> None:
    """A write that fails half-way (file size limit: EFBIG) leaves the old store."""
    before = sha(store)
    limit = store.stat().st_size // 2

    def small_files() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    proc = subprocess.run(
        [str(ENTRY), "--store", str(store), "add", "2025", "Full disk", "-c", "china"],
        capture_output=True,
        text=True,
        preexec_fn=small_files,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 6, proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr
    assert sha(store) == before
    assert not [
        p
        for p in store.parent.iterdir()
        if p.name.startswith(".events.toml.") and p.suffix == ".tmp"
    ]


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL], ids=["SIGINT", "SIGKILL"])
@pytest.mark.parametrize("command", ["add", "import", "edit", "remove"])
def test_signals_during_writes(command: str, sig: int, store: Path, tmp_path: Path) -> None:
    rng = random.Random(f"{command}{sig}")
    jsonl = tmp_path / "in.jsonl"
    jsonl.write_text(
        "".join(
            json.dumps(
                {
                    "id": f"imp-{i}",
                    "date": "2024-01-02",
                    "kind": "meeting",
                    "title": f"Imported {i}",
                    "countries": ["china", "kazakhstan"],
                    "sources": [{"publisher": "Bench"}],
                }
            )
            + "\n"
            for i in range(300)
        )
    )
    first = run("--store", str(store), "query", "--format", "ids").out.split()[0]
    argv = {
        "add": ["add", "2025", "Signalled", "-c", "china"],
        "import": ["import", str(jsonl)],
        "edit": ["edit", first, "--title", "Edited under fire"],
        "remove": ["remove", first],
    }[command]
    for attempt in range(4):
        before_attempt = sha(store)
        if command == "edit":  # a new title each time: an edit that finished is no no-op later
            argv[-1] = f"Edited under fire {attempt}"
        proc = subprocess.Popen(
            [str(ENTRY), "--store", str(store), *argv],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        time.sleep(rng.uniform(0.05, 0.4))
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=60)
        if sig == signal.SIGINT:
            _judge_interrupted(proc.returncode, err, sha(store) == before_attempt)
        check = run("--store", str(store), "check")
        assert check.code == 0, check.out + check.err
        if proc.returncode == 0 and command == "remove":
            break


# What Python itself prints when Ctrl-C lands before any dtimeline code runs: while the
# interpreter imports `site` or sets up its standard streams (init_import_site,
# init_sys_streams), or while the console script imports the entry module.
_STARTUP_FATAL = b"Fatal Python error: init_"
# A KeyboardInterrupt inside one of importlib's lock callbacks is printed and dropped by
# Python ("Exception ignored in: ..."); the program goes on as if nothing happened.
_IGNORED = re.compile(
    rb"Exception ignored in: <function _get_module_lock\.<locals>\.cb at 0x[0-9a-f]+>\n"
    rb"Traceback \(most recent call last\):\n(?:  .*\n)+KeyboardInterrupt: ?\n"
)
# Frames of dtimeline's own code, other than the entry module being imported
_OUR_FRAME = re.compile(rb'File "[^"]*dtimeline/(?!entry\.py"|__init__\.py")[\w/]+\.py"')


def _judge_interrupted(code: int, err: bytes, unchanged: bool) -> None:
    """The outcomes a Ctrl-C may have on a write, by when it lands:
    - in the command (the usual case): exit 130 and "dtimeline: interrupted", no traceback;
    - after the command finished: exit 0 (or -SIGINT during the interpreter's shutdown,
      after the write said what it did);
    - before dtimeline's code runs (a loaded machine can take that long to start Python):
      Python's own start-up message or a traceback that never enters dtimeline's code, or
      death by the signal with nothing said; in each case the store is untouched."""
    err = _IGNORED.sub(b"", err)
    if code == 1 and _STARTUP_FATAL in err:
        assert unchanged, err
        return
    assert code in (0, 130, -signal.SIGINT), err
    if b"Traceback" in err:
        assert code == 130 or err.rstrip().endswith(b"KeyboardInterrupt"), err
        assert _OUR_FRAME.search(err) is None, err
        assert unchanged, err
    if code == -signal.SIGINT and not err.strip():
        assert unchanged, "killed by the signal before it started, yet the store changed"
    if code == 130 and b"Traceback" not in err:
        assert err.strip().endswith(b"dtimeline: interrupted"), err


@pytest.mark.parametrize(
    ("code", "err", "unchanged"),
    [
        (130, b"dtimeline: interrupted\n", True),
        (0, b"dtimeline: added 2025-signalled\n", False),
        (1, b"Fatal Python error: init_import_site: Failed to import the site module\n", True),
        (-signal.SIGINT, b"", True),
        (
            130,
            b'Traceback (most recent call last):\n  File "/x/bin/dtimeline", line 5, in <module>\n'
            b'    from dtimeline.entry import main\n  File "/x/dtimeline/entry.py", line 1\n'
            b"KeyboardInterrupt\n",
            True,
        ),
        (
            0,
            b"Exception ignored in: <function _get_module_lock.<locals>.cb at 0x7f6c4522ae80>\n"
            b"Traceback (most recent call last):\n"
            b'  File "<frozen importlib._bootstrap>", line 198, in cb\nKeyboardInterrupt: \n'
            b"dtimeline: removed 1 event\n",
            False,
        ),
    ],
    ids=["interrupted", "finished", "site", "before-start", "entry-import", "importlib-cb"],
)
def test_interrupt_outcomes_that_are_allowed(code: int, err: bytes, unchanged: bool) -> None:
    _judge_interrupted(code, err, unchanged)


@pytest.mark.parametrize(
    ("code", "err", "unchanged"),
    [
        (1, b"dtimeline: something\n", True),  # an exit code no interrupt gives
        (
            130,
            b"Traceback (most recent call last):\n"
            b'  File "/x/dtimeline/store/write.py", line 9\nKeyboardInterrupt\n',
            True,
        ),
        (1, b"Fatal Python error: init_import_site\n", False),  # yet something was written
        (-signal.SIGINT, b"", False),  # killed before start, yet the store changed
        (130, b"dtimeline: error: boom\n", True),  # not the interrupted line
    ],
    ids=["exit-1", "our-traceback", "site-but-written", "early-death-written", "wrong-line"],
)
def test_interrupt_outcomes_that_are_refused(code: int, err: bytes, unchanged: bool) -> None:
    with pytest.raises(AssertionError):
        _judge_interrupted(code, err, unchanged)


def test_stale_lock_is_recovered(store: Path) -> None:
    """A writer killed while holding the lock does not block the next one."""
    holder = subprocess.Popen(
        [
            str(Path(ENTRY).with_name("python")),
            "-c",
            "import sys, time; from dtimeline.store.lock import store_lock\n"
            f"cm = store_lock(__import__('pathlib').Path({str(store)!r}))\n"
            "cm.__enter__(); print('locked', flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    holder.kill()
    holder.wait()
    ran = run("--store", str(store), "add", "2025", "After a crash", "-c", "china")
    assert ran.code == 0, ran.err
