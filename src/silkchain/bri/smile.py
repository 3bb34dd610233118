"""Answer 6 -- the smile curve of a country's export chains, and the technology mix of its exports.

For the gross exports ``e`` of a country ``c`` (``e_i = E_i`` for ``c``'s
industries, 0 elsewhere), every industry ``i`` of every country contributes
value added ``va_i = v_i (B e)_i`` (contributions add up to ``c``'s gross
exports) at an average ``stage_i = (B B e)_i / (B e)_i`` production stages
from the exported product (1 = value added in the exporting stage itself;
:func:`silkchain.bri.core.chain_contributions`). Plotting the value-added
rate ``v_i`` (value added per unit of output; the "gains" axis) against the
stage, with dot sizes ``va_i``, draws the smile curve of Ye, Meng & Wei
(2015) and Meng, Ye & Wei (2020): a U shape means the stages far from the
export (design, materials, services) and the final stage capture more value
per unit of output than the middle.

Rows for the origin industries (``country``/``sector`` = origin,
``partner`` = ``c``): ``va``, ``va_share`` (of ``c``'s gross exports),
``stage``, ``va_rate``. Row ``country`` = ``c``, ``sector`` = ``"_T"``:
``smile_curvature`` (``c2`` of a value-added-weighted quadratic fit
``va_rate ~ c0 + c1 stage + c2 stage^2``; > 0 is a smile),
``domestic_va_share``, ``mean_stage`` (value-added-weighted).

Technology mix (``sector`` = class, ``partner`` = ``"_T"``):
``exports``/``exports_share`` (gross exports of ``c`` by class) and
``dva``/``dva_share`` (Borin-Mancini domestic value added in ``c``'s exports,
by exporting sector class). Classes: OECD technology intensity of
manufacturing (Hatzichronoglou 1997) and Eurostat knowledge-intensive
services, mapped to ISIC rev.3 in ``bri/data/technology_intensity_isic3.csv``
(only for tables whose ``labels.sector_codes`` are ISIC rev.3, as WIOD 2013).
"""

from __future__ import annotations

import csv
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd

from silkchain.bri import common
from silkchain.bri.core import chain_contributions, weighted_quadratic
from silkchain.groups import Group
from silkchain.measures.catalogue import MEASURES
from silkchain.measures.tidy import TOTAL
from silkchain.table import MRIOTable

CLASS_ORDER = ("primary", "low-tech manufacturing", "medium-low-tech manufacturing",
               "medium-high-tech manufacturing", "high-tech manufacturing",
               "utilities and construction", "less knowledge-intensive services",
               "knowledge-intensive services")


@lru_cache(maxsize=1)
def technology_classes() -> dict[str, str]:
    """ISIC rev.3 code (WIOD 2013 aggregate) -> technology / knowledge-intensity class."""
    path = resources.files("silkchain.bri") / "data" / "technology_intensity_isic3.csv"
    with path.open(encoding="utf-8") as fh:
        return {row["isic3"]: row["class"] for row in csv.DictReader(fh)}


def sector_classes(table: MRIOTable) -> list[str] | None:
    """The class of every sector of ``table``, or None when its codes are not ISIC rev.3."""
    classes = technology_classes()
    codes = list(table.labels.sector_codes)
    if not codes or any(c not in classes for c in codes):
        return None
    return [classes[c] for c in codes]


def smile_year(table: MRIOTable, country: str = "CHN") -> pd.DataFrame:
    """The smile curve and technology mix of ``country``'s exports on one table."""
    countries = list(table.labels.countries)
    common.require_country(country, countries, "smile_curve")
    G, N = table.G, table.N
    c = countries.index(country)
    e = np.zeros(G * N)
    e[c * N:(c + 1) * N] = table.E[c * N:(c + 1) * N]
    total = e.sum()
    contrib, stage = chain_contributions(table.solver, table.v, e)
    origin_c = np.repeat(countries, N)
    origin_s = np.tile(list(table.labels.sectors), G)
    keep = contrib > 0
    rows = []
    for name, values in (("va", contrib), ("va_share", contrib / total if total else contrib),
                         ("stage", stage), ("va_rate", table.v)):
        rows.append(pd.DataFrame({"country": origin_c[keep], "sector": origin_s[keep],
                                  "partner": country, "measure": name,
                                  "value": np.asarray(values, dtype=float)[keep]}))
    coef = weighted_quadratic(stage, table.v, contrib)
    dom = contrib[c * N:(c + 1) * N].sum()
    with np.errstate(invalid="ignore", divide="ignore"):
        summary = {"smile_curvature": coef[2], "domestic_va_share": dom / total,
                   "mean_stage": float(np.nansum(contrib * stage) / contrib[keep].sum())}
    rows.append(pd.DataFrame({"country": country, "sector": TOTAL, "partner": TOTAL,
                              "measure": list(summary), "value": list(summary.values())}))
    classes = sector_classes(table)
    if classes is not None:
        exp = pd.Series(e[c * N:(c + 1) * N], index=list(table.labels.sectors))
        bm = MEASURES["bm"].compute(table, "sector")
        dva = (bm.query("exporter == @country and term == 'DVA'")
               .set_index("sector")["value"].reindex(exp.index))
        by = pd.DataFrame({"exports": exp.to_numpy(), "dva": dva.to_numpy(),
                           "class": classes}).groupby("class").sum()
        by = by.reindex([k for k in CLASS_ORDER if k in by.index])
        by["exports_share"] = by["exports"] / by["exports"].sum()
        by["dva_share"] = by["dva"] / by["dva"].sum()
        long = by.rename_axis(index="sector", columns="measure").stack().rename("value")
        long = long.reset_index().assign(country=country, partner=TOTAL)
        rows.append(long[["country", "sector", "partner", "measure", "value"]])
    rows.append(common.output_share_rows(table))
    return pd.concat(rows, ignore_index=True)


