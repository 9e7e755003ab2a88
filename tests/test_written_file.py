"""What `add`, `edit` and `remove` leave in the file, read back from disk with a fresh TOML
parse (never through the store's loader, cache or index), on small purpose-built stores."""

from __future__ import annotations

from pathlib import Path

import pytest
import tomli
from conftest import invoke, sha

from dtimeline.store import tomlblock

HEAD = """schema = 1

[countries.china]
name = "China"

[countries.kazakhstan]
name = "Kazakhstan"
"""

WITH_SOURCES = """
[[events]]
id = "e1"
date = "2023-05-17"
kind = "talks"
title = "Talks"
countries = ["china", "kazakhstan"]

# the first source: kept as written
[[events.sources]]
publisher = "Xinhua"  # wire service
url = "https://example.org/a"

[[events.sources]]
publisher = "TASS"
"""

NO_SOURCE = """
[[events]]
id = "bare"
date = "2023-06-01"
kind = "talks"
title = "Unsourced talks"
countries = ["china", "kazakhstan"]

[[events]]
id = "next"
date = "2023-07-01"
kind = "talks"
title = "Next"
countries = ["china"]
"""


def fresh(path: Path) -> dict[str, dict[str, object]]:
    """The events of the file on disk, by id, parsed by tomli alone."""
    doc = tomli.loads(path.read_text("utf-8"))
    return {ev["id"]: ev for ev in doc["events"]}


def make(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "events.toml"
    path.write_text(HEAD + body, "utf-8")
    return path


def test_add_writes_every_given_field_to_the_file(tmp_path: Path) -> None:
    path = make(tmp_path, "")
    ran = invoke(
        "--store", str(path), "add", "2023-05-17", "Strategic partnership declared",
        "-c", "china", "-c", "kazakhstan", "-k", "partnership", "--level", "strategic",
        "--place", "Astana", "-t", "trade", "-t", "energy", "--summary", "Two sentences.",
        "--status", "held", "--announced", "2023-05-10",
        "--source", "https://example.org/news/1", "--source", "Xinhua",
    )  # fmt: skip
    assert ran.code == 0, ran.err
    (ev,) = fresh(path).values()
    assert ev == {
        "id": "2023-05-17-strategic-partnership-declared",
        "date": "2023-05-17",
        "kind": "partnership",
        "title": "Strategic partnership declared",
        "countries": ["china", "kazakhstan"],
        "place": "Astana",
        "status": "held",
        "announced": "2023-05-10",
        "level": "strategic",
        "tags": ["trade", "energy"],
        "summary": "Two sentences.",
        "sources": [
            {"publisher": "example.org", "url": "https://example.org/news/1"},
            {"publisher": "Xinhua"},
        ],
    }


def test_a_writer_that_drops_a_field_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check before writing compares a fresh parse of the new block with the event's own
    fields, not with the writer's idea of them: a writer that forgets ``level`` writes nothing."""
    path = make(tmp_path, "")
    before = sha(path)
    real = tomlblock.event_table

    def forgetful(ev: object) -> dict[str, object]:
        table = real(ev)  # type: ignore[arg-type]
        table.pop("level", None)
        return table

    monkeypatch.setattr(tomlblock, "event_table", forgetful)
    ran = invoke(
        "--store", str(path), "add", "2023-05-17", "Partnership", "-c", "china",
        "-c", "kazakhstan", "-k", "partnership", "--level", "strategic", "--source", "Xinhua",
    )  # fmt: skip
    assert ran.code != 0
    assert "refusing to write: new text does not read back as given" in ran.err
    assert sha(path) == before


def test_edit_add_source_keeps_existing_source_blocks_and_their_comments(
    tmp_path: Path,
) -> None:
    path = make(tmp_path, WITH_SOURCES)
    before = path.read_text("utf-8")
    ran = invoke("--store", str(path), "edit", "e1", "--add-source", "Kazinform")
    assert ran.code == 0, ran.err
    after = path.read_text("utf-8")
    # every old byte is still there, in order, and the new block comes after them
    assert after.startswith(before.rstrip("\n"))
    assert after[len(before.rstrip("\n")) :] == '\n\n[[events.sources]]\npublisher = "Kazinform"\n'
    assert fresh(path)["e1"]["sources"] == [
        {"publisher": "Xinhua", "url": "https://example.org/a"},
        {"publisher": "TASS"},
        {"publisher": "Kazinform"},
    ]


def test_first_source_for_an_event_without_any(tmp_path: Path) -> None:
    path = make(tmp_path, NO_SOURCE)
    ran = invoke("--store", str(path), "edit", "bare", "--add-source", "https://example.org/b")
    assert ran.code == 0, ran.err
    text = path.read_text("utf-8")
    assert (
        'countries = ["china", "kazakhstan"]\n'
        "\n"
        "[[events.sources]]\n"
        'publisher = "example.org"\n'
        'url = "https://example.org/b"\n'
        "\n"
        "[[events]]\n"
        'id = "next"\n'
    ) in text
    events = fresh(path)
    assert events["bare"]["sources"] == [
        {"publisher": "example.org", "url": "https://example.org/b"}
    ]
    assert "sources" not in events["next"]
    assert text.replace(
        '\n[[events.sources]]\npublisher = "example.org"\nurl = "https://example.org/b"\n', ""
    ) == (HEAD + NO_SOURCE)


COMMENTED = """
[[events]]
id = "a"
date = "2023-01-01"
kind = "talks"
title = "A"
countries = ["china"]

# about b: kept when a goes
[[events]]
id = "b"
date = "2023-02-01"
kind = "talks"
title = "B"
countries = ["china"]
"""


def test_removing_the_event_before_a_comment_keeps_the_comment(tmp_path: Path) -> None:
    path = make(tmp_path, COMMENTED)
    ran = invoke("--store", str(path), "remove", "a")
    assert ran.code == 0, ran.err
    text = path.read_text("utf-8")
    assert text == HEAD + "\n" + COMMENTED.split("\n\n", 1)[1]
    assert '# about b: kept when a goes\n[[events]]\nid = "b"' in text
    assert list(fresh(path)) == ["b"]
