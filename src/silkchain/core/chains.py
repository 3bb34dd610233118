"""Chains, relatedness and trends: the numpy algebra of the Belt and Road answers.

Smile curves (value added and stage along an export chain), product-space
proximity and density, and the small regressions the answers use (slopes over
years, a weighted quadratic). Shapes follow METHODS.md §1; ``solver`` is a
:class:`silkchain.core.leontief.LeontiefSolver`.

>>> from silkchain.core.leontief import LeontiefSolver
>>> A = np.array([[0.1, 0.2], [0.3, 0.1]]); v = 1 - A.sum(0)
>>> s = LeontiefSolver.factor(A)
>>> contrib, stage = chain_contributions(s, v, np.array([0.0, 10.0]))
>>> float(contrib.sum())        # u'VB = u': contributions add up to the exports
10.0
>>> bool((stage >= 1).all())
True
"""

from __future__ import annotations

import numpy as np

from silkchain.core.blocks import FloatArray, safe_ratio
from silkchain.core.leontief import LeontiefSolver

__all__ = ["chain_contributions", "density", "ols_slope", "proximity", "weighted_quadratic"]


def chain_contributions(solver: LeontiefSolver, v: FloatArray,
                        e: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Value added of every industry in a chain ending in the export vector ``e``, and its stage.

    ``contrib_i = v_i (B e)_i`` (sums to ``u'e`` by ``u'VB = u'``) and
    ``stage_i = (B B e)_i / (B e)_i = sum_k (k+1) (A^k e)_i / sum_k (A^k e)_i``:
    the average number of production stages from industry ``i``'s value added
    to the exported product, counting ``i``'s own stage (``>= 1``; ``= 1`` only
    for value added exported directly). This is the chain-specific distance
    used to draw smile curves (Ye, Meng & Wei 2015; Meng, Ye & Wei 2020).

    Returns
    -------
    contrib, stage : ndarray, shape (n,)
        ``stage`` is NaN where the industry takes no part in the chain.

    References
    ----------
    .. [1] Meng, Ye & Wei (2020), "Measuring Smile Curves in Global Value
       Chains", Oxford Bulletin of Economics and Statistics 82(5): 988-1016.
    .. [2] Dietzenbacher, Romero & Bosma (2005), Estudios de Economía Aplicada
       23(2): 405-422 (average propagation lengths).
    """
    e = np.asarray(e, dtype=float)
    Be = solver.solve(e)
    BBe = solver.solve(Be)
    contrib = np.asarray(v, dtype=float) * Be
    stage = safe_ratio(BBe, np.where(Be > 0, Be, 0.0))
    return contrib, stage


def proximity(M: np.ndarray) -> FloatArray:
    """Product-space proximity of Hidalgo, Klinger, Barabási & Hausmann (2007).

    ``phi_ij = min{P(RCA_i > 1 | RCA_j > 1), P(RCA_j > 1 | RCA_i > 1)}``
    ``= #(both) / max(#i, #j)``, counted over the observations (rows) of the
    0/1 specialisation matrix ``M``. Symmetric, in [0, 1]; ``phi_ii = 1``
    where sector ``i`` has an advantage somewhere, else 0.

    Parameters
    ----------
    M : ndarray of bool, shape (obs, N)
        ``M[c, i]`` = country(-year) ``c`` has ``RCA_i > 1``.

    References
    ----------
    .. [1] Hidalgo, Klinger, Barabási & Hausmann (2007), "The Product Space
       Conditions the Development of Nations", Science 317(5837): 482-487,
       eq. (1) of the supporting online material.

    >>> M = np.array([[1, 1, 0], [1, 0, 0], [0, 1, 1]], dtype=bool)
    >>> proximity(M)
    array([[1. , 0.5, 0. ],
           [0.5, 1. , 0.5],
           [0. , 0.5, 1. ]])
    """
    Mf = np.asarray(M, dtype=float)
    both = Mf.T @ Mf
    count = np.diag(both)
    denom = np.maximum(count[:, None], count[None, :])
    return safe_ratio(both, np.where(denom > 0, denom, 0.0), fill=0.0)


def density(m: np.ndarray, phi: FloatArray) -> FloatArray:
    """Density around each sector: ``omega_j = sum_i m_i phi_ij / sum_i phi_ij`` (``i != j``).

    How close sector ``j`` is to the sectors where the country already has an
    advantage (Hausmann & Klinger 2007; Hidalgo et al. 2007). In [0, 1]; NaN
    for a sector with no proximity to any other.

    References
    ----------
    .. [1] Hausmann & Klinger (2007), "The Structure of the Product Space and
       the Evolution of Comparative Advantage", CID Working Paper 146, eq. (3).

    >>> phi = np.array([[1, .5, 0], [.5, 1, .5], [0, .5, 1]])
    >>> density(np.array([1, 0, 0], dtype=bool), phi)  # sector 1 is half-way to sector 0
    array([0. , 0.5, 0. ])
    """
    phi = np.asarray(phi, dtype=float).copy()
    np.fill_diagonal(phi, 0.0)
    mf = np.asarray(m, dtype=float)
    total = phi.sum(axis=0)
    return safe_ratio(mf @ phi, np.where(total > 0, total, 0.0))


def ols_slope(x: FloatArray, Y: FloatArray) -> FloatArray:
    """Least-squares slope of each row of ``Y`` on ``x`` (NaN cells ignored row by row).

    >>> ols_slope(np.array([0., 1., 2.]), np.array([[1., 3., 5.], [2., np.nan, 2.]]))
    array([2., 0.])
    """
    x = np.asarray(x, dtype=float)
    Y = np.atleast_2d(np.asarray(Y, dtype=float))
    ok = np.isfinite(Y)
    n = ok.sum(axis=1)
    xs = np.where(ok, x[None, :], 0.0)
    ys = np.where(ok, Y, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        mx = xs.sum(axis=1) / n
        my = ys.sum(axis=1) / n
        dx = np.where(ok, x[None, :] - mx[:, None], 0.0)
        dy = np.where(ok, Y - my[:, None], 0.0)
        sxx = (dx * dx).sum(axis=1)
        slope = np.where((n >= 2) & (sxx > 0), (dx * dy).sum(axis=1) / np.where(sxx > 0, sxx, 1),
                         np.nan)
    return slope


def weighted_quadratic(x: FloatArray, y: FloatArray, w: FloatArray) -> FloatArray:
    """Coefficients ``(c0, c1, c2)`` of ``y ~ c0 + c1 x + c2 x^2``, weighted least squares.

    ``c2 > 0`` is a U shape: a smile when ``x`` is the position in the chain.

    >>> x = np.array([1., 2., 3., 4.]); weighted_quadratic(x, (x - 2.5) ** 2, np.ones(4)).round(6)
    array([ 6.25, -5.  ,  1.  ])
    """
    x, y, w = (np.asarray(a, dtype=float) for a in (x, y, w))
    ok = np.isfinite(x) & np.isfinite(y) & np.isfinite(w) & (w > 0)
    if ok.sum() < 3:
        return np.full(3, np.nan)
    X = np.column_stack([np.ones(ok.sum()), x[ok], x[ok] ** 2])
    sw = np.sqrt(w[ok])
    coef, *_ = np.linalg.lstsq(X * sw[:, None], y[ok] * sw, rcond=None)
    return coef
