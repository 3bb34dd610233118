"""Hypothetical extraction on ndarrays: what is lost when links of the world economy are cut.

The hypothetical extraction method (HEM) sets some input coefficients and
final-demand cells to zero, solves the Leontief model again and compares gross
output and value added with the actual ones. Three forms are provided:

* **exports** of a country (Los, Timmer & de Vries 2016): every sale of country
  ``s`` to another country, intermediate (``A_sr``) and final (``Y_sr``), is
  removed; ``Delta GDP_s = V_s L_ss E_s*`` (the Borin-Mancini DVA) and
  ``sum_{u != s} Delta GDP_u`` is the Borin-Mancini FVA (METHODS.md §7);
* **complete** extraction of a set of industries ``J`` (a sector, in one or in
  every country): rows and columns of ``J`` in ``A`` and its final demand are
  removed (Miller & Lahr 2001; Miller & Blair 2009, §12.2.1);
* **backward** or **forward** links only (Dietzenbacher & van der Linden 1997):
  ``A[i, j] := 0`` for ``i`` outside and ``j`` inside ``J`` (``J`` buys no
  inputs from outside ``J``) or for ``i`` inside and ``j`` outside ``J``
  (nobody outside ``J`` buys inputs from ``J``); final demand is kept.

Everything here is in the quantity model with fixed value-added coefficients:
``x* = (I - A*)^-1 y*`` and ``GDP*_i = v_i x*_i``.

References
----------
.. [1] Los, B., Timmer, M. P. & de Vries, G. J. (2016). Tracing Value-Added and
   Double Counting in Gross Exports: Comment. *American Economic Review*
   106(7): 1958-1966, eq. (2)-(4).
.. [2] Miller, R. E. & Lahr, M. L. (2001). A taxonomy of extractions. In
   Lahr & Miller (eds.), *Regional Science Perspectives in Economic Analysis*,
   Elsevier, 407-441.
.. [3] Dietzenbacher, E. & van der Linden, J. A. (1997). Sectoral and spatial
   linkages in the EC production structure. *Journal of Regional Science*
   37(2): 235-257.
.. [4] Miller, R. E. & Blair, P. D. (2009). *Input-Output Analysis*, 2nd ed.,
   Cambridge University Press, §12.2 (hypothetical extraction).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from silkchain.core.blocks import BoolArray, FloatArray, country_index, sum_by_country
from silkchain.core.leontief import LeontiefSolver

__all__ = [
    "ExtractionResult",
    "export_masks",
    "extract",
    "extract_exports",
    "extract_industries",
    "extraction_gdp_matrix",
    "industry_masks",
]

Links = Literal["all", "backward", "forward"]


@dataclass(frozen=True)
class ExtractionResult:
    """Outcome of one hypothetical extraction.

    Attributes
    ----------
    A, Y : ndarray
        The coefficients ``A*`` ``(G*N, G*N)`` and final demand ``Y*``
        ``(G*N, G*K)`` of the hypothetical economy.
    x : ndarray, shape (G*N,)
        Hypothetical gross output ``x* = (I - A*)^-1 Y* u``.
    dx : ndarray, shape (G*N,)
        Output lost, ``x - x*``.
    dgdp : ndarray, shape (G*N,)
        Value added lost by industry, ``v # (x - x*)``.
    dgdp_country : ndarray, shape (G,)
        Value added lost by country (``Delta GDP_u`` of Los et al. 2016).
    """

    A: FloatArray
    Y: FloatArray
    x: FloatArray
    dx: FloatArray
    dgdp: FloatArray
    dgdp_country: FloatArray


def _as_index(items: int | Sequence[int] | None, size: int, what: str) -> NDArray[np.intp]:
    if items is None:
        return np.arange(size)
    arr = np.atleast_1d(np.asarray(items, dtype=np.intp))
    bad = arr[(arr < 0) | (arr >= size)]
    if bad.size:
        raise IndexError(f"{what} index {int(bad[0])} is out of range 0..{size - 1}")
    return np.unique(arr)


def export_masks(
    G: int,
    N: int,
    K: int,
    country: int,
    *,
    partners: Sequence[int] | None = None,
    sectors: Sequence[int] | None = None,
) -> tuple[BoolArray, BoolArray]:
    """Cells of ``A`` and ``Y`` that hold the exports of ``country``.

    Parameters
    ----------
    G, N, K : int
        Countries, sectors, final-demand categories per country.
    country : int
        Position of the exporting country ``s``.
    partners : sequence of int, optional
        Importing countries whose purchases are cut (default: every ``r != s``).
    sectors : sequence of int, optional
        Exporting sectors of ``s`` (default: all).

    Returns
    -------
    maskA : bool ndarray, shape (G*N, G*N)
        ``A_sr`` blocks (rows of ``s``'s sectors, columns of partner countries).
    maskY : bool ndarray, shape (G*N, G*K)
        ``Y_sr`` cells (every category of each partner).

    Examples
    --------
    >>> mA, mY = export_masks(2, 1, 1, 0)
    >>> mA.astype(int)
    array([[0, 1],
           [0, 0]])
    >>> mY.astype(int)
    array([[0, 1],
           [0, 0]])
    """
    s = int(_as_index(country, G, "country")[0])
    rows = np.zeros(G * N, dtype=bool)
    rows[s * N + _as_index(sectors, N, "sector")] = True
    part = np.zeros(G, dtype=bool)
    part[_as_index(partners, G, "partner")] = True
    part[s] = False
    cols = np.repeat(part, N)
    fd_cols = np.repeat(part, K)
    return rows[:, None] & cols[None, :], rows[:, None] & fd_cols[None, :]


def industry_masks(
    members: BoolArray, K: int, G: int, links: Links = "all"
) -> tuple[BoolArray, BoolArray]:
    """Cells of ``A`` and ``Y`` removed when the industries ``J`` are extracted.

    Parameters
    ----------
    members : bool ndarray, shape (G*N,)
        True for the industries of ``J``.
    K, G : int
        Final-demand categories per country and number of countries.
    links : {"all", "backward", "forward"}
        ``"all"``: rows and columns of ``J`` in ``A`` and the final demand for
        ``J``'s output (complete extraction, Miller & Lahr 2001);
        ``"backward"``: ``A[i, j]`` with ``i`` outside and ``j`` inside ``J``;
        ``"forward"``: ``A[i, j]`` with ``i`` inside and ``j`` outside ``J``
        (Dietzenbacher & van der Linden 1997). Final demand is kept for the two
        partial extractions.

    Examples
    --------
    >>> mA, mY = industry_masks(np.array([True, False]), 1, 2, "backward")
    >>> mA.astype(int)
    array([[0, 0],
           [1, 0]])
    >>> bool(mY.any())
    False
    """
    J = np.asarray(members, dtype=bool)
    n = J.size
    if links == "all":
        maskA = J[:, None] | J[None, :]
        maskY = np.repeat(J[:, None], G * K, axis=1)
    elif links == "backward":
        maskA = (~J)[:, None] & J[None, :]
        maskY = np.zeros((n, G * K), dtype=bool)
    elif links == "forward":
        maskA = J[:, None] & (~J)[None, :]
        maskY = np.zeros((n, G * K), dtype=bool)
    else:
        raise ValueError(f"links must be 'all', 'backward' or 'forward', got {links!r}")
    return maskA, maskY


def extract(
    A: FloatArray,
    Y: FloatArray,
    v: FloatArray,
    G: int,
    N: int,
    maskA: BoolArray,
    maskY: BoolArray,
    *,
    x: FloatArray | None = None,
) -> ExtractionResult:
    """Zero the masked cells of ``A`` and ``Y``, solve again and measure the loss.

    Parameters
    ----------
    A : ndarray, shape (G*N, G*N)
        Input coefficients.
    Y : ndarray, shape (G*N, G*K)
        Final demand (any number of categories per country).
    v : ndarray, shape (G*N,)
        Value-added coefficients (residual value added over output).
    G, N : int
        Countries and sectors.
    maskA, maskY : bool ndarray
        Cells to remove (see :func:`export_masks`, :func:`industry_masks`).
    x : ndarray, shape (G*N,), optional
        Actual gross output; by default ``(I - A)^-1 Y u``.

    Returns
    -------
    ExtractionResult

    References
    ----------
    .. [1] Los, Timmer & de Vries (2016), AER 106(7), eq. (2)-(4).
    .. [2] Miller & Blair (2009), §12.2.

    Examples
    --------
    Two one-sector countries; extracting country 0's exports:

    >>> A = np.array([[0.1, 0.2], [0.3, 0.1]]); Y = np.array([[50.0, 20.0], [10.0, 60.0]])
    >>> v = 1 - A.sum(axis=0)
    >>> mA, mY = export_masks(2, 1, 1, 0)
    >>> r = extract(A, Y, v, 2, 1, mA, mY)
    >>> r.dgdp_country.round(4)
    array([28.2667, 10.9926])
    """
    A = np.asarray(A, dtype=float)
    Y = np.asarray(Y, dtype=float)
    v = np.asarray(v, dtype=float)
    if x is None:
        x = LeontiefSolver.factor(A).solve(Y.sum(axis=1))
    A_star = np.where(maskA, 0.0, A)
    Y_star = np.where(maskY, 0.0, Y)
    x_star = LeontiefSolver.factor(A_star, what="I - A* (hypothetical extraction)").solve(
        Y_star.sum(axis=1))
    dx = np.asarray(x, dtype=float) - x_star
    dgdp = v * dx
    return ExtractionResult(A=A_star, Y=Y_star, x=x_star, dx=dx, dgdp=dgdp,
                            dgdp_country=sum_by_country(dgdp, G, N))


def extract_exports(
    A: FloatArray,
    Y: FloatArray,
    v: FloatArray,
    G: int,
    N: int,
    country: int,
    *,
    partners: Sequence[int] | None = None,
    sectors: Sequence[int] | None = None,
    x: FloatArray | None = None,
) -> ExtractionResult:
    """Los, Timmer & de Vries (2016) extraction of a country's exports.

    Sets ``A_sr := 0`` and ``Y_sr := 0`` for every partner ``r != s`` (or the
    ``partners`` given, and only the exporting ``sectors`` given). With all
    partners and sectors, ``dgdp_country[s] = V_s L_ss E_s*`` (the Borin-Mancini
    DVA, KWW terms 1-5) and the other countries' losses sum to the
    Borin-Mancini FVA (METHODS.md §7).

    References
    ----------
    .. [1] Los, B., Timmer, M. P. & de Vries, G. J. (2016), AER 106(7):
       1958-1966, eq. (4): ``DVA_s = GDP_s - GDP_s*``.

    Examples
    --------
    >>> A = np.array([[0.1, 0.2], [0.3, 0.1]]); Y = np.array([[50.0, 20.0], [10.0, 60.0]])
    >>> v = 1 - A.sum(axis=0)
    >>> r = extract_exports(A, Y, v, 2, 1, 0)
    >>> x = np.linalg.solve(np.eye(2) - A, Y.sum(axis=1))
    >>> E0 = A[0, 1] * x[1] + Y[0, 1]                  # gross exports of country 0
    >>> bool(np.isclose(r.dgdp_country[0], v[0] / (1 - A[0, 0]) * E0))   # V_s L_ss E_s*
    True
    """
    K = np.asarray(Y).shape[1] // G
    maskA, maskY = export_masks(G, N, K, country, partners=partners, sectors=sectors)
    return extract(A, Y, v, G, N, maskA, maskY, x=x)


def extract_industries(
    A: FloatArray,
    Y: FloatArray,
    v: FloatArray,
    G: int,
    N: int,
    *,
    countries: Sequence[int] | None = None,
    sectors: Sequence[int] | None = None,
    links: Links = "all",
    x: FloatArray | None = None,
) -> ExtractionResult:
    """Extract the industries ``J`` = ``sectors`` x ``countries`` (all, backward or forward).

    ``countries=None`` means every country (a sector of the world economy);
    ``sectors=None`` means every sector (a whole country: ``"backward"`` then
    cuts the country's purchases of foreign inputs, ``"forward"`` its sales of
    intermediates abroad).

    References
    ----------
    .. [1] Miller & Lahr (2001), complete extraction; Miller & Blair (2009), §12.2.1.
    .. [2] Dietzenbacher & van der Linden (1997), J. Regional Science 37(2),
       backward and forward extraction, eq. (4)-(7).

    Examples
    --------
    >>> A = np.array([[0.1, 0.2], [0.3, 0.1]]); Y = np.array([[50.0, 20.0], [10.0, 60.0]])
    >>> v = 1 - A.sum(axis=0)
    >>> r = extract_industries(A, Y, v, 2, 1, countries=[1])   # remove country 1 entirely
    >>> r.x.round(4)
    array([77.7778,  0.    ])
    """
    K = np.asarray(Y).shape[1] // G
    cidx = _as_index(countries, G, "country")
    sidx = _as_index(sectors, N, "sector")
    members = np.isin(country_index(G, N), cidx) & np.isin(np.tile(np.arange(N), G), sidx)
    maskA, maskY = industry_masks(members, K, G, links)
    return extract(A, Y, v, G, N, maskA, maskY, x=x)


def extraction_gdp_matrix(A: FloatArray, Y: FloatArray, v: FloatArray, G: int,
                          N: int) -> FloatArray:
    """``Delta GDP[s, u]``: value added lost by ``u`` when all exports of ``s`` are extracted.

    The layout of ``vectors.json`` ``indicators.hypothetical_extraction_dGDP``
    (METHODS.md §13). The diagonal is the Borin-Mancini DVA; the off-diagonal
    row sums are the Borin-Mancini FVA (METHODS.md §7). One LU factorisation per
    exporting country.

    References
    ----------
    .. [1] Los, Timmer & de Vries (2016), AER 106(7), Table 1 (by country).
    """
    A = np.asarray(A, dtype=float)
    Y = np.asarray(Y, dtype=float)
    x = LeontiefSolver.factor(A).solve(Y.sum(axis=1))
    out = np.empty((G, G))
    for s in range(G):
        out[s] = extract_exports(A, Y, v, G, N, s, x=x).dgdp_country
    return out
