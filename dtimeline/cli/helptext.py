"""Help in plain words: readable usage lines, no type labels, choices that wrap, examples.

Every command is registered with :class:`PlainCommand` (cli/application.py does it), and
each command module gives two to four real command lines per command in ``EXAMPLES``; a
command group made elsewhere can pass ``cls=PlainCommand, epilog=examples(...)`` itself.

What typer would print, and what is printed instead:

- ``<bool>`` after a flag, ``<str>`` after an argument: nothing (the name says it);
- ``<list[str]>`` / ``<str>`` after an option: the option's name in capitals (``COUNTRY``);
- ``<auto|table|plain>`` (cut inside a word in a narrow column): ``FORMAT`` and the choices
  in the option's help text, where they wrap between words;
- ``N [x>=20]``: ``N [at least 20]``;
- a usage line ``show [OPTIONS] [[SUBJECT]]`` or ``add [OPTIONS] {DATE} {TITLE}``:
  ``show [OPTIONS] [SUBJECT]``, ``add [OPTIONS] DATE TITLE``.

typer draws its help from each parameter's ``display_type_rich`` and
``_get_number_range_help_str``; both are replaced per parameter here.
tests/test_help.py walks every command's ``--help`` and fails if a type label comes back.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from typer.core import TyperArgument, TyperCommand, TyperOption

_MARKDOWN_SPECIAL = re.compile(r"[\\`*_{}\[\]<>()#+\-.!|~&]")


def examples(*lines: str) -> str:
    """The epilog of a command's ``--help``: an ``Examples`` heading and one command line
    a line (markdown, as the app's help is written)."""
    body = "\\\n".join(_MARKDOWN_SPECIAL.sub(r"\\\g<0>", f"  {line}") for line in lines)
    return f"**Examples**\n\n{body}"


def _choices(param: Any) -> list[str]:
    desc = getattr(param, "type_descriptor", None)
    if desc is None or not getattr(desc, "is_choice", False):
        return []
    return [str(getattr(c, "value", c)) for c in desc.choices or ()]


def _range(low: Any, high: Any) -> str | None:
    if low is None and high is None:
        return None
    if high is None:
        return f"at least {low}"
    if low is None:
        return f"at most {high}"
    return f"{low} to {high}"


def _or_list(words: Sequence[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


def plain_param(param: Any) -> Any:
    """Give one typer parameter plain-worded help (in place; once); returns it."""
    if getattr(param, "_dtimeline_plain", False):
        return param
    param._dtimeline_plain = True
    if isinstance(param, TyperArgument):
        if param.metavar:
            param.metavar = param.metavar.strip("[]{}").removesuffix("...")
        param.display_type_rich = lambda ctx: None  # type: ignore[method-assign]
        return param
    if not isinstance(param, TyperOption):
        return param
    if param.is_flag:
        param.display_type_rich = lambda ctx: None  # type: ignore[method-assign]
        return param
    choices = _choices(param)
    if param.metavar is None:
        name = (param.name or "value").replace("_", "-").upper()
        param.metavar = "FORMAT" if name == "FMT" else name
    if choices and not all(c in (param.help or "") for c in choices):
        param.help = f"{param.help or ''} One of: {_or_list(choices)}.".strip()
    metavar = param.metavar
    param.display_type_rich = lambda ctx: metavar  # type: ignore[method-assign]
    low, high = getattr(param, "min", None), getattr(param, "max", None)
    param._get_number_range_help_str = lambda: _range(low, high)  # type: ignore[method-assign]
    return param


class PlainCommand(TyperCommand):
    """A typer command whose ``--help`` is worded for people (see the module docstring)."""

    def get_params(self, ctx: Any) -> list[Any]:
        return [plain_param(p) for p in super().get_params(ctx)]

    def format_help(self, ctx: Any, formatter: Any) -> None:
        from dtimeline.cli.boundary import route_closed_pipes

        route_closed_pipes()
        super().format_help(ctx, formatter)

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if not isinstance(param, TyperArgument) or getattr(param, "hidden", False):
                continue
            name = (param.metavar or (param.name or "").upper()).removesuffix("...")
            if param.nargs != 1:
                name += "..."
            pieces.append(name if param.required else f"[{name}]")
        return pieces
