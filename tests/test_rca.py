"""Gross (Balassa) and value-added (KWW 2014 NRCA) revealed comparative advantage."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from silkchain import read
from silkchain.core.rca import balassa, dva_by_origin_sector
from silkchain.errors import MeasureError
from silkchain.measures.rca import rca


def matrix(frame, table):
    return frame.value.to_numpy().reshape(table.G, table.N)


def _check_weighted_identities(R, X):
    """sum_i RCA_si X_wi / X_w = 1 per exporter, sum_s RCA_si X_s / X_w = 1 per sector."""
    Xw = X.sum()
    by_sector, by_country = X.sum(axis=0), X.sum(axis=1)
    ok_c, ok_s = by_country != 0, by_sector != 0
    Rz = np.where(np.isnan(R), 0.0, R)
    assert_allclose((Rz * by_sector[None, :] / Xw).sum(axis=1)[ok_c], 1.0, rtol=1e-12)
    assert_allclose((Rz * by_country[:, None] / Xw).sum(axis=0)[ok_s], 1.0, rtol=1e-12)


def test_balassa_small_example():
    assert_allclose(balassa(np.array([[1.0, 3.0], [3.0, 1.0]])), [[0.5, 1.5], [1.5, 0.5]])
    R = balassa(np.array([[1.0, 0.0], [0.0, 0.0]]))
    assert R[0, 0] == 1.0 and np.isnan(R[1]).all() and np.isnan(R[0, 1])  # no exports: NaN


def test_gross_rca_by_definition_and_identities(reftable):
    table, vec = reftable
    R = matrix(rca(table), table)
    X = np.array(vec["derived"]["E"]).reshape(table.G, table.N)
    expected = (X / X.sum(1, keepdims=True)) / (X.sum(0, keepdims=True) / X.sum())
    assert_allclose(R, expected, rtol=1e-12)
    _check_weighted_identities(R, X)
    # bounds: 0 <= RCA <= X_w / X_wi
    upper = X.sum() / X.sum(0, keepdims=True)
    assert (R >= 0).all() and (upper + 1e-12 >= R).all()


def test_value_added_basis_sums_to_bm_dva(reftable):
    """KWW (2014) §V: DVA in exports by sector of origin sums to T1-T5 = BM DVA."""
    table, vec = reftable
    dva = dva_by_origin_sector(table.v, table.E, table.L_blocks)
    bm = vec["indicators"]["bm_source_exporter"]["country"]["DVA"]
    kww = np.array(vec["indicators"]["kww"]["values_Gx9"])[:, :5].sum(axis=1)
    assert_allclose(dva.reshape(table.G, table.N).sum(axis=1), bm, rtol=1e-10)
    assert_allclose(dva.reshape(table.G, table.N).sum(axis=1), kww, rtol=1e-10)
    assert (dva >= 0).all()
    # ... and never exceeds the value added of the sector
    assert (dva <= table.va + 1e-9).all()
    R = matrix(rca(table, basis="value_added"), table)
    _check_weighted_identities(R, dva.reshape(table.G, table.N))
    f = rca(table, basis="value_added")
    assert set(f.measure) == {"NRCA"} and f.attrs["basis"] == "value_added"


@pytest.mark.parametrize("year", [1995, 2011])
def test_wiod_identities(year):
    table = read(f"wiod2013:{year}")
    for basis in ("gross", "value_added"):
        R = matrix(rca(table, basis), table)
        X = (table.E if basis == "gross"
             else dva_by_origin_sector(table.v, table.E, table.L_blocks))
        _check_weighted_identities(R, X.reshape(table.G, table.N))
    # gross RCA: NaN only for sectors nobody exports
    Rg = matrix(rca(table), table)
    none_export = table.E.reshape(table.G, table.N).sum(axis=0) == 0
    assert np.isnan(Rg).any(axis=0).tolist() == none_export.tolist()


def test_value_added_differs_from_gross(wiod2011):
    g = matrix(rca(wiod2011), wiod2011)
    v = matrix(rca(wiod2011, "value_added"), wiod2011)
    ok = ~np.isnan(g) & ~np.isnan(v)
    assert np.abs(g[ok] - v[ok]).max() > 0.1
    # services are exported indirectly: their value-added RCA is higher on average
    c = wiod2011.labels.countries.index("CHN")
    assert np.nanmean(v[c, 18:30]) > np.nanmean(g[c, 18:30])


def test_basis_error(leather):
    with pytest.raises(MeasureError, match=r"basis must be one of 'gross', 'value_added'; "
                                           r"got 'net'"):
        rca(leather, basis="net")
