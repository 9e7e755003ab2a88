"""Your own timeline from the shell, through the installed entry point: init, empty stores,
every ISO 3166 country, countries and actors, tags and kinds, moving events between stores,
re-import, and failed commands that leave nothing on disk."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import tomli
from conftest import ENTRY, ROOT, assert_one_line_error, run, sha

from dtimeline.store import load_store


def ok(*args: str, input: str | None = None, env: dict[str, str] | None = None) -> str:
    ran = run(*args, input=input, env=env)
    assert ran.code == 0, (args, ran.code, ran.err)
    assert "Traceback" not in ran.err
    return ran.out


def fresh(tmp_path: Path, name: str = "s.toml") -> Path:
    path = tmp_path / name
    ok("init", str(path))
    return path


def doc(path: Path) -> dict[str, object]:
    return tomli.loads(path.read_text("utf-8"))


# --- 1. init ------------------------------------------------------------------------------


def test_init_writes_schema_and_a_comment_and_never_overwrites(tmp_path: Path) -> None:
    ran = run("init")  # ./events.toml in the (isolated) working folder
    assert ran.code == 0 and ran.out == "", ran
    assert "created events.toml" in ran.err and "empty store" in ran.err
    made = Path("events.toml")
    text = made.read_text("utf-8")
    assert text.startswith("#") and doc(made) == {"schema": 1}
    before = sha(made)
    assert_one_line_error(run("init"), 5, "exists already")
    assert sha(made) == before
    other = tmp_path / "b.toml"
    assert_one_line_error(run("--store", str(made), "init", "--bundled"), 5, "exists")
    ok("init", str(other), "--bundled")
    assert other.read_bytes() == (ROOT / "events.toml").read_bytes()
    assert_one_line_error(run("init", str(tmp_path / "no" / "x.toml")), 6, "no such folder")
    assert not (tmp_path / "no").exists()


# --- 2. empty stores ------------------------------------------------------------------------


@pytest.mark.parametrize("content", ["", "  \n\n\t\n", "# my timeline\n\n# nothing yet\n"])
def test_an_empty_or_comment_only_file_is_an_empty_store(tmp_path: Path, content: str) -> None:
    path = tmp_path / "e.toml"
    path.write_text(content, "utf-8")
    s = str(path)
    assert ok("--store", s, "query") == ""
    assert json.loads(ok("--store", s, "query", "--format", "json")) == []
    assert ok("--store", s, "countries", "--format", "json").strip() == "[]"
    assert ok("--store", s, "check") == ""
    ok("--store", s, "add", "2001-06-15", "SCO founded", "-c", "China", "-c", "Russia",
       "--source", "xinhua")  # fmt: skip
    ok("--store", s, "check", "--strict")
    assert doc(path)["schema"] == 1
    if content.startswith("#"):
        assert path.read_text("utf-8").startswith(content)  # the comments stay


# --- 3. every country in the world -----------------------------------------------------------


def test_france_germany_store_from_nothing(tmp_path: Path) -> None:
    s = str(fresh(tmp_path))
    ran = run("--store", s, "add", "1963-01-22", "Elysee Treaty", "-c", "france", "-c", "DEU",
              "-k", "treaty", "--source", "https://www.elysee.fr")  # fmt: skip
    assert ran.code == 0, ran.err
    assert ran.out.strip() == "1963-01-22-elysee-treaty"
    assert "declared country france (France" in ran.err
    assert "declared country germany (Germany" in ran.err
    countries = doc(Path(s))["countries"]
    assert countries == {
        "france": {"name": "France", "iso": "FR", "iso3": "FRA"},
        "germany": {"name": "Germany", "iso": "DE", "iso3": "DEU"},
    }
    # later names and codes resolve to the declared country; nothing is declared twice
    ran = run("--store", s, "add", "1962-09-04", "De Gaulle in Bonn", "-c", "FR", "-c",
              "Federal Republic of Germany", "-k", "state-visit", "--host", "GERMANY",
              "--source", "x")  # fmt: skip
    assert ran.code == 0, ran.err
    assert "declared" not in ran.err
    assert len(doc(Path(s))["countries"]) == 2  # type: ignore[arg-type]
    ok("--store", s, "check", "--strict")
    assert ok("--store", s, "query", "-c", "Germany", "--format", "ids").split() == [
        "1962-09-04-de-gaulle-in-bonn",
        "1963-01-22-elysee-treaty",
    ]
    # a filter naming an undeclared country matches nothing and writes nothing
    before = sha(Path(s))
    assert ok("--store", s, "query", "-c", "Japan") == ""
    assert sha(Path(s)) == before


def test_china_ussr_treaty_of_1950_declares_the_former_state(tmp_path: Path) -> None:
    s = str(fresh(tmp_path))
    ran = run("--store", s, "add", "1950-02-14", "Sino-Soviet Treaty of Friendship", "-c",
              "China", "-c", "USSR", "-k", "treaty", "--source", "People's Daily")  # fmt: skip
    assert ran.code == 0, ran.err
    assert "declared country soviet-union (Soviet Union, ISO 3166 SU/SUN)" in ran.err
    assert doc(Path(s))["countries"]["soviet-union"] == {  # type: ignore[index]
        "name": "Soviet Union",
        "iso": "SU",
        "iso3": "SUN",
    }
    assert ok("--store", s, "query", "-c", "soviet union", "--format", "ids").strip()


@pytest.mark.parametrize(
    ("given", "slug", "iso"),
    [
        ("Russia", "russia", "RU"),
        ("Russian Federation", "russia", "RU"),
        ("South Korea", "south-korea", "KR"),
        ("Korea, Republic of", "south-korea", "KR"),
        ("IRAN", "iran", "IR"),
        ("Islamic Republic of Iran", "iran", "IR"),
        ("United States", "united-states", "US"),
        ("UK", "united-kingdom", "GB"),
        ("gbr", "united-kingdom", "GB"),
        ("turkiye", "turkiye", "TR"),
        ("Côte d'Ivoire", "cote-d-ivoire", "CI"),
        ("COTE D'IVOIRE", "cote-d-ivoire", "CI"),
        ("Yugoslavia", "yugoslavia", "YU"),
        ("East Germany", "east-germany", "DD"),
        ("Czechoslovakia", "czechoslovakia", "CS"),
    ],
)
def test_names_codes_case_and_accents(tmp_path: Path, given: str, slug: str, iso: str) -> None:
    s = str(fresh(tmp_path))
    ok("--store", s, "add", "2000", "Talks", "-c", given, "--source", "x")
    declared = doc(Path(s))["countries"]
    assert declared == {slug: {**declared[slug], "iso": iso}}  # type: ignore[index,dict-item]


def test_edit_and_import_and_host_take_registry_countries(tmp_path: Path) -> None:
    s = str(fresh(tmp_path))
    ok("--store", s, "add", "2010", "Talks", "-c", "Japan", "--id", "t", "--source", "x")
    ran = run("--store", s, "edit", "t", "-c", "Japan", "-c", "Vietnam", "-k", "visit",
              "--host", "Viet Nam")  # fmt: skip
    assert ran.code == 0, ran.err
    assert "declared country vietnam" in ran.err
    ev = load_store(Path(s)).events[0]
    assert ev.countries == ("japan", "vietnam") and ev.host == "vietnam"
    rec = {"date": "2011", "kind": "talks", "title": "T", "countries": ["Brazil", "japan"],
           "sources": [{"publisher": "x"}]}  # fmt: skip
    ran = run("--store", s, "import", "--format", "jsonl", input=json.dumps(rec))
    assert ran.code == 0, ran.err
    assert "declared country brazil" in ran.err
    ok("--store", s, "check", "--strict")


def test_registry_is_loaded_only_for_undeclared_names(tmp_path: Path, store: Path) -> None:
    probe = (
        "import sys\n"
        "from dtimeline.cli.application import main\n"
        "sys.argv = ['dtimeline', *sys.argv[1:]]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('REGISTRY' if 'dtimeline.registry' in sys.modules else 'NONE', file=sys.stderr)\n"
        "print('PYCOUNTRY' if 'pycountry' in sys.modules else '', file=sys.stderr)\n"
    )

    def loaded(*args: str) -> str:
        proc = subprocess.run([sys.executable, "-c", probe, "--store", str(store), *args],
                              capture_output=True, text=True, check=False, timeout=60)  # fmt: skip
        assert "Traceback" not in proc.stderr, proc.stderr
        assert "PYCOUNTRY" not in proc.stderr  # the package itself is never imported
        return "REGISTRY" if "REGISTRY" in proc.stderr else "NONE"

    assert loaded("show", "kazakhstan") == "NONE"
    assert loaded("check") == "NONE"
    assert loaded("add", "2030", "Talks", "-c", "kz", "-c", "China", "--source", "x") == "NONE"
    assert loaded("add", "2031", "Talks", "-c", "kz", "-c", "Mongolia", "--source", "x") == (
        "REGISTRY"
    )


def test_check_and_reads_never_need_the_registry(tmp_path: Path) -> None:
    s = str(fresh(tmp_path))
    ok("--store", s, "add", "1950-02-14", "Treaty", "-c", "China", "-c", "USSR", "--source", "x")
    broken = tmp_path / "shadow" / "pycountry"  # a pycountry without its data files
    broken.mkdir(parents=True)
    (broken / "__init__.py").write_text("raise ImportError('no')\n")
    env = {"PYTHONPATH": str(broken.parent)}
    ok("--store", s, "check", "--strict", env=env)
    assert "Treaty" in ok("--store", s, "show", "soviet union", env=env)
    ran = run("--store", s, "add", "1951", "T", "-c", "China", "-c", "Japan", env=env)
    assert_one_line_error(ran, 2, "country registry")


def test_unknown_names_exit_2_with_nearest_and_hint(tmp_path: Path) -> None:
    s = fresh(tmp_path)
    ok("--store", str(s), "add", "2000", "T", "-c", "France", "--source", "x")
    before = sha(s)
    ran = run("--store", str(s), "add", "2001", "T", "-c", "Frnace", "--source", "x")
    assert_one_line_error(ran, 2, "unknown country 'Frnace'", "france", "countries add")
    ran = run("--store", str(s), "add", "2001", "T", "-c", "France", "-a", "Macron")
    assert_one_line_error(ran, 2, "unknown actor 'Macron'", "actors add")
    assert sha(s) == before


def test_a_slug_taken_by_another_country_is_exit_5(tmp_path: Path) -> None:
    s = fresh(tmp_path)
    ok("--store", str(s), "countries", "add", "georgia", "--name", "Georgia (US state)")
    assert "iso" not in doc(s)["countries"]["georgia"]  # type: ignore[index]
    before = sha(s)
    ran = run("--store", str(s), "add", "2008", "T", "-c", "GEO", "--source", "x")
    assert_one_line_error(ran, 5, "georgia", "another country")
    assert sha(s) == before
    ok("--store", str(s), "countries", "add", "uk", "--name", "United Kingdom")
    assert doc(s)["countries"]["uk"]["iso3"] == "GBR"  # type: ignore[index]


# --- 4. countries and actors ----------------------------------------------------------------


def test_countries_add_edit_and_actors_add_edit(tmp_path: Path) -> None:
    s = fresh(tmp_path)
    st = str(s)
    text = s.read_text("utf-8")
    s.write_text(text + "# my notes stay\n", "utf-8")
    ran = run("--store", st, "countries", "add", "eu", "--name", "European Union",
              "--alias", "EU", "--alias", "Union")  # fmt: skip
    assert ran.code == 0 and ran.out == "", ran
    assert doc(s)["countries"] == {  # type: ignore[comparison-overlap]
        "eu": {"name": "European Union", "aliases": ["EU", "Union"]}
    }
    assert_one_line_error(run("--store", st, "countries", "add", "eu", "--name", "X"), 5, "exists")
    ok("--store", st, "countries", "add", "kosovo", "--name", "Kosovo", "--iso", "xk")
    before = sha(s)
    ran = run("--store", st, "countries", "add", "ks", "--name", "K", "--iso", "XK")
    assert_one_line_error(ran, 5, "XK")
    assert sha(s) == before
    ok("--store", st, "countries", "add", "russia")  # an ISO country: from the registry
    assert doc(s)["countries"]["russia"] == {"name": "Russia", "iso": "RU", "iso3": "RUS"}  # type: ignore[index]
    ran = run("--store", st, "actors", "add", "Charles de Gaulle", "--country", "France",
              "--role", "President of France")  # fmt: skip
    assert ran.code == 0, ran.err
    assert ran.out == "charles-de-gaulle\n"
    assert "declared country france" in ran.err
    ok("--store", st, "countries", "edit", "eu", "--native", "Union européenne")
    ok("--store", st, "actors", "edit", "charles-de-gaulle", "--alias", "de Gaulle")
    data = doc(s)
    assert data["countries"]["eu"]["native"] == "Union européenne"  # type: ignore[index]
    assert data["actors"]["charles-de-gaulle"] == {  # type: ignore[index]
        "name": "Charles de Gaulle",
        "country": "france",
        "role": "President of France",
        "aliases": ["de Gaulle"],
    }
    assert "# my notes stay" in s.read_text("utf-8")
    listed = json.loads(ok("--store", st, "countries", "--format", "json"))
    assert {c["slug"] for c in listed} == {"eu", "kosovo", "russia", "france"}
    assert ok("--store", st, "actors", "--format", "plain").startswith("charles-de-gaulle\t")
    eid = ok("--store", st, "add", "1958-09-14", "Colombey", "-c", "France", "-c", "Germany",
             "-a", "de gaulle", "--source", "x").strip()  # fmt: skip
    assert load_store(s).event(eid).actors == ("charles-de-gaulle",)  # type: ignore[union-attr]
    # undo goes back one declaration at a time, byte for byte
    ok("--store", st, "remove", eid)
    ok("--store", st, "undo")
    ok("--store", st, "undo")
    ok("--store", st, "undo")
    assert "aliases" not in doc(s)["actors"]["charles-de-gaulle"]  # type: ignore[index]
    assert_one_line_error(run("--store", st, "actors", "edit", "nobody", "--role", "x"), 3, "no")
    assert_one_line_error(
        run("--store", st, "actors", "add", "Charles de Gaulle", "-c", "fr"), 5, "exists"
    )


# --- 5. tags and kinds ----------------------------------------------------------------------


def test_tags_and_kinds_with_counts(store: Path) -> None:
    st = str(store)
    data = load_store(store)
    tags = json.loads(ok("--store", st, "tags", "--format", "json"))
    kinds = json.loads(ok("--store", st, "kinds", "--format", "json"))
    expected_tags: dict[str, int] = {}
    for ev in data.events:
        for t in ev.tags:
            expected_tags[t] = expected_tags.get(t, 0) + 1
    assert {r["tag"]: r["events"] for r in tags} == expected_tags
    assert sum(r["events"] for r in kinds) == len(data.events)
    assert [r["events"] for r in kinds] == sorted((r["events"] for r in kinds), reverse=True)
    plain = ok("--store", st, "kinds", "--format", "plain").splitlines()
    assert plain[0].split("\t")[0] == kinds[0]["kind"]
    assert "events" in ok("--store", st, "tags", "--format", "table")


# --- 6. stores talk to each other -----------------------------------------------------------


def _records(path: Path) -> list[dict[str, object]]:
    return json.loads(ok("--store", str(path), "query", "--format", "json"))  # type: ignore[no-any-return]


def test_export_toml_pipes_into_a_fresh_store(tmp_path: Path, store: Path) -> None:
    b = fresh(tmp_path, "b.toml")
    exported = tmp_path / "kz.toml"
    exported.write_text(ok("--store", str(store), "export", "-c", "kz", "--format", "toml"))
    ok("--store", str(exported), "check", "--strict")
    pipeline = (
        f"'{ENTRY}' --store '{store}' export -c kz --format toml | '{ENTRY}' --store '{b}' import -"
    )
    proc = subprocess.run(["bash", "-c", f"set -o pipefail; {pipeline}"],
                          capture_output=True, text=True, check=False)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    ok("--store", str(b), "check", "--strict")
    want = [r for r in _records(store) if "kazakhstan" in r["countries"]]  # type: ignore[operator]
    assert _records(b) == want  # field by field, every field
    a_store, b_store = load_store(store), load_store(b)
    for slug, country in b_store.countries.items():
        assert a_store.countries[slug] == country
    for slug, actor in b_store.actors.items():
        assert a_store.actors[slug] == actor
    before = sha(b)
    ran = run("--store", str(b), "import", str(exported))
    assert ran.code == 0 and "imported 0" in ran.err, ran.err
    assert sha(b) == before


def test_import_declaration_that_contradicts_is_exit_5(tmp_path: Path) -> None:
    b = fresh(tmp_path, "b.toml")
    ok("--store", str(b), "countries", "add", "kazakhstan", "--name", "Kazakh SSR")
    before = sha(b)
    document = {
        "countries": {"kazakhstan": {"name": "Kazakhstan", "iso": "KZ"}},
        "events": [{"date": "1992", "kind": "other", "title": "T",
                    "countries": ["kazakhstan"]}],
    }  # fmt: skip
    ran = run("--store", str(b), "import", "--format", "json", input=json.dumps(document))
    assert_one_line_error(ran, 5, "kazakhstan", "name")
    assert sha(b) == before


def test_import_json_document_with_countries_and_actors(tmp_path: Path) -> None:
    b = fresh(tmp_path, "b.toml")
    document = {
        "countries": {"asean": {"name": "ASEAN"}},
        "actors": {"lee": {"name": "Lee Kuan Yew", "country": "singapore-x"}},
        "events": [],
    }
    ran = run("--store", str(b), "import", "--format", "json", input=json.dumps(document))
    assert_one_line_error(ran, 2, "unknown country 'singapore-x'")
    document["countries"]["singapore-x"] = {"name": "Singapore"}  # type: ignore[index]
    document["events"] = [{"date": "1967-08-08", "kind": "agreement", "title": "ASEAN founded",
                           "countries": ["asean", "singapore-x"], "actors": ["lee"],
                           "sources": [{"publisher": "x"}]}]  # fmt: skip
    ok("--store", str(b), "import", "--format", "json", input=json.dumps(document))
    data = load_store(b)
    assert set(data.countries) == {"asean", "singapore-x"} and set(data.actors) == {"lee"}
    ok("--store", str(b), "check", "--strict")


# --- 7. re-import is a no-op ----------------------------------------------------------------


def test_double_import_of_csv_and_jsonl_is_byte_identical(tmp_path: Path, store: Path) -> None:
    csv = "date,kind,title,countries,sources\n2030-01-02,talks,New talks,china;kazakhstan,xinhua\n"
    ok("--store", str(store), "import", "--format", "csv", input=csv)
    before = sha(store)
    ran = run("--store", str(store), "import", "--format", "csv", input=csv)
    assert ran.code == 0 and "imported 0, skipped 1 duplicate" in ran.err, ran.err
    assert sha(store) == before
    records = "\n".join(
        json.dumps({k: v for k, v in r.items() if k != "id"}) for r in _records(store)[:5]
    )
    ran = run("--store", str(store), "import", "--format", "jsonl", input=records)
    assert "imported 0, skipped 5 duplicates" in ran.err, ran.err
    assert sha(store) == before
    ran = run("--store", str(store), "import", "--format", "csv", "--allow-duplicates", input=csv)
    assert "imported 1" in ran.err, ran.err
    assert len(load_store(store).events) == len(_records(store))


# --- 8. a failed command leaves nothing on disk ---------------------------------------------


def test_failed_write_in_an_empty_folder_leaves_it_empty(tmp_path: Path) -> None:
    folder = tmp_path / "empty"
    folder.mkdir()
    target = folder / "frde.toml"
    ran = run("--store", str(target), "add", "1963-01-22", "T", "-c", "france")
    assert_one_line_error(ran, 4, "no such store file", f"dtimeline init {target}")
    writes = [["countries", "add", "eu", "--name", "EU"], ["actors", "add", "X", "-c", "fr"],
              ["import", "-"], ["edit", "x", "--title", "y"], ["remove", "x"],
              ["undo"]]  # fmt: skip
    for args in writes:
        assert run("--store", str(target), *args, input="{}").code == 4, args
    s = fresh(folder, "s.toml")
    listing = sorted(os.listdir(folder))
    before = sha(s)
    for args in (["add", "2000", "T", "-c", "Atlantis"], ["add", "2000", "T"],
                 ["countries", "add", "x", "--name", ""], ["actors", "add", "X", "-c", "Nowhere"],
                 ["import", "-"]):  # fmt: skip
        ran = run("--store", str(s), *args, input='{"date": "x"}')
        assert ran.code != 0, args
    assert sha(s) == before
    assert sorted(os.listdir(folder)) == listing
    # nor in dtimeline's own state folder (the lock and history of a store live there)
    state = Path(os.environ["XDG_STATE_HOME"])
    assert not state.exists() or not any(state.rglob("*")), list(state.rglob("*"))
    # a write that succeeds keeps its lock and history there, and a failed one after it
    # takes nothing away
    assert run("--store", str(s), "add", "2000", "T", "-c", "fr", "--source", "x").code == 0
    kept = sorted(p.relative_to(state) for p in state.rglob("*"))
    assert any(p.name == "lock" for p in kept), kept
    assert run("--store", str(s), "add", "2000", "T", "-c", "Atlantis").code != 0
    assert sorted(p.relative_to(state) for p in state.rglob("*")) == kept
    assert run("--store", str(s), "undo").code == 0


def test_no_store_anywhere_copies_the_bundled_one_only_on_success(tmp_path: Path) -> None:
    data = Path(os.environ["XDG_DATA_HOME"])
    state = Path(os.environ["XDG_STATE_HOME"])
    ran = run("add", "2030", "Talks", "-c", "kz", "-c", "Atlantis")
    assert ran.code == 2, ran.err
    assert not data.exists() and not list(state.rglob("lock"))
    assert run("undo").code == 5
    assert not data.exists() and not list(state.rglob("lock"))
    ran = run("add", "2030", "Talks", "-c", "kz", "-c", "china", "--source", "x")
    assert ran.code == 0, ran.err
    assert "copied the bundled timeline" in ran.err and "dtimeline init" in ran.err
    copy = data / "dtimeline" / "events.toml"
    assert copy.is_file()
    before = sha(copy)
    assert run("add", "2030", "Talks", "-c", "Atlantis").code == 2
    assert sha(copy) == before


# --- 9. the README walk-through, verbatim ---------------------------------------------------


def test_readme_walk_through_runs_verbatim(tmp_path: Path) -> None:
    if shutil.which("bash") is None:
        pytest.skip("bash is not installed")
    readme = (ROOT / "README.md").read_text("utf-8")
    section = readme.split("## Start your own timeline", 1)[1]
    script = section.split("```sh\n", 1)[1].split("```", 1)[0]
    folder = tmp_path / "walk"
    folder.mkdir()
    env = {**os.environ, "PATH": f"{ENTRY.parent}{os.pathsep}{os.environ['PATH']}"}
    proc = subprocess.run(["bash", "-e", "-c", script], cwd=folder, env=env,
                          capture_output=True, text=True, check=False, timeout=300)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "Elysee Treaty" in proc.stdout and "Adenauer" in proc.stdout
    store = load_store(folder / "events.toml")
    assert {"france", "germany", "china", "soviet-union", "eu"} <= set(store.countries)
    assert "konrad-adenauer" in store.actors
    visit = next(ev for ev in store.events if ev.kind == "state-visit")
    assert visit.host == "germany"
    exported = folder / "germany.toml"
    assert run("--store", str(exported), "check", "--strict").code == 0
    assert "soviet-union" not in doc(exported)["countries"]  # type: ignore[operator]


def test_declarations_keep_comments_and_join_an_existing_kinds_table(tmp_path: Path) -> None:
    s = tmp_path / "s.toml"
    s.write_text(
        'schema = 1\n\n[kinds]\nside = "a side meeting"  # ours\n\n[countries.fr]\n'
        '# the republic\nname = "France"  # short\niso = "FR"\n\n# events below\n'
        '[[events]]\nid = "a"\ndate = "2000"\nkind = "side"\ntitle = "T"\n'
        'countries = ["fr"]\n[[events.sources]]\npublisher = "x"\n',
        "utf-8",
    )
    document = (
        'schema = 1\n[kinds]\nforum = "a forum"\n[[events]]\ndate = "2001"\nkind = "forum"\n'
        'title = "Forum"\ncountries = ["Germany", "fr"]\n[[events.sources]]\npublisher = "y"\n'
    )
    ran = run("--store", str(s), "import", "--format", "toml", input=document)
    assert ran.code == 0, ran.err
    assert "declared kind forum" in ran.err and "declared country germany" in ran.err
    ok("--store", str(s), "countries", "edit", "fr", "--native", "République française")
    text = s.read_text("utf-8")
    for kept in ('side = "a side meeting"  # ours', "# the republic", 'name = "France"  # short',
                 "# events below"):  # fmt: skip
        assert kept in text, kept
    assert text.index('forum = "a forum"') < text.index("[countries.fr]")
    assert text.index("[countries.germany]") < text.index("# events below")
    ok("--store", str(s), "check", "--strict")
    kinds = json.loads(ok("--store", str(s), "kinds", "--format", "json"))
    assert {r["kind"]: r["events"] for r in kinds} == {"side": 1, "forum": 1}
