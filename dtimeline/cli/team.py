"""Working as a team in git: diff, merge-driver, git-setup."""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from dtimeline.cli.state import State, get_state

if TYPE_CHECKING:
    from dtimeline.changes import Changes
    from dtimeline.model import Store

#: The merge driver's and diff driver's name in git's config and .gitattributes.
DRIVER = "dtimeline"
#: Hunk headers of `git diff` name the event (its id line) or the declaration's table.
XFUNCNAME = r"^[ \t]*(id[ \t]*=.*|\[[^[].*\])$"


class DiffFormat(str, Enum):
    text = "text"
    json = "json"


def diff(
    ctx: typer.Context,
    old: Annotated[
        Optional[str],  # noqa: UP045 (typer needs a runtime type)
        typer.Argument(metavar="[OLD]", help="A store file or a git revision (default HEAD)."),
    ] = None,
    new: Annotated[
        Optional[str],  # noqa: UP045
        typer.Argument(
            metavar="[NEW]", help="A store file or a git revision (default: the store)."
        ),
    ] = None,
    fmt: Annotated[
        DiffFormat, typer.Option("--format", "-f", help="text, or json for scripts.")
    ] = DiffFormat.text,
) -> None:
    """Show what changed between two stores: events added, removed and changed (field: old
    -> new), and changed declarations.

    OLD and NEW are each a store file or a git revision (HEAD, main~3: the store's file at
    that revision; or REV:PATH). Exit 0 when the same, 1 when they differ, 2 on error.
    """
    from dtimeline.changes import compare
    from dtimeline.errors import DtimelineError, InputError

    state = get_state(ctx)
    try:
        before = _side(state, old or "HEAD")
        after = _side(state, new)
        changes = compare(before, after)
    except DtimelineError as exc:
        if exc.exit_code == InputError.exit_code:
            raise
        raise InputError(str(exc)) from None  # as diff(1): 2 on any trouble
    if fmt is DiffFormat.json:
        records = [item.as_json() for item in changes.items]
        sys.stdout.write(json.dumps(records, ensure_ascii=False, indent=2) + "\n")
    else:
        _print_text(changes)
    if not changes.same:
        raise typer.Exit(1)


def _side(state: State, spec: str | None) -> Store:
    """The store named by ``spec``: a file, a git revision, or (None) the working store."""
    from dtimeline.store import load_store

    if spec is None:
        return load_store(state.location.path)
    path = Path(spec)
    if path.is_file():
        return load_store(path)
    from dtimeline.store import gitrepo
    from dtimeline.store.load import load_data
    from dtimeline.store.write import target_of

    store = target_of(state.location.path)
    label = spec if ":" in spec else f"{spec}:{store.name}"
    return load_data(gitrepo.show(spec, store), Path(label))


def _value(value: Any) -> str:
    return "(none)" if value is None else json.dumps(value, ensure_ascii=False)


def _print_text(changes: Changes) -> None:
    from dtimeline.cli.boundary import one_line

    signs = {"added": "+", "removed": "-", "changed": "~"}
    out = []
    for item in changes.items:
        title = f": {one_line(item.title)}" if item.title else ""
        out.append(f"{signs[item.change]} {item.what} {item.key}{title}\n")
        out += [f"    {f.name}: {_value(f.old)} -> {_value(f.new)}\n" for f in item.fields]
    sys.stdout.write("".join(out))


def merge_driver(
    ctx: typer.Context,
    base: Annotated[str, typer.Argument(metavar="BASE", help="The common ancestor (%O).")],
    ours: Annotated[str, typer.Argument(metavar="OURS", help="Ours; the result goes here (%A).")],
    theirs: Annotated[str, typer.Argument(metavar="THEIRS", help="Theirs (%B).")],
    name: Annotated[
        Optional[str],  # noqa: UP045
        typer.Argument(metavar="[PATH]", help="The store's path in the repository (%P)."),
    ] = None,
) -> None:
    """Merge two versions of a store by event and field, as git's merge driver
    (git-setup registers it as: dtimeline merge-driver %O %A %B %P).

    The result replaces OURS. Exit 0 when clean; 1 on a conflict, with git-style markers
    around each conflicting event's table (both versions in full), or when the merged
    store does not pass check; 4 when a file cannot be read (OURS is then left as it was).
    """
    from dtimeline.store import gitrepo
    from dtimeline.store.load import decode, read_bytes
    from dtimeline.store.merge import MergeError, merge_texts
    from dtimeline.store.write import BOM, atomic_replace

    state = get_state(ctx)
    paths = [Path(p) for p in (base, ours, theirs)]
    label = name or ours
    data = [read_bytes(p) for p in paths]
    texts = [decode(d, p) for d, p in zip(data, paths, strict=True)]
    try:
        merged = merge_texts(texts[0], texts[1], texts[2], Path(label))
    except MergeError as exc:
        state.warn(f"{label}: cannot merge by event ({exc}); merging line by line instead")
        if gitrepo.line_merge(paths[0], paths[1], paths[2]):
            raise typer.Exit(1) from None
        from dtimeline.store import check_store

        errors = [p.message for p in check_store(paths[1]) if not p.strict]
        for message in errors:
            state.warn(f"{label}: merged, but: {message}")
        if errors:
            raise typer.Exit(1) from None
        return
    bom = BOM if data[1].startswith(BOM) else b""
    atomic_replace(paths[1], bom + merged.text.encode("utf-8"))
    for conflict in merged.conflicts:
        state.warn(f"{label}: conflict: {conflict}")
    for problem in merged.problems:
        state.warn(f"{label}: merged, but: {problem}")
    if not merged.clean:
        raise typer.Exit(1)


