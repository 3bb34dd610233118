"""The reshoring operation: coefficients moved home, value added conserved, GRAS report, errors."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from silkchain.scenarios import ScenarioSpecError, apply, run
from silkchain.scenarios.spec import Scenario

FAST = ["gdp", "gross_output"]


def _reshore(t, **body):
    return run({"steps": [{"reshore": body}]}, t, measures=FAST)


def test_zero_share_reproduces_baseline(leather):
    assert apply(leather, {"steps": [{"reshore": {"countries": "Turkey", "share": 0}}]}) \
        is leather


def test_coefficients_move_home_and_value_added_is_conserved(random43):
    t = random43
    G, N = t.G, t.N
    home = t.labels.countries[1]
    res = _reshore(t, countries=home, share=0.3, products=t.labels.sectors[0])
    s = res.table
    cols = slice(N, 2 * N)
    for g in range(G):
        row = g * N  # product 0 from country g
        if g == 1:
            foreign = sum(t.A[h * N, cols] for h in range(G) if h != 1)
            assert_allclose(s.A[row, cols], t.A[row, cols] + 0.3 * foreign, rtol=1e-9)
        else:
            assert_allclose(s.A[row, cols], 0.7 * t.A[row, cols], rtol=1e-9)
    # other products and other buyers are untouched
    assert_allclose(s.A[1::N, cols], t.A[1::N, cols], rtol=1e-9)
    assert_allclose(np.delete(s.A, np.s_[N:2 * N], axis=1),
                    np.delete(t.A, np.s_[N:2 * N], axis=1), rtol=1e-9, atol=1e-15)
    # column sums of A unchanged -> every value-added coefficient and world GDP unchanged
    assert_allclose(s.v, t.v, rtol=1e-9)
    assert_allclose(s.va.sum(), t.va.sum(), rtol=1e-12)
    # final demand untouched (inputs only by default), column by column
    assert_allclose(s.Y, t.Y, rtol=1e-12)
    # the reshoring country produces more, its suppliers less
    x0, x1 = t.x.reshape(G, N).sum(axis=1), s.x.reshape(G, N).sum(axis=1)
    assert x1[1] > x0[1] and (x1[[0, 2, 3]] < x0[[0, 2, 3]]).all()
    entry = res.log[0]
    assert entry["op"] == "reshore" and entry["countries"] == [home]
    assert entry["ras"]["method"] == "GRAS" and entry["ras"]["converged"]
    assert entry["moved"] > 0


def test_named_suppliers_and_final_demand(random43):
    t = random43
    G, N, K = t.G, t.N, t.K
    c = t.labels.countries
    res = _reshore(t, countries=c[2], share=1.0, **{"from": c[0]}, final=True)
    s = res.table
    cols = slice(2 * N, 3 * N)
    assert_allclose(s.A[0:N, cols], 0.0, atol=1e-15)  # all from c[0] came home
    assert_allclose(s.A[N:2 * N, cols], t.A[N:2 * N, cols], rtol=1e-9)  # c[1] untouched
    assert_allclose(s.Y[0:N, 2 * K:3 * K], 0.0, atol=1e-9)
    # final demand totals by column are unchanged (shares moved, not amounts)
    assert_allclose(s.Y.sum(axis=0), t.Y.sum(axis=0), rtol=1e-9)
    assert_allclose(s.va.sum(), t.va.sum(), rtol=1e-12)
    assert G == 4


def test_group_of_countries(wiod2011):
    res = run({"steps": [{"reshore": {"countries": ["USA", "eu"], "share": 0.1,
                                      "products": ["c9", "c12", "c13"]}}]}, wiod2011,
              measures=["gdp"])
    entry = res.log[0]
    assert "USA" in entry["countries"] and "DEU" in entry["countries"]
    assert entry["hidden_members"] == ["HRV"]  # in WIOD 2013's rest of the world
    assert entry["ras"]["converged"]
    assert_allclose(res.table.va.sum(), wiod2011.va.sum(), rtol=1e-12)
    c = res.comparison
    gdp = c[(c["measure"] == "gdp") & (c["sector"].isin(["", "_T"]))].set_index("country")
    if gdp.empty:  # by sector only: sum the sectors
        gdp = c[c["measure"] == "gdp"].groupby("country")[["delta"]].sum()
    assert gdp.loc["CHN", "delta"] < 0 < gdp.loc["USA", "delta"]


@pytest.mark.parametrize(("body", "message"), [
    ({"share": 0.2}, r"steps\[0\]\.reshore\.countries: is required"),
    ({"countries": "USA"}, r"steps\[0\]\.reshore\.share: is required"),
    ({"countries": "USA", "share": 1.5},
     r"reshore\.share: expected a number in \[0, 1\], got 1.5"),
    ({"countries": ["USA", "USA"], "share": 0.1}, r"reshore\.countries: lists USA more than "
                                                  "once"),
    ({"countries": "USA", "share": 0.1, "from": ["CHN", "USA"]},
     r"reshore\.from: USA both reshore and supply"),
    ({"countries": "USA", "share": 0.1, "final": "no"},
     r"reshore\.final: expected true or false, got 'no'"),
    ({"countries": "USA", "share": 0.1, "sector": "c1"},
     r"reshore\.sector: unknown key; allowed: countries, share, from, products, buyers, "
     r"final, tol"),
])
def test_spec_errors(body, message):
    with pytest.raises(ScenarioSpecError, match=message):
        Scenario.from_dict({"steps": [{"reshore": body}]})


def test_table_errors(leather):
    with pytest.raises(ScenarioSpecError, match=r"steps\[0\]\.reshore\.countries: 'XXX' is "
                       "neither a country of the table .* nor a known group"):
        apply(leather, {"steps": [{"reshore": {"countries": "XXX", "share": 0.1}}]})
    with pytest.raises(ScenarioSpecError, match=r"reshore\.countries: no member of group "
                       "'g7' is a country of the table"):
        apply(leather, {"steps": [{"reshore": {"countries": "g7", "share": 0.1}}]})
    with pytest.raises(ScenarioSpecError, match=r"reshore\.products: unknown sector 'c99'"):
        apply(leather, {"steps": [{"reshore": {"countries": "Turkey", "share": 0.1,
                                               "products": "c99"}}]})


def test_round_trip_and_hash():
    s = Scenario.from_dict({"steps": [{"reshore": {"countries": "USA", "share": 0.2}}]})
    assert s.to_dict()["steps"][0] == {"reshore": {
        "countries": ["USA"], "share": 0.2, "from": None, "products": None, "buyers": None,
        "final": False, "tol": 1e-10}}
    assert Scenario.from_dict(s.to_dict()).sha256 == s.sha256


def test_broad_sectors_resolve_through_the_table_concordance(wiod2011, leather):
    res = run({"steps": [{"reshore": {"countries": "USA", "share": 0.5,
                                      "products": ["textiles", "c14"]}}]}, wiod2011,
              measures=["gdp"])
    s, t = res.table, wiod2011
    usa = t.labels.countries.index("USA")
    chn = t.labels.countries.index("CHN")
    N = t.N
    cols = slice(usa * N, (usa + 1) * N)
    for k in (3, 4, 13):  # c4, c5 (textiles) and c14
        assert_allclose(s.A[chn * N + k, cols], 0.5 * t.A[chn * N + k, cols], rtol=1e-9)
    assert_allclose(s.A[chn * N + 11, cols], t.A[chn * N + 11, cols], rtol=1e-9)
    with pytest.raises(ScenarioSpecError, match=r"reshore\.products: leather: its sectors "
                       "are not those of a release silkchain knows"):
        apply(leather, {"steps": [{"reshore": {"countries": "Turkey", "share": 0.1,
                                               "products": "textiles"}}]})
