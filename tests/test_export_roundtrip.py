"""export json/jsonl -> `dtimeline import` into an empty store -> export again: the
same bytes (skipped, with the reason, while `import` is not there)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import invoke

pytestmark = pytest.mark.skipif(
    invoke("import", "--help").code != 0, reason="`dtimeline import` is not available"
)


def empty_copy(bundled: Path, dest: Path) -> Path:
    """The bundled store's countries and actors, without its events."""
    text = bundled.read_text(encoding="utf-8")
    head = text.split("\n[[events]]", 1)[0]
    assert "[countries.china]" in head and "[[events]]" not in head
    dest.write_text(head + "\n", encoding="utf-8")
    return dest


@pytest.mark.parametrize("fmt", ["jsonl", "json"])
def test_export_import_export_is_lossless(fmt: str, bundled: Path, tmp_path: Path) -> None:
    first = invoke("export", "--format", fmt)
    assert first.code == 0, first.err
    dump = tmp_path / f"events.{fmt}"
    dump.write_text(first.out, encoding="utf-8")
    target = empty_copy(bundled, tmp_path / "events.toml")
    assert invoke("--store", str(target), "export", "-f", fmt).out.strip() in ("", "[]")
    imported = invoke("--store", str(target), "import", str(dump), "--format", fmt)
    assert imported.code == 0, imported.err
    again = invoke("--store", str(target), "export", "--format", fmt)
    assert again.code == 0, again.err
    assert again.out == first.out
    for other in ("ics", "markwhen", "timelinejs"):
        assert (invoke("--store", str(target), "export", "-f", other).out
                == invoke("export", "-f", other).out)  # fmt: skip
