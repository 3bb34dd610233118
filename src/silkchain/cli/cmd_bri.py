"""``silkchain bri ...``: the Belt and Road answers on a table or a panel of years."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from silkchain.cli.cmd_groups import FILE_HELP, load_file
from silkchain.cli.cmd_panel import SCHEDULER_HELP, YEARS_HELP, year_progress
from silkchain.cli.common import console, fail, out, user_errors, write_frame
from silkchain.io.atomic import atomic_path

bri_app = typer.Typer(help="Belt and Road answers: value capture, participation vs gains, "
                      "position, China as hub, value-added network, smile curve, upgrading "
                      "paths.", no_args_is_help=True)

SOURCE_HELP = ("A panel source (wiod2013: every year, computed on Dask), a dataset id "
               "(wiod2013:2011) or a table file.")

Source = Annotated[str, typer.Argument(metavar="TABLE_OR_PANEL", help=SOURCE_HELP)]
Output = Annotated[Path, typer.Option("--output", "-o", help="Output file: .csv, .parquet or "
                                      ".xlsx (tidy: year, country, sector, partner, measure, "
                                      "value).")]
GroupOpt = Annotated[str, typer.Option("--group", help="Country group (see `silkchain groups "
                                       "list`); 'none' for no group.")]
GroupsFile = Annotated[Path | None, typer.Option("--groups-file", help=FILE_HELP)]
Years = Annotated[str | None, typer.Option(help=YEARS_HELP)]
Scheduler = Annotated[str | None, typer.Option(help=SCHEDULER_HELP)]
Chart = Annotated[Path | None, typer.Option("--chart", help="Also write chart-ready data as "
                                            "JSON to this file.")]
Cache = Annotated[bool, typer.Option(help="Reuse and store panel results in the local cache.")]


def run_answer(fn: Callable[..., Any], source: str, output: Path, *, group: str,
               groups_file: Path | None, years: str | None, scheduler: str | None,
               chart: Path | None, cache: bool, **options: Any) -> None:
    """Run one answer, print its coverage and caveats, write the frame (and chart data)."""
    from silkchain.bri import chart_data, describe

    if output.suffix.lower() not in (".csv", ".parquet", ".xlsx"):
        raise fail(f"{output.name}: unsupported output suffix {output.suffix!r}; use .csv, "
                   ".parquet or .xlsx")
    load_file(groups_file)
    chosen = None if group.lower() == "none" else group
    with user_errors(), year_progress(f"{fn.__name__} on {source}") as progress:
        frame = fn(source, group=chosen, years=years, scheduler=scheduler, progress=progress,
                   cache=cache, **options)
    write_frame(frame, output, sheet=fn.__name__)
    out.print(describe(frame), highlight=False, markup=False)
    if chart is not None:
        data = chart_data(frame)
        with atomic_path(chart, suffix=".json") as tmp:
            tmp.write_text(json.dumps(data, indent=1, default=_json_default), encoding="utf-8")
        console.print(f"wrote chart data to {chart}", highlight=False)
    console.print(f"wrote {len(frame):,} rows to {output}", highlight=False)


def _json_default(value: Any) -> Any:
    if hasattr(value, "item"):
        return value.item()
    return str(value)


@bri_app.command("value-capture")
def value_capture_cmd(source: Source, output: Output, group: GroupOpt = "bri64",
                      groups_file: GroupsFile = None, years: Years = None,
                      scheduler: Scheduler = None, chart: Chart = None,
                      cache: Cache = True) -> None:
    """Domestic and GVC-related value added in exports by country and group (Borin-Mancini)."""
    from silkchain.bri import value_capture

    run_answer(value_capture, source, output, group=group, groups_file=groups_file,
               years=years, scheduler=scheduler, chart=chart, cache=cache)


@bri_app.command("participation")
def participation_cmd(source: Source, output: Output, group: GroupOpt = "bri64",
                      groups_file: GroupsFile = None, years: Years = None,
                      scheduler: Scheduler = None, chart: Chart = None,
                      cache: Cache = True) -> None:
    """Backward/forward GVC participation (WWYZ) beside DVA shares and value-added growth."""
    from silkchain.bri import participation_gains

    run_answer(participation_gains, source, output, group=group, groups_file=groups_file,
               years=years, scheduler=scheduler, chart=chart, cache=cache)


@bri_app.command("position")
def position_cmd(source: Source, output: Output, group: GroupOpt = "bri64",
                 groups_file: GroupsFile = None, years: Years = None,
                 scheduler: Scheduler = None, chart: Chart = None, cache: Cache = True,
                 level: Annotated[str, typer.Option(help="country or sector.")] = "country",
                 hub: Annotated[str, typer.Option(help="Country whose direction is "
                                                  "summarised.")] = "CHN") -> None:
    """Upstreamness, WWYZ GVC position and Koopman position over time; does China move up?"""
    from silkchain.bri import position

    run_answer(position, source, output, group=group, groups_file=groups_file, years=years,
               scheduler=scheduler, chart=chart, cache=cache, level=level, hub=hub)


@bri_app.command("china-hub")
def china_hub_cmd(source: Source, output: Output, group: GroupOpt = "bri64",
                  groups_file: GroupsFile = None, years: Years = None,
                  scheduler: Scheduler = None, chart: Chart = None, cache: Cache = True,
                  hub: Annotated[str, typer.Option(help="The hub country.")] = "CHN") -> None:
    """China's share in partners' FVA, partners' VA absorbed in China, regional vs global chains."""
    from silkchain.bri import china_hub

    run_answer(china_hub, source, output, group=group, groups_file=groups_file, years=years,
               scheduler=scheduler, chart=chart, cache=cache, hub=hub)


