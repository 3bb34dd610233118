"""Structural decomposition analysis: exactness, polar = Shapley on two factors, labels, CLI.

Miller & Blair (2009, ch. 13) print two-factor and multi-factor numerical examples; their
digits could not be verified here, so these tests check what those examples illustrate
instead: the textbook two-factor formula (each factor's change times the mean of the
other), exact additivity for any number of factors and any function, and polar average =
Shapley with two factors.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from typer.testing import CliRunner

import silkchain
from silkchain.cli.app import build_app
from silkchain.core import sda as core
from silkchain.errors import LabelMismatchError, MeasureError
from silkchain.measures.sda import sda
from silkchain.measures.value_added import vax
from silkchain.table import MRIOTable


def random_table(seed: int, G: int = 3, N: int = 2, K: int = 2) -> MRIOTable:
    rng = np.random.default_rng(seed)
    n = G * N
    Z = rng.uniform(0, 20, (n, n))
    Y = rng.uniform(20, 80, (n, G * K))
    return MRIOTable.from_arrays(Z, Y, [f"C{g}" for g in range(G)],
                                 [f"s{k}" for k in range(N)],
                                 fd_categories=[f"f{k}" for k in range(K)])


def shapley_by_orderings(f, start, end):
    """Shapley value as the plain average over all k! orderings (the definition)."""
    k = len(start)
    out = np.zeros((k, *np.shape(f(*start))))
    for order in itertools.permutations(range(k)):
        cur = list(start)
        prev = f(*cur)
        for i in order:
            cur[i] = end[i]
            now = f(*cur)
            out[i] += now - prev
            prev = now
    return out / math.factorial(k)


def test_two_factor_textbook_formula():
    # Miller & Blair (2009) §13.1: Δ(ab) = ½Δa(b0 + b1) + ½(a0 + a1)Δb
    a0, a1, b0, b1 = np.array([3.0, 2.0]), np.array([5.0, 1.0]), np.array([7.0, 4.0]), \
        np.array([6.0, 9.0])
    c, _, _ = core.decompose(lambda a, b: a * b, [a0, b0], [a1, b1])
    assert_allclose(c[0], 0.5 * (a1 - a0) * (b0 + b1))
    assert_allclose(c[1], 0.5 * (a0 + a1) * (b1 - b0))


@pytest.mark.parametrize("seed", range(5))
def test_polar_equals_shapley_on_two_factors(seed):
    rng = np.random.default_rng(seed)
    s, e = [rng.uniform(.1, 2, (3, 3)) for _ in range(2)], [rng.uniform(.1, 2, (3, 3))
                                                            for _ in range(2)]

    def f(a, b):  # non-linear: the equality holds for any function of two factors
        return np.linalg.solve(np.eye(3) * 4 - a, b) / (1 + b)
    polar, _, _ = core.decompose(f, s, e)
    shap, _, _ = core.decompose(f, s, e, method="shapley")
    assert_allclose(polar, shap, rtol=1e-13, atol=1e-15)


@pytest.mark.parametrize("k", [3, 4, 5])
def test_shapley_from_subsets_equals_average_over_orderings(k):
    rng = np.random.default_rng(k)
    s, e = list(rng.uniform(.5, 2, (k, 4))), list(rng.uniform(.5, 2, (k, 4)))

    def f(*xs):
        return np.prod(xs, axis=0) / (1 + xs[0] * xs[-1])
    shap, f0, f1 = core.decompose(f, s, e, method="shapley")
    assert_allclose(shap, shapley_by_orderings(f, s, e), rtol=1e-12)
    polar, _, _ = core.decompose(f, s, e)
    assert_allclose(polar.sum(axis=0), f1 - f0, rtol=1e-12)
    assert_allclose(shap.sum(axis=0), f1 - f0, rtol=1e-12)


def test_decompose_errors():
    with pytest.raises(ValueError, match="unknown SDA method 'x'; valid: polar, shapley"):
        core.decompose(lambda a: a, [np.ones(1)], [np.ones(1)], method="x")
    with pytest.raises(ValueError, match="start has 1 factors and end 2"):
        core.decompose(lambda a: a, [np.ones(1)], [np.ones(1)] * 2)


CASES = [(m, lv) for m, (_, levels, _) in core.MEASURES.items() for lv in levels]


@pytest.mark.parametrize(("measure", "level"), CASES)
@pytest.mark.parametrize("method", ["polar", "shapley"])
@pytest.mark.parametrize("split_b", [True, False])
def test_exact_on_random_tables(measure, level, method, split_b):
    a, b = random_table(1), random_table(2)
    f = sda(a, b, measure, level=level, method=method, split_b=split_b)
    wide = f.pivot(index=["country", "sector", "partner"], columns="term", values="value")
    factors = list(core.FACTORS_SPLIT if split_b else core.FACTORS)
    assert f.attrs["factors"] == factors
    total = wide[factors].sum(axis=1)
    scale = np.maximum(wide["start"].abs(), wide["end"].abs())
    assert (np.abs(total - wide["change"]) <= 1e-9 * scale).all()
    assert_allclose(wide["end"] - wide["start"], wide["change"], rtol=1e-12)


@pytest.mark.parametrize("measure", ["dva_share", "fva_share", "participation"])
def test_shares_do_not_move_with_the_level_of_final_demand(measure):
    f = sda(random_table(3), random_table(4), measure)
    assert_allclose(f.loc[f["term"] == "level", "value"], 0.0, atol=1e-14)


def test_same_table_gives_zero_contributions():
    t = random_table(5)
    f = sda(t, t, "vax", level="bilateral", method="shapley")
    assert_allclose(f["value"][~f["term"].isin(["start", "end"])], 0.0, atol=1e-9)


def test_end_values_are_the_catalogue_measures():
    a, b = random_table(6), random_table(7)
    f = sda(a, b, "vax").pivot(index="country", columns="term", values="value")
    ref = vax(b)
    ref = ref[ref["term"] == "VAX"].set_index("exporter")["value"]
    assert_allclose(f["end"], ref.loc[f.index], rtol=1e-10)
    bil = sda(a, b, "dva", level="bilateral")
    assert len(bil) == 3 * 2 * 9  # exporter x partner (own excluded) x terms
    total = sda(a, b, "dva")
    per_exporter = bil[bil["term"] == "end"].groupby("country")["value"].sum()
    assert_allclose(per_exporter, total[total["term"] == "end"].set_index("country")["value"],
                    rtol=1e-12)


def test_dva_share_plus_fva_share_is_one():
    a, b = random_table(8), random_table(9)
    d, f = sda(a, b, "dva_share", level="sector"), sda(a, b, "fva_share", level="sector")
    ends = d[d["term"] == "end"]["value"].to_numpy() + f[f["term"] == "end"]["value"].to_numpy()
    assert_allclose(ends, 1.0, rtol=1e-12)


def test_uniform_deflator_scales_levels_and_keeps_shares():
    a, b = random_table(10), random_table(11)
    plain, deflated = sda(a, b, "vax"), sda(a, b, "vax", deflator={"C0": 2, "C1": 2, "C2": 2})
    end = lambda f: f[f["term"] == "end"]["value"].to_numpy()  # noqa: E731
    assert_allclose(end(deflated), end(plain) / 2, rtol=1e-12)
    assert "constant prices" in deflated.attrs["prices"]
    assert "current prices" in plain.attrs["prices"]
    shares = sda(a, b, "dva_share", deflator={"C0": 2, "C1": 2, "C2": 2})
    assert_allclose(end(shares), end(sda(a, b, "dva_share")), rtol=1e-12)
    by_sector = pd.DataFrame({"country": ["C0", "C1", "C2", "C0"], "sector": ["", "", "", "s1"],
                              "deflator": [1.1, 1.2, 1.3, 0.9]})
    sda(a, b, "dva", deflator=by_sector)  # a country row and one (country, sector) override


def test_deflator_errors_name_every_problem():
    a, b = random_table(10), random_table(11)
    with pytest.raises(MeasureError, match=r"no deflator for 2 industries \(first: C2/s0, "
                       r"C2/s1\); deflators must be positive \(C1/s0: -1, C1/s1: -1\); "
                       "countries not in the table: XXX"):
        sda(a, b, "vax", deflator={"C0": 1.0, "C1": -1.0, "XXX": 1.0})


def test_errors():
    a = random_table(1)
    with pytest.raises(LabelMismatchError, match="countries differ \\(3 vs 4; only in the "
                       "first: -; only in the second: C3\\)"):
        sda(a, random_table(2, G=4))
    with pytest.raises(MeasureError, match="unknown SDA measure 'gdp'; valid: dva, "):
        sda(a, a, "gdp")
    with pytest.raises(MeasureError, match="has no level 'sector'; levels: country"):
        sda(a, a, "participation", level="sector")


@pytest.fixture(scope="module")
def wiod_pair():
    return silkchain.read("wiod2013:2008"), silkchain.read("wiod2013:2009")


def test_wiod_pair_exact_and_end_matches_tiva(wiod_pair):
    a, b = wiod_pair
    f = sda(a, b, "dva_share", level="sector")
    wide = f.pivot_table(index=["country", "sector"], columns="term", values="value")
    wide = wide.dropna()
    assert_allclose(wide[list(core.FACTORS_SPLIT)].sum(axis=1), wide["change"], rtol=0,
                    atol=1e-12)
    from silkchain.measures.tiva import tiva
    t = tiva(b)
    dvash = t[t["measure"] == "EXGR_DVASH"].set_index("country")["value"] / 100
    c = sda(a, b, "dva_share", split_b=False).pivot(index="country", columns="term",
                                                    values="value")
    # TiVA counts the zero-output industries' rounding-level exports; the SDA system uses
    # x = B y: the two agree to rounding
    assert_allclose(c["end"], dvash.loc[c.index], rtol=1e-4)


@pytest.mark.slow
def test_exact_on_every_consecutive_wiod_pair():
    years = range(1995, 2012)
    tables = {y: silkchain.read(f"wiod2013:{y}") for y in years}
    for y in list(years)[:-1]:
        f = sda(tables[y], tables[y + 1], "dva_share")
        wide = f.pivot(index="country", columns="term", values="value")
        scale = np.maximum(wide["start"].abs(), wide["end"].abs())
        gap = (wide[list(core.FACTORS_SPLIT)].sum(axis=1) - wide["change"]).abs()
        assert (gap <= 1e-9 * scale).all(), y


def test_cli_sda(tmp_path):
    a, b = tmp_path / "a.npz", tmp_path / "b.npz"
    silkchain.write(random_table(1), a)
    silkchain.write(random_table(2), b)
    out = tmp_path / "sda.csv"
    res = CliRunner().invoke(build_app(), ["sda", str(a), str(b), "--measure", "vax",
                                           "--level", "bilateral", "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert "current prices" in res.output and "wrote 54 rows" in res.output
    f = pd.read_csv(out)
    assert f.columns.tolist() == ["country", "sector", "partner", "term", "value", "unit"]
    assert set(f["unit"]) == {"table currency"}  # the random tables do not name a currency
    res = CliRunner().invoke(build_app(), ["sda", str(a), str(b), "--measure", "gdp",
                                           "-o", str(out)])
    assert res.exit_code == 1 and "unknown SDA measure 'gdp'" in res.output
    res = CliRunner().invoke(build_app(), ["sda", str(a), str(b), "--deflator",
                                           str(tmp_path / "none.csv"), "-o", str(out)])
    assert res.exit_code == 1 and "deflator file not found" in res.output


def test_why_changed_answer():
    from silkchain.bri.answers import ANSWERS
    from silkchain.bri.why_changed import why_changed

    answer = ANSWERS["why_changed"]
    assert answer.span == "pair" and answer.left_out([2011]) is not None
    f = why_changed("wiod2013", years=[2010, 2011], measure="vax")
    assert set(f["year"]) == {2011} and set(f["partner"]) == {"2010"}
    assert "CHN" in set(f["country"]) and "USA" not in set(f["country"])
    wide = f.pivot(index="country", columns="measure", values="value")
    factors = [f"vax.{k}" for k in core.FACTORS_SPLIT]
    assert_allclose(wide[factors].sum(axis=1), wide["vax.change"], rtol=1e-9)
    assert any("current prices" in c for c in f.attrs["caveats"])
    with pytest.raises(MeasureError, match="why_changed needs two years"):
        why_changed("wiod2013:2011")


def test_cli_sda_with_a_deflator_file(tmp_path):
    a, b = tmp_path / "a.npz", tmp_path / "b.npz"
    silkchain.write(random_table(1), a)
    silkchain.write(random_table(2), b)
    prices = tmp_path / "prices.csv"
    prices.write_text("country,sector,deflator\nC0,,2\nC1,,2\nC2,,2\n")
    out = tmp_path / "sda.csv"
    res = CliRunner().invoke(build_app(), ["sda", str(a), str(b), "--measure", "vax",
                                           "--deflator", str(prices), "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert "constant prices of the first table" in res.output
    f, plain = pd.read_csv(out), sda(random_table(1), random_table(2), "vax")
    assert_allclose(f.loc[f["term"] == "end", "value"],
                    plain.loc[plain["term"] == "end", "value"] / 2, rtol=1e-9)
    prices.write_text("country,deflator\nC0,1\n")
    res = CliRunner().invoke(build_app(), ["sda", str(a), str(b), "--deflator", str(prices),
                                           "-o", str(out)])
    assert res.exit_code == 1 and "no deflator for 4 industries" in res.output
