"""Country-block helpers for country-major ``G*N`` vectors and matrices, and safe division.

Row or column ``i = g * N + n`` belongs to country ``g`` and sector ``n``
(the convention of METHODS.md §1 and of every release silkchain reads).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]


def country_index(G: int, N: int) -> NDArray[np.intp]:
    """Country of each of the ``G*N`` rows.

    >>> country_index(2, 3)
    array([0, 0, 0, 1, 1, 1])
    """
    return np.repeat(np.arange(G), N)


def domestic_mask(G: int, N: int) -> BoolArray:
    """``(G*N, G*N)`` boolean mask of the within-country diagonal blocks."""
    c = country_index(G, N)
    return c[:, None] == c[None, :]


def country_column_mask(G: int, N: int) -> BoolArray:
    """``(G*N, G)`` mask: True where row ``i`` belongs to column country ``r``."""
    return country_index(G, N)[:, None] == np.arange(G)[None, :]


def split_domestic(A: FloatArray, G: int, N: int) -> tuple[FloatArray, FloatArray]:
    """Split ``A`` into ``(A^D, A^F)``: diagonal country blocks and the rest."""
    mask = domestic_mask(G, N)
    AD = np.where(mask, A, 0.0)
    return AD, A - AD


def diag_blocks(M: FloatArray, G: int, N: int) -> FloatArray:
    """The ``G`` diagonal ``N x N`` blocks of ``M`` as an array ``(G, N, N)``."""
    M4 = M.reshape(G, N, G, N)
    return np.einsum("gigj->gij", M4).copy()


def block_diag(blocks: FloatArray) -> FloatArray:
    """Inverse of :func:`diag_blocks`: a ``(G*N, G*N)`` block-diagonal matrix."""
    G, N, _ = blocks.shape
    out = np.zeros((G, N, G, N))
    idx = np.arange(G)
    out[idx, :, idx, :] = blocks
    return out.reshape(G * N, G * N)


def sum_by_country(v: FloatArray, G: int, N: int, axis: int = 0) -> FloatArray:
    """Sum a ``G*N`` axis of ``v`` over sectors, giving a ``G`` axis.

    >>> sum_by_country(np.arange(6.0), 2, 3)
    array([ 3., 12.])
    """
    v = np.asarray(v, dtype=float)
    shape = list(v.shape)
    shape[axis : axis + 1] = [G, N]
    return v.reshape(shape).sum(axis=axis + 1)


def aggregate_final_demand(Y: FloatArray, G: int) -> FloatArray:
    """Collapse ``(G*N, G*K)`` final demand to ``(G*N, G)`` by destination country.

    Columns are destination-country-major: country ``r`` owns columns
    ``r*K .. r*K + K - 1`` (METHODS.md §1, ``Y_sr = sum_f Yf[s, r*F + f]``).
    """
    n, cols = Y.shape
    if cols % G:
        raise ValueError(f"Y has {cols} columns, not a multiple of G = {G}")
    return Y.reshape(n, G, cols // G).sum(axis=2)


def safe_ratio(num: FloatArray, den: FloatArray, fill: float = np.nan) -> FloatArray:
    """``num / den`` with ``fill`` where ``den == 0`` (no warning, no inf).

    The one safe division of silkchain's core.

    >>> safe_ratio(np.array([1.0, 2.0]), np.array([2.0, 0.0]))
    array([0.5, nan])
    """
    num = np.asarray(num, dtype=float)
    den = np.asarray(den, dtype=float)
    ok = den != 0.0
    out = np.full(np.broadcast(num, den).shape, fill, dtype=float)
    np.divide(num, den, out=out, where=ok)
    return out


def apply_local(L_blocks: FloatArray, M: FloatArray) -> FloatArray:
    """``L @ M`` for a block-diagonal ``L`` given as its ``(G, N, N)`` diagonal blocks.

    ``M`` is a vector ``(G*N,)`` or has more columns ``(G*N, ...)``; one batched
    product per country (the local inverses ``L_ss``, the blocks ``B_ss``).

    >>> Lb = np.stack([np.eye(2) * 2.0, np.eye(2)])
    >>> apply_local(Lb, np.ones(4))
    array([2., 2., 1., 1.])
    >>> apply_local(Lb, np.ones((4, 2)))[:, 1]
    array([2., 2., 1., 1.])
    """
    G, N, _ = L_blocks.shape
    M = np.asarray(M, dtype=float)
    out = np.matmul(L_blocks, M.reshape(G, N, -1))
    return np.asarray(out.reshape((G * N, *M.shape[1:])))


def apply_local_left(L_blocks: FloatArray, R: FloatArray) -> FloatArray:
    """``R @ L`` for a row vector ``(G*N,)`` or matrix ``(k, G*N)`` and block-diagonal ``L``.

    >>> Lb = np.stack([np.array([[1.0, 1.0], [0.0, 1.0]]), np.eye(2)])
    >>> apply_local_left(Lb, np.ones(4))
    array([1., 2., 1., 1.])
    """
    G, N, _ = L_blocks.shape
    R = np.asarray(R, dtype=float)
    if R.ndim == 1:
        return np.einsum("gi,gij->gj", R.reshape(G, N), L_blocks).reshape(G * N)
    k = R.shape[0]
    return np.einsum("kgi,gij->kgj", R.reshape(k, G, N), L_blocks).reshape(k, G * N)


def country_rows(values: FloatArray, G: int, N: int) -> FloatArray:
    """``(G, G*N)`` matrix whose row ``s`` holds ``values`` on country ``s``'s industries.

    >>> country_rows(np.arange(1.0, 5.0), 2, 2)
    array([[1., 2., 0., 0.],
           [0., 0., 3., 4.]])
    """
    out = np.zeros((G, G * N))
    out[country_index(G, N), np.arange(G * N)] = values
    return out
