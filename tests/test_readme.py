"""The README's set-up commands are what CI runs."""

from __future__ import annotations

from conftest import ROOT


def test_ci_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = [b.split("```", 1)[0].strip() for b in readme.split("```sh\n")[1:3]]
    install_and_show, install_and_test = blocks
    assert install_and_show.endswith("dtimeline show kazakhstan")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert install_and_test + " || status=1" in ci
