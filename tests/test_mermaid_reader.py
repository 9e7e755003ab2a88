"""`export --format mermaid` and `mermaid-td` drawn by the current Mermaid (npm package
`mermaid`, in headless Chromium): both parse and draw; the vertical one is narrow."""

from __future__ import annotations

import json
import re
import subprocess
from html import unescape
from pathlib import Path
from typing import Any

from conftest import run
from readers import chromium, node_package

NASTY = 'a : b ; c # d %% e <br> f > g & "h" \u4e2d\u6587 \U0001f600'


def draw(diagrams: dict[str, str], tmp_path: Path) -> dict[str, Any]:
    script = node_package("mermaid") / "dist" / "mermaid.min.js"
    page = tmp_path / "mermaid.html"
    page.write_text(
        f"""<!doctype html><meta charset=utf-8><body><pre id="result"></pre>
<script src="{script.as_uri()}"></script>
<script>
const DIAGRAMS = {json.dumps(diagrams)};
mermaid.initialize({{startOnLoad: false}});
(async () => {{
  const out = {{}};
  for (const [name, text] of Object.entries(DIAGRAMS)) {{
    try {{
      const {{svg}} = await mermaid.render("d" + name, text);
      const holder = document.createElement("div");
      holder.innerHTML = svg;
      document.body.appendChild(holder);
      const box = holder.querySelector("svg").getBBox();
      out[name] = {{width: box.width, height: box.height,
                    text: holder.querySelector("svg").textContent}};
    }} catch (e) {{ out[name] = {{error: String(e)}}; }}
  }}
  document.getElementById("result").textContent = JSON.stringify(out);
}})();
</script>""",
        encoding="utf-8",
    )
    proc = subprocess.run(
        [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=20000",
         "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-2000:]
    found = re.search(r'<pre id="result">(.*?)</pre>', proc.stdout, re.DOTALL)
    assert found and found.group(1), proc.stdout[-2000:]
    result: dict[str, Any] = json.loads(unescape(found.group(1)))
    return result


def test_both_layouts_draw_and_the_vertical_one_is_narrow(store: Path, tmp_path: Path) -> None:
    added = run("--store", str(store), "add", "2024-07-05", NASTY, "-c", "kz", "-c", "china")
    assert added.code == 0, added.err
    diagrams = {}
    for fmt in ("mermaid", "mermaid-td"):
        ran = run("--store", str(store), "export", "--format", fmt)
        assert ran.code == 0, ran.err
        diagrams[fmt] = ran.out
    drawn = draw(diagrams, tmp_path)
    across, down = drawn["mermaid"], drawn["mermaid-td"]
    assert "error" not in across and "error" not in down, drawn
    # the example: the bundled timeline drawn across is a strip thousands of px wide
    assert across["width"] > 5000
    assert down["width"] < 1500 and down["height"] > 5000
    for shown in (across["text"], down["text"]):
        flat = re.sub(r"\s+", "", shown)
        assert re.sub(r"\s+", "", NASTY) in flat
