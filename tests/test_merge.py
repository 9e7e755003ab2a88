"""The merge driver on its own: `dtimeline merge-driver BASE OURS THEIRS` on files, checked
against a model three-way merge of the event sets (hypothesis), and its edge cases."""

from __future__ import annotations

import string
from pathlib import Path
from typing import Any

import pytest
import tomli
import tomli_w
from conftest import invoke
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

HEAD = (
    'schema = 1\n\n[countries.china]\nname = "China"\n\n'
    '[countries.kazakhstan]\nname = "Kazakhstan"\n'
)


def event(event_id: str, **fields: Any) -> dict[str, Any]:
    table = {"id": event_id, "date": "2020", "kind": "other", "title": event_id.upper()}
    table["countries"] = ["china"]
    table.update(fields)
    return table


def store_text(events: list[dict[str, Any]], head: str = HEAD) -> str:
    return head + "".join("\n" + tomli_w.dumps({"events": [ev]}) for ev in events)


def merge_files(tmp_path: Path, base: str, ours: str, theirs: str) -> tuple[int, str, str]:
    paths = []
    for name, text in (("base", base), ("ours", ours), ("theirs", theirs)):
        path = tmp_path / f"{name}.toml"
        path.write_bytes(text.encode("utf-8"))
        paths.append(str(path))
    ran = invoke("merge-driver", *paths, "events.toml")
    return ran.code, (tmp_path / "ours.toml").read_text("utf-8"), ran.err


def parsed_events(text: str) -> list[dict[str, Any]]:
    return list(tomli.loads(text).get("events", []))


# --- the model: the rules, event by event and field by field ------------------------


def model_merge(
    base: list[dict[str, Any]], ours: list[dict[str, Any]], theirs: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], set[str]]:
    """The merged events (ours's order, then theirs's additions) and the conflicting ids."""
    b = {e["id"]: e for e in base}
    o = {e["id"]: e for e in ours}
    t = {e["id"]: e for e in theirs}
    result: list[dict[str, Any]] = []
    conflicts: set[str] = set()
    order = [e["id"] for e in ours] + [e["id"] for e in theirs if e["id"] not in o]
    for event_id in order:
        was, mine, other = b.get(event_id), o.get(event_id), t.get(event_id)
        if was is None:  # added on one side, or on both
            if mine is not None and other is not None and mine != other:
                conflicts.add(event_id)
            else:
                result.append(mine if mine is not None else other)  # type: ignore[arg-type]
        elif mine is None or other is None:  # removed on one side (or both)
            kept = other if mine is None else mine
            if kept is not None and kept != was:
                conflicts.add(event_id)  # changed on the side that did not remove it
        else:
            merged: dict[str, Any] = {}
            for key in dict.fromkeys([*mine, *other]):
                bv, ov, tv = was.get(key), mine.get(key), other.get(key)
                if ov == tv:
                    value = ov
                elif ov == bv:
                    value = tv
                elif tv == bv:
                    value = ov
                else:
                    conflicts.add(event_id)
                    break
                if value is not None:
                    merged[key] = value
            else:
                result.append(merged)
    return result, conflicts


# --- random histories -----------------------------------------------------------------------

WORDS = st.sampled_from(["Astana", "Dushanbe", "Almaty", "Xi'an", 'a "quoted" one', "é\nnew line"])
FIELDS = {
    "title": WORDS,
    "place": WORDS,
    "summary": WORDS,
    "date": st.sampled_from(["2020", "2021-05", "2022-01-02", "2013-09~"]),
    "tags": st.lists(st.sampled_from(["a", "b", "c"]), max_size=2, unique=True),
}


@st.composite
def history(draw: st.DrawFn, base: list[dict[str, Any]], side: str) -> list[dict[str, Any]]:
    """One branch: a few random adds, edits and removes applied to ``base``."""
    events = [dict(e) for e in base]
    for _ in range(draw(st.integers(0, 5))):
        op = draw(st.sampled_from(["add", "edit", "edit", "remove"]))
        if op == "add":
            # a small pool of new ids, shared by both sides: both may add the same one
            new_id = f"new-{draw(st.sampled_from(string.ascii_lowercase[:3]))}"
            if any(e["id"] == new_id for e in events):
                continue
            extra = draw(st.dictionaries(st.sampled_from(sorted(FIELDS)), st.just(None)))
            table = event(new_id)
            for key in extra:
                table[key] = draw(FIELDS[key])
            events.append(table)
        elif events and op == "edit":
            target = draw(st.sampled_from(events))
            key = draw(st.sampled_from(sorted(FIELDS)))
            if draw(st.booleans()) or key in ("title", "date"):
                target[key] = draw(FIELDS[key])
            else:
                target.pop(key, None)
        elif events:
            events.remove(draw(st.sampled_from(events)))
    del side
    return events


