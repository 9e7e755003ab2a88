"""Where the store is: ``--store``, ``$DTIMELINE_STORE``, ``./events.toml``, the user's data
folder, then the timeline bundled with the package (read-only)."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Literal, NamedTuple

Origin = Literal["option", "env", "cwd", "user", "bundled"]

STORE_NAME = "events.toml"
ENV_VAR = "DTIMELINE_STORE"


class Location(NamedTuple):
    """A store to read, and where a write must go."""

    path: Path
    origin: Origin

    @property
    def bundled(self) -> bool:
        """True for the read-only packaged timeline: a write copies it to the user folder."""
        return self.origin == "bundled"


def bundled_path() -> Path:
    """The timeline shipped in the package (``dtimeline/data/events.toml`` in a wheel; the
    repository's top-level ``events.toml`` in a source checkout)."""
    here = Path(__file__).resolve().parent.parent
    packaged = here / "data" / STORE_NAME
    if packaged.is_file():
        return packaged
    return here.parent / STORE_NAME


def user_store_path() -> Path:
    """``events.toml`` in the user's data folder (``$XDG_DATA_HOME/dtimeline`` on Linux)."""
    return user_folder("data") / STORE_NAME


_XDG = {
    "data": ("XDG_DATA_HOME", ".local/share"),
    "cache": ("XDG_CACHE_HOME", ".cache"),
    "state": ("XDG_STATE_HOME", ".local/state"),
}


def user_folder(kind: Literal["data", "cache", "state"]) -> Path:
    """dtimeline's folder in the user's data, cache or state folder, as platformdirs names it.

    On Linux, the plain cases of the XDG rule are worked out here (platformdirs costs 5 ms
    of imports, a third of what a command adds to Python's start): an absolute
    ``$XDG_DATA_HOME`` / ``$XDG_CACHE_HOME`` / ``$XDG_STATE_HOME``, or else the default
    under an absolute ``$HOME``. Anything else (another OS, a relative value, no HOME) is
    platformdirs' to decide; a test checks that both agree."""
    var, default = _XDG[kind]
    if sys.platform.startswith("linux") and "ANDROID_DATA" not in os.environ:
        value = os.environ.get(var, "")
        if value.startswith("/"):
            return Path(value, "dtimeline")
        home = os.environ.get("HOME", "")
        if not value and home.startswith("/"):
            return Path(home, default, "dtimeline")
    import platformdirs

    if kind == "data":
        return platformdirs.user_data_path("dtimeline", appauthor=False)
    if kind == "state":
        return platformdirs.user_state_path("dtimeline", appauthor=False)
    return platformdirs.user_cache_path("dtimeline", appauthor=False)


def locate(
    explicit: str | os.PathLike[str] | None,
    environ: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> Location:
    """Find the store by the documented order. Explicit paths are returned even if missing
    (reading them then fails with a clear message; writing creates nothing by surprise)."""
    environ = os.environ if environ is None else environ
    if explicit:
        return Location(Path(explicit), "option")
    from_env = environ.get(ENV_VAR, "")
    if from_env:
        return Location(Path(from_env), "env")
    local = (cwd or Path.cwd()) / STORE_NAME
    if local.is_file():
        return Location(local, "cwd")
    user = user_store_path()
    if user.is_file():
        return Location(user, "user")
    return Location(bundled_path(), "bundled")
