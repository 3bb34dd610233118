"""Panels over years: layout, sources, caching, errors, and Dask (local and an existing cluster)."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from typer.testing import CliRunner

from silkchain.errors import DatasetNotFoundError, MeasureError
from silkchain.measures.participation import koopman, wwyz
from silkchain.panel import (
    PANEL_COLUMNS,
    PanelError,
    ParquetCache,
    dask_client,
    measure_function,
    panel,
    parse_years,
    resolve_source,
    to_panel_frame,
)
from tests.conftest import WIOD_YEARS

BM_TOP = ["DAVAX", "REX", "REF", "FVA", "PDC"]


def test_to_panel_frame_renames_decomposition_columns():
    f = pd.DataFrame({"exporter": ["CHN", "CHN"], "sector": ["c1", "c2"], "term": ["DVA"] * 2,
                      "value": [1.0, 2.0]})
    out = to_panel_frame(f, 2011)
    assert list(out.columns) == PANEL_COLUMNS
    assert out["partner"].tolist() == ["_T", "_T"] and out["year"].tolist() == [2011, 2011]


@pytest.mark.parametrize(("frame", "match"), [
    (pd.DataFrame({"country": ["A"], "measure": ["m"]}), "needs a 'value' column"),
    (pd.DataFrame({"country": ["A"], "colour": ["r"], "measure": ["m"], "value": [1.0]}),
     r"cannot place column\(s\) colour"),
    (pd.DataFrame({"country": ["A"], "value": [1.0]}), "needs a 'measure'"),
])
def test_to_panel_frame_errors(frame, match):
    with pytest.raises(MeasureError, match=match):
        to_panel_frame(frame, 2011)


def test_parse_years():
    assert parse_years("1995-1997,2011") == [1995, 1996, 1997, 2011]
    assert parse_years([2011, 2010, 2011]) == [2010, 2011]
    with pytest.raises(PanelError, match="runs backwards"):
        parse_years("2011-1995")
    with pytest.raises(PanelError, match="cannot read years 'last year'"):
        parse_years("last year")


def test_resolve_source_names_years_and_errors(small2011):
    assert list(resolve_source("wiod2013")) == WIOD_YEARS
    assert resolve_source("wiod2013", "2010-2011") == {2010: "wiod2013:2010",
                                                       2011: "wiod2013:2011"}
    assert resolve_source("wiod2013:2005") == {2005: "wiod2013:2005"}
    assert resolve_source({2011: small2011})[2011] is small2011
    with pytest.raises(DatasetNotFoundError, match=r"has no year\(s\) 2012; available: 1995-2011"):
        resolve_source("wiod2013", [2011, 2012])
    with pytest.raises(DatasetNotFoundError, match="unknown panel source 'nosuch'"):
        resolve_source("nosuch")
    with pytest.raises(DatasetNotFoundError, match="needs yearly dataset ids"):
        resolve_source("wiod2013:latest")


def test_sync_panel_equals_direct_calls(small_panel):
    f = panel(small_panel, [wwyz, (koopman, {"variant": "kww"})], scheduler="sync")
    assert list(f.columns) == PANEL_COLUMNS
    assert f["year"].tolist() == sorted(f["year"].tolist())
    for year, table in small_panel.items():
        direct = wwyz(table).set_index(["country", "measure"])["value"]
        got = f[(f.year == year) & f.measure.isin(direct.index.get_level_values(1))]
        got = got.set_index(["country", "measure"])["value"]
        assert_allclose(got.loc[direct.index].to_numpy(), direct.to_numpy(), rtol=1e-12)
    k = f[(f.year == 2011) & (f.measure == "IV")].set_index("country")["value"]
    direct_k = koopman(small_panel[2011], variant="kww").query("measure == 'IV'")
    assert_allclose(k.loc[direct_k.country].to_numpy(), direct_k.value.to_numpy())


def test_named_measures_and_params(small_panel):
    f = panel(small_panel, "production_length", scheduler="sync", params={"level": "sector"})
    assert set(f["sector"]) - {"_T"} and set(f["measure"]) >= {"PLv", "GVC_position"}
    country = panel(small_panel, "production_length_country", scheduler="sync", cache=False)
    assert set(country["sector"]) == set(country["partner"]) == {"_T"}
    assert measure_function("wwyz").keywords == {"level": "country"}
    with pytest.raises(PanelError, match="unknown panel measure 'gdp'; available: bm, "
                       "bm_sector, bm_bilateral, wwyz"):
        panel(small_panel, "gdp", scheduler="sync")
    with pytest.raises(PanelError, match="params apply to a single measure"):
        panel(small_panel, ["wwyz", "koopman"], params={"level": "sector"}, scheduler="sync")
    with pytest.raises(PanelError, match="a measure is a name, a function"):
        panel(small_panel, [3], scheduler="sync")


def test_a_failing_year_is_named(small_panel):
    def broken(table):
        if table.meta["year"] == 2010:
            raise ZeroDivisionError("boom")
        return wwyz(table)

    with pytest.raises(PanelError, match=r"measure 'broken' failed on year 2010: "
                                         r"ZeroDivisionError: boom"):
        panel(small_panel, broken, scheduler="sync")


def test_parquet_cache_round_trip(tmp_path):
    calls = []

    def counted(table):
        calls.append(1)
        return wwyz(table)

    first = panel("wiod2013", counted, years=[2011], scheduler="sync", cache=tmp_path,
                  cache_extra="counted-wwyz")
    second = panel("wiod2013", counted, years=[2011], scheduler="sync", cache=tmp_path,
                   cache_extra="counted-wwyz")
    assert len(calls) == 1 and second.attrs["cached"] and not first.attrs["cached"]
    pd.testing.assert_frame_equal(first, second, check_dtype=False)
    assert list(tmp_path.glob("panel-*.parquet"))
    assert ParquetCache(tmp_path).get_frame("nothing") is None


def test_default_cache_is_the_store(tmp_path, monkeypatch):
    monkeypatch.setenv("SILKCHAIN_HOME", str(tmp_path))
    f = panel("wiod2013", "wwyz", years=[2011], scheduler="sync")
    g = panel("wiod2013", "wwyz", years=[2011], scheduler="sync")
    assert g.attrs["cached"] and not f.attrs["cached"]
    assert list((tmp_path / "frames").glob("panel-*.parquet"))
    nocache = panel("wiod2013", "wwyz", years=[2011], scheduler="sync", cache=False)
    assert not nocache.attrs["cached"] and nocache.attrs["cache_key"] is None


def test_functions_are_not_cached_without_a_name(tmp_path, small_panel):
    f = panel("wiod2013", wwyz, years=[2011], scheduler="sync", cache=tmp_path)
    assert f.attrs["cache_key"] is None and not list(tmp_path.iterdir())


def test_progress_callback_sees_every_year(small_panel):
    seen = []
    panel(small_panel, "wwyz", scheduler="sync", progress=lambda d, t, y: seen.append((d, t, y)))
    assert seen == [(1, 2, 2010), (2, 2, 2011)]


def test_unreachable_scheduler_is_a_clear_error():
    with pytest.raises(PanelError, match=r"could not connect to the Dask scheduler at "
                                         r"tcp://127.0.0.1:9"), dask_client("127.0.0.1:9",
                                                                             timeout=1):
        pass


# ------------------------------------------------------------------------------ on Dask
@pytest.fixture(scope="module")
def wiod_panel():
    """BM and WWYZ for all 17 WIOD years on the default local Dask cluster (no cache)."""
    start = time.perf_counter()
    frame = panel("wiod2013", ["bm", "wwyz"], cache=False)
    frame.attrs["seconds"] = time.perf_counter() - start
    return frame


@pytest.mark.slow
def test_all_wiod_years_for_bm_and_wwyz_on_a_local_cluster(wiod_panel):
    f = wiod_panel
    assert sorted(f["year"].unique()) == WIOD_YEARS
    assert f.attrs["scheduler"] is None and not f.attrs["cached"]
    assert (f.groupby("year")["country"].nunique() == 41).all()
    bm = f.pivot_table(index=["year", "country"], columns="measure", values="value")
    # Borin-Mancini top split (METHODS.md §6): GEXP = DAVAX + REX + REF + FVA + PDC.
    # Exact up to exports of industries whose rounded output is zero (they carry no value
    # added): at most half a rounding unit (1 million) per industry of the exporter.
    slack = 1e-9 * bm["GEXP"] + 0.5 * 35
    assert ((bm[BM_TOP].sum(axis=1) - bm["GEXP"]).abs() <= slack).all()
    assert ((bm["DVA"] + bm["DDC"] + bm["FC"] - bm["GEXP"]).abs() <= slack).all()
    exact = (bm[BM_TOP].sum(axis=1) - bm["GEXP"]).abs() <= 1e-9 * bm["GEXP"]
    assert exact.mean() > 0.95
    # WWYZ (METHODS.md §9): shares in [0, 1], forward terms add up to value added
    for share in ("forward", "backward", "forward_simple", "forward_complex"):
        assert bm[share].between(-1e-12, 1 + 1e-12).all(), share
    parts = [c for c in bm.columns if c.startswith("V_") and c != "V_GVC"]
    assert_allclose(bm[parts].sum(axis=1), bm["va"], rtol=1e-9)
    # world forward GVC = world backward GVC, every year
    world = bm.groupby(level="year")[["V_GVC", "Y_GVC"]].sum()
    assert_allclose(world["V_GVC"], world["Y_GVC"], rtol=1e-9)


@pytest.mark.slow
def test_same_code_runs_on_a_cluster_started_by_the_test(wiod_panel, tmp_path):
    from dask.distributed import LocalCluster

    from silkchain.cli.app import build_app

    out = tmp_path / "panel.parquet"
    with LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1",
                      dashboard_address=None, processes=True,
                      scheduler_kwargs={"dashboard_address": "127.0.0.1:0"}) as cluster:
        result = CliRunner().invoke(build_app(), [
            "panel", "wiod2013", "--measure", "bm", "--measure", "wwyz", "--years",
            "2010-2011", "--scheduler", cluster.scheduler_address, "--no-cache", "-o", str(out)])
        # a Belt and Road answer on the same cluster (its task carries a Group object)
        hub = CliRunner().invoke(build_app(), [
            "bri", "china-hub", "wiod2013", "--years", "2010-2011", "--scheduler",
            cluster.scheduler_address, "--no-cache", "-o", str(tmp_path / "hub.csv")])
    assert result.exit_code == 0, result.output
    assert hub.exit_code == 0, hub.output
    assert set(pd.read_csv(tmp_path / "hub.csv")["year"]) == {2010, 2011}
    assert "2 years" in result.output
    got = pd.read_parquet(out)
    want = wiod_panel[wiod_panel["year"].between(2010, 2011)].reset_index(drop=True)
    key = ["year", "country", "sector", "partner", "measure"]
    merged = want.merge(got, on=key, suffixes=("_local", "_remote"))
    assert len(merged) == len(want) == len(got)
    assert_allclose(merged["value_remote"], merged["value_local"], rtol=1e-12)
    assert np.isfinite(merged["value_remote"]).mean() > 0.99


# ------------------------------------------------------------------------------ on a cluster
@pytest.fixture(scope="module")
def cluster():
    """Two worker processes started by the test (an 'existing cluster' for --scheduler)."""
    from dask.distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1",
                      dashboard_address=None, processes=True,
                      scheduler_kwargs={"dashboard_address": "127.0.0.1:0"}) as c:
        yield c


def flaky(table, marks):
    """WWYZ, but the first attempt at every year fails (a lost worker, say)."""
    mark = marks / str(table.meta["year"])
    if not mark.exists():
        mark.touch()
        raise OSError("connection to the worker lost")
    return wwyz(table)


def always_broken_2011(table):
    if table.meta["year"] == 2011:
        raise ZeroDivisionError("boom")
    return wwyz(table)


@pytest.mark.slow
def test_a_failed_year_is_tried_again_and_years_come_back_in_order(cluster, small_panel,
                                                                   tmp_path):
    from functools import partial

    got = panel(small_panel, partial(flaky, marks=tmp_path), scheduler=cluster.scheduler_address)
    want = panel(small_panel, wwyz, scheduler="sync")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2010", "2011"]
    assert got["year"].tolist() == want["year"].tolist()      # year order, not finish order
    pd.testing.assert_frame_equal(got, want, check_like=False)


@pytest.mark.slow
def test_a_year_failing_twice_is_named(cluster, small_panel):
    with pytest.raises(PanelError, match=r"measure 'always_broken_2011' failed on year 2011: "
                                         r"ZeroDivisionError: boom"):
        panel(small_panel, always_broken_2011, scheduler=cluster.scheduler_address)


@pytest.fixture
def mini_store(tmp_path, monkeypatch, small_panel):
    """A store holding 'mini:2010' and 'mini:2011', set after the cluster started."""
    from silkchain.io.store import Store

    monkeypatch.setenv("SILKCHAIN_HOME", str(tmp_path / "store"))
    store = Store()
    for year, table in small_panel.items():
        store.put_table(table, f"mini:{year}")
    return store


@pytest.mark.slow
def test_workers_read_years_from_the_clients_store_folder(cluster, mini_store, small_panel):
    # the workers' own store is elsewhere (their environment predates SILKCHAIN_HOME above)
    got = panel("mini", "wwyz", scheduler=cluster.scheduler_address, cache=False)
    want = panel(small_panel, "wwyz", scheduler="sync")
    assert_allclose(got["value"], want["value"], rtol=1e-12)
    assert got["year"].tolist() == want["year"].tolist()


@pytest.mark.slow
def test_workers_that_cannot_see_the_store_receive_the_tables(cluster, mini_store, monkeypatch,
                                                              small_panel):
    import silkchain.panel as panel_module

    monkeypatch.setattr(panel_module, "_store_root", lambda tasks: "/nonexistent/store")
    got = panel("mini", "wwyz", scheduler=cluster.scheduler_address, cache=False)
    want = panel(small_panel, "wwyz", scheduler="sync")
    assert_allclose(got["value"], want["value"], rtol=1e-12)


@pytest.mark.slow
def test_no_dask_chatter_on_stderr_after_a_cluster_run(cluster, tmp_path):
    import subprocess
    import sys

    for scheduler in (cluster.scheduler_address, None):     # an existing cluster; a local one
        args = [sys.executable, "-m", "silkchain", "panel", "wiod2013", "-m", "wwyz",
                "--years", "2010-2011", "--no-cache", "-o", str(tmp_path / "p.csv")]
        run = subprocess.run(args + (["--scheduler", scheduler] if scheduler else []),
                             capture_output=True, text=True, timeout=300)
        assert run.returncode == 0, run.stderr
        text = " ".join(run.stderr.split())                     # the message, unwrapped
        assert text.startswith("wrote 1,476 rows (2 years"), run.stderr
        assert text.endswith("p.csv"), run.stderr                # and nothing after it
        for chatter in ("Error", "Traceback", "Warning", "distributed", "tornado"):
            assert chatter not in text, run.stderr


def test_a_store_year_read_twice_in_a_row_is_one_table(mini_store, small_panel):
    from silkchain.panel import _read_year

    first = _read_year("mini:2011", None)
    assert _read_year("mini:2011", None) is first              # its LU is computed once
    assert _read_year("mini:2011", str(mini_store.root)) is first
    _read_year("mini:2010", None)                               # one table held at a time
    assert _read_year("mini:2011", None) is not first
    again = _read_year("mini:2011", None)
    mini_store.put_table(small_panel[2010], "mini:2011")        # replaced: read anew
    replaced = _read_year("mini:2011", None)
    assert replaced is not again and replaced.meta["year"] == 2010
    assert _read_year("wiod2013:2011", None) is _read_year("wiod2013:2011", None)


@pytest.mark.parametrize(("load", "threads"), [(0.1, None), (64.0, 1)])
def test_a_sequential_panel_uses_one_blas_thread_on_a_busy_machine(monkeypatch, small_panel,
                                                                    load, threads):
    import silkchain.panel as panel_module

    seen = []
    real = panel_module._compute_year

    def spy(year, ref, measures, blas_threads=1, store_root=None):
        seen.append(blas_threads)
        return real(year, ref, measures, blas_threads, store_root)

    monkeypatch.setattr(panel_module.os, "getloadavg", lambda: (load, load, load))
    monkeypatch.setattr(panel_module, "_compute_year", spy)
    panel(small_panel, "wwyz", scheduler="sync")
    assert seen == [threads, threads]


def test_panel_file_has_a_unit_column(tmp_path):
    from silkchain.cli.app import build_app

    out = tmp_path / "k.csv"
    r = CliRunner().invoke(build_app(), ["panel", "wiod2013", "-m", "koopman", "--years",
                                         "2011", "--scheduler", "sync", "--no-cache", "-o",
                                         str(out)])
    assert r.exit_code == 0, r.output
    f = pd.read_csv(out)
    assert list(f.columns) == [*PANEL_COLUMNS, "unit"]
    units = f.groupby("measure")["unit"].first()
    assert units["IV"] == units["E"] == "USD millions"
    assert units["participation"] == "share of gross exports"
    assert units["position"] == "log index"
    r = CliRunner().invoke(build_app(), ["panel", "wiod2013", "-m", "exposure", "-m",
                                         "exposure_sales", "--years", "2011", "--scheduler",
                                         "sync", "-o", str(tmp_path / "e.csv")])
    assert r.exit_code == 1 and not (tmp_path / "e.csv").exists()
    assert "exposure and exposure_sales have terms of the same name in different units " \
        "(fv, lt, foreign_fv, foreign_lt); compute them separately" in r.stderr
