"""``silkchain indicators`` in-process with CliRunner."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from silkchain.cli.app import build_app
from silkchain.io.registry import write
from silkchain.measures.catalogue import ONE_TABLE
from silkchain.measures.indicators import choices, indicators
from silkchain.measures.participation import koopman

runner = CliRunner()


@pytest.fixture(scope="module")
def leather_npz(tmp_path_factory, leather):
    path = tmp_path_factory.mktemp("tables") / "leather.npz"
    write(leather, path)
    return path


def test_help_lists_measure_names():
    res = runner.invoke(build_app(), ["indicators", "--help"], terminal_width=200)
    assert res.exit_code == 0
    text = " ".join(res.output.split())
    for name in ("koopman", "wwyz", "upstreamness", "production_length", "EXGR_DVASH",
                 "DEXFVApSH", "EXGR_BSCI"):
        assert name in text


def test_csv_from_file_matches_api(leather_npz, leather, tmp_path):
    out = tmp_path / "k.csv"
    res = runner.invoke(build_app(), ["indicators", str(leather_npz), "-m", "koopman",
                                      "-m", "EXGR_DVA", "--output", str(out)])
    assert res.exit_code == 0, res.output
    f = pd.read_csv(out, keep_default_na=False)
    assert list(f.columns) == ["year", "country", "sector", "partner", "measure", "value",
                               "unit"]
    part = f[f.measure == "koopman.participation"].value.astype(float).to_numpy()
    exp = koopman(leather)
    np.testing.assert_allclose(part, exp[exp.measure == "participation"].value, rtol=1e-12)
    dva = f[f.measure == "EXGR_DVA"].value.astype(float).to_numpy()
    np.testing.assert_allclose(dva, [53.689956, 92.461753, 111.290583], atol=5e-7)
    assert set(f.sector) == {"_T"} and set(f.partner) == {"_T"}
    units = dict(zip(f.measure, f.unit, strict=False))
    assert units["koopman.participation"] == "share of gross exports"
    assert units["koopman.position"] == "log index"


@pytest.mark.parametrize("suffix", [".parquet", ".xlsx"])
def test_other_formats(leather_npz, tmp_path, suffix):
    out = tmp_path / f"u{suffix}"
    res = runner.invoke(build_app(), ["indicators", str(leather_npz), "-m", "upstreamness",
                                      "-m", "production_length", "-o", str(out)])
    assert res.exit_code == 0, res.output
    f = pd.read_parquet(out) if suffix == ".parquet" else pd.read_excel(out)
    assert {"upstreamness.U", "production_length.GVC_position"} <= set(f.measure)
    assert "inventory correction off" in res.output


def test_wiod_reports_inventory_correction_and_services(tmp_path):
    out = tmp_path / "w.csv"
    res = runner.invoke(build_app(), ["indicators", "wiod2013:1995", "-m", "upstreamness",
                                      "-m", "EXGR_SERV_DVASH", "--services", "BIZSV",
                                      "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert "inventory correction on (category INVEN)" in res.output
    assert "services set BIZSV" in res.output
    f = pd.read_csv(out)
    assert len(f[f.measure == "upstreamness.U"]) == 1435


def test_default_measures_run(leather_npz, tmp_path):
    out = tmp_path / "all.csv"
    res = runner.invoke(build_app(), ["indicators", str(leather_npz), "-o", str(out)])
    assert res.exit_code == 0, res.output
    f = pd.read_csv(out)
    for m in ("EXGR_FVASH", "koopman.position", "wwyz.forward", "downstreamness.D",
              "rca.RCA", "nrca.NRCA"):
        assert m in set(f.measure)


def test_errors(leather_npz, tmp_path):
    res = runner.invoke(build_app(), ["indicators", str(leather_npz), "-m", "upstream",
                                      "-o", str(tmp_path / "x.csv")])
    assert res.exit_code == 1
    assert "unknown measure(s): upstream; valid: bm, bm_sector" in " ".join(res.output.split())
    res = runner.invoke(build_app(), ["indicators", str(leather_npz), "-m", "koopman",
                                      "-o", str(tmp_path / "x.txt")])
    assert res.exit_code == 1 and "unsupported output suffix '.txt'" in res.output
    res = runner.invoke(build_app(), ["indicators", str(leather_npz), "-m",
                                      "EXGR_SERV_DVASH", "-o", str(tmp_path / "x.csv")])
    assert res.exit_code == 1 and "cannot resolve services set 'SRVWC'" in res.output
    res = runner.invoke(build_app(), ["indicators", "wiod2013:1990", "-o",
                                      str(tmp_path / "x.csv")])
    assert res.exit_code == 1 and "no year 1990" in res.output


def test_dispatcher_api(leather):
    f = indicators(leather, ["koopman", "koopman_kww", "EXGR", "apl"])
    assert {"koopman.IV", "koopman_kww.IV", "EXGR", "apl.APL"} <= set(f.measure)
    assert f.attrs["koopman_kww"]["variant"] == "kww"
    assert set(f.loc[f.measure == "apl.APL", "partner"]) <= {
        f"{c}/{s}" for c in leather.labels.countries for s in leather.labels.sectors}
    assert len(choices()) > 40 and set(ONE_TABLE) <= set(choices())
    from silkchain.errors import MeasureError

    with pytest.raises(MeasureError, match=r"no measure named; valid: bm"):
        indicators(leather, [])


def test_undefined_shares_are_explained(tmp_path):
    """Tables with no exports (one country, no trade) or a country that exports nothing."""
    from silkchain import MRIOTable, write

    one = MRIOTable.from_arrays([[1.0]], [[5.0]], ["AAA"], ["s1"])
    z = np.array([[1.0, 2.0, 1.0], [2.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
    y = np.array([[5.0, 1.0, 0.0], [1.0, 5.0, 0.0], [0.0, 0.0, 5.0]])
    mute = MRIOTable.from_arrays(z, y, ["AAA", "BBB", "CCC"], ["s1"])  # CCC exports nothing
    for name, table, reason in (
            ("one", one, "undefined: the table has no exports (one country or no trade)"),
            ("mute", mute, "undefined: CCC has no exports")):
        path = tmp_path / f"{name}.npz"
        write(table, path)
        out = tmp_path / f"{name}.csv"
        res = runner.invoke(build_app(), ["indicators", str(path), "-m", "koopman",
                                          "-m", "EXGR_DVASH", "-o", str(out)])
        assert res.exit_code == 0, res.output
        assert res.stderr.count("note: ") == 1 and "see the reason column" in res.stderr
        assert "EXGR_DVASH" in res.stderr and "koopman.participation" in res.stderr
        f = pd.read_csv(out, keep_default_na=False)
        assert f.columns[-1] == "reason"
        nan = f["value"] == ""
        assert nan.any() and set(f.loc[nan, "reason"]) == {reason}
        assert (f.loc[~nan, "reason"] == "").all()
        if name == "mute":
            assert set(f.loc[nan, "country"]) == {"CCC"}
    res = runner.invoke(build_app(), ["indicators", str(tmp_path / "mute.npz"), "-m",
                                      "koopman", "-o", str(tmp_path / "k.csv")])
    assert "reason" in pd.read_csv(tmp_path / "k.csv").columns


def test_the_python_api_says_why_a_value_is_undefined_too():
    """indicators() and decompose() carry the reason column and note the CLI writes."""
    from silkchain import MRIOTable
    from silkchain.measures.decompose import decompose
    from silkchain.measures.indicators import indicators

    z = np.array([[1.0, 2.0, 1.0], [2.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
    y = np.array([[5.0, 1.0, 0.0], [1.0, 5.0, 0.0], [0.0, 0.0, 5.0]])
    mute = MRIOTable.from_arrays(z, y, ["AAA", "BBB", "CCC"], ["s1"])  # CCC exports nothing
    f = indicators(mute, ["koopman"])
    nan = f["value"].isna()
    assert nan.any() and set(f.loc[nan, "reason"]) == {"undefined: CCC has no exports"}
    assert (f.loc[~nan, "reason"] == "").all()
    assert f.attrs["undefined"].startswith("note: ") and "koopman." in f.attrs["undefined"]
    d = decompose(mute, "vax")
    assert set(d.loc[d["value"].isna(), "reason"]) == {"undefined: CCC has no exports"}
    import silkchain

    defined = indicators(silkchain.read("wiod2013:2011"), ["koopman"])
    assert "reason" not in defined.columns and "undefined" not in defined.attrs
