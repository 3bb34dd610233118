"""``silkchain sda``: structural decomposition of a measure's change between two tables."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from silkchain.cli.common import TABLE_HELP, console, fail, user_errors, with_progress, write_frame
from silkchain.io.registry import read
from silkchain.measures.catalogue import MEASURES as CATALOGUE
from silkchain.measures.sda import MEASURES
from silkchain.measures.tidy import TABLE_CURRENCY, table_currency

MEASURE_HELP = "; ".join(f"{k}: {v}" for k, v in MEASURES.items())


class Level(StrEnum):
    """Level of detail."""

    country = "country"
    sector = "sector"
    bilateral = "bilateral"


class Method(StrEnum):
    """Averaging of the orderings of the factors."""

    polar = "polar"
    shapley = "shapley"


def sda_cmd(
    table_a: Annotated[str, typer.Argument(metavar="TABLE_A", help="Start: " + TABLE_HELP)],
    table_b: Annotated[str, typer.Argument(metavar="TABLE_B", help="End: " + TABLE_HELP)],
    output: Annotated[Path, typer.Option("--output", "-o", help="Output file: .csv, .parquet "
                                         "or .xlsx (country, sector, partner, term, value, "
                                         "unit).")],
    measure: Annotated[str, typer.Option(help=MEASURE_HELP)] = "dva_share",
    level: Annotated[Level, typer.Option(help="country, sector or bilateral.")
                     ] = Level.country,
    method: Annotated[Method, typer.Option(help="polar: average of the two polar "
                                           "decompositions (Dietzenbacher & Los 1998); "
                                           "shapley: average of all orderings.")
                      ] = Method.polar,
    split_b: Annotated[bool, typer.Option(
        "--split-b/--no-split-b", help="Split the Leontief inverse into technology and "
        "sourcing.")] = True,
    deflator: Annotated[Path | None, typer.Option(
        help="CSV of price indices of TABLE_B relative to TABLE_A (columns country[, sector], "
        "deflator); default: current prices.")] = None,
) -> None:
    """Why MEASURE changed from TABLE_A to TABLE_B (structural decomposition).

    Contributions of value-added coefficients, technology, sourcing, and the level,
    destination mix and product mix of final demand.

    Terms: start, end, change and one per factor; the factors add up to the change.
    """
    if measure not in MEASURES:
        raise fail(f"unknown SDA measure {measure!r}; available: {', '.join(MEASURES)}")
    suffix = output.suffix.lower()
    if suffix not in (".csv", ".parquet", ".xlsx"):
        raise fail(f"{output.name}: unsupported output suffix {suffix!r}; use .csv, .parquet "
                   "or .xlsx")
    if deflator is not None and not deflator.is_file():
        raise fail(f"{deflator}: deflator file not found")
    from silkchain.measures.sda import sda

    with user_errors():
        a = with_progress(f"reading {table_a}", read, table_a)
        b = with_progress(f"reading {table_b}", read, table_b)
        frame = with_progress(
            f"{measure} decomposition ({method.value})", sda, a, b, measure,
            level=level.value, method=method.value, split_b=split_b,
            deflator=None if deflator is None else str(deflator))
    unit = CATALOGUE[f"sda_{measure}"].unit
    currency = table_currency(a.meta)
    frame = frame.assign(unit=currency if currency and unit == TABLE_CURRENCY else unit)
    write_frame(frame, output, sheet="sda")
    console.print(f"{measure} from {frame.attrs['start']} to {frame.attrs['end']}, "
                  f"{frame.attrs['prices']}", highlight=False, soft_wrap=True)
    console.print(f"wrote {len(frame):,} rows to {output}", highlight=False)


def register(app: typer.Typer) -> None:
    """Add ``sda`` to ``app``."""
    app.command("sda")(sda_cmd)
