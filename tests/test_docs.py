"""Every ``>>>`` example in docs/ runs, page by page (one namespace per page)."""

from __future__ import annotations

import doctest
import os
import re
from pathlib import Path

import pytest
from _pytest.doctest import _get_checker

DOCS = Path(__file__).resolve().parent.parent / "docs"
FENCE = re.compile(r"^```(?:python|pycon|py)?[ \t]*\n(.*?)^```", re.S | re.M)
PAGES = sorted(p for p in DOCS.rglob("*.md") if ">>> " in p.read_text())


def examples(page: Path) -> str:
    """The fenced code blocks of ``page`` that hold ``>>>`` lines, joined."""
    blocks = [m.group(1) for m in FENCE.finditer(page.read_text()) if ">>> " in m.group(1)]
    return "\n".join(blocks)


def test_docs_have_examples() -> None:
    assert PAGES, "no runnable examples found under docs/"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(DOCS)))
def test_doc_page_examples_run(page: Path, tmp_path: Path,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # examples that write files write here
    monkeypatch.setenv("SILKCHAIN_HOME", str(tmp_path / "home"))
    parser = doctest.DocTestParser()
    test = parser.get_doctest(examples(page), {"__name__": "__docs__"}, page.name,
                              str(page), 0)
    number = doctest.register_optionflag("NUMBER")  # pytest's flag: compare floats as printed
    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE | number
    runner = doctest.DocTestRunner(checker=_get_checker(), optionflags=flags)
    out: list[str] = []
    runner.run(test, out=out.append)
    assert runner.failures == 0, "".join(out)
    assert os.getcwd() == str(tmp_path)
