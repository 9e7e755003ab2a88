"""Packaging and the command line's frame: version, help, discovery, errors."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ENTRY, assert_one_line_error, invoke, run

from dtimeline import __version__

COMMANDS = ["check", "countries", "actors"]


def test_version_both_ways() -> None:
    assert run("--version").out.strip() == f"dtimeline {__version__}"
    proc = subprocess.run(
        [sys.executable, "-m", "dtimeline", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.stdout.strip() == f"dtimeline {__version__}"


def test_entry_point_is_installed() -> None:
    assert ENTRY.exists()


@pytest.mark.parametrize("command", COMMANDS)
def test_help_on_every_command(command: str) -> None:
    ran = invoke(command, "--help")
    assert ran.code == 0
    assert "Usage" in ran.out


def test_bare_invocation_shows_help_and_exits_2() -> None:
    ran = run()
    assert ran.code == 2
    assert "Usage" in ran.out + ran.err
    assert "Traceback" not in ran.err


def test_unknown_command_and_option() -> None:
    assert_one_line_error(run("frobnicate"), 2, "no command")
    assert_one_line_error(run("check", "--frob"), 2, "--frob")


def test_bundled_store_used_when_nothing_else(bundled: Path) -> None:
    ran = run("countries", "--format", "json")
    assert ran.code == 0, ran.err
    assert {c["slug"] for c in json.loads(ran.out)} >= {"china", "kazakhstan", "tajikistan"}


def test_discovery_order(tmp_path: Path, bundled: Path, isolated: Path) -> None:
    one_country = 'schema = 1\n[countries.x]\nname = "{}"\n'
    env_store = tmp_path / "env.toml"
    env_store.write_text(one_country.format("FromEnv"))
    opt_store = tmp_path / "opt.toml"
    opt_store.write_text(one_country.format("FromOption"))
    Path("events.toml").write_text(one_country.format("FromCwd"))
    user = isolated / "data" / "dtimeline" / "events.toml"
    user.parent.mkdir(parents=True)
    user.write_text(one_country.format("FromUser"))

    def name(*args: str, env: dict[str, str] | None = None) -> str:
        ran = run(*args, "countries", "--format", "json", env=env)
        assert ran.code == 0, ran.err
        return str(json.loads(ran.out)[0]["name"])

    assert name("--store", str(opt_store), env={"DTIMELINE_STORE": str(env_store)}) == "FromOption"
    assert name(env={"DTIMELINE_STORE": str(env_store)}) == "FromEnv"
    assert name() == "FromCwd"
    Path("events.toml").unlink()
    assert name() == "FromUser"


def test_countries_and_actors_formats(bundled: Path) -> None:
    ran = run("actors", "--format", "json")
    actors = {a["slug"]: a for a in json.loads(ran.out)}
    assert actors["kassym-jomart-tokayev"]["native"] == "Қасым-Жомарт Тоқаев"
    assert "tokaev" in actors["kassym-jomart-tokayev"]["aliases"]
    plain = run("countries").out.splitlines()
    assert plain[0].split("\t")[:5] == ["china", "China", "中国", "CN", "CHN"]
    table = run("countries", "--format", "table").out
    assert "Kazakhstan" in table and "KAZ" in table


def test_debug_shows_traceback(tmp_path: Path) -> None:
    ran = run("--debug", "--store", str(tmp_path / "missing.toml"), "countries")
    assert ran.code != 0
    assert "Traceback" in ran.err


def test_wheel_ships_bundled_store(tmp_path: Path) -> None:
    """A non-editable build from the source tree carries events.toml inside the package."""
    root = Path(__file__).resolve().parent.parent
    if not (root / "pyproject.toml").exists() or shutil.which("git") is None:
        pytest.skip("no source tree here")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(root),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0 and "hatchling" in proc.stderr:
        pytest.skip("hatchling not installed for an offline build")
    assert proc.returncode == 0, proc.stderr
    import zipfile

    (wheel,) = tmp_path.glob("dtimeline-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "dtimeline/data/events.toml" in names


@pytest.mark.parametrize(
    ("argv", "word"),
    [
        (["show", "kazakhstan"], "show"),
        (["--store", "x.toml", "--debug", "query", "-c", "kz"], "query"),
        (["--store=x.toml", "add", "2024"], "add"),
        (["--help"], None),
        ([], None),
        (["--store", "show"], None),
    ],
)
def test_command_word(argv: list[str], word: str | None) -> None:
    from dtimeline.cli.application import command_of

    assert command_of(argv) == word


def test_slim_app_registers_only_the_command_it_needs() -> None:
    from dtimeline.cli.application import MODULE_OF, make_app

    def names(app: object) -> set[str]:
        return {c.name or c.callback.__name__ for c in app.registered_commands}  # type: ignore[attr-defined]

    assert names(make_app("show")) == {"show"}
    assert names(make_app("import")) == {"import"}
    assert names(make_app("nonsense")) >= {"show", "add", "export", "check"}
    full = make_app()
    groups = {g.name for g in full.registered_groups}
    assert groups == {"countries", "actors"}
    assert names(full) | groups == set(MODULE_OF)
    assert names(make_app(None, bare=True)) == set()


@pytest.mark.parametrize("argv", [["--version"], ["--debug", "--version"], ["--help", "--version"]])
def test_version_alone_and_with_help(argv: list[str]) -> None:
    """--version runs on an application without commands; with --help, help lists them."""
    ran = run(*argv)
    assert ran.code == 0, ran.err
    if "--help" in argv:
        assert "show" in ran.out and "import" in ran.out
    else:
        assert ran.out == f"dtimeline {__version__}\n"


FROZEN_PROBE = """
import gc, sys
from dtimeline.entry import main
sys.argv = ["dtimeline", *sys.argv[1:]]
try:
    main()
