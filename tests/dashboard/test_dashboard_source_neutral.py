"""No release's sector codes in the dashboard or the report's presentation modules."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "silkchain"
FILES = sorted([*(SRC / "dashboard").rglob("*.py"), *(SRC / "dashboard").rglob("*.html"),
                *(SRC / "dashboard").rglob("*.js"),
                *[SRC / "report" / f for f in ("sections.py", "charts.py", "page.py",
                                               "excel.py", "document.py", "assets.py",
                                               "glossary.py", "outputs.py")],
                *(SRC / "report" / "templates").rglob("*.html")])
#: Sector codes of the releases: WIOD 2013 (c1..c35), WIOD 2016 / ISIC rev. 4 letters with
#: digits (C10-C12), OECD ICIO (D10T12, D01T02), ADB MRIO (c1..c35 as WIOD), Eora26
#: (Agriculture..), EXIOBASE product codes (i01.a), FIGARO CPA codes (CPA_C10-12).
CODE = re.compile(r"""["'](c\d{1,2}|[A-U]\d{2}(?:[-_]\d{2})?|D\d{2}T\d{2}|D\d{2}|i\d{2}\.\w+|"""
                  r"""CPA_[A-U]\d*(?:-\d+)?)["']""")


def test_the_modules_are_found():
    assert len(FILES) > 12 and all(p.exists() for p in FILES)


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(SRC)))
def test_no_release_sector_code_appears(path: Path):
    found = [(i, m.group(0)) for i, line in enumerate(path.read_text().splitlines(), 1)
             for m in CODE.finditer(line)
             if not line.lstrip().startswith((">>>", "..."))]  # doctests may name codes
    assert not found, f"{path.name}: release sector codes at (line, code) {found}"


def test_the_pattern_catches_release_codes_and_spares_country_codes():
    for code in ('"c4"', "'c35'", '"D10T12"', '"C10-12"', '"i01.a"', '"CPA_C10-12"'):
        assert CODE.search(code), code
    for text in ('"CHN"', '"bri64"', '"textiles"', '"USA"', '"c"'):
        assert not CODE.search(text), text
