"""GVC participation on ndarrays: Koopman et al. (2010) and Wang, Wei, Yu & Zhu (2017a).

Notation of METHODS.md §1: ``G`` countries, ``N`` sectors, ``n = G*N``
industries in country-major order; ``v`` value added per unit of output
(residual value added), ``E`` total gross exports of each industry,
``Yc`` final demand by destination country ``(n, G)``. The global Leontief
inverse ``B`` is never formed: every product with it is an LU solve
(:class:`~silkchain.core.leontief.LeontiefSolver`), and the local inverse
``L = blockdiag(L_ss)`` is applied block by block.

References
----------
.. [1] Koopman, R., Powers, W., Wang, Z. & Wei, S.-J. (2010). Give credit where
   credit is due: tracing value added in global production chains. NBER
   Working Paper 16426, §4 (the GVC participation and position indices).
.. [2] Koopman, R., Wang, Z. & Wei, S.-J. (2014). Tracing value-added and
   double counting in gross exports. *American Economic Review* 104(2):
   459-494, eq. (36) (term T3, DVA_INTrex).
.. [3] Wang, Z., Wei, S.-J., Yu, X. & Zhu, K. (2017a). Measures of
   participation in global value chains and global business cycles. NBER
   Working Paper 23222, §2 (eqs. 3-6, the production-based decomposition).
"""

from __future__ import annotations

from typing import Literal, NamedTuple

import numpy as np

from silkchain.core.blocks import (
    FloatArray,
    apply_local,
    apply_local_left,
    country_column_mask,
    country_index,
    country_rows,
    safe_ratio,
)
from silkchain.core.leontief import LeontiefSolver, va_by_country
from silkchain.errors import MeasureError

__all__ = [
    "KoopmanTerms",
    "WWYZTerms",
    "apply_local",
    "apply_local_left",
    "foreign_coefficients",
    "koopman_indices",
    "koopman_terms",
    "safe_ratio",
    "wwyz_terms",
]

KoopmanVariant = Literal["vs1", "kww"]


def foreign_coefficients(A: FloatArray, G: int, N: int) -> FloatArray:
    """``A^F``: ``A`` with its within-country diagonal blocks set to zero."""
    c = country_index(G, N)
    return np.where(c[:, None] == c[None, :], 0.0, A)


class KoopmanTerms(NamedTuple):
    """Koopman et al. (2010) numerators by industry (all ``(G*N,)``).

    ``IV`` is indexed by the value-added *origin* industry, ``FV`` and ``E``
    by the *exporting* industry (METHODS.md §14.11: the sector index mixes
    the two, as in the paper).
    """

    IV: FloatArray
    FV: FloatArray
    E: FloatArray


def koopman_terms(
    v: FloatArray,
    E: FloatArray,
    Yc: FloatArray,
    G: int,
    N: int,
    solver: LeontiefSolver,
    variant: KoopmanVariant = "vs1",
) -> KoopmanTerms:
    """Indirect value-added exports ``IV`` and foreign value added ``FV`` by industry.

    * ``FV_j = sum_{k: c(k) != c(j)} v_k B_kj E_j``: foreign value added in
      the gross exports of ``j`` (= KWW T7+T8+T9 = BM FC = HIY VS).
    * ``variant="vs1"`` (default; matches the published ``gvc::e2r``):
      ``IV_i = sum_{j: c(j) != c(i)} v_i B_ij E_j``, the value added of ``i``
      in *other countries'* gross exports, double counting included (row sums
      of the off-diagonal blocks of ``V B diag(E)``).
    * ``variant="kww"``: ``IV`` is KWW (2014) term T3 (DVA_INTrex),
      ``V_s sum_{r != s} sum_{t != s, r} B_sr Y_rt``, by origin industry
      ``v_i sum_{r != c(i)} sum_{t != c(i), r} B_ir Y_rt``.

    Parameters
    ----------
    v : ndarray, shape (G*N,)
        Value added per unit of output (residual value added).
    E : ndarray, shape (G*N,)
        Total gross exports of each industry.
    Yc : ndarray, shape (G*N, G)
        Final demand by destination country.
    G, N : int
        Countries and sectors.
    solver : LeontiefSolver
        LU factorisation of ``I - A``.
    variant : {"vs1", "kww"}
        Which ``IV`` (METHODS.md §14.1).

    Returns
    -------
    KoopmanTerms

    References
    ----------
    .. [1] Koopman, Powers, Wang & Wei (2010), NBER WP 16426, §4, eqs. (7)-(8)
       (IV, FV; participation and position indices).
    .. [2] Koopman, Wang & Wei (2014), AER 104(2), eq. (36), term T3
       (the ``"kww"`` variant's ``IV``).

    Examples
    --------
    Two one-sector countries; each ships 1 unit of intermediates to the other:

    >>> from silkchain.core.leontief import LeontiefSolver, va_by_country
    >>> A = np.array([[0.0, 0.1], [0.1, 0.0]])
    >>> s = LeontiefSolver.factor(A)
    >>> t = koopman_terms(np.array([0.9, 0.9]), np.array([1.0, 1.0]),
    ...                   np.array([[9.0, 0.0], [0.0, 9.0]]), 2, 1, s)
    >>> t.IV.round(6), t.FV.round(6)
    (array([0.090909, 0.090909]), array([0.090909, 0.090909]))
    """
    if variant not in ("vs1", "kww"):
        raise MeasureError(f"unknown Koopman variant {variant!r}; choose 'vs1' or 'kww'")
    n = G * N
    c = country_index(G, N)
    own = country_column_mask(G, N)  # (n, G): True on the own country's column
    # W[t, j] = sum_{k in t} v_k B_kj  (G x n, one left solve with G rows)
    W = va_by_country(v, solver, G, N)
    FV = np.where(own.T, 0.0, W).sum(axis=0) * E
    if variant == "vs1":
        # BM[i, s] = sum_{j in s} B_ij E_j
        BM = solver.solve(country_rows(E, G, N).T)
        IV = v * np.where(own, 0.0, BM).sum(axis=1)
    else:
        # column s of R: Y_rt summed over t != s, r for rows of r != s (0 on s's rows)
        y = Yc.sum(axis=1)
        yF = y - Yc[np.arange(n), c]  # sum_{t != r} Y_rt
        R = np.where(own, 0.0, yF[:, None] - Yc)
        IV = v * solver.solve(R)[np.arange(n), c]
    return KoopmanTerms(IV=IV, FV=FV, E=np.asarray(E, dtype=float).copy())


