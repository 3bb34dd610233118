"""The floors of docs/architecture.md: no import upward, nothing loaded by name."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "src" / "silkchain"

#: Package (first name under silkchain) -> floor; a module imports only its floor or below.
FLOORS = {
    "errors": 0, "core": 1, "labels": 2, "table": 2,
    "aggregation": 3, "io": 3, "concordances": 3, "groups": 3,
    "measures": 4, "panel": 5, "scenarios": 6, "bri": 6,
    "report": 7, "dashboard": 7, "cli": 7,
}
#: Entry points that sit above every floor.
TOP = {"__init__", "__main__"}
#: Known upward imports, each with its reason (keep this short; every entry is a debt).
ALLOWED = {
    ("table.py", "silkchain.io.pymrio"): "MRIOTable.to_pymrio(), a lazy convenience bridge",
}


def _package(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _imports(path: Path) -> list[tuple[str, int]]:
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(a.name, node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append((node.module, node.lineno))
    return out


def test_no_module_imports_a_higher_floor() -> None:
    upward = []
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT)
        src = rel.parts[0].removesuffix(".py") if len(rel.parts) > 1 else rel.stem
        if src in TOP or src == "data":
            continue
        assert src in FLOORS, f"{rel}: package {src!r} has no floor in docs/architecture.md"
        for name, line in _imports(path):
            if name.startswith("silkchain."):
                dst = _package(name)
                if (dst in FLOORS and FLOORS[dst] > FLOORS[src]
                        and (rel.as_posix(), name) not in ALLOWED):
                    upward.append(f"{rel}:{line} imports {name} (floor {FLOORS[dst]} > "
                                  f"{FLOORS[src]})")
    assert not upward, "imports upward:\n" + "\n".join(upward)


def test_nothing_is_imported_by_name() -> None:
    found = []
    for path in ROOT.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            by_name = ((isinstance(node, ast.Attribute) and node.attr == "import_module")
                       or (isinstance(node, ast.Name)
                           and node.id in ("import_module", "__import__")))
            if by_name:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not found, "modules loaded by name: " + ", ".join(found)


def test_the_floors_table_of_the_docs_names_every_package() -> None:
    text = (ROOT.parent.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
    missing = [p for p in FLOORS if f"silkchain.{p}" not in text and p not in ("labels",
                                                                                 "table")]
    assert not missing, f"packages missing from docs/architecture.md: {missing}"