def smile_curve(source: common.Source, country: str = "CHN", years: Any = None,
                scheduler: Any = None, *, group: str | Group | None = "bri64",
                progress: Any = False, cache: Any = True) -> pd.DataFrame:
    """Value added and its stage along ``country``'s export chains, with the technology mix.

    Parameters
    ----------
    source, years, scheduler, progress, cache
        As in :func:`silkchain.bri.value_capture.value_capture`.
    country : str
        The exporting country (must be a country of the table, not hidden in
        the rest of the world).
    group : str or Group, optional
        Only for the coverage note in ``attrs``.

    Returns
    -------
    DataFrame
        ``year, country, sector, partner, measure, value``; see the module
        docstring.

    References
    ----------
    .. [1] Ye, Meng & Wei (2015), "Measuring Smile Curves in Global Value
       Chains", IDE Discussion Paper 530.
    .. [2] Meng, Ye & Wei (2020), Oxford Bulletin of Economics and Statistics
       82(5): 988-1016.
    .. [3] Hatzichronoglou (1997), OECD STI Working Paper 1997/02 (technology
       intensity); Eurostat, High-tech industry and knowledge-intensive
       services, Annex 3 (NACE Rev.1.1 KIS).

    Examples
    --------
    >>> f = smile_curve("wiod2013:2011", "CHN")
    >>> share = f.query("measure == 'va_share'").value.sum()
    >>> round(float(share), 9)           # contributions add up to gross exports
    1.0
    >>> mix = f.query("measure == 'exports_share'").value.sum()
    >>> round(float(mix), 9)
    1.0
    """
    g = common.resolve_group(group)
    frame = common.compute(source, smile_year, name="bri-smile", params={"country": country},
                           years=years, scheduler=scheduler, progress=progress, cache=cache)
    frame = common.add_trends(frame, change=["smile_curvature", "domestic_va_share",
                                             "exports_share", "dva_share"])
    caveats = ["The value-added rate is value added per unit of gross output of the origin "
               "industry, a proxy for gains per stage; it is not profit or wages.",
               "Technology classes are those of the largest ISIC rev.3 part of each WIOD "
               "aggregate (chemicals incl. pharmaceuticals: medium-high; electrical and "
               "optical equipment: high; transport equipment: medium-high)."]
    return common.finish(frame, "smile_curve", g, source=source,
                         notes={"country": country}, caveats=caveats)


def chart_data(frame: pd.DataFrame, year: int | None = None) -> dict[str, Any]:
    """Points (stage, va_rate, size va) of one year, the fitted curve and the technology mix."""
    year = year or int(frame["year"].max())
    sub = frame[(frame["year"] == year) & (frame["partner"] != TOTAL)]
    wide = sub.pivot_table(index=["country", "sector"], columns="measure", values="value")
    exporter = frame.attrs.get("notes", {}).get("country")
    points = [{"country": c, "sector": s, "stage": float(r["stage"]),
               "va_rate": float(r["va_rate"]), "va": float(r["va"]),
               "domestic": c == exporter}
              for (c, s), r in wide.iterrows() if np.isfinite(r["stage"])]
    coef = weighted_quadratic(wide["stage"].to_numpy(), wide["va_rate"].to_numpy(),
                              wide["va"].to_numpy())
    xs = np.linspace(1, float(np.nanpercentile(wide["stage"], 99)), 40) if len(wide) else []
    mix = frame[(frame["year"] == year) & (frame["measure"] == "exports_share")]
    return {"kind": "smile", "title": f"smile curve of {exporter}'s exports, {year}",
            "x": "stage", "y": "va_rate", "points": points,
            "fit": {"x": list(map(float, xs)),
                    "y": [float(coef[0] + coef[1] * x + coef[2] * x * x) for x in xs]},
            "technology_mix": dict(zip(mix["sector"], mix["value"].astype(float),
                                       strict=True)),
            "caveats": frame.attrs.get("caveats", [])}
