"""Value-added decompositions of output, final demand and gross exports on ndarrays.

Leontief value-added shares (METHODS.md §2), Johnson & Noguera (2012) value-added
exports (§3), the nine-term country decomposition of Koopman, Wang & Wei (2014)
(§4) and the sixteen-term bilateral x sector decomposition of Wang, Wei & Zhu
(2013) (§5). Borin & Mancini live in :mod:`silkchain.core.borin_mancini`.

Every function takes plain arrays in the notation of METHODS.md §1:

=========  ============  =======================================================
array      shape         meaning
=========  ============  =======================================================
``A``      ``(n, n)``    input coefficients, ``n = G*N``, country-major
``Yc``     ``(n, G)``    final demand by destination country (categories summed)
``v``      ``(n,)``      value added per unit of output (residual ``va / x``)
``x``      ``(n,)``      gross output
=========  ============  =======================================================

Products with the global Leontief inverse ``B = (I - A)^-1`` are taken by LU
solves (:class:`~silkchain.core.leontief.LeontiefSolver`) with at most a few
``G``-column right-hand sides; products with a country's domestic block use the
local inverses ``L_ss = (I - A_ss)^-1``. An explicit ``n x n`` inverse is formed
only where the result is itself ``n x n`` (the sector-level Leontief matrices)
or where every diagonal block ``B_rr`` is needed (four WWZ terms); no
per-country ``n x n`` inverse is ever formed.

References
----------
.. [1] Johnson, R. C. & Noguera, G. (2012). Accounting for intermediates:
   production sharing and trade in value added. *Journal of International
   Economics* 86(2): 224-236.
.. [2] Koopman, R., Wang, Z. & Wei, S.-J. (2014). Tracing value-added and double
   counting in gross exports. *American Economic Review* 104(2): 459-494, eq. (36).
.. [3] Wang, Z., Wei, S.-J. & Zhu, K. (2013, rev. 2018). Quantifying international
   production sharing at the bilateral and sector levels. NBER WP 19677,
   Appendix Tables E1-E2.
.. [4] Hummels, D., Ishii, J. & Yi, K.-M. (2001). The nature and growth of vertical
   specialization in world trade. *Journal of International Economics* 54(1): 75-96.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from silkchain.core.blocks import (
    FloatArray,
    apply_local,
    apply_local_left,
    country_column_mask,
    country_index,
    safe_ratio,
)
from silkchain.core.leontief import (
    LeontiefSolver,
    local_leontief_blocks,
    va_by_country,
    vby,
)
from silkchain.errors import ShapeError, SingularSystemError

__all__ = [
    "KWW_TERMS",
    "WWZ_TERMS",
    "WWZ_TO_KWW",
    "JohnsonNoguera",
    "bilateral_exports",
    "check_solved",
    "johnson_noguera",
    "kww",
    "leontief_country",
    "leontief_diagonal_blocks",
    "va_by_country",
    "value_added_shares",
    "vb_diag",
    "vby",
    "wwz",
]

#: The nine KWW (2014, eq. 36) terms, decompr's names, in T1..T9 order (METHODS.md §4).
KWW_TERMS: tuple[str, ...] = (
    "DVA_FIN", "DVA_INT", "DVA_INTrex", "RDV_FIN", "RDV_INT", "DDC",
    "FVA_FIN", "FVA_INT", "FDC",
)

#: The sixteen WWZ (2013) terms, decompr/icio names, in METHODS.md §5 order W1..W16.
WWZ_TERMS: tuple[str, ...] = (
    "DVA_FIN", "DVA_INT", "DVA_INTrexI1", "DVA_INTrexF", "DVA_INTrexI2",
    "RDV_FIN", "RDV_FIN2", "RDV_INT", "DDC_FIN", "DDC_INT",
    "MVA_FIN", "MVA_INT", "MDC", "OVA_FIN", "OVA_INT", "ODC",
)

#: WWZ (2013) Appendix Table E2: the KWW term each WWZ term adds up to.
WWZ_TO_KWW: dict[str, str] = {
    "DVA_FIN": "DVA_FIN", "DVA_INT": "DVA_INT", "DVA_INTrexI1": "DVA_INT",
    "DVA_INTrexF": "DVA_INTrex", "DVA_INTrexI2": "DVA_INTrex",
    "RDV_FIN": "RDV_FIN", "RDV_FIN2": "RDV_FIN", "RDV_INT": "RDV_INT",
    "DDC_FIN": "DDC", "DDC_INT": "DDC",
    "MVA_FIN": "FVA_FIN", "OVA_FIN": "FVA_FIN", "MVA_INT": "FVA_INT", "OVA_INT": "FVA_INT",
    "MDC": "FDC", "ODC": "FDC",
}


# ---------------------------------------------------------------------------- inputs
def _check_inputs(A: FloatArray, Yc: FloatArray, v: FloatArray, x: FloatArray | None,
                  G: int, N: int) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray | None]:
    n = G * N
    A = np.asarray(A, dtype=float)
    Yc = np.asarray(Yc, dtype=float)
    v = np.asarray(v, dtype=float)
    expect = {"A": (A, (n, n)), "Yc": (Yc, (n, G)), "v": (v, (n,))}
    if x is not None:
        x = np.asarray(x, dtype=float)
        expect["x"] = (x, (n,))
    bad = [f"{name} has shape {arr.shape}, expected {shape}"
           for name, (arr, shape) in expect.items() if arr.shape != shape]
    if bad:
        raise ShapeError("; ".join(bad) + f" (G = {G} countries, N = {N} sectors, n = G*N = {n})")
    return A, Yc, v, x


def _solver(A: FloatArray, solver: LeontiefSolver | None) -> LeontiefSolver:
    if solver is None:
        return LeontiefSolver.factor(A)
    if solver.n != A.shape[0]:
        raise ShapeError(f"the solver factors a system of size {solver.n}, A has size "
                         f"{A.shape[0]}")
    return solver


def _local(A: FloatArray, G: int, N: int, L_blocks: FloatArray | None) -> FloatArray:
    if L_blocks is None:
        return local_leontief_blocks(A, G, N)
    L_blocks = np.asarray(L_blocks, dtype=float)
    if L_blocks.shape != (G, N, N):
        raise ShapeError(f"L_blocks has shape {L_blocks.shape}, expected {(G, N, N)}")
    return L_blocks


def _by_column_country(A: FloatArray, W: FloatArray, G: int, N: int) -> FloatArray:
    """``out[i, r, k] = sum_{j in r} A[i, j] W[j, k]``: ``A_{c(i) r} W_r`` for every r.

    ``W`` is ``(n, k)`` and independent of the row's country: ``G`` batched
    ``(n, N) x (N, k)`` products on strided views of ``A`` (``2 n^2 k`` flops,
    no copy of ``A``).
    """
    n = G * N
    W = np.asarray(W, dtype=float)
    k = W.shape[1]
    A3 = A.reshape(n, G, N).transpose(1, 0, 2)  # (r, i, m), a view
    out = np.matmul(A3, W.reshape(G, N, k))  # (r, i, k)
    return out.transpose(1, 0, 2)


def _by_own_column(A: FloatArray, W: FloatArray, G: int, N: int) -> FloatArray:
    """``out[i, r, k] = sum_{j in r} A[i, j] W[j, c(i), k]``: ``A_sr W_r^(s)`` with s = c(i).

    ``W`` is ``(n, G, k)``: for each exporter ``s`` an N-vector per partner block
    ``r``. Computed as ``G*G`` batched ``N x N`` products, ``2 n^2 k`` flops.
    """
    n = G * N
    k = W.shape[2]
    A4 = A.reshape(G, N, G, N).transpose(0, 2, 1, 3)  # (s, r, i, m)
    W4 = W.reshape(G, N, G, k).transpose(2, 0, 1, 3)  # (s, r, m, k)
    out = np.matmul(A4, W4)  # (s, r, i, k)
    return out.transpose(0, 2, 1, 3).reshape(n, G, k)


def bilateral_exports(A: FloatArray, x: FloatArray, Yc: FloatArray, G: int,
                      N: int) -> tuple[FloatArray, FloatArray]:
    """Intermediate and final exports by partner, ``(A_sr X_r, Y_sr)``, each ``(n, G)``.

    Own-country columns are zero (METHODS.md §1: ``E_sr = A_sr X_r + Y_sr``, s != r).

    Examples
    --------
    >>> A = np.array([[0.1, 0.2], [0.3, 0.1]]); x = np.array([10.0, 20.0])
    >>> Yc = np.array([[1.0, 2.0], [3.0, 4.0]])
    >>> Eint, Efd = bilateral_exports(A, x, Yc, G=2, N=1)
    >>> Eint + Efd
    array([[0., 6.],
           [6., 0.]])
    """
    own = country_column_mask(G, N)
    A = np.asarray(A, dtype=float)
    AX = _by_column_country(A, np.asarray(x, dtype=float)[:, None], G, N)[:, :, 0]
    return np.where(own, 0.0, AX), np.where(own, 0.0, np.asarray(Yc, dtype=float))


def value_added_shares(v: FloatArray, B: FloatArray) -> FloatArray:
    """The value-added share matrix ``VB = diag(v) B`` (METHODS.md §2), ``(n, n)``.

    ``VB[i, j]`` is the value added generated in industry ``i`` per unit of
    output of industry ``j``; each column sums to 1 (identity B2).

    References
    ----------
    .. [1] Koopman, Wang & Wei (2014), AER 104(2): 459-494, eq. (5)-(6).
    .. [2] Leontief, W. (1936). *Review of Economics and Statistics* 18(3): 105-125.

    Examples
    --------
    >>> B = np.linalg.inv(np.eye(2) - np.array([[0.1, 0.2], [0.3, 0.1]]))
    >>> value_added_shares(np.array([0.6, 0.7]), B).sum(axis=0)
    array([1., 1.])
    """
    return np.asarray(v, dtype=float)[:, None] * np.asarray(B, dtype=float)


def vb_diag(v: FloatArray, B: FloatArray, w: FloatArray) -> FloatArray:
    """``VB diag(w)``: value added of origin ``i`` embodied in ``w_j`` (METHODS.md §2).

    With ``w = E`` (gross exports) this is decompr's ``leontief(post="exports")``
    (Hummels, Ishii & Yi's vertical specialisation are the off-country-block
    column sums); with ``w = x`` it is ``post="output"``.

    References
    ----------
    .. [1] Hummels, Ishii & Yi (2001), JIE 54(1): 75-96, eq. (1)-(2).
    .. [2] Koopman, Wang & Wei (2014), AER 104(2), eq. (6).
    """
    return value_added_shares(v, B) * np.asarray(w, dtype=float)[None, :]


def leontief_country(v: FloatArray, solver: LeontiefSolver, w: FloatArray, G: int,
                     N: int) -> FloatArray:
    """``VB diag(w)`` summed to countries: ``M[t, s] = sum_{j in s} (V_t B_{t s})_j w_j``.

    ``(G, G)`` without forming ``B``: with ``w = E`` the diagonal is the domestic
    content of each country's exports (BM's DC) and the off-diagonal column
    sums its foreign content (FC, HIY's vertical specialisation).

    References
    ----------
    .. [1] Hummels, Ishii & Yi (2001), JIE 54(1), eq. (2).
    .. [2] Borin & Mancini (2023), Economic Systems Research 35(4), eq. (15)-(16).
    """
    VBc = va_by_country(v, solver, G, N)
    return (VBc * np.asarray(w, dtype=float)[None, :]).reshape(G, G, N).sum(axis=2)


def leontief_diagonal_blocks(solver: LeontiefSolver, G: int, N: int) -> FloatArray:
    """The diagonal blocks ``B_rr`` of the global Leontief inverse, ``(G, N, N)``.

    From the LU factors (:meth:`LeontiefSolver.diagonal_blocks`, two triangular
    inversions and ``O(n^2 N)`` products). Pass ``diag_blocks(B)`` instead when
    an explicit ``B`` already exists.
    """
    return solver.diagonal_blocks(G, N)


# ---------------------------------------------------------------------------- §3 JN
@dataclass(frozen=True)
class JohnsonNoguera:
    """Johnson & Noguera (2012) value-added exports; see :func:`johnson_noguera`.

    Attributes
    ----------
    matrix : (G, G)
        ``VAX_sr = V_s sum_t B_st Y_tr`` (diagonal: value added absorbed at home).
    vax, exports, ratio : (G,)
        ``VAX_s = sum_{r != s} VAX_sr``, gross exports ``u'E_s*`` and their ratio.
    bilateral_exports, bilateral_ratio : (G, G)
        ``u'E_sr`` and ``VAX_sr / u'E_sr`` (NaN on the diagonal and where
        ``E_sr = 0``).
    sector_vax, sector_exports, sector_ratio : (n,)
        VAX by value-added-origin sector ``sum_{r != c(i)} v_i (BY)_ir``, the
        sector's gross exports and their ratio (may exceed 1; not clipped).
    """

    matrix: FloatArray
    vax: FloatArray
    exports: FloatArray
    ratio: FloatArray
    bilateral_exports: FloatArray
    bilateral_ratio: FloatArray
    sector_vax: FloatArray
    sector_exports: FloatArray
    sector_ratio: FloatArray


def johnson_noguera(A: FloatArray, Yc: FloatArray, v: FloatArray, x: FloatArray, G: int,
                    N: int, *, solver: LeontiefSolver | None = None) -> JohnsonNoguera:
    """Johnson & Noguera (2012) value-added exports and VAX ratios (METHODS.md §3).

    Parameters
    ----------
    A, Yc, v, x : ndarray
        See the module docstring.
    G, N : int
        Countries and sectors.
    solver : LeontiefSolver, optional
        LU factors of ``I - A`` (factored here when absent).

    Returns
    -------
    JohnsonNoguera
        Matrix, country, bilateral and sector results. Row sums of the matrix
        equal GDP, column sums final demand; ``VAX_s`` equals KWW T1+T2+T3.

    References
    ----------
    .. [1] Johnson, R. C. & Noguera, G. (2012). *Journal of International
       Economics* 86(2): 224-236, eq. (4)-(6) (VAX and the VAX ratio).

    Examples
    --------
    >>> A = np.array([[0.1, 0.2], [0.3, 0.1]]); Yc = np.array([[5.0, 3.0], [2.0, 6.0]])
    >>> x = np.linalg.solve(np.eye(2) - A, Yc.sum(axis=1)); v = 1 - A.sum(axis=0)
    >>> jn = johnson_noguera(A, Yc, v, x, G=2, N=1)
    >>> jn.matrix.sum(axis=0), Yc.sum(axis=0)
    (array([7., 9.]), array([7., 9.]))
    """
    A, Yc, v, x_checked = _check_inputs(A, Yc, v, x, G, N)
    assert x_checked is not None
    x = x_checked
    solver = _solver(A, solver)
    own = country_column_mask(G, N)
    BY = solver.solve(Yc)
    VBY = v[:, None] * BY
    matrix = VBY.reshape(G, N, G).sum(axis=1)
    vax = matrix.sum(axis=1) - np.diag(matrix)
    Eint, Efd = bilateral_exports(A, x, Yc, G, N)
    ESR = Eint + Efd
    Ebil = ESR.reshape(G, N, G).sum(axis=1)
    exports = Ebil.sum(axis=1)
    bil_ratio = safe_ratio(matrix, Ebil)
    np.fill_diagonal(bil_ratio, np.nan)
    sector_vax = np.where(own, 0.0, VBY).sum(axis=1)
    sector_exports = ESR.sum(axis=1)
    return JohnsonNoguera(
        matrix=matrix, vax=vax, exports=exports, ratio=safe_ratio(vax, exports),
        bilateral_exports=Ebil, bilateral_ratio=bil_ratio, sector_vax=sector_vax,
        sector_exports=sector_exports, sector_ratio=safe_ratio(sector_vax, sector_exports),
    )


# ---------------------------------------------------------------------------- §4 KWW
def kww(A: FloatArray, Yc: FloatArray, v: FloatArray, x: FloatArray, G: int, N: int, *,
        solver: LeontiefSolver | None = None, L_blocks: FloatArray | None = None) -> FloatArray:
    """Koopman, Wang & Wei (2014) nine-term decomposition of each country's gross exports.

    Every term is computed from its own formula (METHODS.md §4), FDC (T9)
    included, so that ``sum(T1..T9) = u'E_s*`` is a genuine check.

    Parameters
    ----------
    A, Yc, v, x : ndarray
        See the module docstring.
    G, N : int
        Countries and sectors.
    solver : LeontiefSolver, optional
        LU factors of ``I - A``.
    L_blocks : ndarray (G, N, N), optional
        Local inverses ``(I - A_ss)^-1``.

    Returns
    -------
    ndarray (G, 9)
        Columns in :data:`KWW_TERMS` order: DVA_FIN, DVA_INT, DVA_INTrex, RDV_FIN,
        RDV_INT, DDC, FVA_FIN, FVA_INT, FDC.

    References
    ----------
    .. [1] Koopman, R., Wang, Z. & Wei, S.-J. (2014). Tracing value-added and
       double counting in gross exports. *American Economic Review* 104(2):
       459-494, eq. (36) and Figure 1 (terms 1-9).

    Examples
    --------
    >>> A = np.array([[0.1, 0.2], [0.3, 0.1]]); Yc = np.array([[5.0, 3.0], [2.0, 6.0]])
    >>> x = np.linalg.solve(np.eye(2) - A, Yc.sum(axis=1)); v = 1 - A.sum(axis=0)
    >>> T = kww(A, Yc, v, x, G=2, N=1)
    >>> Eint, Efd = bilateral_exports(A, x, Yc, 2, 1)
    >>> np.allclose(T.sum(axis=1), (Eint + Efd).sum(axis=1))
    True
    """
    A, Yc, v, x_checked = _check_inputs(A, Yc, v, x, G, N)
    assert x_checked is not None
    x = x_checked
    solver = _solver(A, solver)
    L = _local(A, G, N, L_blocks)
    n = G * N
    own = country_column_mask(G, N)
    c = country_index(G, N)
    Eint, Efd = bilateral_exports(A, x, Yc, G, N)
    E = (Eint + Efd).sum(axis=1)  # E_s* by exporting industry
    yfex = Efd.sum(axis=1)  # sum_{r != s} Y_sr
    y_own = Yc[np.arange(n), c]  # Y_ss
    y = Yc.sum(axis=1)

    VBc = va_by_country(v, solver, G, N)  # (G, n)
    VBt = VBc.T  # (n, G): [j, t] = (V_t B_{t c(j)})_j
    dom = VBt[own]  # (V_s B_ss)_j, j in s
    foreign = VBt.sum(axis=1) - dom  # sum_{t != s} (V_t B_ts)_j
    VBt_off = np.where(own, 0.0, VBt)  # zero where t == c(j)

    T = np.empty((G, 9))
    # T1 DVA_FIN: V_s B_ss sum_{r!=s} Y_sr
    T[:, 0] = np.bincount(c, dom * yfex, minlength=G)
    # T2 DVA_INT: V_s sum_{r!=s} B_sr Y_rr  (j in r != s)
    T[:, 1] = VBt_off.T @ y_own
    # T4 RDV_FIN: V_s sum_{r!=s} B_sr Y_rs
    T[:, 3] = np.einsum("jt,jt->t", VBt_off, Yc)
    # T3 DVA_INTrex: V_s sum_{r!=s} B_sr (y_r - Y_rr - Y_rs)
    T[:, 2] = VBt_off.T @ (y - y_own) - T[:, 3]
    # T5/T6: V_s sum_{r!=s} B_sr A_rs L_ss w_s with w = Y_ss, E_s*
    LW = apply_local(L, np.column_stack([y_own, E]))  # (n, 2): L_ss Y_ss, L_ss E_s*
    P = _by_column_country(A, LW, G, N)  # (n, G, 2): [j, s] = A_{c(j) s} L_ss w_s
    T[:, 4] = np.einsum("jt,jt->t", VBt_off, P[:, :, 0])
    T[:, 5] = np.einsum("jt,jt->t", VBt_off, P[:, :, 1])
    # T7 FVA_FIN: sum_{t!=s} V_t B_ts sum_{r!=s} Y_sr
    T[:, 6] = np.bincount(c, foreign * yfex, minlength=G)
    # T8/T9: sum_{t!=s} V_t B_ts sum_{r!=s} A_sr L_rr w_r with w = Y_rr, E_r*
    # the same array read by rows: P[i, r] = A_{s r} L_rr w_r, summed over r != s
    R = np.where(own[:, :, None], 0.0, P).sum(axis=1)
    T[:, 7] = np.bincount(c, foreign * R[:, 0], minlength=G)
    T[:, 8] = np.bincount(c, foreign * R[:, 1], minlength=G)
    return T


# ---------------------------------------------------------------------------- §5 WWZ
def wwz(A: FloatArray, Yc: FloatArray, v: FloatArray, x: FloatArray, G: int, N: int, *,
        solver: LeontiefSolver | None = None, L_blocks: FloatArray | None = None,
        B_blocks: FloatArray | None = None) -> FloatArray:
    """Wang, Wei & Zhu (2013) sixteen-term decomposition of bilateral sector exports.

    For every exporting industry ``i`` (country ``s``) and importer ``r != s``
    the sixteen terms of METHODS.md §5 add up to ``E_sr[i]``; own-country
    cells are zero.

    All ``(s, r)`` pairs are computed together: value-added prefixes from one
    left solve with ``G`` right-hand sides (country-aggregated ``V B``), the
    partner-side vectors from one solve with ``5 G`` right-hand sides and the
    diagonal blocks ``B_rr``, and the products with ``A_sr`` as ``G^2`` batched
    ``N x N`` products (about ``2 n^2`` flops per vector).

    Parameters
    ----------
    A, Yc, v, x : ndarray
        See the module docstring.
    G, N : int
        Countries and sectors.
    solver : LeontiefSolver, optional
        LU factors of ``I - A``.
    L_blocks : ndarray (G, N, N), optional
        Local inverses ``(I - A_ss)^-1``.
    B_blocks : ndarray (G, N, N), optional
        Diagonal blocks ``B_rr`` of the global inverse (needed by DVA_INTrexF,
        DVA_INTrexI2, RDV_FIN and RDV_FIN2); computed from ``solver`` by
        :func:`leontief_diagonal_blocks` when absent (two triangular inversions).

    Returns
    -------
    ndarray (n, G, 16)
        ``out[i, r, k]``: exporting industry ``i``, importer ``r``, term ``k`` in
        :data:`WWZ_TERMS` order (W1..W16 of METHODS.md §5).

    References
    ----------
    .. [1] Wang, Z., Wei, S.-J. & Zhu, K. (2013, rev. 2018). Quantifying
       international production sharing at the bilateral and sector levels.
       NBER Working Paper 19677, eq. (21) and Appendix Tables E1-E2.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> Z = rng.uniform(0, 1, (6, 6)); Y = rng.uniform(1, 2, (6, 3))
    >>> x = Z.sum(1) + Y.sum(1); A = Z / x; v = 1 - A.sum(0)
    >>> W = wwz(A, Y, v, x, G=3, N=2)
    >>> Eint, Efd = bilateral_exports(A, x, Y, 3, 2)
    >>> np.allclose(W.sum(axis=2), Eint + Efd)
    True
    """
    A, Yc, v, x_checked = _check_inputs(A, Yc, v, x, G, N)
    assert x_checked is not None
    x = x_checked
    solver = _solver(A, solver)
    L = _local(A, G, N, L_blocks)
    if B_blocks is None:
        B_blocks = leontief_diagonal_blocks(solver, G, N)
    elif np.shape(B_blocks) != (G, N, N):
        raise ShapeError(f"B_blocks has shape {np.shape(B_blocks)}, expected {(G, N, N)}")
    n = G * N
    own = country_column_mask(G, N)
    c = country_index(G, N)
    y = Yc.sum(axis=1)
    y_own = Yc[np.arange(n), c]  # Y_rr for j in r
    y_ex = y - y_own  # sum_{u != r} Y_ru

    # Exports: A_sr X_r and Y_sr (s != r) and E_s* per industry.
    Eint, Efd = bilateral_exports(A, x, Yc, G, N)
    E = (Eint + Efd).sum(axis=1)

    # Value-added prefixes (row vectors, indexed by exporting industry j of s).
    VBt = va_by_country(v, solver, G, N).T  # (n, G): [j, t] = (V_t B_{t s})_j
    vsBss = VBt[own]
    vsLss = apply_local_left(L, v)
    vrBrs = np.where(own, 0.0, VBt)  # [j, r] = (V_r B_rs)_j, r != s
    ova = (VBt.sum(axis=1) - vsBss)[:, None] - vrBrs  # sum_{t != s, r} (V_t B_ts)_j

    # Partner-side N-vectors for j in r, per exporter s (column s), METHODS.md §5.
    Ymask = np.where(own, 0.0, Yc)  # rows of s removed in column s
    Q = np.where(own, 0.0, y_ex[:, None] - Yc)  # y_t - Y_tt - Y_ts for t != s
    rhs = np.concatenate([
        Ymask,  # R1[., s] = sum_{t != s} B_.t Y_ts
        np.where(own, 0.0, y_own[:, None]),  # R2[., s] = sum_{t != s} B_.t Y_tt
        Q,  # R3[., s] = sum_{t != s} B_.t (y_t - Y_tt - Y_ts)
        np.where(own, y_own[:, None], 0.0),  # R4[., s] = B_.s Y_ss
        np.where(own, y_ex[:, None], 0.0),  # R5[., s] = B_.s sum_{u != s} Y_su
    ], axis=1)
    R = solver.solve(rhs).reshape(n, 5, G)
    R1, R2, R3, R4, R5 = (R[:, k, :] for k in range(5))
    BYd = apply_local(B_blocks, y_own)  # B_rr Y_rr
    BrrYrs = apply_local(B_blocks, Yc)  # [j, s] = (B_rr Y_rs)_j
    w4 = apply_local(B_blocks, y_ex[:, None] - Yc)  # B_rr (y_r - Y_rr - Y_rs)
    vec = np.stack([
        np.broadcast_to(BYd[:, None], (n, G)),  # W2  B_rr Y_rr
        R2 - BYd[:, None],  # W3  sum_{t != s,r} B_rt Y_tt
        w4,  # W4  B_rr sum_{t != s,r} Y_rt
        R3 - w4,  # W5  sum_{t != s,r} B_rt sum_{u != s,t} Y_tu
        BrrYrs,  # W6  B_rr Y_rs
        R1 - BrrYrs,  # W7  sum_{t != s,r} B_rt Y_ts
        R4,  # W8  B_rs Y_ss
        R5,  # W9  B_rs sum_{t != s} Y_st
    ], axis=2)
    AV = _by_own_column(A, vec, G, N)  # (n, G, 8): A_sr times each vector
    LW = apply_local(L, np.column_stack([y_own, E]))  # L_rr Y_rr, L_rr E_r*
    AL = _by_column_country(A, LW, G, N)  # (n, G, 2)

    out = np.empty((n, G, 16))
    out[:, :, 0] = vsBss[:, None] * Efd
    out[:, :, 1:9] = vsLss[:, None, None] * AV
    out[:, :, 9] = (vsBss - vsLss)[:, None] * Eint
    for base, prefix in ((10, vrBrs), (13, ova)):
        out[:, :, base] = prefix * Efd
        out[:, :, base + 1] = prefix * AL[:, :, 0]
        out[:, :, base + 2] = prefix * AL[:, :, 1]
    out[own] = 0.0
    return out


def check_solved(values: FloatArray, what: str) -> FloatArray:
    """Raise :class:`SingularSystemError` when a result holds NaN or inf (never silent)."""
    if not np.all(np.isfinite(values)):
        raise SingularSystemError(f"{what}: the result holds NaN or inf; the Leontief system "
                                  "is singular or not productive")
    return values
