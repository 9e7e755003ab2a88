"""Where the store is (store/locate.py), asked of the core's `locate`: the documented order
with the process's own environment, and the user's folders on a system where the XDG
shortcut does not apply. Cases found by mutation testing (docs/mutation.md)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs
import pytest
from platformdirs.macos import MacOS

from dtimeline.store.locate import Location, bundled_path, locate, user_folder


def test_locate_reads_the_processs_environment_when_given_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DTIMELINE_STORE", str(tmp_path / "env.toml"))
    assert locate(None) == Location(tmp_path / "env.toml", "env")
    assert locate("") == Location(tmp_path / "env.toml", "env")  # an empty --store is none
    assert locate(tmp_path / "opt.toml") == Location(tmp_path / "opt.toml", "option")
    monkeypatch.setenv("DTIMELINE_STORE", "")
    assert locate(None, cwd=tmp_path) == Location(bundled_path(), "bundled")


def test_the_order_below_the_environment(tmp_path: Path, isolated: Path) -> None:
    env: dict[str, str] = {}
    bundled = locate(None, env, cwd=tmp_path)
    assert bundled == Location(bundled_path(), "bundled") and bundled.bundled
    (tmp_path / "events.toml").mkdir()  # a folder of that name is not a store
    assert locate(None, env, cwd=tmp_path).origin == "bundled"
    user = isolated / "data" / "dtimeline" / "events.toml"
    user.parent.mkdir(parents=True)
    user.write_text("schema = 1\n", "utf-8")
    found = locate(None, env, cwd=tmp_path)
    assert found == Location(user, "user") and not found.bundled
    (tmp_path / "events.toml").rmdir()
    (tmp_path / "events.toml").write_text("schema = 1\n", "utf-8")
    assert locate(None, env, cwd=tmp_path) == Location(tmp_path / "events.toml", "cwd")


@pytest.mark.parametrize(
    ("platform", "env"),
    [("darwin", {}), ("linux", {"ANDROID_DATA": "/data", "ANDROID_ROOT": "/system"})],
    ids=["macos", "android"],
)
def test_elsewhere_than_plain_linux_the_folders_are_platformdirs(
    monkeypatch: pytest.MonkeyPatch, platform: str, env: dict[str, str]
) -> None:
    """On macOS (or Android), under an absolute HOME, the folders are the system's own
    as platformdirs gives them, not the XDG defaults of the Linux shortcut. Simulated:
    ``sys.platform`` set, and platformdirs answering by its macOS rules (it picks its
    rules when imported)."""
    monkeypatch.setattr(sys, "platform", platform)
    for var, value in env.items():
        monkeypatch.setenv(var, value)
    monkeypatch.setenv("HOME", "/home/u")
    for kind in ("data", "cache", "state"):
        monkeypatch.delenv(f"XDG_{kind.upper()}_HOME", raising=False)
        monkeypatch.setattr(
            platformdirs,
            f"user_{kind}_path",
            lambda name, appauthor=None, kind=kind: getattr(
                MacOS(name, appauthor), f"user_{kind}_path"
            ),
        )
    assert user_folder("data") == Path("/home/u/Library/Application Support/dtimeline")
    assert user_folder("state") == Path("/home/u/Library/Application Support/dtimeline")
    assert user_folder("cache") == Path("/home/u/Library/Caches/dtimeline")


def test_relative_xdg_values_on_linux_are_platformdirs_to_ignore(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A relative ``$XDG_*_HOME`` is not for the shortcut: platformdirs ignores it (the XDG
    rule) and gives the default under HOME, the state folder too."""
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.delenv("ANDROID_DATA", raising=False)
    monkeypatch.setenv("HOME", "/home/u")
    for kind in ("data", "cache", "state"):
        monkeypatch.setenv(f"XDG_{kind.upper()}_HOME", "relative")
    assert user_folder("data") == Path("/home/u/.local/share/dtimeline")
    assert user_folder("state") == Path("/home/u/.local/state/dtimeline")
    assert user_folder("cache") == Path("/home/u/.cache/dtimeline")


def test_without_home_the_folders_are_under_the_accounts_home(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No HOME and no XDG variables (a service's environment): platformdirs finds the
    account's home in the password database; never a folder relative to the cwd."""
    pwd = pytest.importorskip("pwd", reason="the password database is Unix's")
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.delenv("ANDROID_DATA", raising=False)
    monkeypatch.delenv("HOME")
    for kind in ("data", "cache", "state"):
        monkeypatch.delenv(f"XDG_{kind.upper()}_HOME")
    home = Path(pwd.getpwuid(os.getuid()).pw_dir)
    assert user_folder("data") == home / ".local/share/dtimeline"
    assert user_folder("state") == home / ".local/state/dtimeline"
    assert user_folder("cache") == home / ".cache/dtimeline"
