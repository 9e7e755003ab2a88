"""cli/fastparams.py: plain option values converted without pydantic, exactly as typer would."""

from __future__ import annotations

import os
import subprocess
import sys
from enum import Enum
from typing import Any

import pytest
import typer
from conftest import run
from typer._click import Context
from typer._click.exceptions import BadParameter
from typer._coercion import build_runtime_param
from typer.core import _TyperParameter
from typer.main import get_command

from dtimeline.cli import app, fastparams


def all_params() -> list[tuple[str, _TyperParameter]]:
    root = get_command(app)
    out: list[tuple[str, _TyperParameter]] = [
        ("dtimeline", p) for p in root.params if isinstance(p, _TyperParameter)
    ]
    for name, cmd in root.commands.items():  # type: ignore[attr-defined]
        out += [(name, p) for p in cmd.params if isinstance(p, _TyperParameter)]
    return out


SAMPLES: list[Any] = [
    "x", "Kazakhstan", "  spaced ", "ü 中国", "", "5", "0", "-3", "007", "1.5", "+2", "20",
    "AUTO", "json", "Json", "table", "plain", "jsonl", "held", True, False, 3,
]  # fmt: skip


def outcome(rp: Any, value: Any, param: _TyperParameter, ctx: Context) -> tuple[str, Any]:
    try:
        return ("ok", rp.coerce(value, param=param, ctx=ctx))
    except BadParameter as exc:
        return ("error", exc.format_message())


def test_every_parameter_converts_like_typer() -> None:
    assert fastparams.install()
    ctx = Context(get_command(app))
    checked = 0
    for name, param in all_params():
        convert = fastparams.plain_converter(param.type_descriptor)
        if convert is None:
            continue
        fast = fastparams.PlainRuntimeParam(param.type_descriptor, convert, build_runtime_param)
        real = build_runtime_param(param.type_descriptor)
        multi = param.multiple or param.nargs == -1
        values: list[Any] = [None, *([tuple(SAMPLES[:3]), ("a",), ()] if multi else SAMPLES)]
        choices = getattr(param.type_descriptor, "choices", None) or ()
        values += [getattr(c, "value", c) for c in choices]
        for value in values:
            got, want = outcome(fast, value, param, ctx), outcome(real, value, param, ctx)
            assert got == want, (name, param.name, value, got, want)
            if got[0] == "ok":
                assert type(got[1]) is type(want[1]), (name, param.name, value)
            checked += 1
    assert checked > 100


class Fmt(str, Enum):
    a = "alpha"
    b = "beta"


def test_unbounded_and_bounded_ints_and_enums() -> None:
    seen: dict[str, Any] = {}
    demo = typer.Typer()

    @demo.command()
    def cmd(
        n: int = typer.Option(1, "--n", min=2, max=9),
        fmt: Fmt = typer.Option(Fmt.a, "--fmt", case_sensitive=False),
        tags: list[str] = typer.Option([], "--tag"),
    ) -> None:
        seen.update(n=n, fmt=fmt, tags=tags)

    fastparams.install()
    from typer.testing import CliRunner

    ok = CliRunner().invoke(demo, ["--n", "5", "--fmt", "BETA", "--tag", "x", "--tag", "y"])
    assert ok.exit_code == 0, ok.output
    assert seen == {"n": 5, "fmt": Fmt.b, "tags": ["x", "y"]}
    low = CliRunner().invoke(demo, ["--n", "1"])
    assert low.exit_code == 2 and "--n" in low.output
    bad = CliRunner().invoke(demo, ["--fmt", "gamma"])
    assert bad.exit_code == 2 and "gamma" in bad.output


def test_plain_command_does_not_import_pydantic(store: os.PathLike[str]) -> None:
    probe = (
        "import sys, runpy\n"
        "sys.argv = ['dtimeline', '--store', sys.argv[1], 'query', '-c', 'kazakhstan',"
        " '--since', '2023', '--limit', '3', '--format', 'ids']\n"
        "try:\n"
        "    runpy.run_module('dtimeline', run_name='__main__')\n"
        "except SystemExit as exc:\n"
        "    assert not exc.code, exc.code\n"
        "sys.stderr.write(repr('pydantic' in sys.modules))\n"
    )
    ran = subprocess.run(
        [sys.executable, "-c", probe, str(store)], capture_output=True, text=True, check=False
    )
    assert ran.stderr.endswith("False"), ran.stderr[-800:]
    assert len(ran.stdout.split()) == 3


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("query", "--limit", "-1"), "--limit"),
        (("query", "--limit", "many"), "--limit"),
        (("query", "--format", "yaml"), "yaml"),
    ],
)
def test_bad_values_still_get_typers_errors(args: tuple[str, ...], needle: str) -> None:
    ran = run(*args)
    assert ran.code == 2, ran
    assert needle in ran.err
