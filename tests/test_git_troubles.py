"""What dtimeline says when git cannot help (store/gitrepo.py): outside a repository, a
revision or path git does not know, git missing from PATH, a config git cannot write; and a
store in a subfolder read at a revision. Every message is one whole line, exit 2. Cases
found by mutation testing (docs/mutation.md)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ENTRY, run
from gitrepo import Repo

from dtimeline.errors import InputError
from dtimeline.store.gitrepo import line_merge, run_git

STORE = 'schema = 1\n\n[countries.china]\nname = "China"\n'
EVENT = (
    '\n[[events]]\nid = "a"\ndate = "2024"\nkind = "talks"\ntitle = "Talks"\n'
    'countries = ["china"]\n'
)


@pytest.fixture
def repo(tmp_path: Path, isolated: Path) -> Repo:
    """A small store committed on main."""
    repo = Repo(tmp_path / "repo", isolated)
    repo.store.write_text(STORE, "utf-8")
    repo.commit_all("the store")
    return repo


def outcome(proc: subprocess.CompletedProcess[str]) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of a finished process."""
    return proc.returncode, proc.stdout, proc.stderr


def test_a_revision_outside_a_repository(repo: Repo, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "events.toml").write_text(STORE, "utf-8")
    repo.root, root = outside, repo.root
    try:
        ran = repo.dt("diff", "HEAD")
    finally:
        repo.root = root
    assert outcome(ran) == (
        2,
        "",
        f"dtimeline: 'HEAD' is not a file, and {outside} is not in a git repository\n",
    )


def test_a_revision_or_path_git_does_not_know(repo: Repo) -> None:
    for spec, shown in (
        ("HEAD~3", "HEAD~3:./events.toml"),
        ("HEAD:nothere.toml", "HEAD:nothere.toml"),
    ):
        ran = repo.dt("diff", spec)
        told = repo.git("show", shown, check=False).stderr.strip().splitlines()[0]
        assert told.startswith("fatal: ")
        assert outcome(ran) == (
            2,
            "",
            f"dtimeline: {shown}: neither a file nor a store in git"
            f" ({told.removeprefix('fatal: ')})\n",
        )


def test_a_store_in_a_subfolder_is_read_at_a_revision(repo: Repo) -> None:
    (repo.root / "data").mkdir()
    store = repo.root / "data" / "events.toml"
    store.write_text(STORE, "utf-8")
    repo.commit_all("a second store, in a subfolder")
    store.write_text(STORE + EVENT, "utf-8")
    ran = repo.dt("--store", "data/events.toml", "diff", "HEAD")
    assert outcome(ran) == (1, "+ event a: Talks\n", "")
    ran = repo.dt("--store", "data/events.toml", "diff", "HEAD:data/events.toml")
    assert outcome(ran) == (1, "+ event a: Talks\n", "")
    assert outcome(repo.dt("diff", "HEAD")) == (0, "", "")  # ./events.toml, unchanged


def test_without_git_on_path(repo: Repo, tmp_path: Path) -> None:
    """Only dtimeline on PATH: a revision is refused as outside any repository, and
    git-setup says the same; the store is read as a file all the same."""
    bare = tmp_path / "bin"
    bare.mkdir()
    (bare / "dtimeline").symlink_to(ENTRY)
    repo.env["PATH"] = str(bare)
    assert shutil.which("git", path=str(bare)) is None
    ran = repo.dt("diff", "HEAD")
    assert outcome(ran) == (
        2,
        "",
        f"dtimeline: 'HEAD' is not a file, and {repo.root} is not in a git repository\n",
    )
    ran = repo.dt("git-setup")
    assert outcome(ran) == (
        2,
        "",
        "dtimeline: not inside a git repository (run git-setup in the store's repository)\n",
    )
    assert outcome(repo.dt("diff", "events.toml", "events.toml")) == (0, "", "")


def test_a_config_git_cannot_write_is_said_in_gits_words(repo: Repo) -> None:
    """Another git holds the config's lock: git-setup stops at the first setting, with
    git's own first line, and changes nothing."""
    lock = repo.root / ".git" / "config.lock"
    lock.write_text("", "utf-8")
    before = (repo.root / ".git" / "config").read_bytes()
    ran = repo.dt("git-setup")
    told = repo.git("config", "--local", "x.y", "z", check=False).stderr.strip().splitlines()[0]
    assert "lock" in told
    assert outcome(ran) == (2, "", f"dtimeline: git config: {told}\n")
    assert (repo.root / ".git" / "config").read_bytes() == before
    assert not (repo.root / ".gitattributes").exists()
    os.remove(lock)
    assert repo.dt("git-setup").returncode == 0


