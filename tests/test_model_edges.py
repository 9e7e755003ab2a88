"""The domain classes as a user meets them (found by mutation testing, docs/mutation.md):
a source's one-line citation in an export."""

from __future__ import annotations

from pathlib import Path

from conftest import invoke

STORE = """schema = 1

[countries.china]
name = "China"

[[events]]
id = "a"
date = "2023-05-17"
kind = "talks"
title = "Talks"
countries = ["china"]

[[events.sources]]
publisher = "Xinhua"
title = "Talks held"
date = "2023-05-17"
url = "https://example.org/a"

[[events.sources]]
publisher = "MFA"
date = "2023-05"
"""


def test_a_source_is_cited_as_publisher_title_date(tmp_path: Path) -> None:
    path = tmp_path / "events.toml"
    path.write_text(STORE, "utf-8")
    ran = invoke("--store", str(path), "export", "--format", "markwhen")
    assert ran.code == 0, ran.err
    cited = [line for line in ran.out.splitlines() if line.startswith("> Source: ")]
    assert cited == [
        "> Source: Xinhua, Talks held, 2023-05-17 <https://example.org/a>",
        "> Source: MFA, 2023-05",
    ]
