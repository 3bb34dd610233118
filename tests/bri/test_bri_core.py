"""The numpy algebra of the Belt and Road answers: identities of METHODS.md §2-3, §8, bounds."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from silkchain.bri.core import (
    chain_contributions,
    density,
    ols_slope,
    proximity,
    va_origin_by_absorber,
    va_origin_by_exporter,
    weighted_quadratic,
)
from silkchain.core.blocks import sum_by_country
from silkchain.measures.borin_mancini import bm
from silkchain.measures.participation import koopman
from tests.conftest import REFERENCE_NAMES, reference_table


@pytest.fixture(params=REFERENCE_NAMES)
def table(request):
    return reference_table(request.param)


def test_vbe_columns_sum_to_gross_exports_and_foreign_part_is_fv(table):
    VBE = va_origin_by_exporter(table.solver, table.v, table.E, table.G, table.N)
    assert (VBE >= -1e-12).all()
    assert_allclose(VBE.sum(axis=0), sum_by_country(table.E, table.G, table.N), rtol=1e-10)
    fv = (VBE * ~np.eye(table.G, dtype=bool)).sum(axis=0)
    k = koopman(table).query("measure == 'FV'").set_index("country")["value"]
    assert_allclose(fv, k.loc[list(table.labels.countries)].to_numpy(), rtol=1e-9)


def test_vby_rows_are_gdp_columns_final_demand_and_offdiagonal_is_vax(table):
    VBY = va_origin_by_absorber(table.solver, table.v, table.Yc, table.G, table.N)
    assert_allclose(VBY.sum(axis=1), sum_by_country(table.va, table.G, table.N), rtol=1e-10)
    assert_allclose(VBY.sum(axis=0), table.Yc.sum(axis=0), rtol=1e-10)
    vax = (VBY * ~np.eye(table.G, dtype=bool)).sum(axis=1)
    b = bm(table).query("term == 'VAX'").set_index("exporter")["value"]
    assert_allclose(vax, b.loc[list(table.labels.countries)].to_numpy(), rtol=1e-9)


def test_chain_contributions_add_up_to_exports_and_stages_are_at_least_one(table):
    N = table.N
    e = np.zeros(table.n)
    e[:N] = table.E[:N]
    contrib, stage = chain_contributions(table.solver, table.v, e)
    assert_allclose(contrib.sum(), e.sum(), rtol=1e-10)
    finite = np.isfinite(stage)
    assert finite.any() and (stage[finite] >= 1 - 1e-12).all()


def test_stage_is_one_without_intermediate_use():
    from silkchain.core.leontief import LeontiefSolver

    s = LeontiefSolver.factor(np.zeros((3, 3)))
    contrib, stage = chain_contributions(s, np.ones(3), np.array([2.0, 0.0, 1.0]))
    assert_allclose(contrib, [2.0, 0.0, 1.0])
    assert_allclose(stage[[0, 2]], 1.0) and np.isnan(stage[1])


def test_proximity_is_symmetric_bounded_and_matches_its_definition():
    rng = np.random.default_rng(7)
    M = rng.random((40, 9)) > 0.6
    phi = proximity(M)
    assert_allclose(phi, phi.T)
    assert ((phi >= 0) & (phi <= 1)).all()
    i, j = 2, 5
    both = (M[:, i] & M[:, j]).sum()
    expected = min(both / M[:, j].sum(), both / M[:, i].sum())  # min of the two conditionals
    assert phi[i, j] == pytest.approx(expected)
    d = density(M[0], phi)
    assert ((d >= 0) & (d <= 1)).all()


def test_density_is_one_when_the_country_is_strong_everywhere_else():
    phi = proximity(np.array([[1, 1, 1], [1, 1, 0]], dtype=bool))
    assert_allclose(density(np.array([True, True, True]), phi), 1.0)
    assert_allclose(density(np.zeros(3, dtype=bool), phi), 0.0)


def test_slope_and_quadratic_recover_exact_lines():
    x = np.arange(5.0)
    assert_allclose(ols_slope(x, np.vstack([3 * x + 1, -x])), [3.0, -1.0])
    assert np.isnan(ols_slope(x[:1], np.array([[1.0]]))[0])
    coef = weighted_quadratic(x, 2 - x + 0.5 * x**2, np.arange(1.0, 6.0))
    assert_allclose(coef, [2.0, -1.0, 0.5], atol=1e-10)
    assert np.isnan(weighted_quadratic(x[:2], x[:2], np.ones(2))).all()
