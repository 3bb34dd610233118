"""Every reader gives back the same toy system from its own layout; the real samples load."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from numpy.testing import assert_array_equal

import silkchain
from silkchain.concordances.broad import classify
from silkchain.errors import DatasetNotFoundError, TableValidationError
from silkchain.io import sources

MOCK = Path(__file__).parents[1] / "data" / "mock"
SAMPLES = Path(__file__).parents[1] / "data" / "layout_samples"
COUNTRIES = ("CHN", "DEU", "USA")

# file -> (source, sectors, final-demand categories, dataset name, year)
CASES = {
    "generic_toy_2020.csv": ("generic", ("s1", "s2", "s3", "s4"), ("HH", "GOV")),
    "generic_toy_2020.xlsx": ("generic", ("s1", "s2", "s3", "s4"), ("HH", "GOV")),
    "ICIO2023_2020.csv": ("oecd-icio", ("D01T02", "D05T06", "D10T12", "D45T47"),
                          ("HFCE", "NPISH", "GGFC", "GFCF", "INVNT", "DPABR")),
    "ICIO2023_2019.zip": ("oecd-icio", ("D01T02", "D05T06", "D10T12", "D45T47"),
                          ("HFCE", "NPISH", "GGFC", "GFCF", "INVNT", "DPABR")),
    "ICIO2021_2018.csv": ("oecd-icio", ("D01T02", "D05T06", "D10T12", "D45T47"),
                          ("HFCE", "NPISH", "GGFC", "GFCF", "INVNT", "DPABR")),
    "ICIO2018_2015.csv": ("oecd-icio", ("01T03", "05T06", "10T12", "45T47"),
                          ("HFCE", "NPISH", "GGFC", "GFCF", "INVNT", "P33")),
    "ICIO2016_2011.csv": ("oecd-icio", ("C01T05", "C10T14", "C15T16", "C50T52"),
                          ("HC", "NPISH", "GGFC", "GFCF", "INVNT", "DIRP")),
    "WIOT2014_Nov16_ROW.xlsx": ("wiod", ("c1", "c2", "c3", "c4"),
                                ("CONS_h", "CONS_np", "CONS_g", "GFCF", "INVEN")),
    "wiot11_row_apr12.xlsx": ("wiod", ("c1", "c2", "c3", "c4"),
                              ("CONS_h", "CONS_np", "CONS_g", "GFCF", "INVEN")),
    "lrwiod_toy_2000.xlsx": ("wiod", ("AtB", "C", "D15t16", "G"),
                             ("Household consumption", "Government consumption", "GFCF",
                              "Stock variation")),
    "ADB-MRIO-2020_toy.xlsx": ("adb-mrio", ("c1", "c2", "c3", "c4"),
                               ("HHFCE", "NPISH", "GGFCE", "GFCF", "INVNT")),
    "ADB-MRIO-2017-at-constant-2010-prices_toy.xlsx": (
        "adb-mrio", ("c1", "c2", "c3", "c4"), ("HHFCE", "NPISH", "GGFCE", "GFCF", "INVNT")),
    "Eora26_2015_bp.zip": ("eora26", ("Agriculture", "Mining and Quarrying", "Food & Beverages",
                                      "Wholesale Trade"), None),
    "matrix_eu-ic-io_ind-by-ind_23ed_2020.csv": (
        "figaro", ("A01", "B", "C10T12", "G46"), ("P3_S13", "P3_S14", "P3_S15", "P51G", "P5M")),
    "flatfile_eu-ic-io_ind-by-ind_23ed_2020.csv": (
        "figaro", ("A01", "B", "C10T12", "G46"), ("P3_S13", "P3_S14", "P3_S15", "P51G", "P5M")),
    "IOT_2020_ixi.zip": ("exiobase", ("Cultivation of paddy rice",
                                      "Mining of coal and lignite; extraction of peat (10)",
                                      "Processing of dairy products",
                                      "Wholesale trade and commission trade, except of motor "
                                      "vehicles and motorcycles (51)"), None),
}
IDS = {
    "ICIO2023_2020.csv": "oecd-icio-2023:2020", "ICIO2016_2011.csv": "oecd-icio-2016:2011",
    "WIOT2014_Nov16_ROW.xlsx": "wiod-2016:2014", "wiot11_row_apr12.xlsx": "wiod-2013:2011",
    "ADB-MRIO-2017-at-constant-2010-prices_toy.xlsx": "adb-mrio-const:2017",
    "Eora26_2015_bp.zip": "eora26:2015", "IOT_2020_ixi.zip": "exiobase3-ixi:2020",
    "matrix_eu-ic-io_ind-by-ind_23ed_2020.csv": "figaro-2023:2020",
}


@pytest.fixture(scope="module")
def toy() -> dict[str, np.ndarray]:
    with np.load(MOCK / "toy_expected.npz") as data:
        return {k: data[k] for k in data.files}


@pytest.mark.parametrize("fname", list(CASES))
def test_every_layout_gives_back_the_toy_system(fname: str, toy: dict) -> None:
    source, sectors, cats = CASES[fname]
    path = MOCK / fname
    assert sources.detect_source(path) == source
    t = silkchain.read(path)  # through the registry's suffix readers
    assert t.labels.countries == COUNTRIES
    assert t.labels.sectors == sectors
    if cats is not None:
        assert t.labels.fd_categories == cats
    assert_array_equal(t.Z, toy["Z"])
    assert_array_equal(t.Yc, toy["Yc"])
    assert_array_equal(t.x, toy["x"])
    np.testing.assert_allclose(t.va, toy["va"], rtol=0, atol=1e-9)
    np.testing.assert_allclose(t.V.sum(axis=0), toy["va"], rtol=0, atol=1e-9)
    assert t.meta["sha256"] and t.meta["file"] == fname
    if source != "generic":  # every release's sectors are placed in broad sectors
        assert sorted(classify(t)) == sorted(t.labels.sectors)


def test_oecd_splits_merged_by_default_and_kept_on_request(toy: dict) -> None:
    path = MOCK / "ICIO2021_2018.csv"
    merged = sources.read_source(path)
    assert "merged CN1 into CHN, CN2 into CHN" in merged.meta["reader_notes"]
    kept = sources.read_source(path, keep_splits=True)
    assert kept.labels.countries == ("DEU", "USA", "CN1", "CN2")
    cn = [kept.labels.country_position(c) for c in ("CN1", "CN2")]
    rows = kept.x.reshape(4, 4)[cn].sum(axis=0)
    assert_array_equal(rows, toy["x"][:4])  # CN1 + CN2 = CHN
    Yc = kept.Yc.reshape(4, 4, 4)
    assert Yc[:, :, cn[1]].sum() == 0  # China's final demand is given to CN1
    assert_array_equal(Yc[:, :, cn[0]].sum(axis=0).sum(), toy["Yc"][:, 0].sum())


def test_figaro_and_exiobase_report_their_original_codes() -> None:
    t = sources.read_source(MOCK / "matrix_eu-ic-io_ind-by-ind_23ed_2020.csv")
    assert t.meta["original_country_codes"] == "CN,DE,US"
    e = sources.read_source(MOCK / "IOT_2020_ixi.zip")
    assert e.meta["original_country_codes"] == "CN,DE,US"
    assert e.V.shape[0] == 2  # only the value-added rows of F.txt, not employment


def test_eora_drops_rest_of_world_discrepancy() -> None:
    t = sources.read_source(MOCK / "Eora26_2015_bp.zip")
    assert any("statistical-discrepancy" in n for n in t.meta["reader_notes"])
    assert t.meta["price_basis"] == "basic prices"


def test_adb_price_basis_from_file_name() -> None:
    const = sources.read_source(MOCK / "ADB-MRIO-2017-at-constant-2010-prices_toy.xlsx")
    cur = sources.read_source(MOCK / "ADB-MRIO-2020_toy.xlsx")
    assert const.meta["price_basis"].endswith("constant")
    assert cur.meta["price_basis"].endswith("current")
    assert (const.meta["year"], cur.meta["year"]) == (2017, 2020)


def test_wiod_2016_sample_loads_and_reports_its_imbalance() -> None:
    path = SAMPLES / "WIOTtest_Nov16_ROW.xlsb"
    raw = sources.parse(path)
    assert raw.shape == (2, 56, 1)
    assert raw.countries == ["USA", "ROW"]
    assert raw.sector_codes[:3] == ["A01", "A02", "A03"]
    assert raw.va_rows == ["TXSP", "EXP_adj", "PURR", "PURNR", "VA", "IntTTM"]
    assert raw.meta["year"] == 2014
    np.testing.assert_allclose(raw.x[0], 70292.034492, rtol=1e-9)  # USA A01, row GO
    problems = raw.problems()
    assert problems[0].endswith("no final-demand columns (c57, c58, c59, c60, c61); final "
                                "demand set to zero, so the rows cannot balance")
    assert any(p.startswith("rows out of balance in 106 of 112 industries") for p in problems)
    with pytest.raises(TableValidationError,
                       match=r"(?s)note: .*no final-demand columns.*USA/c27: row total 159005, "
                             r"gross output 388429"):
        sources.read_source(path)


@pytest.mark.slow
def test_long_run_wiod_sample_loads_balanced() -> None:
    t = sources.read_source(SAMPLES / "lrwiod_world_2000.xlsx")
    assert (t.G, t.N, t.K) == (26, 23, 4)
    assert t.labels.countries[:3] == ("AUS", "AUT", "BEL") and "NDL" in t.labels.countries
    assert t.meta["year"] == 2000 and t.meta["release"] == "long-run"
    assert len(t.labels.va_rows) == 6
    assert t.summary()["max_row_gap"] < 1e-6
    assert (t.Y < 0).any()  # negative stock changes are kept
    np.testing.assert_allclose(t.Z.sum(0) + t.V.sum(0), t.x, rtol=1e-9)


def test_unknown_source_lists_the_available() -> None:
    with pytest.raises(DatasetNotFoundError, match=r"unknown source 'gtap'; available: "
                                                   r"oecd-icio, wiod, adb-mrio, eora26, figaro, "
                                                   r"exiobase, generic"):
        sources.get_reader("gtap")


def test_sources_import_without_optional_packages(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib
    import sys

    for mod in ("python_calamine", "duckdb", "country_converter", "pyxlsb", "openpyxl"):
        monkeypatch.setitem(sys.modules, mod, None)  # import fails as if not installed
    for name in [m for m in sys.modules if m.startswith("silkchain.io.sources")]:
        monkeypatch.delitem(sys.modules, name)
    mod = importlib.import_module("silkchain.io.sources")
    assert "oecd-icio" in mod.names()
    t = mod.read_source(MOCK / "ICIO2016_2011.csv")  # CSV needs none of them
    assert t.G == 3


@pytest.mark.parametrize("fname", ["generic_toy_2020.csv",
                                   "matrix_eu-ic-io_ind-by-ind_23ed_2020.csv",
                                   "ICIO2023_2020.csv"])
def test_byte_order_mark_and_crlf_are_read(fname: str, tmp_path: Path) -> None:
    text = (MOCK / fname).read_text()
    renamed = tmp_path / ("table.csv" if fname.startswith("generic") else fname)
    renamed.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    plain = silkchain.read(MOCK / fname)
    t = silkchain.read(renamed)
    assert t.labels == plain.labels
    assert_array_equal(t.Z, plain.Z)
    assert_array_equal(t.Y, plain.Y)