def git_setup(
    ctx: typer.Context,
    user: Annotated[
        bool,
        typer.Option(
            "--global", help="Register the drivers in your own git config (all repositories)."
        ),
    ] = False,
) -> None:
    """Make git merge and diff the store by event: register dtimeline's merge driver (and
    diff hunk headers) in the repository's git config (--global: yours), and mark the
    store's path with merge=dtimeline in .gitattributes. Safe to run again.

    Exit 2 outside a git repository or when the store is not inside it.
    """
    from dtimeline.errors import InputError
    from dtimeline.store import gitrepo
    from dtimeline.store.write import target_of

    state = get_state(ctx)
    top = gitrepo.toplevel(Path.cwd())
    if top is None:
        raise InputError("not inside a git repository (run git-setup in the store's repository)")
    store = target_of(state.location.path)
    top = top.resolve()
    if state.location.bundled or not store.is_relative_to(top):
        raise InputError(f"the store {store} is not inside this repository ({top})")
    where = "your git config (~/.gitconfig)" if user else ".git/config"
    settings = {
        f"merge.{DRIVER}.name": "dtimeline: merge stores by event and field",
        f"merge.{DRIVER}.driver": f"{_command()} merge-driver %O %A %B %P",
        f"diff.{DRIVER}.xfuncname": XFUNCNAME,
    }
    changed = []
    for key, value in settings.items():
        if gitrepo.config_get(key, top, user=user) != value:
            gitrepo.config_set(key, value, top, user=user)
            changed.append(f"set {key} in {where}")
    if _mark_attributes(top, store.relative_to(top).as_posix()):
        changed.append(f"marked {store.relative_to(top)} merge={DRIVER} in .gitattributes")
    for line in changed:
        state.warn(line)
    if changed:
        state.warn("commit .gitattributes so that everyone merges by event")
    else:
        state.warn("already set up: nothing changed")


def _command() -> str:
    """How git should run dtimeline: by name when that finds this dtimeline, else this
    Python running the package."""
    import shlex
    import shutil

    found = shutil.which("dtimeline")
    here = Path(sys.argv[0]).resolve() if sys.argv and sys.argv[0] else None
    if found is not None and here is not None and Path(found).resolve() == here:
        return "dtimeline"
    return f"{shlex.quote(sys.executable)} -m dtimeline"


def _mark_attributes(top: Path, relative: str) -> bool:
    """Add the store's line to .gitattributes unless it is there; True if added."""
    from dtimeline.store.write import atomic_replace

    pattern = "/" + relative
    if any(ch.isspace() or ch in '"\\' for ch in pattern):
        pattern = json.dumps(pattern)  # a C-style quoted pattern
    attrs = top / ".gitattributes"
    text = attrs.read_text("utf-8") if attrs.is_file() else ""
    for line in text.splitlines():
        words = line.split()
        if words and words[0] == pattern and f"merge={DRIVER}" in words[1:]:
            return False
    if text and not text.endswith("\n"):
        text += "\n"
    text += f"{pattern} merge={DRIVER} diff={DRIVER}\n"
    atomic_replace(attrs, text.encode("utf-8"))
    return True


#: The commands of this module, by name (cli/application.py registers them).
COMMANDS = {"diff": diff, "merge-driver": merge_driver, "git-setup": git_setup}

#: Real command lines for each command's --help.
EXAMPLES = {
    "diff": (
        "dtimeline diff",
        "dtimeline diff main~3 main",
        "dtimeline diff old.toml new.toml --format json",
    ),
    "git-setup": ("dtimeline git-setup", "dtimeline git-setup --global"),
    "merge-driver": (
        "dtimeline merge-driver base.toml ours.toml theirs.toml",
        "git config merge.dtimeline.driver 'dtimeline merge-driver %O %A %B %P'",
    ),
}
