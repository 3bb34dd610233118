"""Borin-Mancini decomposition: published numbers, vectors.json, METHODS.md §12 identities."""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd
import pytest

from silkchain import read
from silkchain.core import borin_mancini as core
from silkchain.errors import MeasureError, SingularSystemError
from silkchain.measures.borin_mancini import bm, bm_array
from silkchain.measures.tidy import pivot_wide
from silkchain.table import MRIOTable

from .conftest import WIOD_YEARS, reference_table, vectors

REFS = ["leather", "random_4x3_seed20240601"]
SRC = core.SOURCE_TERMS
ADDITIVE = [t for t in SRC if t not in ("REX", "PDC")]      # the 13 icio terms


# ----------------------------------------------------------------------------- helpers
@cache
def _table(name: str) -> MRIOTable:
    if name.startswith("wiod"):
        return read(f"wiod2013:{name[4:]}")
    return reference_table(name)


@cache
def _system(name: str) -> core.BMSystem:
    t = _table(name)
    return core.prepare(t.A, t.v, t.x, t.Yc, t.ESR, t.G, t.N, names=t.labels.countries)


def _close(actual: np.ndarray, expected: np.ndarray, rel: float = 1e-8) -> None:
    """METHODS.md §13 tolerance: abs 1e-8 * max(1, |v|)."""
    actual, expected = np.asarray(actual, float), np.asarray(expected, float)
    assert actual.shape == expected.shape
    tol = rel * np.maximum(1.0, np.abs(expected))
    bad = np.abs(actual - expected) > tol
    assert not bad.any(), f"{bad.sum()} cells differ, max gap {np.abs(actual - expected).max()}"


def _printed(actual: float, printed: float) -> None:
    """Agreement within half a unit of the last printed digit."""
    text = repr(float(printed))
    decimals = len(text.split(".")[1]) if "." in text and "e" not in text else 0
    tol = 0.5 * 10.0 ** (-decimals) + 1e-12 * abs(printed)
    assert abs(actual - printed) <= tol, f"{actual} vs printed {printed} (tol {tol})"


def _wide(frame: pd.DataFrame) -> pd.DataFrame:
    return pivot_wide(frame)


def _scale(name: str) -> float:
    return float(np.abs(_table(name).E).max())


def _check_identities(c: np.ndarray, sec: np.ndarray, bil: np.ndarray, scale: float,
                      zero_output: np.ndarray | None = None, nonneg: bool = True,
                      negative_va: float = 0.0) -> None:
    """METHODS.md §12 for BM: the same at every level, additivity, non-negativity.

    Industries with zero gross output carry no value added; any "exports" they
    show (WIOD rounding, e.g. LUX/c8 1995: -1) stay undecomposed, so they are
    taken out of the equalities (``zero_output``: boolean mask over ``G*N``).
    Every term is ``sum_k v_k M_k. f`` with ``M f <= x`` for non-negative flows
    ``f``, so negative residual value added (rounded WIOD cells) can push a term
    below zero by at most the total negative value added ``negative_va``.
    """
    tol = 1e-9 * scale
    ix = {k: i for i, k in enumerate(SRC)}
    # additivity: bilateral -> sector (separate code paths) -> country, all terms
    assert np.abs(bil.sum(axis=2) - sec).max() <= tol
    assert np.abs(sec.sum(axis=1) - c).max() <= tol
    if zero_output is not None and zero_output.any():
        G, N = sec.shape[:2]
        z = zero_output.reshape(G, N)
        bil, sec = bil.copy(), sec.copy()
        bil[z] = 0.0
        sec[z] = 0.0
        c = sec.sum(axis=1)
    for arr in (c, sec, bil):
        T = {k: arr[..., i] for k, i in ix.items()}
        assert np.abs(T["GEXP"] - T["DC"] - T["FC"]).max() <= tol
        assert np.abs(T["DC"] - T["DVA"] - T["DDC"]).max() <= tol
        assert np.abs(T["FC"] - T["FVA"] - T["FDC"]).max() <= tol
        assert np.abs(T["DVA"] - T["DAVAX"] - T["REX"] - T["REF"]).max() <= tol
        assert np.abs(T["DVA"] - T["VAX"] - T["REF"]).max() <= tol
        top = T["DAVAX"] + T["REX"] + T["REF"] + T["FVA"] + T["PDC"]
        assert np.abs(T["GEXP"] - top).max() <= tol
        assert np.abs(T["GVCB"] - T["FVA"] - T["PDC"]).max() <= tol
        assert np.abs(T["GVCB"] - T["FC"] - T["DDC"]).max() <= tol
        assert np.abs(T["GVCF"] - T["REX"] - T["REF"]).max() <= tol
        assert np.abs(T["GVC"] - T["GVCB"] - T["GVCF"]).max() <= tol
        if nonneg:
            low = arr.reshape(-1, len(SRC)).min(axis=0)
            worst = SRC[int(np.argmin(low))]
            assert low.min() >= -tol - negative_va, f"negative {worst}: {low.min()}"


