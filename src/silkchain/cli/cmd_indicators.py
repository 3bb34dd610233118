"""``silkchain indicators``: TiVA, participation, position and upstreamness of a table."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from silkchain.cli.common import TABLE_HELP, console, fail, user_errors, with_progress, write_frame
from silkchain.io.registry import read
from silkchain.measures.catalogue import names
from silkchain.measures.indicators import DEFAULT_MEASURES, choices, indicators


def measure_help() -> str:
    """The ``--measure`` help, listing the catalogue's names (read when the app is built)."""
    valid = choices()
    return ("Measure to compute (repeat for several). Catalogue measures: "
            + ", ".join(n for n in valid if n in names())
            + ". Or any single OECD TiVA code: "
            + ", ".join(n for n in valid if n not in names())
            + f". Default: {', '.join(DEFAULT_MEASURES)}.")


#: The ``--measure`` help; :func:`register` refreshes it from the catalogue.
MEASURE_HELP = measure_help()


def indicators_cmd(
    table: Annotated[str, typer.Argument(help=TABLE_HELP)],
    output: Annotated[Path, typer.Option("--output", "-o", help="Output file: .csv, .parquet "
                                         "or .xlsx (tidy layout: year, country, sector, "
                                         "partner, measure, value, unit).")],
    measure: Annotated[list[str] | None, typer.Option("--measure", "-m",
                                                      help=MEASURE_HELP)] = None,
    services: Annotated[str, typer.Option(
        help="Services set of EXGR_SERV_DVASH/FVASH: SRVWC (services and construction), "
             "SERVS, BIZSV, or comma-separated sector codes.")] = "SRVWC",
) -> None:
    """Compute GVC indicators of TABLE (see `docs/commands/indicators.md`).

    Writes one long file; sector and partner "_T" mark values that are not
    by industry or partner. Undefined values (shares of a table without
    exports) get a reason column and a note.
    """
    wanted = list(measure) if measure else list(DEFAULT_MEASURES)
    valid = choices()
    unknown = [m for m in wanted if m not in valid]
    if unknown:
        raise fail(f"unknown measure(s): {', '.join(unknown)}; valid: {', '.join(valid)}")
    svc: str | list[str] = services
    if "," in services or services.upper() not in ("SRVWC", "SERVS", "BIZSV"):
        svc = [s.strip() for s in services.split(",") if s.strip()]
    with user_errors():
        t = with_progress(f"reading {table}", read, table)
        frame = with_progress(f"computing {', '.join(wanted)}", indicators, t, wanted, svc)
    for key, attrs in frame.attrs.items():
        if isinstance(attrs, dict) and "inventory_correction" in attrs:
            state = (f"on (category {attrs['inventory_category']})"
                     if attrs["inventory_correction"] else "off")
            console.print(f"{key}: Antràs-Chor net inventory correction {state}",
                          highlight=False)
        if isinstance(attrs, dict) and attrs.get("services"):
            console.print(f"{key}: services set {attrs['services']}", highlight=False)
        if isinstance(attrs, dict) and attrs.get("skipped"):
            console.print(f"{key}: skipped {attrs['skipped']}", highlight=False)
    note = frame.attrs.get("undefined")  # the reason column says why, value by value
    if note:
        console.print(note, highlight=False, markup=False)
    write_frame(frame, output, sheet="indicators")
    console.print(f"wrote {len(frame):,} rows to {output}", highlight=False)


def register(app: typer.Typer) -> None:
    """Add ``indicators`` to ``app`` (the ``--measure`` help lists the catalogue as it is now)."""
    global MEASURE_HELP
    MEASURE_HELP = measure_help()  # typer reads the annotation when it builds the command
    app.command("indicators")(indicators_cmd)
