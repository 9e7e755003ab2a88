"""ExitCode holds every code dtimeline exits with, and the README's table lists each."""

from __future__ import annotations

import re
from enum import IntEnum

from conftest import ROOT

from dtimeline import errors
from dtimeline.cli import boundary


def test_exit_code_is_an_int_enum_of_every_code() -> None:
    assert issubclass(errors.ExitCode, IntEnum)
    assert sorted(errors.ExitCode) == [0, 1, 2, 3, 4, 5, 6, 70, 130]
    assert boundary.INTERNAL_ERROR is errors.ExitCode.INTERNAL
    for cls in vars(errors).values():
        if isinstance(cls, type) and issubclass(cls, errors.DtimelineError):
            assert isinstance(cls.exit_code, errors.ExitCode), cls


def test_readme_lists_every_code() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Exit codes and errors", 1)[1].split("\n## ", 1)[0]
    listed = {int(n) for n in re.findall(r"^\| (\d+) \|", section, re.M)}
    assert listed == {int(c) for c in errors.ExitCode}
