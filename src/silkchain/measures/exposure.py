"""Supply-chain exposure by supplier and customer country (labelled layer).

Face-value and look-through reliance on each partner country, after Baldwin,
Freeman & Theodorakopoulos (2022, NBER WP 30525); the math and definitions are
in :mod:`silkchain.core.exposure` and ``docs/measures/exposure.md``.

>>> import silkchain
>>> f = exposure(silkchain.read("wiod2013:2011"))
>>> usa = f[(f["country"] == "USA") & (f["partner"] == "CHN")].set_index("term")["value"]
>>> bool(usa["lt"] >= usa["fv"])
True
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from silkchain.core import exposure as core
from silkchain.core.blocks import sum_by_country
from silkchain.errors import MeasureError
from silkchain.measures.tidy import TOTAL, to_long
from silkchain.table import MRIOTable

__all__ = ["TERMS", "UNITS", "exposure", "exposure_arrays"]

TERMS = core.PARTNER_TERMS + core.UNIT_TERMS
#: Unit of each term by side (``fv``, ``lt`` and foreign totals: the side's own unit).
UNITS = {"fv_share": "share", "lt_share": "share", "foreign_fv_share": "share",
         "foreign_lt_share": "share", "hidden_ratio": "ratio", "hidden_ratio_foreign": "ratio",
         "hhi_fv": "index", "hhi_lt": "index"}
SIDE_UNIT = {"supply": "per unit of output", "sales": "table currency"}


def exposure_arrays(table: MRIOTable, level: str = "country", side: str = "supply"
                    ) -> tuple[np.ndarray, np.ndarray]:
    """``(FV, LT)`` as ``(partner country, unit)`` arrays; units are countries or industries."""
    G, N = table.G, table.N
    if side == "supply":
        FV, LT = core.supply_coefficients(table.A, table.solver, G, N)
        if level == "country":
            return core.pool_by_country(FV, table.x, G, N), core.pool_by_country(LT, table.x,
                                                                                  G, N)
        return FV, LT
    FVs, LTs = core.sales_flows(table.Zc, table.Yc, table.solver)
    if level == "country":
        return sum_by_country(FVs, G, N).T, sum_by_country(LTs, G, N).T
    return FVs.T, LTs.T


def exposure(table: MRIOTable, level: str = "country",
             side: Literal["supply", "sales"] = "supply") -> pd.DataFrame:
    """Face-value and look-through exposure of every country (or industry) to every partner.

    Parameters
    ----------
    table : MRIOTable
    level : {"country", "sector"}
        Countries (industries pooled, output-weighted) or industries.
    side : {"supply", "sales"}
        Supply side: reliance on each supplier country, per unit of output
        (``fv`` from ``A``, ``lt`` from ``B - I``). Sales side: output sold to
        each customer country, directly (``fv``: intermediate and final sales)
        or absorbed in its final demand by any route (``lt``: ``B Y``).

    Returns
    -------
    DataFrame
        ``country[, sector], partner, term, value``: the terms of
        :data:`silkchain.core.exposure.PARTNER_TERMS` by partner (own country
        included: shares sum to one over partners), and those of
        :data:`silkchain.core.exposure.UNIT_TERMS` with ``partner == "_T"``
        (foreign partners together; HHI of the foreign partners' shares).

    References
    ----------
    .. [1] Baldwin, R., Freeman, R. & Theodorakopoulos, A. (2022). Horses for courses:
       measuring foreign supply chain exposure. NBER WP 30525, §2-3.
    """
    if level not in ("country", "sector"):
        raise MeasureError(f"exposure has no level {level!r}; levels: country, sector")
    if side not in ("supply", "sales"):
        raise MeasureError(f"exposure side must be 'supply' or 'sales', got {side!r}")
    G, N = table.G, table.N
    FV, LT = exposure_arrays(table, level, side)
    by_partner, by_unit = core.exposure_terms(FV, LT, core.own_country(G, N, level))
    countries, sectors = list(table.labels.countries), list(table.labels.sectors)
    if level == "country":
        units: dict[str, list[str]] = {"country": countries}
    else:
        units = {"country": [c for c in countries for _ in sectors], "sector": sectors * G}
    n_units = len(units["country"])
    # partner rows: (unit, partner, term)
    P = np.stack([by_partner[t].T for t in core.PARTNER_TERMS], axis=-1)
    dims = {"unit": [str(i) for i in range(n_units)], "partner": countries,
            "term": list(core.PARTNER_TERMS)}
    part = to_long(P, dims)
    U = np.stack([by_unit[t] for t in core.UNIT_TERMS], axis=-1)
    tot = to_long(U, {"unit": dims["unit"], "term": list(core.UNIT_TERMS)})
    tot.insert(1, "partner", TOTAL)
    frame = pd.concat([part, tot], ignore_index=True)
    idx = frame.pop("unit").astype(int).to_numpy()
    frame = frame.iloc[np.argsort(idx, kind="stable")].reset_index(drop=True)  # table order
    idx = np.sort(idx, kind="stable")
    for pos, (key, labels) in enumerate(units.items()):
        frame.insert(pos, key, np.asarray(labels, dtype=object)[idx])
    frame.attrs.update(side=side, level=level, unit=SIDE_UNIT[side])
    return frame
