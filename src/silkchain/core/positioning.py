"""Position in value chains on ndarrays: upstreamness, downstreamness, production length, APL.

Notation of METHODS.md §1 and §10-§11. Products with the global Leontief
inverse ``B`` are LU solves; only the average propagation length needs ``B``
itself.

**Zero gross output** (METHODS.md §11, §14.9). An industry with ``x_i = 0``
has zero input coefficients (column of ``A``) and, here, zero allocation
coefficients (row of ``Δ``). It is then its own isolated stage: upstreamness,
downstreamness and the production lengths ``PLv``/``PLy`` are exactly **1**
for it, the value the solve of the zeroed system gives, and no NaN can reach
any other industry through a solve. The same rule covers the few industries
whose *negative* gross output is an artefact of rounding a published table
(WIOD 2013 has cells of -1 and -2): ``Δ`` rows and upstreamness use
``x_i <= 0`` as "no output", so ``U = 1`` there too; no other industry's
value depends on theirs. Ratios whose denominator is zero for
another reason (no GVC flows in ``PLv_GVC``; ``[B - I]_ij = 0`` in APL) are
NaN: the quantity is undefined there.

References
----------
.. [1] Antràs, P., Chor, D., Fally, T. & Hillberry, R. (2012). Measuring the
   upstreamness of production and trade flows. *American Economic Review:
   Papers & Proceedings* 102(3): 412-416, eqs. (1)-(4).
.. [2] Miller, R. E. & Temurshoev, U. (2017). Output upstreamness and input
   downstreamness of industries/countries in world production.
   *International Regional Science Review* 40(5): 443-475, §3 (eqs. 6, 11).
.. [3] Antràs, P. & Chor, D. (2018). On the measurement of upstreamness and
   downstreamness in global value chains. NBER Working Paper 24185, §2.2
   (net inventory correction).
.. [4] Wang, Z., Wei, S.-J., Yu, X. & Zhu, K. (2017b). Characterizing global
   value chains: production length and upstreamness. NBER Working Paper
   23261, §2-3 (production length, GVC position index).
.. [5] Dietzenbacher, E., Romero Luna, I. & Bosma, N. S. (2005). Using average
   propagation lengths to identify production chains in the Andalusian
   economy. *Estudios de Economía Aplicada* 23(2): 405-422, eq. (5).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from silkchain.core.blocks import FloatArray, apply_local, apply_local_left, safe_ratio
from silkchain.core.leontief import LeontiefSolver
from silkchain.core.participation import foreign_coefficients
from silkchain.errors import MeasureError

__all__ = [
    "InventoryCorrection",
    "ProductionLength",
    "allocation_coefficients",
    "average_propagation_length",
    "country_collapse",
    "downstreamness",
    "inventory_correction",
    "production_length",
    "upstreamness_antras",
    "upstreamness_mt",
    "weighted_by_country",
]


def allocation_coefficients(Z: FloatArray, x: FloatArray) -> FloatArray:
    """``Δ = diag(x)^-1 A diag(x)``: ``Δ_ij = a_ij x_j / x_i = z_ij / x_i``.

    Rows with ``x_i <= 0`` are 0, and so are columns with ``x_j = 0`` (``A``'s
    convention: a zero-output industry has no input coefficients, even where a
    rounded published cell gives it an input).

    >>> allocation_coefficients(np.array([[1.0, 2.0], [0.0, 0.0]]), np.array([4.0, 0.0]))
    array([[0.25, 0.  ],
           [0.  , 0.  ]])
    """
    x = np.asarray(x, dtype=float)
    safe = np.where(x <= 0.0, 1.0, x)
    out = np.where(x[:, None] <= 0.0, 0.0, Z / safe[:, None])
    out[:, x == 0.0] = 0.0  # a_ij = 0 where x_j = 0 (METHODS §1), so Δ_ij = a_ij x_j / x_i = 0
    return out


def upstreamness_antras(Z: FloatArray, x: FloatArray) -> FloatArray:
    """Upstreamness ``U = (I - Δ)^-1 u`` of Antràs et al. (2012), by one LU solve.

    A world inter-country table needs no open-economy correction
    (METHODS.md §11). Zero-output industries get ``U = 1``.

    Parameters
    ----------
    Z : ndarray, shape (n, n)
        Intermediate flows.
    x : ndarray, shape (n,)
        Gross output.

    Raises
    ------
    SingularSystemError
        If ``I - Δ`` is singular.

    References
    ----------
    .. [1] Antràs, Chor, Fally & Hillberry (2012), AER P&P 102(3), eqs. (3)-(4).

    Examples
    --------
    >>> Z = np.array([[150.0, 500.0], [200.0, 100.0]])   # Miller & Blair (2009), Table 2.3
    >>> upstreamness_antras(Z, np.array([1000.0, 2000.0])).round(6)
    array([1.914191, 1.254125])
    """
    D = allocation_coefficients(Z, x)
    n = D.shape[0]
    return LeontiefSolver.factor(D, what="I - Δ (allocation coefficients)").solve(np.ones(n))


def upstreamness_mt(solver: LeontiefSolver, x: FloatArray) -> FloatArray:
    """Output upstreamness ``U = diag(x)^-1 B x`` (row sums of the Ghosh inverse).

    Equal to :func:`upstreamness_antras` (Miller & Temurshoev 2017) and to the
    forward production length ``PLv`` (WWYZ 2017b). ``U = 1`` where ``x <= 0``.

    References
    ----------
    .. [1] Miller & Temurshoev (2017), IRSR 40(5), §3, eq. (6).

    Examples
    --------
    >>> s = LeontiefSolver.factor(np.array([[0.15, 0.25], [0.20, 0.05]]))
    >>> upstreamness_mt(s, np.array([1000.0, 2000.0])).round(6)
    array([1.914191, 1.254125])
    """
    x = np.asarray(x, dtype=float)
    return safe_ratio(solver.solve(x), np.where(x > 0.0, x, 0.0), fill=1.0)


def downstreamness(solver: LeontiefSolver) -> FloatArray:
    """Input downstreamness ``D' = u'B`` (column sums of the Leontief inverse).

    A zero-output industry has a zero column in ``A`` and so ``D = 1``.

    References
    ----------
    .. [1] Miller & Temurshoev (2017), IRSR 40(5), §3, eq. (11).

    Examples
    --------
    >>> s = LeontiefSolver.factor(np.array([[0.15, 0.25], [0.20, 0.05]]))
    >>> downstreamness(s).round(4)
    array([1.5182, 1.4521])
    """
    return solver.solve_left(np.ones(solver.n))


class InventoryCorrection(NamedTuple):
    """A table corrected for net inventories (Antràs & Chor 2018).

    ``Z`` and ``y`` (final use without inventories) are the scaled flows,
    ``scale`` the row factors ``x_i / (x_i - N_i)`` (1 where not applied).
    """

    Z: FloatArray
    y: FloatArray
    scale: FloatArray


def inventory_correction(
    Z: FloatArray, y_other: FloatArray, inventories: FloatArray, x: FloatArray,
    names: list[str] | None = None,
) -> InventoryCorrection:
    """Scale each row of ``Z`` and of non-inventory final use by ``x_i / (x_i - N_i)``.

    ``N_i`` is the net change in inventories of industry ``i``'s output
    (summed over destinations); gross output ``x`` is kept. After the
    scaling, ``Z u + y = x`` wherever the table balanced before. Rows with
    no intermediate sales, or with ``x_i <= 0``, are left as they are (the
    factor cannot matter or is undefined there); a row with intermediate
    sales and ``x_i - N_i <= 0`` is an error. Final use of unscaled rows is
    set to ``x_i - (Z u)_i`` so that every row balances (these rows have no
    intermediate sales or no output, so their upstreamness is 1 either way).

    Parameters
    ----------
    Z : ndarray, shape (n, n)
        Intermediate flows.
    y_other : ndarray, shape (n,)
        Final use of each industry's output excluding inventory changes.
    inventories : ndarray, shape (n,)
        Net inventory change ``N_i``.
    x : ndarray, shape (n,)
        Gross output (kept).
    names : list of str, optional
        Industry labels for error messages.

    Raises
    ------
    MeasureError
        If an industry with intermediate sales has ``x_i - N_i <= 0``.

    References
    ----------
    .. [1] Antràs & Chor (2018), NBER WP 24185, §2.2 (applied to WIOD 2013).

    Examples
    --------
    >>> c = inventory_correction(np.array([[2.0, 2.0], [0.0, 1.0]]), np.array([5.0, 1.0]),
    ...                          np.array([1.0, 0.0]), np.array([10.0, 2.0]))
    >>> c.scale
    array([1.11111111, 1.        ])
    >>> (c.Z.sum(axis=1) + c.y).round(12)
    array([10.,  2.])
    """
    x = np.asarray(x, dtype=float)
    N_inv = np.asarray(inventories, dtype=float)
    base = x - N_inv
    sells = Z.sum(axis=1) > 0.0
    bad = np.flatnonzero(sells & (x > 0.0) & (base <= 0.0))
    if bad.size:
        label = names or [str(i) for i in range(len(x))]
        cells = ", ".join(f"{label[i]} (x = {x[i]:.6g}, inventories = {N_inv[i]:.6g})"
                          for i in bad[:10])
        raise MeasureError(
            "net inventory correction undefined: gross output minus inventory change is "
            f"<= 0 for industries that sell intermediates: {cells}; "
            "use inventory_correction=False"
        )
    apply = (x > 0.0) & (base > 0.0)
    scale = np.ones_like(x)
    np.divide(x, base, out=scale, where=apply)
    Zs = Z * scale[:, None]
    y = np.where(apply, np.asarray(y_other, dtype=float) * scale, x - Zs.sum(axis=1))
    return InventoryCorrection(Z=Zs, y=y, scale=scale)


class ProductionLength(NamedTuple):
    """Production lengths by industry and the weights that aggregate them to countries.

    Forward measures (``PLv``, ``PLv_GVC``) are indexed by the value-added
    origin industry, backward ones (``PLy``, ``PLy_GVC``) by the
    final-goods-producing industry. A country's value is the weighted mean
    with the weights given (the sums of numerators over the sums of
    denominators of WWYZ 2017b): ``w_v = v # (B y)`` (value added),
    ``w_y = (v B) # y``, ``w_v_gvc = V_GVC u``, ``w_y_gvc = u' V_GVC``.
    """

    PLv: FloatArray
    PLy: FloatArray
    PLv_GVC: FloatArray
    PLy_GVC: FloatArray
    w_v: FloatArray
    w_y: FloatArray
    w_v_gvc: FloatArray
    w_y_gvc: FloatArray


def production_length(
    A: FloatArray,
    v: FloatArray,
    y: FloatArray,
    G: int,
    N: int,
    solver: LeontiefSolver,
    L_blocks: FloatArray,
) -> ProductionLength:
    """Production length of all value chains and of the GVC part (WWYZ 2017b).

    * ``PLv = (V B B Ŷ u) ⊘ (V B Ŷ u)`` (forward: stages from the value
      added of ``i`` to final goods), ``PLy = (u'V B B Ŷ) ⊘ (u'V B Ŷ)``
      (backward). ``v_i`` and ``y_j`` cancel, so ``PLv = (B B y) ⊘ (B y)``
      and ``PLy = (v B B) ⊘ (v B)``; equal to Antràs upstreamness and to
      Miller-Temurshoev downstreamness (METHODS.md §10).
    * GVC part: ``V_GVC = V L A^F B Ŷ`` and
      ``Xv_GVC = V L L A^F B Ŷ + V L A^F B B Ŷ``;
      ``PLv_GVC = Xv_GVC u ⊘ V_GVC u``, ``PLy_GVC = u'Xv_GVC ⊘ u'V_GVC``.
      NaN where there is no GVC production (denominator 0).

    The GVC position index is ``PLv_GVC / PLy_GVC``.

    Parameters
    ----------
    A : ndarray, shape (G*N, G*N)
        Input coefficients.
    v : ndarray, shape (G*N,)
        Value added per unit of output.
    y : ndarray, shape (G*N,)
        Total final demand for each industry's output.
    G, N : int
        Countries and sectors.
    solver : LeontiefSolver
        LU factorisation of ``I - A``.
    L_blocks : ndarray, shape (G, N, N)
        Local Leontief inverses.

    References
    ----------
    .. [1] Wang, Wei, Yu & Zhu (2017b), NBER WP 23261, §2 (eqs. 7-12,
       production length) and §3 (GVC position index). The segment split of
       the GVC length follows METHODS.md §10 (§14.8: not verified against the
       paper's exact normalisation).
    """
    AF = foreign_coefficients(A, G, N)
    x = solver.solve(y)  # B y
    bx = solver.solve(x)  # B B y
    PLv = safe_ratio(bx, np.where(x > 0.0, x, 0.0), fill=1.0)
    vB = solver.solve_left(v)
    vBB = solver.solve_left(vB)
    PLy = safe_ratio(vBB, vB, fill=1.0)
    # forward GVC: v_i cancels
    g = AF @ x
    den_v = apply_local(L_blocks, g)  # L A^F B y
    num_v = apply_local(L_blocks, den_v) + apply_local(L_blocks, AF @ bx)
    # backward GVC: y_j cancels
    vL = apply_local_left(L_blocks, v)
    p = vL @ AF  # V L A^F
    q = apply_local_left(L_blocks, vL) @ AF  # V L L A^F
    pB = solver.solve_left(p)
    num_y = solver.solve_left(q) + solver.solve_left(pB)
    return ProductionLength(
        PLv=PLv,
        PLy=PLy,
        PLv_GVC=safe_ratio(num_v, den_v),
        PLy_GVC=safe_ratio(num_y, pB),
        w_v=v * x,
        w_y=vB * y,
        w_v_gvc=v * den_v,
        w_y_gvc=pB * y,
    )


def weighted_by_country(values: FloatArray, weights: FloatArray, G: int, N: int) -> FloatArray:
    """Country means ``sum(w * value) / sum(w)`` over each country's industries.

    Industries with zero weight are left out (their value may be NaN);
    a country whose weights sum to 0 gets NaN.

    >>> weighted_by_country(np.array([1.0, 3.0, np.nan, 2.0]), np.array([1.0, 1.0, 0.0, 2.0]), 2, 2)
    array([2., 2.])
    """
    w = np.asarray(weights, dtype=float)
    prod = np.where(w != 0.0, w * np.where(w != 0.0, values, 0.0), 0.0)
    return safe_ratio(prod.reshape(G, N).sum(axis=1), w.reshape(G, N).sum(axis=1))


def average_propagation_length(A: FloatArray, B: FloatArray) -> FloatArray:
    """Average propagation length ``APL = [B (B - I)] ⊘ [B - I]`` (Dietzenbacher et al. 2005).

    ``APL_ij = sum_k k (A^k)_ij / sum_k (A^k)_ij``: the average number of
    steps an impulse takes from ``i`` to ``j``. ``B - I`` is formed as
    ``A B`` so that structural zeros stay exactly zero; cells where it is 0
    (no path from ``i`` to ``j``) are NaN. The diagonal (``i = j``, paths
    that return to ``i``) is reported too; the paper focuses on ``i != j``.
    The same matrix results from the Ghosh inverse.

    Parameters
    ----------
    A : ndarray, shape (n, n)
        Input coefficients.
    B : ndarray, shape (n, n)
        Leontief inverse ``(I - A)^-1``.

    References
    ----------
    .. [1] Dietzenbacher, Romero Luna & Bosma (2005), Estudios de Economía
       Aplicada 23(2), eq. (5).

    Examples
    --------
    A chain 1 -> 2 -> 3 (``a_12 = a_23 = 0.5``): two steps from 1 to 3.

    >>> A = np.array([[0, 0.5, 0], [0, 0, 0.5], [0, 0, 0]])
    >>> B = np.linalg.inv(np.eye(3) - A)
    >>> average_propagation_length(A, B)
    array([[nan,  1.,  2.],
           [nan, nan,  1.],
           [nan, nan, nan]])
    """
    BmI = A @ B  # = B - I, exactly non-negative
    num = B @ BmI
    out = np.full(BmI.shape, np.nan)
    np.divide(num, BmI, out=out, where=BmI > 0.0)
    return out


def country_collapse(Z: FloatArray, Yc: FloatArray, x: FloatArray, G: int, N: int
                     ) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Collapse a table to countries: ``(G, G)`` flows, ``(G, G)`` final demand, ``(G,)`` output."""
    Zg = Z.reshape(G, N, G, N).sum(axis=(1, 3))
    Yg = Yc.reshape(G, N, G).sum(axis=1)
    return Zg, Yg, np.asarray(x, dtype=float).reshape(G, N).sum(axis=1)
