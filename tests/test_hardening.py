# ruff: noqa: E501  (the catalogue reads best one case a line)
"""The hardening catalogue (issue 7): bad inputs, injections and faults.

Every case runs the installed ``dtimeline`` as a real process and checks: the documented
exit code, one clear line on stderr naming the problem, no traceback, and the store
byte-for-byte unchanged (sha256 before and after).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import assert_one_line_error, run, sha

# --- stores -------------------------------------------------------------------------------

GOOD_HEAD = """schema = 1

[countries.china]
name = "China"
iso = "CN"

[countries.kazakhstan]
name = "Kazakhstan"
iso = "KZ"
iso3 = "KAZ"

[actors.xi-jinping]
name = "Xi Jinping"
country = "china"
aliases = ["xi"]
"""

EVENT = """
[[events]]
id = "{id}"
date = "2023-05-17"
kind = "talks"
title = "{title}"
countries = ["china", "kazakhstan"]

[[events.sources]]
publisher = "Somebody"
"""


def bundled_copy(path: Path) -> None:
    from dtimeline.store.locate import bundled_path

    shutil.copyfile(bundled_path(), path)


def text(content: str | bytes) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")

    return make


def directory(path: Path) -> None:
    path.mkdir()


def missing(path: Path) -> None:
    del path


STORES: dict[str, Callable[[Path], None]] = {
    "bundled": bundled_copy,
    "not-toml": text("This is a news article, not a TOML file.\nIt has lines.\n"),
    "syntax-line-5": text('schema = 1\n\n[countries.china]\nname = "China"\nname = = 2\n'),
    "latin1": text("schema = 1\n# Qazaqstan \xe9\n".encode("latin-1")),
    "no-schema": text('[countries.china]\nname = "China"\n'),
    "dir": directory,
    "missing": missing,
    "newer-schema": text("schema = 2\n"),
    "duplicate-ids": text(
        GOOD_HEAD + EVENT.format(id="a", title="One") + EVENT.format(id="a", title="Two")
    ),
    "unknown-key": text(
        GOOD_HEAD
        + EVENT.format(id="a", title="One").replace(
            'kind = "talks"', 'kind = "talks"\nmood = "sunny"'
        )
    ),
    "wrong-type": text(
        GOOD_HEAD
        + EVENT.format(id="a", title="One").replace(
            'countries = ["china", "kazakhstan"]', "countries = 7"
        )
    ),
    "ambiguous": text(
        GOOD_HEAD.replace('aliases = ["xi"]', 'aliases = ["kz"]')
        + EVENT.format(id="a", title="One")
    ),
}


@dataclass
class Case:
    name: str
    args: list[str]
    code: int
    needles: tuple[str, ...] = ()
    store: str = "bundled"
    stdin: bytes | None = None
    env: dict[str, str] = field(default_factory=dict)


def c(name: str, args: str | list[str], code: int, *needles: str, **kw: object) -> Case:
    argv = args.split() if isinstance(args, str) else args
    return Case(name, argv, code, needles, **kw)  # type: ignore[arg-type]


CASES = [
    # store files
    c("store not toml, read", "query", 4, "TOML syntax error", store="not-toml"),
    c(
        "store not toml, write",
        ["add", "2024", "T", "-c", "china"],
        4,
        "TOML syntax error",
        store="not-toml",
    ),
    c("store syntax error line 5", "show", 4, ":5:", "TOML syntax error", store="syntax-line-5"),
    c("store not utf-8", "query", 4, "not UTF-8", ":2:", store="latin1"),
    c("store without schema", "query", 4, "schema", store="no-schema"),
    c("store is a folder", "query", 4, "is a folder", store="dir"),
    c("store missing, read", "show", 4, "no such store file", store="missing"),
    c("store missing, check", "check", 4, "no such store file", store="missing"),
    c("store newer schema", "query", 4, "newer", store="newer-schema"),
    c(
        "store newer schema, write",
        ["add", "2024", "T", "-c", "china"],
        4,
        "newer",
        store="newer-schema",
    ),
    c("store duplicate ids", "query", 4, "duplicate id 'a'", store="duplicate-ids"),
    c("store unknown key", "stats", 4, "unknown key 'mood'", store="unknown-key"),
    c("store wrong type", "query", 4, "must be a list", store="wrong-type"),
    c(
        "store invalid, edit",
        ["edit", "a", "--title", "x"],
        4,
        "duplicate id",
        store="duplicate-ids",
    ),
    # dates
    c("date month 13", ["add", "2023-13-01", "T", "-c", "china"], 2, "month 13"),
    c("date 30 February", ["add", "2023-02-30", "T", "-c", "china"], 2, "day 30"),
    c("date year 0000", ["add", "0000", "T", "-c", "china"], 2, "0000"),
    c("date year 99999", ["add", "99999", "T", "-c", "china"], 2, "99999"),
    c(
        "date end before start",
        ["add", "2024-07-06/2024-07-02", "T", "-c", "china"],
        2,
        "ends before it starts",
    ),
    c("date yesterdayish", ["add", "yesterdayish", "T", "-c", "china"], 2, "yesterdayish"),
    c("date empty", ["add", "", "T", "-c", "china"], 2, "empty date"),
    c("date 1000 chars", ["add", "7" * 1000, "T", "-c", "china"], 2, "too long"),
    c("since after until", "query --since 2024 --until 2023", 2, "--since"),
    c("since unreadable", "query --since yesterdayish", 2, "yesterdayish"),
    c("as-of unreadable", "show kazakhstan --as-of 2023-13", 2, "month 13"),
    c("stats as-of unreadable", "stats --as-of soon", 2, "soon"),
    # names
    c("unknown country, add", ["add", "2024", "T", "-c", "narnia"], 2, "narnia"),
    c("unknown country, query", "query -c narnia", 2, "narnia"),
    c("unknown actor", ["add", "2024", "T", "-c", "china", "-a", "nobody"], 2, "nobody"),
    c("unknown tag", "export --format ics -t nosuchtag", 2, "nosuchtag"),
    c("unknown kind", ["add", "2024", "T", "-c", "china", "-k", "dance"], 2, "dance"),
    c("unknown kind, query", "query -k state-vist", 2, "state-visit"),
    c("unknown subject", "show narnia", 3, "narnia"),
    c("misspelt subject", "show kazakstan", 3, "did you mean", "kazakhstan"),
    c("ambiguous alias", "show kz", 2, "ambiguous", store="ambiguous"),
    c("empty title", ["add", "2024", "", "-c", "china"], 2, "title"),
    c("blank title", ["add", "2024", "   \t ", "-c", "china"], 2, "title"),
    c(
        "NUL in title (import)",
        "import - --format jsonl",
        2,
        "NUL",
        stdin=b'{"date": "2024", "kind": "talks", "title": "a\\u0000b", "countries": ["china"]}\n',
    ),
    c("title of 100,000 characters", ["add", "2024", "x" * 100_000, "-c", "china"], 2, "too long"),
    c("unknown id, remove", "remove no-such-event", 3, "no-such-event"),
    c("unknown id, edit", ["edit", "no-such-event", "--title", "x"], 3, "no-such-event"),
    c(
        "duplicate id, add",
        ["add", "2024", "T", "-c", "china", "--id", "1992-01-03-china-kazakhstan-relations"],
        5,
        "1992-01-03-china-kazakhstan-relations",
    ),
    c("limit negative", "query --limit -1", 2, "--limit"),
    c("unknown format", "query --format xml", 2, "xml"),
    # stdin
    c("import binary garbage", "import -", 2, "", stdin=bytes(range(256)) * 8),
    c("import empty stdin", "import -", 2, "nothing to import", stdin=b""),
    c(
        "import bad record",
        "import - --format jsonl",
        2,
        "<stdin>:2",
        stdin=b'{"id": "x1", "date": "2024", "kind": "talks", "title": "T", "countries": ["china"]}\n{"id": "x2", "date": "2024-13", "title": "T", "countries": ["china"]}\n',
    ),
    c("remove garbage stdin", "remove -", 3, "", stdin=b"\xff\xfe\x00garbage\n"),
    c("remove empty stdin", "remove -", 2, "no ids", stdin=b""),
    c("undo with no history", "undo", 5, "nothing to undo"),
]


def materialise(tmp_path: Path, store: str) -> Path:
    path = tmp_path / "events.toml"
    STORES[store](path)
    return path


def digest(path: Path) -> str:
    return sha(path) if path.is_file() else ("dir" if path.is_dir() else "absent")


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_catalogue(case: Case, tmp_path: Path) -> None:
    path = materialise(tmp_path, case.store)
    before = digest(path)
    ran = run("--store", str(path), *case.args, input=case.stdin, env=case.env)
    assert_one_line_error(ran, case.code, *case.needles)
    assert ran.out == "" or case.args[0] in {"check"}, ran.out
    assert digest(path) == before
