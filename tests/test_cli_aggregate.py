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


def test_strict_refuses_members_hidden_in_the_rest_of_world(tmp_path: Path) -> None:
    out = tmp_path / "bri.npz"
    r = runner.invoke(build_app(), ["aggregate", "wiod2013:2011", "--region", "bri64",
                                    "--strict", "-o", str(out)])
    assert r.exit_code == 1 and not out.exists()
    assert "code(s) of the mapping are not countries of the table: " in r.stderr
    assert "Traceback" not in r.output


def test_metadata_is_kept_and_wrote_goes_to_stderr(tmp_path: Path) -> None:
    out = tmp_path / "bri.npz"
    r = runner.invoke(build_app(), ["aggregate", "wiod2013:2011", "--region", "bri64",
                                    "--sectors", "wiod13_broad", "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert r.stdout == ""
    assert r.stderr.startswith(f"wrote {out}: 28 regions x ")
    assert "note: bri64: " in r.stderr and "left out: " in r.stderr
    agg = sc.read(out)
    assert len(agg.meta["regions"]["bri64"]) == 14
    assert "ALB" in agg.meta["regions_absent"]["bri64"]
    assert agg.meta["sector_groups"]
    assert oct(out.stat().st_mode & 0o777) == oct(0o666 & ~_umask())


def _umask() -> int:
    import os

    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_a_table_without_a_year_is_aggregated(tmp_path: Path, leather: sc.MRIOTable) -> None:
    src = tmp_path / "noyear.npz"
    sc.write(leather, src)
    assert "year" not in sc.read(src).meta
    out = tmp_path / "agg.npz"
    r = runner.invoke(build_app(), ["aggregate", str(src), "--region", "EU=Germany,Turkey",
                                    "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert sc.read(out).labels.countries == ("Argentina", "EU")
