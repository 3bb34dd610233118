"""``silkchain groups``, ``silkchain bri ...`` and ``silkchain panel`` in-process."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from silkchain import write
from silkchain.cli.app import build_app
from silkchain.groups import unregister_group

runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(build_app(), [str(a) for a in args])


@pytest.fixture(scope="module")
def small_file(tmp_path_factory, small2011):
    path = tmp_path_factory.mktemp("bri") / "small2011.npz"
    write(small2011, path)
    return path


def test_groups_list_and_show():
    r = invoke("groups", "list")
    assert r.exit_code == 0 and "bri64" in r.output and "by year" in r.output
    r = invoke("groups", "show", "eu", "--year", "2004")
    assert r.exit_code == 0 and "25 members in 2004" in r.output and "europa.eu" in r.output
    r = invoke("groups", "show", "bri-signatories", "--all")
    assert r.exit_code == 0 and "withdrawn" in r.output and "disputed" in r.output


def test_groups_show_on_a_table_names_hidden_members(tmp_path):
    out = tmp_path / "members.csv"
    r = invoke("groups", "show", "bri64", "--table", "wiod2013:2011", "-o", out)
    assert r.exit_code == 0, r.output
    assert "14 of 64 members are countries of the table" in r.output.replace("\n", " ")
    frame = pd.read_csv(out)
    assert len(frame) == 64 and "route_region" in frame.columns


def test_groups_errors_exit_1_with_a_message(tmp_path):
    r = invoke("groups", "show", "bri99")
    assert r.exit_code == 1 and "unknown group 'bri99'" in r.output
    bad = tmp_path / "bad.yaml"
    bad.write_text("mine: [CHN, ROM]\n")
    r = invoke("groups", "check", bad)
    assert r.exit_code == 1 and "did you mean ROU?" in r.output
    good = tmp_path / "good.yaml"
    good.write_text("mine-cli: [CHN, KAZ]\n")
    r = invoke("groups", "check", good)
    assert r.exit_code == 0 and "mine-cli: 2 members ok" in r.output


@pytest.mark.parametrize(("command", "extra"), [
    ("value-capture", []), ("participation", []), ("position", ["--level", "country"]),
    ("china-hub", []), ("network", ["--seed", "1"]), ("smile", ["--country", "IND"]),
    ("upgrading", ["--country", "TUR", "--top", "3"]),
])
def test_every_bri_command_writes_a_tidy_file_and_chart(command, extra, small_file, tmp_path):
    out, chart = tmp_path / "out.parquet", tmp_path / "chart.json"
    r = invoke("bri", command, small_file, "-o", out, "--chart", chart, *extra)
    assert r.exit_code == 0, r.output
    frame = pd.read_parquet(out)
    assert list(frame.columns) == ["year", "country", "sector", "partner", "measure", "value",
                                   "unit"]
    assert frame["unit"].astype(bool).all()
    assert "inside the rest-of-world aggregate RoW" in r.output.replace("\n", " ")
    assert json.loads(chart.read_text())["kind"]


def test_bri_with_a_user_group_file(small_file, tmp_path):
    groups = tmp_path / "g.csv"
    groups.write_text("group,iso3\nnorth-x,RUS\nnorth-x,EST\nnorth-x,KAZ\n")
    out = tmp_path / "vc.csv"
    try:
        r = invoke("bri", "value-capture", small_file, "--group", "north-x", "--groups-file",
                   groups, "-o", out)
    finally:
        unregister_group("north-x")
    assert r.exit_code == 0, r.output
    frame = pd.read_csv(out, keep_default_na=False)
    assert "north-x" in set(frame["country"])
    assert "KAZ" in r.output  # hidden in RoW, and said so


def test_bri_errors(small_file, tmp_path):
    r = invoke("bri", "smile", small_file, "--country", "KAZ", "-o", tmp_path / "s.csv")
    assert r.exit_code == 1 and "'KAZ' is not a country of this table" in r.output
    r = invoke("bri", "value-capture", small_file, "-o", tmp_path / "s.txt")
    assert r.exit_code == 1 and "unsupported output suffix" in r.output
    r = invoke("bri", "china-hub", small_file, "--group", "nosuch", "-o", tmp_path / "s.csv")
    assert r.exit_code == 1 and "unknown group 'nosuch'" in r.output
    r = invoke("bri", "position", "wiod2013", "--years", "2012", "-o", tmp_path / "s.csv")
    assert r.exit_code == 1 and "has no year(s) 2012" in r.output


def test_bri_on_a_panel_without_dask(tmp_path):
    out = tmp_path / "hub.csv"
    r = invoke("bri", "china-hub", "wiod2013", "--years", "2010-2011", "--scheduler", "sync",
               "--no-cache", "-o", out)
    assert r.exit_code == 0, r.output
    frame = pd.read_csv(out)
    assert sorted(frame["year"].unique()) == [2010, 2011]
    assert "hub_share_in_fva_change" in set(frame["measure"])


def test_panel_command(tmp_path):
    out = tmp_path / "p.csv"
    r = invoke("panel", "wiod2013", "--measure", "production_length", "--param", "level=country",
               "--years", "2010-2011", "--scheduler", "sync", "--no-cache", "-o", out)
    assert r.exit_code == 0, r.output
    assert "2 years" in r.output
    frame = pd.read_csv(out, keep_default_na=False)
    assert set(frame["measure"]) >= {"PLv", "GVC_position"}


def test_panel_command_errors(tmp_path):
    r = invoke("panel", "wiod2013", "-m", "gdp", "--scheduler", "sync", "-o", tmp_path / "p.csv")
    assert r.exit_code == 1 and "unknown panel measure 'gdp'" in r.output
    r = invoke("panel", "wiod2013", "-m", "wwyz", "--param", "level", "-o", tmp_path / "p.csv")
    assert r.exit_code == 1 and "expected NAME=VALUE" in r.output
    r = invoke("panel", "wiod2013", "-m", "wwyz", "-m", "bm", "--param", "level=sector",
               "-o", tmp_path / "p.csv")
    assert r.exit_code == 1 and "--param applies to one measure" in r.output


def test_bri_notes_go_to_stderr_and_quiet_silences_them(small_file, tmp_path):
    out = tmp_path / "vc.csv"
    r = runner.invoke(build_app(), ["bri", "value-capture", str(small_file), "--group", "bri64",
                                   "--output", str(out)])
    assert r.exit_code == 0, r.output
    assert r.stdout == "" and "bri64:" in r.stderr and "wrote" in r.stderr
    q = runner.invoke(build_app(), ["-q", "bri", "value-capture", str(small_file), "--group",
                                   "bri64", "--output", str(out)])
    assert q.exit_code == 0 and q.stdout == "" and q.stderr == ""


def test_upgrading_never_names_non_tradables(tmp_path):
    from silkchain.bri import upgrading_paths
    from silkchain.concordances.broad import NON_TRADABLE, classify
    from silkchain.io.registry import read

    f = upgrading_paths("wiod2013", "TUR", years=[2009, 2010, 2011], scheduler="sync",
                        cache=False)
    broad = classify(read("wiod2013:2011"))
    non_tradable = {s for s, b in broad.items() if b in NON_TRADABLE}
    named = set(f.attrs["notes"]["candidates"].split(", "))
    assert named and not named & non_tradable
    flags = f[(f["measure"] == "candidate") & f["sector"].isin(non_tradable)]
    assert len(flags) == len(non_tradable) and (flags["value"] == 0).all()
    assert set(f.attrs["notes"]["non_tradable"].split(", ")) == non_tradable
