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

import warnings
from dataclasses import dataclass

import numpy as np
import scipy.linalg as sla

from silkchain.core.blocks import FloatArray, diag_blocks
from silkchain.errors import SingularSystemError

__all__ = [
    "LeontiefSolver",
    "ghosh_inverse",
    "leontief_inverse",
    "local_leontief_blocks",
    "output_from_demand",
    "technical_coefficients",
    "value_added_coefficients",
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
    def factor(cls, A: FloatArray, *, what: str = "I - A") -> LeontiefSolver:
        """Factor ``I - A``; raise :class:`SingularSystemError` when it is singular."""
        A = np.asarray(A, dtype=float)
        n = A.shape[0]
        if A.shape != (n, n):
            raise SingularSystemError(f"{what}: A must be square, got shape {A.shape}")
        with warnings.catch_warnings():  # singularity is reported below, with context
            warnings.simplefilter("ignore", sla.LinAlgWarning)
            lu, piv = sla.lu_factor(np.eye(n) - A, check_finite=True)
        diag = np.abs(np.diag(lu))
        scale = max(1.0, float(np.abs(lu).max()))
        bad = np.flatnonzero(diag <= n * np.finfo(float).eps * scale)
        if bad.size:
            raise SingularSystemError(
                f"{what} is singular: zero pivot at position(s) {bad[:10].tolist()} of the "
                "LU factorisation; some industry's input coefficients sum to 1 or more, "
                "or a block of industries only supplies itself"
            )
        return cls(lu=lu, piv=piv, n=n)

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


def local_leontief_blocks(A: FloatArray, G: int, N: int) -> FloatArray:
    """Local (domestic) Leontief inverses ``L_ss = (I - A_ss)^-1`` as ``(G, N, N)``.

    Raises :class:`SingularSystemError` naming the country block that fails.
    """
    blocks = diag_blocks(A, G, N)
    eye = np.eye(N)
    out = np.empty_like(blocks)
    failed: list[str] = []
    for g in range(G):
        try:
            out[g] = np.linalg.solve(eye - blocks[g], eye)
        except np.linalg.LinAlgError:
            failed.append(str(g))
    if failed:
        raise SingularSystemError(
            f"I - A_ss is singular for country block(s) {', '.join(failed)} (0-based); "
            "the domestic input coefficients of some industry sum to 1 or more"
        )
    return out
