"""``silkchain aggregate``: merge countries into regions and sectors into groups, write a table."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from silkchain.cli.common import TABLE_HELP, check_output, console, fail, user_errors, with_progress
from silkchain.io.registry import read, write


def _region_mapping(specs: list[str], table_countries: tuple[str, ...],
                    year: int | None) -> dict[str, str]:
    """``NAME=CODE,CODE`` or a group name from the registry -> {country: region}."""
    mapping: dict[str, str] = {}
    for spec in specs:
        if "=" in spec:
            name, _, codes = spec.partition("=")
            members = [c.strip() for c in codes.split(",") if c.strip()]
            if not name.strip() or not members:
                raise fail(f"--region {spec!r}: expected NAME=CODE,CODE,... or a group name")
        else:
            from silkchain.groups import get_group

            name = spec
            found = get_group(spec).members_in(table_countries, year=year)
            if not found.inside:
                raise fail(f"--region {spec!r}: no member of group {spec!r} is a country of "
                           "the table")
            # members hidden in the rest of world (or absent) go to aggregate_regions too:
            # recorded in meta["regions_absent"], refused with --strict
            members = [*found.inside, *found.hidden, *found.absent]
        for code in members:
            if code in mapping and mapping[code] != name:
                raise fail(f"--region: {code} is in both {mapping[code]!r} and {name!r}")
            mapping[code] = name.strip()
    return mapping


def aggregate_cmd(
    table: Annotated[str, typer.Argument(help=TABLE_HELP)],
    output: Annotated[Path, typer.Option("--output", "-o",
                                         help="Where to write the aggregated table (.npz).")],
    region: Annotated[list[str] | None, typer.Option(
        "--region", help="NAME=CODE,CODE,... or a registered group name (e.g. bri64): "
        "merge those countries into one region. Repeatable.")] = None,
    sectors: Annotated[str | None, typer.Option(
        "--sectors", help="A bundled concordance (e.g. wiod13_broad, oecd45_adb15, "
        "wiod13_tech) mapping sectors to groups.")] = None,
    strict: Annotated[bool, typer.Option(
        help="Refuse region members that the table does not have as countries (absent, or "
        "hidden in its rest of world); default: leave them out and record them in the "
        "table's metadata (regions_absent).")] = False,
) -> None:
    """Aggregate TABLE by regions and/or sector groups and write a valid table (.npz)."""
    from silkchain.aggregation import aggregate_regions, aggregate_sectors, list_concordances

    if not region and not sectors:
        raise fail("nothing to do: give --region and/or --sectors")
    if output.suffix.lower() != ".npz":
        raise fail(f"{output.name}: the aggregated table is written as .npz")
    check_output(output)
    if sectors is not None and sectors not in list_concordances():
        raise fail(f"unknown concordance {sectors!r}; bundled: "
                   f"{', '.join(sorted(list_concordances()))}")
    with user_errors():
        t = with_progress(f"reading {table}", read, table)
        if region:
            year = t.meta.get("year")
            mapping = _region_mapping(region, t.labels.countries,
                                      int(year) if year is not None else None)
            t = with_progress("aggregating regions", aggregate_regions, t, mapping,
                              strict=strict)
        if sectors:
            t = with_progress("aggregating sectors", aggregate_sectors, t, sectors)
        path = write(t, output)
    absent = t.meta.get("regions_absent")
    console.print(f"wrote {path}: {t.G} regions x {t.N} sectors", highlight=False,
                  markup=False)
    for region, codes in (absent or {}).items():
        console.print(f"note: {region}: {len(codes)} member(s) are not countries of the table "
                      f"(absent or inside its rest of world), left out: {', '.join(codes)}",
                      highlight=False, markup=False)


def register(app: typer.Typer) -> None:
    """Add ``aggregate`` to ``app``."""
    app.command("aggregate")(aggregate_cmd)