except SystemExit as exc:
    code = exc.code
sys.stderr.write(f"{code} {int(gc.isenabled())} {gc.get_freeze_count()} {len(gc.get_objects())}")
"""


def test_entry_point_freezes_what_it_leaves_for_shutdown(bundled: Path) -> None:
    """The objects alive after a command are out of the collector's sight, so Python's
    shutdown does not scan them all again (about 13 ms of `show kazakhstan`; entry.py);
    the collector, off while the CLI is imported, is on again."""
    ran = subprocess.run(
        [sys.executable, "-c", FROZEN_PROBE, "show", "kazakhstan"],
        capture_output=True,
        text=True,
        check=False,
    )
    code, enabled, frozen, tracked = map(int, ran.stderr.split()[-4:])
    assert (code, enabled) == (0, 1), ran.stderr[-500:]
    assert "Kazakhstan" in ran.stdout
    assert frozen > 10_000  # typer, rich and the command's own objects
    assert tracked < 1_000, tracked  # only what the probe itself made since


#: Modules `show kazakhstan` (bundled store, index in place) must not import: parsing and
#: writing the store, the index's write planning, the date reader, the registry, the pager,
#: the event rules, column fitting, pydantic (bench/README.md: the start-up target).
NOT_ON_SHOW = ["tomli", "dateutil", "pydantic", "tempfile", "pycountry", "hashlib",
               "dtimeline.store.load", "dtimeline.store.write", "dtimeline.store.sync",
               "dtimeline.datereader", "dtimeline.registry", "dtimeline.interchange",
               "dtimeline.rules", "dtimeline.cli.pager", "dtimeline.render.columns",
               "dtimeline.cli.write"]  # fmt: skip


def test_show_of_a_country_stays_light(bundled: Path) -> None:
    probe = (
        "import sys\n"
        "from dtimeline.entry import main\n"
        "sys.argv = ['dtimeline', 'show', 'kazakhstan']\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as exc:\n"
        "    assert exc.code in (0, None), exc.code\n"
        f"sys.stderr.write(repr([m for m in {NOT_ON_SHOW!r} if m in sys.modules]))\n"
    )
    assert run("show", "kazakhstan").code == 0  # the index is built, as by any earlier use
    ran = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=False)
    assert ran.stderr.strip().endswith("[]"), ran.stderr[-500:]
    assert "Kazakhstan" in ran.stdout
