"""`export --format html`: one self-contained page, loaded in headless Chromium (skipped,
with the reason, where Chromium is not installed; .ci/run installs it)."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import invoke, run

from dtimeline.dates import parse_edtf
from dtimeline.model import Event, Source, Store
from dtimeline.render.export import Export, render
from dtimeline.store import load_store

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)"
)
EVIL = "<script>alert(1)</script>"


class Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.loads: list[tuple[str, str]] = []  # (tag, attribute) that would fetch
        self.hrefs: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for key, value in attrs:
            if key == "src" or (tag == "link" and key == "href"):
                self.loads.append((tag, value or ""))
            if tag == "a" and key == "href":
                self.hrefs.append(value or "")

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(page: str) -> Page:
    parser = Page()
    parser.feed(page)
    parser.close()
    return parser


def hostile_store() -> Store:
    srcs = (Source(publisher='"><b>x</b>', url="javascript:alert(2)"),
            Source(publisher="Safe", url='https://example.org/a?b=1&c="d"'))  # fmt: skip
    evs = (
        Event(id="e1", date=parse_edtf("2023-05-17"), kind="talks", title=EVIL,
              countries=("x",), place="<i>Xi'an</i>", summary="a & b < c", sources=srcs),
        Event(id="e2", date=parse_edtf("2027-03"), kind="visit", title="Future \u4e2d\u6587",
              countries=("x",), status="announced"),
    )  # fmt: skip
    return Store(events=evs)


def test_page_is_self_contained_and_escaped() -> None:
    store = hostile_store()
    page = render("html", Export(list(store.events), store, date(2026, 1, 1), date(2026, 1, 1)))
    parsed = parse(page)
    assert "script" not in parsed.tags and "b" not in parsed.tags and "i" not in parsed.tags
    assert parsed.loads == []  # nothing to fetch: no src=, no <link href>
    assert parsed.hrefs == ['https://example.org/a?b=1&c="d"']
    text = "".join(parsed.text)
    assert EVIL in text and "<i>Xi'an</i>" in text and "a & b < c" in text
    assert "@media print" in page
    assert "default-src &#x27;none&#x27;" in page  # the CSP refuses every load
    assert "announced" in text and "Date known to the month only" in text


def test_bundled_page_lists_every_event_by_year(bundled: Path) -> None:
    ran = invoke("export", "--format", "html")
    assert ran.code == 0, ran.err
    parsed = parse(ran.out)
    text = "".join(parsed.text)
    store = load_store(bundled)
    for ev in store.events:
        assert ev.title in text
    assert parsed.tags.count("h2") == len({ev.date.earliest.year for ev in store.events})
    assert all(h.startswith(("http://", "https://")) for h in parsed.hrefs)


def dump_dom(path: Path, profile: Path) -> str:
    assert CHROMIUM is not None
    proc = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", f"--user-data-dir={profile}", "--dump-dom", path.as_uri()],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


@needs_chromium
def test_chromium_renders_titles_as_text(tmp_path: Path) -> None:
    store_file = tmp_path / "events.toml"
    shutil.copyfile(_bundled(), store_file)
    text = store_file.read_text(encoding="utf-8").replace(
        'title = "China and Kazakhstan establish diplomatic relations"',
        f'title = "{EVIL}"',
        1,
    )
    assert EVIL in text
    store_file.write_text(text, encoding="utf-8")
    out = tmp_path / "page.html"
    ran = run("--store", str(store_file), "export", "--format", "html", "-o", str(out))
    assert ran.code == 0, ran.err
    assert str(out) in ran.err
    dom = dump_dom(out, tmp_path / "profile")
    parsed = parse(dom)
    assert parsed.tags.count("script") == 0  # the title injected no element
    visible = "".join(parsed.text)
    assert EVIL in visible
    for ev in load_store(store_file).events:
        assert ev.title in visible
    assert "<h1>" in dom and "2013" in visible


def _bundled() -> Path:
    from dtimeline.store import bundled_path

    return bundled_path()
