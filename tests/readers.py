"""The real readers some tests feed our output to (node packages, Chromium): found, or the
test is skipped with a message saying what is missing and how CI installs it."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
#: Where .ci/run installs the node packages (npm install --prefix .node ...).
NODE_PREFIX = Path(os.environ.get("DTIMELINE_NODE_PREFIX", ROOT / ".node"))


def node() -> str:
    found = shutil.which("node")
    if found is None:
        pytest.skip("node is not installed (CI installs it with the node packages: .ci/run)")
    return found


def node_package(name: str) -> Path:
    """The folder of an npm package installed under NODE_PREFIX."""
    node()
    folder = NODE_PREFIX / "node_modules" / name
    if not (folder / "package.json").is_file():
        pytest.skip(f"npm package {name} is not installed in {NODE_PREFIX} (.ci/run installs it)")
    return folder


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("chromium is not installed (apt-get install chromium; .ci/run tries)")
    raise AssertionError  # unreachable: skip raises
