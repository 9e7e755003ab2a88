"""Declarations written by `add`, `edit` and `import`, read back from disk as whole files:
where a new country's table goes (above the comment over the first event, one blank line
each side), an edit of an event that is not the last, what `import --dry-run` prints, and a
write that would not read back as meant (found by mutation testing of store/declare.py,
docs/mutation.md)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import invoke, sha

from dtimeline.store import tomlblock
from dtimeline.store.declare import splice_between

HEAD = """schema = 1

[countries.china]
name = "China"

"""
EVENTS = """# events below
[[events]]
id = "e1"
date = "2023-05-17"
kind = "talks"
title = "Talks"
countries = ["china"]

[[events.sources]]
publisher = "Xinhua"

[[events]]
id = "e2"
date = "2023-06-01"
kind = "talks"
title = "More talks"
countries = ["china"]

[[events.sources]]
publisher = "Xinhua"
"""
JAPAN = """[countries.japan]
name = "Japan"
iso = "JP"
iso3 = "JPN"

"""


def store(tmp_path: Path) -> Path:
    path = tmp_path / "events.toml"
    path.write_text(HEAD + EVENTS, "utf-8")
    return path


def test_a_declared_country_goes_above_the_comment_over_the_first_event(tmp_path: Path) -> None:
    path = store(tmp_path)
    ran = invoke("--store", str(path), "add", "2024", "Visit", "-c", "china", "-c", "Japan",
                 "--id", "t", "--source", "x")  # fmt: skip
    assert ran.code == 0, ran.err
    assert path.read_text("utf-8") == HEAD + JAPAN + EVENTS + (
        '\n[[events]]\nid = "t"\ndate = "2024"\nkind = "other"\ntitle = "Visit"\n'
        'countries = ["china", "japan"]\nstatus = "held"\n\n[[events.sources]]\npublisher = "x"\n'
    )


def test_an_edit_that_declares_a_country_changes_that_event_only(tmp_path: Path) -> None:
    path = store(tmp_path)
    ran = invoke("--store", str(path), "edit", "e1", "-c", "china", "-c", "Japan")
    assert ran.code == 0, ran.err
    assert "declared country japan (Japan, ISO 3166 JP/JPN)" in ran.err
    assert path.read_text("utf-8") == HEAD + JAPAN + EVENTS.replace(
        'countries = ["china"]', 'countries = ["china", "japan"]', 1
    )


def test_import_dry_run_prints_the_kinds_it_would_declare(tmp_path: Path) -> None:
    path = store(tmp_path)
    before = sha(path)
    document = (
        'schema = 1\n[kinds]\nforum = "a forum"\n[[events]]\nid = "f"\ndate = "2001"\n'
        'kind = "forum"\ntitle = "Forum"\ncountries = ["china"]\n[[events.sources]]\n'
        'publisher = "y"\n'
    )
    ran = invoke("--store", str(path), "import", "--format", "toml", "--dry-run", input=document)
    assert ran.code == 0, ran.err
    assert ran.out == (
        '[kinds]\nforum = "a forum"\n\n[[events]]\nid = "f"\ndate = "2001"\nkind = "forum"\n'
        'title = "Forum"\ncountries = ["china"]\nstatus = "held"\n\n[[events.sources]]\n'
        'publisher = "y"\n'
    )
    assert sha(path) == before


def test_a_declaring_write_that_would_lose_a_field_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The new event must read back whole even when the declarations do."""
    path = store(tmp_path)
    before = sha(path)
    real = tomlblock.event_table

    def forgetful(ev: object) -> dict[str, object]:
        table = real(ev)  # type: ignore[arg-type]
        table.pop("level", None)
        return table

    monkeypatch.setattr(tomlblock, "event_table", forgetful)
    ran = invoke("--store", str(path), "add", "2024", "Partnership", "-c", "china", "-c", "Japan",
                 "-k", "partnership", "--level", "strategic", "--source", "x")  # fmt: skip
    assert ran.code == 4
    assert ran.err == (
        f"dtimeline: {path}: refusing to write: the change would not read back as intended"
        " (contents differ); please edit the file by hand\n"
    )
    assert sha(path) == before


def test_the_splice_keeps_the_common_start_and_end() -> None:
    assert splice_between(b"abcXdef", b"abcYYdef") == (3, 4, b"YY")
    assert splice_between(b"head\ntail\n", b"head\nnew\ntail\n") == (5, 5, b"new\n")
    assert splice_between(b"same", b"same") == (4, 4, b"")


@pytest.mark.parametrize(
    ("head", "want"),
    [
        # a comment with a blank line under it belongs to the table above: it stays there
        ('schema = 1\n\n[countries.china]\nname = "China"\n# on China\n\n',
         'schema = 1\n\n[countries.china]\nname = "China"\n# on China\n\n' + JAPAN),
        # no blank line before the first event: one is put each side of the new table
        ('schema = 1\n\n[countries.china]\nname = "China"\n',
         'schema = 1\n\n[countries.china]\nname = "China"\n\n' + JAPAN),
    ],
    ids=["comment-then-blank-line", "no-blank-line"],
)  # fmt: skip
def test_a_declared_country_goes_right_above_the_first_event(
    tmp_path: Path, head: str, want: str
) -> None:
    path = tmp_path / "events.toml"
    events = EVENTS.removeprefix("# events below\n")
    path.write_text(head + events, "utf-8")
    ran = invoke("--store", str(path), "edit", "e2", "-c", "china", "-c", "Japan")
    assert ran.code == 0, ran.err
    edited = events.replace('countries = ["china"]', 'countries = ["china", "japan"]')
    edited = edited.replace('countries = ["china", "japan"]', 'countries = ["china"]', 1)
    assert path.read_text("utf-8") == want + edited
