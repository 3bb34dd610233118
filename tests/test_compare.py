"""``silkchain compare``: two fixture releases of the same economies, side by side."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from typer.testing import CliRunner

import silkchain
from silkchain.cli.app import build_app
from silkchain.errors import MeasureError
from silkchain.io.sources.release import import_release
from silkchain.io.store import Store
from silkchain.measures.catalogue import MEASURES
from silkchain.measures.compare import ROW, compare, harmonise
from tests.data.releases import write_release

YEARS = (2019, 2020)


@pytest.fixture(scope="module")
def two_releases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[int, object]]:
    """OECD ICIO 2023 and ADB MRIO fixtures (same countries, different sector codes)."""
    base = tmp_path_factory.mktemp("releases")
    store = Store(base / "store")
    out = {}
    for source in ("oecd-icio-2023", "adb-mrio"):
        path = write_release(source, base / source, YEARS)
        ids = [r.dataset_id for r in import_release(path, store=store)]
        out[source] = {int(i.split(":")[1]): store.read(i) for i in ids}
    return out


def test_harmonise_common_countries_explicit_row_and_broad_sectors(two_releases):
    a, b = two_releases["oecd-icio-2023"][2019], two_releases["adb-mrio"][2019]
    ha, hb, info = harmonise(a, b)
    assert ha.labels.countries == hb.labels.countries
    assert ha.labels.countries[-1] == ROW and "CHN" in info["countries"]
    assert ha.labels.sectors == hb.labels.sectors
    # nothing is lost: world totals are those of the releases
    assert_allclose(ha.x.sum(), a.x.sum(), rtol=1e-12)
    assert_allclose(hb.Y.sum(), b.Y.sum(), rtol=1e-12)
    assert info["merged_into_row"]["a"] == [c for c in a.labels.countries
                                            if c not in info["countries"]]


def test_compare_side_by_side_over_the_common_years(two_releases):
    a, b = two_releases["oecd-icio-2023"], two_releases["adb-mrio"]
    f = compare("vax", a, b)
    assert f.columns.tolist() == ["year", "country", "sector", "partner", "measure",
                                  "value_a", "value_b", "difference", "unit"]
    assert sorted(f["year"].unique()) == list(YEARS)
    assert_allclose(f["difference"], f["value_b"] - f["value_a"])
    _, hb, _ = harmonise(a[2020], b[2020])
    want = MEASURES["vax"].tidy(hb, year=2020).set_index(["country", "measure"])["value"]
    got = f[f["year"] == 2020].set_index(["country", "measure"])["value_b"]
    assert_allclose(got, want.loc[got.index])
    assert ROW in set(f["country"])
    one = compare("vax", a, b, years=[2020])
    assert set(one["year"]) == {2020}


def test_same_release_twice_differs_by_nothing(two_releases):
    a = two_releases["adb-mrio"][2019]
    f = compare("totals_sector", a, a)
    assert np.isfinite(f["value_a"]).all() and (f["difference"] == 0).all()
    assert set(f["sector"]) <= set(harmonise(a, a)[0].labels.sectors)


def test_errors(two_releases):
    a, b = two_releases["oecd-icio-2023"], two_releases["adb-mrio"]
    with pytest.raises(MeasureError, match="unknown measure 'gdp'"):
        compare("gdp", a, b)
    with pytest.raises(MeasureError, match="no year in common"):
        compare("vax", {2019: a[2019], 2020: a[2020]}, {2018: b[2019], 2021: b[2020]})


def test_cli_compare(two_releases, tmp_path: Path):
    pa, pb = tmp_path / "a.npz", tmp_path / "b.npz"
    silkchain.write(two_releases["oecd-icio-2023"][2019], pa)
    silkchain.write(two_releases["adb-mrio"][2019], pb)
    out = tmp_path / "cmp.csv"
    res = CliRunner().invoke(build_app(), ["compare", "vax", str(pa), str(pb), "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert "common countries; in ROW: ROW (A), RoW (B)" in res.output
    f = pd.read_csv(out)
    assert {"value_a", "value_b", "difference"} <= set(f.columns)
    res = CliRunner().invoke(build_app(), ["compare", "nope", str(pa), str(pb), "-o",
                                           str(out)])
    assert res.exit_code == 1 and "unknown measure 'nope'" in res.output


def test_cli_compare_two_imported_releases_by_name(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("SILKCHAIN_HOME", str(tmp_path / "home"))
    for source in ("oecd-icio-2023", "adb-mrio"):
        path = write_release(source, tmp_path / source, YEARS)
        res = CliRunner().invoke(build_app(), ["import", str(path)])
        assert res.exit_code == 0, res.output
    out = tmp_path / "range.csv"
    res = CliRunner().invoke(build_app(), ["compare", "exposure", "oecd-icio-2023",
                                           "adb-mrio", "--years", "2020", "-o", str(out)])
    assert res.exit_code == 0, res.output
    f = pd.read_csv(out)
    assert set(f["year"]) == {2020} and "lt_share" in set(f["measure"])
    assert_allclose(f["difference"], f["value_b"] - f["value_a"])
