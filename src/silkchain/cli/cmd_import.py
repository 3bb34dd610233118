"""``silkchain import``: convert a release as downloaded once into the local store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from silkchain.cli.common import console, out, user_errors


def import_cmd(
    path: Annotated[Path, typer.Argument(help="A release as downloaded: a table file (CSV, "
                                              "xlsx, xlsb), a zip (one table or several "
                                              "years) or a folder of release files.",
                                         exists=True)],
    source: Annotated[str | None, typer.Option(help="Source name (oecd-icio, wiod, adb-mrio, "
                                                    "eora26, figaro, exiobase, generic); "
                                                    "detected, inside archives too, when "
                                                    "absent.")] = None,
    years: Annotated[str | None, typer.Option(help="Only these years of a multi-year "
                                                   "release, e.g. 2016-2020 or 2018,2020.")
                     ] = None,
    year: Annotated[int | None, typer.Option(help="Year of a single table, when its name "
                                                  "does not say.")] = None,
    keep_splits: Annotated[bool, typer.Option(
        "--keep-splits", help="OECD ICIO: keep CN1/CN2 and MX1/MX2 as separate countries.")
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="Import again even if the same "
                                                        "file is stored.")] = False,
    jobs: Annotated[int | None, typer.Option(help="Worker processes for the years of a large "
                                                  "release (default: one per CPU).", min=1)
                    ] = None,
) -> None:
    """Read PATH once into the local store and print each dataset id (e.g. oecd-icio-2023:2020).

    A multi-year zip (OECD ICIO, WIOD 2016), a workbook with a sheet per year
    (Long-run WIOD) or a folder imports every year it holds, with a progress
    bar; --years chooses among them.
    """
    from silkchain.io.sources.release import Imported, import_release
    from silkchain.io.store import Store
    from silkchain.panel import parse_years

    store = Store()
    with user_errors(), Progress(TextColumn("{task.description}"), BarColumn(),
                                 MofNCompleteColumn(), TimeElapsedColumn(), console=console,
                                 transient=True, disable=not console.is_terminal) as progress:
        task = progress.add_task(f"importing {path.name}", total=None)

        def started(n: int) -> None:
            progress.update(task, total=n)

        def done(res: Imported) -> None:
            progress.advance(task)
            progress.console.print(f"{res.status}: {escape(res.table)} -> {res.dataset_id}",
                                   highlight=False, soft_wrap=True)

        results = import_release(path, source, years=parse_years(years), year=year,
                                 store=store, keep_splits=keep_splits, force=force, jobs=jobs,
                                 on_start=started, on_done=done)
    console.print(f"store: {store.root}", highlight=False, soft_wrap=True)
    for res in sorted(results, key=lambda r: r.dataset_id):
        out.print(res.dataset_id, highlight=False, markup=False)


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.command("import")(import_cmd)
