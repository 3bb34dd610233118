"""Every ``>>>`` example in docs/ runs, page by page (one namespace per page)."""

from __future__ import annotations

import doctest
import os
from pathlib import Path

import pytest
from _pytest.doctest import _get_checker

DOCS = Path(__file__).resolve().parent.parent / "docs"
PAGES = sorted(p for p in DOCS.rglob("*.md") if ">>> " in p.read_text())


def fenced_blocks(text: str) -> list[tuple[str, str]]:
    """``(info string, body)`` of every fenced block (``` or ~~~), in order."""
    blocks: list[tuple[str, str]] = []
    fence, info, body = "", "", []
    for line in text.splitlines():
        stripped = line.strip()
        if not fence:
            if stripped.startswith(("```", "~~~")):
                fence = stripped[:3]
                info, body = stripped[3:].strip().lower(), []
        elif stripped.startswith(fence) and not stripped[3:].strip():
            blocks.append((info, "\n".join(body) + "\n"))
            fence = ""
        else:
            body.append(line)
    return blocks


def examples(page: Path) -> str:
    """The Python blocks of ``page`` that hold ``>>>`` lines, joined."""
    return "\n".join(body for info, body in fenced_blocks(page.read_text())
                     if info in ("", "python", "pycon", "py") and ">>> " in body)


def test_docs_have_examples() -> None:
    assert PAGES, "no runnable examples found under docs/"
    for page in PAGES:
        if ">>> " in page.read_text():
            assert examples(page), f"{page}: '>>>' lines outside a python block"


def test_fence_parser_keeps_blocks_apart() -> None:
    text = "```yaml\na: 1\n```\ntext\n```python\n>>> 1 + 1\n2\n```\n"
    assert fenced_blocks(text) == [("yaml", "a: 1\n"), ("python", ">>> 1 + 1\n2\n")]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(DOCS)))
def test_example_blocks_end_with_a_blank_line(page: Path) -> None:
    """A fence right after an example's output would be read as output by plain
    ``pytest --doctest-glob='*.md'``; every block ends with a blank line instead."""
    ends = [body.splitlines()[-1] for info, body in fenced_blocks(page.read_text())
            if info in ("", "python", "pycon", "py") and ">>> " in body]
    assert all(not line.strip() for line in ends), (
        f"{page.name}: a python block with examples ends without a blank line before its "
        f"closing fence (last lines: {[e for e in ends if e.strip()]})")


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


def test_example_files_named_in_the_docs_exist() -> None:
    """Every ``docs/examples/...`` file a page or the README names is shipped."""
    root = DOCS.parent
    import re

    named = set()
    for page in [root / "README.md", *DOCS.rglob("*.md")]:
        named |= set(re.findall(r"docs/examples/[\w./-]+\.(?:yaml|yml|csv|md)", page.read_text()))
    assert named, "no example file is named anywhere"
    missing = sorted(n for n in named if not (root / n).is_file())
    assert not missing, f"named in the docs but not shipped: {missing}"
