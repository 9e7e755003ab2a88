"""The index's write plans (store/sync.py), cases found by mutation testing
(docs/mutation.md): after a write, the next read is served by the index and answers as a
fresh parse of the file does."""

from __future__ import annotations

from pathlib import Path

from conftest import invoke

from dtimeline.store import load_store as load_store_fn
from dtimeline.store.load import load_text
from dtimeline.store.memo import reset


def ok(*args: str) -> str:
    reset()  # each command as a new process runs it
    ran = invoke(*args)
    assert ran.code == 0, ran.err
    return ran.out


def test_a_new_name_of_a_country_is_searched_after_the_edit(store: Path) -> None:
    """Editing a country's aliases (the old one replaced) changes the search key of every
    event naming it: the next `--search` by the new alias finds exactly those events, the
    old alias none (the index is not merely given the new head with the old keys)."""
    s = str(store)
    ok("--store", s, "query", "--format", "ids")  # the index is built
    naming = ok("--store", s, "query", "-c", "kazakhstan", "--format", "ids")
    assert naming.split()
    assert ok("--store", s, "query", "--search", "qazaqstan", "--format", "ids") == naming
    assert ok("--store", s, "query", "--search", "qazaq eli", "--format", "ids") == ""
    ok("--store", s, "countries", "edit", "kazakhstan", "--alias", "Qazaq Eli")
    assert ok("--store", s, "query", "--search", "qazaq eli", "--format", "ids") == naming
    assert ok("--store", s, "query", "--search", "qazaqstan", "--format", "ids") == ""
    reset()
    served = load_store_fn(store)
    parsed, problems = load_text(store.read_text(encoding="utf-8"), store)
    assert not [p for p in problems if not p.strict]
    assert served == parsed


RECORDS = (
    '{"date": "2031-05-02", "kind": "talks", "title": "Talks in Paris",'
    ' "countries": ["china", "France"], "sources": [{"publisher": "x"}]}\n'
    '{"date": "2031-05-03", "kind": "talks", "title": "Talks in Lyon",'
    ' "countries": ["china", "France"], "sources": [{"publisher": "y"}]}\n'
)


def test_an_import_that_declares_a_country_indexes_every_new_event(store: Path) -> None:
    """Two records naming a country the store does not declare: both are in the next
    read's answer (the index is updated in place with the declaration and both events)."""
    s = str(store)
    ok("--store", s, "query", "--format", "ids")  # the index is built
    reset()
    ran = invoke("--store", s, "import", "--format", "jsonl", input=RECORDS)
    assert ran.code == 0, ran.err
    assert "declared country france" in ran.err
    assert ok("--store", s, "query", "-c", "france", "--format", "ids").split() == [
        "2031-05-02-talks-in-paris",
        "2031-05-03-talks-in-lyon",
    ]
    reset()
    served = load_store_fn(store)
    parsed, problems = load_text(store.read_text(encoding="utf-8"), store)
    assert not [p for p in problems if not p.strict]
    assert served == parsed


def test_an_empty_store_that_a_declaring_import_fills(tmp_path: Path) -> None:
    """The same import into a store with no event yet."""
    s = str(tmp_path / "events.toml")
    ok("--store", s, "init")
    assert ok("--store", s, "query", "--format", "ids") == ""
    reset()
    ran = invoke("--store", s, "import", "--format", "jsonl", input=RECORDS)
    assert ran.code == 0, ran.err
    assert ok("--store", s, "query", "--format", "ids").split() == [
        "2031-05-02-talks-in-paris",
        "2031-05-03-talks-in-lyon",
    ]
    reset()
    path = Path(s)
    parsed, _ = load_text(path.read_text(encoding="utf-8"), path)
    assert load_store_fn(path) == parsed
