"""Answer -- supply-chain exposure: each economy's reliance on the hub, and the hub's on the group.

Face-value (direct, from ``A``) and look-through (direct and indirect, from
``B - I``) reliance after Baldwin, Freeman & Theodorakopoulos (2022, NBER WP
30525); definitions in :mod:`silkchain.core.exposure`. For every country ``c``
of the table other than the hub ``h`` (``partner`` = hub):

=========================  ==================================================
``supply_fv``              ``c``'s inputs bought directly from ``h`` per unit of
                           ``c``'s output (output-weighted over its industries)
``supply_lt``              output of ``h`` needed directly and indirectly per
                           unit of ``c``'s output
``supply_fv_share``,       ``h``'s share of all suppliers (own country included)
``supply_lt_share``
``supply_hidden_ratio``    ``supply_lt / supply_fv`` (BFT's hidden exposure)
``sales_fv_share``         share of ``c``'s output sold directly to ``h``
``sales_lt_share``         share of ``c``'s output absorbed in ``h``'s final demand
``sales_hidden_ratio``     ``sales_lt_share / sales_fv_share``
=========================  ==================================================

and, with ``partner`` empty, ``c``'s foreign reliance as a whole:
``supply_foreign_fv_share``, ``supply_foreign_lt_share`` and ``supply_hhi_lt``
(concentration of its foreign suppliers). The hub's exposure to the group
(``country`` = hub, ``partner`` = group name) adds up the same terms over the
group's members that are countries of the table; members hidden in the rest of
the world cannot be counted (the coverage note says which).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from silkchain.bri import common
from silkchain.core import exposure as core
from silkchain.core.blocks import safe_ratio
from silkchain.errors import MeasureError
from silkchain.groups import Group
from silkchain.measures.exposure import exposure_arrays
from silkchain.measures.tidy import TOTAL
from silkchain.table import MRIOTable

TERMS = ("fv", "lt", "fv_share", "lt_share", "hidden_ratio")


def _terms(table: MRIOTable, side: str) -> dict[str, np.ndarray]:
    FV, LT = exposure_arrays(table, "country", side)
    by_partner, by_unit = core.exposure_terms(FV, LT, np.arange(table.G))
    return {**{f"{side}_{t}": by_partner[t] for t in TERMS},
            **{f"{side}_{t}": by_unit[t] for t in core.UNIT_TERMS}}


def _sector_rows(table: MRIOTable, h: int, hub: str) -> pd.DataFrame:
    """Every industry's exposure to the hub (``sector`` = the industry's sector)."""
    G, N = table.G, table.N
    cols: dict[str, np.ndarray] = {}
    for side, names in (("supply", TERMS), ("sales", ("fv_share", "lt_share",
                                                       "hidden_ratio"))):
        FV, LT = exposure_arrays(table, "sector", side)
        by_partner, _ = core.exposure_terms(FV, LT, core.own_country(G, N, "sector"))
        cols.update({f"{side}_{t}": by_partner[t][h, :] for t in names})
    keep = np.repeat(np.arange(G), N) != h
    wide = pd.DataFrame(cols)[keep]
    wide.insert(0, "country", np.repeat(list(table.labels.countries), N)[keep])
    wide.insert(1, "sector", np.tile(list(table.labels.sectors), G)[keep])
    long = wide.melt(id_vars=["country", "sector"], var_name="measure", value_name="value")
    long.insert(2, "partner", hub)
    return long


def exposure_year(table: MRIOTable, hub: str = "CHN", group: Group | None = None,
                  level: str = "country") -> pd.DataFrame:
    """The exposure measures on one table (see the module docstring)."""
    if level not in ("country", "sector"):
        raise MeasureError(f"exposure: level must be 'country' or 'sector', got {level!r}")
    countries = list(table.labels.countries)
    common.require_country(hub, countries, "exposure")
    h = countries.index(hub)
    terms = {**_terms(table, "supply"), **_terms(table, "sales")}
    to_hub = {name: terms[name][h, :] for name in
              (*(f"supply_{t}" for t in TERMS),
               *(f"sales_{t}" for t in ("fv_share", "lt_share", "hidden_ratio")))}
    wide = pd.DataFrame(to_hub, index=countries).drop(index=hub)
    overall = pd.DataFrame({f"supply_{t}": terms[f"supply_{t}"] for t in
                            ("foreign_fv_share", "foreign_lt_share", "hhi_lt")},
                           index=countries)
    rows = [common.long_from_wide(wide, partner=hub), common.long_from_wide(overall)]
    members = [c for c in common.members_in_table(group, table) if c != hub]
    if group is not None and members:
        idx = [countries.index(c) for c in members]
        pooled = {}
        for side in ("supply", "sales"):
            for t in ("fv", "lt", "fv_share", "lt_share"):
                if side == "sales" and t in ("fv", "lt"):
                    continue
                pooled[f"{side}_{t}"] = float(terms[f"{side}_{t}"][idx, h].sum())
        for side, num, den in (("supply", "lt", "fv"), ("sales", "lt_share", "fv_share")):
            pooled[f"{side}_hidden_ratio"] = float(safe_ratio(
                np.array(pooled[f"{side}_{num}"]), np.array(pooled[f"{side}_{den}"])))
        rows.append(common.long_from_wide(pd.DataFrame(pooled, index=[hub]),
                                          partner=group.name))
    if level == "sector":
        rows.append(_sector_rows(table, h, hub))
    rows.append(common.output_share_rows(table))
    return pd.concat(rows, ignore_index=True)


def exposure(source: common.Source, group: str | Group | None = "bri64",
             years: Any = None, scheduler: Any = None, *, hub: str = "CHN",
             level: str = "country", progress: Any = False, cache: Any = True
             ) -> pd.DataFrame:
    """Each economy's face-value and look-through exposure to the hub, and the hub's to the group.

    Parameters
    ----------
    source, group, years, scheduler, progress, cache
        As in :func:`silkchain.bri.value_capture.value_capture`.
    hub : str
        The hub country (default ``CHN``); it must be a country of the table.
    level : {"country", "sector"}
        ``"sector"`` adds every industry's exposure to the hub (the to-hub terms
        with ``sector`` set).

    Returns
    -------
    DataFrame
        ``year, country, sector, partner, measure, value``; see the module docstring.

    References
    ----------
    .. [1] Baldwin, R., Freeman, R. & Theodorakopoulos, A. (2022). Horses for courses:
       measuring foreign supply chain exposure. NBER WP 30525.

    Examples
    --------
    >>> f = exposure("wiod2013:2011")
    >>> s = f.query("measure == 'supply_hidden_ratio'").value.dropna()
    >>> bool((s >= 1).all())
    True
    """
    g = common.resolve_group(group)
    frame = common.compute(source, exposure_year, name="bri-exposure",
                           params={"hub": hub, "group": g, "level": level}, years=years,
                           scheduler=scheduler, progress=progress, cache=cache)
    frame = common.add_trends(frame, change=["supply_lt_share", "supply_fv_share"])
    return common.finish(
        frame, "exposure", g, source=source, notes={"hub": hub, "level": level},
        caveats=["Supply side per unit of output: face value counts inputs bought directly "
                 "from the hub, look-through also those embodied in inputs from any other "
                 "supplier (Baldwin, Freeman & Theodorakopoulos 2022).",
                 "The hub's exposure to the group counts only members that are countries of "
                 "the table: a lower bound where members are hidden in the rest of the "
                 "world."])


def chart_data(frame: pd.DataFrame, measure: str = "supply_lt_share") -> dict[str, Any]:
    """Bars of face-value and look-through shares of the hub by country, last year."""
    last = max(frame.attrs.get("years") or frame["year"].unique())
    fv_name = measure.replace("_lt", "_fv")
    sub = frame[(frame["year"] == last) & frame["measure"].isin([measure, fv_name])
                & (frame["partner"] == (frame.attrs.get("notes") or {}).get("hub"))
                & (frame["sector"] == TOTAL)]
    wide = sub.pivot_table(index="country", columns="measure", values="value").dropna()
    wide = wide.sort_values(measure, ascending=False)
    inside = (frame.attrs.get("coverage") or {}).get("inside", [])
    return {"kind": "bar", "title": f"{measure} and {fv_name}, {last}", "x": "country",
            "y": measure,
            "bars": [{"country": c, "value": float(r[measure]),
                      "face_value": float(r.get(fv_name, np.nan)), "member": c in inside}
                     for c, r in wide.iterrows()],
            "caveats": frame.attrs.get("caveats", [])}
