"""``silkchain scenario run | check``: counterfactual tables and every measure before and after."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from silkchain.cli.common import (
    TABLE_HELP,
    check_output,
    console,
    fail,
    out,
    user_errors,
    write_frame,
)

scenario_app = typer.Typer(
    help="Industrial transfer, hypothetical extraction, demand, sourcing and cost scenarios "
    "(see docs/scenarios.md).",
    no_args_is_help=True,
)


def _record_path(output: Path) -> Path:
    return output.with_name(output.name + ".scenario.yaml")


@scenario_app.command("run")
def run_cmd(
    spec: Annotated[Path, typer.Argument(help="The scenario file (YAML).")],
    output: Annotated[Path, typer.Option("--output", "-o",
                                         help="Comparison table: .csv, .parquet or .xlsx.")],
    table_output: Annotated[Path | None, typer.Option(
        "--table-output", help="Also write the scenario table (.npz interchange layout).")] = None,
    table: Annotated[str | None, typer.Option(
        "--table", help=f"Override the scenario's table. {TABLE_HELP}")] = None,
    measures: Annotated[str | None, typer.Option(
        help="Comma-separated measures (default: all; see docs/scenarios.md).")] = None,
) -> None:
    """Apply the steps of SPEC and write: country, sector, measure, baseline, scenario, delta.

    The spec, its sha256 and the step log (with GRAS convergence) are written
    next to OUTPUT as OUTPUT.scenario.yaml.
    """
    from silkchain.io.npz import write_npz
    from silkchain.scenarios import Scenario, run
    from silkchain.scenarios.compare import with_units

    if table_output is not None and table_output.suffix.lower() != ".npz":
        raise fail(f"{table_output.name}: the scenario table is written as .npz; use a .npz "
                   "suffix")
    if output.suffix.lower() not in (".csv", ".parquet", ".xlsx"):
        raise fail(f"{output.name}: unsupported output suffix {output.suffix!r}; use .csv, "
                   ".parquet or .xlsx")
    check_output(output)
    if table_output is not None:
        check_output(table_output)
    wanted = None if measures is None else [m.strip() for m in measures.split(",") if m.strip()]
    with user_errors():
        sc = Scenario.from_yaml(spec)
        with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                      TimeElapsedColumn(), console=console, transient=True,
                      disable=not console.is_terminal) as bar:
            task = bar.add_task(f"reading {table or sc.table}", total=len(sc.steps) + 1)

            def progress(i: int, n: int, desc: str) -> None:
                bar.update(task, completed=i, total=n + 1, description=desc)

            try:
                result = run(sc, table, measures=wanted, progress=progress)
            except ValueError as err:
                if "unknown measure" in str(err):
                    raise fail(str(err)) from None
                raise
            bar.update(task, completed=len(sc.steps) + 1)
    write_frame(with_units(result.comparison, result.baseline), output, sheet="scenario")
    record = result.save_record(_record_path(output))
    if table_output is not None:
        with user_errors():
            write_npz(result.table, table_output)
    for note in result.notes:
        console.print(f"[yellow]note:[/] {note}", highlight=False)
    for entry in result.log:
        if "ras" in entry:
            r = entry["ras"]
            console.print(f"{entry['step']}: {r['method']} converged in {r['iterations']} "
                          f"iterations (largest gap {r['max_gap']:.3g})", highlight=False)
    console.print(f"wrote {output} ({len(result.comparison)} rows), {record}"
                  + (f", {table_output}" if table_output else "")
                  + f"; scenario sha256 {result.sha256[:12]}", highlight=False, markup=False)


@scenario_app.command("check")
def check_cmd(
    spec: Annotated[Path, typer.Argument(help="The scenario file (YAML).")],
) -> None:
    """Validate SPEC without running it; print its canonical form and sha256."""
    from silkchain.scenarios import Scenario

    with user_errors():
        sc = Scenario.from_yaml(spec)
    out.print(sc.to_yaml().rstrip("\n"), highlight=False, markup=False)
    out.print(f"sha256: {sc.sha256}", highlight=False)


def register(app: typer.Typer) -> None:
    """Add ``silkchain scenario`` to ``app``."""
    app.add_typer(scenario_app, name="scenario")
