"""Building blocks of the OECD Trade in Value Added (TiVA) indicators, on ndarrays.

Notation of METHODS.md §1 and §15: ``v`` value added per unit of output
(residual value added), ``B`` the global Leontief inverse (used only through
LU solves), ``L_ss`` the local inverses, ``E`` gross exports. Everything the
TiVA indicators need reduces to five products:

* :func:`~silkchain.core.leontief.va_by_country` ``W = V_c B`` (``G x GN``): ``W[t, j] =
  sum_{k in t} v_k B_kj``, value added of country ``t`` per unit of output of
  industry ``j`` (the country-collapsed rows of ``V B``; one left solve with
  ``G`` right-hand sides). ``W[c(j), j]`` is ``(V_s B_ss)_j``.
* :func:`local_content` ``(V_s L_ss)_j`` and its direct part ``v_j (L_ss)_jj``.
* :func:`value_added_in_exports_of` ``v_i sum_{j in r} B_ij E_j`` (``GN x G``).
* :func:`~silkchain.core.leontief.vby` ``V B Y`` (``GN x G``).
* :func:`origin_of_value_added` ``V B diag(E)`` (``GN x GN``, EXGR_BSCI).

References
----------
.. [1] OECD (2019). *Guide to OECD's Trade in Value Added (TiVA) Indicators,
   2018 edition*, §4-§7 (indicator names and headings; METHODS.md §15).
.. [2] Koopman, R., Wang, Z. & Wei, S.-J. (2014). Tracing value-added and
   double counting in gross exports. *AER* 104(2): 459-494, eq. (36).
.. [3] Feás, E. (2024). exvatools 0.9.0, ``make_exvadec(method = "oecd")``
   (CRAN), the implementation the definitions were cross-checked against.
"""

from __future__ import annotations

import numpy as np

from silkchain.core.blocks import FloatArray, apply_local_left, country_index, country_rows
from silkchain.core.leontief import LeontiefSolver

__all__ = [
    "domestic_foreign",
    "local_content",
    "origin_of_value_added",
    "value_added_in_exports_of",
]


def domestic_foreign(W: FloatArray, G: int, N: int) -> tuple[FloatArray, FloatArray]:
    """Split ``W`` into own-country and other-country content per unit of output.

    ``dc_j = (V_s B_ss)_j`` (EXGR_DVA per unit of exports) and
    ``fc_j = sum_{t != s} (V_t B_ts)_j`` (EXGR_FVA per unit), ``s = c(j)``.
    """
    c = country_index(G, N)
    cols = np.arange(G * N)
    dc = W[c, cols]
    own = c[None, :] == np.arange(G)[:, None]
    fc = np.where(own, 0.0, W).sum(axis=0)
    return dc, fc


def local_content(v: FloatArray, L_blocks: FloatArray) -> tuple[FloatArray, FloatArray]:
    """``(V_s L_ss)_j`` and its direct part ``v_j (L_ss)_jj`` (each ``(GN,)``).

    The local inverse is used for the direct part (METHODS.md §15 note 9):
    then DDC + IDC = ``V_s L_ss E`` = BM DVA and RIM = BM DDC.

    References
    ----------
    .. [1] OECD (2019), TiVA Guide 2018 ed., EXGR_DDC / EXGR_IDC (headings);
       exvatools 0.9.0 ``make_exvadec_oecd.R``.

    >>> Lb = np.array([[[2.0, 1.0], [0.0, 1.0]]])
    >>> local_content(np.array([0.5, 0.5]), Lb)
    (array([1., 1.]), array([1. , 0.5]))
    """
    G, N, _ = L_blocks.shape
    dl = apply_local_left(L_blocks, v)
    diag = np.einsum("gii->gi", L_blocks).reshape(G * N)
    return dl, np.asarray(v, dtype=float) * diag


def value_added_in_exports_of(v: FloatArray, E: FloatArray, G: int, N: int,
                              solver: LeontiefSolver) -> FloatArray:
    """``M[i, r] = v_i sum_{j in r} B_ij E_j`` (``GN x G``): VA of ``i`` in ``r``'s exports.

    The own-country column ``r = c(i)`` is set to 0, so row sums are
    Koopman's ``IV`` (VS1) and EXGR_DVAFX by source industry.

    References
    ----------
    .. [1] Koopman, Powers, Wang & Wei (2010), NBER WP 16426, §4 (IV);
       OECD TiVA EXGR_DVAFX, FEXDVAp (METHODS.md §15 rows 13-14).
    """
    M = np.asarray(v, dtype=float)[:, None] * solver.solve(country_rows(E, G, N).T)
    M[np.arange(G * N), country_index(G, N)] = 0.0
    return M


def origin_of_value_added(v: FloatArray, E: FloatArray, solver: LeontiefSolver) -> FloatArray:
    """``V B diag(E)`` (``GN x GN``): VA of source ``i`` in the gross exports of ``j``.

    Column sums equal ``E`` (residual value added). Forms the whole matrix.

    References
    ----------
    .. [1] OECD TiVA EXGR_BSCI (METHODS.md §15 row 4); Koopman, Wang & Wei
       (2014), AER 104(2), §II; decompr ``leontief(post = "exports")``.
    """
    return np.asarray(v, dtype=float)[:, None] * solver.solve(np.diag(np.asarray(E, float)))
