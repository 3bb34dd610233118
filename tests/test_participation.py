"""Koopman et al. (2010) and WWYZ (2017a) participation: vectors, published values, identities."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from silkchain.core.participation import (
    apply_local,
    koopman_terms,
    safe_ratio,
    wwyz_terms,
)
from silkchain.errors import MeasureError
from silkchain.measures.participation import WWYZ_MEASURES, koopman, wwyz

RTOL = 1e-8


def close(actual, expected, rtol=RTOL):
    """abs 1e-8 * max(1, |v|) (METHODS.md §13)."""
    expected = np.asarray(expected, dtype=float)
    assert_allclose(actual, expected, rtol=rtol, atol=rtol)


def values(frame, measure):
    return frame.loc[frame.measure == measure, "value"].to_numpy()


# ----------------------------------------------------------------- Koopman
@pytest.mark.parametrize("level", ["sector", "country"])
def test_koopman_vs1_reproduces_vectors(reftable, level):
    table, vec = reftable
    exp = vec["indicators"]["koopman2010"][level]
    f = koopman(table, level)
    for m in ("IV", "FV", "E", "participation", "position"):
        close(values(f, m), exp[m])
    assert f.attrs["variant"] == "vs1"


def test_koopman_kww_variant_reproduces_vectors(reftable):
    table, vec = reftable
    exp = vec["indicators"]["koopman2010"]["country_kww_variant"]
    f = koopman(table, "country", variant="kww")
    for m in ("IV", "FV", "E", "participation", "position"):
        close(values(f, m), exp[m])


def test_koopman_matches_gvc_package_published(leather, ref):
    pub = ref["leather"]["published"]["gvc_tests"]
    f = koopman(leather, "sector")
    iv, fv = values(f, "IV"), values(f, "FV")
    assert abs(iv[0] - pub["e2r[1]"]) <= 5e-8
    assert abs(iv[8] - pub["e2r[9]"]) <= 5e-7
    assert abs(fv[0] - pub["i2e[1]"]) <= 5e-7
    assert abs(fv[8] - pub["i2e[9]"]) <= 5e-7


def test_koopman_variants_printed_in_methods(leather):
    """METHODS.md §14.1: the two IV variants differ materially."""
    vs1 = koopman(leather)
    kww = koopman(leather, variant="kww")
    assert_allclose(values(vs1, "participation"), [0.501, 0.425, 0.377], atol=5e-4)
    assert_allclose(values(vs1, "position"), [0.137, 0.043, -0.097], atol=5e-4)
    assert_allclose(values(kww, "participation"), [0.296, 0.254, 0.265], atol=5e-4)
    assert_allclose(values(kww, "position"), [-0.030, -0.105, -0.201], atol=5e-4)


def test_koopman_identities_reference(reftable):
    table, vec = reftable
    f = koopman(table)
    kww = np.array(vec["indicators"]["kww"]["values_Gx9"])
    bm = vec["indicators"]["bm_source_exporter"]["country"]
    fv, iv = values(f, "FV"), values(f, "IV")
    close(fv, kww[:, 6:9].sum(axis=1))  # FV = KWW T7+T8+T9
    close(fv, bm["FC"])  # = BM FC
    close(iv.sum(), fv.sum())  # world sum IV = sum FV
    close(values(koopman(table, variant="kww"), "IV"), kww[:, 2])  # = KWW T3
    # sector IVs (origin) sum to the country IV
    close(values(koopman(table, "sector"), "IV").reshape(table.G, table.N).sum(axis=1), iv)


@pytest.mark.parametrize("year", [1995, 2011])
def test_koopman_identities_wiod(year):
    from silkchain import read

    t = read(f"wiod2013:{year}")
    k = koopman_terms(t.v, t.E, t.Yc, t.G, t.N, t.solver)
    assert_allclose(k.IV.sum(), k.FV.sum(), rtol=1e-9)
    # against the explicit V B diag(E) (row and column sums of off-diagonal blocks)
    B = t.B
    vb = t.v[:, None] * B
    c = np.repeat(np.arange(t.G), t.N)
    own = c[:, None] == c[None, :]
    assert_allclose(k.FV, np.where(own, 0.0, vb).sum(axis=0) * t.E, rtol=1e-9, atol=1e-6)
    assert_allclose(k.IV, (np.where(own, 0.0, vb) * t.E[None, :]).sum(axis=1),
                    rtol=1e-9, atol=1e-6)
    f = koopman(t)
    assert np.isfinite(values(f, "participation")).all()


def test_koopman_zero_exports_give_nan():
    # E = 0 for an industry: participation undefined, no warning, others finite
    iv, fv, e = np.array([1.0, 0.0]), np.array([1.0, 0.0]), np.array([4.0, 0.0])
    from silkchain.core.participation import koopman_indices

    part, pos = koopman_indices(iv, fv, e)
    assert part[0] == 0.5 and np.isnan(part[1]) and np.isnan(pos[1])


def test_koopman_errors(leather):
    with pytest.raises(MeasureError, match=r"level must be one of 'country', 'sector'; "
                                           r"got 'bilateral'"):
        koopman(leather, "bilateral")
    with pytest.raises(MeasureError, match=r"variant must be one of 'vs1', 'kww'; got 'T3'"):
        koopman(leather, variant="T3")
    with pytest.raises(MeasureError, match=r"unknown Koopman variant 'x'"):
        koopman_terms(leather.v, leather.E, leather.Yc, 3, 3, leather.solver, "x")


# ----------------------------------------------------------------- WWYZ
def test_wwyz_terms_reproduce_vectors(reftable):
    table, vec = reftable
    exp = vec["indicators"]["wwyz_participation"]
    t = wwyz_terms(table.A, table.v, table.Yc, table.G, table.N, table.solver, table.L_blocks)
    close(t.forward, exp["forward_terms_GNx4_rowsum_va"])
    close(t.backward, exp["backward_terms_GNx4_colsum_y"])


@pytest.mark.parametrize("level", ["sector", "country"])
def test_wwyz_shares_reproduce_vectors(reftable, level):
    table, vec = reftable
    exp = vec["indicators"]["wwyz_participation"][level]
    f = wwyz(table, level)
    names = {"fwd_simple": "forward_simple", "fwd_complex": "forward_complex",
             "fwd_total": "forward", "bwd_simple": "backward_simple",
             "bwd_complex": "backward_complex", "bwd_total": "backward"}
    for key, measure in names.items():
        close(values(f, measure), exp[key])
    assert list(dict.fromkeys(f.measure)) == list(WWYZ_MEASURES)


def test_wwyz_matches_measuregvc_published(leather, ref):
    pub = np.array(ref["leather"]["published"]["MeasureGVC_wwyz"]["rows_GN"])
    f = wwyz(leather, "sector")
    got = np.column_stack([values(f, "V_D") / values(f, "va"), values(f, "Y_D") / values(f, "y"),
                           values(f, "forward"), values(f, "backward")])
    assert_allclose(got, pub, atol=5e-7)


def _check_wwyz_identities(table, tol=1e-9):
    t = wwyz_terms(table.A, table.v, table.Yc, table.G, table.N, table.solver, table.L_blocks)
    scale = max(1.0, float(np.abs(table.x).max()))
    assert_allclose(t.forward.sum(axis=1), table.va, rtol=tol, atol=tol * scale)
    assert_allclose(t.backward.sum(axis=1), table.y, rtol=tol, atol=tol * scale)
    assert_allclose(t.forward[:, 2:].sum(), t.backward[:, 2:].sum(), rtol=tol)
    assert_allclose(t.forward[:, :2].sum(), t.backward[:, :2].sum(), rtol=tol)
    # GVC_S + GVC_C = V (B - L) Ŷ, row sums
    BmL = table.solver.solve(table.y) - apply_local(table.L_blocks, table.y)
    assert_allclose(t.forward[:, 2] + t.forward[:, 3], table.v * BmL, rtol=tol,
                    atol=tol * scale)
    return t


def test_wwyz_identities_reference(reftable):
    table, _ = reftable
    t = _check_wwyz_identities(table, 1e-12)
    fwd_share = safe_ratio(t.forward, t.va[:, None])
    bwd_share = safe_ratio(t.backward, t.y[:, None])
    assert (fwd_share >= -1e-15).all() and (fwd_share <= 1 + 1e-15).all()
    assert (bwd_share >= -1e-15).all() and (bwd_share <= 1 + 1e-15).all()


@pytest.mark.parametrize("year", [1995, 2011])
def test_wwyz_identities_wiod(year):
    from silkchain import read

    t = read(f"wiod2013:{year}")
    _check_wwyz_identities(t)
    f = wwyz(t)
    # country: numerators add up across levels
    s = wwyz(t, "sector")
    for m in ("va", "V_GVC", "y", "Y_GVC"):
        assert_allclose(values(s, m).reshape(t.G, t.N).sum(axis=1), values(f, m), rtol=1e-12)
    share = values(f, "forward")
    assert ((share >= 0) & (share <= 1)).all()


def test_wwyz_level_error(leather):
    with pytest.raises(MeasureError, match=r"level must be one of 'country', 'sector'"):
        wwyz(leather, "world")