def _nonnegative_demand(t: MRIOTable) -> MRIOTable:
    """The table with negative final demand (inventory changes) set to zero.

    All BM terms are >= 0 when final demand is (METHODS.md §6); WIOD's
    inventory column makes a few exports negative, so the sign check runs on
    this variant and the equalities on the table as published.
    """
    return MRIOTable.from_arrays(t.Z, np.maximum(t.Y, 0.0), t.labels.countries,
                                 t.labels.sectors, fd_categories=t.labels.fd_categories,
                                 rounding=t.rounding)


def _wiod_checks(t: MRIOTable, sign: bool = True) -> None:
    s = core.prepare(t.A, t.v, t.x, t.Yc, t.ESR, t.G, t.N)
    scale = float(np.abs(t.E).max())
    _check_identities(core.exporter_source(s, "country"), core.exporter_source(s, "sector"),
                      core.exporter_source(s, "bilateral"), scale, zero_output=t.x == 0,
                      nonneg=False)
    if sign:
        t2 = _nonnegative_demand(t)
        s2 = core.prepare(t2.A, t2.v, t2.x, t2.Yc, t2.ESR, t2.G, t2.N)
        _check_identities(core.exporter_source(s2, "country"),
                          core.exporter_source(s2, "sector"),
                          core.exporter_source(s2, "bilateral"), scale, zero_output=t2.x == 0,
                          negative_va=float(-np.minimum(t2.va, 0.0).sum()))
    sink = core.exporter_sink(s, "sector")
    src = core.exporter_source(s, "sector")
    for term in ("DVA", "VAX", "REF", "DDC", "FVA", "FDC"):
        gap = sink[..., core.SINK_TERMS.index(term)].sum(1) - src[..., SRC.index(term)].sum(1)
        assert np.abs(gap).max() <= 1e-9 * scale, term


# ----------------------------------------------------------------------------- vectors.json
@pytest.mark.parametrize("name", REFS)
@pytest.mark.parametrize("level", ["country", "sector", "bilateral"])
def test_source_exporter_reproduces_vectors(name: str, level: str) -> None:
    t = _table(name)
    want = vectors()[name]["indicators"]["bm_source_exporter"][level]
    frame = bm(t, level=level)
    values, dims = bm_array(t, level=level)
    assert dims["term"] == SRC
    wide = _wide(frame)
    assert list(wide.columns) == list(SRC)
    for k, term in enumerate(SRC):
        exp = np.asarray(want[term], float)
        if level in ("country", "sector"):
            _close(wide[term].to_numpy(), exp)
        else:                                   # [i][r], zero on own country
            _close(values[..., k].reshape(t.n, t.G), exp)
    if level == "bilateral":
        assert len(frame) == t.G * t.N * (t.G - 1) * len(SRC)
        assert not (frame.exporter == frame.importer).any()
        assert frame.columns.tolist() == ["exporter", "sector", "importer", "term", "value"]


def test_leather_spot_values_of_methods_sheet(leather: MRIOTable) -> None:
    w = _wide(bm(leather))
    _close(w["DAVAX"], [34.798770, 65.503601, 89.316889], rel=1e-6)
    _close(w["REX"], [11.933318, 11.837843, 7.402253], rel=1e-6)
    _close(w["PDC"], [1.047601, 3.219541, 5.692709], rel=1e-6)


