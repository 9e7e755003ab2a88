"""Reading a store that cannot be read (store/load.py): the one line each failure gives, as a
user reads it on stderr, compared whole, through the installed program; and the store left
byte for byte as it was."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from conftest import run, sha

from dtimeline.errors import StoreError
from dtimeline.store import check_store, load, load_store
from dtimeline.store.digest import Digest

HEAD = 'schema = 1\n\n[countries.china]\nname = "China"\n'


def one_error(path: Path, *args: str) -> str:
    """The one line of stderr that reading ``path`` gives (exit 4), the store unchanged."""
    before = sha(path)
    ran = run("--store", str(path), *(args or ("query",)))
    assert (ran.code, ran.out) == (4, ""), (ran.code, ran.out, ran.err)
    assert sha(path) == before
    (line,) = ran.err.splitlines()
    return line


def test_bytes_that_are_not_utf8_name_the_line_and_the_byte(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_bytes(b"schema = 1\n# caf\xc3\xa9 is fine\n# \xe9t\xe9 is Latin-1\n")
    assert one_error(path) == f"dtimeline: {path}:3: not UTF-8 text (byte 0xe9)"


def test_lines_after_a_byte_order_mark_are_counted_from_the_first(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_bytes(b"\xef\xbb\xbfschema = 1\n\n# \xff\n")
    assert one_error(path) == f"dtimeline: {path}:3: not UTF-8 text (byte 0xff)"


def test_a_syntax_error_names_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text(HEAD + 'name = "Again"\n', encoding="utf-8")
    message = f"{path}:5:15: TOML syntax error: Cannot overwrite a value"
    assert one_error(path) == f"dtimeline: {message}"
    (problem,) = check_store(path)
    assert (problem.line, problem.message) == (
        5,
        "TOML syntax error: Cannot overwrite a value (column 15)",
    )


def test_conflict_markers_are_counted_and_the_first_is_named(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    conflict = '<<<<<<< ours\nname = "{a}"\n=======\nname = "{b}"\n>>>>>>> theirs\n'
    path.write_text(
        "schema = 1\n\n[countries.china]\n"
        + conflict.format(a="China", b="PRC")
        + "\n[countries.kazakhstan]\n"
        + conflict.format(a="Kazakhstan", b="Qazaqstan"),
        encoding="utf-8",
    )
    assert one_error(path) == (
        f"dtimeline: {path}:4: unresolved merge conflict (2 left): git's conflict markers"
        " (<<<<<<<, =======, >>>>>>>) are still in the store; keep one version of each"
        " conflicting table and delete the marker lines"
    )


@pytest.mark.parametrize(("schema", "ok"), [("1", True), ("2", False), ("99", False)])
def test_a_newer_schema_is_refused_naming_both(tmp_path: Path, schema: str, ok: bool) -> None:
    path = tmp_path / "s.toml"
    path.write_text(f"schema = {schema}\n", encoding="utf-8")
    if ok:
        assert load_store(path).events == ()
        return
    assert one_error(path) == (
        f"dtimeline: {path}: schema {schema} is newer than this dtimeline understands (1)"
        " (upgrade dtimeline)"
    )


EVENT = (
    '\n[[events]]\nid = "{}"\ndate = "2023"\nkind = "talks"\ntitle = "T"\ncountries = ["china"]\n'
)
UNTITLED = '\n[[events]]\nid = "{}"\ndate = "2023-05-17"\nkind = "talks"\ncountries = ["china"]\n'


@pytest.mark.parametrize(
    ("ids", "more"),
    [("a", ""), ("ab", " (and 1 more: run 'dtimeline check')"),
     ("abc", " (and 2 more: run 'dtimeline check')")],
)  # fmt: skip
def test_the_first_problem_is_said_with_how_many_more(tmp_path: Path, ids: str, more: str) -> None:
    """Each event lacks its title (an error) and cites no source (only --strict's
    problem, not counted)."""
    path = tmp_path / "s.toml"
    path.write_text(HEAD + "".join(UNTITLED.format(i) for i in ids), encoding="utf-8")
    problems = check_store(path)
    assert [p.strict for p in problems] == [False, True] * len(ids)
    assert one_error(path) == f"dtimeline: {path}:6: event 'a' has no title{more}"


def test_a_missing_store_and_a_folder(tmp_path: Path) -> None:
    missing = tmp_path / "none.toml"
    ran = run("--store", str(missing), "query")
    assert (ran.code, ran.out) == (4, "")
    assert ran.err == (
        f"dtimeline: {missing}: no such store file (check --store or $DTIMELINE_STORE)\n"
    )
    assert not missing.exists()
    ran = run("--store", str(tmp_path), "query")
    assert (ran.code, ran.err) == (4, f"dtimeline: {tmp_path}: is a folder, not a store file\n")


def test_a_store_read_from_disk_in_two_parts_at_an_events_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The two-process index build (store/splitbuild.py) reads the part before a cut and
    the part after it: each gives its own events, and each part's bytes are fed to its
    digest, so the two fingerprints are those of the file's two parts."""
    path = tmp_path / "s.toml"
    path.write_text(HEAD + "".join(EVENT.format(f"e{n}") for n in range(1, 6)), encoding="utf-8")
    data = path.read_bytes()
    cut = load.find_cut(path, data.index(b'id = "e2"'))
    assert cut == data.index(b'[[events]]\nid = "e3"')
    monkeypatch.setattr(load, "STREAM_PIECE", 16)  # many reads of each part
    first, second = Digest(), Digest()
    head, tables = load.stream_tables(path, first, stop=cut)
    assert head == {"schema": 1, "countries": {"china": {"name": "China"}}}
    assert [t["id"] for t in tables] == ["e1", "e2"]
    assert [t["id"] for t in load.stream_part(path, cut, second)] == ["e3", "e4", "e5"]
    assert first.hexdigest() == Digest(data[:cut]).hexdigest()
    assert second.hexdigest() == Digest(data[cut:]).hexdigest()


