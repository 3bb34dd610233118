"""Answer 3 -- position: where countries and sectors sit in value chains, and where China moves.

Three positioning measures, by country (or country and sector) and year:

==================  ===========================================================
``U``               upstreamness of Antràs, Chor, Fally & Hillberry (2012), with
                    the net inventory correction of Antràs & Chor (2018) where
                    the table has an inventory category (METHODS.md §11);
                    country level on the table collapsed to countries
``GVC_position``    ``PLv_GVC / PLy_GVC`` of Wang, Wei, Yu & Zhu (2017b, §10):
                    > 1 relatively upstream in GVC production
``position``        Koopman, Powers, Wang & Wei (2010, §8):
                    ``ln(1 + IV/E) - ln(1 + FV/E)``; > 0 upstream
==================  ===========================================================

computed by :mod:`silkchain.measures.positioning` and
:mod:`silkchain.measures.participation`. Over several years each measure
gets a least-squares trend ``<m>_slope`` (per year) and a yearly rank
``<m>_rank`` among the table's countries (1 = most upstream; country level
only). ``attrs["notes"]["china"]`` says whether China moved upstream on each
measure over the span.

"The high end" is read here as upstream (design, components, services
feeding others' production), as in the GVC-position literature; upstream
also includes raw materials, so a rising position is not by itself a rise
in value added per unit: read it beside value capture (answer 1) and the
smile curve (answer 6).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from silkchain.bri import common
from silkchain.errors import MeasureError
from silkchain.groups import Group
from silkchain.measures.catalogue import MEASURES as CATALOGUE
from silkchain.measures.tidy import TOTAL
from silkchain.table import MRIOTable

MEASURES = ("U", "GVC_position", "position")
#: Helper rows (stripped by ``common.finish``): gross exports, to say why a position is missing.
_EXPORTS = "_exports"


def position_year(table: MRIOTable, level: str = "country",
                  group: Group | None = None, hub: str | None = None) -> pd.DataFrame:
    """Upstreamness, WWYZ GVC position and Koopman position on one table.

    ``hub``, when given, must be a country of the table (it is refused otherwise).
    """
    if hub is not None:
        common.require_country(hub, list(table.labels.countries), "position --hub")
    k = CATALOGUE["koopman"].compute(table, level)
    parts = [CATALOGUE["upstreamness"].compute(table, level),
             CATALOGUE["production_length"].compute(table, level).query(
                 "measure == 'GVC_position'"),
             k.query("measure == 'position'"),
             k.query("measure == 'E'").assign(measure=_EXPORTS)]  # helper: why NaN
    frame = pd.concat(parts, ignore_index=True)
    if "sector" not in frame.columns:
        frame["sector"] = TOTAL
    frame["partner"] = TOTAL
    frame = frame[["country", "sector", "partner", "measure", "value"]]
    if group is not None and level == "country":
        frame = pd.concat([frame, _group_rows(frame, table, group)], ignore_index=True)
    return pd.concat([frame, common.output_share_rows(table)], ignore_index=True)


def _group_rows(frame: pd.DataFrame, table: MRIOTable, group: Group) -> pd.DataFrame:
    """Gross-output-weighted mean position of the members in the table."""
    members = common.members_in_table(group, table)
    x = pd.Series(table.x.reshape(table.G, table.N).sum(axis=1), index=table.labels.countries)
    rows = []
    for m in MEASURES:
        vals = frame[frame["measure"] == m].set_index("country")["value"].reindex(members)
        ok = vals.notna()
        w = x.reindex(members)[ok]
        value = float((vals[ok] * w).sum() / w.sum()) if w.sum() > 0 else np.nan
        rows.append({"country": group.name, "sector": TOTAL, "partner": TOTAL, "measure": m,
                     "value": value})
    return pd.DataFrame(rows)


def _ranks(frame: pd.DataFrame, group: Group | None) -> pd.DataFrame:
    label = group.name if group is not None else None
    sub = frame[frame["measure"].isin(MEASURES) & (frame["sector"] == TOTAL)
                & (frame["country"] != label)]
    if sub.empty:
        return frame
    ranks = sub.assign(value=sub.groupby(["year", "measure"])["value"].rank(ascending=False,
                                                                         method="min"))
    ranks = ranks.assign(measure=ranks["measure"] + "_rank")
    return pd.concat([frame, ranks], ignore_index=True)


def _china_note(frame: pd.DataFrame, hub: str) -> dict[str, Any]:
    years = sorted(frame["year"].unique())
    if len(years) < 2:
        return {}
    note = {}
    for m in MEASURES:
        s = frame[(frame["country"] == hub) & (frame["measure"] == f"{m}_slope")
                  & (frame["sector"] == TOTAL)]
        r = frame[(frame["country"] == hub) & (frame["measure"] == f"{m}_rank")]
        if s.empty or not np.isfinite(s["value"].iloc[0]):
            continue
        slope = float(s["value"].iloc[0])
        ranks = r.sort_values("year")["value"].tolist()
        note[m] = (f"slope {slope:+.4g} per year ({'upstream' if slope > 0 else 'downstream'}"
                   f"); rank {int(ranks[0])} in {years[0]} -> {int(ranks[-1])} in {years[-1]}"
                   if ranks else f"slope {slope:+.4g} per year")
    return note


def position(source: common.Source, group: str | Group | None = "bri64",
             years: Any = None, scheduler: Any = None, *, level: str = "country",
             hub: str = "CHN", progress: Any = False, cache: Any = True) -> pd.DataFrame:
    """Upstreamness, WWYZ GVC position and Koopman position over time, and China's direction.

    Parameters
    ----------
    source, group, years, scheduler, progress, cache
        As in :func:`silkchain.bri.value_capture.value_capture`.
    level : {"country", "sector"}
        By country, or by country and sector.
    hub : str
        The country whose direction is summarised in ``attrs["notes"]``.

    Returns
    -------
    DataFrame
        ``year, country, sector, partner, measure, value``; see the module
        docstring. Group rows (country level) are gross-output-weighted means
        over the members in the table.

    References
    ----------
    .. [1] Antràs, Chor, Fally & Hillberry (2012), AER P&P 102(3): 412-416.
    .. [2] Antràs & Chor (2018), NBER WP 24185, §2.2.
    .. [3] Wang, Wei, Yu & Zhu (2017b), NBER WP 23261, §2-3.
    .. [4] Koopman, Powers, Wang & Wei (2010), NBER WP 16426, §4.

    Examples
    --------
    >>> f = position("wiod2013:2011")
    >>> u = f.query("measure == 'U' and country != 'bri64'").value
    >>> bool((u >= 1).all())
    True
    """
    if level not in ("country", "sector"):
        raise MeasureError(f"position: level={level!r} is not valid; choose 'country' or "
                           "'sector'")
    g = common.resolve_group(group)
    frame = common.compute(source, position_year, name="bri-position",
                           params={"level": level, "group": g, "hub": hub}, years=years,
                           scheduler=scheduler, progress=progress, cache=cache)
    if level == "country":
        frame = _ranks(frame, g)
    frame = common.add_trends(frame, slope=MEASURES)
    return common.finish(
        frame, "position", g, source=source, notes={"china": _china_note(frame, hub)}
        if level == "country" else {},
        caveats=["Upstream is not the same as high value: raw-material exporters are upstream "
                 "too. Read position beside value capture and the smile curve.",
                 "Upstreamness uses the Antràs-Chor (2018) net inventory correction when the "
                 "table has an inventory category (its inventory column, where there is one).",
                 *_missing(frame)])


def _missing(frame: pd.DataFrame) -> list[str]:
    """Why values are missing (NaN), counted by reason; empty when nothing is missing."""
    keys = ["year", "country", "sector"]
    exports = frame[frame["measure"] == _EXPORTS].set_index(keys)["value"]
    pos = frame[frame["measure"] == "position"].set_index(keys)["value"]
    gvc = frame[frame["measure"] == "GVC_position"]
    upstream = frame[frame["measure"] == "U"]
    no_exports = int((pos.isna() & (exports.reindex(pos.index) == 0)).sum())
    undefined = int(pos.isna().sum()) - no_exports
    parts = []
    if no_exports:
        parts.append(f"Koopman position is missing for {no_exports} value(s) whose exports are "
                     "zero (the index divides by exports)")
    if undefined:
        parts.append(f"Koopman position is missing for {undefined} value(s) where "
                     "ln(1 + IV/E) or ln(1 + FV/E) is undefined (negative value added in the "
                     "table makes 1 + IV/E negative)")
    if gvc["value"].isna().any():
        parts.append(f"WWYZ GVC position is missing for {int(gvc['value'].isna().sum())} "
                     "value(s) with no GVC-related production (PLy_GVC is zero)")
    if upstream["value"].isna().any():
        parts.append(f"upstreamness is missing for {int(upstream['value'].isna().sum())} "
                     "value(s) of industries without output")
    return ["Missing values: " + "; ".join(parts) + "."] if parts else []


def chart_data(frame: pd.DataFrame, measure: str = "GVC_position") -> dict[str, Any]:
    """Lines of a position measure over the years for the members in the table and China."""
    cov = frame.attrs.get("coverage") or {}
    keep = set(cov.get("inside", [])) | {"CHN"} | {frame.attrs.get("group")}
    sub = frame[(frame["measure"] == measure) & frame["country"].isin(keep)
                & (frame["sector"] == TOTAL)]
    series = {c: {"x": g["year"].tolist(), "y": g["value"].tolist()}
              for c, g in sub.groupby("country", sort=False)}
    return {"kind": "line", "title": f"{measure} by year", "x": "year", "y": measure,
            "series": series, "notes": frame.attrs.get("notes", {}),
            "caveats": frame.attrs.get("caveats", [])}