def test_a_git_that_cannot_start_is_said_in_one_line(repo: Repo, tmp_path: Path) -> None:
    """A `git` on PATH whose interpreter is missing: found, but it cannot run."""
    bare = tmp_path / "bin"
    bare.mkdir()
    (bare / "dtimeline").symlink_to(ENTRY)
    broken = bare / "git"
    broken.write_text("#!/nonexistent/interpreter\n", "utf-8")
    broken.chmod(0o755)
    repo.env["PATH"] = str(bare)
    ran = repo.dt("diff", "HEAD")
    assert outcome(ran) == (
        2,
        "",
        f"dtimeline: cannot run git: [Errno 2] No such file or directory: '{broken}'\n",
    )


def test_a_revision_of_a_store_in_a_missing_folder(repo: Repo, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    ran = repo.dt("--store", str(missing / "events.toml"), "diff", "HEAD")
    assert outcome(ran) == (
        2,
        "",
        f"dtimeline: 'HEAD' is not a file, and {missing} is not in a git repository\n",
    )


def test_a_conflict_in_the_line_merge_fallback_is_exit_1_with_markers(tmp_path: Path) -> None:
    """Where the merge by event gives way to git's line merge (a country declared below an
    event), both sides changing one line is a conflict: exit 1, git's markers in ours."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed: the line merge fallback runs git merge-file")
    base = STORE + EVENT + '\n[countries.tajikistan]\nname = "Tajikistan"\n'
    texts = {"base": base, "ours": base.replace("Talks", "Ours"),
             "theirs": base.replace("Talks", "Theirs")}  # fmt: skip
    for name, text in texts.items():
        (tmp_path / f"{name}.toml").write_text(text, "utf-8")
    paths = [str(tmp_path / f"{name}.toml") for name in texts]
    ran = run("merge-driver", *paths, "events.toml")
    assert (ran.code, ran.out) == (1, "")
    assert ran.err == (
        "dtimeline: events.toml: cannot merge by event (an [[events]] table is followed by"
        " another kind of table); merging line by line instead\n"
    )
    assert (tmp_path / "ours.toml").read_text("utf-8") == base.replace(
        'title = "Talks"\n',
        '<<<<<<< ours\ntitle = "Ours"\n=======\ntitle = "Theirs"\n>>>>>>> theirs\n',
    )


def test_the_line_merge_of_a_file_git_cannot_read(tmp_path: Path) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed: the line merge runs git merge-file")
    base, ours = tmp_path / "base.toml", tmp_path / "ours.toml"
    base.write_text(STORE, "utf-8")
    ours.write_text(STORE, "utf-8")
    missing = tmp_path / "theirs.toml"
    with pytest.raises(InputError) as caught:
        line_merge(base, ours, missing)
    assert str(caught.value) == (
        f"git merge-file: error: Could not stat {missing}: No such file or directory"
    )
    assert ours.read_text("utf-8") == STORE


def test_gits_reason_is_said_not_the_warning_before_it(repo: Repo) -> None:
    """A branch and a tag of one name: git warns that the name is ambiguous, then says why
    it failed; the message gives the reason (the warning came first and was given alone)."""
    repo.git("branch", "v1")
    repo.git("tag", "v1")
    told = repo.git("show", "v1:nothere.toml", check=False).stderr.splitlines()
    assert told[0].startswith("warning: ") and told[1].startswith("fatal: "), told
    ran = repo.dt("diff", "v1:nothere.toml")
    assert outcome(ran) == (
        2,
        "",
        "dtimeline: v1:nothere.toml: neither a file nor a store in git"
        " (path 'nothere.toml' does not exist in 'v1')\n",
    )
    assert outcome(repo.dt("diff", "v1")) == (0, "", "")  # the warning alone is no failure


def test_a_complaint_without_fatal_or_error_is_given_by_its_first_line(tmp_path: Path) -> None:
    """git's usage text (many lines, none a ``fatal:`` or ``error:``): its first line."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    told = subprocess.run(["git", "merge-file"], capture_output=True, text=True, check=False)
    first = told.stderr.strip().splitlines()[0]
    assert told.returncode == 129 and first.startswith("usage: git merge-file ")
    with pytest.raises(InputError) as caught:
        run_git(["merge-file"], tmp_path)
    assert str(caught.value) == f"git merge-file: {first}"


def test_a_line_merge_of_many_conflicts_is_conflicts_not_an_error(tmp_path: Path) -> None:
    """git merge-file's exit code is the number of conflicts, 127 for 127 or more: not one of
    its error codes (above 127)."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed: the line merge runs git merge-file")
    base = "".join(
        "".join(f"keep {i} {j}\n" for j in range(4)) + f"value {i} = 0\n" for i in range(130)
    )  # four unchanged lines between changes keep git from joining the conflicts
    paths = {name: tmp_path / f"{name}.txt" for name in ("base", "ours", "theirs")}
    paths["base"].write_text(base, "utf-8")
    paths["ours"].write_text(base.replace(" = 0", " = 1"), "utf-8")
    paths["theirs"].write_text(base.replace(" = 0", " = 2"), "utf-8")
    assert line_merge(paths["base"], paths["ours"], paths["theirs"]) == 127
    assert paths["ours"].read_text("utf-8").count("<<<<<<< ours\n") == 130
