"""``silkchain groups list | show NAME | check FILE``: the country groups and their sources."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from silkchain.cli.common import (
    TABLE_HELP,
    check_output,
    console,
    out,
    user_errors,
    with_progress,
    write_frame,
)

groups_app = typer.Typer(help="Country groups (Belt and Road, corridors, blocs, EU/OECD by year, "
                         "your own): list, show, check.", no_args_is_help=True)

FILE_HELP = ("A YAML or CSV file of your own groups (see docs/groups.md); its groups are "
             "listed and usable by name.")


def load_file(groups_file: Path | None) -> None:
    """Register the groups of ``groups_file`` (if given) for this command."""
    if groups_file is not None:
        from silkchain.groups import load_user_groups

        with user_errors():
            load_user_groups(groups_file, register=True)


@groups_app.command("list")
def list_cmd(
    groups_file: Annotated[Path | None, typer.Option("--groups-file", help=FILE_HELP)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON on stdout instead of a "
                                          "table.")] = False,
) -> None:
    """List every bundled and registered group with its size and first source."""
    from silkchain.groups import list_groups

    load_file(groups_file)
    with user_errors():
        frame = list_groups()
    if as_json:
        from silkchain.cli.cmd_table import _json

        out.print(_json(frame.to_dict(orient="records")), highlight=False, markup=False,
                  soft_wrap=True)
        return
    table = Table(title="silkchain country groups")
    for col in ("name", "title", "members", "dated", "origin"):
        table.add_column(col, justify="right" if col == "members" else "left")
    for row in frame.itertuples(index=False):
        table.add_row(row.name, row.title, str(row.members), "by year" if row.dated else "",
                      row.origin)
    out.print(table)
    console.print("`silkchain groups show NAME` gives members and sources.", highlight=False)


@groups_app.command("show")
def show_cmd(
    name: Annotated[str, typer.Argument(help="Group name (see `silkchain groups list`).")],
    year: Annotated[int | None, typer.Option(help="Membership at the end of this year "
                                             "(dated groups).")] = None,
    all_entries: Annotated[bool, typer.Option("--all", help="Include former members.")
                           ] = False,
    table: Annotated[str | None, typer.Option("--table", help="Also say which members are "
                                              "countries of this table and which are hidden "
                                              "in its rest of world. " + TABLE_HELP)] = None,
    groups_file: Annotated[Path | None, typer.Option("--groups-file", help=FILE_HELP)] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Also write the "
                                                "members to .csv, .parquet or .xlsx.")] = None,
) -> None:
    """Members, sources and caveats of group NAME."""
    from silkchain.groups import get_group

    load_file(groups_file)
    with user_errors():
        group = get_group(name)
        frame = group.frame(year, all_entries=all_entries)
    out.print(f"[bold]{group.name}[/]: {group.title}", highlight=False)
    if group.description:
        out.print(group.description, highlight=False, markup=False)
    when = f" in {year}" if year is not None else (" (all, current and former)" if all_entries
                                                   else " (current)")
    grid = Table(title=f"{len(frame)} members{when}")
    cols = [c for c in frame.columns if c not in ("source", "note")
            and frame[c].notna().any() and (frame[c].astype(str) != "").any()]
    for col in cols:
        grid.add_column(col)
    for row in frame[cols].itertuples(index=False):
        grid.add_row(*["" if v is None or str(v) in ("<NA>", "nan") else str(v) for v in row])
    out.print(grid)
    if group.sources or "source" in frame.columns:  # no empty heading for a user's group
        out.print("[bold]sources[/]", highlight=False)
    for s in group.sources:
        out.print(f"  - {s}", highlight=False, markup=False)
    if "source" in frame.columns:
        out.print("  - a source for every member: column 'source' (use --output to get it)",
                  highlight=False)
    for c in group.caveats:
        out.print(f"[bold]caveat[/]: {c}", highlight=False)
    if table is not None:
        from silkchain.io.registry import read

        with user_errors():
            t = with_progress(f"reading {table}", read, table)
            mapping = group.members_in(t, year=year)
        out.print(mapping.describe(), highlight=False, markup=False)
    if output is not None:
        check_output(output)
        write_frame(frame, output, sheet=group.name)
        console.print(f"wrote {len(frame)} members to {output}", highlight=False)


@groups_app.command("check")
def check_cmd(
    file: Annotated[Path, typer.Argument(help="A YAML or CSV group file.")],
) -> None:
    """Check a user group FILE: every country code must be ISO 3166-1 alpha-3."""
    from silkchain.groups import load_user_groups

    with user_errors():
        groups = load_user_groups(file)
    for g in groups.values():
        out.print(f"{g.name}: {len(g.entries)} members ok", highlight=False)


def register(app: typer.Typer) -> None:
    """Add ``groups`` to ``app``."""
    app.add_typer(groups_app, name="groups")
