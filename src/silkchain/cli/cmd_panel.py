"""``silkchain panel SOURCE --measure NAME``: a measure over every year, on Dask."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from silkchain.cli.common import console, fail, user_errors, write_frame
from silkchain.measures.catalogue import names, term_units
from silkchain.measures.tidy import TABLE_CURRENCY, table_currency

SCHEDULER_HELP = ("Address of an existing dask.distributed scheduler (tcp://HOST:PORT); "
                  "default: a local cluster of 2 workers for this run; 'sync' runs without "
                  "Dask.")
YEARS_HELP = "Years, e.g. 1995-2011 or 2000,2005,2011 (default: all)."


def measure_help() -> str:
    """The ``--measure`` help: the measure catalogue's names (read when the app is built)."""
    return "A measure: " + ", ".join(names()) + " (repeatable)."


#: The ``--measure`` help; :func:`register` refreshes it from the catalogue.
MEASURE_HELP = measure_help()


@contextlib.contextmanager
def year_progress(label: str) -> Iterator[Callable[[int, int, int], None]]:
    """A Rich progress bar fed by the panel's ``(done, total, year)`` callback."""
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=console, transient=True) as progress:
        task: list[Any] = []

        def update(done: int, total: int, year: int) -> None:
            if not task:
                task.append(progress.add_task(label, total=total))
            progress.update(task[0], completed=done, description=f"{label} (last {year})")

        yield update


def parse_params(specs: list[str] | None) -> dict[str, Any]:
    """``["level=sector", "variant=kww"]`` -> ``{"level": "sector", "variant": "kww"}``.

    >>> parse_params(["level=sector", "inventory_correction=false"])
    {'level': 'sector', 'inventory_correction': False}
    """
    params: dict[str, Any] = {}
    for spec in specs or []:
        key, sep, value = spec.partition("=")
        if not sep or not key.strip():
            raise fail(f"--param {spec!r}: expected NAME=VALUE (for example --param "
                       "level=sector)")
        v: Any = value.strip()
        if v.lower() in ("true", "false"):
            v = v.lower() == "true"
        params[key.strip()] = v
    return params


def panel_cmd(
    source: Annotated[str, typer.Argument(help="A panel source: wiod2013 (1995-2011) or a name "
                                          "in the local store.")],
    measure: Annotated[list[str], typer.Option("--measure", "-m", help=MEASURE_HELP)],
    output: Annotated[Path, typer.Option("--output", "-o", help="Output file: .csv, .parquet "
                                         "or .xlsx.")],
    years: Annotated[str | None, typer.Option(help=YEARS_HELP)] = None,
    scheduler: Annotated[str | None, typer.Option(help=SCHEDULER_HELP)] = None,
    param: Annotated[list[str] | None, typer.Option("--param", help="A measure option "
                                                    "NAME=VALUE, e.g. level=sector (one "
                                                    "measure only; repeatable).")] = None,
    cache: Annotated[bool, typer.Option(help="Reuse and store results in the local cache.")
                     ] = True,
) -> None:
    """Compute MEASURE for every year of SOURCE in parallel and write one tidy file.

    Columns: year, country, sector, partner, measure, value, unit.
    """
    from silkchain.panel import panel

    params = parse_params(param)
    if params and len(measure) > 1:
        raise fail("--param applies to one measure; run one --measure at a time with --param")
    with user_errors():
        # refuses measures whose terms would mix units; unknown names: the panel says
        units = term_units([m for m in measure if m in names()])
    with user_errors(), year_progress(f"{'+'.join(measure)} on {source}") as progress:
        if output.suffix.lower() == ".xlsx":  # refuse before computing, not after
            from silkchain.io.write import check_excel_rows
            from silkchain.panel import estimate_rows

            check_excel_rows(output, estimate_rows(source, measure, years, params),
                             what="the panel", estimated=True)
        frame = panel(source, measure if len(measure) > 1 else measure[0], years=years,
                      scheduler=scheduler, params=params or None, cache=cache,
                      progress=progress)
    with user_errors():
        frame = with_units(frame, source, units)
    write_frame(frame, output, sheet="panel")
    where = "cache" if frame.attrs.get("cached") else (scheduler or "local cluster")
    n = frame["year"].nunique()
    console.print(f"wrote {len(frame):,} rows ({n} year{'s' * (n != 1)}, from {where}) "
                  f"to {output}", highlight=False)


def with_units(frame: Any, source: str, units: dict[str, str]) -> Any:
    """The panel with a last column ``unit`` (amounts in the currency of SOURCE's tables)."""
    if TABLE_CURRENCY in units.values() and len(frame):
        from silkchain.io.registry import read
        from silkchain.panel import resolve_source

        first = next(iter(resolve_source(source, [int(frame["year"].min())]).values()))
        currency = table_currency(read(first).meta)
        if currency:
            units = {t: currency if u == TABLE_CURRENCY else u for t, u in units.items()}
    out = frame.assign(unit=frame["measure"].map(units).fillna(""))
    out.attrs.update(frame.attrs)
    return out


def register(app: typer.Typer) -> None:
    """Add ``panel`` to ``app`` (``--measure`` lists the catalogue as it is now)."""
    global MEASURE_HELP
    MEASURE_HELP = measure_help()  # typer reads the annotation when it builds the command
    app.command("panel")(panel_cmd)
