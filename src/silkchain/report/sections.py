"""One builder per Belt and Road answer: the answer's frame in, a report section out.

Builders only select, order and label: every number comes from the answer frame
(``silkchain.bri``) or the scenario comparison (``silkchain.scenarios``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from silkchain.concordances.broad import NON_TRADABLE
from silkchain.measures.tidy import TOTAL
from silkchain.report.assets import PALETTE, distinct_colours
from silkchain.report.charts import (
    SMALL_ECONOMY_CAVEAT,
    colour,
    new_figure,
    small_economy_caveat,
)
from silkchain.report.document import Chart, Report, Section, TableBlock

BM_CITE = ("Borin & Mancini (2023), Economic Systems Research 35(4):586–613, §3 and Table 2; "
           "Borin & Mancini (2019), World Bank PRWP 8804 (source-based exporter perspective, "
           "METHODS.md §6).")
WWYZ_A_CITE = ("Wang, Wei, Yu & Zhu (2017a), Measures of participation in global value chains "
               "and global business cycles, NBER WP 23222 (METHODS.md §9).")
WWYZ_B_CITE = ("Wang, Wei, Yu & Zhu (2017b), Characterizing global value chains: production "
               "length and upstreamness, NBER WP 23261 (METHODS.md §10).")
KOOPMAN_CITE = ("Koopman, Powers, Wang & Wei (2010), Give credit where credit is due, NBER WP "
                "16426 (METHODS.md §8).")
ANTRAS_CITE = ("Antràs, Chor, Fally & Hillberry (2012), AER P&P 102(3):412–16, with the net "
               "inventory correction of Antràs & Chor (2018), NBER WP 24185 (METHODS.md §11).")


#: Colour of the World bar or line (the group aggregate is vermillion, the hub orange).
WORLD_COLOUR = "#7F7F7F"
#: Table columns shown in per cent (fractions in the frames and the workbook).
PERCENT_COLUMNS = ("DVA share, %", "GVC-related share, %", "DVA growth, % p.a.")


def percent_columns(table: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """``table`` with the fraction columns among ``columns`` times 100 (tables beside %
    charts show % too).

    >>> percent_columns(pd.DataFrame({"share, %": [0.66]}), ["share, %"])["share, %"].tolist()
    [66.0]
    """
    out = table.copy()
    for c in columns:
        if c in out.columns:
            out[c] = 100 * out[c]
    return out


def label_positions(x: Any, y: Any) -> list[str]:
    """Text positions for point labels that keep neighbours' labels apart: points are
    taken in order of ``x`` and their labels alternate above, below, right and left.

    >>> label_positions([3, 1, 2], [0, 0, 0])
    ['middle right', 'top center', 'bottom center']
    """
    cycle = ("top center", "bottom center", "middle right", "middle left")
    order = np.argsort(np.asarray(x, dtype=float), kind="stable")
    out = [""] * len(order)
    for rank, i in enumerate(order):
        out[int(i)] = cycle[rank % len(cycle)]
    return out


def milestones(years: Sequence[int], points: int = 5) -> list[int]:
    """At most ``points`` evenly spaced years ending with the last (all when few).

    >>> milestones(list(range(1995, 2012)))
    [1995, 1999, 2003, 2007, 2011]
    >>> milestones([2010, 2011])
    [2010, 2011]
    """
    years = sorted(years)
    if len(years) <= points:
        return list(years)
    step = -(-(len(years) - 1) // (points - 1))
    chosen = years[::-1][::step][::-1]
    return sorted({years[0], *chosen})


def year_axis(fig: Any, **kw: Any) -> None:
    """Whole years on every x axis."""
    fig.update_xaxes(tickformat="d", **kw)


@dataclass
class Context:
    """What every builder needs besides the answer frame."""

    group: str | None
    hub: str
    years: list[int]
    report: Report
    sector_names: dict[str, str] = field(default_factory=dict)
    #: The table's sector code -> broad sector (``silkchain.concordances.broad.classify``);
    #: found from the answer's source when empty.
    sector_broad: dict[str, str] = field(default_factory=dict)

    @property
    def first(self) -> int:
        return self.years[0]

    @property
    def last(self) -> int:
        return self.years[-1]


def members(frame: pd.DataFrame) -> list[str]:
    """Group members that are countries of the table (from the answer's coverage)."""
    cov = frame.attrs.get("coverage") or {}
    return list(cov.get("inside", []))


def caveat_for(frame: pd.DataFrame, shown: Sequence[str], extra: str | None = None
               ) -> str | None:
    """The rounding caveat when small economies are among ``shown`` (plus ``extra``)."""
    small = set(frame.attrs.get("small_economies") or [])
    listed = [c for c in dict.fromkeys(shown) if c in small]
    parts = []
    if listed:  # the answer flagged them (gross output below its threshold)
        parts.append(f"Shown here: {', '.join(listed)}; " + SMALL_ECONOMY_CAVEAT[0].lower()
                     + SMALL_ECONOMY_CAVEAT[1:])
    elif small_economy_caveat(list(shown)):
        parts.append(small_economy_caveat(list(shown)) or "")
    if extra:
        parts.append(extra)
    return " ".join(parts) or None


def pick(frame: pd.DataFrame, measure: str, countries: Sequence[str] | None = None,
         year: int | None = None) -> pd.DataFrame:
    """Rows of one measure (optionally some countries and one year), country-level only."""
    sub = frame[frame["measure"] == measure]
    if "sector" in sub.columns:
        sub = sub[sub["sector"] == TOTAL]
    if countries is not None:
        sub = sub[sub["country"].isin(list(countries))]
    if year is not None:
        sub = sub[sub["year"] == year]
    return sub


def series(frame: pd.DataFrame, measure: str, year: int) -> pd.Series:
    """``country -> value`` of one measure in one year."""
    return pick(frame, measure, year=year).set_index("country")["value"]


def coverage_note(frame: pd.DataFrame) -> str:
    cov = frame.attrs.get("coverage") or {}
    return str(cov.get("description", ""))


# --------------------------------------------------------------------------- answer 1
def value_capture_section(frame: pd.DataFrame, ctx: Context) -> Section:
    """Domestic value added in exports: shares by country, the group's share of the world."""
    import plotly.graph_objects as go

    sheet = ctx.report.add_frame("value_capture", frame, "Answer 1, value capture: "
                                 "silkchain.bri.value_capture (Borin & Mancini terms, shares, "
                                 "trends).")
    mem = members(frame)
    group = frame.attrs.get("group")
    shown = [*mem, ctx.hub, *([group] if group else []), "World"]
    last = series(frame, "DVA_share", ctx.last).reindex(shown).dropna().sort_values()
    first = series(frame, "DVA_share", ctx.first).reindex(last.index)
    fig = new_figure(height=max(420, 24 * len(last) + 140))
    colours = [colour(1) if c == ctx.hub else colour(3) if c == group else WORLD_COLOUR
               if c == "World" else colour(0) for c in last.index]
    fig.add_trace(go.Bar(y=last.index, x=100 * last.to_numpy(), orientation="h",
                         name=str(ctx.last), marker_color=colours,
                         hovertemplate="%{y}: %{x:.1f}% of gross exports<extra></extra>"))
    if ctx.first != ctx.last:
        fig.add_trace(go.Scatter(y=first.index, x=100 * first.to_numpy(), mode="markers",
                                 name=str(ctx.first), marker={"symbol": "diamond", "size": 9,
                                                              "color": "#222"},
                                 hovertemplate="%{y} " + str(ctx.first)
                                 + ": %{x:.1f}%<extra></extra>"))
    fig.update_xaxes(title="domestic value added in gross exports, %")
    fig.update_layout(legend={"orientation": "h", "y": -0.08}, margin={"l": 70})
    charts = [Chart(
        "value-capture", f"How much of each exported dollar stays at home ({ctx.last})", fig,
        guide=("Each bar is the share of a country's gross exports that is its own value added "
               "(DVA, first passage through its border); the rest is foreign value added and "
               "double counting. Longer bars mean more value captured per dollar exported. "
               f"Diamonds mark {ctx.first}. The group bar (vermillion) sums its members' DVA and "
               "exports; the World bar is grey; China is orange."),
        citation=BM_CITE, caveat=caveat_for(frame, list(last.index)), sheets=(sheet,))]
    world = pick(frame, "DVA_world_share", [ctx.hub, *([group] if group else [])])
    if world["year"].nunique() > 1:
        fig2 = new_figure(height=380)
        for i, (code, rows) in enumerate(world.groupby("country", sort=False)):
            fig2.add_trace(go.Scatter(x=rows["year"], y=100 * rows["value"],
                                      mode="lines+markers", name=str(code),
                                      line={"color": colour(1 if code == ctx.hub else i * 2)},
                                      hovertemplate=f"{code} %{{x}}: %{{y:.2f}}%<extra></extra>"))
        fig2.update_yaxes(title="share of world DVA in exports, %")
        fig2.update_xaxes(title="year")
        year_axis(fig2, dtick=1 if len(ctx.years) <= 6 else 2)
        charts.append(Chart(
            "value-capture-world", "Share of the world's value added in exports", fig2,
            guide=("The line is the country's (or group's) share of all domestic value added "
                   "the world earns through exports. A rising line means value capture grows "
                   "faster than the world's."),
            citation=BM_CITE, sheets=(sheet,)))
    table = _value_capture_table(frame, shown, ctx)
    return Section("value-capture", "1. Value capture", intro=(
        "Who keeps the value of exports? Gross exports count intermediate inputs every time "
        "they cross a border; the Borin–Mancini accounting splits them into domestic value "
        "added, foreign value added and double counting. " + coverage_note(frame)),
        charts=tuple(charts), tables=(TableBlock("value-capture-table",
                                                 f"Value capture in {ctx.last}", table,
                                                 note="Levels in US$ million (current prices). "
                                                      "Growth: compound annual, nominal."),))


def _value_capture_table(frame: pd.DataFrame, shown: Sequence[str], ctx: Context
                         ) -> pd.DataFrame:
    cols = {"GEXP": "gross exports", "DVA": "DVA", "DVA_share": "DVA share, %",
            "GVC_share": "GVC-related share, %", "DVA_cagr": "DVA growth, % p.a."}
    sub = frame[(frame["year"] == ctx.last) & frame["measure"].isin(list(cols))
                & frame["country"].isin(list(shown))]
    wide = sub.pivot_table(index="country", columns="measure", values="value", sort=False)
    wide = wide.reindex(index=[c for c in shown if c in wide.index],
                        columns=[c for c in cols if c in wide.columns])
    return percent_columns(wide.rename(columns=cols), PERCENT_COLUMNS).reset_index()


# --------------------------------------------------------------------------- answers 2 + 3
def participation_section(gains: pd.DataFrame, pos: pd.DataFrame | None, ctx: Context
                          ) -> Section:
    """Participation against position, as trajectories over the years; gains beside them."""
    import plotly.graph_objects as go

    sheet = ctx.report.add_frame("participation_gains", gains, "Answer 2, participation vs "
                                 "gains: silkchain.bri.participation_gains (WWYZ participation, "
                                 "DVA share, value-added growth).")
    group = gains.attrs.get("group")
    shown = [*members(gains), ctx.hub, *([group] if group else [])]
    charts: list[Chart] = []
    if pos is not None:
        psheet = ctx.report.add_frame("position", pos, "Answer 3, position: silkchain.bri."
                                      "position (upstreamness, WWYZ GVC position, Koopman "
                                      "position, ranks and slopes).")
        x = pick(gains, "forward", shown)[["year", "country", "value"]].rename(
            columns={"value": "x"})
        y = pick(pos, "GVC_position", shown)[["year", "country", "value"]].rename(
            columns={"value": "y"})
        xy = x.merge(y, on=["year", "country"]).sort_values(["country", "year"])
        marks = milestones(sorted(xy["year"].unique()))
        xy = xy[xy["year"].isin(marks)]
        ends = xy[xy["year"] == xy["year"].max()]
        end_positions = dict(zip(ends["country"].astype(str),
                                 label_positions(ends["x"], ends["y"]), strict=True))
        fig = new_figure(height=580)
        member_colours = distinct_colours(xy["country"].nunique(),
                                          exclude=(colour(1), colour(3), *PALETTE[7:9]))
        for i, (code, rows) in enumerate(xy.groupby("country", sort=False)):
            hub = code == ctx.hub
            grp = code == group
            col = colour(1) if hub else colour(3) if grp else member_colours[i]
            fig.add_trace(go.Scatter(
                x=100 * rows["x"], y=rows["y"], mode="lines+markers", name=str(code),
                line={"color": col, "width": 3 if hub or grp else 1.2},
                marker={"size": 4}, opacity=0.95 if hub or grp else 0.6,
                legendgroup=str(code), showlegend=False, text=rows["year"],
                hovertemplate=f"{code} %{{text}}: %{{x:.1f}}%, %{{y:.3f}}<extra></extra>"))
            end = rows.iloc[[-1]]
            fig.add_trace(go.Scatter(
                x=100 * end["x"], y=end["y"], mode="markers+text", name=str(code),
                text=[str(code)], textposition=end_positions.get(str(code), "top center"),
                legendgroup=str(code),
                marker={"color": col, "size": 11 if hub or grp else 8},
                customdata=np.c_[rows["year"].iloc[[0]], 100 * rows["x"].iloc[[0]],
                                 rows["y"].iloc[[0]]],
                hovertemplate=(f"{code} {ctx.last}: participation %{{x:.1f}}%, position "
                               "%{y:.3f}<br>from %{customdata[1]:.1f}%, %{customdata[2]:.3f} "
                               "in %{customdata[0]}<extra></extra>")))
            start = rows.iloc[[0]]
            if len(rows) > 1:
                fig.add_trace(go.Scatter(x=100 * start["x"], y=start["y"], mode="markers",
                                         marker={"color": col, "size": 9,
                                                 "symbol": "circle-open",
                                                 "line": {"color": col, "width": 1.6}},
                                         legendgroup=str(code), showlegend=False,
                                         hoverinfo="skip"))
        fig.add_hline(y=1.0, line={"dash": "dot", "color": "#888"})
        fig.update_xaxes(title="forward GVC participation: share of value added crossing "
                               "borders for further production, %")
        fig.update_yaxes(title="GVC position (PLv_GVC / PLy_GVC; > 1 upstream)")
        fig.update_layout(showlegend=False)
        charts.append(Chart(
            "participation-position", f"Participation and position, {ctx.first}–{ctx.last}",
            fig,
            guide=("Each line is one country's path from its first year (open circle) to "
                   f"{ctx.last} (labelled dot); points at {', '.join(map(str, marks))}. "
                   "Right means more of its value added enters "
                   "global value chains; up means it sits further upstream in them (supplying "
                   "inputs rather than assembling). China is orange, the group aggregate red. "
                   "The dotted line separates upstream (above 1) from downstream."),
            citation=f"{WWYZ_A_CITE} {WWYZ_B_CITE}",
            caveat=caveat_for(gains, shown), sheets=(sheet, psheet)))
    fwd = series(gains, "forward_change", ctx.last)
    growth = series(gains, "va_cagr", ctx.last)
    both = pd.concat([fwd.rename("x"), growth.rename("y")], axis=1).reindex(shown).dropna()
    if not both.empty:
        fig2 = new_figure(height=460)
        fig2.add_trace(go.Scatter(
            x=100 * both["x"], y=100 * both["y"], mode="markers+text", text=list(both.index),
            textposition=label_positions(both["x"], both["y"]),
            marker={"size": 10, "color": [colour(1) if c == ctx.hub else colour(0)
                                          for c in both.index]},
            hovertemplate="%{text}: participation %{x:+.1f} pp, VA growth %{y:.1f}% p.a."
                          "<extra></extra>"))
        fig2.update_xaxes(title=f"change in forward GVC participation {ctx.first}–{ctx.last}, "
                                "percentage points", zeroline=True)
        fig2.update_yaxes(title="value-added growth, % per year (nominal US$)")
        charts.append(Chart(
            "participation-gains", "Did more participation come with more growth?", fig2,
            guide=("Each dot is a country: right means its GVC participation rose, up means "
                   "its value added grew faster. A cloud rising to the right would suggest "
                   "gains from participation; a flat or scattered cloud does not. This is a "
                   "correlation, not a causal estimate."),
            citation=f"{WWYZ_A_CITE} {BM_CITE}", caveat=caveat_for(gains, list(both.index)),
            sheets=(sheet,)))
    return Section("participation", "2. Participation and position", intro=(
        "How deeply do the Belt and Road economies take part in global value chains, and "
        "where in the chain do they sit? " + coverage_note(gains)), charts=tuple(charts))


def position_section(pos: pd.DataFrame, ctx: Context) -> Section:
    """China's position on three measures over the years, beside the group and the world."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    sheet = next((k for k, v in ctx.report.frames.items() if v is pos), None) or \
        ctx.report.add_frame("position", pos, "Answer 3, position: silkchain.bri.position.")
    group = pos.attrs.get("group")
    who = [ctx.hub, *([group] if group else []), "USA", "DEU", "JPN", "IND", "RUS"]
    who = [c for c in who if c in set(pos["country"])]
    titles = {"U": "upstreamness (Antràs et al.)", "GVC_position": "GVC position (WWYZ)",
              "position": "GVC position (Koopman)"}
    fig = make_subplots(rows=1, cols=3, subplot_titles=list(titles.values()),
                        horizontal_spacing=0.07)
    from silkchain.report.assets import layout_defaults

    fig.update_layout(**layout_defaults(height=430))
    for j, m in enumerate(titles, start=1):
        for i, code in enumerate(who):
            rows = pick(pos, m, [code]).sort_values("year")
            fig.add_trace(go.Scatter(
                x=rows["year"], y=rows["value"], mode="lines+markers" if len(rows) < 4
                else "lines", name=code, legendgroup=code, showlegend=j == 1,
                line={"color": colour(1) if code == ctx.hub else colour(3) if code == group
                      else colour(i + 3), "width": 3 if code in (ctx.hub, group) else 1.5},
                hovertemplate=f"{code} %{{x}}: %{{y:.3f}}<extra>{titles[m]}</extra>"),
                row=1, col=j)
    fig.update_layout(legend={"orientation": "h", "y": -0.15})
    for j, label in enumerate(("upstreamness (stages)", "PLv_GVC / PLy_GVC (ratio)",
                               "ln(1+IV/E) − ln(1+FV/E)"), start=1):
        fig.update_yaxes(title_text=label, row=1, col=j)
    year_axis(fig, dtick=1 if len(ctx.years) <= 6 else 2)
    notes = (pos.attrs.get("notes") or {}).get("china") or {}
    verdict = "; ".join(f"{titles.get(k, k)}: {v}" for k, v in notes.items())
    chart = Chart(
        "position-china", "Is China moving toward the high end?", fig,
        guide=("Higher means further upstream: the country supplies inputs that travel "
               "through more production stages before reaching final buyers. Upstream includes "
               "raw materials, so read this beside value capture and the smile curve. "
               + (f"Trend for China: {verdict}." if verdict else "")),
        citation=f"{ANTRAS_CITE} {WWYZ_B_CITE} {KOOPMAN_CITE}",
        caveat=caveat_for(pos, who), sheets=(sheet,))
    ranks = pos[(pos["year"] == ctx.last) & pos["measure"].isin(list(titles))
                & pos["country"].isin([*members(pos), ctx.hub, *([group] if group else [])])
                & (pos["sector"] == TOTAL)]
    table = ranks.pivot_table(index="country", columns="measure", values="value", sort=False)
    table = table.reindex(columns=list(titles)).rename(columns=titles).reset_index()
    return Section("position", "3. Position along the chain", intro=(
        "Three positioning measures for China, the group and reference economies."),
        charts=(chart,), tables=(TableBlock("position-table", f"Position in {ctx.last}",
                                            table),))


# --------------------------------------------------------------------------- scenario
def _plain(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_plain(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return ", ".join(_plain(v) for v in value)
    if isinstance(value, np.ndarray):
        return _plain(value.tolist())
    if isinstance(value, np.generic):
        return _plain(value.item())
    return str(value)


def step_log(log: Sequence[Any]) -> list[str]:
    """A scenario's step log as one readable line per step (no Python repr).

    >>> step_log([{"op": "transfer", "share": 0.2, "to": ["IDN", "IND"], "gras_iterations": 7}])
    ['transfer: share 0.2; to IDN, IND; gras_iterations 7']
    """
    lines = []
    for entry in log:
        if isinstance(entry, dict):
            head = str(entry.get("op", entry.get("step", "step")))
            rest = [f"{k} {_plain(v)}" for k, v in entry.items() if k not in ("op", "step")]
            lines.append(f"{head}: {'; '.join(rest)}" if rest else head)
        else:
            lines.append(_plain(entry))
    return lines


def scenario_section(result: Any, ctx: Context, must: Sequence[str], description: str
                     ) -> Section:
    """Before and after a scenario: per-cent changes by country and a table."""
    from silkchain.report.charts import scenario_figure, scenario_table

    comp = result.comparison
    sheet = ctx.report.add_frame("scenario_comparison", comp, "Scenario comparison: "
                                 "silkchain.scenarios.run(...).comparison (country, sector, "
                                 "measure, baseline, scenario, delta).")
    log = step_log(result.log)
    spec = ctx.report.add_frame("scenario_spec", pd.DataFrame(
        {"key": ["scenario", "sha256", *[f"step {i}" for i in range(1, len(log) + 1)]],
         "value": [result.scenario.to_json(), result.sha256, *log]}),
        "The scenario specification, its hash and what each step did (one row a step).")
    fig = scenario_figure(comp, must)
    table = scenario_table(comp, must)
    shown = list(table["country"])
    return Section("scenario", "Scenario: what if industry moved along the Belt and Road?",
                   intro=description, charts=(Chart(
                       "scenario", "Change against the baseline", fig,
                       guide=("Bars show the per-cent change of each country's value added "
                              "and of the domestic value added in its exports when the "
                              "scenario's steps are applied to the table and every measure "
                              "recomputed. The countries named in the scenario come first, "
                              "then those most affected."),
                       citation=("Industrial transfer with GRAS rebalancing (Junius & Oosterhaven "
                                 "2003) and Leontief quantity model; value added by Borin & "
                                 "Mancini (2019); see docs/scenarios.md."),
                       caveat=small_economy_caveat(shown), sheets=(sheet, spec)),),
                   tables=(TableBlock("scenario-table", "Country totals", table),))


RESHORING_CITE = ("Reshoring as a change of input sourcing (the reshore operation, "
                  "docs/scenarios.md) with the Leontief quantity model and GRAS rebalancing "
                  "(Junius & Oosterhaven 2003; Temurshoev, Miller & Bouwmeester 2013); value "
                  "added by Borin & Mancini (2019).")


def reshoring_section(result: Any, ctx: Context, group_members: Sequence[str],
                      description: str) -> Section:
    """What the reshoring scenario takes from the group's members: % change of value added."""
    import plotly.graph_objects as go

    from silkchain.report.charts import scenario_country_totals

    comp = result.comparison
    sheet = ctx.report.add_frame("reshoring_comparison", comp, "Reshoring scenario: "
                                 "silkchain.scenarios.run(...).comparison (country, sector, "
                                 "measure, baseline, scenario, delta).")
    log = step_log(result.log)
    spec = ctx.report.add_frame("reshoring_spec", pd.DataFrame(
        {"key": ["scenario", "sha256", *[f"step {i}" for i in range(1, len(log) + 1)]],
         "value": [result.scenario.to_json(), result.sha256, *log]}),
        "The reshoring scenario's specification, its hash and what each step did.")
    wide = scenario_country_totals(comp).set_index("country")
    homes = set(result.log[0].get("countries", [])) if result.log else set()
    shown = [c for c in dict.fromkeys([*group_members, ctx.hub]) if c in wide.index]
    part = wide.loc[shown].sort_values("gdp_pct")
    cols = [colour(2) if c in homes else colour(1) if c == ctx.hub else colour(0)
            for c in part.index]
    fig = new_figure(height=max(380, 26 * len(part) + 150))
    fig.add_trace(go.Bar(
        y=list(part.index), x=part["gdp_pct"], orientation="h", marker_color=cols,
        name="value added (GDP)",
        customdata=np.c_[part["gdp_baseline"], part["gdp_delta"]],
        hovertemplate="%{y}: %{x:.3f}%<br>baseline %{customdata[0]:,.0f}, change "
                      "%{customdata[1]:,.0f} US$ m<extra></extra>"))
    fig.update_xaxes(title="change of value added against the baseline, %", zeroline=True,
                     zerolinecolor="#444")
    fig.update_layout(margin={"l": 70}, showlegend=False)
    reshoring = [c for c in part.index if c in homes]
    chart = Chart(
        "reshoring", "What reshoring takes from the Belt and Road economies", fig,
        guide=("Each bar is the per-cent change of a member's value added when the reshoring "
               "economies buy part of their imported manufacturing inputs at home instead, "
               "the rest of the table recomputed. Bars to the left: value added the member "
               "loses, directly as a supplier and through the chains that feed those "
               f"suppliers. {ctx.hub} is orange"
               + (f"; members that reshore themselves (green: {', '.join(reshoring)}) gain "
                  "what they bring home." if reshoring else ".")),
        citation=RESHORING_CITE, caveat=caveat_for(comp, list(part.index)),
        sheets=(sheet, spec))
    table = pd.DataFrame({
        "country": part.index[::-1],
        "value added baseline (US$ m)": part["gdp_baseline"].to_numpy()[::-1],
        "value added change (US$ m)": part["gdp_delta"].to_numpy()[::-1],
        "value added change %": part["gdp_pct"].to_numpy()[::-1],
        **({"DVA in exports change %": part["dva_exports_pct"].to_numpy()[::-1]}
           if "dva_exports_pct" in part.columns else {}),
        "reshores": ["yes" if c in homes else "" for c in part.index[::-1]]})
    return Section("reshoring", "Scenario: what would US and EU reshoring of manufacturing "
                   "inputs take from the Belt and Road economies?", intro=description,
                   charts=(chart,), tables=(TableBlock(
                       "reshoring-table", "The group's members, largest gain first", table,
                       note="Levels in US$ million (current prices), last year of the "
                            "report."),))


# --------------------------------------------------------------------------- answer 4
JN_CITE = ("Johnson & Noguera (2012), Accounting for intermediates, JIE 86(2):224–236 "
           "(METHODS.md §3); Koopman, Wang & Wei (2014), AER 104(2):459–494 (VB share matrix); "
           "OECD TiVA DEXFVApSH and FD_VA (METHODS.md §15).")


def _heatmap(frame: pd.DataFrame, measure: str, rows: Sequence[str], title: str,
             colorbar: str) -> Any:
    import plotly.graph_objects as go

    sub = pick(frame, measure, rows)
    wide = sub.pivot_table(index="country", columns="year", values="value", sort=False)
    wide = wide.reindex([r for r in rows if r in wide.index])
    fig = new_figure(height=max(360, 26 * len(wide) + 140))
    fig.add_trace(go.Heatmap(
        z=100 * wide.to_numpy(), x=[str(c) for c in wide.columns], y=list(wide.index),
        colorscale="Blues", colorbar={"title": {"text": colorbar}},
        hovertemplate="%{y} %{x}: %{z:.1f}%<extra></extra>",
        text=np.round(100 * wide.to_numpy(), 1), texttemplate="%{text}" if wide.shape[1] <= 17
        else None, textfont={"size": 10}))
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(type="category", title="year")
    fig.update_layout(title={"text": title, "x": 0.01}, margin={"l": 70})
    return fig


def china_hub_section(frame: pd.DataFrame, ctx: Context) -> Section:
    """Heatmaps of China's weight in partners' chains, and regional vs global chains."""
    import plotly.graph_objects as go

    sheet = ctx.report.add_frame("china_hub", frame, "Answer 4, China as hub: silkchain.bri."
                                 "china_hub (hub shares, regional vs global value chains).")
    hub = (frame.attrs.get("notes") or {}).get("hub", ctx.hub)
    mem = members(frame)
    refs = [c for c in ("USA", "DEU", "JPN", "KOR") if c in set(frame["country"])]
    rows = [*mem, *refs]
    charts = [
        Chart("hub-fva", f"{hub}'s share in partners' foreign value added", _heatmap(
            frame, "hub_share_in_fva", rows, "", "% of partner's FVA"),
            guide=(f"Each cell: of all the foreign value added inside a partner's exports, the "
                   f"share that comes from {hub}. Darker cells mean the partner's exports lean "
                   f"more on {hub}'s inputs; read a row left to right for the trend. Group "
                   "members first, then reference economies."),
            citation=JN_CITE, caveat=caveat_for(frame, rows), sheets=(sheet,)),
        Chart("hub-absorbed", f"Partners' value added absorbed in {hub}", _heatmap(
            frame, "va_absorbed_in_hub_share", rows, "", "% of partner's VAX"),
            guide=(f"Each cell: of all the value added a partner exports (to final buyers "
                   f"anywhere abroad), the share finally consumed or invested in {hub}. Darker "
                   f"cells mean {hub} is a bigger final market for the partner's value added."),
            citation=JN_CITE, caveat=caveat_for(frame, rows), sheets=(sheet,)),
    ]
    reg = pick(frame, "regional_fva_share", year=ctx.last)
    glob = pick(frame, "global_fva_share", year=ctx.last).set_index("country")["value"]
    upper = pick(frame, "regional_fva_share_upper", year=ctx.last).set_index("country")["value"]
    if not reg.empty:
        order = list(reg.sort_values("value")["country"])
        r = reg.set_index("country")["value"].reindex(order)
        fig = new_figure(height=max(380, 24 * len(order) + 140))
        fig.add_trace(go.Bar(y=order, x=100 * r.to_numpy(), orientation="h",
                             name="regional (members and hub in the table)",
                             marker_color=colour(0),
                             hovertemplate="%{y}: %{x:.1f}% regional<extra></extra>"))
        fig.add_trace(go.Bar(y=order, x=100 * glob.reindex(order).to_numpy(), orientation="h",
                             name="global (rest)", marker_color="#c9d3dd",
                             hovertemplate="%{y}: %{x:.1f}% global<extra></extra>"))
        fig.add_trace(go.Scatter(y=order, x=100 * upper.reindex(order).to_numpy(),
                                 mode="markers",
                                 name="upper bound (rest of world counted as regional)",
                                 marker={"symbol": "line-ns-open", "size": 14,
                                         "color": colour(3)},
                                 hovertemplate="%{y}: at most %{x:.1f}%<extra></extra>"))
        fig.update_layout(barmode="stack", legend={"orientation": "h", "y": -0.1},
                          margin={"l": 70})
        fig.update_xaxes(title="share of foreign value added in exports, %", range=[0, 100])
        charts.append(Chart(
            "regional-global", f"Regional or global value chains? ({ctx.last})", fig,
            guide=("For each member, its foreign value added split by where it comes from: "
                   "other members of the region (with the hub) or the rest of the world. "
                   "Members hidden in the rest-of-world aggregate cannot be counted, so the "
                   "blue bar is a lower bound and the red tick an upper bound."),
            citation=JN_CITE, caveat=caveat_for(frame, order), sheets=(sheet,)))
    return Section("china-hub", f"4. {hub} as a hub", intro=(
        f"How much of the Belt and Road economies' value chains runs through {hub}? "
        + coverage_note(frame)), charts=tuple(charts))


# --------------------------------------------------------------------------- answer 5
NETWORK_CITE = ("Edges: value added of one country absorbed in another's final demand, "
                "Johnson & Noguera (2012), JIE 86(2) (METHODS.md §3); centrality with networkx: "
                "PageRank (Brin & Page 1998), HITS (Kleinberg 1999), Louvain communities "
                "(Blondel et al. 2008).")


def network_section(frame: pd.DataFrame, ctx: Context, top: int = 45) -> Section:
    """A Sankey of the largest value-added flows touching the group or the hub."""
    import plotly.graph_objects as go

    sheet = ctx.report.add_frame("va_network", frame, "Answer 5, value-added trade network: "
                                 "silkchain.bri.va_network (edges 'vax', centrality, "
                                 "communities).")
    mem = set(members(frame))
    focus = mem | {ctx.hub}
    edges = frame[(frame["measure"] == "vax") & (frame["year"] == ctx.last)
                  & (frame["country"] != frame["partner"])]
    edges = edges[edges["country"].isin(focus) | edges["partner"].isin(focus)]
    edges = edges.sort_values("value", ascending=False).head(top)
    origins = list(dict.fromkeys(edges["country"]))
    dests = list(dict.fromkeys(edges["partner"]))
    labels = [*origins, *[f"→ {d}" for d in dests]]

    def node_colour(code: str) -> str:
        return colour(1) if code == ctx.hub else colour(0) if code in mem else "#9aa5b1"

    colours = [node_colour(c) for c in origins] + [node_colour(d) for d in dests]
    link_col = [("rgba(230,159,0,0.35)" if o == ctx.hub else "rgba(0,114,178,0.30)"
                 if o in mem else "rgba(120,130,140,0.25)") for o in edges["country"]]
    fig = new_figure(height=640)
    fig.add_trace(go.Sankey(
        arrangement="snap",
        node={"label": labels, "color": colours, "pad": 10, "thickness": 14,
              "line": {"width": 0}},
        link={"source": [origins.index(o) for o in edges["country"]],
              "target": [len(origins) + dests.index(d) for d in edges["partner"]],
              "value": edges["value"].to_numpy() / 1000, "color": link_col,
              "hovertemplate": "%{source.label} → %{target.label}: US$ %{value:,.1f} bn"
                               "<extra></extra>"}))
    charts = [Chart(
        "va-sankey", f"The largest value-added flows of the group and {ctx.hub} ({ctx.last})",
        fig,
        guide=(f"Left: where value added is created; right (→): where it is finally consumed "
               f"or invested. Band widths are US$ billion. Shown: the {top} largest flows "
               f"that start or end in a group member (blue) or {ctx.hub} (orange); every flow "
               "is in the workbook."),
        citation=NETWORK_CITE, caveat=caveat_for(frame, [*origins, *dests]), sheets=(sheet,))]
    pr = pick(frame, "pagerank")
    if pr["year"].nunique() > 1:
        shown = [c for c in [ctx.hub, "USA", "DEU", "JPN", *sorted(mem)] if c in set(pr["country"])]
        fig2 = new_figure(height=420)
        others = distinct_colours(len(shown), exclude=(colour(1),))
        for i, code in enumerate(shown):
            rows = pr[pr["country"] == code].sort_values("year")
            fig2.add_trace(go.Scatter(
                x=rows["year"], y=rows["value"], mode="lines", name=code,
                line={"color": colour(1) if code == ctx.hub else others[i],
                      "width": 3 if code == ctx.hub else 1.4},
                hovertemplate=f"{code} %{{x}}: %{{y:.4f}}<extra></extra>"))
        fig2.update_yaxes(title="PageRank in the value-added network", type="log")
        fig2.update_xaxes(title="year")
        year_axis(fig2, dtick=1 if len(ctx.years) <= 6 else 2)
        charts.append(Chart(
            "va-pagerank", "Centrality over time", fig2,
            guide=("PageRank is high for economies whose value added is absorbed by other "
                   "central economies. A rising line means the country became a more "
                   "important destination/source in the network (log scale)."),
            citation=NETWORK_CITE, caveat=caveat_for(frame, shown), sheets=(sheet,)))
    cols = {"pagerank": "PageRank", "betweenness": "betweenness", "out_strength":
            "VA exports (US$ m)", "community": "community", "same_community":
            f"with {ctx.hub}"}
    sub = frame[(frame["year"] == ctx.last) & frame["measure"].isin(list(cols))
                & frame["country"].isin(sorted(focus))]
    table = sub.pivot_table(index="country", columns="measure", values="value")
    table = table.reindex(columns=[c for c in cols if c in table.columns])
    table = table.sort_values("pagerank", ascending=False).rename(columns=cols).reset_index()
    return Section("network", "5. The value-added trade network", intro=(
        "Countries are nodes; a flow is the value added of one country finally absorbed in "
        "another. " + str((frame.attrs.get("notes") or {}).get("top_pagerank", "")
                          and f"Most central in {ctx.last}: "
                          f"{frame.attrs['notes']['top_pagerank']}.")),
        charts=tuple(charts), tables=(TableBlock("network-table", f"Centrality, {ctx.last}",
                                                 table),))


# --------------------------------------------------------------------------- answer 6
SMILE_CITE = ("Ye, Meng & Wei (2015), Measuring smile curves in global value chains, IDE DP "
              "530; Meng, Ye & Wei (2020), Oxford Bulletin of Economics and Statistics "
              "82(5):988–1016. Technology classes: Hatzichronoglou (1997), OECD STI WP 1997/02; "
              "Eurostat knowledge-intensive services.")


def smile_section(frame: pd.DataFrame, ctx: Context, min_share: float = 0.0005) -> Section:
    """Value added per unit of output against the stage, for the country's export chains."""
    import plotly.graph_objects as go

    sheet = ctx.report.add_frame("smile_curve", frame, "Answer 6, smile curve: "
                                 "silkchain.bri.smile_curve (value added and stage by origin "
                                 "industry, technology mix).")
    c = (frame.attrs.get("notes") or {}).get("country", ctx.hub)
    years = sorted(frame["year"].unique())
    last = max(y for y in years if not pick_sector(frame, "stage", y).empty)
    wide = frame[(frame["year"] == last) & frame["measure"].isin(
        ["stage", "va_rate", "va", "va_share"]) & (frame["sector"] != TOTAL)]
    wide = wide.pivot_table(index=["country", "sector"], columns="measure", values="value")
    wide = wide[wide["va_share"] >= min_share].reset_index()
    fig = new_figure(height=520)
    size = 6 + 40 * np.sqrt(wide["va_share"] / max(wide["va_share"].max(), 1e-12))
    for name, mask, col in ((f"{c} (domestic)", wide["country"] == c, colour(1)),
                            ("foreign suppliers", wide["country"] != c, colour(0))):
        part = wide[mask]
        fig.add_trace(go.Scatter(
            x=part["stage"], y=100 * part["va_rate"], mode="markers", name=name,
            marker={"size": size[mask], "color": col, "opacity": 0.55,
                    "line": {"width": 0.5, "color": "white"}},
            text=part["country"] + " " + part["sector"].map(ctx.sector_names).fillna(
                part["sector"]),
            customdata=100 * part["va_share"],
            hovertemplate="%{text}<br>stage %{x:.2f}, value added %{y:.1f}% of output<br>"
                          "%{customdata:.2f}% of the exports' value<extra></extra>"))
    curv = pick(frame, "smile_curvature", [c], last)["value"]
    fig.update_xaxes(title="production stages from the exported product (1 = exporting stage)")
    fig.update_yaxes(title="value added per unit of output, %")
    fig.update_layout(legend={"orientation": "h", "y": -0.12})
    curv_text = (f" The value-added-weighted quadratic fit has curvature "
                 f"{float(curv.iloc[0]):+.4f} ({'a smile' if curv.iloc[0] > 0 else 'no smile'})."
                 if len(curv) else "")
    charts = [Chart(
        "smile", f"The smile curve of {c}'s exports ({last})", fig,
        guide=(f"Each dot is an industry (at home or abroad) that contributes value added to "
               f"{c}'s gross exports, placed by how many production stages it sits from the "
               "exported product (right = further upstream: materials, parts, services) and by "
               "how much value it adds per unit of output. Dot size is its share of the "
               "exports' value. A U shape, with the middle stages lowest, is a smile curve."
               + curv_text + f" Industries below {100 * min_share:.2f}% of the value are "
               "left out of the chart, not of the workbook."),
        citation=SMILE_CITE, caveat=caveat_for(frame, list(wide["country"])), sheets=(sheet,))]
    mix = frame[frame["measure"].isin(["exports_share", "dva_share"])
                & (frame["country"] == c) & (frame["sector"] != TOTAL)]
    if not mix.empty:
        ends = sorted({years[0], last})
        fig2 = new_figure(height=420)
        classes = list(dict.fromkeys(mix["sector"]))
        for i, cls in enumerate(classes):
            part = mix[(mix["sector"] == cls) & mix["year"].isin(ends)].sort_values(
                ["measure", "year"])
            fig2.add_trace(go.Bar(
                x=[f"{'exports' if m == 'exports_share' else 'domestic VA'} {y}"
                   for m, y in zip(part["measure"], part["year"], strict=True)],
                y=100 * part["value"], name=cls, marker_color=colour(i),
                hovertemplate=f"{cls}: %{{y:.1f}}%<extra></extra>"))
        fig2.update_layout(barmode="stack", legend={"orientation": "v"})
        fig2.update_yaxes(title="%", range=[0, 100])
        charts.append(Chart(
            "tech-mix", f"Technology intensity of {c}'s exports", fig2,
            guide=("Stacked shares of gross exports, and of the domestic value added in them, "
                   "by technology class of the exporting industry. A growing high-tech share "
                   "in domestic value added, not only in gross exports, is upgrading."),
            citation=f"{SMILE_CITE} {BM_CITE}", sheets=(sheet,)))
    return Section("smile", "6. The smile curve", intro=(
        "Where along the chain is value captured? The smile curve places every industry "
        f"contributing to {c}'s exports by its distance from the final export and by its "
        "value added per unit of output."), charts=tuple(charts))


def pick_sector(frame: pd.DataFrame, measure: str, year: int) -> pd.DataFrame:
    """Rows of ``measure`` with a sector, in ``year``."""
    return frame[(frame["measure"] == measure) & (frame["year"] == year)
                 & (frame["sector"] != TOTAL)]


# --------------------------------------------------------------------------- answer 7
UPGRADING_CITE = ("Relatedness: Hidalgo, Klinger, Barabási & Hausmann (2007), Science "
                  "317(5837):482–487 (proximity); Hausmann & Klinger (2007), CID WP 146 "
                  "(density); value-added RCA: Koopman, Wang & Wei (2014), AER 104(2), §V; "
                  "GVC position: Wang, Wei, Yu & Zhu (2017b), NBER WP 23261.")


#: Broad sectors whose output is hardly traded across borders: never upgrading candidates.


def sector_broad(frame: pd.DataFrame, ctx: Context) -> dict[str, str]:
    """Sector code -> broad sector for the answer's table (empty when it cannot be told)."""
    if ctx.sector_broad:
        return ctx.sector_broad
    try:
        from silkchain.bri.common import source_tasks
        from silkchain.concordances.broad import classify
        from silkchain.io.registry import read

        last = int(max(frame["year"]))
        found = source_tasks(frame.attrs.get("source"), [last])
        table = next(iter(found.values()))
        table = read(table) if isinstance(table, str) else table
        ctx.sector_broad = {str(k): str(v) for k, v in classify(table).items()}
    except Exception:  # the section then says it could not tell (never a silent pass)
        return {}
    return ctx.sector_broad


def upgrading_section(frame: pd.DataFrame, ctx: Context) -> Section:
    """Sectors with rising value-added RCA, and candidates close to current strengths.

    Candidates in non-tradable broad sectors (:data:`NON_TRADABLE`) are left out of the
    candidates and named in the table's note."""
    import plotly.graph_objects as go

    sheet = ctx.report.add_frame("upgrading_paths", frame, "Answer 7, upgrading paths: "
                                 "silkchain.bri.upgrading_paths (value-added RCA, position, "
                                 "proximity, density, candidates).")
    c = (frame.attrs.get("notes") or {}).get("country", ctx.hub)
    last = max(frame["year"])
    wide = frame[(frame["year"] == last) & (frame["sector"] != TOTAL) & (frame["partner"] == TOTAL)]
    wide = wide.pivot_table(index="sector", columns="measure", values="value")
    wide["name"] = [ctx.sector_names.get(s, s) for s in wide.index]
    broad = sector_broad(frame, ctx)
    tradable = pd.Series([broad.get(str(code)) not in NON_TRADABLE for code in wide.index],
                         index=wide.index)
    dropped = [str(code) for code in wide.index[(wide["candidate"] > 0) & ~tradable]]
    wide["candidate"] = wide["candidate"].where(tradable, 0.0)
    groups = (("candidate: close to strengths, no advantage yet", wide["candidate"] > 0,
               colour(2)),
              ("upgrading: rising RCA and position", (wide["upgrading"] > 0)
               & ~(wide["candidate"] > 0), colour(1)),
              ("other sectors", ~((wide["candidate"] > 0) | (wide["upgrading"] > 0)), "#9aa5b1"))
    fig = new_figure(height=500)
    ycol = "NRCA_slope" if wide["NRCA_slope"].notna().any() else "NRCA_last"
    for name, mask, col in groups:
        part = wide[mask]
        fig.add_trace(go.Scatter(
            x=part["density"], y=part[ycol], mode="markers+text", name=name,
            text=list(part.index), textposition="top center",
            marker={"size": 11, "color": col, "symbol": ["circle" if a > 0 else "circle-open"
                                                         for a in part["has_advantage"]]},
            customdata=part["name"],
            hovertemplate="%{text} %{customdata}<br>density %{x:.3f}, RCA trend %{y:.3f}"
                          "<extra></extra>"))
    fig.update_xaxes(title="density: closeness to the country's current strengths")
    fig.update_yaxes(title=("trend of normalised value-added RCA per year" if ycol ==
                            "NRCA_slope" else "normalised value-added RCA"), zeroline=True)
    fig.update_layout(legend={"orientation": "h", "y": -0.12})
    notes = frame.attrs.get("notes") or {}
    chart = Chart(
        "upgrading", f"Upgrading paths for {c}", fig,
        guide=("Each dot is a sector. Right: the sector is close (in the proximity sense) to "
               "sectors where the country already has a revealed comparative advantage in "
               "value added; up: that advantage is rising. Filled dots already have an "
               "advantage. Green candidates are near current strengths without an advantage "
               "yet. Proximity is estimated from co-occurrence of advantages across the "
               "table's countries and years: a hint, not a forecast."),
        citation=UPGRADING_CITE, sheets=(sheet,))
    rows = []
    for label, key in (("candidate", "candidates"), ("upgrading", "upgrading")):
        for code in str(notes.get(key, "")).split(", "):
            if code and code in wide.index and not (key == "candidates" and code in dropped):
                r = wide.loc[code]
                rows.append({"path": label, "sector": code, "name": r["name"],
                             "density": r["density"], "RCA last year": r.get("NRCA_last"),
                             "RCA trend": r.get("NRCA_slope"),
                             "GVC position trend": r.get("GVC_position_slope")})
    table = pd.DataFrame(rows)
    return Section("upgrading", "7. Upgrading paths", intro=(
        f"Which of {c}'s sectors are moving up, and which are within reach?"),
        charts=(chart,), tables=(TableBlock("upgrading-table", "Named sectors", table,
                                            note=upgrading_note(dropped, broad, ctx)),)
        if len(table) else ())


def upgrading_note(dropped: Sequence[str], broad: dict[str, str], ctx: Context) -> str:
    """The upgrading table's note: caveat, and which non-tradables were left out."""
    text = ("Caveat: relatedness from a table of few sectors is coarse; treat candidates as "
            "questions to ask, not answers. Non-tradable sectors (construction, real estate, "
            "utilities, public administration, education and health, other services) are "
            "never candidates.")
    if dropped:
        names = [f"{ctx.sector_names.get(c, c)} ({c})" for c in dropped]
        text += f" Left out here: {'; '.join(names)}."
    if not broad:
        text += (" The table's sectors could not be placed in broad sectors, so non-tradables "
                 "could not be told apart here.")
    return text


# --------------------------------------------------------------------------- answer 8
EXPOSURE_CITE = ("Baldwin, Freeman & Theodorakopoulos (2022), Horses for courses: measuring "
                 "foreign supply chain exposure, NBER WP 30525, §2–3 (face value from A, "
                 "look-through from the Leontief inverse; METHODS.md §16).")


def exposure_section(frame: pd.DataFrame, ctx: Context) -> Section:
    """Each member's reliance on the hub's inputs, face value and look-through, last year;
    the hub's reliance on the group in the table."""
    import plotly.graph_objects as go

    sheet = ctx.report.add_frame("exposure", frame, "Answer 8, supply-chain exposure: "
                                 "silkchain.bri.exposure (face-value and look-through "
                                 "reliance, supply and sales side).")
    notes = frame.attrs.get("notes") or {}
    hub = str(notes.get("hub", ctx.hub))
    last = int(max(frame["year"]))
    group = frame.attrs.get("group")
    sub = frame[(frame["year"] == last) & (frame["sector"] == TOTAL)
                & (frame["partner"] == hub) & frame["country"].isin(members(frame))]
    wide = sub.pivot_table(index="country", columns="measure", values="value")
    wide = wide.sort_values("supply_lt_share")
    fig = new_figure(height=max(380, 30 * len(wide) + 150))
    for i, (col, name) in enumerate((("supply_fv_share", "face value (direct inputs)"),
                                     ("supply_lt_share", "look-through (all stages)"))):
        if col in wide.columns:
            fig.add_trace(go.Bar(
                y=list(wide.index), x=100 * wide[col].to_numpy(), orientation="h", name=name,
                marker_color=colour(2 * i), hovertemplate="%{y}: %{x:.2f}% of inputs from "
                + hub + "<extra>" + name + "</extra>"))
    fig.update_layout(barmode="group", legend={"orientation": "h", "y": -0.12},
                      margin={"l": 70})
    fig.update_xaxes(title=f"{hub}'s share of all inputs (every supplier, home included), %")
    chart = Chart(
        "exposure", f"How much each member relies on {hub}'s inputs ({last})", fig,
        guide=(f"Face value counts the inputs a member buys directly from {hub}; "
               f"look-through also counts {hub}'s inputs embodied in what "
               "it buys from any other supplier, at every stage. Both are shares of all "
               "inputs, the member's own included. Where look-through is much longer than "
               f"face value, the reliance on {hub} is hidden in third countries' inputs "
               "(the hidden-exposure ratio in the table)."),
        citation=EXPOSURE_CITE, caveat=caveat_for(frame, list(wide.index)), sheets=(sheet,))
    cols = {"supply_fv_share": "face value, % of inputs",
            "supply_lt_share": "look-through, % of inputs",
            "supply_hidden_ratio": "hidden-exposure ratio",
            "sales_fv_share": f"output sold to {hub}, %",
            "sales_lt_share": f"output absorbed in {hub}, %"}
    table = wide.reindex(columns=[c for c in cols if c in wide.columns])[::-1]
    for c in table.columns:
        if c != "supply_hidden_ratio":
            table[c] = 100 * table[c]
    table = table.rename(columns=cols)
    table.columns.name = None
    back = frame[(frame["year"] == last) & (frame["country"] == hub)
                 & (frame["partner"] == (group or TOTAL)) & (frame["sector"] == TOTAL)]
    back = back.set_index("measure")["value"]
    reverse = (f" {hub} relies on the group's members that are countries of the table for "
               f"{100 * back['supply_fv_share']:.2f}% of its inputs at face value and "
               f"{100 * back['supply_lt_share']:.2f}% looking through (a lower bound where "
               "members are inside the rest of the world)."
               if group and {"supply_fv_share", "supply_lt_share"} <= set(back.index) else "")
    return Section("exposure", "8. Supply-chain exposure", intro=(
        f"How exposed are the Belt and Road economies to {hub}, and {hub} to them? "
        + coverage_note(frame) + reverse), charts=(chart,),
        tables=(TableBlock("exposure-table", f"Exposure to {hub}, {last}",
                           table.reset_index(), note="Shares in per cent; the "
                           "hidden-exposure ratio is look-through over face value."),))


SDA_CITE = ("Dietzenbacher & Los (1998), Structural decomposition techniques: sense and "
            "sensitivity, Economic Systems Research 10(4):307–324, §3 (average of the two polar "
            "decompositions); Miller & Blair (2009), Input-Output Analysis, 2nd ed., ch. 13; "
            "technology versus sourcing: Los, Timmer & de Vries (2016), AER 106(7):1958–66.")
#: SDA measures that are shares (shown in percentage points).
SDA_SHARES = ("dva_share", "fva_share", "participation")
#: The factors in the order they are drawn, with their plain names (the chart legend).
SDA_FACTORS = {"v": "value added per unit of output (v)",
               "B": "input coefficients (Leontief inverse)",
               "technology": "technology (inputs per unit of output)",
               "sourcing": "sourcing (where inputs come from)",
               "level": "final-demand level",
               "destination_mix": "final-demand destination mix",
               "product_mix": "final-demand product mix"}
_ENDS = ("start", "end", "change")


def why_changed_frame(frame: pd.DataFrame, shown: Sequence[str] | None = None
                      ) -> pd.DataFrame:
    """The answer frame wide: one row per country, columns ``start, end, change`` and the
    factors (in :data:`SDA_FACTORS` order), sorted by the change.

    >>> f = pd.DataFrame({"year": 2011, "country": ["A"] * 5, "sector": "_T",
    ...                   "partner": "1995", "measure": ["m.start", "m.end", "m.change",
    ...                                                  "m.v", "m.level"],
    ...                   "value": [0.5, 0.7, 0.2, 0.15, 0.05]})
    >>> why_changed_frame(f).columns.tolist()
    ['start', 'end', 'change', 'v', 'level']
    """
    sub = frame[frame["measure"].str.contains(".", regex=False)
                & (frame["sector"] == TOTAL)]
    if shown is not None:
        sub = sub[sub["country"].isin(list(shown))]
    wide = sub.assign(term=sub["measure"].str.split(".", n=1).str[1]).pivot_table(
        index="country", columns="term", values="value", sort=False)
    cols = [c for c in (*_ENDS, *SDA_FACTORS) if c in wide.columns]
    cols += [c for c in wide.columns if c not in cols]
    out = wide[cols].sort_values("change")
    out.columns.name = None
    return out


def why_changed_section(frame: pd.DataFrame, ctx: Context) -> Section:
    """Contributions of each factor to the change of the DVA share of exports, first to last
    year, for the group's members and the hub (stacked bars, total change marked)."""
    import plotly.graph_objects as go

    sheet = ctx.report.add_frame("why_changed", frame, "Answer 9, why value capture changed: "
                                 "silkchain.bri.why_changed (structural decomposition, average "
                                 "of the polar decompositions, current prices).")
    notes = frame.attrs.get("notes") or {}
    measure = str(notes.get("measure", "dva_share"))
    first, last = notes.get("from", ctx.first), notes.get("to", ctx.last)
    shown = [*members(frame), ctx.hub]
    wide = why_changed_frame(frame, shown)
    share = measure in SDA_SHARES
    scale = 100.0 if share else 1.0
    unit = "percentage points" if share else "US$ million, current prices"
    factors = [c for c in wide.columns if c not in _ENDS]
    fig = new_figure(height=max(420, 28 * len(wide) + 160))
    for i, f in enumerate(factors):
        fig.add_trace(go.Bar(
            y=list(wide.index), x=scale * wide[f].to_numpy(), orientation="h",
            name=SDA_FACTORS.get(f, f), marker_color=colour(i),
            hovertemplate="%{y}: %{x:+.2f} " + ("pp" if share else "") + "<extra>"
                          + SDA_FACTORS.get(f, f) + "</extra>"))
    fig.add_trace(go.Scatter(
        y=list(wide.index), x=scale * wide["change"].to_numpy(), mode="markers",
        name="total change", marker={"symbol": "diamond", "size": 10, "color": "#222"},
        hovertemplate="%{y}: total %{x:+.2f}<extra></extra>"))
    fig.update_layout(barmode="relative", legend={"orientation": "h", "y": -0.12},
                      margin={"l": 70})
    fig.update_xaxes(title=f"contribution to the change of {measure}, {first}–{last}, {unit}",
                     zeroline=True, zerolinecolor="#444")
    what = {"dva_share": "the domestic value-added share of gross exports"}.get(
        measure, measure)
    chart = Chart(
        "why-changed", f"Why {what} changed, {first}–{last}", fig,
        guide=(f"Each bar splits the change of {what} from {first} to {last} (the diamond) "
               "into the contributions of its drivers: value added per unit of output in "
               "every industry (v), the input requirements per unit of output (technology), "
               "where those inputs are bought (sourcing: home or abroad, and from whom), and "
               "the level, destination mix and product mix of world final demand. Bars to the "
               "right raised it, bars to the left lowered it; they add up exactly to the "
               "diamond. Each contribution is the average of the two polar decompositions. "
               "The tables are in current prices, so price changes (exchange rates included) "
               "are part of every contribution."),
        citation=SDA_CITE, caveat=caveat_for(frame, list(wide.index)), sheets=(sheet,))
    table = wide.rename(columns={"start": str(first), "end": str(last),
                                 **{f: SDA_FACTORS.get(f, f) for f in factors}})
    # a share does not move with the level of final demand: its contribution is 0 to rounding
    table = (scale * table).mask(lambda t: t.abs() < 1e-9, 0.0).reset_index()
    return Section("why-changed", "9. Why value capture changed", intro=(
        f"Was it technology and sourcing, value added per unit of output, or final demand? "
        f"A structural decomposition of the change of {what} between {first} and {last} "
        "(Dietzenbacher & Los 1998), at current prices. " + coverage_note(frame)),
        charts=(chart,), tables=(TableBlock(
            "why-changed-table", f"Contributions, {first}–{last} ({unit})", table,
            note=("Levels and contributions in " + unit + "; the contributions add up to "
                  "the change. Current prices: price changes are part of the change.")),))


# --------------------------------------------------------------------------- ranges
RANGES_CITE = ("Each pair of sources on common countries (the others merged into one rest of "
               "the world) and the broad sectors both show (silkchain.measures.compare; "
               "docs/compare.md); DVA share: "
               "OECD TiVA EXGR_DVASH (METHODS.md §15); participation: Koopman, Powers, Wang & "
               "Wei (2010), NBER WP 16426 (METHODS.md §8).")


def range_table(frame: pd.DataFrame, shown: Sequence[str] | None = None) -> pd.DataFrame:
    """One row per country and measure: each source's value (the report's own source from its
    first pair), then ``min``, ``max`` and ``spread`` over every harmonised value.

    >>> f = pd.DataFrame({"year": 2020, "country": "A", "measure": "m", "label": "M",
    ...                   "source": ["s", "t"], "value": [60.0, 70.0],
    ...                   "compared_with": ["t", "s"]})
    >>> range_table(f)[["country", "s", "t", "min", "max", "spread"]].to_dict("records")
    [{'country': 'A', 's': 60.0, 't': 70.0, 'min': 60.0, 'max': 70.0, 'spread': 10.0}]
    """
    sub = frame if shown is None else frame[frame["country"].isin(list(shown))]
    order = list(dict.fromkeys(sub["source"]))
    first = sub.drop_duplicates(["country", "measure", "source"])
    wide = first.pivot_table(index=["country", "label"], columns="source", values="value",
                             sort=False)
    stats = sub.groupby(["country", "label"], sort=False)["value"].agg(["min", "max"])
    out = wide.reindex(columns=[s for s in order if s in wide.columns]).join(stats)
    out["spread"] = out["max"] - out["min"]
    out.columns.name = None
    out = out.reset_index().rename(columns={"label": "measure"})
    if shown is not None:
        rank = {c: i for i, c in enumerate(shown)}
        out = out.sort_values(["measure", "country"], key=lambda s: s.map(rank)
                              if s.name == "country" else s, kind="stable")
    return out.reset_index(drop=True)


def ranges_section(frame: pd.DataFrame, ctx: Context, group_members: Sequence[str]
                   ) -> Section:
    """How sure are we: the same headline measures from every source in the store."""
    import plotly.graph_objects as go

    sheet = ctx.report.add_frame("source_ranges", frame, "Ranges across sources: "
                                 "silkchain.measures.compare.compare on the report's table and "
                                 "every other source in the store holding its last year.")
    sources = list(frame.attrs.get("sources") or dict.fromkeys(frame["source"]))
    shown = [c for c in dict.fromkeys([*group_members, ctx.hub])
             if c in set(frame["country"])]
    table = range_table(frame, shown)
    charts = []
    for i, (label, rows) in enumerate(frame[frame["country"].isin(shown)].groupby(
            "label", sort=False)):
        stats = rows.groupby("country")["value"].agg(["min", "max"]).sort_values("max")
        fig = new_figure(height=max(360, 26 * len(stats) + 150))
        fig.add_trace(go.Scatter(
            x=[v for lo, hi in zip(stats["min"], stats["max"], strict=True)
               for v in (lo, hi, None)],
            y=[c for c in stats.index for _ in range(3)], mode="lines",
            line={"color": "#bbb", "width": 6}, name="range", hoverinfo="skip"))
        for k, src in enumerate(sources):
            pts = rows[rows["source"] == src].drop_duplicates("country").set_index(
                "country").reindex(stats.index).dropna(subset=["value"])
            fig.add_trace(go.Scatter(
                x=pts["value"], y=list(pts.index), mode="markers", name=src,
                marker={"size": 10, "color": colour(k), "symbol": "circle" if k == 0
                        else "diamond"},
                hovertemplate=f"{src} %{{y}}: %{{x:.1f}}<extra></extra>"))
        fig.update_xaxes(title=label)
        fig.update_layout(legend={"orientation": "h", "y": -0.12}, margin={"l": 70})
        charts.append(Chart(
            f"ranges-{i + 1}", f"{label}: the range across sources ({ctx.last})", fig,
            guide=("Each dot is the value from one source, the grey bar the range between "
                   "the lowest and the highest. Every pair of sources is put on the same "
                   "countries (the others merged into one rest of the world) and the broad "
                   "sectors both show, so differences come from the sources' data, not from "
                   "their classifications. A long bar means the number depends on the "
                   "source: quote the range, not one value."),
            citation=RANGES_CITE, sheets=(sheet,)))
    return Section("ranges", "How sure are we? Ranges across sources", intro=(
        f"The store holds {len(sources)} sources with {ctx.last}: {', '.join(sources)}. "
        "The same indicator can differ a lot between releases; these are the headline "
        "measures from each, side by side."), charts=tuple(charts),
        tables=(TableBlock("ranges-table", f"Ranges across sources, {ctx.last}", table,
                           note="min, max and spread over every harmonised value; the "
                                "report's own source is shown from its first pair."),))
