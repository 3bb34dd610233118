"""Supply-chain exposure: face-value and look-through reliance on foreign countries.

After Baldwin, Freeman & Theodorakopoulos (2022, "Horses for courses: measuring
foreign supply chain exposure", NBER WP 30525, §2-3). Notation of METHODS.md §1.

**Supply side** (what a using industry ``j`` buys, per unit of its output):

* face value ``FV[s, j] = sum_{i in s} A[i, j]``: inputs bought directly from
  country ``s`` (the direct requirements, from ``A``);
* look-through ``LT[s, j] = sum_{i in s} (B - I)[i, j]``: output of country ``s``
  needed directly and indirectly (through every tier of suppliers, at home and
  abroad) per unit of ``j``'s output, the unit itself left out. Since
  ``B - I = A + A^2 + ...``, ``LT >= FV`` wherever inputs are non-negative.

**Sales side** (where a selling industry ``i``'s output goes):

* face value ``FVs[i, r] = (Z_r u + Y_r)[i]``: direct sales to country ``r``
  (intermediate and final), summing over ``r`` to ``x_i``;
* look-through ``LTs[i, r] = (B Y)[i, r]``: output of ``i`` ultimately absorbed in
  final demand of ``r`` by any route (sums to ``x_i`` when ``x = B y``).

Country level: the country's industries pooled (numerators and denominators
summed, so supply-side coefficients are output-weighted means).

From these, for each unit (industry or country) and partner country:
``*_share`` (share of the partner over all partners, own country included:
shares sum to one), ``foreign_*`` (the foreign total) and its share,
``hidden_ratio = LT / FV`` (look-through over face value; BFT's "hidden
exposure": above one where indirect links add to direct ones) and the
Herfindahl-Hirschman index of the foreign partners' shares (``hhi_*``,
concentration among foreign suppliers or customers, in ``[1/(G-1), 1]``).

>>> A = np.array([[0.1, 0.2], [0.3, 0.1]])   # two countries, one sector
>>> s = LeontiefSolver.factor(A)
>>> FV, LT = supply_coefficients(A, s, 2, 1)
>>> FV
array([[0.1, 0.2],
       [0.3, 0.1]])
>>> bool((LT >= FV).all())
True
"""

from __future__ import annotations

import numpy as np

from silkchain.core.blocks import FloatArray, country_column_mask, country_index, safe_ratio
from silkchain.core.leontief import LeontiefSolver

__all__ = ["PARTNER_TERMS", "UNIT_TERMS", "exposure_terms", "pool_by_country",
           "sales_flows", "supply_coefficients"]

#: Terms by unit and partner, and by unit (foreign partners together).
PARTNER_TERMS = ("fv", "lt", "fv_share", "lt_share", "hidden_ratio")
UNIT_TERMS = ("foreign_fv", "foreign_lt", "foreign_fv_share", "foreign_lt_share",
              "hidden_ratio_foreign", "hhi_fv", "hhi_lt")


def supply_coefficients(A: FloatArray, solver: LeontiefSolver, G: int, N: int
                        ) -> tuple[FloatArray, FloatArray]:
    """``(FV, LT)``, each ``(G, G*N)``: supplier country x using industry, per unit of output.

    References
    ----------
    .. [1] Baldwin, Freeman & Theodorakopoulos (2022), NBER WP 30525, §3 (face-value
       and look-through foreign input reliance).
    """
    indicator = country_column_mask(G, N).T.astype(float)  # (G, G*N)
    FV = indicator @ A
    LT = np.asarray(solver.solve_left(indicator)) - indicator
    return FV, LT


def sales_flows(Zc: FloatArray, Yc: FloatArray, solver: LeontiefSolver
                ) -> tuple[FloatArray, FloatArray]:
    """``(FVs, LTs)``, each ``(G*N, G)``: selling industry x customer country, in currency.

    ``Zc`` are intermediate sales by using country, ``Yc`` final sales by
    destination country (both ``(G*N, G)``).
    """
    return Zc + Yc, np.asarray(solver.solve(Yc))


def pool_by_country(values: FloatArray, weights: FloatArray, G: int, N: int) -> FloatArray:
    """Pool industries into countries along the last axis: ``sum(values * w) / sum(w)``.

    >>> pool_by_country(np.array([[1.0, 3.0]]), np.array([1.0, 3.0]), 1, 2)
    array([[2.5]])
    """
    num = (values * weights).reshape(*values.shape[:-1], G, N).sum(axis=-1)
    den = weights.reshape(G, N).sum(axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.asarray(np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan))


def exposure_terms(FV: FloatArray, LT: FloatArray, own: np.ndarray
                   ) -> tuple[dict[str, FloatArray], dict[str, FloatArray]]:
    """Shares, foreign totals, hidden-exposure ratios and HHI from ``(partner, unit)`` arrays.

    Parameters
    ----------
    FV, LT : ndarray, shape (G, U)
        Face-value and look-through amounts (or coefficients) of each partner
        country for each of ``U`` units.
    own : ndarray of int, shape (U,)
        The country of each unit.

    Returns
    -------
    by_partner : dict
        :data:`PARTNER_TERMS` -> ``(G, U)``.
    by_unit : dict
        :data:`UNIT_TERMS` -> ``(U,)``.

    >>> FV = np.array([[0.2], [0.1], [0.1]]); LT = np.array([[0.5], [0.3], [0.1]])
    >>> p, u = exposure_terms(FV, LT, np.array([0]))
    >>> p["fv_share"].ravel(), float(u["foreign_lt"][0]), float(u["hhi_lt"][0])
    (array([0.5 , 0.25, 0.25]), 0.4, 0.625)
    """
    G = FV.shape[0]
    foreign = np.arange(G)[:, None] != np.asarray(own)[None, :]
    by_partner = {"fv": FV, "lt": LT, "fv_share": safe_ratio(FV, FV.sum(axis=0)),
                  "lt_share": safe_ratio(LT, LT.sum(axis=0)), "hidden_ratio": safe_ratio(LT, FV)}
    ffv, flt = (FV * foreign).sum(axis=0), (LT * foreign).sum(axis=0)

    def hhi(M: FloatArray, total: FloatArray) -> FloatArray:
        return np.asarray((safe_ratio(M * foreign, total[None, :]) ** 2).sum(axis=0)
                          * np.where(total > 0, 1.0, np.nan))

    by_unit = {"foreign_fv": ffv, "foreign_lt": flt,
               "foreign_fv_share": safe_ratio(ffv, FV.sum(axis=0)),
               "foreign_lt_share": safe_ratio(flt, LT.sum(axis=0)),
               "hidden_ratio_foreign": safe_ratio(flt, ffv),
               "hhi_fv": hhi(FV, ffv), "hhi_lt": hhi(LT, flt)}
    return by_partner, by_unit


def own_country(G: int, N: int, level: str) -> np.ndarray:
    """Country of each unit: industries (``"sector"``) or countries."""
    return country_index(G, N) if level == "sector" else np.arange(G)