def koopman_indices(IV: FloatArray, FV: FloatArray, E: FloatArray) -> tuple[FloatArray, FloatArray]:
    """GVC participation ``IV/E + FV/E`` and position ``ln(1+IV/E) - ln(1+FV/E)``.

    NaN where ``E == 0`` (an industry or country without exports has no index)
    and, for the position, where ``1 + IV/E <= 0`` or ``1 + FV/E <= 0`` (negative
    value added, which some published tables carry, can make the log undefined).

    References
    ----------
    .. [1] Koopman, Powers, Wang & Wei (2010), NBER WP 16426, §4, eqs. (7)-(8).

    >>> koopman_indices(np.array([2.0]), np.array([1.0]), np.array([10.0]))[0]
    array([0.3])
    """
    iv = safe_ratio(IV, E)
    fv = safe_ratio(FV, E)
    return iv + fv, _log1p(iv) - _log1p(fv)


def _log1p(a: FloatArray) -> FloatArray:
    """``log(1 + a)`` where ``a > -1``; NaN elsewhere (no warning)."""
    out = np.full(np.shape(a), np.nan)
    np.log1p(a, out=out, where=np.isfinite(a) & (a > -1.0))
    return out


class WWYZTerms(NamedTuple):
    """WWYZ (2017a) production-based terms, each ``(G*N, 4)`` in the order D, RT, GVC_S, GVC_C.

    ``forward[i]`` splits the value added ``va_i`` of industry ``i`` by where
    it is absorbed (row sums of ``V B Ŷ``); ``backward[j]`` splits the final
    goods ``y_j`` of industry ``j`` by where their value added comes from
    (column sums).
    """

    forward: FloatArray
    backward: FloatArray
    va: FloatArray
    y: FloatArray


WWYZ_TERMS = ("D", "RT", "GVC_S", "GVC_C")


def wwyz_terms(
    A: FloatArray,
    v: FloatArray,
    Yc: FloatArray,
    G: int,
    N: int,
    solver: LeontiefSolver,
    L_blocks: FloatArray,
) -> WWYZTerms:
    """Production-based decomposition of value added and final goods (WWYZ 2017a).

    ``V B Ŷ = V L Ŷ^D + V L Ŷ^F + V L A^F L Ŷ^D + V L A^F (B Ŷ - L Ŷ^D)``:
    pure domestic (D), traditional trade (RT), simple GVC (GVC_S) and
    complex GVC (GVC_C) production; exact by ``B = L + L A^F B``
    (METHODS.md §9). ``Ŷ = diag(y)`` with ``y = Yc u`` all final demand for
    each industry's output and ``Ŷ^D`` its own-country part.

    Parameters
    ----------
    A : ndarray, shape (G*N, G*N)
        Input coefficients.
    v : ndarray, shape (G*N,)
        Value added per unit of output.
    Yc : ndarray, shape (G*N, G)
        Final demand by destination country.
    G, N : int
        Countries and sectors.
    solver : LeontiefSolver
        LU factorisation of ``I - A``.
    L_blocks : ndarray, shape (G, N, N)
        Local Leontief inverses ``L_ss``.

    Returns
    -------
    WWYZTerms
        Forward rows sum to ``va = v # (B y)`` and backward rows to ``y``.

    References
    ----------
    .. [1] Wang, Wei, Yu & Zhu (2017a), NBER WP 23222, §2, eqs. (3)-(6) and
       the participation indices of §3 (eqs. 7-8).
    """
    n = G * N
    c = country_index(G, N)
    y = Yc.sum(axis=1)
    yD = Yc[np.arange(n), c]
    yF = y - yD
    AF = foreign_coefficients(A, G, N)
    # forward (by value-added origin industry, row sums)
    LyD = apply_local(L_blocks, yD)
    x_model = solver.solve(y)  # B y
    fwd = np.column_stack([
        v * LyD,
        v * apply_local(L_blocks, yF),
        v * apply_local(L_blocks, AF @ LyD),
        v * apply_local(L_blocks, AF @ (x_model - LyD)),
    ])
    # backward (by final-goods producing industry, column sums)
    vL = apply_local_left(L_blocks, v)
    p = vL @ AF  # V L A^F
    pL = apply_local_left(L_blocks, p)
    pB = solver.solve_left(p)
    bwd = np.column_stack([vL * yD, vL * yF, pL * yD, pB * y - pL * yD])
    return WWYZTerms(forward=fwd, backward=bwd, va=v * x_model, y=y)
