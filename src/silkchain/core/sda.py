"""Structural decomposition analysis (SDA) of measures built from ``v``, ``B`` and ``Y``.

A measure ``m = f(v, B, Y)`` (value added in exports, the domestic value-added
share of exports, value-added exports, GVC participation, value added by
destination) changes between two tables (two years, or two releases of one
year). SDA splits the change ``m1 - m0`` into the contributions of its
*factors* (METHODS-style notation of METHODS.md §1):

===================  ==========================================================
factor               definition (``A = Z x^-1``, ``Y`` by destination country)
===================  ==========================================================
``v``                value-added coefficients ``v = va / x``
``B``                the input coefficients ``A`` behind ``B = (I - A)^-1``; with
                     ``split_b`` it is two factors:
``technology``       ``T[n, j] = sum_s A[(s, n), j]``, industry ``j``'s input of
                     product ``n`` from all origins (domestic technology)
``sourcing``         ``S[(s, n), j] = A[(s, n), j] / T[n, j]``, the origin shares
                     (import sourcing), so that ``A = S # T`` element-wise
``level``            world final demand ``Lv = u' Y u``
``destination_mix``  destination shares ``d_r = u' Y_r / Lv``
``product_mix``      product shares ``P[i, r] = Y[i, r] / u' Y_r``, so that
                     ``Y[i, r] = Lv d_r P[i, r]``
===================  ==========================================================

Each decomposition replaces the factors one at a time from their start to their
end values and records ``f`` after each replacement. The contributions of one
ordering add up to the change exactly (they telescope), whatever ``f`` is,
ratios included. ``method="polar"`` (default) averages the two polar orderings,
first-to-last and last-to-first (Dietzenbacher & Los 1998); ``"shapley"``
averages all ``k!`` orderings (the Shapley value, computed from the ``2^k``
subsets). With two factors the two coincide.

The Leontief inverse is factored once per distinct ``A`` met (at most four with
``split_b``), so a decomposition costs a handful of LU factorisations.

References
----------
.. [1] Dietzenbacher, E. & Los, B. (1998). Structural decomposition techniques:
   sense and sensitivity. Economic Systems Research 10(4): 307-324, §3 (polar
   decompositions and their average).
.. [2] Miller, R. E. & Blair, P. D. (2009). Input-Output Analysis, 2nd ed., ch. 13
   (§13.1 two-factor and §13.2 multi-factor decompositions).
.. [3] Shorrocks, A. F. (2013). Decomposition procedures for distributional
   analysis: a unified framework based on the Shapley value. Journal of Economic
   Inequality 11(1): 99-126.
.. [4] Los, B., Timmer, M. P. & de Vries, G. J. (2016). Tracing value-added and
   double counting in gross exports: comment. AER 106(7): 1958-66 (technology
   versus sourcing of A).

Examples
--------
Two factors, ``f = a * b``: the polar average gives each factor the change
times the mean of the other.

>>> c, f0, f1 = decompose(lambda a, b: a * b, [np.array([2.0]), np.array([3.0])],
...                       [np.array([4.0]), np.array([5.0])])
>>> c[:, 0], f1 - f0
(array([8., 6.]), array([14.]))
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np

from silkchain.core.blocks import (
    FloatArray,
    country_column_mask,
    country_index,
    safe_ratio,
    sum_by_country,
)
from silkchain.core.leontief import LeontiefSolver

__all__ = [
    "FACTORS",
    "FACTORS_SPLIT",
    "LEVELS",
    "MEASURES",
    "METHODS",
    "System",
    "combine_coefficients",
    "combine_final_demand",
    "decompose",
    "sda_tables",
    "split_coefficients",
    "split_final_demand",
]

METHODS = ("polar", "shapley")
FACTORS = ("v", "B", "level", "destination_mix", "product_mix")
FACTORS_SPLIT = ("v", "technology", "sourcing", "level", "destination_mix", "product_mix")
LEVELS = ("country", "sector", "bilateral")


# ------------------------------------------------------------------------ the engine
def decompose(f: Callable[..., FloatArray], start: Sequence[FloatArray],
              end: Sequence[FloatArray], method: str = "polar"
              ) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Contributions of each factor to ``f(*end) - f(*start)``.

    Parameters
    ----------
    f : callable
        ``f(*factors) -> ndarray`` (any function; evaluated on mixes of start
        and end values).
    start, end : sequence of ndarray
        The ``k`` factors at the start and at the end.
    method : {"polar", "shapley"}
        Average of the two polar decompositions (Dietzenbacher & Los 1998) or of
        all orderings (Shapley).

    Returns
    -------
    contributions : ndarray, shape (k, *f.shape)
        Row ``i`` is factor ``i``'s contribution; rows add up to ``f1 - f0``.
    f0, f1 : ndarray
        ``f`` at the start and at the end.

    >>> f = lambda a, b, c: a * b * c
    >>> s, e = [np.array([1.0])] * 3, [np.array([2.0]), np.array([3.0]), np.array([4.0])]
    >>> p, f0, f1 = decompose(f, s, e)
    >>> sh, _, _ = decompose(f, s, e, method="shapley")
    >>> float(p.sum()), float(sh.sum()), float(f1[0] - f0[0])
    (23.0, 23.0, 23.0)
    """
    k = len(start)
    if len(end) != k or k == 0:
        raise ValueError(f"start has {k} factors and end {len(end)}; both need the same, "
                         "at least one")
    if method not in METHODS:
        raise ValueError(f"unknown SDA method {method!r}; valid: {', '.join(METHODS)}")
    cache: dict[frozenset[int], FloatArray] = {}

    def at(changed: frozenset[int]) -> FloatArray:
        if changed not in cache:
            args = [end[i] if i in changed else start[i] for i in range(k)]
            cache[changed] = np.asarray(f(*args), dtype=float)
        return cache[changed]

    f0, f1 = at(frozenset()), at(frozenset(range(k)))
    out = np.zeros((k, *f0.shape))
    if method == "polar":
        for order in (list(range(k)), list(range(k))[::-1]):
            done: frozenset[int] = frozenset()
            for i in order:
                after = done | {i}
                out[i] += 0.5 * (at(after) - at(done))
                done = after
        return out, f0, f1
    for i in range(k):
        others = [j for j in range(k) if j != i]
        for size in range(k):
            weight = math.factorial(size) * math.factorial(k - size - 1) / math.factorial(k)
            for subset in combinations(others, size):
                s = frozenset(subset)
                out[i] += weight * (at(s | {i}) - at(s))
    return out, f0, f1


