"""A team in git: git-setup, then real `git merge`s of two branches that changed the store,
through the merge driver; `dtimeline diff` against revisions. Everything runs the real git
and the installed entry point in temporary repositories."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from gitrepo import Repo

FIRST = "1992-01-03-china-kazakhstan-relations"
SECOND = "1992-01-04-china-tajikistan-relations"


@pytest.fixture
def repo(tmp_path: Path, isolated: Path, bundled: Path) -> Repo:
    """The bundled store committed on main, with git-setup run and committed."""
    repo = Repo(tmp_path / "repo", isolated)
    repo.store.write_bytes(bundled.read_bytes())
    repo.commit_all("the store")
    repo.ok("git-setup")
    repo.commit_all("merge by event")
    return repo


def branch(repo: Repo, name: str, *commands: tuple[str, ...]) -> None:
    """Run ``commands`` on a new branch ``name`` off main, commit, and go back to main."""
    repo.git("checkout", "-q", "-b", name, "main")
    for command in commands:
        repo.ok(*command)
    repo.commit_all(name)
    repo.git("checkout", "-q", "main")


def on_main(repo: Repo, *commands: tuple[str, ...]) -> None:
    for command in commands:
        repo.ok(*command)
    repo.commit_all("main")


def events(repo: Repo) -> list[dict[str, object]]:
    out = repo.ok("query", "--format", "json", "--sort", "date")
    return list(json.loads(out))


def ids_in_file_order(repo: Repo) -> list[str]:
    import tomli

    return [e["id"] for e in tomli.loads(repo.store.read_text("utf-8"))["events"]]


def test_git_setup_registers_the_driver_once(repo: Repo) -> None:
    config = repo.git("config", "--local", "--get", "merge.dtimeline.driver").stdout
    assert config.strip() == "dtimeline merge-driver %O %A %B %P"
    attrs = (repo.root / ".gitattributes").read_text("utf-8")
    assert attrs == "/events.toml merge=dtimeline diff=dtimeline\n"
    check = repo.git("check-attr", "merge", "events.toml").stdout
    assert check.strip() == "events.toml: merge: dtimeline"
    again = repo.dt("git-setup")
    assert again.returncode == 0 and "nothing changed" in again.stderr
    assert (repo.root / ".gitattributes").read_text("utf-8") == attrs
    assert repo.status() == []


def test_git_setup_global_and_outside_a_repository(repo: Repo, tmp_path: Path) -> None:
    ran = repo.dt("git-setup", "--global")
    assert ran.returncode == 0, ran.stderr
    assert "set merge.dtimeline.driver in your git config" in ran.stderr
    gitconfig = (Path(repo.env["HOME"]) / ".gitconfig").read_text("utf-8")
    assert "merge-driver %O %A %B %P" in gitconfig
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "events.toml").write_bytes(repo.store.read_bytes())
    repo.root, root = outside, repo.root
    try:
        ran = repo.dt("git-setup")
    finally:
        repo.root = root
    assert ran.returncode == 2
    assert ran.stderr.strip().splitlines() == [
        "dtimeline: not inside a git repository (run git-setup in the store's repository)"
    ]


def test_parallel_adds_merge_cleanly(repo: Repo) -> None:
    branch(repo, "theirs", ("add", "2025-03-01", "Theirs one", "-c", "china"),
           ("add", "2025-03-02", "Theirs two", "-c", "china"))  # fmt: skip
    on_main(repo, ("add", "2025-04-01", "Ours", "-c", "china"))
    merge = repo.git("merge", "-q", "theirs", "-m", "merge", check=False)
    assert merge.returncode == 0, merge.stdout + merge.stderr
    assert ids_in_file_order(repo)[-3:] == [
        "2025-04-01-ours",
        "2025-03-01-theirs-one",
        "2025-03-02-theirs-two",
    ]
    assert repo.dt("check").returncode == 0
    assert repo.status() == []


def test_removed_here_added_there(repo: Repo) -> None:
    branch(repo, "theirs", ("add", "2025-03-01", "Theirs", "-c", "china"))
    on_main(repo, ("remove", SECOND))
    assert repo.git("merge", "-q", "theirs", "-m", "merge", check=False).returncode == 0
    ids = ids_in_file_order(repo)
    assert SECOND not in ids and "2025-03-01-theirs" in ids
    assert repo.dt("check").returncode == 0


def test_removed_there_untouched_here(repo: Repo) -> None:
    branch(repo, "theirs", ("remove", SECOND))
    on_main(repo, ("edit", FIRST, "--place", "Alma-Ata"))
    assert repo.git("merge", "-q", "theirs", "-m", "merge", check=False).returncode == 0
    assert SECOND not in ids_in_file_order(repo)
    assert 'place = "Alma-Ata"' in repo.store.read_text("utf-8")


def test_different_fields_of_one_event_are_both_taken(repo: Repo) -> None:
    branch(repo, "theirs", ("edit", FIRST, "--place", "Alma-Ata"))
    on_main(repo, ("edit", FIRST, "--title", "Relations established"))
    assert repo.git("merge", "-q", "theirs", "-m", "merge", check=False).returncode == 0
    (first,) = [e for e in events(repo) if e["id"] == FIRST]
    assert first["place"] == "Alma-Ata" and first["title"] == "Relations established"


def test_same_field_conflicts_and_abort_restores(repo: Repo) -> None:
    branch(repo, "theirs", ("edit", FIRST, "--place", "Theirs place"))
    on_main(repo, ("edit", FIRST, "--place", "Our place"), ("add", "2025", "Ours", "-c", "china"))
    before = repo.store.read_bytes()
    merge = repo.git("merge", "theirs", "-m", "merge", check=False)
    assert merge.returncode == 1
    assert "CONFLICT (content): Merge conflict in events.toml" in merge.stdout
    text = repo.store.read_text("utf-8")
    lines = text.splitlines()
    start, middle, end = (
        lines.index("<<<<<<< ours"),
        lines.index("======="),
        lines.index(">>>>>>> theirs"),
    )
    assert text.count("<<<<<<<") == 1
    ours_part, theirs_part = lines[start + 1 : middle], lines[middle + 1 : end]
    # each side is the event's whole table, and nothing else
    assert ours_part[0] == theirs_part[0] == "[[events]]"
    assert f'id = "{FIRST}"' in ours_part and f'id = "{FIRST}"' in theirs_part
    assert 'place = "Our place"' in ours_part and 'place = "Theirs place"' in theirs_part
    assert sum(line == "[[events]]" for line in ours_part) == 1
    assert sum(line == "[[events]]" for line in theirs_part) == 1
    # outside the markers, the file is ours, byte for byte
    assert lines[:start] + ours_part + lines[end + 1 :] == before.decode().splitlines()
    check = repo.dt("check")
    assert check.returncode == 1
    assert f"events.toml:{start + 1}: unresolved merge conflict" in check.stdout
    query = repo.dt("query")
    assert query.returncode == 4 and "unresolved merge conflict" in query.stderr
    repo.git("merge", "--abort")
    assert repo.store.read_bytes() == before
    assert repo.status() == []


def test_conflict_resolved_in_an_editor_then_committed(repo: Repo) -> None:
    branch(repo, "theirs", ("edit", FIRST, "--place", "Theirs place"))
    on_main(repo, ("edit", FIRST, "--place", "Our place"))
    assert repo.git("merge", "theirs", "-m", "merge", check=False).returncode == 1
    lines = repo.store.read_text("utf-8").splitlines(keepends=True)
    start = lines.index("<<<<<<< ours\n")
    middle, end = lines.index("=======\n"), lines.index(">>>>>>> theirs\n")
    resolved = lines[:start] + lines[middle + 1 : end] + lines[end + 1 :]  # keep theirs
    repo.store.write_text("".join(resolved), "utf-8")
    assert repo.dt("check").returncode == 0
    repo.commit_all("resolved")
    assert 'place = "Theirs place"' in repo.store.read_text("utf-8")


def test_a_comment_at_the_top_survives(repo: Repo) -> None:
    branch(repo, "theirs", ("add", "2025-03-01", "Theirs", "-c", "china"))
    text = repo.store.read_text("utf-8")
    repo.store.write_text("# Kept by the Central Asia desk. Do not reorder.\n" + text, "utf-8")
    on_main(repo, ("edit", FIRST, "--place", "Alma-Ata"))
    assert repo.git("merge", "-q", "theirs", "-m", "merge", check=False).returncode == 0
    merged = repo.store.read_text("utf-8")
    assert merged.startswith("# Kept by the Central Asia desk. Do not reorder.\n" + text[:200])
    assert "2025-03-01-theirs" in merged


def test_diff_against_head_after_an_add_and_an_edit(repo: Repo) -> None:
    same = repo.dt("diff")
    assert (same.returncode, same.stdout) == (0, "")
    repo.ok("add", "2025-03-01", "New talks", "-c", "china", "--kind", "talks")
    repo.ok("edit", FIRST, "--place", "Alma-Ata")
    ran = repo.dt("diff")
    assert ran.returncode == 1, ran.stderr
    assert ran.stdout.splitlines() == [
        f"~ event {FIRST}: China and Kazakhstan establish diplomatic relations",
        '    place: "Almaty" -> "Alma-Ata"',
        "+ event 2025-03-01-new-talks: New talks",
    ]
    as_json = json.loads(repo.dt("diff", "HEAD", "--format", "json").stdout)
    assert as_json == [
        {
            "what": "event",
            "id": FIRST,
            "change": "changed",
            "title": "China and Kazakhstan establish diplomatic relations",
            "fields": {"place": {"old": "Almaty", "new": "Alma-Ata"}},
        },
        {"what": "event", "id": "2025-03-01-new-talks", "change": "added", "title": "New talks"},
    ]
    repo.commit_all("changes")
    back = repo.dt("diff", "HEAD", "HEAD~1")
    assert back.returncode == 1
    assert "- event 2025-03-01-new-talks: New talks" in back.stdout.splitlines()
    assert repo.dt("diff", "HEAD~1:events.toml", "events.toml").stdout == ran.stdout


def test_diff_errors_are_exit_2(repo: Repo) -> None:
    for args in (("no-such-revision",), ("HEAD", "missing.toml")):
        ran = repo.dt("diff", *args)
        assert ran.returncode == 2, ran
        assert len(ran.stderr.strip().splitlines()) == 1 and "Traceback" not in ran.stderr
    (repo.root / "bad.toml").write_text("schema = 1\n[[events]]\nid = 3\n", "utf-8")
    assert repo.dt("diff", "HEAD", "bad.toml").returncode == 2


def test_git_diff_hunks_name_the_event(repo: Repo) -> None:
    repo.ok("edit", FIRST, "--summary", "Rewritten summary.")
    out = repo.git("diff", "-U1").stdout
    headers = [line for line in out.splitlines() if line.startswith("@@")]
    assert headers and all(h.endswith(f'@@ id = "{FIRST}"') for h in headers), headers


def test_git_setup_for_a_store_in_a_subfolder(
    tmp_path: Path, isolated: Path, bundled: Path
) -> None:
    repo = Repo(tmp_path / "repo", isolated)
    (repo.root / "data").mkdir()
    store = repo.root / "data" / "events.toml"
    store.write_bytes(bundled.read_bytes())
    repo.commit_all("the store")
    ran = repo.dt("--store", "data/events.toml", "git-setup")
    assert ran.returncode == 0, ran.stderr
    assert (repo.root / ".gitattributes").read_text("utf-8") == (
        "/data/events.toml merge=dtimeline diff=dtimeline\n"
    )
    attr = repo.git("check-attr", "merge", "data/events.toml").stdout.strip()
    assert attr == "data/events.toml: merge: dtimeline"
    elsewhere = tmp_path / "elsewhere.toml"
    elsewhere.write_bytes(bundled.read_bytes())
    ran = repo.dt("--store", str(elsewhere), "git-setup")
    assert ran.returncode == 2 and "is not inside this repository" in ran.stderr
