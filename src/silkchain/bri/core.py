"""The Belt and Road answers' algebra, as thin wrappers over :mod:`silkchain.core`.

The math lives in the core: value added by origin and absorption in
:mod:`silkchain.core.leontief` and :mod:`silkchain.core.decompositions`, chains,
relatedness and trends in :mod:`silkchain.core.chains`. Argument order here is
that of the answers (``solver`` first).

>>> import numpy as np
>>> from silkchain.core.leontief import LeontiefSolver
>>> A = np.array([[0.1, 0.2], [0.3, 0.1]]); v = 1 - A.sum(0)
>>> s = LeontiefSolver.factor(A)
>>> x = s.solve(np.ones(2))                        # output for final demand eye(2)
>>> bool(np.allclose(va_origin_by_absorber(s, v, np.eye(2), 2, 1).sum(axis=1), v * x))
True
"""

from __future__ import annotations

from silkchain.core.blocks import FloatArray
from silkchain.core.chains import (
    chain_contributions,
    density,
    ols_slope,
    proximity,
    weighted_quadratic,
)
from silkchain.core.decompositions import leontief_country
from silkchain.core.leontief import LeontiefSolver, absorption_by_country

__all__ = ["chain_contributions", "density", "ols_slope", "proximity",
           "va_origin_by_absorber", "va_origin_by_exporter", "weighted_quadratic"]


def va_origin_by_exporter(solver: LeontiefSolver, v: FloatArray, E: FloatArray, G: int,
                          N: int) -> FloatArray:
    """Value added of each origin country (rows) in each country's gross exports (columns).

    :func:`silkchain.core.decompositions.leontief_country` with ``w = E``
    (Koopman, Wang & Wei 2014, §II.A; METHODS.md §2): column ``s`` sums to
    ``s``'s gross exports; its off-diagonal part is foreign content.
    """
    return leontief_country(v, solver, E, G, N)


def va_origin_by_absorber(solver: LeontiefSolver, v: FloatArray, Yc: FloatArray, G: int,
                          N: int) -> FloatArray:
    """Value added of each origin country (rows) absorbed in each country's final demand.

    :func:`silkchain.core.leontief.absorption_by_country` (Johnson & Noguera
    2012, eq. 3; METHODS.md §3): row sums are GDP, column sums final demand.
    """
    return absorption_by_country(v, solver, Yc, G, N)
