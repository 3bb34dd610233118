"""Supply-chain exposure (Baldwin, Freeman & Theodorakopoulos 2022): identities and answer.

BFT (2022) publish their figures on OECD ICIO tables, which are not bundled, so no
published figure can be reproduced here; these tests check the identities that every
table must satisfy instead: look-through >= face value (B - I = A + A^2 + ... with
non-negative inputs), shares summing to one over partners including the own country,
the country pooling against a direct computation from Z, HHI bounds, and the sales side
summing to gross output.
"""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

import silkchain
from silkchain.core import exposure as core
from silkchain.errors import MeasureError
from silkchain.measures.exposure import exposure, exposure_arrays
from silkchain.table import MRIOTable


def random_table(seed: int, G: int = 4, N: int = 3) -> MRIOTable:
    rng = np.random.default_rng(seed)
    Z = rng.uniform(0, 20, (G * N, G * N)) * (rng.uniform(size=(G * N, G * N)) > 0.2)
    Y = rng.uniform(20, 80, (G * N, G))
    return MRIOTable.from_arrays(Z, Y, [f"C{g}" for g in range(G)], [f"s{k}" for k in range(N)])


def check_identities(t: MRIOTable, frames: bool = True) -> None:
    G, N = t.G, t.N
    FV, LT = core.supply_coefficients(t.A, t.solver, G, N)
    assert (LT >= FV - 1e-12).all()
    for level in ("country", "sector"):
        own = core.own_country(G, N, level)
        for side in ("supply", "sales"):
            FVl, LTl = exposure_arrays(t, level, side)
            if side == "supply":
                assert (LTl >= FVl - 1e-12)[:, np.isfinite(FVl).all(axis=0)].all()
            by_partner, by_unit = core.exposure_terms(FVl, LTl, own)
            for term in ("fv_share", "lt_share"):
                total = by_partner[term].sum(axis=0)
                assert_allclose(total[np.isfinite(total)], 1.0, rtol=1e-9)
            # HHI bounds hold where every foreign amount is non-negative (sales-side
            # look-through can be negative where final demand has inventory drawdowns)
            for term, M in (("hhi_fv", FVl), ("hhi_lt", LTl)):
                ok = (M >= 0).all(axis=0) & np.isfinite(by_unit[term])
                h = by_unit[term][ok]
                assert ((h >= 1 / (G - 1) - 1e-12) & (h <= 1 + 1e-12)).all(), (side, term)
            if side == "supply":
                hid = by_unit["hidden_ratio_foreign"]
                assert (hid[np.isfinite(hid)] >= 1 - 1e-12).all()
            if frames and level == "country":  # the labelled layer carries the same numbers
                f = exposure(t, level, side)
                got = f[(f["term"] == "lt_share") & (f["partner"] == t.labels.countries[0])]
                assert_allclose(got["value"], by_partner["lt_share"][0], rtol=1e-12)


def test_identities_on_random_tables():
    for seed in range(3):
        check_identities(random_table(seed))


def test_country_pooling_equals_direct_computation():
    t = random_table(7)
    G, N = t.G, t.N
    FV, _ = exposure_arrays(t, "country", "supply")
    Zg = t.Z.reshape(G, N, G, N).sum(axis=(1, 3))
    X = t.x.reshape(G, N).sum(axis=1)
    assert_allclose(FV, Zg / X[None, :], rtol=1e-12)
    FVs, LTs = exposure_arrays(t, "sector", "sales")
    assert_allclose(FVs.sum(axis=0), t.x, rtol=1e-12)
    assert_allclose(LTs.sum(axis=0), t.x, rtol=1e-9)  # x = B y on an exact table


def test_unit_terms_from_partner_terms():
    f = exposure(random_table(3))
    one = f[f["country"] == "C1"].set_index(["partner", "term"])["value"]
    foreign = [c for c in ("C0", "C2", "C3")]
    fv = one.loc[[(p, "fv") for p in foreign]].to_numpy()
    assert_allclose(one[("_T", "foreign_fv")], fv.sum())
    assert_allclose(one[("_T", "hhi_fv")], ((fv / fv.sum()) ** 2).sum())
    assert_allclose(one[("_T", "hidden_ratio_foreign")],
                    one[("_T", "foreign_lt")] / one[("_T", "foreign_fv")])


