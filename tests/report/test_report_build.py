"""``build_report`` end to end on two WIOD years, and ``silkchain report``."""

from __future__ import annotations

import base64
import json
import re

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from silkchain.bri import position
from silkchain.bri.answers import ANSWERS, Answer, Parameter
from silkchain.cli.app import build_app
from silkchain.report import build as build_mod
from silkchain.report.build import build_report

from .shared import YEARS, small_report

EXPECTED_CHARTS = ["value-capture", "value-capture-world", "participation-position",
                   "participation-gains", "position-china", "hub-fva", "hub-absorbed",
                   "regional-global", "va-sankey", "va-pagerank", "smile", "tech-mix",
                   "upgrading", "exposure", "why-changed", "scenario", "reshoring"]


@pytest.fixture(scope="module")
def result():
    return small_report()


def figure(html: str, key: str) -> dict:
    m = re.search(rf'<script type="application/json" id="data-{key}">(.*?)</script>', html, re.S)
    assert m, key
    return json.loads(m.group(1))


def values(data: object) -> list[float]:
    """Numbers of a trace array (plotly writes numpy arrays as base64 typed arrays)."""
    if isinstance(data, dict) and "bdata" in data:
        return np.frombuffer(base64.b64decode(data["bdata"]), dtype=data["dtype"]).tolist()
    return list(data)  # type: ignore[call-overload]


@pytest.mark.slow
def test_every_answer_has_its_charts_guides_and_citations(result):
    assert result.missing == []
    assert [c.key for c in result.report.charts] == EXPECTED_CHARTS
    html = result.html.read_text(encoding="utf-8")
    for chart in result.report.charts:
        assert len(chart.guide) > 80 and len(chart.citation) > 20, chart.key
        assert f'id="chart-{chart.key}"' in html
        assert figure(html, chart.key)["data"], chart.key
        assert set(chart.sheets) <= set(result.report.frames), chart.key
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=\"?https?:", html)


@pytest.mark.slow
def test_small_economies_carry_the_rounding_caveat(result):
    by_key = {c.key: c for c in result.report.charts}
    cav = by_key["value-capture"].caveat
    assert cav is not None and "EST" in cav and "rounded" in cav
    html = result.html.read_text(encoding="utf-8")
    assert html.count("Caveat.") >= 5


@pytest.mark.slow
def test_chart_numbers_are_the_answer_numbers(result):
    frame = result.report.frames["value_capture"]
    html = result.html.read_text(encoding="utf-8")
    bars = figure(html, "value-capture")["data"][0]
    got = dict(zip(bars["y"], values(bars["x"]), strict=True))
    want = frame.query("measure == 'DVA_share' and year == 2011").set_index("country")["value"]
    for code in ("CHN", "IND", "bri64", "World"):
        assert got[code] == pytest.approx(100 * want[code], rel=1e-12)


@pytest.mark.slow
def test_workbook_holds_every_frame_as_the_api_returns_it(result):
    sheets = pd.read_excel(result.workbook, sheet_name=None, keep_default_na=False,
                           na_values=[""])
    assert next(iter(sheets)) == "README"
    assert set(result.report.frames) == set(sheets) - {"README"}
    direct = position("wiod2013", group="bri64", years=YEARS, scheduler="sync", cache=False)
    got = sheets["position"]
    assert len(got) == len(direct)
    pd.testing.assert_series_equal(got["value"], direct["value"].reset_index(drop=True),
                                   check_names=False, rtol=1e-12)
    comp = sheets["scenario_comparison"]
    assert set(comp.columns) == {"country", "sector", "measure", "baseline", "scenario",
                                 "delta", "unit", "definition"}
    assert set(got.columns) >= {"unit", "definition"}  # every tidy sheet says both


@pytest.mark.slow
def test_scenario_names_its_countries_first(result):
    table = next(t for s in result.report.sections for t in s.tables
                 if t.key == "scenario-table").frame
    assert list(table["country"][:4]) == ["CHN", "IND", "IDN", "TUR"]
    chn = table.set_index("country").loc["CHN", "gdp change %"]
    assert chn < 0  # China loses the output that moves


def test_answers_come_from_the_catalogue_and_single_years_say_what_is_left_out(
        tmp_path, monkeypatch):
    """One year: an answer needing two years is left out with its reason; an answer
    registered without a report section is shown as a table."""
    def dummy(source, group=None, years=None, scheduler=None, *, hub="CHN", progress=False,
              cache=True):
        return position(source, group=group, years=years, scheduler=scheduler, hub=hub,
                        cache=cache)

    chosen = {k: ANSWERS[k] for k in ("position", "upgrading_paths")}
    chosen["dummy"] = Answer("dummy", "Dummy answer", dummy, "all", 1, "dummy", "A test.",
                             (Parameter("hub", "CHN", "Hub.", role="hub"),))
    monkeypatch.setattr(build_mod, "ANSWERS", chosen)
    res = build_report("wiod2013:2011", output=tmp_path, scenario=False, cache=False)
    assert res.missing == ["Upgrading paths needs at least 2 years (the slopes of "
                           "value-added RCA and position over time); 1 year given"]
    html = res.html.read_text(encoding="utf-8")
    assert "Upgrading paths needs at least 2 years" in html
    assert [c.key for c in res.report.charts] == ["position-china"]
    assert "dummy" in res.report.frames


