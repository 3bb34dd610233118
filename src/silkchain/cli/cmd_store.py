"""``silkchain store check | repair [ID] | remove ID | clear-cache``: look after the local store."""

from __future__ import annotations

from typing import Annotated

import typer

from silkchain.cli.common import console, fail, out, user_errors
from silkchain.io.store import Store

store_app = typer.Typer(help="The local table store (see docs/store.md): check it, repair a "
                        "table or the catalogue, remove a table, clear cached results.",
                        no_args_is_help=True)


def _store() -> Store:
    return Store()


@store_app.command("check")
def check_cmd() -> None:
    """Verify every stored table (files, content hashes) and list leftovers; exit 1 on a problem."""
    with user_errors():
        store = _store()
        problems = store.check()
        count = len(store.catalog()) if not problems or "catalogue" not in problems[0] else 0
    if problems:
        console.print(f"{store.root}: {len(problems)} problem{'s' * (len(problems) != 1)}:",
                      highlight=False, markup=False, soft_wrap=True)
        for p in problems:
            console.print(f"  - {p}", highlight=False, markup=False, soft_wrap=True)
        raise typer.Exit(1)
    out.print(f"{store.root}: {count} table{'s' * (count != 1)}, all intact", highlight=False,
              markup=False, soft_wrap=True)


@store_app.command("repair")
def repair_cmd(
    dataset_id: Annotated[str | None, typer.Argument(
        metavar="[ID]", help="A stored dataset id: import it again from its source file. "
        "Without an id: rebuild an unreadable catalogue and remove leftovers.")] = None,
) -> None:
    """Repair one stored table, or the store itself (catalogue, leftovers)."""
    with user_errors():
        done = _store().repair(dataset_id)
    for line in done:
        console.print(line, highlight=False, markup=False, soft_wrap=True)
    if not done:
        console.print("nothing to repair", highlight=False)


@store_app.command("remove")
def remove_cmd(
    dataset_id: Annotated[str, typer.Argument(metavar="ID", help="A stored dataset id.")],
) -> None:
    """Remove a stored table (its catalogue row, then its folder), even a damaged one."""
    if dataset_id.startswith("wiod2013:"):
        raise fail(f"{dataset_id} is bundled with silkchain, not stored; nothing to remove")
    with user_errors():
        _store().remove(dataset_id)
    console.print(f"removed {dataset_id}", highlight=False, markup=False)


@store_app.command("clear-cache")
def clear_cache_cmd() -> None:
    """Remove the cached results (panels, answers, scenarios); the tables stay."""
    with user_errors():
        files, nbytes = _store().clear_frames()
    size = f"{nbytes / 1e6:.1f} MB" if nbytes >= 1e5 else f"{nbytes / 1e3:.0f} kB"
    console.print(f"removed {files} cached result{'s' * (files != 1)} ({size})"
                  if files else "no cached results", highlight=False, markup=False)


def register(app: typer.Typer) -> None:
    """Add ``store`` to ``app``."""
    app.add_typer(store_app, name="store")
