"""``silkchain import``: convert a release file once into the local store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from silkchain.cli.common import console, out, user_errors, with_progress


def import_cmd(
    path: Annotated[Path, typer.Argument(help="A release file as downloaded (CSV, xlsx, "
                                              "xlsb or zip).", exists=True, dir_okay=False)],
    source: Annotated[str | None, typer.Option(help="Source name (oecd-icio, wiod, adb-mrio, "
                                                    "eora26, figaro, exiobase, generic); "
                                                    "detected when absent.")] = None,
    year: Annotated[int | None, typer.Option(help="Year of the table, when the file name "
                                                  "does not say.")] = None,
    keep_splits: Annotated[bool, typer.Option(
        "--keep-splits", help="OECD ICIO: keep CN1/CN2 and MX1/MX2 as separate countries.")
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="Import again even if the same "
                                                        "file is stored.")] = False,
) -> None:
    """Read PATH once into the local store and print its dataset id (e.g. oecd-icio-2023:2020)."""
    from silkchain.store import Store

    store = Store()
    with user_errors():
        dataset_id, status = with_progress(
            f"importing {path.name}", store.import_file, path, source, year=year,
            keep_splits=keep_splits, force=force)
    console.print(f"{status}: {path.name} -> {dataset_id} (store: {store.root})",
                  highlight=False)
    out.print(dataset_id, highlight=False, markup=False)


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.command("import")(import_cmd)
