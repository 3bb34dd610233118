"""RAS and GRAS: scale a matrix to given row and column totals, with convergence reported.

``ras`` is the classic bi-proportional method for non-negative matrices
(Stone 1961; Miller & Blair 2009, §7.4.2). ``gras`` is its generalisation to
matrices with negative cells (inventory changes in final demand, net taxes):
positive cells are scaled by ``r_i s_j``, negative ones by ``1/(r_i s_j)``
(Junius & Oosterhaven 2003), in the form of Temurshoev, Miller & Bouwmeester
(2013) that also handles rows and columns whose positive part is empty
(Lenzen, Wood & Gallego 2007).

Every call returns a :class:`RASResult` with the number of iterations and
the largest remaining gap between the totals and their targets. When the
targets are not reached within ``max_iter`` iterations the functions raise
:class:`ConvergenceError` (carrying that result); with ``strict=False`` they
return it with ``converged=False`` and emit a :class:`RuntimeWarning`, so a
failure is never silent. Targets that no scaling can reach (a row without
non-zero cells but a non-zero target, totals whose sums differ) are rejected
before iterating, naming the row or column.

References
----------
.. [1] Stone, R. (1961). *Input-Output and National Accounts*. OEEC, Paris.
.. [2] Miller, R. E. & Blair, P. D. (2009). *Input-Output Analysis*, 2nd ed.,
   §7.4.2 (the RAS procedure).
.. [3] Junius, T. & Oosterhaven, J. (2003). The solution of updating or
   regionalizing a matrix with both positive and negative entries.
   *Economic Systems Research* 15(1): 87-96.
.. [4] Lenzen, M., Wood, R. & Gallego, B. (2007). Some comments on the GRAS
   method. *Economic Systems Research* 19(4): 461-465.
.. [5] Temurshoev, U., Miller, R. E. & Bouwmeester, M. C. (2013). A note on
   the GRAS method. *Economic Systems Research* 25(3): 361-367, eq. (6)-(7).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from silkchain.core.blocks import FloatArray
from silkchain.errors import SilkchainError

__all__ = ["ConvergenceError", "RASError", "RASResult", "gras", "ras"]


class RASError(SilkchainError, ValueError):
    """The targets given to RAS/GRAS cannot be reached by any scaling."""


class ConvergenceError(RASError):
    """RAS/GRAS did not reach its targets; ``result`` holds the last iterate and the gaps."""

    def __init__(self, message: str, result: RASResult) -> None:
        super().__init__(message)
        self.result = result


@dataclass(frozen=True)
class RASResult:
    """A balanced matrix and how it was reached.

    Attributes
    ----------
    matrix : ndarray
        The scaled matrix ``r^ X0+ s^ - r^-1 X0- s^-1`` (``X0-`` = 0 for RAS).
    r, s : ndarray
        Row and column multipliers.
    iterations : int
        Row-and-column sweeps done.
    max_gap : float
        Largest absolute gap between a row or column total and its target.
    tol : float
        The absolute tolerance the gap had to meet.
    converged : bool
        ``max_gap <= tol``.
    method : str
        ``"RAS"`` or ``"GRAS"``.
    """

    matrix: FloatArray
    r: FloatArray
    s: FloatArray
    iterations: int
    max_gap: float
    tol: float
    converged: bool
    method: str

    def report(self) -> dict[str, object]:
        """Convergence figures as a plain dict (saved with scenario results)."""
        return {"method": self.method, "iterations": int(self.iterations),
                "max_gap": float(self.max_gap), "tol": float(self.tol),
                "converged": bool(self.converged)}


def _labels(names: Sequence[str] | None, idx: np.ndarray, kind: str) -> str:
    shown = [names[i] if names is not None else f"{kind} {i}" for i in idx[:10].tolist()]
    more = f" and {idx.size - 10} more" if idx.size > 10 else ""
    return ", ".join(shown) + more


def _check_feasible(P: FloatArray, Nn: FloatArray, u: FloatArray, v: FloatArray, atol: float,
                    row_names: Sequence[str] | None,
                    col_names: Sequence[str] | None) -> None:
    problems: list[str] = []
    su, sv = float(u.sum()), float(v.sum())
    scale = max(1.0, float(np.abs(u).sum()), float(np.abs(v).sum()))
    if abs(su - sv) > max(atol * max(u.size, v.size), 1e-12 * scale):
        problems.append(f"row targets sum to {su:.10g} but column targets to {sv:.10g}")
    for axis, target, names, kind in ((1, u, row_names, "row"), (0, v, col_names, "column")):
        has_pos = P.any(axis=axis)
        has_neg = Nn.any(axis=axis)
        bad = np.flatnonzero(~has_pos & ~has_neg & (np.abs(target) > atol))
        if bad.size:
            problems.append(f"{kind}(s) {_labels(names, bad, kind)} have only zero cells but "
                            "non-zero targets")
        bad = np.flatnonzero(~has_pos & has_neg & (target > atol))
        if bad.size:
            problems.append(f"{kind}(s) {_labels(names, bad, kind)} have only negative cells "
                            "but positive targets")
        bad = np.flatnonzero(has_pos & ~has_neg & (target < -atol))
        if bad.size:
            problems.append(f"{kind}(s) {_labels(names, bad, kind)} have only positive cells "
                            "but negative targets")
    if problems:
        raise RASError("the targets cannot be reached by scaling the matrix:\n  - "
                       + "\n  - ".join(problems))


def _multipliers(p: FloatArray, n: FloatArray, t: FloatArray) -> FloatArray:
    """Solve ``m p - n / m = t`` for ``m > 0`` (TMB 2013, eq. 6-7), cell by cell."""
    out = np.ones_like(t)
    pos = p > 0
    root = np.sqrt(t[pos] ** 2 + 4.0 * p[pos] * n[pos])
    out[pos] = (t[pos] + root) / (2.0 * p[pos])
    only_neg = ~pos & (n > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        out[only_neg] = -n[only_neg] / t[only_neg]
    # rows with no cells, or only negatives and a zero target, keep m = 1 (nothing to scale)
    out[~np.isfinite(out) | (out <= 0) & ~pos] = 1.0
    return out


def _inv(m: FloatArray) -> FloatArray:
    return np.divide(1.0, m, out=np.zeros_like(m), where=m > 0)


def gras(
    X0: FloatArray,
    u: FloatArray,
    v: FloatArray,
    *,
    tol: float = 1e-9,
    max_iter: int = 5000,
    strict: bool = True,
    row_names: Sequence[str] | None = None,
    col_names: Sequence[str] | None = None,
) -> RASResult:
    """Scale ``X0`` (cells of any sign) so that its row sums are ``u`` and column sums ``v``.

    Parameters
    ----------
    X0 : ndarray, shape (m, n)
        The prior matrix; its sign pattern is kept.
    u : ndarray, shape (m,)
        Row targets.
    v : ndarray, shape (n,)
        Column targets; ``sum(u)`` must equal ``sum(v)``.
    tol : float
        Relative tolerance: the iteration stops when every row and column total
        is within ``tol * max(1, max|u|, max|v|)`` of its target.
    max_iter : int
        Largest number of row-and-column sweeps.
    strict : bool
        Raise :class:`ConvergenceError` when the tolerance is not met (default);
        with ``False``, warn and return the result with ``converged=False``.
    row_names, col_names : sequence of str, optional
        Used in error messages.

    Returns
    -------
    RASResult

    Raises
    ------
    RASError
        Targets no scaling can reach (named rows/columns).
    ConvergenceError
        No convergence within ``max_iter`` (``strict=True``).

    References
    ----------
    .. [1] Junius & Oosterhaven (2003), ESR 15(1): 87-96.
    .. [2] Lenzen, Wood & Gallego (2007), ESR 19(4): 461-465.
    .. [3] Temurshoev, Miller & Bouwmeester (2013), ESR 25(3): 361-367, eq. (6)-(7).

    Examples
    --------
    >>> X0 = np.array([[7.0, 3.0, -2.0], [4.0, -1.0, 5.0]])
    >>> res = gras(X0, u=np.array([10.0, 9.0]), v=np.array([12.0, 3.0, 4.0]))
    >>> res.converged, res.matrix.sum(axis=1).round(9), res.matrix.sum(axis=0).round(9)
    (True, array([10.,  9.]), array([12.,  3.,  4.]))
    >>> bool(np.all(np.sign(res.matrix) == np.sign(X0)))
    True
    """
    return _scale(X0, u, v, tol=tol, max_iter=max_iter, strict=strict, method="GRAS",
                  row_names=row_names, col_names=col_names)


def ras(
    X0: FloatArray,
    u: FloatArray,
    v: FloatArray,
    *,
    tol: float = 1e-9,
    max_iter: int = 5000,
    strict: bool = True,
    row_names: Sequence[str] | None = None,
    col_names: Sequence[str] | None = None,
) -> RASResult:
    """Bi-proportional (RAS) scaling of a non-negative matrix to row and column totals ``u``, ``v``.

    ``X = r^ X0 s^``. Parameters, return value and errors as for :func:`gras`;
    ``X0`` must not have negative cells (use :func:`gras`).

    References
    ----------
    .. [1] Stone (1961); Miller & Blair (2009), §7.4.2, the RAS procedure.

    Examples
    --------
    >>> X0 = np.array([[120.0, 40.0], [30.0, 60.0]])
    >>> res = ras(X0, u=np.array([170.0, 100.0]), v=np.array([160.0, 110.0]))
    >>> res.converged, res.matrix.round(3)
    (True, array([[127.008,  42.992],
           [ 32.992,  67.008]]))
    >>> res.matrix.sum(axis=1).round(9), res.matrix.sum(axis=0).round(9)
    (array([170., 100.]), array([160., 110.]))
    """
    X0 = np.asarray(X0, dtype=float)
    if (X0 < 0).any():
        i, j = np.argwhere(X0 < 0)[0]
        raise RASError(f"RAS needs a non-negative matrix; cell ({i}, {j}) is {X0[i, j]:.6g} "
                       "(use gras() for matrices with negative cells)")
    return _scale(X0, u, v, tol=tol, max_iter=max_iter, strict=strict, method="RAS",
                  row_names=row_names, col_names=col_names)


def _scale(X0: FloatArray, u: FloatArray, v: FloatArray, *, tol: float, max_iter: int,
           strict: bool, method: str, row_names: Sequence[str] | None,
           col_names: Sequence[str] | None) -> RASResult:
    X0 = np.asarray(X0, dtype=float)
    u = np.asarray(u, dtype=float)
    v = np.asarray(v, dtype=float)
    if X0.ndim != 2 or u.shape != (X0.shape[0],) or v.shape != (X0.shape[1],):
        raise RASError(f"{method}: matrix of shape {X0.shape} needs row targets of shape "
                       f"({X0.shape[0]},) and column targets of shape ({X0.shape[1]},); got "
                       f"{u.shape} and {v.shape}")
    if not (np.isfinite(X0).all() and np.isfinite(u).all() and np.isfinite(v).all()):
        raise RASError(f"{method}: the matrix and the targets must be finite")
    scale = max(1.0, float(np.abs(u).max(initial=0.0)), float(np.abs(v).max(initial=0.0)))
    atol = tol * scale
    P = np.maximum(X0, 0.0)
    Nn = np.maximum(-X0, 0.0)
    _check_feasible(P, Nn, u, v, atol, row_names, col_names)
    has_neg = bool(Nn.any())
    r = np.ones(X0.shape[0])
    s = np.ones(X0.shape[1])
    gap = np.inf
    it = 0
    for it in range(1, max_iter + 1):  # noqa: B007 - the count is reported
        r = _multipliers(P @ s, Nn @ _inv(s) if has_neg else np.zeros_like(u), u)
        s = _multipliers(r @ P, _inv(r) @ Nn if has_neg else np.zeros_like(v), v)
        rows = r * (P @ s) - (_inv(r) * (Nn @ _inv(s)) if has_neg else 0.0)
        cols = s * (r @ P) - (_inv(s) * (_inv(r) @ Nn) if has_neg else 0.0)
        gap = max(float(np.abs(rows - u).max(initial=0.0)),
                  float(np.abs(cols - v).max(initial=0.0)))
        if gap <= atol:
            break
    X = r[:, None] * P * s[None, :]
    if has_neg:
        X = X - _inv(r)[:, None] * Nn * _inv(s)[None, :]
    result = RASResult(matrix=X, r=r, s=s, iterations=it, max_gap=gap, tol=atol,
                       converged=gap <= atol, method=method)
    if not result.converged:
        msg = (f"{method} did not converge: after {it} iterations the largest gap between a "
               f"total and its target is {gap:.6g} (tolerance {atol:.3g}); the targets may be "
               "inconsistent with the matrix's pattern of zeros")
        if strict:
            raise ConvergenceError(msg, result)
        warnings.warn(msg, RuntimeWarning, stacklevel=3)
    return result
