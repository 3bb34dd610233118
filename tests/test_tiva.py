"""OECD TiVA indicators: METHODS.md §15.1 leather values, §15 identities, cross-framework links."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from silkchain import read
from silkchain.errors import MeasureError
from silkchain.measures.tiva import INDICATORS, exgr_bsci, services_mask, tiva

# METHODS.md §15.1, leather country values (Argentina / Turkey / Germany), printed precision
LEATHER_TIVA = {
    "EXGR": ([64.3, 113.6, 147.6], 1),
    "EXGR_DVA": ([53.689956, 92.461753, 111.290583], 6),
    "EXGR_DDC": ([48.355064, 77.147049, 82.337459], 6),
    "EXGR_IDC": ([4.462498, 12.677768, 24.504944], 6),
    "EXGR_RIM": ([0.872395, 2.636936, 4.448180], 6),
    "EXGR_FVA": ([10.610044, 21.138247, 36.309417], 6),
    "EXGR_DVASH": ([83.499155, 81.392388, 75.400124], 6),
    "EXGR_DVAFX": ([21.634747, 27.100378, 19.322582], 6),
    "EXGR_DVAFXSH": ([33.646574, 23.855966, 13.091180], 6),
    "IMGR": ([81.2, 112.5, 131.8], 1),
    "IMGR_DVA": ([6.957868, 15.120309, 14.571441], 6),
    "FFD_DVA": ([46.732088, 77.341444, 96.719142], 6),
    "DFD_FVA": ([63.632088, 76.241444, 80.919142], 6),
    "BALVAFD": ([-16.9, 1.1, 15.8], 1),
}


def series(frame, measure):
    return frame.loc[frame.measure == measure, "value"].to_numpy()


def cube(table, measure, **kw):
    """``(G, N, G)`` array [country, sector, partner] from a by-sector, by-partner frame."""
    f = tiva(table, [measure], by_sector=True, by_partner=True, **kw)
    lab = table.labels
    out = np.zeros((table.G, table.N, table.G))
    ci = {c: i for i, c in enumerate(lab.countries)}
    si = {s: i for i, s in enumerate(lab.sectors)}
    assert set(f.partner) <= set(lab.countries)
    out[f.country.map(ci), f.sector.map(si), f.partner.map(ci)] = f.value.to_numpy()
    return out


def close(a, b, rtol=1e-9):
    assert_allclose(a, np.asarray(b, dtype=float), rtol=rtol, atol=rtol)


# ----------------------------------------------------------------- published / printed
def test_leather_country_values_methods_15_1(leather):
    f = tiva(leather)
    for name, (expected, digits) in LEATHER_TIVA.items():
        assert_allclose(series(f, name), expected, atol=0.5 * 10.0**-digits, rtol=0,
                        err_msg=name)


def test_exgr_bsci_matches_icio_and_vectors(reftable, ref):
    table, vec = reftable
    f = exgr_bsci(table)
    M = f.value.to_numpy().reshape(table.n, table.n)
    close(M, vec["indicators"]["leontief_exports_VBdiagE"], rtol=1e-8)
    close(M.sum(axis=0), table.E, rtol=1e-12)
    if table.meta["dataset"] == "leather":
        pub = np.array(ref["leather"]["published"]["icio_leontief_VBdiagE_9x9"])
        assert_allclose(M, pub, atol=5e-4)


def test_exgr_bsci_filter_and_error(leather):
    f = exgr_bsci(leather, countries=["Turkey"])
    assert set(f.country) == {"Turkey"} and len(f) == 27
    with pytest.raises(MeasureError, match=r"unknown countries: Chile; the table has: "
                                           r"Argentina, Turkey, Germany"):
        exgr_bsci(leather, countries=["Chile"])


# ----------------------------------------------------------------- cross-framework links
def test_links_to_bm_kww_jn_koopman(reftable):
    table, vec = reftable
    ind = vec["indicators"]
    bm = ind["bm_source_exporter"]
    f = tiva(table)
    close(series(f, "EXGR_DVA"), bm["country"]["DC"])  # = BM DC
    close(series(f, "EXGR_DDC") + series(f, "EXGR_IDC"), bm["country"]["DVA"])  # = BM DVA
    close(series(f, "EXGR_RIM"), bm["country"]["DDC"])  # = BM DDC = KWW T6
    close(series(f, "EXGR_FVA"), bm["country"]["FC"])  # = BM FC
    kww = np.array(ind["kww"]["values_Gx9"])
    close(series(f, "EXGR_RIM"), kww[:, 5])
    close(series(f, "EXGR_FVA"), kww[:, 6:9].sum(axis=1))
    close(series(f, "FFD_DVA"), kww[:, 0:3].sum(axis=1))  # = JN VAX = KWW T1-T3
    close(series(f, "FFD_DVA"), ind["johnson_noguera"]["VAX"])
    close(series(f, "EXGR_DVAFX"), ind["koopman2010"]["country"]["IV"])  # Koopman IV (VS1)
    # bilateral x sector: cell by cell against BM bilateral (exporting sector x importer)
    bil = bm["bilateral"]
    for measure, expected in (("EXGR", bil["GEXP"]), ("EXGR_DVA", bil["DC"]),
                              ("EXGR_FVA", bil["FC"]), ("EXGR_RIM", bil["DDC"])):
        close(cube(table, measure).reshape(table.n, table.G), expected)
    ddc_idc = cube(table, "EXGR_DDC") + cube(table, "EXGR_IDC")
    close(ddc_idc.reshape(table.n, table.G), bil["DVA"])
    # FD_VA = JN VAX matrix incl. diagonal (country = VA source, partner = final demand)
    fd = tiva(table, ["FD_VA"], by_partner=True)
    close(fd.value.to_numpy().reshape(table.G, table.G),
          ind["johnson_noguera"]["VAX_matrix_GxG"])
    # FD_VA by source industry = VBY of decompr leontief(post = "final_demand")
    vby = cube(table, "FD_VA").reshape(table.n, table.G)
    close(vby, ind["leontief_final_demand_VBY"], rtol=1e-8)


def test_imgr_dva_equals_wwz_mva(reftable):
    """METHODS.md §15 row 15: IMGR_DVA = WWZ MVA_FIN + MVA_INT + MDC of exporter r -> s."""
    table, vec = reftable
    w = vec["indicators"]["wwz"]
    terms = w["terms"]
    k = [terms.index(t) for t in ("MVA_FIN", "MVA_INT", "MDC")]
    W = np.array(w["values"])[:, :, k].sum(axis=2)  # [exporting industry j, importer s]
    got = cube(table, "IMGR_DVA")  # [importer s, sector of j, exporter r]
    close(got.transpose(2, 1, 0).reshape(table.n, table.G), W)


# ----------------------------------------------------------------- §15 identities
def _check_identities(table, tol=1e-9):
    f = tiva(table)
    S = {m: series(f, m) for m in INDICATORS if m in set(f.measure)}
    scale = max(1.0, float(np.abs(S["EXGR"]).max()))

    def eq(a, b):
        assert_allclose(a, b, rtol=tol, atol=tol * scale)

    eq(S["EXGR_INT"] + S["EXGR_FNL"], S["EXGR"])
    # DVA + FVA = EXGR needs u'VB = u'; a zero-output industry carries no value added, so
    # rounded "exports" of one (WIOD 1995: a cell of 1 offset by inventories) drop out
    zero = table.x == 0.0
    assert np.abs(table.E[zero]).max(initial=0.0) <= max(table.rounding, 0.0)
    exgr_model = np.where(zero, 0.0, table.E).reshape(table.G, table.N).sum(axis=1)
    eq(S["EXGR_DVA"] + S["EXGR_FVA"], exgr_model)
    eq(S["EXGR_DDC"] + S["EXGR_IDC"] + S["EXGR_RIM"], S["EXGR_DVA"])
    assert (S["EXGR_RIM"] >= -tol * scale).all()
    eq(S["EXGR_DVASH"] + S["EXGR_FVASH"], 100.0 * exgr_model / S["EXGR"])
    eq(S["EXGR_INTDVASH"] + S["EXGR_FNLDVASH"], S["EXGR_DVASH"])
    eq(S["DEXFVApSH"], S["EXGR_FVASH"])  # sum over origin partners
    eq(S["FEXDVApSH"], S["EXGR_DVAFXSH"])
    eq(S["DEXFVAp"], S["EXGR_FVA"])
    eq(S["EXGR_DVAFX"].sum(), S["EXGR_FVA"].sum())  # world DVAFX = world FVA
    eq(S["IMGR"].sum(), S["EXGR"].sum())
    eq(S["BALGR"].sum(), 0.0)
    eq(S["BALGR"], S["EXGR"] - S["IMGR"])
    # sum over final-demand partners = GDP. With A's zero-column convention the model's
    # value added is v # x; it differs from the residual VALU only where a zero-output
    # industry has a rounded input cell (WIOD 1995: one cell of 1)
    gdp = (table.v * table.x).reshape(table.G, table.N).sum(axis=1)
    assert np.abs(gdp - S["VALU"]).max() <= max(table.rounding, tol * scale)
    eq(S["FD_VA"], gdp)
    eq(S["FFD_DVA"].sum(), S["DFD_FVA"].sum())
    eq(S["BALVAFD"], S["FFD_DVA"] - S["DFD_FVA"])
    # country level: BALVAFD = sum_r BALGR = GDP - FD (exact on exact tables; on WIOD 1995
    # the rounded exports of a zero-output industry shift one exporter and importer by 1)
    assert np.abs(S["BALVAFD"] - S["BALGR"]).max() <= max(tol * scale, table.rounding)
    # final demand for the "output" of zero-output industries (rounded cells) carries no VA
    fd_by_country = np.where(zero[:, None], 0.0, table.Yc).sum(axis=0)
    eq(S["BALVAFD"], gdp - fd_by_country)
    eq(S["EXGR_BSCI"], exgr_model)
    eq(S["VALU_FFDDVA"], 100.0 * S["FFD_DVA"] / S["VALU"])
    eq(S["VALU"], table.va.reshape(table.G, table.N).sum(axis=1))
    eq(S["PROD_VASH"], 100.0 * S["VALU"] / S["PROD"])
    # bilateral and by-sector forms
    c = {m: cube(table, m) for m in ("EXGR", "EXGR_DVA", "EXGR_FVA", "DEXFVAp", "FEXDVApSH",
                                     "IMGR_DVA", "FD_VA", "EXGR_DVAFX")}
    eq(c["EXGR_DVA"] + c["EXGR_FVA"],
       np.where(zero.reshape(table.G, table.N)[:, :, None], 0.0, c["EXGR"]))  # cell by cell
    dex = c["DEXFVAp"].sum(axis=1)  # [s, t]
    fex = c["EXGR_DVAFX"].sum(axis=1)  # [s, r]
    eq(fex, dex.T)  # FEXDVAp_sr = DEXFVAp_rs
    # IMGR_DVA_sr <= V_s B_sr E_r* = FEXDVAp_sr
    assert (c["IMGR_DVA"].sum(axis=1) <= fex + tol * scale).all()
    eq(c["FD_VA"].sum(axis=(0, 1)), fd_by_country)  # sum_s FD_VA_sr = final demand of r
    eq(c["FEXDVApSH"].sum(axis=(1, 2)), S["EXGR_DVAFXSH"])
    return f


def test_identities_reference(reftable):
    table, _ = reftable
    f = _check_identities(table, 1e-10)
    v = series(f, "VALU_FFDDVA")
    assert ((v >= 0) & (v <= 100)).all()


@pytest.mark.parametrize("year", [1995, 2011])
def test_identities_wiod(year):
    table = read(f"wiod2013:{year}")
    _check_identities(table)


@pytest.mark.parametrize("year", [1995, 2011])
def test_services_content_wiod(year):
    table = read(f"wiod2013:{year}")
    out = {}
    for s in ("BIZSV", "SERVS", "SRVWC"):
        f = tiva(table, ["EXGR_SERV_DVASH", "EXGR_SERV_FVASH", "EXGR_DVASH", "EXGR_FVASH"],
                 services=s)
        assert f.attrs["services"] == s
        out[s] = f
    d = {s: series(f, "EXGR_SERV_DVASH") for s, f in out.items()}
    fv = {s: series(f, "EXGR_SERV_FVASH") for s, f in out.items()}
    dva, fva = series(out["SRVWC"], "EXGR_DVASH"), series(out["SRVWC"], "EXGR_FVASH")
    assert (d["BIZSV"] <= d["SERVS"] + 1e-9).all() and (d["SERVS"] <= d["SRVWC"] + 1e-9).all()
    assert (d["SRVWC"] <= dva + 1e-9).all() and (fv["SRVWC"] <= fva + 1e-9).all()
    # an explicit list equal to SRVWC (c18..c35) gives the same numbers
    codes = [f"c{k}" for k in range(18, 36)]
    g = tiva(table, ["EXGR_SERV_DVASH"], services=codes)
    assert_allclose(series(g, "EXGR_SERV_DVASH"), d["SRVWC"], rtol=1e-12)
    assert g.attrs["services"].startswith("custom:c18,c19")
    # all sectors as "services" = the whole domestic content
    h = tiva(table, ["EXGR_SERV_DVASH"], services=[f"c{k}" for k in range(1, 36)])
    assert_allclose(series(h, "EXGR_SERV_DVASH"), dva, rtol=1e-9)


def test_services_sets_resolve_on_wiod(wiod2011):
    for name, count in (("SRVWC", 18), ("SERVS", 17), ("BIZSV", 12)):
        got, mask = services_mask(wiod2011, name)
        assert got == name and int(mask.sum()) == count
    _, mask = services_mask(wiod2011, "srvwc")
    assert mask[:17].sum() == 0 and mask[17] == 1  # construction (F = c18) included


def test_frame_shapes(leather):
    f = tiva(leather, ["EXGR", "EXGR_DVASH", "FD_VA"], by_sector=True, by_partner=True)
    assert list(f.columns) == ["country", "sector", "partner", "measure", "value"]
    ex = f[f.measure == "EXGR"]
    assert len(ex) == 3 * 3 * 2  # own-country partner cells left out
    assert set(f.loc[f.measure == "EXGR_DVASH", "partner"]) == {"W"}
    assert len(f[f.measure == "FD_VA"]) == 27  # diagonal kept
    g = tiva(leather, ["BALVAFD"], by_sector=True)
    assert set(g.sector) == {"_T"} and list(g.columns) == ["country", "sector", "measure",
                                                            "value"]
    assert tiva(leather).attrs["FD_VA_orientation"].startswith("country = value-added source")


def test_default_skips_services_when_unresolvable(leather):
    f = tiva(leather)
    assert "EXGR_SERV_DVASH" not in set(f.measure)
    assert "not recognised" in f.attrs["skipped"]
    assert f.attrs["services"] is None


def test_errors(leather, wiod2011):
    with pytest.raises(MeasureError, match=r"unknown TiVA indicator\(s\): EXGR_DVA_SH; "
                                           r"available: PROD, VALU"):
        tiva(leather, ["EXGR_DVA_SH"])
    with pytest.raises(MeasureError, match=r"cannot resolve services set 'SRVWC'"):
        tiva(leather, ["EXGR_SERV_DVASH"])
    with pytest.raises(MeasureError, match=r"unknown services set 'TRANSPORT'; choose one of "
                                           r"BIZSV, SERVS, SRVWC"):
        tiva(wiod2011, ["EXGR_SERV_DVASH"], services="TRANSPORT")
    with pytest.raises(MeasureError, match=r"unknown sector code\(s\) in services: c99"):
        tiva(wiod2011, ["EXGR_SERV_DVASH"], services=["c18", "c99"])
