"""``silkchain datasets | info | validate``: what is available and what a table holds."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from silkchain.cli.common import TABLE_HELP, console, out, user_errors, with_progress
from silkchain.errors import IOTableError, ParserError
from silkchain.io.registry import datasets as list_datasets
from silkchain.io.registry import read


def datasets_cmd() -> None:
    """List the datasets that can be read by id (bundled and in the local store)."""
    frame = list_datasets()
    table = Table(title="silkchain datasets")
    for col in frame.columns:
        table.add_column(col)
    for row in frame.itertuples(index=False):
        table.add_row(*[str(v) for v in row])
    out.print(table)


def info_cmd(
    table: Annotated[str, typer.Argument(help=TABLE_HELP)],
    top: Annotated[int, typer.Option(min=1, max=100, help="How many exporters to list.")] = 10,
) -> None:
    """Dimensions, totals, balance summary and largest exporters of TABLE."""
    with user_errors():
        t = with_progress(f"reading {table}", read, table)
    s = t.summary()
    grid = Table(title=f"{table}", show_header=False)
    grid.add_column("item")
    grid.add_column("value", justify="right")
    for key in ("source", "release", "year", "currency", "unit", "x_policy"):
        if key in t.meta:
            grid.add_row(key, str(t.meta[key]))
    for key, value in s.items():
        grid.add_row(key.replace("_", " "), f"{value:,.6g}" if isinstance(value, float)
                     else str(value))
    out.print(grid)
    exp = t.exports_by_country().head(top)
    tops = Table(title=f"largest {top} exporters")
    tops.add_column("country")
    tops.add_column("gross exports", justify="right")
    tops.add_column("share %", justify="right")
    total = float(t.E.sum())
    for code, value in exp.items():
        tops.add_row(str(code), f"{value:,.0f}", f"{100 * value / total:.2f}")
    out.print(tops)


def validate_cmd(
    file: Annotated[Path, typer.Argument(help="A table file (.npz interchange layout or a "
                                                "release file with a reader).")],
) -> None:
    """Check FILE and print every problem; exit code 1 when it is invalid."""
    try:
        t = with_progress(f"validating {file}", read, str(file))
    except (IOTableError, ParserError) as err:
        problems = getattr(err, "problems", [str(err)])
        console.print(f"[bold red]{file} is invalid[/] ({len(problems)} problem"
                      f"{'s' * (len(problems) != 1)}):", highlight=False)
        for p in problems:
            out.print(f"  - {p}", highlight=False, markup=False, soft_wrap=True)
        raise typer.Exit(1) from None
    except Exception as err:  # an unreadable file is invalid too, with its reason
        from silkchain.errors import SilkchainError

        if not isinstance(err, (SilkchainError, OSError)):
            raise
        out.print(f"{file} is invalid: {err}", highlight=False, markup=False, soft_wrap=True)
        raise typer.Exit(1) from None
    s = t.summary()
    out.print(f"{file}: valid ({s['countries']} countries x {s['sectors']} sectors, "
              f"{s['final_demand_categories']} final-demand categories; largest row gap "
              f"{s['max_row_gap']:.6g}; {s['zero_output_industries']} zero-output industries)",
              highlight=False, soft_wrap=True)


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.command("datasets")(datasets_cmd)
    app.command("info")(info_cmd)
    app.command("validate")(validate_cmd)
