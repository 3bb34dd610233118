"""``silkchain report``: the Belt and Road value-chain report (HTML + Excel)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from silkchain.cli.common import console, fail, user_errors
from silkchain.errors import SilkchainError


def report_cmd(
    source: Annotated[str, typer.Argument(
        help="A panel name (wiod2013: every year), a dataset id (wiod2013:2011) or a table "
             "file.")] = "wiod2013",
    group: Annotated[str, typer.Option(help="Country group the report is about "
                                            "(see `silkchain groups list`).")] = "bri64",
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder for report.html and "
                                                                "report.xlsx.")] = Path("results"),
    years: Annotated[str | None, typer.Option(help="Years of a panel, e.g. 2005-2011 or "
                                                   "2009,2011 (default: all).")] = None,
    hub: Annotated[str, typer.Option(help="The hub economy.")] = "CHN",
    scenario: Annotated[Path | None, typer.Option(
        help="A scenario YAML file to run instead of the default transfer scenario.")] = None,
    no_scenario: Annotated[bool, typer.Option("--no-scenario",
                                              help="Leave the scenario out.")] = False,
    scheduler: Annotated[str | None, typer.Option(
        help="Dask scheduler address (default: a local cluster; 'sync': no Dask).")] = None,
    cache: Annotated[bool, typer.Option(
        help="Reuse and store results in the local cache (it follows the stored data).")
    ] = True,
) -> None:
    """Write an offline HTML report and an Excel workbook of the Belt and Road answers.

    Value capture, participation and position, the hub, the value-added network, the
    smile curve, upgrading paths, exposure, why value capture changed, the transfer and
    reshoring scenarios, and ranges across sources when the store holds several."""
    try:
        from silkchain.report.build import build_report
    except ImportError as err:
        raise fail(f"the report needs optional packages ({err}); "
                   "pip install 'silkchain[report]'") from None
    year_arg: list[int] | str | None = years
    if years:
        try:
            from silkchain.panel import parse_years

            year_arg = parse_years(years)
        except (ValueError, ImportError, SilkchainError) as err:
            raise fail(f"--years {years!r}: {err}") from None
    chosen: object = False if no_scenario else (scenario if scenario is not None else True)
    # no stream redirection: a message written to stderr while the bar is drawn (a log
    # line, a warning) must not re-enter the bar's own rendering
    with user_errors(), Progress(SpinnerColumn(), TextColumn("{task.description}"),
                                 BarColumn(), TextColumn("{task.completed}/{task.total}"),
                                 TimeElapsedColumn(), console=console, redirect_stdout=False,
                                 redirect_stderr=False) as progress:
        task = progress.add_task("starting", total=None)

        def update(done: int, total: int, description: str) -> None:
            progress.update(task, completed=done, total=total, description=description)

        result = build_report(source, group=group, output=output, years=year_arg, hub=hub,
                              scenario=chosen, scheduler=scheduler, cache=cache,
                              progress=update)
    typer.echo(f"report:   {result.html}")
    typer.echo(f"workbook: {result.workbook}")
    steps = ", ".join(f"{k.replace('_', ' ')} {v:.0f} s" for k, v in result.timings.items())
    console.print(f"{len(result.report.charts)} charts, {len(result.report.frames)} sheets in "
                  f"{result.seconds:.0f} s ({steps})", highlight=False)
    for item in result.missing:
        console.print(f"[yellow]not in the report:[/] {item}", highlight=False)


def register(app: typer.Typer) -> None:
    """Add ``report`` to ``app``."""
    app.command("report")(report_cmd)
