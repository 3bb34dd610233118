"""Answer 1 -- value capture: domestic and GVC-related value added in exports, by country and group.

Built on the Borin & Mancini (2019, 2023) source-based decomposition of gross
exports at country level (exporter perspective, METHODS.md §6), computed by
:func:`silkchain.measures.borin_mancini.bm`.

Measures (levels in the table's currency unit, shares as fractions):

=================  ==========================================================
``GEXP``           gross exports
``DVA``            domestic value added in exports (first passage)
``VAX``            domestic value added absorbed abroad
``GVC``            GVC-related exports (``GEXP - DAVAX``)
``GVCB``/``GVCF``  backward (``FVA + PDC``) / forward (``REX + REF``) GVC trade
``FVA``            foreign value added in exports
``DVA_share``      ``DVA / GEXP``; likewise ``VAX_share``, ``GVC_share``,
                   ``GVCB_share``, ``GVCF_share``
``DVA_world_share`` the country's (group's) share of the world's ``DVA``
=================  ==========================================================

Rows: every country of the table, the group (``country`` = group name: the sum
of its members *in the table*; shares from summed parts), and ``World``. Over
several years, trend rows are added at the last year: ``<level>_cagr``
(compound annual growth) and ``<share>_change`` (last minus first).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from silkchain.bri import common
from silkchain.groups import Group
from silkchain.measures.catalogue import MEASURES
from silkchain.table import MRIOTable

LEVELS = ("GEXP", "DVA", "VAX", "DAVAX", "GVC", "GVCB", "GVCF", "FVA")
SHARES = {"DVA_share": ("DVA", "GEXP"), "VAX_share": ("VAX", "GEXP"),
          "GVC_share": ("GVC", "GEXP"), "GVCB_share": ("GVCB", "GEXP"),
          "GVCF_share": ("GVCF", "GEXP")}
WORLD = "World"


def value_capture_year(table: MRIOTable, group: Group | None = None) -> pd.DataFrame:
    """Value capture on one table (see the module docstring for the measures)."""
    terms = MEASURES["bm"].compute(table, "country")  # shared per table (catalogue)
    wide = terms.pivot_table(index="exporter", columns="term", values="value", sort=False)
    wide = wide.reindex(index=list(table.labels.countries), columns=list(LEVELS))
    for name, (num, den) in SHARES.items():
        wide[name] = wide[num] / wide[den].where(wide[den] != 0)
    members = common.members_in_table(group, table)
    if group is not None:
        wide = common.add_aggregate(wide, group.name, members, LEVELS, SHARES)
    wide = common.add_aggregate(wide, WORLD, list(table.labels.countries), LEVELS, SHARES)
    wide["DVA_world_share"] = wide["DVA"] / wide.loc[WORLD, "DVA"]
    return pd.concat([common.long_from_wide(wide), common.output_share_rows(table)],
                     ignore_index=True)


def value_capture(source: common.Source, group: str | Group | None = "bri64",
                  years: Any = None, scheduler: Any = None, *, progress: Any = False,
                  cache: Any = True) -> pd.DataFrame:
    """Domestic and GVC-related value added in exports by country and group, with trends.

    Parameters
    ----------
    source : str, MRIOTable or mapping
        A panel source (``"wiod2013"``: all years), a dataset id
        (``"wiod2013:2011"``), a table file, a table, or ``{year: table}``.
    group : str or Group, optional
        The group to aggregate (default ``bri64``); ``None`` for none.
    years : str or sequence, optional
        Years of a panel source (``"1995-2011"``).
    scheduler : optional
        Where a panel runs (see :func:`silkchain.panel.panel`); ``"sync"`` for
        no Dask.
    progress, cache
        As in :func:`silkchain.panel.panel`.

    Returns
    -------
    DataFrame
        ``year, country, sector, partner, measure, value`` (``sector`` and
        ``partner`` empty); ``attrs`` carry coverage and caveats
        (:mod:`silkchain.bri.common`).

    References
    ----------
    .. [1] Borin & Mancini (2023), Economic Systems Research 35(4): 586-613,
       §3 (source-based exporter perspective) and Table 2.
    .. [2] Borin & Mancini (2019), World Bank PRWP 8804, §4-5 (GVC-related trade).

    Examples
    --------
    >>> f = value_capture("wiod2013:2011")
    >>> g = f.query("country == 'bri64'").set_index("measure")["value"]
    >>> bool(g["DVA"] < g["GEXP"])   # the group keeps less than its gross exports
    True
    >>> f.attrs["coverage"]["inside"][:3]
    ['BGR', 'CZE', 'EST']
    """
    g = common.resolve_group(group)
    frame = common.compute(source, value_capture_year, name="bri-value-capture",
                           params={"group": g}, years=years, scheduler=scheduler,
                           progress=progress, cache=cache)
    frame = common.add_trends(frame, growth=LEVELS, change=[*SHARES, "DVA_world_share"])
    return common.finish(
        frame, "value_capture", g, source=source,
        caveats=["Levels are in the table's currency (WIOD 2013: millions of current US "
                 "dollars); growth rates are nominal."])


def chart_data(frame: pd.DataFrame, measure: str = "DVA_share") -> dict[str, Any]:
    """Lines of ``measure`` over the years for the group, its members, China and the world."""
    cov = frame.attrs.get("coverage") or {}
    keep = [*cov.get("inside", []), *([frame.attrs["group"]] if frame.attrs.get("group")
                                      else []), "CHN", WORLD]
    sub = frame[(frame["measure"] == measure) & frame["country"].isin(keep)]
    series = {c: {"x": g["year"].tolist(), "y": g["value"].tolist()}
              for c, g in sub.groupby("country", sort=False)}
    return {"kind": "line", "title": f"{measure} by year", "x": "year", "y": measure,
            "series": series, "caveats": frame.attrs.get("caveats", [])}
