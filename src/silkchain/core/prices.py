"""The Leontief price model with ad-valorem cost wedges on flows (tariffs, transport costs).

In the price (cost-push) model every industry's unit price covers its unit
input costs and its value added per unit of output (Miller & Blair 2009, §2.6,
eq. 2.30-2.32):

``p_j = sum_i a_ij p_i + v_j``, i.e. ``p' = v' (I - A)^-1``,

so with residual value added the base prices are all 1 (METHODS.md §1, B2).
A tariff or a transport cost at rate ``w_ij`` on the flow from industry ``i``
to industry ``j`` raises the cost of that input to ``(1 + w_ij) p_i``:

``p' = (v + dv)' (I - A # (1 + W))^-1``.

Wedges on final-demand flows do not change producer prices; they raise the
price of the final-demand basket of the buying country (:func:`basket_prices`).
Quantities (the coefficients and final demand) are held fixed: this is the
dual of the quantity model, not a model of substitution.

References
----------
.. [1] Miller, R. E. & Blair, P. D. (2009). *Input-Output Analysis*, 2nd ed.,
   Cambridge University Press, §2.6 (the price model, eq. 2.30-2.32) and §2.6.3
   (cost-push price changes).
.. [2] Leontief, W. (1951). *The Structure of American Economy, 1919-1939*,
   2nd ed., Oxford University Press (the price system as the dual of the
   quantity system).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from silkchain.core.blocks import FloatArray, aggregate_final_demand, country_index
from silkchain.core.leontief import LeontiefSolver

__all__ = ["basket_prices", "flow_wedges", "producer_prices"]


def producer_prices(
    A: FloatArray,
    v: FloatArray,
    wedge: FloatArray | None = None,
    dv: FloatArray | None = None,
) -> FloatArray:
    """Unit prices ``p' = (v + dv)' (I - A # (1 + W))^-1`` (Miller & Blair 2009, eq. 2.32).

    Parameters
    ----------
    A : ndarray, shape (n, n)
        Input coefficients.
    v : ndarray, shape (n,)
        Value added per unit of output (base prices are 1 when ``v`` is the
        residual ``1 - u'A``).
    wedge : ndarray, shape (n, n), optional
        Ad-valorem rate on each intermediate flow ``i -> j`` (0.1 = 10 %).
    dv : ndarray, shape (n,), optional
        Exogenous change of value added per unit of output (wages, taxes).

    Returns
    -------
    ndarray, shape (n,)
        New unit prices; ``p - 1`` is the relative price change.

    References
    ----------
    .. [1] Miller & Blair (2009), §2.6, eq. (2.30)-(2.32).

    Examples
    --------
    >>> A = np.array([[0.15, 0.25], [0.20, 0.05]])   # Miller & Blair (2009), Table 2.3
    >>> v = 1 - A.sum(axis=0)
    >>> producer_prices(A, v).round(12)
    array([1., 1.])
    >>> W = np.array([[0.0, 0.10], [0.0, 0.0]])      # 10 % on sector 1's sales to sector 2
    >>> producer_prices(A, v, W).round(6)
    array([1.006645, 1.028239])
    """
    A = np.asarray(A, dtype=float)
    cost = np.asarray(v, dtype=float) if dv is None else np.asarray(v, float) + np.asarray(dv)
    At = A if wedge is None else A * (1.0 + np.asarray(wedge, dtype=float))
    solver = LeontiefSolver.factor(At, what="I - A#(1+W) (price model)")
    return solver.solve_left(cost)


def flow_wedges(
    G: int,
    N: int,
    K: int,
    rate: float,
    *,
    origins: Sequence[int],
    destinations: Sequence[int],
    sectors: Sequence[int] | None = None,
    intermediate: bool = True,
    final: bool = True,
) -> tuple[FloatArray, FloatArray]:
    """Ad-valorem wedges on the flows from ``origins`` to ``destinations``.

    Parameters
    ----------
    G, N, K : int
        Countries, sectors, final-demand categories per country.
    rate : float
        The tariff or cost rate (0.25 = 25 %).
    origins, destinations : sequence of int
        Exporting and importing countries; flows within a country are never
        taxed (an origin that is also a destination only taxes its exports to
        the other destinations).
    sectors : sequence of int, optional
        Products (supplying sectors) taxed; default all.
    intermediate, final : bool
        Tax intermediate flows (into ``A``) and final-demand flows.

    Returns
    -------
    W : ndarray, shape (G*N, G*N)
        Wedges on intermediate flows.
    Wf : ndarray, shape (G*N, G*K)
        Wedges on final-demand flows.

    Examples
    --------
    >>> W, Wf = flow_wedges(2, 1, 1, 0.25, origins=[0], destinations=[1])
    >>> W
    array([[0.  , 0.25],
           [0.  , 0.  ]])
    """
    c = country_index(G, N)
    rows = np.isin(c, list(origins))
    if sectors is not None:
        rows &= np.isin(np.tile(np.arange(N), G), list(sectors))
    dest = np.isin(np.arange(G), list(destinations))
    cols = dest[c]
    own = c[:, None] == c[None, :]
    W = np.where(rows[:, None] & cols[None, :] & ~own, rate, 0.0) if intermediate \
        else np.zeros((G * N, G * N))
    fd_country = np.repeat(np.arange(G), K)
    own_fd = c[:, None] == fd_country[None, :]
    Wf = np.where(rows[:, None] & dest[fd_country][None, :] & ~own_fd, rate, 0.0) if final \
        else np.zeros((G * N, G * K))
    return W, Wf


def basket_prices(p: FloatArray, Y: FloatArray, G: int,
                  wedge: FloatArray | None = None) -> FloatArray:
    """Price index of each country's final-demand basket at base-year quantities (Laspeyres).

    ``P_r = sum_i p_i (1 + w_ir) y_ir / sum_i y_ir``, with ``y_ir`` the final
    demand of country ``r`` (all categories) for the output of ``i``.

    Parameters
    ----------
    p : ndarray, shape (G*N,)
        Producer prices (:func:`producer_prices`).
    Y : ndarray, shape (G*N, G*K)
        Final demand.
    G : int
        Countries.
    wedge : ndarray, shape (G*N, G*K), optional
        Wedges on final-demand flows.

    Examples
    --------
    >>> basket_prices(np.array([1.0, 1.1]), np.array([[30.0, 0.0], [10.0, 50.0]]), 2).round(4)
    array([1.025, 1.1  ])
    """
    Y = np.asarray(Y, dtype=float)
    paid = np.asarray(p, dtype=float)[:, None] * Y
    if wedge is not None:
        paid = paid * (1.0 + np.asarray(wedge, dtype=float))
    num = aggregate_final_demand(paid, G).sum(axis=0)
    den = aggregate_final_demand(Y, G).sum(axis=0)
    return np.divide(num, den, out=np.ones(G), where=den != 0)
