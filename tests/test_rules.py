"""One set of event rules (dtimeline/rules.py): `check` and `add`/`edit`/`import` give the
same verdict on the same event."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import tomli_w
from conftest import assert_one_line_error, invoke
from hypothesis import event as event_note
from hypothesis import given, settings
from hypothesis import strategies as st

from dtimeline.store import check_store

HEADER = """schema = 1

[countries.china]
name = "China"
iso = "CN"

[countries.kazakhstan]
name = "Kazakhstan"
iso = "KZ"

[actors.xi-jinping]
name = "Xi Jinping"
country = "china"

[[events]]
id = "base"
date = "2020-01-01"
kind = "talks"
title = "Base event"
countries = ["china"]

[[events.sources]]
publisher = "Somebody"
"""


def errors(path: Path) -> list[str]:
    return [str(p) for p in check_store(path) if not p.strict]


def test_the_issue_example_is_reported_by_check_at_its_lines(tmp_path: Path) -> None:
    """A 600-character title and a country named twice: `check` reports both (it passed
    before, while `edit` refused the event); `add` refuses the same."""
    path = tmp_path / "s.toml"
    event = (
        '\n[[events]]\nid = "long"\ndate = "2024"\nkind = "talks"\n'
        f'title = "{"x" * 600}"\ncountries = ["china", "china"]\n'
    )
    path.write_text(HEADER + event, encoding="utf-8")
    base = HEADER.count("\n") + 2  # the [[events]] line of the new event
    found = errors(path)
    assert f"{path}:{base + 4}: event 'long': the title is too long (600 characters" in found[0]
    assert f"{path}:{base + 5}: event 'long': the country 'china' is named twice" in found[1]
    ran = invoke("--store", str(path), "check", "--strict")
    assert ran.code != 0 and "too long" in ran.out + ran.err
    (tmp_path / "ok.toml").write_text(HEADER, encoding="utf-8")
    ran = invoke("--store", str(tmp_path / "ok.toml"), "add", "2024", "x" * 600, "-c", "china")
    assert_one_line_error(ran, 2, "the title is too long")
    ran = invoke("--store", str(tmp_path / "ok.toml"), "add", "2024", "T", "-c", "china", "-c",
                 "china")  # fmt: skip
    assert_one_line_error(ran, 2, "named twice")


def test_source_problem_at_the_line_of_the_source_key(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    text = HEADER + '[[events.sources]]\npublisher = " "\ndate = "2023-13-45"\n'
    path.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    found = errors(path)
    assert len(found) == 2, found
    publisher = lines.index('publisher = " "') + 1
    date = lines.index('date = "2023-13-45"') + 1
    assert found[0].startswith(f"{path}:{publisher}: "), found
    assert "source 2 has no publisher" in found[0]
    assert found[1].startswith(f"{path}:{date}: "), found


# --- the same verdicts ------------------------------------------------------------------


def mostly(good: st.SearchStrategy[Any], *bad: Any) -> st.SearchStrategy[Any]:
    """Values that keep the rules, now and then one that breaks one (so that both verdicts
    come up often)."""
    return st.integers(0, 24).flatmap(lambda n: st.sampled_from(bad) if n == 0 else good)


TEXT = mostly(st.text(max_size=12), "a\x00b", "x" * 600)
SOURCE = st.fixed_dictionaries(
    {"publisher": mostly(st.sampled_from(["People's Daily", "TASS"]), " ", "Xinhua\x00")},
    optional={"date": mostly(st.sampled_from(["2023-05-17", "2024"]), "2023-13-01")},
)
COUNTRIES = st.sampled_from([["china", "kazakhstan"], ["china"], ["kazakhstan", "china"]])
EVENT = st.fixed_dictionaries(
    {
        "id": mostly(st.sampled_from(["new-1", "ok.2"]), "bad id", "y" * 201),
        "date": mostly(
            st.sampled_from(["2023-05-17", "2023", "2024-07-02/2024-07-04"]),
            "2023-02-30",
            "2024-07-06/2024-07-02",
        ),
        "kind": mostly(st.sampled_from(["talks", "other", "visit"]), "dance"),
        "title": mostly(
            st.text(min_size=1, max_size=12).filter(str.strip), "", "  ", "x" * 501, "a\x00b"
        ),
        "countries": mostly(COUNTRIES, [], ["narnia"], ["china", "china"]),
        "actors": mostly(st.lists(st.just("xi-jinping"), max_size=1), ["nobody"]),
        "host": mostly(st.sampled_from(["", "china", "kazakhstan", "china"]), "narnia"),
        "place": TEXT,
        "status": mostly(st.sampled_from(["", "held", "announced"]), "maybe"),
        "announced": mostly(st.sampled_from(["", "2023-01-01"]), "2030-01-01"),
        "level": TEXT,
        "tags": st.lists(TEXT, max_size=2),
        "summary": TEXT,
        "sources": st.lists(SOURCE, max_size=2),
    }
)


def _table(event: dict[str, Any]) -> dict[str, Any]:
    """The event as a store table: empty optional fields left out."""
    return {k: v for k, v in event.items() if v not in ("", []) or k in ("title", "countries")}


def _check_verdict(folder: Path, event: dict[str, Any]) -> bool:
    path = folder / "check.toml"
    path.write_text(HEADER + "\n" + tomli_w.dumps({"events": [_table(event)]}), encoding="utf-8")
    return not errors(path)


def _store(folder: Path, name: str) -> str:
    path = folder / name
    path.write_text(HEADER, encoding="utf-8")
    return str(path)


def _import_verdict(folder: Path, event: dict[str, Any]) -> bool:
    ran = invoke("--store", _store(folder, "import.toml"), "import", "-", "--format", "jsonl",
                 input=json.dumps(event) + "\n")  # fmt: skip
    assert ran.code in (0, 2), ran
    return ran.code == 0


def _field_options(event: dict[str, Any], *, edit: bool) -> list[str]:
    args: list[str] = []
    for c in event["countries"]:
        args += ["-c", c]
    if event["kind"] != "other" or edit:
        args += ["--kind", event["kind"]]
    for key in ("host", "place", "status", "announced", "level", "summary"):
        if event[key]:
            args += [f"--{key}", event[key]]
        elif edit and key != "status":
            args += ["--clear", key]
    for key, option in (("actors", "--actor"), ("tags", "--tag")):
        for value in event[key]:
            args += [option, value]
        if edit and not event[key]:
            args += ["--clear", key]
    for src in event["sources"]:
        args += ["--source", src["publisher"]]
    if edit and not event["sources"]:
        args += ["--clear", "sources"]
    return args


def _add_verdict(folder: Path, event: dict[str, Any]) -> bool:
    args = ["add", event["date"], event["title"], "--id", event["id"]]
    ran = invoke("--store", _store(folder, "add.toml"), *args, *_field_options(event, edit=False))
    assert ran.code in (0, 2), ran
    return ran.code == 0


def _edit_verdict(folder: Path, event: dict[str, Any]) -> bool:
    args = ["edit", "base", "--date", event["date"], "--title", event["title"]]
    ran = invoke("--store", _store(folder, "edit.toml"), *args, *_field_options(event, edit=True))
    assert ran.code in (0, 2), ran
    return ran.code == 0


@settings(max_examples=60, deadline=None)
@given(EVENT)
def test_check_add_edit_import_agree(event: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        verdict = _check_verdict(folder, event)
        event_note(f"verdict {verdict}")
        assert _import_verdict(folder, event) == verdict, ("import", verdict)
        # add and edit take a source as its publisher's name, and give no id or country list
        # to edit: those fields are compared where the options can say them
        plain_sources = all(set(s) == {"publisher"} and s["publisher"] == s["publisher"].strip()
                            for s in event["sources"])  # fmt: skip
        if plain_sources:
            assert _add_verdict(folder, event) == verdict, ("add", verdict)
        good_id = event["id"] in ("new-1", "ok.2")
        if plain_sources and good_id and event["countries"]:
            assert _edit_verdict(folder, event) == verdict, ("edit", verdict)
