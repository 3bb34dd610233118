"""Aggregation of country-major arrays by a grouping of countries or sectors.

Numpy only. A grouping is an integer array ``groups`` with one entry per
member (country or sector) giving the index of its group in ``0 .. H-1``;
every group must have at least one member. Flows are summed, never averaged,
so every accounting identity of the table survives aggregation
(Miller & Blair 2009, §4.3 on aggregation matrices: ``Z* = S Z S'``,
``x* = S x``, ``f* = S f``).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from silkchain.core.blocks import FloatArray

IntArray = NDArray[np.intp]


def group_matrix(groups: IntArray, n_groups: int) -> FloatArray:
    """The ``(H, m)`` 0/1 aggregation matrix ``S`` with ``S[h, i] = 1`` if member i is in h.

    Parameters
    ----------
    groups : ndarray of int, shape (m,)
        Group index of each member.
    n_groups : int
        Number of groups ``H``; every group must have a member.

    Raises
    ------
    ValueError
        If an index is outside ``0 .. H-1`` or a group has no member.

    References
    ----------
    .. [1] Miller, R. E. & Blair, P. D. (2009). *Input-Output Analysis*, 2nd ed.,
       §4.3 (the aggregation matrix).

    Examples
    --------
    >>> group_matrix(np.array([0, 1, 0]), 2)
    array([[1., 0., 1.],
           [0., 1., 0.]])
    """
    groups = np.asarray(groups, dtype=np.intp)
    if groups.ndim != 1:
        raise ValueError(f"groups must be 1-D, found shape {groups.shape}")
    if groups.size and (groups.min() < 0 or groups.max() >= n_groups):
        raise ValueError(f"group indices must lie in 0..{n_groups - 1}, found "
                         f"{groups.min()}..{groups.max()}")
    S = np.zeros((n_groups, groups.size))
    S[groups, np.arange(groups.size)] = 1.0
    empty = np.flatnonzero(S.sum(axis=1) == 0)
    if empty.size:
        raise ValueError(f"group(s) {empty.tolist()} have no member")
    return S


def sum_groups(arr: FloatArray, S: FloatArray, axis: int) -> FloatArray:
    """Sum ``arr`` along ``axis`` by the aggregation matrix ``S`` ``(H, m)``.

    >>> sum_groups(np.arange(6.0).reshape(3, 2), group_matrix(np.array([0, 1, 0]), 2), 0)
    array([[4., 6.],
           [2., 3.]])
    """
    moved = np.moveaxis(np.asarray(arr, dtype=float), axis, 0)
    rest = moved.shape[1:]
    out = S @ moved.reshape(moved.shape[0], -1)
    return np.moveaxis(out.reshape((S.shape[0], *rest)), 0, axis)


def aggregate_countries(
    Z: FloatArray, Y: FloatArray, x: FloatArray, V: FloatArray,
    groups: IntArray, n_groups: int, N: int,
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Aggregate countries into ``H`` regions: ``Z* = (S⊗I_N) Z (S⊗I_N)'`` and so on.

    Parameters
    ----------
    Z : ndarray, shape (G*N, G*N)
    Y : ndarray, shape (G*N, G*K)
        Destination-country-major final demand; destinations are aggregated too.
    x : ndarray, shape (G*N,)
    V : ndarray, shape (M, G*N)
    groups : ndarray of int, shape (G,)
        Region of each country.
    n_groups : int
        Number of regions ``H``.
    N : int
        Number of sectors.

    Returns
    -------
    Z, Y, x, V : ndarrays of shapes (H*N, H*N), (H*N, H*K), (H*N,), (M, H*N)

    References
    ----------
    .. [1] Miller, R. E. & Blair, P. D. (2009). *Input-Output Analysis*, 2nd ed., §4.3.

    Examples
    --------
    >>> Z = np.arange(16.0).reshape(4, 4)          # G = 2 countries x N = 2 sectors
    >>> Zs, Ys, xs, Vs = aggregate_countries(Z, np.ones((4, 2)), np.full(4, 100.0),
    ...                                      np.ones((1, 4)), np.array([0, 0]), 1, 2)
    >>> Zs
    array([[20., 24.],
           [36., 40.]])
    >>> Ys.ravel(), xs
    (array([4., 4.]), array([200., 200.]))
    """
    S = group_matrix(groups, n_groups)
    G = S.shape[1]
    M = V.shape[0]
    K = Y.shape[1] // G
    Z4 = sum_groups(sum_groups(Z.reshape(G, N, G, N), S, 0), S, 2)
    Y4 = sum_groups(sum_groups(Y.reshape(G, N, G, K), S, 0), S, 2)
    xs = sum_groups(x.reshape(G, N), S, 0)
    Vs = sum_groups(V.reshape(M, G, N), S, 1)
    H = n_groups
    return (Z4.reshape(H * N, H * N), Y4.reshape(H * N, H * K), xs.reshape(H * N),
            Vs.reshape(M, H * N))


def aggregate_sectors(
    Z: FloatArray, Y: FloatArray, x: FloatArray, V: FloatArray,
    groups: IntArray, n_groups: int, G: int,
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Aggregate the ``N`` sectors of every country into ``H`` groups: ``(I_G⊗S) Z (I_G⊗S)'``.

    Parameters
    ----------
    Z, Y, x, V : ndarrays
        As in :func:`aggregate_countries`; the final-demand columns are unchanged.
    groups : ndarray of int, shape (N,)
        Group of each sector.
    n_groups : int
        Number of sector groups ``H``.
    G : int
        Number of countries.

    Returns
    -------
    Z, Y, x, V : ndarrays of shapes (G*H, G*H), (G*H, G*K), (G*H,), (M, G*H)

    References
    ----------
    .. [1] Miller, R. E. & Blair, P. D. (2009). *Input-Output Analysis*, 2nd ed., §4.3.

    Examples
    --------
    >>> Z = np.arange(16.0).reshape(4, 4)          # G = 2 countries x N = 2 sectors
    >>> aggregate_sectors(Z, np.ones((4, 2)), np.ones(4), np.ones((1, 4)),
    ...                   np.array([0, 0]), 1, 2)[0]
    array([[10., 18.],
           [42., 50.]])
    """
    S = group_matrix(groups, n_groups)
    N = S.shape[1]
    H = n_groups
    M = V.shape[0]
    cols = Y.shape[1]
    Z4 = sum_groups(sum_groups(Z.reshape(G, N, G, N), S, 1), S, 3)
    Ys = sum_groups(Y.reshape(G, N, cols), S, 1)
    xs = sum_groups(x.reshape(G, N), S, 1)
    Vs = sum_groups(V.reshape(M, G, N), S, 2)
    return (Z4.reshape(G * H, G * H), Ys.reshape(G * H, cols), xs.reshape(G * H),
            Vs.reshape(M, G * H))
