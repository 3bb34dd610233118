"""``silkchain compare``: one measure from two sources, side by side with the difference."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from silkchain.cli.common import console, user_errors, with_progress, write_frame

SOURCE_HELP = ("A dataset id (wiod2013:2011), a table file, or a source name with several "
               "years (wiod2013, a dataset imported into the store).")


def compare_cmd(
    measure: Annotated[str, typer.Argument(help="A measure of the catalogue (see `silkchain "
                                           "indicators --help`): vax, bm_sector, exposure, ...")],
    source_a: Annotated[str, typer.Argument(metavar="SOURCE_A", help=SOURCE_HELP)],
    source_b: Annotated[str, typer.Argument(metavar="SOURCE_B", help=SOURCE_HELP)],
    output: Annotated[Path, typer.Option("--output", "-o", help="Output file: .csv, .parquet "
                                         "or .xlsx.")],
    years: Annotated[str | None, typer.Option(help="Years both sources have, e.g. "
                                              "2010-2011 or 2005,2010 (default: all).")] = None,
) -> None:
    """MEASURE from SOURCE_A and SOURCE_B side by side, with the difference.

    Common countries (others in an explicit ROW) and common broad sectors: value_a,
    value_b and difference (b - a).
    """
    from silkchain.measures.compare import compare

    with user_errors():
        frame = with_progress(f"{measure}: {source_a} vs {source_b}", compare, measure,
                              source_a, source_b, years)
    write_frame(frame, output, sheet="compare")
    for year, info in frame.attrs["harmonisation"].items():
        row = {k: ", ".join(v) or "-" for k, v in info["merged_into_row"].items()}
        other = {k: ", ".join(v) or "-" for k, v in info["merged_into_other"].items()}
        console.print(f"{year}: {len(info['countries'])} common countries; in ROW: "
                      f"{row['a']} (A), {row['b']} (B); broad sectors in 'other': "
                      f"{other['a']} (A), {other['b']} (B)", highlight=False, soft_wrap=True)
    console.print(f"wrote {len(frame):,} rows to {output}", highlight=False)


def register(app: typer.Typer) -> None:
    """Add ``compare`` to ``app``."""
    app.command("compare")(compare_cmd)
