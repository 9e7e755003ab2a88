"""Where the user's folders are: dtimeline's own XDG shortcut agrees with platformdirs."""

from __future__ import annotations

import sys
from pathlib import Path

import platformdirs
import pytest

from dtimeline.store import index
from dtimeline.store.locate import user_folder, user_store_path

CASES = {
    "both set": {"XDG_DATA_HOME": "/x/data", "XDG_CACHE_HOME": "/x/cache", "HOME": "/home/u"},
    "state set": {"XDG_STATE_HOME": "/x/state", "HOME": "/home/u"},
    "trailing slashes": {"XDG_DATA_HOME": "/x/data/", "XDG_CACHE_HOME": "//x/c//", "HOME": "/h/"},
    "unset": {"HOME": "/home/u"},
    "empty": {"XDG_DATA_HOME": "", "XDG_CACHE_HOME": "", "HOME": "/home/u"},
    "relative (ignored)": {"XDG_DATA_HOME": "rel", "XDG_CACHE_HOME": "./c", "HOME": "/home/u"},
    "spaces": {"XDG_DATA_HOME": " ", "XDG_CACHE_HOME": "/with space/c", "HOME": "/home/u"},
    "home is root": {"HOME": "/"},
    "home with trailing slash": {"HOME": "/home/u/"},
}


@pytest.mark.parametrize("env", CASES.values(), ids=CASES.keys())
def test_user_folders_agree_with_platformdirs(
    env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for var in ("XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME", "HOME"):
        monkeypatch.delenv(var, raising=False)
    for var, value in env.items():
        monkeypatch.setenv(var, value)
    data = platformdirs.user_data_path("dtimeline", appauthor=False)
    cached = platformdirs.user_cache_path("dtimeline", appauthor=False)
    assert user_folder("data") == data
    assert user_folder("cache") == cached
    assert user_folder("state") == platformdirs.user_state_path("dtimeline", appauthor=False)
    assert user_store_path() == data / "events.toml"
    assert index.cache_dir() == cached


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the XDG shortcut is Linux's")
def test_shortcut_reads_the_environment_each_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "one"))
    assert user_folder("cache") == tmp_path / "one" / "dtimeline"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "two"))
    assert user_folder("cache") == tmp_path / "two" / "dtimeline"