def test_unknown_source_is_a_clear_error(tmp_path):
    from silkchain.errors import DatasetNotFoundError

    with pytest.raises(DatasetNotFoundError, match="nosuch"):
        build_report("nosuch", output=tmp_path)


def test_cli_prints_where_the_results_are(tmp_path, monkeypatch):
    calls = {}

    def fake(source, **kw):
        calls.update(kw, source=source)
        kw["progress"](1, 2, "value capture")
        (tmp_path / "report.html").write_text("x")
        (tmp_path / "report.xlsx").write_text("x")
        from silkchain.report.document import Report

        return build_mod.ReportResult(html=tmp_path / "report.html",
                                      workbook=tmp_path / "report.xlsx",
                                      report=Report("t", "s"), seconds=1.0,
                                      missing=["smile curve: not here"])

    monkeypatch.setattr(build_mod, "build_report", fake)
    res = CliRunner().invoke(build_app(), ["report", "wiod2013", "--group", "asean",
                                           "--output", str(tmp_path), "--years", "2009-2011",
                                           "--no-scenario"])
    assert res.exit_code == 0, res.output
    assert f"report:   {tmp_path / 'report.html'}" in res.stdout
    assert f"workbook: {tmp_path / 'report.xlsx'}" in res.stdout
    assert calls["years"] == [2009, 2010, 2011] and calls["group"] == "asean"
    assert calls["scenario"] is False and calls["source"] == "wiod2013"


def test_cli_errors_are_clean(tmp_path):
    app = build_app()
    res = CliRunner().invoke(app, ["report", "nosuch", "--output", str(tmp_path)])
    assert res.exit_code == 1 and "unknown panel source 'nosuch'" in res.output
    res = CliRunner().invoke(app, ["report", "--years", "2011-2009", "--output",
                                   str(tmp_path)])
    assert res.exit_code == 1 and "runs backwards" in res.output


def test_each_table_is_read_and_factored_once_per_report(tmp_path, monkeypatch):
    """One task per year runs every answer's per-table work on one read of the table:
    one factorisation of I - A and one Borin-Mancini system per table, whatever the
    number of answers (the per-table cache, measures.catalogue.per_table)."""
    from silkchain.core import borin_mancini as core_bm
    from silkchain.core.leontief import LeontiefSolver
    from silkchain.io import bundled, registry

    bundled.load.cache_clear()
    from silkchain import panel as panel_mod

    counts = {"read": 0, "factor": 0, "prepare": 0, "tasks": 0}
    real_task = panel_mod._compute_year

    def task(*args, **kwargs):
        counts["tasks"] += 1
        return real_task(*args, **kwargs)

    monkeypatch.setattr(panel_mod, "_compute_year", task)
    real_read, real_factor, real_prepare = registry.read, LeontiefSolver.factor, \
        core_bm.prepare

    def read(*args, **kwargs):
        counts["read"] += 1
        return real_read(*args, **kwargs)

    def factor(cls, *args, **kwargs):
        counts["factor"] += 1
        return real_factor.__func__(cls, *args, **kwargs)

    def prepare(*args, **kwargs):
        counts["prepare"] += 1
        return real_prepare(*args, **kwargs)

    monkeypatch.setattr(registry, "read", read)
    monkeypatch.setattr(LeontiefSolver, "factor", classmethod(factor))
    monkeypatch.setattr(core_bm, "prepare", prepare)
    seven = ("value_capture", "participation_gains", "position", "china_hub", "va_network",
             "smile_curve", "upgrading_paths")
    monkeypatch.setattr(build_mod, "ANSWERS", {k: ANSWERS[k] for k in seven})
    res = build_report("wiod2013", years=[2010, 2011], output=tmp_path, scenario=False,
                       scheduler="sync", cache=False)
    assert res.missing == [] and len(res.report.charts) >= 12
    assert counts["tasks"] == 2, counts  # one task per year runs every answer's work
    assert counts["read"] <= 5, counts  # + the last year for the page, + sector labels
    assert counts["prepare"] == 2, counts  # one Borin-Mancini system per table
    assert counts["factor"] <= 2 * 2, counts  # per table: I - A, and position's country table
