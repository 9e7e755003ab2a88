"""store/atomic.py: what a replaced file holds after short writes, the mode of a new file,
the order of the fsyncs (the new file's bytes on disk before the rename, the folder after
it), a folder that cannot be fsynced, and the whole message of a write that fails (found by
mutation testing of store/atomic.py, docs/mutation.md)."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest
from conftest import run

from dtimeline.errors import WriteError
from dtimeline.store import atomic
from dtimeline.store.atomic import atomic_replace, atomic_writer, write_all

DATA = bytes(range(256)) * 40  # 10 KB


def test_short_writes_are_continued_until_every_byte_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = os.write
    sizes: list[int] = []

    def short(fd: int, data: bytes | memoryview) -> int:  # as a pipe or a full disk may
        n = real(fd, bytes(data[:777]))
        sizes.append(n)
        return n

    monkeypatch.setattr(atomic.os, "write", short)
    target = tmp_path / "out.bin"
    atomic_replace(target, DATA)
    monkeypatch.undo()
    assert target.read_bytes() == DATA
    assert len(sizes) == -(-len(DATA) // 777)
    fd = os.open(tmp_path / "fd.bin", os.O_WRONLY | os.O_CREAT, 0o600)
    monkeypatch.setattr(atomic.os, "write", short)
    try:
        write_all(fd, b"")  # nothing to write: no call
        assert len(sizes) == -(-len(DATA) // 777)
    finally:
        monkeypatch.undo()
        os.close(fd)


@pytest.mark.parametrize(("umask", "mode"), [(0o027, 0o640), (0o002, 0o664), (0, 0o666)], ids=oct)
def test_a_new_file_gets_the_umasks_mode_and_an_old_one_keeps_its_own(
    tmp_path: Path, umask: int, mode: int
) -> None:
    new = tmp_path / "new.txt"
    old = os.umask(umask)
    try:
        atomic_replace(new, b"one")
        assert os.umask(umask) == umask  # the process's umask is left as it was
    finally:
        os.umask(old)
    assert (new.read_bytes(), stat.S_IMODE(new.stat().st_mode)) == (b"one", mode)
    new.chmod(0o751)
    atomic_replace(new, b"two")
    assert (new.read_bytes(), stat.S_IMODE(new.stat().st_mode)) == (b"two", 0o751)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.txt"]


def test_an_export_to_a_new_file_gets_the_umasks_mode(tmp_path: Path) -> None:
    out = tmp_path / "out.ics"
    umask = os.umask(0o077)
    try:
        ran = run("export", "--format", "ics", "--output", str(out))
    finally:
        os.umask(umask)
    assert ran.code == 0, ran.err
    assert out.read_bytes().startswith(b"BEGIN:VCALENDAR\r\n")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def _spy(monkeypatch: pytest.MonkeyPatch, target: Path, fail_dirs: bool = False) -> list[str]:
    """Record each fsync: of a folder, or of a file (and whether ``target`` holds the new
    bytes yet)."""
    real = os.fsync
    seen: list[str] = []

    def fsync(fd: int) -> None:
        if stat.S_ISDIR(os.fstat(fd).st_mode):
            seen.append("folder")
            if fail_dirs:
                raise OSError(errno.EINVAL, os.strerror(errno.EINVAL))
        else:
            seen.append("file, target new" if target.read_bytes() == b"new" else "file")
        real(fd)

    monkeypatch.setattr(atomic.os, "fsync", fsync)
    return seen


def test_the_new_bytes_are_fsynced_before_the_rename_and_the_folder_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "t.txt"
    target.write_bytes(b"old")
    seen = _spy(monkeypatch, target)
    atomic_replace(target, b"new")
    assert seen == ["file", "folder"]
    assert target.read_bytes() == b"new"
    seen.clear()
    atomic_replace(target, b"newer", durable=False)
    assert seen == []
    assert target.read_bytes() == b"newer"
    target.write_bytes(b"old")
    with atomic_writer(target) as fd:  # durable unless asked otherwise
        write_all(fd, b"new")
    assert seen == ["file", "folder"]
    assert target.read_bytes() == b"new"


def test_a_folder_that_cannot_be_fsynced_still_gets_the_new_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "t.txt"
    target.write_bytes(b"old")
    seen = _spy(monkeypatch, target, fail_dirs=True)
    atomic_replace(target, b"new")
    assert seen == ["file", "folder"]
    assert target.read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.txt"]


def test_a_failing_write_names_the_file_and_leaves_it_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "t.txt"
    target.write_bytes(b"old")

    def full(fd: int, data: bytes | memoryview) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(atomic.os, "write", full)
    with pytest.raises(WriteError) as caught:
        atomic_replace(target, b"new")
    assert str(caught.value) == f"{target}: cannot write: No space left on device"
    monkeypatch.undo()
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.txt"]


def test_a_block_that_raises_leaves_the_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "t.txt"
    target.write_bytes(b"old")
    with pytest.raises(KeyboardInterrupt), atomic_writer(target) as fd:
        write_all(fd, b"half")
        raise KeyboardInterrupt
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.txt"]


def test_a_folder_that_cannot_be_opened_to_fsync_still_gets_the_new_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "t.txt"
    target.write_bytes(b"old")
    seen = _spy(monkeypatch, target)
    real = os.open

    def no_folders(path: object, flags: int, *args: int) -> int:
        if Path(str(path)) == tmp_path:
            raise OSError(errno.EACCES, os.strerror(errno.EACCES))
        return real(path, flags, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(atomic.os, "open", no_folders)
    atomic_replace(target, b"new")
    assert seen == ["file"]
    assert target.read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.txt"]
