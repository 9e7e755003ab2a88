"""Errors from the option parser, said in dtimeline's words.

The parser (click, inside typer) and the validator behind it (pydantic) word their errors
for programmers: ``Invalid value for '--format' / '-f': Value error, 'xml' is not one of
'auto', 'table'.``, ``Input should be greater than or equal to 0``. :func:`usage_message`
says the same in one plain line: ``--format: 'xml' is not a choice (auto, table, plain,
...)``, ``--limit: must be a whole number, at least 0 (got -1)``. The value a person typed
is taken from the parser's message (the only place it is kept), so tests/test_help.py
runs a catalogue of bad options and fails if library wording comes back.
"""

from __future__ import annotations

import re
from typing import Any

from typer._click import exceptions as click_exc

_CHOICE = re.compile(r"(?:Value error, )?(?P<value>'.*') is not one of ")
_GE = re.compile(r"Input should be greater than or equal to (?P<n>-?[0-9.]+)")
_LE = re.compile(r"Input should be less than or equal to (?P<n>-?[0-9.]+)")
_EXTRA = re.compile(r"Got unexpected extra argument(?:\(s\)|s)? \((?P<args>.*)\)")
_COMMAND = re.compile(r"No such command (?P<name>'.*')\.?")
_NEEDS = re.compile(r"Option '(?P<name>.*)' requires (?:an argument|\d+ arguments)\.?")


def param_name(param: Any) -> str:
    """How a person names a parameter: ``--format`` for an option, ``DATE`` for an argument."""
    if param is None:
        return "a value"
    opts = [o for o in getattr(param, "opts", ()) if o.startswith("--")]
    if getattr(param, "param_type_name", "") == "option" and opts:
        return str(opts[0])
    return str(getattr(param, "metavar", None) or (param.name or "value").upper())


def _choices(param: Any) -> list[str]:
    desc = getattr(param, "type_descriptor", None)
    if desc is None or not getattr(desc, "is_choice", False):
        return []
    return [str(getattr(c, "value", c)) for c in desc.choices or ()]


def _bad_value(exc: Any) -> str:
    message = str(exc.message)
    param = exc.param
    choices = _choices(param)
    found = _CHOICE.match(message)
    if found or choices:
        value = found.group("value") if found else "that value"
        return f"{value} is not a choice; use one of: {', '.join(choices)}"
    low, high = getattr(param, "min", None), getattr(param, "max", None)
    if "valid integer" in message or _GE.search(message) or _LE.search(message):
        bounds = []
        if low is not None:
            bounds.append(f"at least {low}")
        if high is not None:
            bounds.append(f"at most {high}")
        return "must be a whole number" + (", " + " and ".join(bounds) if bounds else "")
    message = message.removeprefix("Value error, ")
    return re.sub(r"^Input should be", "should be", message)


def usage_message(exc: click_exc.UsageError) -> str:
    """One plain line for a usage error (without the program's name or a hint to --help)."""
    if isinstance(exc, click_exc.MissingParameter):
        name = param_name(exc.param)
        if name.startswith("--"):
            return f"{name} is required"
        return f"missing {name}"
    if isinstance(exc, click_exc.BadParameter):
        return f"{param_name(exc.param)}: {_bad_value(exc)}"
    if isinstance(exc, click_exc.NoSuchOption):
        said = f"there is no option {exc.option_name}"
        if exc.possibilities:
            said += f"; did you mean {' or '.join(sorted(exc.possibilities))}?"
        return said
    message = str(exc.message)
    for pattern, words in (
        (_EXTRA, "unexpected argument(s): {args}"),
        (_COMMAND, "there is no command {name}"),
        (_NEEDS, "{name} needs a value"),
    ):
        found = pattern.fullmatch(message.strip())
        if found:
            return words.format(**found.groupdict())
    return message