@st.composite
def three_stores(draw: st.DrawFn) -> tuple[list[dict[str, Any]], ...]:
    count = draw(st.integers(0, 5))
    base = [event(f"e{i}", place="Astana") for i in range(count)]
    return base, draw(history(base, "ours")), draw(history(base, "theirs"))


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(stores=three_stores())
def test_driver_equals_the_model_three_way_merge(
    stores: tuple[list[dict[str, Any]], ...], tmp_path: Path
) -> None:
    base, ours, theirs = stores
    want, want_conflicts = model_merge(base, ours, theirs)
    code, text, err = merge_files(tmp_path, *(store_text(s) for s in stores))
    if not want_conflicts:
        assert code == 0, err
        assert parsed_events(text) == want
        assert invoke("--store", str(tmp_path / "ours.toml"), "check").code == 0
    else:
        assert code == 1
        found = {line.split("event '")[1].split("'")[0] for line in err.splitlines()}
        assert found == want_conflicts
        assert text.count("<<<<<<< ours\n") == len(want_conflicts)
        # choosing ours in every conflict gives ours's version of those events
        kept = _resolve(text, keep="ours")
        mine = {e["id"]: e for e in ours}
        for ev in parsed_events(kept):
            if ev["id"] in want_conflicts:
                assert ev == mine[ev["id"]]


def _resolve(text: str, keep: str) -> str:
    out, side = [], None
    for line in text.splitlines(keepends=True):
        if line.startswith("<<<<<<< "):
            side = "ours"
        elif line == "=======\n" and side:
            side = "theirs"
        elif line.startswith(">>>>>>> "):
            side = None
        elif side in (None, keep):
            out.append(line)
    return "".join(out)


# --- edge cases -----------------------------------------------------------------------------


def test_a_store_added_on_both_sides_merges_from_an_empty_base(tmp_path: Path) -> None:
    code, text, err = merge_files(tmp_path, "", store_text([event("a")]), store_text([event("b")]))
    assert code == 0, err
    assert [e["id"] for e in parsed_events(text)] == ["a", "b"]


def test_declarations_merge_by_slug_and_field(tmp_path: Path) -> None:
    base = store_text([event("a")])
    ours = base.replace('name = "Kazakhstan"\n', 'name = "Kazakhstan"\niso = "KZ"\n')
    ours = ours.replace("schema = 1\n", "schema = 1\n# our note\n")
    theirs = base.replace(
        "\n[countries.kazakhstan]",
        '\n[countries.tajikistan]\nname = "Tajikistan"\n\n[countries.kazakhstan]',
    ).replace('name = "China"\n', 'name = "China"\nnative = "中国"\n')
    code, text, err = merge_files(tmp_path, base, ours, theirs)
    assert code == 0, err
    doc = tomli.loads(text)
    assert doc["countries"]["kazakhstan"] == {"name": "Kazakhstan", "iso": "KZ"}
    assert doc["countries"]["china"] == {"name": "China", "native": "中国"}
    assert doc["countries"]["tajikistan"] == {"name": "Tajikistan"}
    assert "# our note\n" in text


def test_a_declaration_changed_differently_is_a_conflict_around_its_table(
    tmp_path: Path,
) -> None:
    base = store_text([event("a")])
    ours = base.replace('name = "China"', 'name = "PRC"').replace(
        "schema = 1\n", "schema = 1\n# o\n"
    )
    theirs = base.replace('name = "China"', 'name = "China (PRC)"').replace(
        'name = "Kazakhstan"', 'name = "Qazaqstan"'
    )
    code, text, err = merge_files(tmp_path, base, ours, theirs)
    assert code == 1
    assert err.splitlines() == [
        "dtimeline: events.toml: conflict: country 'china': name changed differently on both sides"
    ]
    assert text.startswith(
        "schema = 1\n# o\n\n"
        '<<<<<<< ours\n[countries.china]\nname = "PRC"\n'
        '=======\n[countries.china]\nname = "China (PRC)"\n>>>>>>> theirs\n'
        '\n[countries.kazakhstan]\nname = "Qazaqstan"\n'  # theirs's other change is taken
    )
    kept = _resolve(text, keep="theirs")
    assert tomli.loads(kept)["countries"]["china"] == {"name": "China (PRC)"}


