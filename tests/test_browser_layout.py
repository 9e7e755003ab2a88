"""The html export and the svg picture as Chromium lays them out: the page fits a 390 px
phone whatever the data holds, and the svg's CJK text fills the cells the terminal grid gives
it (rich squashed it to half), loading nothing from outside."""

from __future__ import annotations

import json
import re
import subprocess
from html import escape, unescape
from itertools import pairwise
from pathlib import Path
from typing import Any

from conftest import run
from readers import chromium

LONG_URL = "https://example.org/" + "a" * 300
LONG_WORD = "Xi" + "x" * 250


def evaluate(page: Path, profile: Path, width: int = 390) -> Any:
    """Load ``page`` in headless Chromium ``width`` px wide; the JSON its scripts leave in
    ``<pre id="result">``."""
    proc = subprocess.run(
        [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars", f"--window-size={width},844", f"--user-data-dir={profile}",
         "--virtual-time-budget=3000", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-2000:]
    found = re.search(r'<pre id="result">(.*?)</pre>', proc.stdout, re.DOTALL)
    assert found, proc.stdout[-2000:]
    return json.loads(unescape(found.group(1)))


PROBE = """<pre id="result"></pre><script>
document.getElementById("result").textContent = JSON.stringify(%s);
</script>"""


def add_event(store: Path, title: str, summary: str = "", url: str = "") -> None:
    args = ["--store", str(store), "add", "2024-07-03", title, "-c", "kz", "-c", "china",
            "--summary", summary or title]  # fmt: skip
    if url:
        args += ["--source", url]
    ran = run(*args)
    assert ran.code == 0, ran.err


def test_html_long_tokens_wrap_at_390_px(store: Path, tmp_path: Path) -> None:
    """The issue's example: one URL without hyphens made the page 1,286 px wide."""
    add_event(store, LONG_WORD, "see " + LONG_URL, LONG_URL)
    page = tmp_path / "page.html"
    ran = run("--store", str(store), "export", "--format", "html", "-o", str(page))
    assert ran.code == 0, ran.err
    html = page.read_text(encoding="utf-8")
    assert LONG_URL in html
    # the page forbids scripts (its CSP): it is measured from a page that holds it in a
    # frame 390 px wide, as a phone shows it
    probe = tmp_path / "probe.html"
    probe.write_text(
        "<!doctype html><meta charset=utf-8><body style='margin:0'>"
        f'<iframe id="f" style="width:390px;height:844px;border:0" srcdoc="{escape(html)}">'
        "</iframe>" + FRAME_PROBE,
        encoding="utf-8",
    )
    scroll, inner = evaluate(probe, tmp_path / "profile", width=800)
    assert inner == 390
    assert scroll <= 390, scroll


FRAME_PROBE = """<pre id="result"></pre><script>
const frame = document.getElementById("f");
function measure() {
  const doc = frame.contentDocument;
  document.getElementById("result").textContent = JSON.stringify(
    [doc.documentElement.scrollWidth, frame.contentWindow.innerWidth]);
}
frame.addEventListener("load", measure);  // the srcdoc page, not the first about:blank
</script>"""


MEASURE = """(() => {
  const runs = [...document.querySelectorAll("svg text")]
    .filter((t) => t.textContent.trim())
    .map((t) => ({x: +t.getAttribute("x"), y: +t.getAttribute("y"), text: t.textContent,
                  width: t.getBBox().width}));
  return {runs, resources: performance.getEntriesByType("resource").map((r) => r.name)};
})()"""


def test_svg_cjk_text_fills_its_cells_and_loads_nothing(store: Path, tmp_path: Path) -> None:
    title = "中国与哈萨克斯坦会谈 talks"
    add_event(store, title)
    ran = run("--store", str(store), "show", "kz", "--since", "2024-07", "--format", "svg",
              "--width", "100")  # fmt: skip
    assert ran.code == 0, ran.err
    svg = ran.out
    assert "@font-face" not in svg and "cdnjs" not in svg
    assert not re.search(r"url\((?!#)", svg)  # only references inside the picture
    page = tmp_path / "svg.html"
    page.write_text(f"<!doctype html><meta charset=utf-8><body>{svg}" + PROBE % MEASURE,
                    encoding="utf-8")  # fmt: skip
    result = evaluate(page, tmp_path / "profile", width=1400)
    assert result["resources"] == []
    cell = float(re.search(r"cell width ([0-9.]+)", svg).group(1))  # type: ignore[union-attr]
    runs = result["runs"]
    cjk = [r for r in runs if "哈萨克" in r["text"]]
    assert cjk, runs
    for r in cjk:
        wide = sum(2 if "\u4e00" <= ch <= "\u9fff" else 1 for ch in r["text"])
        assert abs(r["width"] - wide * cell) < 1, (r, wide * cell)
    # every run ends where the next one on its line begins: nothing squashed or overlapping
    lines: dict[float, list[dict[str, Any]]] = {}
    for r in runs:
        lines.setdefault(r["y"], []).append(r)
    for line in lines.values():
        line.sort(key=lambda r: r["x"])
        for a, b in pairwise(line):
            assert a["x"] + a["width"] <= b["x"] + cell / 4, (a, b)
