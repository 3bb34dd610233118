"""``silkchain scenario run | check`` in-process."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from silkchain.cli.app import build_app
from silkchain.errors import MeasureError
from silkchain.io.npz import read_npz, write_npz

runner = CliRunner()


@pytest.fixture()
def spec(tmp_path, leather):
    write_npz(leather, tmp_path / "leather.npz")
    path = tmp_path / "s.yaml"
    path.write_text("table: leather.npz\nsteps:\n  - extract: {country: Turkey, what: exports}\n")
    return path


def test_run_writes_comparison_record_and_table(spec, tmp_path, ref):
    out = tmp_path / "out.csv"
    tab = tmp_path / "scen.npz"
    res = runner.invoke(build_app(), ["scenario", "run", str(spec), "--output", str(out),
                                      "--table-output", str(tab)])
    assert res.exit_code == 0, res.output
    frame = pd.read_csv(out)
    assert list(frame.columns) == ["country", "sector", "measure", "baseline", "scenario",
                                   "delta", "unit"]
    units = frame.groupby("measure")["unit"].first()
    assert units["gdp"] == units["dva_exports"] == "table currency"  # leather has no currency
    assert units["gvc_forward"] == "share" and units["koopman_position"] == "log index"
    assert units["gvc_position"] == "ratio" and frame["unit"].notna().all()
    assert {"gdp", "gross_output", "dva_exports", "gvc_forward", "gvc_backward",
            "koopman_position", "gvc_position"} <= set(frame.measure)
    gdp = frame.query("measure == 'gdp' and sector == '_T'").set_index("country")["delta"]
    dva = ref["leather"]["indicators"]["bm_source_exporter"]["country"]["DVA"][1]
    assert gdp["Turkey"] == pytest.approx(-dva, rel=1e-9)
    record = yaml.safe_load((tmp_path / "out.csv.scenario.yaml").read_text())
    assert record["scenario"]["steps"][0]["extract"]["country"] == "Turkey"
    assert len(record["sha256"]) == 64 and record["log"][0]["op"] == "extract"
    table = read_npz(tab)
    assert table.meta["scenario_sha256"] == record["sha256"]
    assert table.E[3:6].sum() == 0.0


def test_run_with_measures_and_table_override(spec, tmp_path, random43):
    write_npz(random43, tmp_path / "r.npz")
    spec.write_text("steps:\n  - demand: {change: 0.1}\n")
    out = tmp_path / "out.parquet"
    res = runner.invoke(build_app(), ["scenario", "run", str(spec), "-o", str(out), "--table",
                                      str(tmp_path / "r.npz"), "--measures", "gdp"])
    assert res.exit_code == 0, res.output
    frame = pd.read_parquet(out)
    assert set(frame.measure) == {"gdp"}
    tot = frame.query("sector == '_T'")
    assert (tot.delta / tot.baseline).round(12).eq(0.1).all()


@pytest.mark.parametrize(("args", "message"), [
    (["--output", "x.txt"], "unsupported output suffix '.txt'"),
    (["--output", "x.csv", "--table-output", "t.csv"], "the scenario table is written as .npz"),
    (["--output", "x.csv", "--measures", "gdp,happiness"], "unknown measure 'happiness'"),
])
def test_run_option_errors(spec, tmp_path, args, message):
    res = runner.invoke(build_app(), ["scenario", "run", str(spec),
                                      *[str(tmp_path / a) if a.endswith(("txt", "csv")) else a
                                        for a in args]])
    assert res.exit_code == 1
    assert message in res.output


def test_spec_errors_exit_cleanly(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("table: wiod2013:2011\nsteps:\n  - extract: {country: CHN, wat: exports}\n")
    res = runner.invoke(build_app(), ["scenario", "run", str(bad), "-o",
                                      str(tmp_path / "o.csv")])
    assert res.exit_code == 1
    assert "steps[0].extract.wat: unknown key" in res.output
    assert not (tmp_path / "o.csv").exists()
    res = runner.invoke(build_app(), ["scenario", "check", str(bad)])
    assert res.exit_code == 1 and "steps[0].extract.wat" in res.output


def test_check_prints_canonical_form(spec):
    res = runner.invoke(build_app(), ["scenario", "check", str(spec)])
    assert res.exit_code == 0, res.output
    assert "what: exports" in res.output and "sha256: " in res.output


def test_every_comparison_measure_has_a_unit():
    from silkchain.scenarios.compare import known, unit_of

    for name in known():
        assert unit_of(name, "USD millions"), name
    assert unit_of("gdp", "USD millions") == "USD millions"
    assert unit_of("price") == unit_of("final_demand_price") == "index (baseline = 1)"
    assert unit_of("bm.DVA") == "table currency" and unit_of("vax.VAX_ratio") == "ratio"
    with pytest.raises(MeasureError, match="unknown measure 'nope'"):
        unit_of("nope")
