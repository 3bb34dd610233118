"""Leontief, Johnson-Noguera, KWW and WWZ decompositions (METHODS.md §2-§5, §12-§14).

Every number of ``vectors.json`` for these measures on both reference tables (to
1e-8), every published leather number that concerns them (at its printed
precision), the identities of METHODS.md §12 on the reference tables and on
bundled WIOD years, the labelled layer and every error path.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

import silkchain
from silkchain import MRIOTable, read
from silkchain.core import decompositions as cd
from silkchain.core.blocks import country_column_mask, diag_blocks, sum_by_country
from silkchain.core.leontief import LeontiefSolver
from silkchain.errors import MeasureError, ShapeError, SingularSystemError
from silkchain.measures import catalogue, value_added
from silkchain.measures import decompose as md
from silkchain.measures.tidy import pivot_wide

from .conftest import WIOD_YEARS

TOL = {"rtol": 1e-8, "atol": 1e-8}  # METHODS.md §13: abs 1e-8 * max(1, |v|)


def core_args(t: MRIOTable) -> tuple[Any, ...]:
    return t.A, t.Yc, t.v, t.x, t.G, t.N


def wwz_array(t: MRIOTable) -> np.ndarray:
    return cd.wwz(*core_args(t), solver=t.solver, L_blocks=t.L_blocks,
                  B_blocks=diag_blocks(t.B, t.G, t.N))


def kww_array(t: MRIOTable) -> np.ndarray:
    return cd.kww(*core_args(t), solver=t.solver, L_blocks=t.L_blocks)


def printed(value: float, truncated: bool = False) -> float:
    """Tolerance of a printed number: half a unit in its last digit (a unit if truncated)."""
    exp = Decimal(repr(float(value))).normalize().as_tuple().exponent
    unit = 10.0 ** min(int(exp), 0)
    return (1.0 if truncated else 0.5) * unit * (1 + 1e-9)


def assert_printed(actual: Any, published: Any, truncated: bool = False) -> None:
    actual = np.asarray(actual, dtype=float).ravel()
    published = np.asarray(published, dtype=float).ravel()
    assert actual.shape == published.shape
    tol = np.array([printed(p, truncated) for p in published])
    gap = np.abs(actual - published)
    bad = np.flatnonzero(gap > tol)
    assert bad.size == 0, [(int(i), actual[i], published[i]) for i in bad[:10]]


# ---------------------------------------------------------------------------- vectors.json
def test_vb_and_leontief_matrices_match_vectors(reftable):
    t, ref = reftable
    ind = ref["indicators"]
    assert_allclose(cd.value_added_shares(t.v, t.B), ind["VB"], **TOL)
    assert_allclose(cd.vb_diag(t.v, t.B, t.E), ind["leontief_exports_VBdiagE"], **TOL)
    assert_allclose(cd.vb_diag(t.v, t.B, t.x), ind["leontief_output_VBdiagx"], **TOL)
    assert_allclose(cd.vby(t.v, t.solver, t.Yc), ind["leontief_final_demand_VBY"], **TOL)


@pytest.mark.parametrize(("post", "key"), [
    ("shares", "VB"), ("exports", "leontief_exports_VBdiagE"),
    ("output", "leontief_output_VBdiagx"), ("final_demand", "leontief_final_demand_VBY"),
])
def test_leontief_frames_match_vectors(reftable, post, key):
    t, ref = reftable
    f = md.leontief(t, post=post)
    expected = np.asarray(ref["indicators"][key])
    assert f["term"].unique().tolist() == [value_added._POST_TERM[post]]
    assert_allclose(f["value"].to_numpy().reshape(expected.shape), expected, **TOL)
    C, S = list(t.labels.countries), list(t.labels.sectors)
    assert f["source_country"].iloc[0] == C[0] and f["source_sector"].iloc[1] == S[0]
    if post != "final_demand":
        assert f.columns.tolist() == ["source_country", "source_sector", "country", "sector",
                                      "term", "value"]
        assert f["sector"].iloc[1] == S[1]
    else:
        assert f.columns.tolist() == ["source_country", "source_sector", "country", "term",
                                      "value"]
        assert f["country"].iloc[1] == C[1]


def test_johnson_noguera_matches_vectors(reftable):
    t, ref = reftable
    J = ref["indicators"]["johnson_noguera"]
    jn = cd.johnson_noguera(*core_args(t), solver=t.solver)
    assert_allclose(jn.matrix, J["VAX_matrix_GxG"], **TOL)
    assert_allclose(jn.vax, J["VAX"], **TOL)
    assert_allclose(jn.exports, J["E"], **TOL)
    assert_allclose(jn.ratio, J["VAX_ratio"], **TOL)
    bil = np.array(J["VAX_bilateral_ratio"], dtype=float)  # null on the diagonal
    assert np.array_equal(np.isnan(jn.bilateral_ratio), np.isnan(bil))
    assert_allclose(jn.bilateral_ratio, bil, equal_nan=True, **TOL)
    assert_allclose(jn.sector_vax, J["VAX_sector_by_origin"], **TOL)


def test_vax_frames_match_vectors(reftable):
    t, ref = reftable
    J = ref["indicators"]["johnson_noguera"]
    wide = pivot_wide(md.vax(t, "country"))
    assert wide.columns.tolist() == ["VAX", "GEXP", "VAX_ratio"]
    assert wide.index.tolist() == list(t.labels.countries)
    assert_allclose(wide[["VAX", "GEXP", "VAX_ratio"]].to_numpy(),
                    np.column_stack([J["VAX"], J["E"], J["VAX_ratio"]]), **TOL)
    bil = md.vax(t, "bilateral")
    assert len(bil) == t.G * (t.G - 1) * 3 and not (bil["exporter"] == bil["importer"]).any()
    vax_bil = bil[bil["term"] == "VAX"]
    M = np.array(J["VAX_matrix_GxG"])
    off = ~np.eye(t.G, dtype=bool)
    assert_allclose(vax_bil["value"].to_numpy(), M[off], **TOL)
    ratio = bil[bil["term"] == "VAX_ratio"]["value"].to_numpy()
    assert_allclose(ratio, np.array(J["VAX_bilateral_ratio"], dtype=float)[off], **TOL)
    sec = pivot_wide(md.vax(t, "sector"))
    assert_allclose(sec["VAX"].to_numpy(), J["VAX_sector_by_origin"], **TOL)
    assert_allclose(sec["GEXP"].to_numpy(), t.E, **TOL)


def test_kww_matches_vectors(reftable):
    t, ref = reftable
    K = ref["indicators"]["kww"]
    assert list(cd.KWW_TERMS) == K["terms"]
    assert_allclose(kww_array(t), K["values_Gx9"], **TOL)
    wide = pivot_wide(md.kww(t))
    assert wide.columns.tolist() == K["terms"]
    assert wide.index.tolist() == list(t.labels.countries)
    assert_allclose(wide.to_numpy(), K["values_Gx9"], **TOL)


def test_wwz_matches_vectors_cell_by_cell(reftable):
    t, ref = reftable
    W = ref["indicators"]["wwz"]
    assert list(cd.WWZ_TERMS) == W["terms"]
    expected = np.asarray(W["values"])
    assert_allclose(wwz_array(t), expected, **TOL)
    # the diagonal blocks of B solved from the LU factors give the same terms
    assert_allclose(cd.wwz(*core_args(t)), expected, **TOL)
    f = md.wwz(t)
    G, N = t.G, t.N
    assert f.columns.tolist() == ["exporter", "sector", "importer", "term", "value"]
    assert len(f) == G * N * (G - 1) * 16
    own = np.broadcast_to(np.eye(G, dtype=bool)[:, None, :, None], (G, N, G, 16))
    assert_allclose(f["value"].to_numpy(), expected.reshape(G, N, G, 16)[~own], **TOL)
    first = f.iloc[0]
    assert (first["exporter"], first["sector"], first["importer"], first["term"]) == (
        t.labels.countries[0], t.labels.sectors[0], t.labels.countries[1], "DVA_FIN")


# ---------------------------------------------------------------------------- published
def test_published_decompr_leontief_values(leather, ref):
    pub = ref["leather"]["published"]["decompr_tests"]  # values are truncated, 1-based
    E = cd.vb_diag(leather.v, leather.B, leather.E)
    X = cd.vb_diag(leather.v, leather.B, leather.x)
    F = cd.vby(leather.v, leather.solver, leather.Yc)
    got = {"leontief_exports[1,1]": E[0, 0], "leontief_exports[9,9]": E[8, 8],
           "leontief_output[1,1]": X[0, 0], "leontief_output[9,9]": X[8, 8],
           "leontief_fd[1,1]": F[0, 0], "leontief_fd[7,2]": F[6, 1]}
    assert set(got) == set(pub)
    for key, value in got.items():
        assert_printed(value, pub[key], truncated=True)


def test_published_icio_leontief_exports_E_and_v(leather, ref):
    pub = ref["leather"]["published"]
    f = md.leontief(leather, post="exports")
    assert_printed(f["value"], pub["icio_leontief_VBdiagE_9x9"])
    sec = pivot_wide(md.vax(leather, "sector"))
    assert_printed(sec["GEXP"], pub["icio_E"])
    assert_printed(leather.v, pub["icio_Vc_3dp"])


def test_published_icio_kww(leather, ref):
    pub = ref["leather"]["published"]["icio_kww_3x9"]
    wide = pivot_wide(md.kww(leather))
    assert wide.columns.tolist() == pub["terms"]
    assert_printed(wide.to_numpy(), pub["values"])
    spot = {"DVA_FIN": [19.349405, 43.394614, 78.731008], "FDC": [3.770832, 5.573163, 5.185401]}
    for term, values in spot.items():  # METHODS.md §13 spot values
        assert_printed(wide[term], values)


def test_published_icio_wwz(leather, ref):
    pub = ref["leather"]["published"]
    f = md.wwz(leather)
    to_deu = f[(f["importer"] == "Germany") & (f["term"] == "DVA_FIN")]
    W = wwz_array(leather)
    assert_printed(W[:, 2, 0], pub["icio_wwz_DVA_FIN_to_Germany"])
    assert_printed(to_deu["value"], pub["icio_wwz_DVA_FIN_to_Germany"][:6])
    # WWZ -> KWW map (Table E2) per exporting sector x importer, 27 rows
    mapped = pub["icio_wwz2kww_27x9"]
    kmap = np.zeros((16, 9))
    for k, name in enumerate(cd.WWZ_TERMS):
        kmap[k, mapped["terms"].index(cd.WWZ_TO_KWW[name])] = 1.0
    assert_printed((W @ kmap).reshape(27, 9), mapped["values"])


# ---------------------------------------------------------------------------- identities
def _check_identities(t: MRIOTable, nonnegative: bool = True) -> None:
    """METHODS.md §12 for Leontief, JN, KWW and WWZ on one table.

    Exports that a rounded table records for a zero-output industry (inventory
    draws offsetting them) have no value-added origin (v = 0 and A's column is
    0 where x = 0, METHODS.md §14.10): the identities hold for the exports of
    industries with output, and every term of a zero-output industry is zero.
    """
    G, N, n = t.G, t.N, t.n
    own = country_column_mask(G, N)
    live = t.x != 0
    ESR = np.where(live[:, None], t.ESR, 0.0)
    E = ESR.sum(axis=1)
    scale = max(1.0, float(np.abs(t.x).max()))
    # A rounded release can record a rounded input to a zero-output industry, which
    # A drops (x_j = 0), so that (I - A) x = y only up to that unit; identities then
    # hold to the propagated gap B |(I - A) x - y| (zero for consistent tables).
    gap = np.abs(t.x - t.A @ t.x - t.y)
    slack = float(t.solver.solve(gap).max()) if gap.max() > 1e-9 * scale else 0.0
    tol = {"rtol": 1e-9, "atol": 1e-9 * scale + 2 * slack}
    VBc = cd.va_by_country(t.v, t.solver, G, N)
    # B2: u'VB = u' (a zero-output industry has v = 0 and a unit column of B: sum 0)
    assert_allclose(VBc.sum(axis=0), np.where(live, 1.0, 0.0), rtol=0, atol=1e-9)
    dc = VBc.T[own]  # V_s B_ss per exporting industry
    fc = VBc.sum(axis=0) - dc
    vsl = np.einsum("gi,gij->gj", t.v.reshape(G, N), t.L_blocks).reshape(n)
    # Leontief VB diag(E): columns sum to E; blocks give DC and FC; country path agrees
    M = cd.leontief_country(t.v, t.solver, t.E, G, N)
    assert_allclose(M.sum(axis=0), sum_by_country(E, G, N), **tol)
    assert_allclose(np.diag(M), sum_by_country(dc * E, G, N), **tol)
    # JN: rows = GDP, columns = final demand, 0 <= ratio <= 1
    jn = cd.johnson_noguera(*core_args(t), solver=t.solver)
    assert_allclose(jn.matrix.sum(axis=1), sum_by_country(t.va, G, N), **tol)
    assert_allclose(jn.matrix.sum(axis=0), t.Yc[live].sum(axis=0), **tol)
    assert_allclose(jn.matrix.sum(), t.va.sum(), **tol)
    # KWW
    T = kww_array(t)
    Es = sum_by_country(E, G, N)
    assert_allclose(T.sum(axis=1), Es, **tol)
    assert_allclose(T[:, :6].sum(axis=1), sum_by_country(dc * E, G, N), **tol)
    assert_allclose(T[:, :5].sum(axis=1), sum_by_country(vsl * E, G, N), **tol)
    assert_allclose(T[:, 5], sum_by_country((dc - vsl) * E, G, N), **tol)
    assert_allclose(T[:, 6:].sum(axis=1), sum_by_country(fc * E, G, N), **tol)
    assert_allclose(T[:, :3].sum(axis=1), jn.vax, **tol)
    # WWZ, cell by cell
    W = wwz_array(t)
    assert_allclose(W.sum(axis=2), ESR, **tol)
    assert_allclose(W[:, :, [0, 10, 13]].sum(axis=2), t.Efd * live[:, None], **tol)
    inter = [k for k in range(16) if k not in (0, 10, 13)]
    assert_allclose(W[:, :, inter].sum(axis=2), t.Eint * live[:, None], **tol)
    assert_allclose(W[:, :, :10].sum(axis=2), dc[:, None] * ESR, **tol)
    assert_allclose(W[:, :, 10:].sum(axis=2), fc[:, None] * ESR, **tol)
    assert np.all(W[own] == 0.0) and np.all(W[~live] == 0.0)
    kmap = np.zeros((16, 9))
    for k, name in enumerate(cd.WWZ_TERMS):
        kmap[k, cd.KWW_TERMS.index(cd.WWZ_TO_KWW[name])] = 1.0
    assert_allclose(sum_by_country(W.sum(axis=1) @ kmap, G, N), T, **tol)  # Table E2
    assert_allclose(sum_by_country(W[:, :, :8].sum(axis=(1, 2)), G, N),
                    T[:, :5].sum(axis=1), **tol)  # W1..W8 = T1..T5 = BM DVA
    if nonnegative:
        floor = -1e-9 * scale
        assert T.min() >= floor and W.min() >= floor
        assert np.all((jn.ratio >= 0) & (jn.ratio <= 1))


def test_identities_reference_tables(reftable):
    _check_identities(reftable[0])


@pytest.mark.parametrize("year", [1995, 2011])
def test_identities_wiod(year):
    _check_identities(read(f"wiod2013:{year}"), nonnegative=False)


def test_nonnegative_on_wiod_without_inventory_draws(wiod2011):
    # WIOD's final demand has negative inventory changes; with those set to 0
    # every term must be >= 0 (METHODS.md §12, §14.7).
    t = wiod2011
    Y = np.maximum(t.Y, 0.0)
    clipped = MRIOTable.from_arrays(t.Z, Y, t.labels.countries, t.labels.sectors,
                                    fd_categories=t.labels.fd_categories, rounding=1.0)
    _check_identities(clipped, nonnegative=True)


@pytest.mark.slow
def test_identities_every_wiod_year():
    from silkchain.io import bundled

    for year in WIOD_YEARS:
        if year in (1995, 2011):
            continue  # checked by test_identities_wiod
        # uncached read: the bundled cache would keep four whole years alive
        _check_identities(bundled.load.__wrapped__(year), nonnegative=False)


# ---------------------------------------------------------------------------- alt paths
def test_leontief_country_level_is_the_sum_of_sector_level(reftable):
    t, _ = reftable
    for post in ("exports", "output", "final_demand"):
        sec = md.leontief(t, post=post, level="sector")
        cty = md.leontief(t, post=post, level="country")
        summed = sec.groupby(["source_country", "country"], sort=False)["value"].sum()
        assert_allclose(cty["value"].to_numpy(), summed.to_numpy(), **TOL)
        assert cty.columns.tolist() == ["source_country", "country", "term", "value"]


def test_diagonal_blocks_from_lu_equal_those_of_B(random43, wiod2011):
    for t in (random43, wiod2011):  # WIOD's I - A is pivoted (some column sums >= 1)
        expected = diag_blocks(t.B, t.G, t.N)
        assert_allclose(cd.leontief_diagonal_blocks(t.solver, t.G, t.N), expected,
                        rtol=1e-10, atol=1e-12)


def test_diagonal_blocks_with_row_interchanges():
    rng = np.random.default_rng(7)
    A = rng.normal(size=(12, 12))  # a general matrix: partial pivoting swaps rows
    solver = LeontiefSolver.factor(A)
    assert not np.array_equal(solver.piv, np.arange(12))
    expected = diag_blocks(np.linalg.inv(np.eye(12) - A), 4, 3)
    assert_allclose(cd.leontief_diagonal_blocks(solver, 4, 3), expected, rtol=1e-10,
                    atol=1e-12)


def test_vax_matrix_equals_leontief_final_demand_by_country(random43):
    jn = cd.johnson_noguera(*core_args(random43))
    f = md.leontief(random43, post="final_demand", level="country")
    assert_allclose(f["value"].to_numpy().reshape(random43.G, random43.G), jn.matrix, **TOL)


def test_wwz_levels_are_sums_and_country_level_maps_to_kww(random43):
    t = random43
    bil = md.decompose(t, "wwz", level="bilateral")
    sec = md.decompose(t, "wwz", level="sector")
    cty = md.decompose(t, "wwz", level="country")
    assert sec.columns.tolist() == ["exporter", "sector", "term", "value"]
    assert cty.columns.tolist() == ["exporter", "term", "value"]
    by_sec = bil.groupby(["exporter", "sector", "term"], sort=False)["value"].sum()
    assert_allclose(sec["value"].to_numpy(), by_sec.to_numpy(), **TOL)
    mapped = cty.assign(kww=cty["term"].map(cd.WWZ_TO_KWW)).groupby(
        ["exporter", "kww"], sort=False)["value"].sum().unstack()[list(cd.KWW_TERMS)]
    assert_allclose(mapped.to_numpy(), pivot_wide(md.kww(t)).to_numpy(), **TOL)


def test_decompose_dispatches_each_method(leather):
    assert md.decompose(leather, "kww").equals(md.kww(leather))
    assert md.decompose(leather, "VAX", level="bilateral").equals(md.vax(leather, "bilateral"))
    assert md.decompose(leather, "leontief", level="sector", post="output").equals(
        md.leontief(leather, post="output"))


def test_decompose_bm_delegates_with_all_arguments(leather, monkeypatch):
    calls = []

    def fake_bm(table, level="country", perspective="exporter", approach="source",
                groups=None):
        calls.append((table, level, perspective, approach, groups))
        return pd.DataFrame({"exporter": ["x"], "term": ["GEXP"], "value": [1.0]})

    real = catalogue.MEASURES["bm"]
    catalogue.register(dataclasses.replace(real, function=fake_bm), replace=True)
    try:
        out = md.decompose(leather, "bm", level="bilateral", perspective="world", approach="sink",
                           groups={"AT": ["Argentina", "Turkey"]})
    finally:
        catalogue.register(real, replace=True)
    assert out["term"].tolist() == ["GEXP"]
    assert calls == [(leather, "bilateral", "world", "sink", {"AT": ["Argentina", "Turkey"]})]


def test_groups_merge_countries_before_decomposing(wiod2011):
    from silkchain.aggregation import aggregate_regions

    groups = {"EU3": ["DEU", "FRA", "ITA"]}
    got = md.decompose(wiod2011, "kww", groups=groups)
    merged = aggregate_regions(wiod2011, {c: "EU3" for c in groups["EU3"]})
    assert_allclose(got["value"].to_numpy(), md.kww(merged)["value"].to_numpy(), **TOL)
    assert "EU3" in set(got["exporter"]) and "DEU" not in set(got["exporter"])
    eu = got[got["exporter"] == "EU3"]["value"].sum()
    # the group's exports exclude trade among its members
    assert eu < sum(wiod2011.exports_by_country()[c] for c in groups["EU3"])
    assert_allclose(eu, merged.exports_by_country()["EU3"], rtol=1e-9)


# ---------------------------------------------------------------------------- errors
@pytest.mark.parametrize(("kwargs", "match"), [
    ({"method": "foo"}, r"unknown method 'foo'; available: bm, vax, kww, wwz, leontief"),
    ({"method": "kww", "level": "world"},
     r"method 'kww' does not support level 'world'; supported: country, sector, bilateral"),
    ({"method": "leontief", "level": "bilateral"},
     r"method 'leontief' does not support level 'bilateral'; supported: country, sector"),
    ({"method": "vax", "level": "world"}, r"supported: country, bilateral, sector"),
    ({"method": "wwz", "perspective": "world"},
     r"perspective='world', approach='source' is not available for method 'wwz'.*'bm'"),
    ({"method": "kww", "approach": "sink"}, r"approach='sink' is not available for method"),
    ({"method": "vax", "groups": {"G1": ["Argentina", "Narnia"]}},
     r"invalid groups: not countries of the table: Narnia \(the table has Argentina"),
    ({"method": "kww", "groups": {"G1": []}}, r"group 'G1' has no members"),
    ({"method": "kww", "groups": {"G1": ["Turkey"], "G2": ["Turkey", "Germany"]}},
     r"Turkey is in both 'G1' and 'G2'"),
    ({"method": "kww", "groups": {"Germany": ["Argentina", "Turkey"]}},
     r"group name\(s\) Germany are country codes of the table"),
])
def test_decompose_errors(leather, kwargs, match):
    with pytest.raises(MeasureError, match=match):
        md.decompose(leather, **kwargs)


def test_measure_argument_errors(leather):
    with pytest.raises(MeasureError, match=r"post must be one of 'shares', 'exports'"):
        md.leontief(leather, post="imports")  # type: ignore[arg-type]
    with pytest.raises(MeasureError, match=r"leontief supports level 'sector' or 'country'"):
        md.leontief(leather, level="bilateral")  # type: ignore[arg-type]
    with pytest.raises(MeasureError, match=r"post='shares' \(the VB matrix\) is sector level"):
        md.leontief(leather, post="shares", level="country")
    with pytest.raises(MeasureError, match=r"vax supports level 'country', 'bilateral'"):
        md.vax(leather, level="region")  # type: ignore[arg-type]


def test_core_shape_errors(leather):
    t = leather
    with pytest.raises(ShapeError, match=r"A has shape \(8, 8\), expected \(9, 9\).*G = 3"):
        cd.kww(t.A[:8, :8], t.Yc, t.v, t.x, 3, 3)
    with pytest.raises(ShapeError, match=r"Yc has shape \(9, 2\), expected \(9, 3\)"):
        cd.johnson_noguera(t.A, t.Yc[:, :2], t.v, t.x, 3, 3)
    with pytest.raises(ShapeError, match=r"v has shape \(8,\), expected \(9,\); x has shape"):
        cd.wwz(t.A, t.Yc, t.v[:8], t.x[:8], 3, 3)
    with pytest.raises(ShapeError, match=r"L_blocks has shape \(2, 3, 3\), expected \(3, 3, 3\)"):
        cd.kww(*core_args(t), L_blocks=t.L_blocks[:2])
    with pytest.raises(ShapeError, match=r"B_blocks has shape \(3, 2, 2\), expected"):
        cd.wwz(*core_args(t), B_blocks=np.zeros((3, 2, 2)))
    with pytest.raises(ShapeError, match=r"the solver factors a system of size 2, A has size 9"):
        cd.kww(*core_args(t), solver=LeontiefSolver.factor(np.zeros((2, 2))))


def test_singular_system_is_an_error_not_a_result():
    A = np.array([[0.5, 0.5], [0.5, 0.5]])  # columns sum to 1: I - A is singular
    Yc = np.array([[1.0, 1.0], [1.0, 1.0]])
    with pytest.raises(SingularSystemError, match=r"I - A is singular: zero pivot"):
        cd.kww(A, Yc, np.zeros(2), np.ones(2), 2, 1)
    with pytest.raises(SingularSystemError, match=r"wwz: the result holds NaN or inf"):
        cd.check_solved(np.array([1.0, np.nan]), "wwz")
    A_local = np.array([[1.0, 0.0], [0.0, 0.2]])  # country 0's own block is singular
    with pytest.raises(SingularSystemError, match=r"country block\(s\) 0"):
        cd.kww(A_local, Yc, np.zeros(2), np.ones(2), 2, 1, solver=LeontiefSolver(
            lu=np.eye(2), piv=np.arange(2, dtype=np.int32), n=2))


def test_docs_example_table_reads():
    # the docs pages use the bundled data; a smoke check of the public route
    t = silkchain.read("wiod2013:2011")
    f = md.decompose(t, "vax", level="country")
    assert f["exporter"].nunique() == 41 and set(f["term"]) == {"VAX", "GEXP", "VAX_ratio"}


def test_decompose_bm_equals_the_borin_mancini_module(leather):
    bm_module = pytest.importorskip("silkchain.measures.borin_mancini")
    got = md.decompose(leather, "bm", level="sector")
    assert got.equals(bm_module.bm(leather, level="sector"))


def test_published_icio_bm_totals_that_these_measures_share(leather, ref):
    # Borin & Mancini's exporter/source country totals coincide with Leontief, JN and KWW
    # aggregates (methods sheet §2-§4): GEXP, DC = V_s B_ss E_s, FC, VAX (JN), DVA = KWW
    # T1..T5, DDC = KWW T6. Published by the icio vignette at 7 significant digits.
    pub = ref["leather"]["published"]["icio_bm_exporter_source"]
    col = {name: k for k, name in enumerate(pub["terms"])}
    country = np.asarray(pub["country_3x13"])
    T = pivot_wide(md.kww(leather)).to_numpy()
    M = md.leontief(leather, post="exports", level="country")["value"].to_numpy().reshape(3, 3)
    jn = pivot_wide(md.vax(leather))
    ours = {"GEXP": jn["GEXP"].to_numpy(), "DC": np.diag(M), "FC": M.sum(axis=0) - np.diag(M),
            "VAX": jn["VAX"].to_numpy(), "DVA": T[:, :5].sum(axis=1), "DDC": T[:, 5]}
    for term, values in ours.items():
        assert_printed(values, country[:, col[term]])
    # by exporting sector: DC and FC are the own-country and foreign parts of VB diag(E)
    sector = np.asarray(pub["sector_9x13"])
    VBE = cd.vb_diag(leather.v, leather.B, leather.E)
    own = np.kron(np.eye(3), np.ones((3, 3))).astype(bool)
    assert_printed(np.where(own, VBE, 0).sum(axis=0), sector[:, col["DC"]])
    assert_printed(np.where(own, 0, VBE).sum(axis=0), sector[:, col["FC"]])


# ---------------------------------------------------------------------------- KWW by sector
@pytest.mark.parametrize("level", ["sector", "bilateral"])
def test_kww_by_sector_and_partner_is_wwz2kww_and_adds_up_to_the_country_terms(reftable,
                                                                              level):
    """decompr's wwz2kww: WWZ cells mapped by Table E2; exact only in aggregate (the caveat)."""
    t, _ = reftable
    f = value_added.kww(t, level=level)
    country = pivot_wide(value_added.kww(t))
    summed = f.groupby(["exporter", "term"], sort=False)["value"].sum().unstack()
    assert_allclose(summed.loc[country.index, country.columns], country, rtol=1e-9,
                    atol=1e-9)
    wwz = value_added.wwz(t, level=level)
    keys = ["exporter", "sector"] + (["importer"] if level == "bilateral" else [])
    mapped = (wwz.assign(term=wwz["term"].map(cd.WWZ_TO_KWW))
              .groupby([*keys, "term"])["value"].sum())
    assert_allclose(f.set_index([*keys, "term"])["value"].loc[mapped.index], mapped,
                    rtol=1e-12, atol=1e-12)
    if level == "bilateral":
        assert (f["exporter"] != f["importer"]).all()
