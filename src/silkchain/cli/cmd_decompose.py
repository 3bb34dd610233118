"""``silkchain decompose``: value-added decompositions of a table, written as a long file."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from silkchain.cli.common import TABLE_HELP, console, fail, user_errors, with_progress, write_frame
from silkchain.io.registry import read
from silkchain.io.write import check_excel_rows, estimate_rows
from silkchain.measures.catalogue import of_kind
from silkchain.measures.tidy import stamp, table_currency


def method_help() -> str:
    """The ``--method`` help: the catalogue's decompositions (read when the app is built)."""
    return ", ".join(f"{name} ({m.title})" for name, m in of_kind("decomposition").items())


#: The ``--method`` help; :func:`register` refreshes it from the catalogue.
METHOD_HELP = method_help()


class Level(StrEnum):
    """Level of detail."""

    country = "country"
    sector = "sector"
    bilateral = "bilateral"


class Perspective(StrEnum):
    """Borin & Mancini perimeter."""

    exporter = "exporter"
    world = "world"


class Approach(StrEnum):
    """Borin & Mancini accounting of value added that crosses borders several times."""

    source = "source"
    sink = "sink"


class Post(StrEnum):
    """What ``--method leontief`` decomposes."""

    exports = "exports"
    output = "output"
    final_demand = "final_demand"
    shares = "shares"


def parse_groups(specs: list[str] | None) -> dict[str, list[str]] | None:
    """``["EU3=DEU,FRA,ITA", ...]`` -> ``{"EU3": ["DEU", "FRA", "ITA"]}``.

    >>> parse_groups(["EU3=DEU,FRA, ITA"])
    {'EU3': ['DEU', 'FRA', 'ITA']}
    """
    if not specs:
        return None
    groups: dict[str, list[str]] = {}
    for spec in specs:
        name, sep, codes = spec.partition("=")
        members = [c.strip() for c in codes.split(",") if c.strip()]
        if not sep or not name.strip() or not members:
            raise fail(f"--group {spec!r}: expected NAME=CODE,CODE,... (for example "
                       "--group EU3=DEU,FRA,ITA)")
        if name.strip() in groups:
            raise fail(f"--group {name.strip()!r} is given twice")
        groups[name.strip()] = members
    return groups


def decompose_cmd(
    table: Annotated[str, typer.Argument(help=TABLE_HELP)],
    output: Annotated[Path, typer.Option("--output", "-o", help="Output file: .csv, .parquet "
                                         "or .xlsx (long layout).")],
    method: Annotated[str, typer.Option(help=METHOD_HELP)] = "wwz",
    level: Annotated[Level, typer.Option(help="country, sector or bilateral (supported "
                                         "levels depend on the method).")] = Level.country,
    perspective: Annotated[Perspective, typer.Option(help="exporter or world (bm only).")
                           ] = Perspective.exporter,
    approach: Annotated[Approach, typer.Option(help="source or sink (bm only).")
                        ] = Approach.source,
    group: Annotated[list[str] | None, typer.Option(
        "--group", metavar="NAME=CODE,CODE",
        help="Treat countries as one unit (repeatable).")] = None,
    post: Annotated[Post, typer.Option(help="What --method leontief decomposes.")
                    ] = Post.exports,
) -> None:
    """Decompose gross exports of TABLE by value-added origin and write a long file.

    Columns: year, exporter, sector, importer, term, value, unit (those the level
    has); for leontief: year, source_country, source_sector, country, sector, term,
    value, unit. Undefined values (a ratio of a table without exports) get a
    reason column and a note.
    """
    from silkchain.measures.decompose import decompose

    available = of_kind("decomposition")
    if method not in available:
        raise fail(f"unknown method {method!r}; available: {', '.join(available)}")
    groups = parse_groups(group)
    suffix = output.suffix.lower()
    if suffix not in (".csv", ".parquet", ".xlsx"):
        raise fail(f"{output.name}: unsupported output suffix {suffix!r}; use .csv, .parquet "
                   "or .xlsx")
    with user_errors():
        t = with_progress(f"reading {table}", read, table)
        if not groups:  # the table's own countries: refuse Excel before computing
            m = available[method]
            check_excel_rows(output, estimate_rows(t.G, t.N, m.columns.get(level.value, ()),
                                                   len(m.terms)),
                             what=f"{method} at {level.value} level", estimated=True)
        frame = with_progress(
            f"{method} decomposition ({level.value})", decompose, t, method,
            level=level.value, perspective=perspective.value, approach=approach.value,
            groups=groups, post=post.value)
        m = available[method]
        note = frame.attrs.get("undefined")  # decompose adds a reason column with it
        frame = stamp(frame, year=t.meta.get("year"), unit=m.unit, units=m.units,
                      currency=table_currency(t.meta), copy=False)  # ours: no second copy
        if "reason" in frame.columns:  # last, after unit, as ever
            frame = frame[[c for c in frame.columns if c != "reason"] + ["reason"]]
    if note:
        console.print(note, highlight=False, markup=False)
    if suffix == ".xlsx" and len(frame) > 1_048_575:
        raise fail(f"{len(frame):,} rows do not fit an Excel sheet (1,048,575 rows); write "
                   ".csv or .parquet, or choose a coarser --level")
    with_progress(f"writing {output.name}", write_frame, frame, output, sheet=method)
    console.print(f"wrote {len(frame):,} rows to {output}", highlight=False)


def register(app: typer.Typer) -> None:
    """Add ``decompose`` to ``app`` (``--method`` lists the catalogue as it is now)."""
    global METHOD_HELP
    METHOD_HELP = method_help()  # typer reads the annotation when it builds the command
    app.command("decompose")(decompose_cmd)
