"""Creating a store that does not exist yet (store/create.py): `init`'s whole file and its
permissions, the refusals, and the core's `create_new` (never replacing a file, leaving no
temporary file, also where hard links are not supported). Cases found by mutation testing
(docs/mutation.md)."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from conftest import assert_one_line_error, run, sha

from dtimeline.errors import ConflictError, WriteError
from dtimeline.store.create import create_new, init_store

EMPTY = (
    "# A dtimeline event store: dated, sourced events between countries (TOML).\n"
    "# Add events with `dtimeline add`; `dtimeline check` validates the file.\n"
    "schema = 1\n"
)


def mode(umask: int) -> int:
    """A new file's permissions under ``umask``: read and write, less the umask."""
    return {0o022: 0o644, 0o027: 0o640}[umask]


def test_init_writes_the_empty_store_whole_with_the_umasks_permissions(
    tmp_path: Path, umask: int
) -> None:
    path = tmp_path / "events.toml"
    ran = run("init", str(path))
    assert (ran.code, ran.out) == (0, "")
    assert path.read_text("utf-8") == EMPTY
    assert path.stat().st_mode & 0o777 == mode(umask)
    assert sorted(os.listdir(tmp_path)) == ["events.toml"]  # no temporary file left


def test_init_bundled_copies_the_bundled_timeline_byte_for_byte(
    tmp_path: Path, bundled: Path, umask: int
) -> None:
    path = tmp_path / "events.toml"
    assert run("init", str(path), "--bundled").code == 0
    assert path.read_bytes() == bundled.read_bytes()
    assert path.stat().st_mode & 0o777 == mode(umask)
    assert sorted(os.listdir(tmp_path)) == ["events.toml"]


def test_init_never_replaces_a_file_or_a_symlink(tmp_path: Path) -> None:
    path = tmp_path / "events.toml"
    path.write_text("# mine\n", "utf-8")
    before = sha(path)
    ran = run("init", str(path))
    assert_one_line_error(ran, 5)
    assert ran.err == f"dtimeline: {path}: exists already; init never overwrites a file\n"
    assert sha(path) == before
    dangling = tmp_path / "link.toml"
    dangling.symlink_to(tmp_path / "nowhere.toml")
    ran = run("init", str(dangling))
    assert ran.err == f"dtimeline: {dangling}: exists already; init never overwrites a file\n"
    assert ran.code == 5
    assert dangling.is_symlink() and not (tmp_path / "nowhere.toml").exists()
    assert sorted(os.listdir(tmp_path)) == ["events.toml", "link.toml"]


def test_init_in_a_missing_folder_is_a_write_error(tmp_path: Path) -> None:
    ran = run("init", str(tmp_path / "no" / "events.toml"))
    assert (ran.code, ran.err) == (6, f"dtimeline: {tmp_path / 'no'}: no such folder\n")
    assert os.listdir(tmp_path) == []
    with pytest.raises(WriteError) as caught:
        init_store(tmp_path / "no" / "events.toml")
    assert str(caught.value) == f"{tmp_path / 'no'}: no such folder"
    with pytest.raises(ConflictError):
        init_store(tmp_path)  # the folder itself exists


def test_create_new_writes_a_new_file_and_refuses_an_existing_one(tmp_path: Path) -> None:
    path = tmp_path / "events.toml"
    data = "".join(f"# line {n}\n" for n in range(20000)).encode()  # some 250 kB
    assert create_new(path, data) is True
    assert path.read_bytes() == data
    assert create_new(path, b"other\n") is False
    assert path.read_bytes() == data
    assert os.listdir(tmp_path) == ["events.toml"]


def test_create_new_in_a_missing_folder_raises_a_write_error(tmp_path: Path) -> None:
    path = tmp_path / "no" / "events.toml"
    with pytest.raises(WriteError) as caught:
        create_new(path, b"schema = 1\n")
    assert str(caught.value) == f"{path}: cannot create: No such file or directory"
    assert os.listdir(tmp_path) == []


def test_without_hard_links_an_exclusive_create_is_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, umask: int
) -> None:
    """A file system without hard links (link(2) fails with EPERM): the store is still
    written whole, with the umask's permissions, and an existing file is still refused."""

    def no_links(_src: object, _dst: object) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    path = tmp_path / "events.toml"
    assert create_new(path, EMPTY.encode()) is True
    assert path.read_text("utf-8") == EMPTY
    assert path.stat().st_mode & 0o777 == mode(umask)
    assert create_new(path, b"other\n") is False
    assert path.read_text("utf-8") == EMPTY
    assert os.listdir(tmp_path) == ["events.toml"]
