"""Read a store file: bytes -> text -> TOML -> validated :class:`Store`.

Every failure becomes a :class:`StoreError` naming the file (and line, where there is one).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from dtimeline.errors import StoreError
from dtimeline.model import SCHEMA_VERSION, Store
from dtimeline.store.schema import Problem, validate

_POS = re.compile(r"\(at line (\d+), column (\d+)\)")


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise StoreError(
            f"{path}: no such store file",
            hint="check --store or $DTIMELINE_STORE",
        ) from None
    except IsADirectoryError:
        raise StoreError(f"{path}: is a folder, not a store file") from None
    except PermissionError:
        raise StoreError(f"{path}: permission denied") from None
    except OSError as exc:
        raise StoreError(f"{path}: cannot read: {exc.strerror or exc}") from None


def decode(data: bytes, path: Path) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]  # a UTF-8 byte-order mark: harmless, tolerated
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise StoreError(f"{path}:{line}: not UTF-8 text (byte 0x{data[exc.start]:02x})") from None


class TomlSyntaxError(StoreError):
    """The store is not valid TOML; knows the line and column."""

    def __init__(self, path: Path, line: int | None, col: int | None, detail: str) -> None:
        where = f"{path}:{line}:{col}" if line else str(path)
        super().__init__(f"{where}: TOML syntax error: {detail}")
        self.problem = Problem(str(path), line, f"TOML syntax error: {detail} (column {col})")


def parse_toml(text: str, path: Path) -> dict[str, Any]:
    import tomli

    try:
        return tomli.loads(text)
    except tomli.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None)
        col = getattr(exc, "colno", None)
        detail = getattr(exc, "msg", None) or _POS.sub("", str(exc)).strip()
        found = _POS.search(str(exc))
        if found and line is None:
            line, col = int(found.group(1)), int(found.group(2))
        raise TomlSyntaxError(path, line, col, detail) from None


def check_schema_version(doc: dict[str, Any], path: Path) -> None:
    schema = doc.get("schema")
    if isinstance(schema, int) and not isinstance(schema, bool) and schema > SCHEMA_VERSION:
        raise StoreError(
            f"{path}: schema {schema} is newer than this dtimeline understands ({SCHEMA_VERSION})",
            hint="upgrade dtimeline",
        )


def load_text(text: str, path: Path) -> tuple[Store, list[Problem]]:
    """Parse and validate ``text``; all problems are returned, none raised."""
    doc = parse_toml(text, path)
    check_schema_version(doc, path)
    return validate(doc, text, path)


def load_path(path: Path) -> Store:
    """Load a store for a command: the first error stops it."""
    return load_data(read_bytes(path), path)


def load_data(data: bytes, path: Path) -> Store:
    """Build the store from the bytes of the file at ``path``: the first error stops it."""
    return load_checked(decode(data, path), path)


def load_checked(text: str, path: Path) -> Store:
    """Build the store from the text of the file at ``path``: the first error stops it."""
    store, problems = load_text(text, path)
    errors = [p for p in problems if not p.strict]
    if errors:
        more = f" (and {len(errors) - 1} more: run 'dtimeline check')" if len(errors) > 1 else ""
        raise StoreError(f"{errors[0]}{more}")
    return store
