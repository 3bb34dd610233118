"""Plotly figures and tables for the dashboard, built from tidy frames."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd

from silkchain.report.assets import layout_defaults


def measure_figure(frame: pd.DataFrame, title: str, unit: str) -> dict[str, Any]:
    """Lines over years, one per country (bars when a single year is shown).

    ``frame`` has columns ``year, country, measure, value``; the result is the
    figure as plain JSON-ready data (``{"data": [...], "layout": {...}}``).
    """
    import plotly.graph_objects as go

    fig = go.Figure()
    years = sorted(frame["year"].unique())
    if len(years) == 1:
        fig.add_trace(go.Bar(x=frame["country"], y=frame["value"], name=str(years[0]),
                             hovertemplate="%{x}: %{y:.4g}<extra></extra>"))
        fig.update_xaxes(title="country")
    else:
        for code, rows in frame.groupby("country", sort=False):
            fig.add_trace(go.Scatter(x=rows["year"], y=rows["value"], mode="lines+markers",
                                     name=str(code),
                                     hovertemplate=f"{code} %{{x}}: %{{y:.4g}}<extra></extra>"))
        fig.update_xaxes(title="year", dtick=1 if len(years) <= 20 else None)
    fig.update_layout(**layout_defaults(height=430), title={"text": title, "x": 0.01})
    fig.update_yaxes(title=unit)
    return json.loads(fig.to_json())


def wide_table(frame: pd.DataFrame) -> dict[str, Any]:
    """Countries as rows, years as columns: ``{"columns": [...], "rows": [[...], ...]}``."""
    if frame.empty:
        return {"columns": ["country"], "rows": []}
    wide = frame.pivot_table(index="country", columns="year", values="value", sort=False)
    wide = wide.reindex(list(dict.fromkeys(frame["country"])))
    cols = ["country", *[str(c) for c in wide.columns]]
    rows = [[str(idx), *[None if pd.isna(v) else float(v) for v in row]]
            for idx, row in zip(wide.index, wide.to_numpy(), strict=True)]
    return {"columns": cols, "rows": rows}
