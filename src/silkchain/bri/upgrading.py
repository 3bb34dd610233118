"""Answer 7 -- upgrading paths: rising advantage and position; sectors close to strengths.

For one country ``c`` over the years of the source:

1. **Rising value-added RCA.** ``NRCA``, the "new" revealed comparative
   advantage on domestic value added in exports by sector of origin
   (Koopman, Wang & Wei 2014, §V; :func:`silkchain.measures.rca.rca` with
   ``basis="value_added"``): ``NRCA_first``, ``NRCA_last``, ``NRCA_slope``.
2. **Rising position.** The WWYZ (2017b) sector ``GVC_position``
   (:func:`silkchain.measures.positioning.production_length`):
   ``GVC_position_slope``.
   ``upgrading`` = 1 where both slopes are positive.
3. **Candidates close to current strengths.** Relatedness is the product-space
   *proximity* of Hidalgo, Klinger, Barabási & Hausmann (2007):
   ``phi_ij = min{P(NRCA_i > 1 | NRCA_j > 1), P(NRCA_j > 1 | NRCA_i > 1)}``,
   the conditional probabilities counted over all country-years of the
   source (the rest-of-world aggregate left out: it is not a country). The
   *density* of sector ``j`` for ``c`` (Hausmann & Klinger 2007) is
   ``sum_i M_ci phi_ij / sum_i phi_ij`` with ``M_ci = 1`` where ``c`` has
   ``NRCA_i > 1`` in the last year: the share of ``j``'s proximity that falls
   on sectors where ``c`` is already strong. ``candidate`` = 1 for tradable
   sectors without an advantage yet (sectors in the non-tradable broad sectors
   of :data:`silkchain.concordances.broad.NON_TRADABLE` never are; they are
   listed in ``attrs["notes"]["non_tradable"]``); ``candidate_rank`` orders the
   candidates by density (1 = closest to current strengths).

Rows (year = last year): ``country = c``, ``sector``, measures above, plus
``has_advantage`` and ``density``; and the proximity matrix itself as rows
with ``country = "_T"``, ``sector = i``, ``partner = j``, measure ``proximity``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from silkchain.bri import common
from silkchain.bri.core import density, ols_slope, proximity
from silkchain.groups import Group
from silkchain.groups.registry import REST_OF_WORLD_LABELS
from silkchain.measures.catalogue import MEASURES
from silkchain.measures.tidy import TOTAL
from silkchain.table import MRIOTable


def upgrading_year(table: MRIOTable, country: str = "CHN") -> pd.DataFrame:
    """Value-added RCA of every country and sector; GVC position of ``country``'s sectors."""
    common.require_country(country, list(table.labels.countries), "upgrading_paths")
    r = MEASURES["nrca"].compute(table)
    r = r[r["measure"] == "NRCA"].assign(partner=TOTAL)
    pos = MEASURES["production_length"].compute(table, "sector")
    pos = pos[(pos["measure"] == "GVC_position") & (pos["country"] == country)]
    pos = pos.assign(partner=TOTAL)
    cols = ["country", "sector", "partner", "measure", "value"]
    return pd.concat([r[cols], pos[cols], common.output_share_rows(table)], ignore_index=True)


def _specialisation(frame: pd.DataFrame, sectors: list[str]) -> tuple[np.ndarray, list[str]]:
    rca = frame[(frame["measure"] == "NRCA")
                & ~frame["country"].str.lower().isin(REST_OF_WORLD_LABELS)]
    wide = rca.pivot_table(index=["year", "country"], columns="sector", values="value")
    wide = wide.reindex(columns=sectors)
    return (wide.to_numpy(float) > 1.0), list(wide.index)


