"""Revealed comparative advantage on ndarrays: Balassa (1965) and KWW's value-added NRCA.

Both take a ``(G, N)`` matrix of export values ``X[s, i]`` (country ``s``,
sector ``i``) and return

``RCA[s, i] = (X[s, i] / sum_i X[s, i]) / (sum_s X[s, i] / sum_{s,i} X[s, i])``,

NaN where a country exports nothing or a sector is not exported by anyone.
Weighted identities (tested): ``sum_i RCA[s, i] * X_wi / X_w = 1`` for every
exporting country and ``sum_s RCA[s, i] * X_s / X_w = 1`` for every exported
sector.

References
----------
.. [1] Balassa, B. (1965). Trade liberalisation and "revealed" comparative
   advantage. *The Manchester School* 33(2): 99-123.
.. [2] Koopman, R., Wang, Z. & Wei, S.-J. (2014). Tracing value-added and
   double counting in gross exports. *American Economic Review* 104(2):
   459-494, §V ("new revealed comparative advantage", NRCA).
"""

from __future__ import annotations

import numpy as np

from silkchain.core.blocks import FloatArray, apply_local, safe_ratio

__all__ = ["balassa", "dva_by_origin_sector"]


def balassa(X: FloatArray) -> FloatArray:
    """Balassa's revealed comparative advantage of a ``(G, N)`` export matrix.

    References
    ----------
    .. [1] Balassa (1965), The Manchester School 33(2), p. 116.

    Examples
    --------
    >>> balassa(np.array([[1.0, 3.0], [3.0, 1.0]]))
    array([[0.5, 1.5],
           [1.5, 0.5]])
    """
    X = np.asarray(X, dtype=float)
    total = X.sum()
    by_country = X.sum(axis=1, keepdims=True)
    by_sector = X.sum(axis=0, keepdims=True)
    return safe_ratio(safe_ratio(X, by_country), safe_ratio(by_sector, np.array(total)))


def dva_by_origin_sector(v: FloatArray, E: FloatArray, L_blocks: FloatArray) -> FloatArray:
    """Domestic value added in gross exports by sector of origin, ``v_i (L_ss E_s*)_i``.

    The value added of sector ``i`` of country ``s`` that leaves ``s`` in
    its gross exports, directly (in ``i``'s own exports) or indirectly (in the
    exports of other domestic sectors that use it), and is not counted twice:
    foreign value added and domestic double counting (value added that
    crosses ``s``'s border more than once) are excluded. Summed over the
    sectors of ``s`` it is ``V_s L_ss E_s*`` = KWW terms T1-T5 = BM DVA
    (METHODS.md §4, §6). This is the forward-linkage value-added export
    measure on which KWW (2014, §V) base their NRCA.

    Parameters
    ----------
    v : ndarray, shape (G*N,)
        Value added per unit of output.
    E : ndarray, shape (G*N,)
        Gross exports.
    L_blocks : ndarray, shape (G, N, N)
        Local Leontief inverses.

    Returns
    -------
    ndarray, shape (G*N,)

    References
    ----------
    .. [1] Koopman, Wang & Wei (2014), AER 104(2), §V and eq. (36) (T1-T5).

    >>> Lb = np.array([[[1.25, 0.25], [0.0, 1.0]]])   # A_ss = [[0.2, 0.2], [0, 0]]
    >>> dva_by_origin_sector(np.array([0.8, 0.8]), np.array([10.0, 10.0]), Lb)
    array([12.,  8.])
    """
    return np.asarray(v, dtype=float) * apply_local(L_blocks, np.asarray(E, dtype=float))