# ----------------------------------------------------------------------------- published
def test_published_icio_exporter_source_country_and_sector(leather: MRIOTable, ref) -> None:
    pub = ref["leather"]["published"]["icio_bm_exporter_source"]
    terms = pub["terms"]
    for level, key in (("country", "country_3x13"), ("sector", "sector_9x13")):
        w = _wide(bm(leather, level=level))
        for row, values in zip(w.itertuples(index=False), pub[key], strict=True):
            got = row._asdict()
            for term, printed in zip(terms, values, strict=True):
                _printed(got[term], printed)


def test_published_icio_exporter_source_bilateral(leather: MRIOTable, ref) -> None:
    pub = ref["leather"]["published"]["icio_bm_exporter_source"]
    values, _ = bm_array(leather, level="bilateral")
    flat = values.reshape(leather.n, leather.G, len(SRC))
    for row in pub["bilateral_18x13"]["values"]:
        i, r = int(row[0]) - 1, int(row[1]) - 1
        for term, printed in zip(pub["terms"], row[2:], strict=True):
            _printed(flat[i, r, SRC.index(term)], printed)


def test_published_icio_world_sink(leather: MRIOTable, ref) -> None:
    """The "corrected KWW" (world perspective, sink): FVA 8.471827 / 18.265189 / 33.128506."""
    pub = ref["leather"]["published"]["icio_bm_world_sink_3x9"]
    w = _wide(bm(leather, perspective="world", approach="sink"))
    assert list(w.columns) == pub["terms"]
    for got, values in zip(w.to_numpy(), pub["values"], strict=True):
        for g, printed in zip(got, values, strict=True):
            _printed(g, printed)


# icio 1.0.0 reference page of bm() (SebKrantz/icio, reference/bm.md at commit f90bdbbb):
# bm(load_icio(leather), aggregation = "bilateral", approach = "sink"), rows in its order
# (exporter, importer, industry); columns GEXP DC DVA VAX VAXIM REF DDC FC FVA FDC;
# one record = 13 tokens (names abbreviated, see ABBR).
ICIO_SINK_BILATERAL = """
ARG AGR TUR 14.0 12.5642780 12.357451 11.1495220 8.6467883 1.20792920 0.206826787 1.4357220
    1.4120879 0.023634130
ARG TEX TUR 6.8 5.2626672 5.172419 4.5941134 3.3363970 0.57830552 0.090248234 1.5373328
    1.5109695 0.026363357
ARG TRA TUR 0.9 0.6361968 0.631643 0.5994267 0.5204712 0.03221630 0.004553866 0.2638032
    0.2619149 0.001888290
ARG AGR DEU 19.2 17.2310098 16.976780 15.2571096 12.8017283 1.71967093 0.254229282 1.9689902
    1.9399394 0.029050821
ARG TEX DEU 21.7 16.7940996 16.492276 14.0624444 10.6916234 2.42983148 0.301823747 4.9059004
    4.8177315 0.088168896
ARG TRA DEU 1.7 1.2017051 1.186992 1.0694721 0.9062318 0.11752004 0.014713011 0.4982949
    0.4921940 0.006100846
TUR AGR ARG 10.7 8.9591095 8.736465 8.2433496 7.5330947 0.49311499 0.222644951 1.7408905
    1.6976272 0.043263282
TUR TEX ARG 12.1 9.8259679 9.616970 9.1484943 8.4243413 0.46847613 0.208997408 2.2740321
    2.2256637 0.048368449
TUR TRA ARG 1.6 1.1210406 1.110273 1.0804233 1.0374013 0.02984949 0.010767873 0.4789594
    0.4743588 0.004600523
TUR AGR DEU 35.2 29.4729584 28.549111 24.0661500 21.1873007 4.48296078 0.923847609 5.7270416
    5.5475241 0.179517565
TUR TEX DEU 47.1 38.2481890 37.042781 30.4161318 25.8904388 6.62664940 1.205407773 8.8518110
    8.5728425 0.278968549
TUR TRA DEU 6.9 4.8344878 4.769217 4.3868947 4.1249837 0.38232239 0.065270704 2.0655122
    2.0376256 0.027886602
DEU AGR ARG 14.9 12.7315559 11.915655 10.4287782 9.9293481 1.48687667 0.815901115 2.1684441
    2.0294794 0.138964627
DEU TEX ARG 10.3 8.5456405 8.240814 7.6235647 7.3729745 0.61724929 0.304826489 1.7543595
    1.6917808 0.062578720
DEU TRA ARG 31.6 21.2976809 20.852668 19.8817549 19.4540442 0.97091322 0.445012839 10.3023191
    10.0870532 0.215265891
DEU AGR TUR 23.8 20.3363108 19.622631 17.9073356 17.3509403 1.71529555 0.713679736 3.4636892
    3.3421349 0.121554238
DEU TEX TUR 20.7 17.1742484 15.942630 12.9978655 12.0796413 2.94476411 1.231618843 3.5257516
    3.2729090 0.252842628
DEU TRA TUR 46.3 31.2051464 30.268005 27.8798434 27.1400321 2.38816205 0.937140969 15.0948536
    14.6415307 0.453322843
"""
ABBR = {"ARG": "Argentina", "TUR": "Turkey", "DEU": "Germany", "AGR": "Agriculture",
        "TEX": "Textile_and_Leather", "TRA": "Transport_Equipment"}


