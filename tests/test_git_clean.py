"""No clutter: after any dtimeline command, a clean repository shows only the store's change
(the lock and the undo history live in the user's state folder, store/sidecar.py)."""

from __future__ import annotations

from pathlib import Path

from gitrepo import Repo

FIRST = "1992-01-03-china-kazakhstan-relations"
RECORD = '{"date": "2025", "title": "Imported", "kind": "other", "countries": ["china"]}\n'


def test_every_write_leaves_only_the_store_changed(
    tmp_path: Path, isolated: Path, bundled: Path
) -> None:
    repo = Repo(tmp_path / "repo", isolated)
    repo.store.write_bytes(bundled.read_bytes())
    repo.commit_all("store")
    steps = [
        ("add", "2025-01-01", "One", "-c", "china"),
        ("edit", FIRST, "--place", "Alma-Ata"),
        ("remove", "2025-01-01-one"),
        ("import", "-"),
        ("undo",),
        ("undo",),
        ("query",),
        ("check",),
        ("export", "--format", "json"),
    ]
    for step in steps:
        proc = repo.dt(*step, stdin=RECORD)
        assert proc.returncode == 0, (step, proc.stderr)
        status = repo.status()
        assert status in ([], [" M events.toml"]), (step, status)
    assert repo.status() == [" M events.toml"]  # the add and the edit are still there
    assert repo.dt("undo").returncode == 0
    assert repo.dt("undo").returncode == 0
    assert repo.status() == []
    assert repo.dt("undo").returncode == 5  # nothing to undo: the history is not lost
