"""One exception tree for everything that can go wrong, each class with its exit code.

The CLI catches :class:`DtimelineError` once, prints ``dtimeline: <message>`` on stderr
and exits with ``exit_code``. The codes are documented in the README.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Every process exit code of dtimeline (documented in README, "Exit codes and
    errors"); an int, so it goes straight to ``sys.exit``."""

    OK = 0
    PROBLEMS = 1  # `check` found problems
    USAGE = 2  # bad option, bad value (date, kind, country...), bad input record
    NOT_FOUND = 3  # unknown event id or subject
    STORE = 4  # the store cannot be read: missing, not UTF-8, not TOML, invalid
    CONFLICT = 5  # duplicate id, undo refused, nothing to undo
    WRITE = 6  # the store cannot be written: read-only, disk full, lock timeout
    INTERNAL = 70  # EX_SOFTWARE (sysexits.h): a bug in dtimeline
    INTERRUPTED = 130  # Ctrl-C (128 + SIGINT, as shells report it)


class DtimelineError(Exception):
    """Base class: a message meant for the user, one line, and an exit code."""

    exit_code: int = ExitCode.USAGE

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        if self.hint:
            return f"{self.message} ({self.hint})"
        return self.message


class InputError(DtimelineError):
    """A value given by the user cannot be used (bad date, unknown kind, empty title...)."""

    exit_code = ExitCode.USAGE


class DateError(InputError):
    """A date that cannot be read; never silently replaced by today."""


class NotFoundError(DtimelineError):
    """An event id or subject that the store does not hold."""

    exit_code = ExitCode.NOT_FOUND


class StoreError(DtimelineError):
    """The store cannot be found, read, decoded or parsed."""

    exit_code = ExitCode.STORE


class ConflictError(DtimelineError):
    """The operation conflicts with what is in the store (duplicate id, undo refused)."""

    exit_code = ExitCode.CONFLICT


class WriteError(DtimelineError):
    """The store could not be written (permissions, disk full, lock timeout)."""

    exit_code = ExitCode.WRITE
