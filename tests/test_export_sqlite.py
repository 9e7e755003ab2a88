"""`export --format sqlite`: a standalone database that the sqlite3 module reads back to
exactly the records `query --format json` prints."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from conftest import assert_one_line_error, run, sha


def records(db: Path) -> list[dict[str, object]]:
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        out = []
        for row in conn.execute("SELECT * FROM events ORDER BY seq"):
            seq = row["seq"]
            links = {
                name: [v for (v,) in conn.execute(
                    f"SELECT {col} FROM {table} WHERE seq = ?", (seq,))]
                for name, table, col in (("countries", "event_countries", "country"),
                                         ("actors", "event_actors", "actor"),
                                         ("tags", "event_tags", "tag"))
            }  # fmt: skip
            sources = [
                {"publisher": p, "title": t, "url": u, "date": d, **({"note": n} if n else {})}
                for p, t, u, d, n in conn.execute(
                    "SELECT publisher, title, url, date, note FROM sources WHERE seq = ?"
                    " ORDER BY pos",
                    (seq,),
                )
            ]
            rec = {
                "id": row["id"], "date": row["date"], "start": row["earliest"],
                "end": row["latest"], "kind": row["kind"], "title": row["title"],
                "countries": json.loads(row["countries"]), "actors": json.loads(row["actors"]),
                "host": row["host"], "place": row["place"], "status": row["status"],
                "announced": row["announced"], "level": row["level"],
                "tags": json.loads(row["tags"]), "summary": row["summary"], "sources": sources,
            }  # fmt: skip
            assert sorted(links["countries"]) == sorted(rec["countries"])  # type: ignore[arg-type]
            assert sorted(links["actors"]) == sorted(rec["actors"])  # type: ignore[arg-type]
            assert sorted(links["tags"]) == sorted(rec["tags"])  # type: ignore[arg-type]
            assert json.loads(row["json"])["id"] == rec["id"]
            out.append(rec)
    return out


@pytest.mark.parametrize("filters", [(), ("-c", "tajikistan", "--since", "2010")])
def test_database_reads_back_as_query_json(
    store: Path, tmp_path: Path, filters: tuple[str, ...]
) -> None:
    db = tmp_path / "out.db"
    ran = run("--store", str(store), "export", "--format", "sqlite", "-o", str(db), *filters)
    assert ran.code == 0, ran.err
    assert ran.out == ""
    want = json.loads(run("--store", str(store), "query", "--format", "json", *filters).out)
    assert want, "the filters must keep some events"
    for rec in want:
        del rec["precision"]
    got = records(db)
    assert got == want
    assert f"wrote {len(want)} event" in ran.err
    with sqlite3.connect(db) as conn:
        names = {n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert {"events", "countries", "actors", "kinds", "sources", "meta"} <= names
        assert not any(n.startswith("search") for n in names)
        n_countries = conn.execute("SELECT count(*) FROM countries").fetchone()[0]
    assert n_countries >= 3


def test_database_needs_a_file_and_writes_nothing_else(store: Path, tmp_path: Path) -> None:
    before = sha(store)
    ran = run("--store", str(store), "export", "--format", "sqlite")
    assert_one_line_error(ran, 2, "-o FILE")
    assert sha(store) == before
    bad = run("--store", str(store), "export", "--format", "sqlite", "-o",
              str(tmp_path / "missing" / "x.db"))  # fmt: skip
    assert_one_line_error(bad, 6, "cannot write")
    assert list(tmp_path.iterdir()) == [store]
