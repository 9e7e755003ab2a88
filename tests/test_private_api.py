"""Every private name of a dependency that dtimeline relies on, checked loudly: when one
changes shape or goes away, this fails (and pyproject's upper bounds keep users on the
versions that have them). The fallbacks in the code keep working meanwhile: fastparams
leaves typer alone, the table prints whole."""

from __future__ import annotations

import inspect
from importlib.metadata import version

from rich.console import Console

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


def test_rich_table_width_internals() -> None:
    """What render/formats.py's chunked table asks of rich: the widths rich's solver gives
    the columns of a table (padding included), and each column's padding."""
    import io

    from rich.table import Table

    assert (13, 7) <= _major_minor("rich") < (16, 0)
    console = Console(width=40, file=io.StringIO())
    table = Table(box=None, pad_edge=False, show_edge=False)
    table.add_column("a", no_wrap=True)
    table.add_column("b", ratio=1, min_width=5)
    table.add_row("2023-05-17", "a title of several words that will not fit in forty")
    widths = table._calculate_column_widths(console, console.options)
    assert isinstance(widths, list) and all(isinstance(w, int) for w in widths)
    assert sum(widths) <= 40 and widths[0] >= len("2023-05-17")
    pads = [table._get_padding_width(i) for i in range(2)]
    assert pads == [1, 1]  # padding (0, 1) on each side, none at the outer edges
