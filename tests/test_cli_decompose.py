"""``silkchain decompose`` in-process with Typer's CliRunner."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from typer.testing import CliRunner

import silkchain
from silkchain.cli.app import build_app
from silkchain.cli.cmd_decompose import parse_groups

runner = CliRunner()


@pytest.fixture(scope="module")
def leather_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from .conftest import reference_table

    path = tmp_path_factory.mktemp("tables") / "leather.npz"
    silkchain.write(reference_table("leather"), path)
    return path


def invoke(*args: str):
    return runner.invoke(build_app(), ["decompose", *args])


def test_kww_csv_matches_reference(leather_file, tmp_path, ref):
    out = tmp_path / "kww.csv"
    res = invoke(str(leather_file), "--method", "kww", "--output", str(out))
    assert res.exit_code == 0, res.output
    assert "wrote 27 rows" in res.output
    f = pd.read_csv(out)
    assert f.columns.tolist() == ["year", "exporter", "term", "value", "unit"]
    wide = f.pivot(index="exporter", columns="term", values="value").loc[
        ["Argentina", "Turkey", "Germany"], ref["leather"]["indicators"]["kww"]["terms"]]
    assert_allclose(wide.to_numpy(), ref["leather"]["indicators"]["kww"]["values_Gx9"],
                    rtol=1e-8, atol=1e-8)


def test_wwz_parquet_bilateral(leather_file, tmp_path, ref):
    out = tmp_path / "wwz.parquet"
    res = invoke(str(leather_file), "--method", "wwz", "--level", "bilateral", "-o", str(out))
    assert res.exit_code == 0, res.output
    f = pd.read_parquet(out)
    assert f.columns.tolist() == ["year", "exporter", "sector", "importer", "term", "value",
                                  "unit"]
    assert len(f) == 9 * 2 * 16
    W = np.asarray(ref["leather"]["indicators"]["wwz"]["values"])
    cell = f[(f["exporter"] == "Argentina") & (f["sector"] == "Agriculture")
             & (f["importer"] == "Turkey")]
    assert_allclose(cell["value"].to_numpy(), W[0, 1], rtol=1e-8, atol=1e-8)


def test_vax_xlsx_and_leontief_post(leather_file, tmp_path, ref):
    out = tmp_path / "vax.xlsx"
    res = invoke(str(leather_file), "--method", "vax", "--level", "bilateral", "-o", str(out))
    assert res.exit_code == 0, res.output
    f = pd.read_excel(out, sheet_name="vax")
    assert f.columns.tolist() == ["year", "exporter", "importer", "term", "value", "unit"]
    assert set(f.loc[f["term"] == "VAX_ratio", "unit"]) == {"ratio"}
    assert len(f) == 3 * 2 * 3
    out2 = tmp_path / "fd.csv"
    res = invoke(str(leather_file), "--method", "leontief", "--level", "sector", "--post",
                 "final_demand", "-o", str(out2))
    assert res.exit_code == 0, res.output
    f2 = pd.read_csv(out2)
    assert_allclose(f2["value"].to_numpy(),
                    np.ravel(ref["leather"]["indicators"]["leontief_final_demand_VBY"]),
                    rtol=1e-8, atol=1e-8)


def test_bundled_dataset_with_group(tmp_path):
    out = tmp_path / "vax.csv"
    res = invoke("wiod2013:2011", "--method", "vax", "--group", "EU3=DEU,FRA,ITA", "-o",
                 str(out))
    assert res.exit_code == 0, res.output
    f = pd.read_csv(out)
    assert "EU3" in set(f["exporter"]) and "DEU" not in set(f["exporter"])
    assert set(f["year"]) == {2011} and "reason" not in f.columns
    assert set(f.loc[f["term"] != "VAX_ratio", "unit"]) == {"USD millions"}
    assert f["exporter"].nunique() == 39


def test_vax_of_a_table_without_exports_explains(tmp_path):
    for name, table in (
            ("one", silkchain.MRIOTable.from_arrays([[1.0]], [[5.0]], ["AAA"], ["s1"])),
            ("notrade", silkchain.MRIOTable.from_arrays(
                np.eye(2), [[5.0, 0.0], [0.0, 5.0]], ["AAA", "BBB"], ["s1"]))):
        path = tmp_path / f"{name}.npz"
        silkchain.write(table, path)
        out = tmp_path / f"{name}.csv"
        res = invoke(str(path), "--method", "vax", "-o", str(out))
        assert res.exit_code == 0, res.output
        assert "note: " in res.stderr and "undefined (VAX_ratio): the table has no exports " \
            "(one country or no trade); see the reason column" in res.stderr
        f = pd.read_csv(out, keep_default_na=False)
        ratio = f[f["term"] == "VAX_ratio"]
        assert len(ratio) == table.G and (ratio["value"] == "").all()
        assert set(ratio["reason"]) == {"undefined: the table has no exports (one country "
                                        "or no trade)"}
        assert (f.loc[f["term"] != "VAX_ratio", "reason"] == "").all()


def test_bad_method_is_rejected(leather_file, tmp_path):
    res = invoke(str(leather_file), "--method", "gvc", "-o", str(tmp_path / "x.csv"))
    assert res.exit_code == 1
    assert "unknown method 'gvc'; available: bm, vax, kww, wwz, leontief" in " ".join(
        res.output.split())


def test_bad_table_id(tmp_path):
    res = invoke("wiod2099:2011", "--method", "kww", "-o", str(tmp_path / "x.csv"))
    assert res.exit_code == 1
    assert "unknown dataset 'wiod2099:2011'" in res.output
    assert not (tmp_path / "x.csv").exists()


def test_missing_table_file(tmp_path):
    res = invoke(str(tmp_path / "nope.npz"), "--method", "kww", "-o", str(tmp_path / "x.csv"))
    assert res.exit_code == 1
    assert "nope.npz" in res.output


def test_unsupported_level_says_what_is_supported(leather_file, tmp_path):
    res = invoke(str(leather_file), "--method", "leontief", "--level", "bilateral", "-o",
                 str(tmp_path / "x.csv"))
    assert res.exit_code == 1
    assert "method 'leontief' does not support level 'bilateral'; supported: country, " \
        "sector" in res.output
    res = invoke(str(leather_file), "--method", "wwz", "--perspective", "world", "-o",
                 str(tmp_path / "x.csv"))
    assert res.exit_code == 1
    assert "Borin & Mancini options (method='bm')" in res.output


def test_bad_output_suffix_and_group(leather_file, tmp_path):
    res = invoke(str(leather_file), "--method", "kww", "-o", str(tmp_path / "x.json"))
    assert res.exit_code == 1
    assert "unsupported output suffix '.json'; use .csv, .parquet or .xlsx" in res.output
    res = invoke(str(leather_file), "--method", "kww", "--group", "EU3", "-o",
                 str(tmp_path / "x.csv"))
    assert res.exit_code == 1
    assert "--group 'EU3': expected NAME=CODE,CODE,..." in res.output
    res = invoke(str(leather_file), "--method", "kww", "--group", "A=Turkey", "--group",
                 "A=Germany", "-o", str(tmp_path / "x.csv"))
    assert res.exit_code == 1
    assert "--group 'A' is given twice" in res.output
    res = invoke(str(leather_file), "--method", "kww", "--group", "AT=Argentina,Atlantis",
                 "-o", str(tmp_path / "x.csv"))
    assert res.exit_code == 1
    assert "not countries of the table: Atlantis" in res.output


def test_parse_groups():
    assert parse_groups(None) is None
    assert parse_groups(["A=X, Y", "B=Z"]) == {"A": ["X", "Y"], "B": ["Z"]}