def _printed_str(actual: float, text: str) -> None:
    decimals = len(text.split(".")[1]) if "." in text else 0
    assert abs(actual - float(text)) <= 0.5 * 10.0 ** (-decimals) + 1e-12, (actual, text)


def test_published_icio_exporter_sink_bilateral(leather: MRIOTable) -> None:
    frame = bm(leather, level="bilateral", approach="sink")
    got = frame.set_index(["exporter", "sector", "importer", "term"])["value"]
    terms = core.SINK_BILATERAL_TERMS
    tokens = ICIO_SINK_BILATERAL.split()
    rows = [tokens[k:k + 13] for k in range(0, len(tokens), 13)]
    assert len(rows) == 18 and all(len(r) == 13 for r in rows)
    for exp_, sec, imp, *values in rows:
        key = (ABBR[exp_], ABBR[sec], ABBR[imp])
        for term, text in zip(terms, values, strict=True):
            _printed_str(got[(*key, term)], text)
    assert sorted(set(frame.term)) == sorted(terms)


# ----------------------------------------------------------------------------- identities
@pytest.mark.parametrize("name", REFS)
def test_source_identities(name: str) -> None:
    s = _system(name)
    _check_identities(core.exporter_source(s, "country"), core.exporter_source(s, "sector"),
                      core.exporter_source(s, "bilateral"), _scale(name))


@pytest.mark.parametrize("year", [1995, 2011])
def test_source_identities_wiod(year: int) -> None:
    _wiod_checks(_table(f"wiod{year}"))


@pytest.mark.slow
def test_source_identities_every_wiod_year() -> None:
    """Equalities, additivity and sink = source at country level, all 17 years.

    The sign check (on the table with inventories set to zero) runs for 1995
    and 2011 in the fast test.
    """
    for year in WIOD_YEARS:
        _wiod_checks(read(f"wiod2013:{year}"), sign=False)


@pytest.mark.parametrize("name", REFS)
def test_links_to_kww(name: str) -> None:
    """METHODS.md §6: VAX = T1-3, REF = T4+T5, DVA = T1-5, DDC = T6, FC = T7-9; FVA >= T7+T8."""
    kww = np.asarray(vectors()[name]["indicators"]["kww"]["values_Gx9"], float)
    c = core.exporter_source(_system(name), "country")
    T = {k: c[:, i] for i, k in enumerate(SRC)}
    _close(T["VAX"], kww[:, 0:3].sum(1))
    _close(T["REF"], kww[:, 3:5].sum(1))
    _close(T["DVA"], kww[:, 0:5].sum(1))
    _close(T["DDC"], kww[:, 5])
    _close(T["FC"], kww[:, 6:9].sum(1))
    assert np.all(T["FVA"] >= kww[:, 6:8].sum(1))       # observed, not a proven identity