def upgrading_from_frame(frame: pd.DataFrame, country: str) -> pd.DataFrame:
    """The upgrading measures from a stacked per-year frame (see the module docstring)."""
    years = sorted(frame["year"].unique())
    last = years[-1]
    sectors = list(dict.fromkeys(frame.loc[frame["measure"] == "NRCA", "sector"]))
    M, _ = _specialisation(frame, sectors)
    phi = proximity(M)
    own = frame[(frame["country"] == country)]
    rca = own[own["measure"] == "NRCA"].pivot_table(index="sector", columns="year",
                                                     values="value").reindex(sectors)
    pos = own[own["measure"] == "GVC_position"].pivot_table(
        index="sector", columns="year", values="value").reindex(sectors)
    x = np.asarray(years, dtype=float)
    out = pd.DataFrame(index=sectors)
    out["NRCA_first"] = rca[years[0]]
    out["NRCA_last"] = rca[last]
    out["NRCA_slope"] = ols_slope(x, rca.reindex(columns=years).to_numpy(float))
    out["GVC_position_last"] = pos[last]
    out["GVC_position_slope"] = ols_slope(x, pos.reindex(columns=years).to_numpy(float))
    out["upgrading"] = ((out["NRCA_slope"] > 0) & (out["GVC_position_slope"] > 0)).astype(float)
    has = (out["NRCA_last"] > 1.0).to_numpy()
    out["has_advantage"] = has.astype(float)
    out["density"] = density(has, phi)
    out["candidate"] = (~has).astype(float)
    cand = out.loc[~has, "density"].rank(ascending=False, method="first")
    out["candidate_rank"] = cand.reindex(out.index)
    rows = common.long_from_wide(out).rename(columns={"country": "sector", "sector": "_"})
    rows = rows.assign(country=country, partner=TOTAL)
    rows = rows[["country", "sector", "partner", "measure", "value"]]
    prox = pd.DataFrame({"country": TOTAL, "sector": np.repeat(sectors, len(sectors)),
                         "partner": np.tile(sectors, len(sectors)), "measure": "proximity",
                         "value": phi.ravel()})
    result = pd.concat([rows, prox], ignore_index=True)
    result.insert(0, "year", last)
    return result


def _sector_names(source: common.Source, years: Any) -> tuple[dict[str, str], list[str] | None]:
    """Sector code -> long name, and the non-tradable sectors (``None`` when the table's
    sectors cannot be placed in broad sectors), from the first table of the source."""
    from silkchain.concordances.broad import NON_TRADABLE, classify
    from silkchain.errors import SilkchainError
    from silkchain.io.registry import read

    first = next(iter(common.source_tasks(source, years).values()))
    table = read(first) if isinstance(first, str) else first
    labels = table.labels
    try:
        broad: dict[str, str] | None = classify(table)
    except SilkchainError:
        broad = None
    non_tradable = None if broad is None else [s for s in labels.sectors
                                               if broad.get(s) in NON_TRADABLE]
    return dict(zip(labels.sectors, labels.sector_names, strict=True)), non_tradable


