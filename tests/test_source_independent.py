"""Nothing above the readers names a release's own codes (sectors or countries).

The report, the dashboard, the Belt and Road answers and the scenario defaults name
sectors in the broad classification (``silkchain.concordances.broad``) and countries in
ISO 3166 alpha-3; each release's codes live only in its reader, the concordances and
the group data.
"""

from __future__ import annotations

import ast
import csv
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "src" / "silkchain"
MAPS = ROOT / "concordances" / "broad_maps"
#: Packages that must be source independent.
PACKAGES = ("report", "dashboard", "bri", "scenarios")
#: Country codes that belong to one release (not ISO 3166 alpha-3).
COUNTRY_CODES = {"ROM", "RoW", "CN1", "CN2", "MX1", "MX2", "ROW"}


def sector_codes() -> set[str]:
    """Every release sector code with a letter and a digit (``c4``, ``D01T02``, ``15t16``)."""
    codes = {f"c{i}" for i in range(1, 57)}  # WIOD's and ADB's short codes
    for path in MAPS.glob("*.csv"):
        with path.open(encoding="utf-8") as fh:
            for row in csv.DictReader(line for line in fh if not line.startswith("#")):
                code = row["code"]
                if re.search(r"\d", code) and re.search(r"[A-Za-z]", code):
                    codes.add(code)
    return codes


def _docstrings(tree: ast.AST) -> set[int]:
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                out.add(id(body[0].value))
    return out


def findings(text: str, codes: set[str]) -> list[str]:
    """Code names in string constants: exact constants anywhere, words outside docstrings."""
    tree = ast.parse(text)
    docs = _docstrings(tree)
    word = re.compile(r"(?<![\w.-])(" + "|".join(
        sorted(map(re.escape, codes), key=len, reverse=True)) + r")(?![\w-])")
    out = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
            continue
        if node.value in codes:
            out.append(f"line {node.lineno}: {node.value!r}")
        elif id(node) not in docs:
            out += [f"line {node.lineno}: {m.group(1)!r} in {node.value[:60]!r}"
                    for m in word.finditer(node.value)]
    return out


def test_the_scan_finds_a_wiod_default() -> None:
    codes = sector_codes() | COUNTRY_CODES
    bad = 'SCENARIO = {"sector": ["c4", "c5"], "text": "textiles (D13T15)", "to": "RoW"}\n'
    assert len(findings(bad, codes)) == 4
    assert findings('"""Docstrings may cite c1 + c2 x."""\nX = "textiles"\n', codes) == []


@pytest.mark.parametrize("package", PACKAGES)
def test_no_release_code_above_the_readers(package: str) -> None:
    codes = sector_codes() | COUNTRY_CODES
    found = [f"{path.relative_to(ROOT)} {hit}" for path in sorted((ROOT / package).rglob("*.py"))
             for hit in findings(path.read_text(encoding="utf-8"), codes)]
    assert not found, "release codes above the readers:\n" + "\n".join(found)