@pytest.mark.parametrize("name", REFS)
def test_country_terms_from_explicit_inverse_and_extraction(name: str) -> None:
    """Independent route: explicit B, L and Los-Timmer-de Vries extraction (METHODS.md §7)."""
    t = _table(name)
    c = core.exporter_source(_system(name), "country")
    G, N = t.G, t.N
    B, L, v, Es = t.B, t.L, t.v, t.E
    for s in range(G):
        rs = slice(s * N, (s + 1) * N)
        assert abs(v[rs] @ L[rs, rs] @ Es[rs] - c[s, SRC.index("DVA")]) < 1e-9 * Es.sum()
        assert abs(v[rs] @ B[rs, rs] @ Es[rs] - c[s, SRC.index("DC")]) < 1e-9 * Es.sum()
        A2, Y2 = t.A.copy(), t.Yc.copy()
        keep = A2[rs, rs].copy()
        A2[rs, :] = 0.0
        A2[rs, rs] = keep
        Y2[rs, :] = 0.0
        Y2[rs, s] = t.Yc[rs, s]
        xstar = np.linalg.solve(np.eye(t.n) - A2, Y2.sum(1))
        dgdp = v * (t.x - xstar)
        foreign = np.ones(t.n, bool)
        foreign[rs] = False
        assert abs(dgdp[foreign].sum() - c[s, SRC.index("FVA")]) < 1e-9 * Es.sum()


def test_woodbury_fva_equals_explicit_per_exporter_inverse(random43: MRIOTable) -> None:
    """``sum_{t!=s} V_t B^{/s}_ts`` by Woodbury equals the explicit ``(I - A^{/s})^-1``."""
    t = random43
    s_ = _system("random_4x3_seed20240601")
    for s in range(t.G):
        rs = slice(s * t.N, (s + 1) * t.N)
        As = t.A.copy()
        keep = As[rs, rs].copy()
        As[rs, :] = 0.0
        As[rs, rs] = keep
        Bs = np.linalg.inv(np.eye(t.n) - As)
        np.testing.assert_allclose(Bs[rs, rs], t.L_blocks[s], rtol=1e-12)
        expl = t.v @ Bs[:, rs] - t.v[rs] @ Bs[rs, rs]
        np.testing.assert_allclose(s_.fvac[rs], expl, rtol=1e-11, atol=1e-14)


# ----------------------------------------------------------------------------- sink
@pytest.mark.parametrize("name", [*REFS, "wiod2011"])
def test_sink_identities(name: str) -> None:
    s = _system(name)
    scale, tol = _scale(name), 1e-9 * _scale(name)
    bil = core.exporter_sink(s, "bilateral")
    sec = core.exporter_sink(s, "sector")
    src_b = core.exporter_source(s, "bilateral")
    tb = {k: bil[..., i] for i, k in enumerate(core.SINK_BILATERAL_TERMS)}
    assert np.abs(tb["GEXP"] - tb["DC"] - tb["FC"]).max() <= tol
    assert np.abs(tb["DC"] - tb["DVA"] - tb["DDC"]).max() <= tol
    assert np.abs(tb["FC"] - tb["FVA"] - tb["FDC"]).max() <= tol
    assert np.abs(tb["DVA"] - tb["VAX"] - tb["REF"]).max() <= tol
    if name in REFS:                    # WIOD has negative final-goods exports (inventories)
        assert bil.min() >= -tol
    # DC and FC are shared with the source approach cell by cell
    for term in ("GEXP", "DC", "FC"):
        assert np.abs(tb[term] - src_b[..., SRC.index(term)]).max() <= tol
    if name in REFS:                    # DAVAX <= VAXIM <= VAX (icio docs) needs Y >= 0
        assert np.all(src_b[..., SRC.index("DAVAX")] <= tb["VAXIM"] + tol)
        assert np.all(tb["VAXIM"] <= tb["VAX"] + tol)
    # sector = sum over partners; country = the source decomposition
    drop = [i for i, k in enumerate(core.SINK_BILATERAL_TERMS) if k != "VAXIM"]
    assert np.abs(bil[..., drop].sum(2) - sec).max() <= tol
    src_c = core.exporter_source(s, "country")
    for term in core.SINK_TERMS:
        gap = sec[..., core.SINK_TERMS.index(term)].sum(1) - src_c[:, SRC.index(term)]
        assert np.abs(gap).max() <= 1e-9 * scale, term


def test_sink_country_level_is_the_source_decomposition(leather: MRIOTable) -> None:
    pd.testing.assert_frame_equal(bm(leather, approach="sink"), bm(leather))


