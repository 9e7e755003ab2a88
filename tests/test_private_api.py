"""Every private name of a dependency that dtimeline relies on, checked loudly: when one
changes shape or goes away, this fails (and pyproject's upper bound keeps users on the
versions that have them). The fallback in the code keeps working meanwhile: fastparams
leaves typer alone."""

from __future__ import annotations

import inspect
from importlib.metadata import version

from dtimeline.cli import fastparams


def _major_minor(name: str) -> tuple[int, int]:
    major, minor = version(name).split(".")[:2]
    return int(major), int(minor)


def test_typer_internals_that_fastparams_uses() -> None:
    from typer import core
    from typer._coercion import build_runtime_param
    from typer._param_types import choice_coercion_annotation, coerce_cli_choice

    assert (0, 29) <= _major_minor("typer") < (0, 30)
    assert callable(build_runtime_param)
    params = inspect.signature(choice_coercion_annotation).parameters
    assert list(params)[:2] == ["annotation", "info"] or len(params) == 2
    assert {"choices", "case_sensitive", "ctx"} <= set(
        inspect.signature(coerce_cli_choice).parameters
    )
    assert hasattr(core._TyperParameter, "get_runtime_param")
    assert fastparams.install(), "typer's internals changed: fastparams left typer alone"
    assert getattr(core._TyperParameter.get_runtime_param, "_dtimeline_plain", False)


def test_typer_internals_that_help_and_errors_use() -> None:
    """cli/helptext.py rewords the number-range help typer draws; cli/wording.py and
    cli/boundary.py catch the click exceptions typer vendors."""
    from typer import core
    from typer._click import exceptions

    assert callable(core.TyperOption._get_number_range_help_str)
    assert "_get_number_range_help_str" in inspect.getsource(core.TyperOption)
    for name in ("UsageError", "BadParameter", "NoSuchOption", "ClickException"):
        assert isinstance(getattr(exceptions, name), type), name


def test_no_other_private_api_of_a_dependency() -> None:
    """Private names (``_x``) of dependencies are used only where typer's bound and the
    tests above guard them (and dtimeline's own marker attribute on typer's objects)."""
    import ast

    from conftest import ROOT

    found = []
    for path in (ROOT / "dtimeline").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.ImportFrom)
                and node.module
                and not node.module.startswith("dtimeline")
            ):
                names = [node.module, *(a.name for a in node.names)]
                found += [f"{path.name}: {n}" for n in names if any(
                    part.startswith("_") and not part.startswith("__") for part in n.split(".")
                )]  # fmt: skip
            if (
                isinstance(node, ast.Attribute)
                and node.attr.startswith("_")
                and not (node.attr.startswith("__"))
            ):
                base = ast.unparse(node.value)
                if base not in ("self", "cls") and not base.startswith(("self.", "cls.")):
                    found.append(f"{path.name}: {base}.{node.attr}")
    guarded = {
        "helptext.py: param._dtimeline_plain",  # our own marker
        "helptext.py: param._get_number_range_help_str",
        "wording.py: typer._click",
        "boundary.py: typer._click",
        "splitbuild.py: os._exit",  # public, documented: how a forked child ends
    }
    unguarded = [f for f in found if f not in guarded and not f.startswith("fastparams.py")]
    assert unguarded == [], unguarded
