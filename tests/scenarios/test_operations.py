"""Scenario operations: baseline reproduced bit for bit, conservation, the option semantics."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from silkchain.scenarios import ScenarioError, ScenarioSpecError, apply, run

FAST = ["gdp", "gross_output", "gross_exports"]


def _same_arrays(a, b):
    return all(np.array_equal(getattr(a, k), getattr(b, k)) for k in ("Z", "Y", "x", "V"))


def test_empty_scenario_reproduces_baseline_bit_for_bit(reftable):
    t, _ = reftable
    assert apply(t, {"steps": []}) is t
    res = run({"steps": []}, t)
    assert res.table is t
    c = res.comparison
    assert len(c) > 0 and set(c.columns) == {"country", "sector", "measure", "baseline",
                                             "scenario", "delta"}
    same = (c.baseline.to_numpy() == c.scenario.to_numpy()) | (c.baseline.isna() &
                                                                c.scenario.isna())
    assert same.all()
    assert ((c.delta == 0) | c.delta.isna()).all()


@pytest.mark.parametrize("step", [
    {"transfer": {"from": "Turkey", "to": "Germany", "sector": "Agriculture", "share": 0}},
    {"demand": {"destination": "Turkey", "change": 0}},
    {"demand": {"origin": "Turkey", "amount": 0}},
    {"sourcing": {"importer": "Turkey", "from": "Germany", "to": "domestic", "share": 0}},
])
def test_zero_shocks_reproduce_baseline(leather, step):
    assert apply(leather, {"steps": [step]}) is leather


def _transfer(t, **kw):
    body = {"from": t.labels.countries[0], "to": t.labels.countries[1],
            "sector": t.labels.sectors[0], "share": 0.3, **kw}
    return run({"steps": [{"transfer": body}]}, t, measures=FAST)


@pytest.mark.parametrize("options", [
    {},
    {"technology": "origin", "sourcing": "origin"},
    {"technology": "origin", "sourcing": "local"},
    {"technology": "blend", "blend": 0.25, "sourcing": {"usual": 0.5, "local": 0.5}},
])
def test_transfer_conserves_final_demand_and_moved_output(reftable, options):
    t, _ = reftable
    res = _transfer(t, **options)
    s = res.table
    a, b = 0, t.N  # sector 0 of countries 0 and 1
    assert_allclose(s.Y.sum(axis=0), t.Y.sum(axis=0), rtol=1e-12, atol=1e-9)
    tol = res.log[0]["ras"]["tol"]
    assert res.log[0]["ras"]["converged"] and res.log[0]["ras"]["max_gap"] <= tol
    assert abs(s.x[a] - 0.7 * t.x[a]) <= 2 * tol
    assert abs(s.x[b] - (t.x[b] + 0.3 * t.x[a])) <= 2 * tol
    assert res.log[0]["moved_output"] == pytest.approx(0.3 * t.x[a], rel=1e-12)
    # world GDP equals world final demand, which did not change
    assert s.va.sum() == pytest.approx(t.va.sum(), rel=1e-9)


def test_transfer_without_rebalancing_is_a_leontief_closure(random43):
    t = random43
    res = _transfer(t, conserve=["final_demand"], technology="origin", sourcing="local")
    assert "ras" not in res.log[0]
    s = res.table
    G, N, th = t.G, t.N, 0.3
    a, b = 0, N
    A1 = np.array(t.A)
    A1[b] += th * A1[a]
    A1[a] *= 1 - th
    Q = th * t.x[a]
    c_new = np.zeros(t.n)
    c_new[N:2 * N] = t.A[:, a].reshape(G, N).sum(axis=0)  # origin technology, local inputs
    A1[:, b] = (t.x[b] * A1[:, b] + Q * c_new) / (t.x[b] + Q)
    Y1 = np.array(t.Y)
    Y1[b] += th * Y1[a]
    Y1[a] *= 1 - th
    assert_allclose(s.A, A1, rtol=1e-9, atol=1e-13)
    assert_allclose(s.x, np.linalg.solve(np.eye(t.n) - A1, Y1.sum(axis=1)), rtol=1e-10)
    assert_allclose(s.Y, Y1, rtol=1e-12)


def test_sourcing_options_differ_as_they_should(random43):
    t = random43
    a_cty, b_cty = 0, 1
    res = {src: _transfer(t, technology="origin", sourcing=src).table
           for src in ("usual", "origin", "local")}
    by_country = {k: v.x.reshape(t.G, t.N).sum(axis=1) for k, v in res.items()}
    # sourcing from the origin keeps more output in the origin, local sourcing in the host
    assert by_country["origin"][a_cty] > by_country["usual"][a_cty]
    assert by_country["local"][b_cty] > by_country["usual"][b_cty]
    assert by_country["local"][b_cty] > by_country["origin"][b_cty]


def _tiny():
    """Two countries x two sectors; B's sector s1 is tiny and sells nothing to A's consumers."""
    from silkchain import MRIOTable

    Z = [[10, 2, 3, 0.1], [2, 5, 1, 0.1], [3, 1, 10, 0.1], [0.1, 0.1, 0.1, 0.1]]
    Y = [[70, 20], [30, 5], [10, 40], [0, 1.5]]
    return MRIOTable.from_arrays(Z, Y, ["A", "B"], ["s0", "s1"])


def test_freed_capacity_redeployed(random43):
    t = random43
    idle = _transfer(t).table
    red = _transfer(t, freed_capacity={"redeploy": t.labels.sectors[2], "share": 1.0}).table
    home = 2  # country 0, sector 2
    assert red.x[home] > idle.x[home]
    foreign = [g * t.N + 2 for g in range(1, t.G)]
    assert red.x[foreign].sum() < idle.x[foreign].sum()
    assert_allclose(red.Y.sum(axis=0), t.Y.sum(axis=0), rtol=1e-12)


def test_freed_capacity_cannot_exceed_foreign_sales():
    step = {"transfer": {"from": "A", "to": "B", "sector": "s0", "share": 1.0,
                         "freed_capacity": {"redeploy": "s1"}}}
    with pytest.raises(ScenarioSpecError, match=r"steps\[0\]\.transfer\.freed_capacity: "
                                                r"redeploying 105.1 into s1 needs more than all "
                                                r"foreign sales of that product \(1.9\)"):
        apply(_tiny(), {"steps": [step]})


def test_rebalancing_failure_is_reported(leather):
    body = {"from": "Turkey", "to": "Germany", "sector": "Agriculture", "share": 0.5,
            "tol": 1e-300}
    with pytest.raises(ScenarioError, match=r"steps\[0\]: rebalancing the table to the "
                                            r"conserved outputs failed: GRAS did not converge: "
                                            r"after 5000 iterations"):
        apply(leather, {"steps": [{"transfer": body}]})


def test_transfer_needs_destination_output_for_its_technology(leather):
    Z = np.array(leather.Z)
    Y = np.array(leather.Y)
    g = 2 * 3  # Germany/Agriculture produces nothing
    Z[g, :] = 0
    Y[g, :] = 0
    Z[:, g] = 0
    t = type(leather).from_arrays(Z, Y, leather.labels.countries, leather.labels.sectors)
    step = {"transfer": {"from": "Turkey", "to": "Germany", "sector": "Agriculture",
                         "share": 0.2}}
    with pytest.raises(ScenarioSpecError, match=r"steps\[0\]\.transfer\.technology: Germany "
                                                r"has no output in Agriculture"):
        apply(t, {"steps": [step]})
    step["transfer"]["technology"] = "origin"
    assert apply(t, {"steps": [step]}).x[g] > 0


def test_demand_shock(random43):
    t = random43
    res = run({"steps": [{"demand": {"destination": t.labels.countries[2],
                                     "category": "fd2", "change": 0.5}}]}, t, measures=FAST)
    s = res.table
    Y = np.array(t.Y)
    Y[:, 2 * t.K + 1] *= 1.5
    assert_allclose(s.Y, Y, rtol=1e-12)
    assert_allclose(s.x, t.solver.solve(Y.sum(axis=1)), rtol=1e-10)
    assert_allclose(s.A, t.A, rtol=1e-9, atol=1e-14)
    amt = run({"steps": [{"demand": {"origin": t.labels.countries[0],
                                     "sector": t.labels.sectors[:2], "amount": 25.0}}]}, t,
              measures=FAST)
    assert amt.table.Y.sum() - t.Y.sum() == pytest.approx(25.0, rel=1e-12)
    assert amt.log[0]["change_total"] == pytest.approx(25.0)


def test_demand_amount_needs_positive_selection():
    step = {"demand": {"origin": "B", "sector": "s1", "destination": "A", "amount": 10}}
    with pytest.raises(ScenarioSpecError, match=r"steps\[0\]\.demand\.amount: the selected "
                                                r"final demand sums to 0"):
        apply(_tiny(), {"steps": [step]})
    step["demand"]["change"] = step["demand"].pop("amount")
    assert apply(_tiny(), {"steps": [step]}).x.sum() == pytest.approx(_tiny().x.sum())


def test_sourcing_shift(random43):
    t = random43
    imp, frm, to = t.labels.countries[1], t.labels.countries[0], t.labels.countries[2]
    res = run({"steps": [{"sourcing": {"importer": imp, "from": frm, "to": to, "share": 0.4,
                                       "products": t.labels.sectors[1]}}]}, t, measures=FAST)
    s = res.table
    N = t.N
    cols = slice(N, 2 * N)
    # the importer's use of each product per unit of output is unchanged
    assert_allclose(s.A[:, cols].reshape(t.G, N, N).sum(axis=0),
                    t.A[:, cols].reshape(t.G, N, N).sum(axis=0), rtol=1e-10)
    assert_allclose(s.A[1, cols], 0.6 * t.A[1, cols], rtol=1e-10)
    assert_allclose(s.A[2 * N + 1, cols], t.A[2 * N + 1, cols] + 0.4 * t.A[1, cols], rtol=1e-10)
    assert s.Y[1, t.K:2 * t.K].sum() == pytest.approx(0.6 * t.Y[1, t.K:2 * t.K].sum())
    home = run({"steps": [{"sourcing": {"importer": imp, "from": frm, "to": "domestic",
                                        "share": 1.0, "final": False}}]}, t, measures=FAST)
    h = home.table
    assert_allclose(h.A[0:N, cols], 0, atol=1e-15)
    assert_allclose(h.Y[:, t.K:2 * t.K], t.Y[:, t.K:2 * t.K], rtol=1e-12)


def test_steps_chain_and_the_spec_travels_with_the_table(leather):
    spec = {"steps": [
        {"transfer": {"from": "Turkey", "to": "Argentina", "sector": "Textile_and_Leather",
                      "share": 0.2}},
        {"extract": {"what": "exports", "country": "Germany", "partners": ["Turkey"]}},
        {"cost": {"from": "Argentina", "to": "Germany", "rate": 0.1}},
    ]}
    res = run(spec, leather, measures=FAST)
    assert [e["op"] for e in res.log] == ["transfer", "extract", "cost"]
    assert res.table.meta["scenario_sha256"] == res.sha256 == res.scenario.sha256
    assert "steps[0]: transfer" in res.table.meta["scenario_steps"]
    assert res.table.meta["derived_from"] == "leather"
    # the second step worked on the first step's table
    one = apply(leather, {"steps": spec["steps"][:1]})
    two = apply(one, {"steps": spec["steps"][1:2]})
    assert_allclose(two.Z, res.table.Z, rtol=1e-12)
    rec = res.record()
    assert rec["sha256"] == res.sha256 and rec["scenario"]["steps"][2]["cost"]["rate"] == 0.1


def test_negative_output_is_booked_and_logged(wiod2011):
    res = run({"steps": [{"extract": {"what": "exports", "country": "DEU"}}]}, wiod2011,
              measures=["gdp"])
    entry = res.log[0]
    assert entry["negative_output"]["DEU/c5"] < 0
    assert res.table.x[res.table.labels.industries().index("DEU/c5")] == 0.0
    assert (res.table.x >= -1.0).all()


@pytest.mark.slow
def test_transfer_on_wiod_conserves(wiod2011):
    t = wiod2011
    spec = {"steps": [{"transfer": {"from": "CHN", "to": {"IDN": 0.5, "IND": 0.5},
                                    "sector": ["c4", "c5"], "share": 0.1,
                                    "technology": "origin", "sourcing": "origin"}}]}
    res = run(spec, t, measures=["gdp", "gross_output"])
    s = res.table
    ind = t.labels.industries()
    tol = res.log[0]["ras"]["tol"]
    for sec in ("c4", "c5"):
        a = ind.index(f"CHN/{sec}")
        assert abs(s.x[a] - 0.9 * t.x[a]) <= 2 * tol
        for c in ("IDN", "IND"):
            b = ind.index(f"{c}/{sec}")
            assert abs(s.x[b] - t.x[b] - 0.05 * t.x[a]) <= 2 * tol
    assert_allclose(s.Y.sum(axis=0), t.Y.sum(axis=0), rtol=1e-10, atol=1e-6)
