"""The Leontief quantity model and the Ghosh supply model on ndarrays.

All functions are pure: ndarrays in, ndarrays out. Inverses are obtained by LU
factorisation of ``I - A``; an explicit inverse is only formed when a caller
asks for one.

References
----------
.. [1] Leontief, W. (1936). Quantitative input and output relations in the
   economic system of the United States. *Review of Economics and Statistics*
   18(3): 105-125.
.. [2] Miller, R. E. & Blair, P. D. (2009). *Input-Output Analysis: Foundations
   and Extensions*, 2nd ed., Cambridge University Press, §2.2-2.3 (eq. 2.10,
   the Leontief inverse) and §12.1 (the Ghosh inverse).
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import scipy.linalg as sla
from scipy.linalg import lapack

from silkchain.core.blocks import FloatArray, country_rows, diag_blocks, sum_by_country
from silkchain.errors import SingularSystemError

__all__ = [
    "LeontiefSolver",
    "absorption_by_country",
    "block_label",
    "diagonal_blocks_of_inverse",
    "factor_identity_minus",
    "ghosh_inverse",
    "invert_triangles",
    "leontief_inverse",
    "local_leontief_blocks",
    "lu_permutation",
    "output_from_demand",
    "solve_blocks",
    "technical_coefficients",
    "va_by_country",
    "value_added_coefficients",
    "vby",
]


def technical_coefficients(Z: FloatArray, x: FloatArray) -> FloatArray:
    """Input coefficients ``A = Z diag(x)^-1`` (Miller & Blair 2009, eq. 2.4).

    Columns of zero-output industries (``x_j == 0``) are set to zero, the
    convention of decompr and METHODS.md §1.

    >>> technical_coefficients(np.array([[150., 500.], [200., 100.]]), np.array([1000., 2000.]))
    array([[0.15, 0.25],
           [0.2 , 0.05]])
    """
    x = np.asarray(x, dtype=float)
    safe = np.where(x == 0.0, 1.0, x)
    return np.where(x[None, :] == 0.0, 0.0, Z / safe[None, :])


def value_added_coefficients(va: FloatArray, x: FloatArray) -> FloatArray:
    """Value added per unit of output ``v = va / x``, 0 where ``x == 0``."""
    x = np.asarray(x, dtype=float)
    safe = np.where(x == 0.0, 1.0, x)
    return np.where(x == 0.0, 0.0, np.asarray(va, dtype=float) / safe)


@dataclass(frozen=True)
class LeontiefSolver:
    """LU factorisation of ``I - A`` that solves ``B @ R`` and ``R @ B`` without forming ``B``.

    ``B = (I - A)^-1`` is the global Leontief inverse. ``solve(R)`` returns
    ``B R`` and ``solve_left(R)`` returns ``R B`` (for row vectors such as
    ``V B``), each by forward and back substitution.

    >>> s = LeontiefSolver.factor(np.array([[0.15, 0.25], [0.20, 0.05]]))
    >>> s.solve(np.array([350.0, 1700.0])).round(6)   # Miller & Blair (2009), Table 2.3
    array([1000., 2000.])
    """

    lu: FloatArray
    piv: np.ndarray
    n: int

    @classmethod
    def factor(cls, A: FloatArray, *, what: str = "I - A",
               names: tuple[str, ...] | None = None, N: int | None = None) -> LeontiefSolver:
        """Factor ``I - A``; raise :class:`SingularSystemError` when it is singular.

        ``names`` and ``N`` (country names, sectors per country) let the error
        name the country blocks of the zero pivots.
        """
        A = np.asarray(A, dtype=float)
        n = A.shape[0]
        if A.shape != (n, n):
            raise SingularSystemError(f"{what}: A must be square, got shape {A.shape}")
        lu, piv = factor_identity_minus(A, what=what, names=names, N=N)
        return cls(lu=lu, piv=piv, n=n)

    def diagonal_blocks(self, G: int, N: int) -> FloatArray:
        """The diagonal blocks ``B_rr`` of ``B`` from the LU factors, ``(G, N, N)``.

        See :func:`diagonal_blocks_of_inverse`; equal to ``diag_blocks(B)`` of
        the explicit inverse (tested).
        """
        tri = invert_triangles(self.lu)
        return diagonal_blocks_of_inverse(tri, lu_permutation(self.piv), G, N)

    def solve(self, R: FloatArray) -> FloatArray:
        """Return ``B @ R`` for a vector or matrix ``R``."""
        return sla.lu_solve((self.lu, self.piv), R, check_finite=False)

    def solve_left(self, R: FloatArray) -> FloatArray:
        """Return ``R @ B`` for a row vector or matrix ``R`` (solves with ``(I - A)'``)."""
        R = np.asarray(R, dtype=float)
        return sla.lu_solve((self.lu, self.piv), R.T, trans=1, check_finite=False).T

    def inverse(self) -> FloatArray:
        """The explicit Leontief inverse ``B`` (only when a caller needs every entry)."""
        return self.solve(np.eye(self.n))


def leontief_inverse(A: FloatArray) -> FloatArray:
    """Total requirements matrix ``B = (I - A)^-1`` (Miller & Blair 2009, eq. 2.10).

    Raises
    ------
    SingularSystemError
        If ``I - A`` is singular.

    References
    ----------
    .. [1] Miller, R. E. & Blair, P. D. (2009). *Input-Output Analysis*, 2nd ed.,
       §2.3, Table 2.4.

    Examples
    --------
    >>> A = np.array([[0.15, 0.25], [0.20, 0.05]])  # Miller & Blair (2009), Table 2.4
    >>> leontief_inverse(A).round(4)
    array([[1.2541, 0.33  ],
           [0.264 , 1.1221]])
    """
    return LeontiefSolver.factor(A).inverse()


def output_from_demand(A: FloatArray, y: FloatArray) -> FloatArray:
    """Gross output ``x = (I - A)^-1 y`` by one LU solve (identity B1)."""
    return LeontiefSolver.factor(A).solve(np.asarray(y, dtype=float))


def ghosh_inverse(B: FloatArray, x: FloatArray) -> FloatArray:
    """Ghosh inverse ``G = diag(x)^-1 B diag(x)`` (Miller & Blair 2009, eq. 12.9).

    Rows of zero-output industries are left as the identity row, so that a zero
    row never turns other results into NaN.
    """
    x = np.asarray(x, dtype=float)
    safe = np.where(x == 0.0, 1.0, x)
    Gh = B * x[None, :] / safe[:, None]
    zero = np.flatnonzero(x == 0.0)
    Gh[zero, :] = 0.0
    Gh[zero, zero] = 1.0
    return Gh


def local_leontief_blocks(A: FloatArray, G: int, N: int, *,
                          names: tuple[str, ...] | None = None,
                          who: str = "country block(s)") -> FloatArray:
    """Local (domestic) Leontief inverses ``L_ss = (I - A_ss)^-1`` as ``(G, N, N)``.

    Raises :class:`SingularSystemError` naming the country blocks that fail
    (the domestic input coefficients of some industry sum to 1 or more).
    """
    blocks = diag_blocks(np.asarray(A, dtype=float), G, N)
    eye = np.broadcast_to(np.eye(N), (G, N, N))
    return solve_blocks(eye - blocks, np.array(eye), "the local block I - A_ss", names, who)


# ------------------------------------------------------------------ shared primitives
def block_label(names: tuple[str, ...] | None, g: int) -> str:
    """How errors name country block ``g``: its quoted name, or its 0-based index."""
    return f"{names[g]!r}" if names is not None else f"{g} (0-based)"


def factor_identity_minus(A: FloatArray, *, what: str = "I - A",
                          names: tuple[str, ...] | None = None, N: int | None = None,
                          overwrite: bool = False) -> tuple[FloatArray, np.ndarray]:
    """LU factors ``(lu, piv)`` of ``I - A`` (``scipy.linalg.lu_factor`` layout).

    The one singularity test of silkchain: a pivot ``|u_kk| <= n eps max(1,
    max|LU|)`` is a zero pivot. With ``overwrite`` the work array is built in
    Fortran order and factored in place (one ``n x n`` array in all).

    Raises
    ------
    SingularSystemError
        Naming the zero pivots and, given ``N``, their country blocks.

    Examples
    --------
    >>> lu, piv = factor_identity_minus(np.array([[0.5, 0.5], [0.5, 0.5]]))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    silkchain.errors.SingularSystemError: I - A is singular: zero pivot at position(s) [1] ...
    """
    A = np.asarray(A, dtype=float)
    n = A.shape[0]
    M = np.array(A, dtype=float, order="F") if overwrite else -A
    if overwrite:
        np.negative(M, out=M)
    M.flat[:: n + 1] += 1.0
    with warnings.catch_warnings():  # singularity is reported below, with context
        warnings.simplefilter("ignore", sla.LinAlgWarning)
        lu, piv = sla.lu_factor(M, overwrite_a=overwrite, check_finite=True)
    diag = np.abs(np.diag(lu))
    scale = max(1.0, float(np.abs(lu).max()))
    bad = np.flatnonzero(diag <= n * np.finfo(float).eps * scale)
    if bad.size:
        where = ""
        if N:
            who = sorted({int(i) // N for i in bad})
            where = f" (country block(s) {', '.join(block_label(names, g) for g in who)})"
        raise SingularSystemError(
            f"{what} is singular: zero pivot at position(s) {bad[:10].tolist()} of the "
            f"LU factorisation{where}; some industry's input coefficients sum to 1 or more, "
            "or a block of industries only supplies itself"
        )
    return lu, piv


def lu_permutation(piv: np.ndarray) -> np.ndarray:
    """``perm`` with ``P' x = x[perm]``: LAPACK's row interchanges applied in order."""
    perm = np.arange(len(piv))
    for i, p in enumerate(np.asarray(piv)):
        if p != i:
            perm[i], perm[p] = perm[p], perm[i]
    return perm


def invert_triangles(lu: FloatArray, *, overwrite: bool = False) -> FloatArray:
    """Both LU triangles inverted in one array: upper ``U^-1``, strict lower ``L^-1``.

    LAPACK ``dtrtri`` twice (a third of the flops of solving for all of ``B``);
    ``overwrite`` reuses ``lu`` (Fortran order) as the result.
    """
    tri, info = lapack.dtrtri(lu, lower=0, unitdiag=0, overwrite_c=int(overwrite))
    if info != 0:
        raise SingularSystemError(f"I - A: the U factor is singular (LAPACK info {info}); "
                                  "the Leontief inverse does not exist")
    tri, info = lapack.dtrtri(tri, lower=1, unitdiag=1, overwrite_c=1)
    if info != 0:
        raise SingularSystemError(f"I - A: the L factor is singular (LAPACK info {info}); "
                                  "the Leontief inverse does not exist")
    return np.asarray(tri)


def diagonal_blocks_of_inverse(tri: FloatArray, perm: np.ndarray, G: int, N: int
                               ) -> FloatArray:
    """Diagonal blocks ``B_ss`` of ``B = (I - A)^-1`` from the inverted LU triangles.

    ``B = U^-1 L^-1 P'``, so ``B_ss = (U^-1)_{s, r0:} (L^-1 P')_{r0:, s}``
    (``U^-1`` is zero left of the block's first row ``r0``): one ``N x m`` by
    ``m x N`` product per country, ``O(n^2 N)`` in all, laid out so that BLAS
    reads both operands contiguously. ``tri`` is :func:`invert_triangles`'s
    result, ``perm`` :func:`lu_permutation`'s.

    Examples
    --------
    >>> A = np.array([[0.1, 0.2, 0.0], [0.3, 0.1, 0.1], [0.0, 0.2, 0.3]])
    >>> s = LeontiefSolver.factor(A)
    >>> bool(np.allclose(s.diagonal_blocks(3, 1)[:, 0, 0], np.diag(leontief_inverse(A))))
    True
    """
    n = G * N
    inv = np.empty(n, dtype=np.intp)
    inv[perm] = np.arange(n)
    out = np.empty((G, N, N))
    triT = np.asarray(tri).T                             # C-ordered view of an F array
    lower = np.tril_indices(N, -1)
    with one_blas_thread():                              # G small products: one thread
        for s in range(G):
            r0, r1 = s * N, (s + 1) * N
            U = triT[r0:, r0:r1].T.copy()                # (U^-1)_{s, r0:}, (N, m)
            U[:, :N][lower] = 0.0                        # below U's diagonal: L data
            cols = inv[r0:r1]                            # (L^-1 P')_{:, s} = L^-1[:, cols]
            LcT = triT[cols, r0:]                        # (N, m): row k = column cols[k]
            for k, c in enumerate(cols - r0):            # L^-1 column cols[k] from row r0:
                if c >= 0:                               # zero above its unit diagonal
                    LcT[k, :c] = 0.0
                    LcT[k, c] = 1.0
            out[s] = U @ LcT.T
    return out


@contextlib.contextmanager
def one_blas_thread() -> Iterator[None]:
    """Run BLAS on one thread inside the block (a no-op without threadpoolctl).

    For loops of many small or skinny products (one per country): there, OpenBLAS's
    threads cost more than they bring, and many times more when other processes keep
    the cores busy (measured: 10 s against 0.2 s for the 77 products of an OECD-size
    table at load average 10; see docs/performance.md).
    """
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # threadpoolctl comes with the dask extra
        yield
        return
    with threadpool_limits(limits=1, user_api="blas"):
        yield


def solve_blocks(M: FloatArray, b: FloatArray, what: str,
                 names: tuple[str, ...] | None = None, who: str = "country block(s)"
                 ) -> FloatArray:
    """Solve ``M[g] z[g] = b[g]`` for every block ``g``; name the blocks that fail.

    A block is singular when LAPACK fails, the solution is not finite, or its
    smallest singular value is ``<= 1e-12 max(1, largest)``.

    Raises
    ------
    SingularSystemError
        ``"{what} is singular ... for {who} ..."`` naming every failing block.
    """
    try:
        z = np.linalg.solve(M, b)
    except np.linalg.LinAlgError:
        z = None
    bad = []
    if z is not None:
        bad = [g for g in range(M.shape[0]) if not np.all(np.isfinite(z[g]))]
    else:
        for g in range(M.shape[0]):
            try:
                np.linalg.solve(M[g], b[g])
            except np.linalg.LinAlgError:
                bad.append(g)
    if bad or z is None:
        raise SingularSystemError(f"{what} is singular for {who} "
                                  f"{', '.join(block_label(names, g) for g in bad)}")
    sv = np.linalg.svd(M, compute_uv=False)                 # (G, N), descending
    tiny = np.flatnonzero(sv[:, -1] <= 1e-12 * np.maximum(1.0, sv[:, 0]))
    if tiny.size:
        raise SingularSystemError(
            f"{what} is singular or numerically singular (smallest singular value "
            f"<= 1e-12 x max(1, largest)) for {who} "
            f"{', '.join(block_label(names, int(g)) for g in tiny)}")
    return np.asarray(z, dtype=np.float64)


# ------------------------------------------------------------ value added: origin, absorption
def va_by_country(v: FloatArray, solver: LeontiefSolver, G: int, N: int) -> FloatArray:
    """Value added by origin country: ``VBc[t, j] = sum_{i in t} v_i B_ij``, ``(G, n)``.

    The one value-added-by-origin routine (KWW, WWZ, TiVA, Koopman et al.).

    One LU solve with ``G`` right-hand sides. Column ``j`` splits a unit of
    output of ``j`` by the country whose value added it contains; it sums to 1
    when ``v`` is the residual value-added share (METHODS.md §1, identity B2).

    References
    ----------
    .. [1] Koopman, Wang & Wei (2014), AER 104(2), §II ("VB" matrix).

    Examples
    --------
    >>> s = LeontiefSolver.factor(np.array([[0.1, 0.2], [0.3, 0.1]]))
    >>> va_by_country(np.array([0.6, 0.7]), s, G=2, N=1).sum(axis=0)
    array([1., 1.])
    """
    return solver.solve_left(country_rows(np.asarray(v, dtype=float), G, N))


# ---------------------------------------------------------------------------- §2 Leontief


def vby(v: FloatArray, solver: LeontiefSolver, Yc: FloatArray) -> FloatArray:
    """``V B Y``: value added of industry ``i`` absorbed in final demand of country ``r``.

    The one absorption routine (JN VAX, TiVA FD_VA, the value-added network).

    ``(n, G)``; one LU solve with ``G`` right-hand sides (decompr
    ``leontief(post="final_demand")``, METHODS.md §2).

    References
    ----------
    .. [1] Johnson & Noguera (2012), JIE 86(2): 224-236, eq. (4).
    """
    return np.asarray(v, dtype=float)[:, None] * solver.solve(np.asarray(Yc, dtype=float))


def absorption_by_country(v: FloatArray, solver: LeontiefSolver, Yc: FloatArray, G: int,
                          N: int) -> FloatArray:
    """``VBY`` summed to origin countries, ``(G, G)``: VA of ``s`` absorbed in ``r``.

    Row sums are GDP, column sums final demand; the off-diagonal row sum is
    ``VAX_s`` (Johnson & Noguera 2012, eq. 3; METHODS.md §3).

    >>> s = LeontiefSolver.factor(np.array([[0.1, 0.2], [0.3, 0.1]]))
    >>> float(absorption_by_country(np.array([0.6, 0.7]), s, np.eye(2), 2, 1).sum())
    2.0
    """
    return sum_by_country(vby(v, solver, Yc), G, N, axis=0)
