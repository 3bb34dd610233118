"""Answer 2 -- participation vs gains: GVC participation beside DVA shares and value-added growth.

Do countries that take part more in global value chains gain more? Per
country and year this answer puts side by side

* production-based GVC participation of Wang, Wei, Yu & Zhu (2017a,
  METHODS.md §9) from :func:`silkchain.measures.participation.wwyz`:
  ``forward`` (share of the country's value added that crosses borders for
  further production) and ``backward`` (share of its final goods' value that
  comes through GVC production), plus their simple and complex parts;
* the domestic value-added share of gross exports ``DVA_share`` (Borin &
  Mancini 2023, :func:`silkchain.measures.borin_mancini.bm`);
* value added (GDP at basic prices plus the residual items of the table, ``va``)
  and its growth: ``va_growth`` (year on year) and, over the span,
  ``va_cagr``.

Group rows (``country`` = group name) use summed numerators and denominators:
forward participation weighted by value added, backward by final goods, DVA
share by gross exports. Trend rows at the last year: ``forward_change``,
``backward_change``, ``DVA_share_change`` (last minus first), ``va_cagr``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from silkchain.bri import common
from silkchain.groups import Group
from silkchain.measures.catalogue import MEASURES
from silkchain.measures.tidy import TOTAL
from silkchain.table import MRIOTable

SUMS = ("va", "y", "V_GVC", "V_GVC_S", "V_GVC_C", "Y_GVC", "DVA", "GEXP")
RATIOS = {"forward": ("V_GVC", "va"), "forward_simple": ("V_GVC_S", "va"),
          "forward_complex": ("V_GVC_C", "va"), "backward": ("Y_GVC", "y"),
          "DVA_share": ("DVA", "GEXP")}
WORLD = "World"


def participation_gains_year(table: MRIOTable, group: Group | None = None) -> pd.DataFrame:
    """Participation and gains on one table (see the module docstring)."""
    countries = list(table.labels.countries)
    w = MEASURES["wwyz"].compute(table, "country").pivot_table(index="country", columns="measure",
                                                   values="value", sort=False)
    b = MEASURES["bm"].compute(table, "country").pivot_table(index="exporter", columns="term",
                                               values="value", sort=False)
    wide = pd.concat([w.reindex(countries)[["va", "y", "V_GVC", "V_GVC_S", "V_GVC_C", "Y_GVC"]],
                      b.reindex(countries)[["DVA", "GEXP"]]], axis=1)
    for name, (num, den) in RATIOS.items():
        wide[name] = wide[num] / wide[den].where(wide[den] != 0)
    if group is not None:
        wide = common.add_aggregate(wide, group.name, common.members_in_table(group, table),
                                    SUMS, RATIOS)
    wide = common.add_aggregate(wide, WORLD, countries, SUMS, RATIOS)
    keep = ["forward", "forward_simple", "forward_complex", "backward", "DVA_share", "va",
            "V_GVC", "Y_GVC", "DVA", "GEXP"]
    return pd.concat([common.long_from_wide(wide[keep]), common.output_share_rows(table)],
                     ignore_index=True)


def _yearly_growth(frame: pd.DataFrame) -> pd.DataFrame:
    va = frame[frame["measure"] == "va"].pivot_table(index="country", columns="year",
                                                     values="value", sort=False)
    years = sorted(va.columns)
    if len(years) < 2:
        return frame
    growth = va[years].pct_change(axis=1, fill_method=None).iloc[:, 1:]
    consecutive = np.diff(years) == 1
    growth = growth.loc[:, [y for y, ok in zip(years[1:], consecutive, strict=True) if ok]]
    rows = growth.stack(future_stack=True).rename("value").reset_index()
    rows = rows.assign(sector=TOTAL, partner=TOTAL, measure="va_growth")
    return pd.concat([frame, rows[frame.columns]], ignore_index=True)


def participation_gains(source: common.Source, group: str | Group | None = "bri64",
                        years: Any = None, scheduler: Any = None, *, progress: Any = False,
                        cache: Any = True) -> pd.DataFrame:
    """Backward/forward GVC participation beside DVA shares and value-added growth.

    Parameters
    ----------
    source, group, years, scheduler, progress, cache
        As in :func:`silkchain.bri.value_capture.value_capture`.

    Returns
    -------
    DataFrame
        ``year, country, sector, partner, measure, value``; see the module
        docstring for the measures. ``attrs`` carry coverage and caveats.

    References
    ----------
    .. [1] Wang, Wei, Yu & Zhu (2017a), "Measures of Participation in Global
       Value Chains and Global Business Cycles", NBER WP 23222, §2-3.
    .. [2] Borin & Mancini (2023), Economic Systems Research 35(4): 586-613.

    Examples
    --------
    >>> f = participation_gains("wiod2013:2011", group="bri65")
    >>> chn = f.query("country == 'CHN'").set_index("measure").value
    >>> bool(0 <= chn["forward"] <= 1 and 0 <= chn["backward"] <= 1)
    True
    """
    g = common.resolve_group(group)
    frame = common.compute(source, participation_gains_year, name="bri-participation",
                           params={"group": g}, years=years, scheduler=scheduler,
                           progress=progress, cache=cache)
    frame = _yearly_growth(frame)
    frame = common.add_trends(frame, growth=["va"],
                              change=["forward", "backward", "DVA_share"])
    return common.finish(
        frame, "participation_gains", g, source=source,
        caveats=["Value-added growth is nominal (current US dollars for WIOD 2013): it mixes "
                 "real growth, prices and exchange rates.",
                 "Participation and gains are shown side by side; their association is not a "
                 "causal effect."])


def chart_data(frame: pd.DataFrame, x: str = "forward", y: str = "va_cagr") -> dict[str, Any]:
    """Scatter of participation (last year) against value-added growth over the span."""
    last = max(frame.attrs.get("years") or frame["year"].unique())
    sub = frame[(frame["year"] == last) & frame["measure"].isin([x, y])]
    wide = sub.pivot_table(index="country", columns="measure", values="value")
    if y not in wide.columns:  # one year only: plot against DVA share instead
        y = "DVA_share"
        wide = frame[(frame["year"] == last) & frame["measure"].isin([x, y])].pivot_table(
            index="country", columns="measure", values="value")
    inside = set((frame.attrs.get("coverage") or {}).get("inside", []))
    points = [{"country": c, "x": float(r[x]), "y": float(r[y]), "member": c in inside}
              for c, r in wide.iterrows() if np.isfinite(r[x]) and np.isfinite(r[y])]
    return {"kind": "scatter", "title": f"{x} vs {y}", "x": x, "y": y, "points": points,
            "caveats": frame.attrs.get("caveats", [])}
