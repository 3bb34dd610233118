"""Plotly figures and tables for the dashboard, built from tidy frames."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from silkchain.report.assets import distinct_colours, layout_defaults


def colours(n: int) -> list[str]:
    """``n`` distinct colours: the report's palette, then evenly spread new hues.

    No colour repeats within one chart, however many traces it has.

    >>> c = colours(40)
    >>> len(c) == len(set(c)) == 40, c[:2] == distinct_colours(2)
    (True, True)
    """
    return distinct_colours(n)


def decimals(values: Any) -> int:
    """Decimals for a column of numbers, chosen once from its largest magnitude.

    >>> decimals([12345.6, 3.2]), decimals([0.5, -123.25]), decimals([0.0123, -15.9])
    (0, 1, 3)
    """
    arr = np.asarray([v for v in values if v is not None], dtype=float)
    arr = arr[np.isfinite(arr)]
    if arr.size == 0:
        return 0
    big = float(np.abs(arr).max())
    return 0 if big >= 1000 else 1 if big >= 100 else 3


def measure_figure(frame: pd.DataFrame, title: str, ylabel: str,
                   names: Mapping[str, str] | None = None,
                   highlight: str | None = None) -> dict[str, Any]:
    """Lines over years, one per country (bars when a single year is shown).

    ``frame`` has columns ``year, country, measure, value``; ``names`` maps codes to
    the names shown (legend, axis, hover); ``highlight`` (a group's line) is drawn
    thicker. The result is the figure as plain JSON-ready data.
    """
    import plotly.graph_objects as go

    names = names or {}
    fig = go.Figure()
    years = sorted(frame["year"].unique())
    codes = list(dict.fromkeys(frame["country"]))
    palette = dict(zip(codes, colours(len(codes)), strict=True))
    if len(years) == 1:
        labels = [names.get(c, c) for c in frame["country"]]
        fig.add_trace(go.Bar(x=labels, y=frame["value"], name=str(years[0]),
                             marker_color=[palette[c] for c in frame["country"]],
                             customdata=frame["country"],
                             hovertemplate="%{x} (%{customdata}): %{y:.4g}<extra></extra>"))
        fig.update_xaxes(title=f"country, {years[0]}", automargin=True)
    else:
        for code, rows in frame.groupby("country", sort=False):
            label = names.get(str(code), str(code))
            fig.add_trace(go.Scatter(
                x=rows["year"], y=rows["value"], mode="lines+markers", name=label,
                line={"color": palette[str(code)], "width": 4 if code == highlight else 2},
                hovertemplate=f"{label} %{{x}}: %{{y:.4g}}<extra></extra>"))
        fig.update_xaxes(title="year", dtick=1 if len(years) <= 12 else None)
    layout = layout_defaults(height=430)
    layout["margin"] = {"l": 60, "r": 20, "t": 30, "b": 60}
    layout["legend"] = {**layout.get("legend", {}), "orientation": "h", "y": -0.2}
    fig.update_layout(**layout, title={"text": title, "x": 0.01})
    fig.update_yaxes(title=ylabel, automargin=True)
    return json.loads(fig.to_json())


def wide_table(frame: pd.DataFrame, names: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Countries as rows, years as columns, with one number of decimals per column.

    ``{"columns": [...], "rows": [[...], ...], "decimals": [...]}``; the first column
    is the country's name (``names``), the second its code.
    """
    names = names or {}
    if frame.empty:
        return {"columns": ["country", "code"], "rows": [], "decimals": [None, None]}
    wide = frame.pivot_table(index="country", columns="year", values="value", sort=False,
                             dropna=False)
    wide = wide.reindex(list(dict.fromkeys(frame["country"])))
    cols = ["country", "code", *[str(c) for c in wide.columns]]
    rows = [[names.get(str(idx), str(idx)), str(idx),
             *[None if not math.isfinite(v) else float(v) for v in row]]
            for idx, row in zip(wide.index, wide.to_numpy(dtype=float), strict=True)]
    places = [None, None, *[decimals(wide[c].tolist()) for c in wide.columns]]
    return {"columns": cols, "rows": rows, "decimals": places}


def with_names(figure: dict[str, Any], names: Mapping[str, str]) -> dict[str, Any]:
    """``figure`` (plain JSON) with country codes on its axes and node labels replaced by
    the countries' names; a trace's values are changed only when all of them are codes.

    >>> fig = {"data": [{"y": ["CHN", "IND"], "x": [1, 2]}, {"y": ["CHN", "x"]}]}
    >>> [t["y"] for t in with_names(fig, {"CHN": "China", "IND": "India"})["data"]]
    [['China', 'India'], ['CHN', 'x']]
    """
    for trace in figure.get("data", []):
        for key in ("x", "y"):
            values = trace.get(key)
            if isinstance(values, list) and values and all(
                    isinstance(v, str) and v in names for v in values):
                trace[key] = [names[v] for v in values]
        node = trace.get("node")
        if isinstance(node, dict) and isinstance(node.get("label"), list):
            node["label"] = [names.get(v, v) if isinstance(v, str) else v
                             for v in node["label"]]
    return figure