def test_sink_against_explicit_extraction(random43: MRIOTable) -> None:
    """``DVA_sink = (V_sB_ss)' # (Y_sr + A_sr x*_r)`` with x* from an explicit extraction."""
    t = random43
    bil = core.exporter_sink(_system("random_4x3_seed20240601"), "bilateral")
    G, N = t.G, t.N
    for s in range(G):
        rs = slice(s * N, (s + 1) * N)
        A2, Y2 = t.A.copy(), t.Yc.copy()
        keep = A2[rs, rs].copy()
        A2[rs, :] = 0.0
        A2[rs, rs] = keep
        Y2[rs, :] = 0.0
        Y2[rs, s] = t.Yc[rs, s]
        B2 = np.linalg.inv(np.eye(t.n) - A2)
        xstar, xhome = B2 @ Y2.sum(1), B2 @ Y2[:, s]
        dc = t.v[rs] @ t.B[rs, rs]
        for r in range(G):
            if r == s:
                continue
            rr = slice(r * N, (r + 1) * N)
            phi = t.Yc[rs, r] + t.A[rs, rr] @ xstar[rr]
            ref = t.A[rs, rr] @ xhome[rr]
            k = core.SINK_BILATERAL_TERMS.index
            np.testing.assert_allclose(bil[s, :, r, k("DVA")], dc * phi, rtol=1e-10)
            np.testing.assert_allclose(bil[s, :, r, k("REF")], dc * ref, rtol=1e-10, atol=1e-12)


# ----------------------------------------------------------------------------- world
@pytest.mark.parametrize("name", [*REFS, "wiod2011"])
def test_world_identities(name: str) -> None:
    s = _system(name)
    tol = 1e-9 * _scale(name)
    src = core.exporter_source(s, "country")
    for approach in ("sink", "source"):
        w = core.world(s, approach)
        T = {k: w[:, i] for i, k in enumerate(core.WORLD_TERMS)}
        for term in ("GEXP", "DC", "DVA", "VAX", "REF", "DDC", "FC"):
            assert np.abs(T[term] - src[:, SRC.index(term)]).max() <= tol
        assert np.abs(T["FC"] - T["FVA"] - T["FDC"]).max() <= tol
        assert T["FVA"].min() >= -tol and T["FDC"].min() >= -tol
    # world/source counts only VA arriving straight from its origin: <= exporter/source FVA
    assert np.all(core.world(s, "source")[:, 7] <= src[:, SRC.index("FVA")] + tol)


@pytest.mark.parametrize("name", REFS)
def test_world_sink_contains_kww_fva(name: str) -> None:
    """World/sink FVA = KWW T7+T8 plus the importer's re-exported own VA (>= T7+T8)."""
    kww = np.asarray(vectors()[name]["indicators"]["kww"]["values_Gx9"], float)
    w = core.world(_system(name), "sink")
    assert np.all(w[:, 7] >= kww[:, 6:8].sum(1) - 1e-9)


# ----------------------------------------------------------------------------- groups
def test_group_of_one_country_reproduces_it(leather: MRIOTable) -> None:
    base = _wide(bm(leather, level="sector")).loc["Turkey"]
    grp = _wide(bm(leather, level="sector", groups={"TUR": ["Turkey"]})).loc["TUR"]
    np.testing.assert_allclose(grp.to_numpy(), base.to_numpy(), rtol=1e-12)


@pytest.mark.parametrize("name", ["leather", "wiod2011"])
def test_group_internal_trade_is_not_export(name: str) -> None:
    t = _table(name)
    countries = list(t.labels.countries)
    members = countries[1:] if name == "leather" else ["CHN", "RUS", "IND"]
    f = bm(t, groups={"GRP": members})
    w = _wide(f)
    assert "GRP" in w.index and not set(members) & set(w.index)
    assert len(w) == t.G - len(members) + 1
    G, N = t.G, t.N
    idx = [countries.index(m) for m in members]
    esr = t.ESR.reshape(G, N, G)
    intra = sum(esr[a, :, b].sum() for a in idx for b in idx if a != b)
    expected = sum(t.ESR.reshape(G, N, G)[a].sum() for a in idx) - intra
    assert abs(w.loc["GRP", "GEXP"] - expected) <= 1e-9 * expected
    T = w.loc["GRP"]
    top = T["DAVAX"] + T["REX"] + T["REF"] + T["FVA"] + T["PDC"]
    assert abs(top - T["GEXP"]) <= 1e-9 * expected
    assert w.to_numpy().min() >= -1e-9 * expected


