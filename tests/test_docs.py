"""Every example in docs/ and the README runs, page by page.

``>>>`` examples run as doctests (one namespace per page); ``console`` blocks run their
``$ silkchain ...`` commands and compare what they print, exactly as shown
(conventions: tests/docs_console.py and docs/contributing.md).
"""

from __future__ import annotations

import doctest
import os
from pathlib import Path

import pytest
from _pytest.doctest import _get_checker

from tests import docs_console
from tests.docs_console import fenced_blocks

DOCS = Path(__file__).resolve().parent.parent / "docs"
PAGES = sorted(p for p in [DOCS.parent / "README.md", *DOCS.rglob("*.md")]
               if ">>> " in p.read_text())


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


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(DOCS.parent)))
def test_example_blocks_end_with_a_blank_line(page: Path) -> None:
    """A fence right after an example's output would be read as output by plain
    ``pytest --doctest-glob='*.md'``; every block ends with a blank line instead."""
    ends = [body.splitlines()[-1] for info, body in fenced_blocks(page.read_text())
            if info in ("", "python", "pycon", "py") and ">>> " in body]
    assert all(not line.strip() for line in ends), (
        f"{page.name}: a python block with examples ends without a blank line before its "
        f"closing fence (last lines: {[e for e in ends if e.strip()]})")


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(DOCS.parent)))
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


CONSOLE_PAGES = sorted(p for p in [DOCS.parent / "README.md", *DOCS.rglob("*.md")]
                       if docs_console.commands(p.read_text()))


def test_console_examples_exist() -> None:
    assert any(p.name == "README.md" for p in CONSOLE_PAGES), "README.md has no console block"
    assert len(CONSOLE_PAGES) >= 10, [p.name for p in CONSOLE_PAGES]


def test_console_parser_and_checker() -> None:
    page = "```console\n$ silkchain a \\\n  --b x\nline 1\n...\n$ silkchain c\n```\n"
    first, second = docs_console.commands(page)
    assert (first.line, first.want) == ("silkchain a --b x", "line 1\n...\n")
    assert docs_console.check(first, 0, "line 1\nline 2\nline 3\n") is None
    assert "printed something else" in str(docs_console.check(first, 0, "line 2\n"))
    assert "shows no output" in str(docs_console.check(second, 0, ""))
    failing = docs_console.Command("silkchain x", "wrote x\n", 1)
    assert "exited with code 1" in str(docs_console.check(failing, 1, "wrote x\n"))
    with pytest.raises(ValueError, match="before the first"):
        docs_console.commands("```console\nsilkchain x\n```\n")


@pytest.mark.parametrize("page", CONSOLE_PAGES, ids=lambda p: str(p.relative_to(DOCS.parent)))
def test_console_examples_print_what_the_page_shows(page: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    env = docs_console.prepare(work)
    problems = []
    for command in docs_console.commands(page.read_text()):
        code, got = docs_console.run(command, work, env)
        problem = docs_console.check(command, code, got)
        if problem:
            problems.append(f"console block {command.block}: {problem}")
    assert not problems, f"{page.name}:\n" + "\n".join(problems)


@pytest.mark.parametrize("page", [DOCS.parent / "README.md", *sorted(DOCS.rglob("*.md"))],
                         ids=lambda p: str(p.relative_to(DOCS.parent)))
def test_prompts_only_in_console_blocks(page: Path) -> None:
    """A ``$ `` prompt marks a command the suite runs: outside a ``console`` block it would
    be shown and never checked (commands that cannot run go in ``sh`` blocks, no prompt)."""
    stray = [line for info, body in fenced_blocks(page.read_text()) if info != "console"
             for line in body.splitlines() if line.startswith("$ ")]
    assert not stray, f"{page.name}: '$ ' prompts outside a console block: {stray}"


def test_every_command_page_runs_a_command() -> None:
    """Every command's page shows it run on the bundled data (``serve`` starts a server
    that does not return: its page runs ``--help`` in Python instead)."""
    pages = sorted((DOCS / "commands").glob("*.md"))
    assert len(pages) >= 15
    without = [p.name for p in pages if p.name != "serve.md"
               and not any(c.line.startswith(f"silkchain {p.stem}")
                           for c in docs_console.commands(p.read_text()))]
    assert not without, f"command pages without a console example of their command: {without}"
