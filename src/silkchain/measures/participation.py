"""GVC participation indices as tidy frames: Koopman et al. (2010) and WWYZ (2017a).

Both functions return a long frame with columns ``country, [sector,] measure,
value`` (``sector`` only at ``level="sector"``). Country values are sums of
numerators over sums of denominators within the country, never means of
sector ratios.

>>> import silkchain
>>> t = silkchain.read("wiod2013:2011")
>>> k = koopman(t)
>>> round(float(k.query("country == 'CHN' and measure == 'participation'").value.iloc[0]), 4)
0.4179
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

from silkchain.core.blocks import FloatArray
from silkchain.core.participation import (
    WWYZ_TERMS,
    koopman_indices,
    koopman_terms,
    safe_ratio,
    wwyz_terms,
)
from silkchain.errors import MeasureError
from silkchain.measures.tidy import to_long
from silkchain.table import MRIOTable

__all__ = ["KOOPMAN_MEASURES", "WWYZ_MEASURES", "koopman", "wwyz"]

Level = Literal["country", "sector"]

KOOPMAN_MEASURES = ("IV", "FV", "E", "participation", "position")
WWYZ_MEASURES = (
    "va", "V_D", "V_RT", "V_GVC_S", "V_GVC_C", "V_GVC",
    "forward_simple", "forward_complex", "forward",
    "y", "Y_D", "Y_RT", "Y_GVC_S", "Y_GVC_C", "Y_GVC",
    "backward_simple", "backward_complex", "backward",
)


def check_choice(name: str, value: object, choices: Sequence[str]) -> None:
    """Raise :class:`MeasureError` unless ``value`` is one of ``choices``."""
    if value not in choices:
        raise MeasureError(
            f"{name} must be one of {', '.join(repr(c) for c in choices)}; got {value!r}")


def by_country(values: FloatArray, table: MRIOTable) -> FloatArray:
    """Sum ``(G*N, ...)`` industry values to ``(G, ...)`` country values."""
    values = np.asarray(values, dtype=float)
    return values.reshape(table.G, table.N, *values.shape[1:]).sum(axis=1)


def level_frame(columns: dict[str, FloatArray], table: MRIOTable, level: str) -> pd.DataFrame:
    """Long frame of same-length measures (``(G,)`` at country, ``(G*N,)`` at sector level)."""
    names = list(columns)
    stacked = np.column_stack([np.asarray(columns[k], dtype=float) for k in names])
    countries = list(table.labels.countries)
    if level == "country":
        return to_long(stacked, {"country": countries, "measure": names})
    return to_long(stacked.reshape(table.G, table.N, len(names)),
                   {"country": countries, "sector": list(table.labels.sectors),
                    "measure": names})


def koopman(table: MRIOTable, level: Level = "country",
            variant: Literal["vs1", "kww"] = "vs1") -> pd.DataFrame:
    """GVC participation and position of Koopman, Powers, Wang & Wei (2010).

    ``participation = IV/E + FV/E``, ``position = ln(1 + IV/E) - ln(1 + FV/E)``,
    where ``FV`` is foreign value added in the exports of the country
    (sector) and ``IV`` its value added in other countries' exports.

    Parameters
    ----------
    table : MRIOTable
        The table.
    level : {"country", "sector"}
        At ``"sector"``, ``IV`` is by value-added *origin* sector and ``FV``,
        ``E`` by *exporting* sector, as in the paper (METHODS.md §14.11).
    variant : {"vs1", "kww"}
        ``"vs1"`` (default): ``IV`` is the value added in other countries'
        gross exports, double counting included (matches ``gvc::e2r``).
        ``"kww"``: ``IV`` is KWW (2014) term T3 (DVA_INTrex). ``FV`` is the
        same in both (= KWW T7+T8+T9). The two differ materially
        (METHODS.md §14.1).

    Returns
    -------
    DataFrame
        ``country, [sector,] measure, value`` with measures IV, FV, E,
        participation, position (NaN where ``E = 0``).

    References
    ----------
    .. [1] Koopman, Powers, Wang & Wei (2010), NBER WP 16426, §4, eqs. (7)-(8).
    .. [2] Koopman, Wang & Wei (2014), AER 104(2), eq. (36) (``variant="kww"``).
    """
    check_choice("level", level, ("country", "sector"))
    check_choice("variant", variant, ("vs1", "kww"))
    terms = koopman_terms(table.v, table.E, table.Yc, table.G, table.N, table.solver, variant)
    IV, FV, E = terms
    if level == "country":
        IV, FV, E = by_country(IV, table), by_country(FV, table), by_country(E, table)
    part, pos = koopman_indices(IV, FV, E)
    frame = level_frame({"IV": IV, "FV": FV, "E": E, "participation": part, "position": pos},
                        table, level)
    frame.attrs["variant"] = variant
    return frame


def wwyz(table: MRIOTable, level: Level = "country") -> pd.DataFrame:
    """Production-based GVC participation of Wang, Wei, Yu & Zhu (2017a).

    Forward terms split value added by origin (``va = V_D + V_RT + V_GVC_S +
    V_GVC_C``), backward terms split final goods by producing industry
    (``y = Y_D + Y_RT + Y_GVC_S + Y_GVC_C``). Shares: ``forward_simple =
    V_GVC_S/va``, ``forward_complex = V_GVC_C/va``, ``forward = V_GVC/va``
    and likewise ``backward_* = Y_*/y``.

    Parameters
    ----------
    table : MRIOTable
        The table.
    level : {"country", "sector"}
        Country values sum numerators and denominators within the country:
        forward shares are value-added weighted, backward shares
        final-goods weighted (METHODS.md §14.7).

    Returns
    -------
    DataFrame
        ``country, [sector,] measure, value`` with the measures of
        :data:`WWYZ_MEASURES`. Shares are NaN where the denominator is 0
        and may leave [0, 1] where final demand is negative (inventories).

    References
    ----------
    .. [1] Wang, Wei, Yu & Zhu (2017a), NBER WP 23222, §2-3, eqs. (3)-(8).
    """
    check_choice("level", level, ("country", "sector"))
    t = wwyz_terms(table.A, table.v, table.Yc, table.G, table.N, table.solver, table.L_blocks)
    fwd, bwd, va, y = t.forward, t.backward, t.va, t.y
    if level == "country":
        fwd, bwd, va, y = (by_country(a, table) for a in (fwd, bwd, va, y))
    cols: dict[str, FloatArray] = {}
    for total, prefix, parts, side in (("va", "V", fwd, "forward"), ("y", "Y", bwd, "backward")):
        base = va if total == "va" else y
        cols[total] = base
        for k, name in enumerate(WWYZ_TERMS):
            cols[f"{prefix}_{name}"] = parts[:, k]
        cols[f"{prefix}_GVC"] = parts[:, 2] + parts[:, 3]
        cols[f"{side}_simple"] = safe_ratio(parts[:, 2], base)
        cols[f"{side}_complex"] = safe_ratio(parts[:, 3], base)
        cols[side] = safe_ratio(cols[f"{prefix}_GVC"], base)
    return level_frame(cols, table, level)
