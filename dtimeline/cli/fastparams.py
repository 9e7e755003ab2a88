"""Plain option values without pydantic: a command should not pay for what it does not use.

typer 0.29 converts every parameter value through a pydantic ``TypeAdapter``: the first
option of any command imports pydantic and builds adapters, about 0.25 s on the machines we
measure (bench/README.md): more than the rest of ``dtimeline show`` on the bundled timeline.

The values dtimeline's commands take are plain: strings, booleans, whole numbers, str
enums / literals, and lists of these. For those, :func:`install` gives each typer parameter
a runtime converter that returns exactly what typer's adapter returns (the same string, the
same enum member, a list for a repeated option) without importing pydantic. Anything else (a
custom parser, a number with bounds, paths, files, dates, a value that does not convert)
is handed to typer's own converter, built on first need, so every error message and every
unusual type behave exactly as typer makes them. tests/test_fastparams.py checks, for every
parameter of every command, that both give the same results.

If typer's internals change shape, :func:`install` leaves typer untouched.
"""

from __future__ import annotations

import re
import types
from enum import Enum
from typing import Any, Literal, Union, get_args, get_origin

_INT = re.compile(r"-?[0-9]+")


class _DeferError(Exception):
    """This value is not a plain case: let typer convert it."""


def _leaf(annotation: Any, info: Any) -> Any:
    """A converter for one plain value of ``annotation``, or None if it is not plain."""
    if annotation is str:
        return lambda value, ctx: value if type(value) is str else _defer()
    if annotation is bool:
        return lambda value, ctx: value if type(value) is bool else _defer()
    if annotation is int:
        if info.clamp:
            return None
        low, high = info.min, info.max

        def to_int(value: Any, ctx: Any) -> Any:
            if type(value) is str and _INT.fullmatch(value):
                value = int(value)
            if type(value) is not int:
                return _defer()
            if (low is not None and value < low) or (high is not None and value > high):
                return _defer()  # out of bounds: typer words the error
            return value

        return to_int
    if (isinstance(annotation, type) and issubclass(annotation, Enum)) or get_origin(
        annotation
    ) is Literal:
        from typer._param_types import choice_coercion_annotation, coerce_cli_choice

        found = choice_coercion_annotation(annotation, info)
        if found is None:
            return None
        choices, case_sensitive = found

        def to_choice(value: Any, ctx: Any) -> Any:
            try:
                return coerce_cli_choice(
                    value, choices=choices, case_sensitive=case_sensitive, ctx=ctx
                )
            except ValueError:
                return _defer()

        return to_choice
    return None


def _defer() -> Any:
    raise _DeferError


def _strip_optional(annotation: Any) -> Any:
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        return args[0] if len(args) == 1 else None
    return annotation


def plain_converter(descriptor: Any) -> Any:
    """The fast converter for a typer type descriptor, or None when typer must do it."""
    info = descriptor.parameter_info
    if descriptor.file_annotation is not None or getattr(info, "parser", None) is not None:
        return None
    if getattr(info, "click_type", None) is not None:
        return None
    annotation = _strip_optional(descriptor.annotation)
    if get_origin(annotation) is list:
        (item,) = get_args(annotation) or (None,)
        leaf = _leaf(_strip_optional(item), info)
        if leaf is None:
            return None

        def to_list(value: Any, ctx: Any) -> list[Any]:
            if not isinstance(value, (list, tuple)):
                value = [value]
            return [leaf(v, ctx) for v in value]

        return to_list
    return _leaf(annotation, info)


class PlainRuntimeParam:
    """typer's RuntimeParam contract (``coerce``), pydantic-free for plain values."""

    def __init__(self, descriptor: Any, convert: Any, build: Any) -> None:
        self.descriptor = descriptor
        self.convert = convert
        self._build = build
        self._typer: Any = None

    def typer_param(self) -> Any:
        if self._typer is None:
            self._typer = self._build(self.descriptor)
        return self._typer

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        multi = param.multiple or param.nargs == -1
        if value is None:
            return () if multi else None  # as typer's RuntimeParam.coerce
        if not (multi and isinstance(value, str)):
            try:
                return self.convert(value, ctx)
            except _DeferError:
                pass
        return self.typer_param().coerce(value, param=param, ctx=ctx)


def install() -> bool:
    """Route plain parameters of every typer command through :class:`PlainRuntimeParam`."""
    try:
        from typer import core
        from typer._coercion import build_runtime_param

        cls = core._TyperParameter
        original = cls.get_runtime_param
    except (ImportError, AttributeError):
        return False
    if getattr(original, "_dtimeline_plain", False):
        return True

    def get_runtime_param(self: Any) -> Any:
        if getattr(self, "_runtime_param", None) is None:
            convert = plain_converter(self.type_descriptor)
            if convert is None:
                return original(self)
            self._runtime_param = PlainRuntimeParam(
                self.type_descriptor, convert, build_runtime_param
            )
        return self._runtime_param

    get_runtime_param._dtimeline_plain = True  # type: ignore[attr-defined]
    cls.get_runtime_param = get_runtime_param  # type: ignore[method-assign]
    return True