def upgrading_paths(source: common.Source, country: str = "CHN", years: Any = None,
                    scheduler: Any = None, *, group: str | Group | None = "bri64",
                    top: int = 5, progress: Any = False, cache: Any = True) -> pd.DataFrame:
    """Sectors with rising value-added RCA and position, and candidates near current strengths.

    Parameters
    ----------
    source, years, scheduler, progress, cache
        As in :func:`silkchain.bri.value_capture.value_capture`. Several years
        are needed for trends (slopes are NaN on one year); proximity is more
        reliable with more country-years.
    country : str
        The country (a country of the table).
    group : str or Group, optional
        Only for the coverage note in ``attrs``.
    top : int
        How many candidates and upgrading sectors to name in ``attrs["notes"]``.

    Returns
    -------
    DataFrame
        ``year, country, sector, partner, measure, value`` (year = last year);
        see the module docstring.

    References
    ----------
    .. [1] Hidalgo, Klinger, Barabási & Hausmann (2007), Science 317(5837):
       482-487 (proximity, product space).
    .. [2] Hausmann & Klinger (2007), CID Working Paper 146 (density).
    .. [3] Koopman, Wang & Wei (2014), AER 104(2), §V (value-added RCA).
    .. [4] Wang, Wei, Yu & Zhu (2017b), NBER WP 23261 (GVC position).

    Examples
    --------
    >>> f = upgrading_paths("wiod2013", "CHN", years=[2010, 2011], scheduler="sync", cache=False)
    >>> phi = f.query("measure == 'proximity'").value
    >>> bool(((phi >= 0) & (phi <= 1)).all())
    True
    """
    g = common.resolve_group(group)
    raw = common.compute(source, upgrading_year, name="bri-upgrading",
                         params={"country": country}, years=years, scheduler=scheduler,
                         progress=progress, cache=cache)
    frame = upgrading_from_frame(raw[raw["measure"] != common.OUTPUT_SHARE], country)
    frame = pd.concat([frame, raw[raw["measure"] == common.OUTPUT_SHARE]], ignore_index=True)
    names, non_tradable = _sector_names(source, years)
    # non-tradables (construction, real estate, public services, ...) are never candidates
    drop = (frame["country"] == country) & frame["sector"].isin(non_tradable or []) \
        & frame["measure"].isin(["candidate", "candidate_rank"])
    frame.loc[drop & (frame["measure"] == "candidate"), "value"] = 0.0
    frame.loc[drop & (frame["measure"] == "candidate_rank"), "value"] = np.nan
    own = frame[frame["country"] == country].pivot_table(index="sector", columns="measure",
                                                         values="value", dropna=False)
    cands = own[own["candidate"] == 1].sort_values("candidate_rank").index[:top].tolist()
    ups = own[own["upgrading"] == 1].sort_values("NRCA_slope", ascending=False)
    n_years = raw["year"].nunique()
    caveats = [
        f"Sectors are the table's own {len(names)}, so 'close' sectors are as broad as they "
        f"are; proximity is estimated from {n_years} year(s) x the table's countries (rest of "
        "world left out) and is coarse with few countries.",
        "Value-added RCA counts domestic value added by sector of origin; a rise can come "
        "from prices as well as capabilities. Candidates are where capabilities are close, "
        "not forecasts or policy advice.",
    ]
    if n_years < 3:
        caveats.append("Fewer than three years: slopes and the upgrading flag are fragile.")
    if non_tradable is None:
        caveats.append("The table's sectors could not be placed in broad sectors, so "
                       "non-tradable sectors could not be kept out of the candidates.")
    return common.finish(
        frame, "upgrading_paths", g, source=source,
        notes={"country": country, "candidates": ", ".join(cands),
               "non_tradable": ", ".join(non_tradable or []),
               "upgrading": ", ".join(ups.index[:top].tolist()),
               "sector_names": "; ".join(f"{c}: {names.get(c, c)}"
                                         for c in dict.fromkeys([*cands, *ups.index[:top]]))},
        caveats=caveats, uses_all_countries=True)


def chart_data(frame: pd.DataFrame) -> dict[str, Any]:
    """Sectors as points (NRCA slope, position slope) and the ranked candidates."""
    country = frame.attrs.get("notes", {}).get("country")
    own = frame[frame["country"] == country].pivot_table(index="sector", columns="measure",
                                                         values="value", dropna=False)
    points = [{"sector": s, "x": float(r["NRCA_slope"]), "y": float(r["GVC_position_slope"]),
               "has_advantage": bool(r["has_advantage"]), "density": float(r["density"])}
              for s, r in own.iterrows()]
    cands = own[own["candidate"] == 1].sort_values("candidate_rank")
    return {"kind": "scatter", "title": f"upgrading paths of {country}",
            "x": "NRCA_slope", "y": "GVC_position_slope", "points": points,
            "candidates": [{"sector": s, "density": float(r["density"])}
                           for s, r in cands.iterrows()],
            "caveats": frame.attrs.get("caveats", [])}
