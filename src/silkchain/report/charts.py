"""Plotly figures drawn from the tidy frames of silkchain's public API.

Each function takes frames exactly as the API returns them and only selects,
orders and labels what it draws; nothing here computes a measure. Shared by the
report and the dashboard.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from silkchain.measures.tidy import TOTAL
from silkchain.report.assets import PALETTE, layout_defaults

#: Text shown wherever small economies appear (from the data README of the bundled tables).
SMALL_ECONOMY_CAVEAT = (
    "The bundled WIOD 2013 tables are rounded to whole US$ million; small economies lose "
    "2–6.6% of gross output to cells rounded to zero (Malta and Estonia in 1995 most), so "
    "their measures can differ visibly from those published on the unrounded release, while "
    "large economies agree closely.")
#: Countries of WIOD 2013 whose rows the data README flags as hit hardest by rounding, and
#: the other small economies of the table (gross output below about 0.2% of the world's).
SMALL_ECONOMIES = ("MLT", "EST", "CYP", "LVA", "LTU", "SVN", "LUX", "BGR", "SVK")


def small_economy_caveat(countries: Sequence[str]) -> str | None:
    """The rounding caveat naming the small economies among ``countries``, or ``None``.

    >>> small_economy_caveat(["CHN", "EST", "LVA"]).split(";")[0]
    'Shown here: EST, LVA'
    >>> small_economy_caveat(["CHN", "USA"]) is None
    True
    """
    shown = [c for c in dict.fromkeys(countries) if c in SMALL_ECONOMIES]
    if not shown:
        return None
    return f"Shown here: {', '.join(shown)}; " + SMALL_ECONOMY_CAVEAT[0].lower() + \
        SMALL_ECONOMY_CAVEAT[1:]


def new_figure(height: int = 480, **layout: Any) -> Any:
    """An empty figure with the shared layout."""
    import plotly.graph_objects as go

    fig = go.Figure()
    fig.update_layout(**{**layout_defaults(height), **layout})
    return fig


def colour(i: int) -> str:
    """The ``i``-th colour of the palette (cycling)."""
    return PALETTE[i % len(PALETTE)]


# --------------------------------------------------------------------------- scenario
SCENARIO_LEVELS = ("gdp", "dva_exports", "gross_exports", "gross_output")
SCENARIO_SHARES = ("gvc_forward", "gvc_backward", "koopman_participation", "koopman_position",
                   "gvc_position")
SCENARIO_LABELS = {
    "gdp": "value added (GDP)", "dva_exports": "domestic VA in exports (BM)",
    "gross_exports": "gross exports", "gross_output": "gross output",
    "gvc_forward": "forward GVC participation (WWYZ)",
    "gvc_backward": "backward GVC participation (WWYZ)",
    "koopman_participation": "GVC participation (Koopman)",
    "koopman_position": "GVC position (Koopman)", "gvc_position": "GVC position (WWYZ)",
}


def scenario_country_totals(comparison: pd.DataFrame) -> pd.DataFrame:
    """Country totals of a scenario comparison, wide: one row per country.

    Columns ``<measure>_baseline``, ``<measure>_scenario``, ``<measure>_delta`` and,
    for levels, ``<measure>_pct`` (per cent change), in the comparison's order.
    """
    tot = comparison[comparison["sector"] == TOTAL]
    if tot.empty:
        raise ValueError(f"the comparison has no country totals (sector == {TOTAL!r})")
    out = pd.DataFrame(index=pd.Index(list(dict.fromkeys(tot["country"])), name="country"))
    for measure, rows in tot.groupby("measure", sort=False):
        r = rows.set_index("country")
        out[f"{measure}_baseline"] = r["baseline"]
        out[f"{measure}_scenario"] = r["scenario"]
        out[f"{measure}_delta"] = r["delta"]
        if measure in SCENARIO_LEVELS:
            with np.errstate(divide="ignore", invalid="ignore"):
                out[f"{measure}_pct"] = 100 * r["delta"] / r["baseline"].abs()
    return out.reset_index()


def scenario_focus(wide: pd.DataFrame, must: Sequence[str] = (), top: int = 12) -> list[str]:
    """Countries to show: ``must`` first, then the largest absolute GDP changes (in %)."""
    key = "gdp_pct" if "gdp_pct" in wide.columns else next(
        c for c in wide.columns if c.endswith("_delta"))
    ranked = wide.assign(_k=wide[key].abs()).sort_values("_k", ascending=False)["country"]
    chosen = [c for c in must if c in set(wide["country"])]
    for c in ranked:
        if len(chosen) >= max(top, len(must)):
            break
        if c not in chosen:
            chosen.append(c)
    return chosen


def scenario_figure(comparison: pd.DataFrame, must: Sequence[str] = (), top: int = 12,
                    title: str = "", names: Mapping[str, str] | None = None) -> Any:
    """Per-cent change of value added and of domestic VA in exports, by country.

    Horizontal grouped bars for the countries of :func:`scenario_focus` (labelled with
    ``names`` where given); hover shows the baseline and the change in US$ million.
    """
    import plotly.graph_objects as go

    wide = scenario_country_totals(comparison)
    focus = scenario_focus(wide, must, top)
    shown = wide.set_index("country").loc[focus[::-1]]
    fig = new_figure(height=max(360, 34 * len(focus) + 140))
    for i, measure in enumerate(m for m in ("gdp", "dva_exports", "gross_exports")
                                if f"{m}_pct" in shown.columns):
        fig.add_trace(go.Bar(
            y=[(names or {}).get(c, c) for c in shown.index], x=shown[f"{measure}_pct"],
            orientation="h",
            name=SCENARIO_LABELS[measure], marker_color=colour(i),
            customdata=np.c_[shown[f"{measure}_baseline"], shown[f"{measure}_delta"]],
            hovertemplate="%{y}: %{x:.3f}%<br>baseline %{customdata[0]:,.0f}, change "
                          "%{customdata[1]:,.0f} US$ m<extra>" + SCENARIO_LABELS[measure]
                          + "</extra>"))
    fig.update_layout(barmode="group", title={"text": title, "x": 0.01},
                      legend={"orientation": "h", "y": -0.12})
    fig.update_xaxes(title="change against the baseline, %", zeroline=True,
                     zerolinecolor="#444")
    return fig


def scenario_table(comparison: pd.DataFrame, must: Sequence[str] = (), top: int = 12,
                   names: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The countries of :func:`scenario_figure` with levels, % changes and share changes
    (and a ``name`` column after ``country`` when ``names`` is given)."""
    wide = scenario_country_totals(comparison)
    focus = scenario_focus(wide, must, top)
    shown = wide.set_index("country").loc[focus]
    cols: dict[str, pd.Series] = {}
    for m in SCENARIO_LEVELS:
        if f"{m}_pct" in shown.columns:
            cols[f"{m} baseline (US$ m)"] = shown[f"{m}_baseline"]
            cols[f"{m} change %"] = shown[f"{m}_pct"]
    for m in SCENARIO_SHARES:
        if f"{m}_delta" in shown.columns:
            cols[f"{m} change"] = shown[f"{m}_delta"]
    out = pd.DataFrame(cols).reset_index()
    if names is not None:
        out.insert(1, "name", [names.get(c, c) for c in out["country"]])
    return out
