"""`edit ID` with no field options: the event's table in $VISUAL/$EDITOR, driven by editor
scripts, through the installed program."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from conftest import ENTRY, assert_one_line_error, run, sha

VISIT = "2024-07-02-xi-state-visit-kazakhstan"


def editor(tmp_path: Path, body: str, name: str = "ed.py") -> str:
    """An editor: a Python script run on the temporary file (its path in ``path``); it
    keeps a copy of what it was given in ``seen.toml`` beside itself."""
    script = tmp_path / name
    script.write_text(
        f"#!{sys.executable}\n"
        "import pathlib, sys\n"
        "path = pathlib.Path(sys.argv[1])\n"
        "text = path.read_text(encoding='utf-8')\n"
        f"pathlib.Path({str(tmp_path / 'seen.toml')!r}).write_text(text, encoding='utf-8')\n"
        + textwrap.dedent(body),
        encoding="utf-8",
    )
    script.chmod(0o755)
    return str(script)


def replacing(tmp_path: Path, old: str, new: str) -> str:
    name = f"ed{len(list(tmp_path.glob('ed*.py')))}.py"
    return editor(
        tmp_path, f"path.write_text(text.replace({old!r}, {new!r}), encoding='utf-8')\n", name
    )


def test_a_valid_change_is_written_keeping_the_rest_and_undoable(
    store: Path, tmp_path: Path
) -> None:
    text = store.read_text(encoding="utf-8")
    at = text.index(f'id = "{VISIT}"')
    place = text.index('place = "Astana"', at)
    text = text[:place] + 'place = "Astana"  # the capital' + text[place + 16 :]
    store.write_text(text, encoding="utf-8")
    start = store.read_bytes()
    env = {
        "DTIMELINE_STORE": str(store),
        "EDITOR": replacing(tmp_path, 'place = "Astana"', 'place = "Nur-Sultan"'),
    }
    ran = run("edit", VISIT, env=env)
    assert ran.code == 0, ran.err
    assert ran.err.strip() == f"dtimeline: edited {VISIT}"
    want = text[:place] + 'place = "Nur-Sultan"' + text[place + 16 :]
    assert store.read_text(encoding="utf-8") == want
    seen = (tmp_path / "seen.toml").read_text()
    assert seen.startswith("# dtimeline:")
    assert f'id = "{VISIT}"' in seen and "[[events.sources]]" in seen
    shown = run("show", VISIT, env={"DTIMELINE_STORE": str(store)}).out
    assert "Nur-Sultan" in shown
    assert run("undo", env={"DTIMELINE_STORE": str(store)}).code == 0
    assert store.read_bytes() == start


def test_visual_comes_before_editor(store: Path, tmp_path: Path) -> None:
    env = {
        "DTIMELINE_STORE": str(store),
        "VISUAL": replacing(tmp_path, "Astana", "Almaty"),
        "EDITOR": "false",
    }
    assert run("edit", VISIT, env=env).code == 0
    assert b'place = "Almaty"' in store.read_bytes()


def test_unchanged_writes_nothing(store: Path) -> None:
    before = sha(store)
    ran = run("edit", VISIT, env={"DTIMELINE_STORE": str(store), "EDITOR": "true"})
    assert ran.code == 0
    assert "no change" in ran.err
    assert sha(store) == before
    assert run("undo", env={"DTIMELINE_STORE": str(store)}).code == 5  # nothing to undo


def test_invalid_is_refused_with_the_problem_store_untouched(store: Path, tmp_path: Path) -> None:
    before = sha(store)
    cases = [
        (replacing(tmp_path, 'kind = "state-visit"', 'kind = "picnic"'), "picnic"),
        (replacing(tmp_path, 'kind = "state-visit"', 'kind = "state-visit'), "line"),
        (replacing(tmp_path, f'id = "{VISIT}"', 'id = "other-id"'), "id must stay"),
        (replacing(tmp_path, "[[events.sources]]", "[[events]]\n[[events.sources]]"), "no id"),
        ("false", "exited with status 1"),
    ]
    for command, needle in cases:
        ran = run("edit", VISIT, env={"DTIMELINE_STORE": str(store), "EDITOR": command})
        assert_one_line_error(ran, 2, needle, "nothing written")
        assert "\t" not in ran.err
        assert sha(store) == before


def test_dry_run_prints_the_new_table(store: Path, tmp_path: Path) -> None:
    before = sha(store)
    env = {"DTIMELINE_STORE": str(store), "EDITOR": replacing(tmp_path, "Astana", "Almaty")}
    ran = run("edit", VISIT, "--dry-run", env=env)
    assert ran.code == 0
    assert ran.out.startswith("[[events]]") and 'place = "Almaty"' in ran.out
    assert sha(store) == before


def test_unknown_id(store: Path) -> None:
    ran = run("edit", "no-such-event", env={"DTIMELINE_STORE": str(store), "EDITOR": "true"})
    assert_one_line_error(ran, 3, "no-such-event")


def test_on_a_terminal_a_bad_edit_can_be_edited_again(store: Path, tmp_path: Path) -> None:
    """stdin a terminal: the problem is shown and the editor opens again on the bad text."""
    body = """
        count = pathlib.Path(sys.argv[0] + '.n')
        n = int(count.read_text()) + 1 if count.exists() else 1
        count.write_text(str(n))
        if n == 1:
            text = text.replace('kind = "state-visit"', 'kind = "picnic"')
        else:
            assert 'kind = "picnic"' in text, text
            text = text.replace('kind = "picnic"', 'kind = "state-visit"')
            text = text.replace('Astana', 'Almaty')
        path.write_text(text, encoding='utf-8')
    """
    script = editor(tmp_path, body)
    master, slave = os.openpty()
    os.write(master, b"y\n")
    env = {**os.environ, "DTIMELINE_STORE": str(store), "EDITOR": script}
    proc = subprocess.run(
        [str(ENTRY), "edit", VISIT],
        stdin=slave,
        capture_output=True,
        env=env,
        timeout=60,
        check=False,
    )
    os.close(slave)
    os.close(master)
    err = proc.stderr.decode()
    assert proc.returncode == 0, err
    assert "picnic" in err and "Edit again?" in err
    assert b'place = "Almaty"' in store.read_bytes()
    assert b"picnic" not in store.read_bytes()
