"""The seven Belt and Road answers: identities, bounds, signs and group-sum consistency.

Most checks run on a 12-region cut of WIOD 2013 (``conftest.small_table``: 11 countries
kept, the rest merged into RoW) so that they are quick; one test per answer runs on the
full bundled WIOD 2011 table.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

import silkchain.bri as bri
from silkchain.core.blocks import sum_by_country
from silkchain.errors import MeasureError
from silkchain.groups import Group, Member
from silkchain.measures.borin_mancini import bm
from silkchain.measures.participation import koopman
from silkchain.panel import PANEL_COLUMNS

KEPT_BRI = ["CHN", "EST", "IDN", "IND", "POL", "RUS", "TUR"]  # bri65 members in the cut


def wide(frame: pd.DataFrame, year: int | None = None, partner: str | None = "_T"
         ) -> pd.DataFrame:
    sub = frame if year is None else frame[frame["year"] == year]
    if partner is not None:
        sub = sub[sub["partner"] == partner]
    return sub.pivot_table(index="country", columns="measure", values="value", dropna=False)


@pytest.fixture(scope="module")
def vc(small_panel):
    return bri.value_capture(small_panel, group="bri65", scheduler="sync")


@pytest.fixture(scope="module")
def pg(small_panel):
    return bri.participation_gains(small_panel, group="bri65", scheduler="sync")


@pytest.fixture(scope="module")
def pos(small_panel):
    return bri.position(small_panel, group="bri65", scheduler="sync")


@pytest.fixture(scope="module")
def hub(small_panel):
    return bri.china_hub(small_panel, group="bri64", scheduler="sync")


@pytest.fixture(scope="module")
def net(small_panel):
    return bri.va_network(small_panel, scheduler="sync")


@pytest.fixture(scope="module")
def smile(small_panel):
    return bri.smile_curve(small_panel, "CHN", scheduler="sync")


@pytest.fixture(scope="module")
def upg(small_panel):
    return bri.upgrading_paths(small_panel, "CHN", scheduler="sync")


ALL = ["vc", "pg", "pos", "hub", "net", "smile", "upg"]


@pytest.mark.parametrize("name", ALL)
def test_every_answer_is_tidy_with_coverage_and_chart_data(name, request):
    frame = request.getfixturevalue(name)
    assert list(frame.columns) == PANEL_COLUMNS
    assert not frame["measure"].str.startswith("_").any()
    a = frame.attrs
    assert a["years"] == [2010, 2011]
    assert a["coverage"]["rest_of_world"] == ["RoW"]
    assert "KAZ" in a["coverage"]["hidden_in_rest_of_world"]
    assert any("inside the rest-of-world aggregate RoW" in c for c in a["caveats"])
    # small economies (Estonia, Malta) appear, so the rounding caveat is shown with them
    assert {"EST", "MLT"} <= set(a["small_economies"])
    assert any("Rounding hurts small economies most" in c and "EST" in c for c in a["caveats"])
    data = bri.chart_data(frame)
    assert data["kind"] and json.dumps(data, default=float)
    assert "rest-of-world" in bri.describe(frame)


def test_chart_data_needs_an_answer_frame():
    with pytest.raises(MeasureError, match="chart_data needs the frame of a Belt and Road"):
        bri.chart_data(pd.DataFrame({"value": [1.0]}))


# ------------------------------------------------------------------------------ 1 value capture
def test_value_capture_group_is_the_sum_of_its_members(vc, small_panel):
    for year in small_panel:
        w = wide(vc, year)
        assert_allclose(w.loc["bri65", "DVA"], w.loc[KEPT_BRI, "DVA"].sum(), rtol=1e-12)
        assert_allclose(w.loc["bri65", "DVA_share"],
                        w.loc[KEPT_BRI, "DVA"].sum() / w.loc[KEPT_BRI, "GEXP"].sum())
        countries = list(small_panel[year].labels.countries)
        assert_allclose(w.loc[countries, "DVA_world_share"].sum(), 1.0, rtol=1e-12)
        assert_allclose(w.loc["World", "GEXP"], small_panel[year].E.sum(), rtol=1e-12)


def test_value_capture_bounds_and_order(vc):
    w = wide(vc, 2011)
    for share in ("DVA_share", "VAX_share", "GVC_share", "GVCB_share", "GVCF_share"):
        assert w[share].between(0, 1).all(), share
    assert (w["VAX"] <= w["DVA"] + 1e-6).all() and (w["DVA"] <= w["GEXP"] + 1e-6).all()
    assert_allclose(w["GVCB"] + w["GVCF"] + w["DAVAX"], w["GEXP"], rtol=1e-3)


def test_value_capture_trends_follow_the_levels(vc):
    first, last = wide(vc, 2010), wide(vc, 2011)
    trend = vc[vc["measure"].str.endswith(("_cagr", "_change"))]
    assert set(trend["year"]) == {2011}
    t = trend.pivot_table(index="country", columns="measure", values="value")
    assert_allclose(t["DVA_cagr"], last["DVA"] / first["DVA"] - 1, rtol=1e-10)
    assert_allclose(t["DVA_share_change"], last["DVA_share"] - first["DVA_share"], atol=1e-12)


# ------------------------------------------------------------------------------ 2 participation
def test_participation_bounds_weights_and_links(pg, vc, small_panel):
    w = wide(pg, 2011)
    for share in ("forward", "backward", "forward_simple", "forward_complex"):
        assert w[share].between(0, 1).all(), share
    assert_allclose(w["forward_simple"] + w["forward_complex"], w["forward"], rtol=1e-10)
    assert_allclose(w.loc["bri65", "forward"],
                    w.loc[KEPT_BRI, "V_GVC"].sum() / w.loc[KEPT_BRI, "va"].sum())
    # world forward GVC value added equals world backward GVC final goods (WWYZ 2017a)
    assert_allclose(w.loc["World", "V_GVC"], w.loc["World", "Y_GVC"], rtol=1e-9)
    # the DVA share is the same number as in value capture
    assert_allclose(w["DVA_share"], wide(vc, 2011).loc[w.index, "DVA_share"], rtol=1e-12)
    va = sum_by_country(small_panel[2011].va, small_panel[2011].G, small_panel[2011].N)
    assert_allclose(w.loc[list(small_panel[2011].labels.countries), "va"], va, rtol=1e-10)


def test_value_added_growth_is_the_ratio_of_levels(pg):
    g = pg[pg["measure"] == "va_growth"].pivot_table(index="country", columns="year",
                                                    values="value")
    va = pg[pg["measure"] == "va"].pivot_table(index="country", columns="year", values="value")
    assert list(g.columns) == [2011]
    assert_allclose(g[2011], va[2011] / va[2010] - 1, rtol=1e-12)


# ------------------------------------------------------------------------------ 3 position
def test_position_bounds_signs_and_ranks(pos, small_panel):
    w = wide(pos, 2011)
    countries = list(small_panel[2011].labels.countries)
    assert (w.loc[countries, "U"] >= 1).all()
    assert (w.loc[countries, "GVC_position"] > 0).all()
    k = koopman(small_panel[2011]).pivot_table(index="country", columns="measure",
                                               values="value")
    # Koopman position is positive exactly where IV exceeds FV
    assert ((w.loc[countries, "position"] > 0) == (k.loc[countries, "IV"]
                                                    > k.loc[countries, "FV"])).all()
    for m in ("U", "GVC_position", "position"):
        ranks = w.loc[countries, f"{m}_rank"].sort_values().to_numpy()
        assert_allclose(ranks, np.arange(1, len(countries) + 1))
        members = w.loc[KEPT_BRI, m]
        assert members.min() - 1e-12 <= w.loc["bri65", m] <= members.max() + 1e-12


def test_position_slopes_over_two_years_are_the_change(pos):
    w10, w11 = wide(pos, 2010), wide(pos, 2011)
    for m in ("U", "GVC_position", "position"):
        assert_allclose(w11[f"{m}_slope"], w11[m] - w10[m], atol=1e-12)
    assert "china" in pos.attrs["notes"] and "U" in pos.attrs["notes"]["china"]


def test_position_by_sector_and_bad_level(small2011):
    f = bri.position(small2011, level="sector")
    assert set(f["sector"]) - {""} and (f.query("measure == 'U'")["value"] >= 1).all()
    with pytest.raises(MeasureError, match="level='region' is not valid"):
        bri.position(small2011, level="region")


# ------------------------------------------------------------------------------ 4 China as hub
def test_china_hub_identities_and_bounds(hub, small_panel):
    t = small_panel[2011]
    countries = list(t.labels.countries)
    base = wide(hub, 2011)
    assert_allclose(base.loc[countries, "gross_exports"], sum_by_country(t.E, t.G, t.N),
                    rtol=1e-10)
    fv = koopman(t).query("measure == 'FV'").set_index("country")["value"]
    assert_allclose(base.loc[countries, "fva"], fv.loc[countries], rtol=1e-9)
    vax = bm(t).query("term == 'VAX'").set_index("exporter")["value"]
    assert_allclose(base.loc[countries, "vax"], vax.loc[countries], rtol=1e-9)
    h = wide(hub, 2011, partner="CHN")
    for share in ("hub_share_in_fva", "hub_va_in_exports_share", "va_absorbed_in_hub_share",
                  "partner_va_in_hub_exports_share"):
        s = h[share].drop("CHN", errors="ignore")
        assert s.between(0, 1).all(), share
    assert h.loc["CHN"].isna().all() if "CHN" in h.index else True
    # partners' value added in China's exports adds up to China's foreign value added
    assert_allclose(h["partner_va_in_hub_exports"].drop("CHN", errors="ignore").sum(),
                    base.loc["CHN", "fva"], rtol=1e-9)


def test_regional_and_global_shares_are_complements_and_bounded(hub):
    r = wide(hub, 2011, partner="bri64")
    assert_allclose(r["regional_fva_share"] + r["global_fva_share"], 1.0)
    assert_allclose(r["regional_vax_share"] + r["global_vax_share"], 1.0)
    assert (r["regional_fva_share"] <= r["regional_fva_share_upper"] + 1e-12).all()
    assert (r["regional_vax_share"] <= r["regional_vax_share_upper"] + 1e-12).all()
    assert set(r.index) == {*KEPT_BRI, "bri64"}
    pooled = r.loc["bri64"]
    members = r.drop("bri64")
    assert_allclose(pooled["regional_fva"], members["regional_fva"].sum(), rtol=1e-12)


def test_china_hub_needs_china_in_the_table(leather):
    with pytest.raises(MeasureError, match="'CHN' is not a country of this table"):
        bri.china_hub(leather, group=None)


# ------------------------------------------------------------------------------ 5 network
def test_network_strengths_centralities_and_communities(net, small_panel):
    t = small_panel[2011]
    w = wide(net, 2011)
    countries = list(t.labels.countries)
    assert_allclose(w["out_strength"].sum(), w["in_strength"].sum(), rtol=1e-12)
    vax = bm(t).query("term == 'VAX'").set_index("exporter")["value"]
    assert_allclose(w.loc[countries, "out_strength"], vax.loc[countries], rtol=1e-9)
    for m in ("pagerank", "hub", "authority"):
        assert_allclose(w[m].sum(), 1.0, rtol=1e-9)
    assert w["betweenness"].between(0, 1).all()
    assert w.loc["CHN", "same_community"] == 1
    assert set(w["community"]) == set(range(int(w["community"].max()) + 1))
    edges = net[(net.year == 2011) & (net.measure == "vax")]
    assert (edges["country"] != edges["partner"]).all()
    assert_allclose(edges.groupby("country")["value"].sum().loc[countries],
                    w.loc[countries, "out_strength"], rtol=1e-12)


def test_network_is_deterministic_for_a_seed(small2011):
    a = bri.va_network(small2011, seed=3)
    b = bri.va_network(small2011, seed=3)
    pd.testing.assert_frame_equal(a, b)


# ------------------------------------------------------------------------------ 6 smile curve
def test_smile_contributions_add_up_and_stages_are_at_least_one(smile, small_panel):
    t = small_panel[2011]
    sub = smile[(smile.year == 2011) & (smile.partner == "CHN")]
    va = sub[sub.measure == "va"]
    chn = list(t.labels.countries).index("CHN")
    exports = t.E[chn * t.N:(chn + 1) * t.N].sum()
    assert_allclose(va["value"].sum(), exports, rtol=1e-10)
    assert_allclose(sub[sub.measure == "va_share"]["value"].sum(), 1.0, rtol=1e-10)
    assert (sub[sub.measure == "stage"]["value"] >= 1 - 1e-12).all()
    summary = wide(smile, 2011).loc["CHN"]
    dc = bm(t).query("exporter == 'CHN' and term in ['DC', 'GEXP']").set_index("term")["value"]
    # domestic contributions are the Borin-Mancini domestic content of the exports
    assert_allclose(summary["domestic_va_share"], dc["DC"] / dc["GEXP"], rtol=1e-9)
    assert summary["mean_stage"] >= 1


def test_technology_mix_shares_add_up(smile):
    mix = smile[(smile.year == 2011) & smile.measure.isin(["exports_share", "dva_share"])]
    assert_allclose(mix.groupby("measure")["value"].sum(), 1.0, rtol=1e-10)
    assert "high-tech manufacturing" in set(mix["sector"])


def test_smile_without_isic_codes_has_no_mix_and_hidden_country_fails(leather, small2011):
    f = bri.smile_curve(leather, "Turkey", group=None)
    assert "exports_share" not in set(f["measure"])
    with pytest.raises(MeasureError, match="'KAZ' is not a country of this table"):
        bri.smile_curve(small2011, "KAZ")


# ------------------------------------------------------------------------------ 7 upgrading
def test_upgrading_proximity_density_and_candidates(upg):
    prox = upg[upg.measure == "proximity"].pivot_table(index="sector", columns="partner",
                                                        values="value")
    assert_allclose(prox.to_numpy(), prox.to_numpy().T)
    assert ((prox >= 0) & (prox <= 1)).all().all()
    own = wide(upg.assign(country=upg["sector"]).query("partner == '_T'"))
    assert own["density"].dropna().between(0, 1).all()
    assert ((own["has_advantage"] == 1) == (own["NRCA_last"] > 1)).all()
    non_tradable = set(upg.attrs["notes"]["non_tradable"].split(", "))
    tradable = ~own.index.isin(list(non_tradable))
    assert non_tradable and ((own["candidate"] == 1) == ((own["has_advantage"] == 0)
                                                          & tradable)).all()
    cands = own[own["candidate"] == 1].sort_values("candidate_rank")
    assert cands["density"].is_monotonic_decreasing
    up = own["upgrading"] == 1
    assert ((own.loc[up, "NRCA_slope"] > 0) & (own.loc[up, "GVC_position_slope"] > 0)).all()
    notes = upg.attrs["notes"]
    assert notes["candidates"].split(", ")[0] == cands.index[0]


def test_upgrading_on_one_year_warns(small2011):
    f = bri.upgrading_paths(small2011, "IND")
    assert any("Fewer than three years" in c for c in f.attrs["caveats"])


# ------------------------------------------------------------------------------ WIOD 2011
#: Answers that run on one table (those comparing a pair of years need two).
ONE_TABLE = {k: a for k, a in bri.ANSWERS.items() if a.span != "pair"}


@pytest.fixture(scope="module")
def wiod_answers(wiod2011):
    return {name: a.function(wiod2011) for name, a in ONE_TABLE.items()}


@pytest.mark.slow
@pytest.mark.parametrize("name", list(ONE_TABLE))
def test_every_answer_runs_on_wiod_2011_and_names_hidden_members(wiod_answers, name):
    f = wiod_answers[name]
    cov = f.attrs["coverage"]
    assert set(cov["inside"]) == {"RUS", "IDN", "IND", "TUR", "POL", "HUN", "CZE", "SVK",
                                  "SVN", "BGR", "ROU", "EST", "LVA", "LTU"}
    assert len(cov["hidden_in_rest_of_world"]) == 50
    assert any("Small economies shown here" in c for c in f.attrs["caveats"])
    assert np.isfinite(f["value"]).mean() > 0.9


def test_a_user_group_object_works(small2011):
    g = Group("pair", "pair", (Member("CHN", "China"), Member("RUS", "Russia")))
    f = bri.value_capture(small2011, group=g)
    w = wide(f)
    assert_allclose(w.loc["pair", "GEXP"], w.loc[["CHN", "RUS"], "GEXP"].sum())
    assert f.attrs["coverage"]["inside"] == ["CHN", "RUS"]
