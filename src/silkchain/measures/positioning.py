"""Position in value chains as tidy frames: upstreamness, downstreamness, production length, APL.

Zero-output industries get ``U = D = PLv = PLy = 1`` (their own isolated
stage; see :mod:`silkchain.core.positioning`); GVC lengths and APL cells with
a zero denominator are NaN.

>>> import silkchain
>>> t = silkchain.read("wiod2013:2011")
>>> u = upstreamness(t)
>>> u.attrs["inventory_correction"], u.attrs["inventory_category"]
(True, 'INVEN')
>>> round(float(u.query("country == 'CHN' and sector == 'c2'").value.iloc[0]), 3)
4.591
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from silkchain.core import positioning as cp
from silkchain.core.blocks import FloatArray, safe_ratio
from silkchain.core.leontief import LeontiefSolver, technical_coefficients
from silkchain.errors import MeasureError
from silkchain.measures.participation import check_choice, level_frame
from silkchain.measures.tidy import to_long
from silkchain.table import MRIOTable

__all__ = [
    "INVENTORY_CATEGORIES",
    "apl",
    "downstreamness",
    "inventory_category",
    "production_length",
    "upstreamness",
]

#: Final-demand category names recognised as changes in inventories (case-insensitive):
#: WIOD ``INVEN``, OECD ICIO ``INVNT``, SNA ``P52``.
INVENTORY_CATEGORIES = ("INVEN", "INVNT", "INV", "P52", "P.52", "INVENTORIES",
                        "CHANGES IN INVENTORIES", "INVENTORY CHANGES")

Level = Literal["sector", "country"]


def inventory_category(table: MRIOTable) -> str | None:
    """The table's final-demand category for changes in inventories, or ``None``.

    >>> import silkchain
    >>> inventory_category(silkchain.read("wiod2013:2011"))
    'INVEN'
    """
    for cat in table.labels.fd_categories:
        if cat.strip().upper() in INVENTORY_CATEGORIES:
            return cat
    return None


def _resolve_correction(table: MRIOTable, inventory_correction: bool | None) -> str | None:
    cat = inventory_category(table)
    if inventory_correction is None:
        return cat
    if inventory_correction and cat is None:
        raise MeasureError(
            "inventory_correction=True needs a final-demand category for changes in "
            f"inventories (one of {', '.join(INVENTORY_CATEGORIES)}); the table has: "
            f"{', '.join(table.labels.fd_categories)}")
    return cat if inventory_correction else None


def _system(table: MRIOTable, category: str | None, level: str
            ) -> tuple[FloatArray, FloatArray, FloatArray]:
    """``(Z, x, y)`` of the system whose U and D are wanted (corrected and/or collapsed)."""
    G, K = table.G, table.K
    Yr = table.Y.reshape(table.n, G, K)
    Z, x = np.asarray(table.Z), np.asarray(table.x)
    if category is None:
        y = Yr.sum(axis=(1, 2))
        inv = np.zeros(table.n)
    else:
        k = table.labels.fd_categories.index(category)
        inv = Yr[:, :, k].sum(axis=1)
        y = Yr.sum(axis=(1, 2)) - inv
    if level == "country":
        Z = Z.reshape(G, table.N, G, table.N).sum(axis=(1, 3))
        x = x.reshape(G, table.N).sum(axis=1)
        y = y.reshape(G, table.N).sum(axis=1)
        inv = inv.reshape(G, table.N).sum(axis=1)
        names = list(table.labels.countries)
    else:
        names = table.labels.industries()
    if category is not None:
        corr = cp.inventory_correction(Z, y, inv, x, names)
        Z, y = corr.Z, corr.y
    return Z, x, y


def _frame(values: FloatArray, table: MRIOTable, level: str, measure: str) -> pd.DataFrame:
    return level_frame({measure: values}, table, level)


def _tag(frame: pd.DataFrame, category: str | None, **extra: object) -> pd.DataFrame:
    frame.attrs["inventory_correction"] = category is not None
    frame.attrs["inventory_category"] = category
    frame.attrs.update(extra)
    return frame


def upstreamness(
    table: MRIOTable,
    inventory_correction: bool | None = None,
    method: Literal["antras", "miller_temurshoev"] = "antras",
    level: Level = "sector",
) -> pd.DataFrame:
    """Upstreamness ``U``: average number of stages between production and final use.

    ``U = (I - Δ)^-1 u`` with ``Δ_ij = a_ij x_j / x_i`` (Antràs et al. 2012),
    equal to Miller & Temurshoev's output upstreamness ``diag(x)^-1 B x``.

    Parameters
    ----------
    table : MRIOTable
        The table.
    inventory_correction : bool, optional
        Apply the net inventory correction of Antràs & Chor (2018): scale row
        ``i`` of ``Z`` and of non-inventory final use by ``x_i/(x_i - N_i)``,
        keeping ``x``. ``None`` (default): on when the table has an inventory
        category (WIOD's ``INVEN``), off otherwise. The choice is recorded in
        ``frame.attrs["inventory_correction"]`` and ``["inventory_category"]``.
    method : {"antras", "miller_temurshoev"}
        Solve ``(I - Δ) U = u``, or ``U = diag(x)^-1 B x`` (same numbers).
    level : {"sector", "country"}
        ``"country"`` computes ``U`` on the table collapsed to countries
        (``G x G``), as Antràs & Chor (2018, Table 1) do.

    Returns
    -------
    DataFrame
        ``country, [sector,] measure, value`` with measure ``U`` (>= 1; 1 for
        zero-output industries).

    References
    ----------
    .. [1] Antràs, Chor, Fally & Hillberry (2012), AER P&P 102(3), eqs. (1)-(4).
    .. [2] Miller & Temurshoev (2017), IRSR 40(5), §3, eq. (6).
    .. [3] Antràs & Chor (2018), NBER WP 24185, §2.2 and Table 1.
    """
    check_choice("method", method, ("antras", "miller_temurshoev"))
    check_choice("level", level, ("sector", "country"))
    cat = _resolve_correction(table, inventory_correction)
    if cat is None and level == "sector":
        U = (cp.upstreamness_antras(table.Z, table.x) if method == "antras"
             else cp.upstreamness_mt(table.solver, table.x))
    else:
        Z, x, _ = _system(table, cat, level)
        if method == "antras":
            U = cp.upstreamness_antras(Z, x)
        else:
            U = cp.upstreamness_mt(LeontiefSolver.factor(technical_coefficients(Z, x)), x)
    return _tag(_frame(U, table, level, "U"), cat, method=method)


def downstreamness(
    table: MRIOTable,
    inventory_correction: bool | None = None,
    level: Level = "sector",
) -> pd.DataFrame:
    """Input downstreamness ``D' = u'B`` of Miller & Temurshoev (2017).

    Column sums of the Leontief inverse: the average number of stages between
    primary inputs and the output of an industry.

    Parameters
    ----------
    table : MRIOTable
        The table.
    inventory_correction : bool, optional
        As for :func:`upstreamness` (Antràs & Chor 2018); recorded in
        ``frame.attrs``.
    level : {"sector", "country"}
        ``"country"``: on the table collapsed to countries.

    Returns
    -------
    DataFrame
        ``country, [sector,] measure, value`` with measure ``D`` (>= 1).

    References
    ----------
    .. [1] Miller & Temurshoev (2017), IRSR 40(5), §3, eq. (11).
    .. [2] Antràs & Chor (2018), NBER WP 24185, §2.2 and Table 1.
    """
    check_choice("level", level, ("sector", "country"))
    cat = _resolve_correction(table, inventory_correction)
    if cat is None and level == "sector":
        D = cp.downstreamness(table.solver)
    else:
        Z, x, _ = _system(table, cat, level)
        D = cp.downstreamness(LeontiefSolver.factor(technical_coefficients(Z, x)))
    return _tag(_frame(D, table, level, "D"), cat)


PRODUCTION_LENGTH_MEASURES = ("PLv", "PLy", "PLv_GVC", "PLy_GVC", "GVC_position")


def production_length(table: MRIOTable, level: Level = "sector") -> pd.DataFrame:
    """Production length and GVC position index of Wang, Wei, Yu & Zhu (2017b).

    ``PLv`` (forward, by value-added origin; = upstreamness without inventory
    correction), ``PLy`` (backward, by final-goods producer; = downstreamness),
    their GVC parts ``PLv_GVC``, ``PLy_GVC`` (>= 2 where defined), and
    ``GVC_position = PLv_GVC / PLy_GVC`` (> 1: relatively upstream).

    Parameters
    ----------
    table : MRIOTable
        The table.
    level : {"sector", "country"}
        Country values are ratios of the country's summed numerators and
        denominators (forward lengths value-added weighted, backward lengths
        weighted by the value added embodied in final goods ``(vB) # y``);
        country position = country ``PLv_GVC / PLy_GVC``.

    Returns
    -------
    DataFrame
        ``country, [sector,] measure, value``; GVC measures are NaN where the
        industry (country) has no GVC production.

    References
    ----------
    .. [1] Wang, Wei, Yu & Zhu (2017b), NBER WP 23261, §2-3. The GVC segment
       formula is that of METHODS.md §10 (see §14.8).
    """
    check_choice("level", level, ("sector", "country"))
    pl = cp.production_length(table.A, table.v, table.y, table.G, table.N, table.solver,
                              table.L_blocks)
    if level == "sector":
        cols = {"PLv": pl.PLv, "PLy": pl.PLy, "PLv_GVC": pl.PLv_GVC, "PLy_GVC": pl.PLy_GVC,
                "GVC_position": safe_ratio(pl.PLv_GVC, pl.PLy_GVC)}
    else:
        G, N = table.G, table.N
        cols = {
            "PLv": cp.weighted_by_country(pl.PLv, pl.w_v, G, N),
            "PLy": cp.weighted_by_country(pl.PLy, pl.w_y, G, N),
            "PLv_GVC": cp.weighted_by_country(pl.PLv_GVC, pl.w_v_gvc, G, N),
            "PLy_GVC": cp.weighted_by_country(pl.PLy_GVC, pl.w_y_gvc, G, N),
        }
        cols["GVC_position"] = safe_ratio(cols["PLv_GVC"], cols["PLy_GVC"])
    return level_frame(cols, table, level)


def apl(table: MRIOTable, countries: list[str] | None = None,
        partners: list[str] | None = None, dropna: bool = True) -> pd.DataFrame:
    """Average propagation length between industries (Dietzenbacher et al. 2005).

    ``APL_ij = [B (B - I)]_ij / [B - I]_ij``: the average number of production
    steps from industry ``i`` (``country, sector``) to industry ``j``
    (``partner, partner_sector``). The diagonal ``i = j`` is reported too.
    Needs the explicit ``B``.

    Parameters
    ----------
    table : MRIOTable
        The table.
    countries, partners : list of str, optional
        Keep only rows from these countries and columns of these partners (the
        full matrix of a WIOD year has two million cells).
    dropna : bool
        Leave out cells without any path (``[B - I]_ij = 0``, APL undefined).

    Returns
    -------
    DataFrame
        ``country, sector, partner, partner_sector, measure, value`` with
        measure ``APL``.

    References
    ----------
    .. [1] Dietzenbacher, Romero Luna & Bosma (2005), Estudios de Economía
       Aplicada 23(2), eq. (5).
    """
    lab = table.labels
    M = cp.average_propagation_length(table.A, table.B)
    rows = _country_positions(table, countries, "countries")
    cols = _country_positions(table, partners, "partners")
    N = table.N
    ri = np.concatenate([np.arange(g * N, (g + 1) * N) for g in rows])
    ci = np.concatenate([np.arange(g * N, (g + 1) * N) for g in cols])
    sub = M[np.ix_(ri, ci)].reshape(len(rows), N, len(cols), N, 1)
    frame = to_long(sub, {
        "country": [lab.countries[g] for g in rows], "sector": list(lab.sectors),
        "partner": [lab.countries[g] for g in cols], "partner_sector": list(lab.sectors),
        "measure": ["APL"]},
        drop_mask=np.isnan(sub) if dropna else None)
    return frame


def _country_positions(table: MRIOTable, codes: list[str] | None, what: str) -> list[int]:
    if codes is None:
        return list(range(table.G))
    missing = [c for c in codes if c not in table.labels.countries]
    if missing:
        raise MeasureError(f"unknown {what}: {', '.join(missing)}; the table has: "
                           f"{', '.join(table.labels.countries)}")
    return [table.labels.countries.index(c) for c in codes]
