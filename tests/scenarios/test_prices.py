"""The Leontief price model with cost wedges (Miller & Blair 2009, §2.6)."""

from __future__ import annotations

import numpy as np
from numpy.testing import assert_allclose

from silkchain.core.prices import basket_prices, flow_wedges, producer_prices
from silkchain.scenarios import run


def test_base_prices_are_one(reftable):
    t, _ = reftable
    assert_allclose(producer_prices(t.A, t.v), 1.0, rtol=1e-12)


def test_wedge_matches_explicit_dual(random43):
    t = random43
    W, _ = flow_wedges(t.G, t.N, t.K, 0.2, origins=[0], destinations=[1, 2], sectors=[1])
    p = producer_prices(t.A, t.v, W)
    At = t.A * (1 + W)
    assert_allclose(p, t.v @ np.linalg.inv(np.eye(t.n) - At), rtol=1e-12)
    assert_allclose(p @ (np.eye(t.n) - At), t.v, atol=1e-12)  # p_j = sum_i a_ij(1+w) p_i + v_j
    assert (p >= 1 - 1e-12).all() and p.max() > 1
    # only country 0's sector 1 sales to countries 1 and 2 are taxed
    assert np.flatnonzero(W.any(axis=1)).tolist() == [1]
    assert set(np.flatnonzero(W[1]) // t.N) == {1, 2}


def test_value_added_shock(leather):
    t = leather
    dv = np.zeros(t.n)
    dv[0] = 0.1
    p = producer_prices(t.A, t.v, dv=dv)
    assert_allclose(p - 1, dv @ np.linalg.inv(np.eye(t.n) - t.A), rtol=1e-12)


def test_domestic_flows_are_never_taxed():
    W, Wf = flow_wedges(2, 2, 1, 0.3, origins=[0, 1], destinations=[0, 1])
    own = np.repeat(np.arange(2), 2)
    assert (W[own[:, None] == own[None, :]] == 0).all()
    assert (Wf[own[:, None] == np.arange(2)[None, :]] == 0).all()
    W, Wf = flow_wedges(2, 2, 1, 0.3, origins=[0], destinations=[1], final=False)
    assert not Wf.any() and W.any()


def test_basket_prices():
    Y = np.array([[30.0, 0.0], [10.0, 50.0]])
    assert_allclose(basket_prices(np.ones(2), Y, 2), 1.0)
    Wf = np.array([[0.0, 0.0], [0.5, 0.0]])
    assert_allclose(basket_prices(np.ones(2), Y, 2, Wf), [1.125, 1.0])


def test_tariff_scenario_prices(leather):
    res = run({"steps": [{"cost": {"from": "Germany", "to": "Turkey", "rate": 0.25}}]},
              leather, measures=["gdp"])
    assert res.table is res.baseline  # quantities do not move
    c = res.comparison
    assert (c[c.measure == "gdp"].delta == 0).all()
    price = c[c.measure == "price"].set_index(["country", "sector"])["scenario"]
    W, _Wf = flow_wedges(3, 3, 1, 0.25, origins=[2], destinations=[1])
    assert_allclose(price.to_numpy(), producer_prices(leather.A, leather.v, W), rtol=1e-12)
    assert price["Turkey"].min() > price["Germany"].max() > 1  # feedback reaches Germany
    basket = c[c.measure == "final_demand_price"].set_index("country")["scenario"]
    assert basket["Turkey"] > basket["Argentina"] >= 1.0


def test_cost_steps_compound(leather):
    one = run({"steps": [{"cost": {"from": "Germany", "to": "Turkey", "rate": 0.21}}]},
              leather, measures=["gdp"])
    two = run({"steps": [{"cost": {"from": "Germany", "to": "Turkey", "rate": 0.1}},
                         {"cost": {"from": "Germany", "to": "Turkey", "rate": 0.1,
                                   "kind": "transport"}}]}, leather, measures=["gdp"])
    assert_allclose(one.comparison.scenario, two.comparison.scenario, rtol=1e-12)