def test_a_syntax_error_of_a_tomli_without_line_attributes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """tomli before 2.1 (pyproject allows 2.0.1) says the line and column only in its
    message; they are read from there."""
    import tomli

    def old_loads(text: str) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # free-form: 2.0's shape
            raise tomli.TOMLDecodeError("Invalid value (at line 3, column 4)")

    monkeypatch.setattr(tomli, "loads", old_loads)
    path = tmp_path / "s.toml"
    with pytest.raises(load.TomlSyntaxError) as found:
        load.parse_toml("schema = 1\n\nx = \n", path)
    assert str(found.value) == f"{path}:3:4: TOML syntax error: Invalid value"
    assert (found.value.problem.line, found.value.problem.message) == (
        3,
        "TOML syntax error: Invalid value (column 4)",
    )


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (PermissionError(13, "Permission denied"), "permission denied"),
        (OSError(5, "Input/output error"), "cannot read: Input/output error"),
    ],
)
def test_a_store_the_system_will_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: OSError, message: str
) -> None:
    """Raised by the system (as root, the tests' user on CI, a mode of 000 does not stop
    a read, so the error is raised in its place)."""
    path = tmp_path / "s.toml"
    path.write_text("schema = 1\n", encoding="utf-8")

    def refuse(self: Path) -> bytes:
        raise error

    monkeypatch.setattr(Path, "read_bytes", refuse)
    with pytest.raises(StoreError) as found:
        load.load_path(path)
    assert str(found.value) == f"{path}: {message}"


def test_a_kinds_table_after_the_events_of_a_store_read_in_pieces(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A store of more than ``CHUNK`` events is parsed in pieces; a table after the events
    (here ``[kinds]``, declaring the kind the last event uses) sends it to one parse of the
    whole file, so the kind is declared, as a small store's would be."""
    monkeypatch.setattr(load, "CHUNK", 1)
    text = (
        HEAD
        + EVENT.format("e1")
        + EVENT.format("e2").replace('"talks"', '"parade"')
        + '\n[kinds]\nparade = "a military parade"\n'
    )
    store, problems = load.load_text(text, tmp_path / "s.toml")
    assert [p.message for p in problems if not p.strict] == []
    assert [(ev.id, ev.kind) for ev in store.events] == [("e1", "talks"), ("e2", "parade")]
    assert store.kinds == {"parade": "a military parade"}


def test_a_part_with_crlf_line_ends_is_not_streamed(tmp_path: Path) -> None:
    """stream_part's contract: CRLF line ends mean reading the file whole (Unstreamable),
    also when the cut itself is at an LF line."""
    path = tmp_path / "s.toml"
    path.write_bytes(
        (HEAD + EVENT.format("e1")).encode() + EVENT.format("e2").replace("\n", "\r\n").encode()
    )
    cut = path.read_bytes().index(b"[[events]]\n")  # e1's line ends LF; e2's lines CRLF
    with pytest.raises(load.Unstreamable):
        list(load.stream_part(path, cut, Digest()))
