"""``silkchain datasets | info | validate``: what is available and what a table holds."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from silkchain.cli.common import (
    TABLE_HELP,
    console,
    error_message,
    out,
    user_errors,
    with_progress,
)
from silkchain.errors import IOTableError, ParserError, SilkchainError
from silkchain.io.registry import datasets as list_datasets
from silkchain.io.registry import read

JSON_HELP = "Print JSON on stdout instead of a table."


def _json(value: Any) -> str:
    """JSON with non-finite numbers as ``null`` (JSON has no NaN)."""

    def clean(v: Any) -> Any:
        if isinstance(v, float) and not math.isfinite(v):
            return None
        if isinstance(v, dict):
            return {str(k): clean(x) for k, x in v.items()}
        if isinstance(v, (list, tuple)):
            return [clean(x) for x in v]
        if hasattr(v, "item"):
            return clean(v.item())
        return v

    return json.dumps(clean(value), indent=1, ensure_ascii=False)


def datasets_cmd(
    as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False,
) -> None:
    """List the datasets that can be read by id (bundled and in the local store)."""
    frame = list_datasets()
    problem = frame.attrs.get("store_problem")
    if problem:
        console.print(f"note: the local store's datasets are not listed: {problem}",
                      highlight=False, markup=False)
    if as_json:
        out.print(_json(frame.to_dict(orient="records")), highlight=False, markup=False,
                  soft_wrap=True)
        return
    table = Table(title="silkchain datasets")
    rows = [[_cell(v) for v in row] for row in frame.itertuples(index=False)]
    for i, col in enumerate(frame.columns):
        width = max([len(col), *(len(row[i]) for row in rows)])
        table.add_column(col, no_wrap=True, min_width=width)  # no value is ever cut
    for cells in rows:
        table.add_row(*cells)
    out.print(table)


def _cell(value: object) -> str:
    """A value as the datasets table shows it: a year without ``.0``, nothing for none.

    >>> _cell(2011.0), _cell(float("nan")), _cell(None), _cell("WIOD")
    ('2011', '', '', 'WIOD')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _share(value: float, total: float) -> tuple[float | None, str]:
    """A share in percent, or why it is undefined."""
    if total <= 0 or not math.isfinite(total):
        return None, "n/a (no exports in the table)"
    return 100 * value / total, f"{100 * value / total:.2f}"


def info_cmd(
    table: Annotated[str, typer.Argument(help=TABLE_HELP)],
    top: Annotated[int, typer.Option(min=1, max=100, help="How many exporters to list.")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False,
) -> None:
    """Dimensions, totals, balance summary and largest exporters of TABLE."""
    with user_errors():
        t = with_progress(f"reading {table}", read, table)
        s = t.summary()
        exp = t.exports_by_country().head(top)
    total = float(t.E.sum())
    shares = {str(code): _share(float(value), total) for code, value in exp.items()}
    meta = {key: t.meta[key] for key in ("source", "release", "year", "currency", "unit",
                                         "x_policy") if key in t.meta}
    if as_json:
        out.print(_json({"table": table, **meta, **s, "largest_exporters": [
            {"country": str(code), "gross_exports": float(value),
             "share_percent": shares[str(code)][0],
             **({"note": shares[str(code)][1]} if shares[str(code)][0] is None else {})}
            for code, value in exp.items()]}), highlight=False, markup=False, soft_wrap=True)
        return
    grid = Table(title=f"{table}", show_header=False)
    grid.add_column("item")
    grid.add_column("value", justify="right")
    for key, value in meta.items():
        grid.add_row(key, str(value))
    for key, value in s.items():
        grid.add_row(key.replace("_", " "), f"{value:,.6g}" if isinstance(value, float)
                     else str(value))
    out.print(grid)
    tops = Table(title=f"largest {top} exporters")
    tops.add_column("country")
    tops.add_column("gross exports", justify="right")
    tops.add_column("share %", justify="right")
    for code, value in exp.items():
        tops.add_row(str(code), f"{value:,.0f}", shares[str(code)][1])
    out.print(tops)
    if total <= 0:
        console.print("note: the table has no exports (one country or no trade), so export "
                      "shares are undefined", highlight=False, markup=False)


def validate_cmd(
    file: Annotated[Path, typer.Argument(help="A table file (.npz interchange layout or a "
                                                "release file with a reader).")],
) -> None:
    """Check FILE and print every problem on stdout; exit code 1 when it is invalid.

    A file that is missing or cannot be read is reported as such (exit code 1). A dataset
    id (``wiod2013:2011`` or an id of the local store) is checked the same way.
    """
    # A dataset id (``wiod2013:2011``, an id of the store) is checked like a file.
    is_id = not file.exists() and ":" in str(file) and "/" not in str(file)
    if not file.exists() and not is_id:
        out.print(f"{file}: no such file", highlight=False, markup=False, soft_wrap=True)
        raise typer.Exit(1)
    try:
        t = with_progress(f"validating {file}", read, str(file))
    except (IOTableError, ParserError) as err:
        problems = getattr(err, "problems", [str(err)])
        out.print(f"{file} is invalid ({len(problems)} problem"
                  f"{'s' * (len(problems) != 1)}):", highlight=False, markup=False,
                  soft_wrap=True)
        for p in problems:
            out.print(f"  - {p}", highlight=False, markup=False, soft_wrap=True)
        raise typer.Exit(1) from None
    except (SilkchainError, OSError, UnicodeError, ValueError, OverflowError) as err:
        out.print(f"{file} cannot be read: {error_message(err)}", highlight=False,
                  markup=False, soft_wrap=True)
        raise typer.Exit(1) from None
    s = t.summary()
    out.print(f"{file}: valid ({s['countries']} countries x {s['sectors']} sectors, "
              f"{s['final_demand_categories']} final-demand "
              f"categor{'y' if s['final_demand_categories'] == 1 else 'ies'}; largest row gap "
              f"{s['max_row_gap']:.6g}; {s['zero_output_industries']} zero-output industries)",
              highlight=False, soft_wrap=True)


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.command("datasets")(datasets_cmd)
    app.command("info")(info_cmd)
    app.command("validate")(validate_cmd)
