"""store/ has no import loops (counting imports inside functions too) and no module of
dtimeline takes another's private names from store/."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "dtimeline"


def _imports(path: Path) -> set[tuple[str, str]]:
    """(module, name) of every ``from dtimeline.x import name`` and ``import dtimeline.x``
    run at some time (at import or inside a function; not under TYPE_CHECKING)."""
    found: set[tuple[str, str]] = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for block in ast.walk(tree):  # type-only imports are no loop: drop them
        if isinstance(block, ast.If) and ast.unparse(block.test) == "TYPE_CHECKING":
            block.body = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("dtimeline"):
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                is_module = (PACKAGE.parent / (sub.replace(".", "/") + ".py")).is_file()
                found.add((sub, "") if is_module else (node.module, alias.name))
        elif isinstance(node, ast.Import):
            found |= {(a.name, "") for a in node.names if a.name.startswith("dtimeline")}
    return found


def _module(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
    return ".".join(parts)


def test_store_has_no_import_loops() -> None:
    store = {_module(p): p for p in (PACKAGE / "store").glob("*.py")}
    graph = {
        name: {m for m, _ in _imports(path) if m in store and m != name and
               not m.endswith(".store")}  # the package's __init__ only re-exports
        for name, path in store.items() if not name.endswith(".store")
    }  # fmt: skip
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        if state.get(node) == 2:
            return
        assert state.get(node) != 1, "import loop: " + " -> ".join([*trail, node])
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            visit(nxt, [*trail, node])
        state[node] = 2

    for name in sorted(graph):
        visit(name, [])


def test_no_private_names_of_store_modules_are_taken() -> None:
    for path in PACKAGE.rglob("*.py"):
        here = _module(path)
        for module, name in _imports(path):
            if module.startswith("dtimeline.store") and module != here:
                assert not name.startswith("_"), f"{here} takes {module}.{name}"