def test_errors():
    t = random_table(1)
    with pytest.raises(MeasureError, match="exposure has no level 'bilateral'; levels: "
                       "country, sector"):
        exposure(t, "bilateral")
    with pytest.raises(MeasureError, match="side must be 'supply' or 'sales', got 'x'"):
        exposure(t, side="x")  # type: ignore[arg-type]


def test_wiod_2011_identities(wiod2011):
    check_identities(wiod2011)


@pytest.mark.slow
@pytest.mark.parametrize("year", range(1995, 2011))
def test_wiod_identities_every_year(year):
    check_identities(silkchain.read(f"wiod2013:{year}"), frames=False)


def test_catalogue_entries(wiod2011):
    from silkchain.measures.catalogue import MEASURES

    m = MEASURES["exposure"]
    f = m.tidy(wiod2011, "country")
    assert {"fv", "lt", "hhi_lt"} <= set(f["measure"])
    assert set(f.loc[f["measure"] == "fv_share", "unit"]) == {"share"}
    s = MEASURES["exposure_sales"].tidy(wiod2011)
    assert set(s.loc[s["measure"] == "lt", "unit"]) == {"USD millions"}


def test_bri_exposure_answer(wiod2011):
    from silkchain.bri.answers import ANSWERS
    from silkchain.bri.exposure import exposure as bri_exposure

    assert ANSWERS["exposure"].cli == "exposure"
    f = bri_exposure(wiod2011, hub="CHN")
    to_hub = f[(f["partner"] == "CHN") & (f["measure"] == "supply_lt")].set_index("country")
    fv = f[(f["partner"] == "CHN") & (f["measure"] == "supply_fv")].set_index("country")
    assert (to_hub["value"] >= fv.loc[to_hub.index, "value"]).all()
    assert "CHN" not in set(to_hub.index)
    hub_row = f[(f["country"] == "CHN") & (f["partner"] == "bri64")]
    assert {"supply_lt_share", "supply_fv_share", "sales_lt_share"} <= set(hub_row["measure"])
    assert f.attrs["notes"]["hub"] == "CHN"
    other = bri_exposure(wiod2011, hub="IND")
    assert "IND" in set(other["partner"])
    with pytest.raises(MeasureError, match="'XXX' is not a country of this table"):
        bri_exposure(wiod2011, hub="XXX")


def test_cli_bri_exposure(tmp_path):
    import json

    import pandas as pd
    from typer.testing import CliRunner

    from silkchain.cli.app import build_app

    out, chart = tmp_path / "exposure.csv", tmp_path / "chart.json"
    res = CliRunner().invoke(build_app(), ["bri", "exposure", "wiod2013:2011", "--hub", "IND",
                                           "-o", str(out), "--chart", str(chart)])
    assert res.exit_code == 0, res.output
    assert "hub: IND" in res.output
    f = pd.read_csv(out)
    assert "IND" in set(f["partner"]) and "supply_lt_share" in set(f["measure"])
    bars = json.loads(chart.read_text())["bars"]
    assert bars and all(0 <= b["value"] <= 1 and 0 <= b["face_value"] <= 1 for b in bars)


def test_bri_exposure_by_sector(wiod2011):
    from silkchain.bri.exposure import chart_data
    from silkchain.bri.exposure import exposure as bri_exposure

    f = bri_exposure(wiod2011, level="sector")
    s = f[f["sector"] != "_T"]
    assert len(s) == (wiod2011.G - 1) * wiod2011.N * 8 and set(s["partner"]) == {"CHN"}
    wide = s.pivot_table(index=["country", "sector"], columns="measure", values="value")
    ok = wide[["supply_fv", "supply_lt"]].dropna()
    assert (ok["supply_lt"] >= ok["supply_fv"] - 1e-12).all()
    country = f[f["sector"] == "_T"]
    assert_allclose(chart_data(f)["bars"][0]["value"],
                    country[country["measure"] == "supply_lt_share"]["value"].max())
    with pytest.raises(MeasureError, match="level must be 'country' or 'sector'"):
        bri_exposure(wiod2011, level="x")
