"""Every command and measure page is reachable from docs/index.md, and links resolve."""

from __future__ import annotations

import re
from pathlib import Path

import typer.main

from silkchain.cli.app import build_app

DOCS = Path(__file__).resolve().parent.parent / "docs"
LINK = re.compile(r"\]\(([^)#]+\.md)(?:#[^)]*)?\)")


def test_every_command_has_a_page() -> None:
    group = typer.main.get_command(build_app())
    missing = [name for name in group.commands  # type: ignore[attr-defined]
               if not (DOCS / "commands" / f"{name}.md").exists()]
    assert not missing, f"commands without a page under docs/commands/: {missing}"


def test_every_page_is_linked_from_the_index_and_links_resolve() -> None:
    pages = {p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md")} - {"index.md"}
    index = (DOCS / "index.md").read_text()
    linked = set(LINK.findall(index))
    reachable = set(linked)
    for page in linked:  # one level down (section index pages)
        base = (DOCS / page).parent
        for target in LINK.findall((DOCS / page).read_text()):
            reachable.add((base / target).resolve().relative_to(DOCS.resolve()).as_posix())
    assert not pages - reachable, f"pages not reachable from docs/index.md: {pages - reachable}"
    broken = []
    for page in DOCS.rglob("*.md"):
        for target in LINK.findall(page.read_text()):
            if not target.startswith("http") and not (page.parent / target).exists():
                broken.append(f"{page.relative_to(DOCS)} -> {target}")
    assert not broken, f"broken links: {broken}"