# ------------------------------------------------------------------------ factors
def split_final_demand(Yc: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    """``(level, destination_mix, product_mix)`` with ``Yc[i, r] = level * d[r] * P[i, r]``.

    Destinations with no final demand get ``d_r = 0`` and ``P[:, r] = 0``.

    >>> lv, d, P = split_final_demand(np.array([[1.0, 2.0], [3.0, 2.0]]))
    >>> lv, d, P
    (array([8.]), array([0.5, 0.5]), array([[0.25, 0.5 ],
           [0.75, 0.5 ]]))
    >>> combine_final_demand(lv, d, P)
    array([[1., 2.],
           [3., 2.]])
    """
    col = Yc.sum(axis=0)
    total = float(col.sum())
    level = np.array([total])
    d = col / total if total != 0 else np.zeros_like(col)
    safe = np.where(col == 0, 1.0, col)
    P = np.where(col[None, :] == 0, 0.0, Yc / safe[None, :])
    return level, d, P


def combine_final_demand(level: FloatArray, d: FloatArray, P: FloatArray) -> FloatArray:
    """Inverse of :func:`split_final_demand`."""
    return np.asarray(float(level[0]) * d[None, :] * P)


def split_coefficients(A: FloatArray, G: int, N: int) -> tuple[FloatArray, FloatArray]:
    """``(T, S)``: technology ``(N, G*N)`` and sourcing ``(G*N, G*N)``, ``A = S # T[product]``.

    ``T[n, j]`` sums industry ``j``'s input coefficients of product ``n`` over
    origin countries; ``S`` holds each origin's share (0 where ``T`` is 0).

    >>> A = np.array([[0.1, 0.2], [0.3, 0.0]])   # G = 2 countries, N = 1 sector
    >>> T, S = split_coefficients(A, 2, 1)
    >>> T
    array([[0.4, 0.2]])
    >>> np.allclose(combine_coefficients(T, S, 2, 1), A)
    True
    """
    T = A.reshape(G, N, G * N).sum(axis=0)
    tiled = np.tile(T, (G, 1))
    S = np.where(tiled == 0, 0.0, A / np.where(tiled == 0, 1.0, tiled))
    return T, S


def combine_coefficients(T: FloatArray, S: FloatArray, G: int, N: int) -> FloatArray:
    """Inverse of :func:`split_coefficients`: ``A = S # tile(T)``."""
    return np.asarray(S * np.tile(T, (G, 1)))


# ------------------------------------------------------------------------ measures
@dataclass(frozen=True)
class System:
    """What every SDA measure reads: ``A``, ``v``, ``Yc`` and the factored ``I - A``."""

    A: FloatArray
    v: FloatArray
    Yc: FloatArray
    solver: LeontiefSolver
    G: int
    N: int

    def exports(self) -> tuple[FloatArray, FloatArray]:
        """``(ESR, E)``: bilateral gross exports ``(G*N, G)`` and totals, with ``x = B y``."""
        x = self.solver.solve(self.Yc.sum(axis=1))
        G, N = self.G, self.N
        Zc = (self.A * x[None, :]).reshape(G * N, G, N).sum(axis=2)
        own = country_column_mask(G, N)
        ESR = np.where(own, 0.0, Zc + self.Yc)
        return ESR, ESR.sum(axis=1)

    def origin(self) -> FloatArray:
        """``W = Vc B`` ``(G, G*N)``: value added of each country per unit of output of j."""
        Vc = np.where(country_column_mask(self.G, self.N).T, self.v[None, :], 0.0)
        return np.asarray(self.solver.solve_left(Vc))


def _dva_parts(s: System, level: str) -> tuple[FloatArray, FloatArray]:
    """Domestic value added in gross exports (KWW T1-T6, BM DC) and gross exports."""
    W = s.origin()
    ESR, E = s.exports()
    c = country_index(s.G, s.N)
    dom = W[c, np.arange(s.G * s.N)]  # V_s B_ss column sums for j in s
    if level == "country":
        return sum_by_country(dom * E, s.G, s.N), sum_by_country(E, s.G, s.N)
    if level == "sector":
        return dom * E, E
    return sum_by_country(dom[:, None] * ESR, s.G, s.N), sum_by_country(ESR, s.G, s.N)


def _dva(s: System, level: str) -> FloatArray:
    return _dva_parts(s, level)[0].ravel()


def _dva_share(s: System, level: str) -> FloatArray:
    num, den = _dva_parts(s, level)
    return safe_ratio(num, den).ravel()


def _fva_share(s: System, level: str) -> FloatArray:
    num, den = _dva_parts(s, level)
    return safe_ratio(den - num, den).ravel()


def _vby(s: System) -> FloatArray:
    """Country-aggregated ``V B Y`` ``(G*N, G)`` by value-added origin industry."""
    return np.asarray(s.v[:, None] * s.solver.solve(s.Yc))


def _vax(s: System, level: str) -> FloatArray:
    VBY = _vby(s)
    own = country_column_mask(s.G, s.N)
    if level == "sector":
        return np.where(own, 0.0, VBY).sum(axis=1)
    M = sum_by_country(VBY, s.G, s.N)
    if level == "country":
        return M.sum(axis=1) - np.diag(M)
    return M.ravel()


def _va_destination(s: System, level: str) -> FloatArray:
    M = sum_by_country(_vby(s), s.G, s.N)
    return M.sum(axis=1) if level == "country" else M.ravel()


def _participation(s: System, level: str) -> FloatArray:
    """Koopman et al. (2010) participation ``(IV + FV) / E`` (IV = VS1), by country."""
    W = s.origin()
    _, E = s.exports()
    G, N = s.G, s.N
    c = country_index(G, N)
    foreign_col = c[None, :] != np.arange(G)[:, None]  # (G, GN): j outside country g
    IV = (W * foreign_col * E[None, :]).sum(axis=1)
    dom = W[c, np.arange(G * N)]
    colsum = W.sum(axis=0)
    FV = sum_by_country((colsum - dom) * E, G, N)
    return safe_ratio(IV + FV, sum_by_country(E, G, N))


#: SDA measures: name -> (function(system, level), levels, description).
MEASURES: dict[str, tuple[Callable[[System, str], FloatArray], tuple[str, ...], str]] = {
    "dva": (_dva, LEVELS, "domestic value added in gross exports (KWW T1-T6, BM DC)"),
    "dva_share": (_dva_share, LEVELS, "domestic value-added share of gross exports "
                  "(TiVA EXGR_DVASH)"),
    "fva_share": (_fva_share, LEVELS, "foreign value-added share of gross exports "
                  "(vertical specialisation, TiVA EXGR_FVASH)"),
    "vax": (_vax, LEVELS, "value-added exports (Johnson & Noguera): by exporter, by "
            "value-added origin sector, or bilateral VAX_sr"),
    "va_destination": (_va_destination, ("bilateral", "country"), "value added of each "
                       "country by country of final absorption, domestic included (V B Y); "
                       "country: GDP"),
    "participation": (_participation, ("country",), "GVC participation (IV + FV) / E, "
                      "Koopman et al. 2010 with IV = VS1"),
}


def sda_tables(measure: str, level: str, start: tuple[FloatArray, FloatArray, FloatArray],
               end: tuple[FloatArray, FloatArray, FloatArray], G: int, N: int, *,
               method: str = "polar", split_b: bool = True
               ) -> tuple[tuple[str, ...], FloatArray, FloatArray, FloatArray]:
    """SDA of ``measure`` at ``level`` between two systems given as ``(A, v, Yc)``.

    Returns ``(factors, contributions, m0, m1)`` with ``contributions`` of shape
    ``(len(factors), m)`` (the measure flattened: country; country x sector;
    exporter x partner, row-major).

    >>> rng = np.random.default_rng(0)
    >>> sys0 = (rng.uniform(0, .1, (6, 6)), rng.uniform(.3, .6, 6), rng.uniform(1, 5, (6, 3)))
    >>> sys1 = (rng.uniform(0, .1, (6, 6)), rng.uniform(.3, .6, 6), rng.uniform(1, 5, (6, 3)))
    >>> names, c, m0, m1 = sda_tables("dva_share", "country", sys0, sys1, 3, 2)
    >>> names
    ('v', 'technology', 'sourcing', 'level', 'destination_mix', 'product_mix')
    >>> bool(np.allclose(c.sum(axis=0), m1 - m0, rtol=0, atol=1e-14))
    True
    """
    if measure not in MEASURES:
        raise ValueError(f"unknown SDA measure {measure!r}; valid: {', '.join(MEASURES)}")
    fn, levels, _ = MEASURES[measure]
    if level not in levels:
        raise ValueError(f"SDA measure {measure!r} has no level {level!r}; levels: "
                         f"{', '.join(levels)}")
    solvers: dict[tuple[int, ...], LeontiefSolver] = {}

    def solver(key: tuple[int, ...], A: FloatArray) -> LeontiefSolver:
        if key not in solvers:  # the factors are the same objects on every call
            solvers[key] = LeontiefSolver.factor(A)
        return solvers[key]

    def factors(A: FloatArray, v: FloatArray, Yc: FloatArray) -> list[FloatArray]:
        lv, d, P = split_final_demand(Yc)
        if split_b:
            T, S = split_coefficients(A, G, N)
            return [v, T, S, lv, d, P]
        return [v, A, lv, d, P]

    def f(*args: FloatArray) -> FloatArray:
        key: tuple[int, ...]
        if split_b:
            v, T, S, lv, d, P = args
            A, key = combine_coefficients(T, S, G, N), (id(T), id(S))
        else:
            v, A, lv, d, P = args
            key = (id(A),)
        Yc = combine_final_demand(lv, d, P)
        return fn(System(A, v, Yc, solver(key, A), G, N), level)

    contributions, m0, m1 = decompose(f, factors(*start), factors(*end), method)
    return (FACTORS_SPLIT if split_b else FACTORS), contributions, m0, m1