@bri_app.command("network")
def network_cmd(source: Source, output: Output, group: GroupOpt = "bri64",
                groups_file: GroupsFile = None, years: Years = None,
                scheduler: Scheduler = None, chart: Chart = None, cache: Cache = True,
                hub: Annotated[str, typer.Option(help="Country whose community is "
                                                 "flagged.")] = "CHN",
                seed: Annotated[int, typer.Option(help="Louvain seed.")] = 0) -> None:
    """The value-added trade network (networkx): centrality, hubs and communities over time."""
    from silkchain.bri import va_network

    run_answer(va_network, source, output, group=group, groups_file=groups_file, years=years,
               scheduler=scheduler, chart=chart, cache=cache, hub=hub, seed=seed)


@bri_app.command("smile")
def smile_cmd(source: Source, output: Output, group: GroupOpt = "bri64",
              groups_file: GroupsFile = None, years: Years = None,
              scheduler: Scheduler = None, chart: Chart = None, cache: Cache = True,
              country: Annotated[str, typer.Option(help="The exporting country.")] = "CHN"
              ) -> None:
    """Value added by stage along a country's export chains, and its exports' technology mix."""
    from silkchain.bri import smile_curve

    run_answer(smile_curve, source, output, group=group, groups_file=groups_file, years=years,
               scheduler=scheduler, chart=chart, cache=cache, country=country)


@bri_app.command("upgrading")
def upgrading_cmd(source: Source, output: Output, group: GroupOpt = "bri64",
                  groups_file: GroupsFile = None, years: Years = None,
                  scheduler: Scheduler = None, chart: Chart = None, cache: Cache = True,
                  country: Annotated[str, typer.Option(help="The country.")] = "CHN",
                  top: Annotated[int, typer.Option(min=1, help="Candidates to name.")] = 5
                  ) -> None:
    """Sectors with rising VA-RCA and position; candidate sectors close to current strengths."""
    from silkchain.bri import upgrading_paths

    run_answer(upgrading_paths, source, output, group=group, groups_file=groups_file,
               years=years, scheduler=scheduler, chart=chart, cache=cache, country=country,
               top=top)


def register(app: typer.Typer) -> None:
    """Add ``bri`` to ``app``."""
    app.add_typer(bri_app, name="bri")