def test_group_of_all_but_one(leather: MRIOTable) -> None:
    f = _wide(bm(leather, level="bilateral", groups={"REST": ["Turkey", "Germany"]}))
    assert set(f.index.get_level_values("exporter")) == {"Argentina", "REST"}
    assert set(f.index.get_level_values("importer")) == {"Argentina", "REST"}
    # Argentina's gross exports are unchanged; REST exports only to Argentina
    arg = f.xs("Argentina", level="exporter")["GEXP"].sum()
    assert abs(arg - leather.E[:3].sum()) < 1e-9
    rest = f.xs("REST", level="exporter")["GEXP"].sum()
    assert abs(rest - leather.ESR[3:, 0].sum()) < 1e-9


# ----------------------------------------------------------------------------- errors
@pytest.mark.parametrize(("kwargs", "match"), [
    ({"level": "industry"}, r"level='industry' is not valid; choose one of 'country', 'sector'"),
    ({"perspective": "importer"}, r"perspective='importer' is not valid; choose one of"),
    ({"approach": "middle"}, r"approach='middle' is not valid; choose one of 'source', 'sink'"),
    ({"perspective": "world", "level": "sector"}, r"perspective='world' is defined at "
                                                  r"level='country' only"),
])
def test_invalid_options(leather: MRIOTable, kwargs: dict, match: str) -> None:
    with pytest.raises(MeasureError, match=match):
        bm(leather, **kwargs)


@pytest.mark.parametrize(("groups", "match"), [
    ({"G1": ["Turkey", "Atlantis"]}, r"(?s)group 'G1': unknown country 'Atlantis'.*the "
                                     r"table's countries are: Argentina, Turkey, Germany"),
    ({"G1": ["Turkey"], "G2": ["Turkey", "Germany"]}, r"country 'Turkey' is in two groups"),
    ({"Argentina": ["Turkey", "Germany"]}, r"group code 'Argentina' is already a country"),
    ({"G1": []}, r"group 'G1' must be a non-empty list"),
    ({"G1": "Turkey"}, r"group 'G1' must be a non-empty list"),
    (["Turkey"], r"groups must be a dict"),
])
def test_invalid_groups(leather: MRIOTable, groups: object, match: str) -> None:
    with pytest.raises(MeasureError, match=match):
        bm(leather, groups=groups)  # type: ignore[arg-type]


def _core_inputs(A: np.ndarray, G: int, N: int) -> tuple:
    n = G * N
    x = np.ones(n)
    Y = np.full((n, G), 0.1)
    ESR = np.where(np.repeat(np.arange(G), N)[:, None] == np.arange(G)[None, :], 0.0, 0.1)
    return A, np.full(n, 0.2), x, Y, ESR, G, N


def test_singular_local_block_names_the_country() -> None:
    A = np.array([[0.5, 0.5, 0.1, 0.0], [0.5, 0.5, 0.0, 0.1],
                  [0.1, 0.0, 0.2, 0.0], [0.0, 0.1, 0.0, 0.2]])
    with pytest.raises(SingularSystemError,
                       match=r"local block I - A_ss is singular for exporter\(s\) 'AAA'$"):
        core.prepare(*_core_inputs(A, 2, 2), names=["AAA", "BBB"])


def test_singular_woodbury_block_names_the_exporter() -> None:
    # three one-sector countries; I - A is regular but the world without 'X' is not
    # ((I - A)_{-X,-X} singular), so I + sum_j A_Xj B_jX is singular for exporter 'X'
    A = np.array([[0.0, 0.3, 0.3], [0.3, 0.0, 1.0], [0.3, 1.0, 0.0]])
    assert abs(np.linalg.det(np.eye(3) - A)) > 1e-3
    with pytest.raises(SingularSystemError, match=r"singular.*exporter\(s\) 'X'"):
        core.prepare(*_core_inputs(A, 3, 1), names=["X", "Y", "Z"])


def test_singular_system_is_an_error_not_nan() -> None:
    A = np.array([[0.0, 1.0], [1.0, 0.0]])
    with pytest.raises(SingularSystemError, match=r"I - A is singular.*country block"):
        core.prepare(*_core_inputs(A, 2, 1), names=["P", "Q"])