def test_a_declaration_removed_here_changed_there(tmp_path: Path) -> None:
    base = store_text([event("a")])
    ours = base.replace('\n[countries.kazakhstan]\nname = "Kazakhstan"\n', "")
    theirs = base.replace('name = "Kazakhstan"', 'name = "Qazaqstan"')
    code, text, err = merge_files(tmp_path, base, ours, theirs)
    assert code == 1
    assert "country 'kazakhstan': removed here, changed there" in err
    head = text.split("[[events]]")[0]
    assert head.endswith(
        '<<<<<<< ours\n=======\n[countries.kazakhstan]\nname = "Qazaqstan"\n>>>>>>> theirs\n\n'
    )


def test_a_schema_conflict_marks_the_whole_head(tmp_path: Path) -> None:
    base = store_text([event("a")])
    code, text, err = merge_files(
        tmp_path,
        base,
        base.replace("schema = 1", "schema = 2"),
        base.replace("schema = 1", "schema = 3"),
    )
    assert code == 1 and "the store's 'schema'" in err
    assert text.startswith("<<<<<<< ours\nschema = 2\n")


def test_a_clean_merge_that_fails_check_is_not_clean(tmp_path: Path) -> None:
    base = store_text([event("a")])
    ours = base.replace('\n[countries.kazakhstan]\nname = "Kazakhstan"\n', "")
    theirs = store_text([event("a"), event("b", countries=["kazakhstan"])])
    code, text, err = merge_files(tmp_path, base, ours, theirs)
    assert code == 1
    assert "merged, but:" in err and "unknown country 'kazakhstan'" in err
    assert [e["id"] for e in parsed_events(text)] == ["a", "b"]


def test_crlf_and_bom_are_kept(tmp_path: Path) -> None:
    base = store_text([event("a"), event("b")]).replace("\n", "\r\n")
    ours = base.replace('title = "A"', 'title = "Ours A"')
    theirs = base.replace('title = "B"', 'title = "Theirs B"') + store_text(
        [event("c")], head=""
    ).replace("\n", "\r\n")
    paths = []
    for name, text in (("base", base), ("ours", ours), ("theirs", theirs)):
        path = tmp_path / f"{name}.toml"
        path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
        paths.append(str(path))
    ran = invoke("merge-driver", *paths)
    assert ran.code == 0, ran.err
    data = (tmp_path / "ours.toml").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert b"\n" not in data.replace(b"\r\n", b"")
    ids = [(e["id"], e["title"]) for e in parsed_events(data[3:].decode())]
    assert ids == [("a", "Ours A"), ("b", "Theirs B"), ("c", "C")]


def test_both_changed_fields_keep_comments_of_ours(tmp_path: Path) -> None:
    base = store_text([event("a", place="Astana")])
    ours = base.replace('title = "A"', 'title = "A" # checked against the communique')
    ours = ours.replace('place = "Astana"', 'place = "Astana"\n# the venue changed in 2019')
    theirs = base.replace('place = "Astana"', 'place = "Nur-Sultan"')
    code, text, err = merge_files(tmp_path, base, ours, theirs)
    assert code == 0, err
    assert 'title = "A" # checked against the communique\n' in text
    assert "# the venue changed in 2019\n" in text
    assert parsed_events(text)[0]["place"] == "Nur-Sultan"


def test_a_file_that_cannot_be_cut_falls_back_to_a_line_merge(tmp_path: Path) -> None:
    pytest.importorskip("shutil").which("git") or pytest.skip("git is not installed")
    base = HEAD + "\n[[events]]\ntitle = 'no id here'\n"
    ours = "# ours\n" + base
    theirs = base + "# theirs\n"
    code, text, err = merge_files(tmp_path, base, ours, theirs)
    assert "merging line by line instead" in err
    assert text == "# ours\n" + base + "# theirs\n"
    assert "merged, but:" in err and "has no id" in err  # and checked: still no id
    assert code == 1


def test_unreadable_input_is_an_error_and_ours_is_unchanged(tmp_path: Path) -> None:
    ours = tmp_path / "ours.toml"
    ours.write_text(HEAD, "utf-8")
    ran = invoke("merge-driver", str(tmp_path / "nope.toml"), str(ours), str(ours))
    assert ran.code == 4 and "no such store file" in ran.err
    assert ours.read_text("utf-8") == HEAD


def test_event_ids_are_read_in_every_string_form() -> None:
    from dtimeline.store.mergetext import cut

    text = (
        'schema = 1\n\n[[events]]\nid = """abc"""\n\n[[events]]\nid = "x" # note\r\n'
        "[[events]]\nid = 'y'\n[[events]]\ntitle = \"t\"\nid = '''z'''\n"
    )
    found = cut(text)
    assert [seg.id for seg in found.events] == ["abc", "x", "y", "z"]
    assert found.head == "schema = 1\n\n"
