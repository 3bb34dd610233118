"""``silkchain aggregate``: regions and sector groups into a valid table file."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from numpy.testing import assert_allclose
from typer.testing import CliRunner

import silkchain as sc
from silkchain.cli.app import build_app

runner = CliRunner()


def test_regions_and_sectors_keep_totals(tmp_path: Path) -> None:
    out = tmp_path / "agg.npz"
    result = runner.invoke(build_app(), ["aggregate", "wiod2013:2011", "--region",
                                         "V4=CZE,HUN,POL,SVK", "--sectors", "wiod13_broad",
                                         "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "38 regions" in result.output
    base, agg = sc.read("wiod2013:2011"), sc.read(out)
    assert "V4" in agg.labels.countries and "POL" not in agg.labels.countries
    assert_allclose(agg.x.sum(), base.x.sum(), rtol=1e-12)
    assert_allclose(agg.va.sum(), base.va.sum(), rtol=1e-12)
    members = [base.labels.country_position(c) for c in ("CZE", "HUN", "POL", "SVK")]
    va_members = sum(base.va[g * base.N:(g + 1) * base.N].sum() for g in members)
    g = agg.labels.country_position("V4")
    assert_allclose(agg.va[g * agg.N:(g + 1) * agg.N].sum(), va_members, rtol=1e-12)


def test_group_name_merges_members_inside_the_table(tmp_path: Path) -> None:
    out = tmp_path / "bri.npz"
    result = runner.invoke(build_app(), ["aggregate", "wiod2013:2011", "--region", "bri64",
                                         "-o", str(out)])
    assert result.exit_code == 0, result.output
    agg = sc.read(out)
    assert agg.G == 41 - 14 + 1 and "bri64" in agg.labels.countries
    assert np.isfinite(agg.B).all()


def test_errors_are_clear(tmp_path: Path) -> None:
    app = build_app()
    r = runner.invoke(app, ["aggregate", "wiod2013:2011", "-o", str(tmp_path / "a.npz")])
    assert r.exit_code == 1 and "nothing to do" in r.output
    r = runner.invoke(app, ["aggregate", "wiod2013:2011", "--sectors", "nope",
                            "-o", str(tmp_path / "a.npz")])
    assert r.exit_code == 1 and "unknown concordance 'nope'; bundled:" in r.output
    r = runner.invoke(app, ["aggregate", "wiod2013:2011", "--region", "A=CHN",
                            "--region", "B=CHN,IND", "-o", str(tmp_path / "a.npz")])
    assert r.exit_code == 1 and "CHN is in both 'A' and 'B'" in r.output
    r = runner.invoke(app, ["aggregate", "wiod2013:2011", "--region", "V4=CZE",
                            "-o", str(tmp_path / "a.csv")])
    assert r.exit_code == 1 and "written as .npz" in r.output
    r = runner.invoke(app, ["aggregate", "wiod2013:2011", "--region", "X=ZZZ", "--strict",
                            "-o", str(tmp_path / "a.npz")])
    assert r.exit_code == 1 and "ZZZ" in r.output
    assert not (tmp_path / "a.npz").exists()
