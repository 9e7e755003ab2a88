"""Immutable value objects, at no start-up cost.

``@dataclass(frozen=True)`` writes six methods per class as source text and compiles them
with ``exec`` at import (Python 3.11): about a quarter of a millisecond each, 10 ms for the
domain classes, paid by every command before it does anything. The domain classes therefore
write their ``__init__`` by hand (compiled once, into the .pyc) and take the rest from
:class:`Frozen`. They are still declared ``@dataclass(init=False, repr=False, eq=False)``,
which generates nothing but keeps ``dataclasses.replace`` and ``fields`` working.

Semantics are those of a frozen dataclass: no assignment or deletion after ``__init__``
(``dataclasses.FrozenInstanceError``), equality of the same class with equal fields, a hash
of the fields, a ``Class(field=value, ...)`` repr. Fields live in the instance ``__dict__``,
in declaration order: every ``__init__`` takes them positionally in that order and stores
them in that order (the repr, and the hash through ``__dict__``'s values, rely on it).
Nothing is pickled: no pickling hooks are needed.
"""

from __future__ import annotations

from dataclasses import FrozenInstanceError
from typing import Any


class Frozen:
    """Base of the domain's value classes; see the module docstring."""

    __slots__ = ()

    def __setattr__(self, name: str, value: Any) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return self.__dict__ == other.__dict__
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self.__dict__.values()))

    def __repr__(self) -> str:
        fields = ", ".join(f"{k}={v!r}" for k, v in self.__dict__.items())
        return f"{self.__class__.__qualname__}({fields})"
