"""Rendering machinery: one offline HTML page, one workbook with a README sheet."""

from __future__ import annotations

import json
import re

import pandas as pd
import plotly.graph_objects as go
import pytest

from silkchain.report import excel as excel_mod
from silkchain.report.assets import plotly_js, plotly_version
from silkchain.report.document import Chart, Report, Section, TableBlock, sheet_name
from silkchain.report.excel import write_report_workbook, write_workbook
from silkchain.report.page import figure_json, render_html, write_html


def small_report() -> Report:
    fig = go.Figure(go.Bar(x=["CHN", "IND"], y=[1.0, 2.0]))
    fig.update_layout(title="a </script><b>tricky</b> title")
    frame = pd.DataFrame({"country": ["CHN", "<IND>"], "value": [0.5, 12345.678]})
    rep = Report(title="Test report", subtitle="two countries", meta={"source": "unit test"},
                 sources=["Someone (2020)."], caveats=["Small economies are rounded."])
    sheet = rep.add_frame("values", frame, note="the values")
    rep.sections.append(Section(
        key="first", title="First", intro="Intro text.",
        charts=(Chart("bars", "Bars", fig, guide="Higher is more.", citation="Paper (2020).",
                      caveat="Mind the rounding.", sheets=(sheet,)),),
        tables=(TableBlock("tab", "A table", frame, note="note"),)))
    rep.sections.append(Section(key="second", title="Second", missing="module x is missing"))
    return rep


def test_page_embeds_plotly_and_requests_nothing_remote():
    html = render_html(small_report(), workbook="report.xlsx")
    assert plotly_js()[:2000] in html  # the library itself, not a link to it
    assert html.count("<script") >= 3
    assert not re.search(r"<script[^>]+src=", html)
    assert not re.search(r"<link[^>]+href=", html)
    assert "@import" not in html and "fonts.googleapis" not in html
    assert f"plotly.js {plotly_version()}" in html


def test_figures_are_json_safe_inside_script_elements():
    rep = small_report()
    html = render_html(rep)
    block = re.search(r'<script type="application/json" id="data-bars">(.*?)</script>', html,
                      re.S)
    assert block is not None
    fig = json.loads(block.group(1))
    assert fig["data"][0]["x"] == ["CHN", "IND"]
    assert "</script><b>" not in block.group(1)
    assert "</" not in figure_json(rep.charts[0].figure)


def test_page_shows_guides_citations_caveats_and_missing_sections():
    html = render_html(small_report(), workbook="report.xlsx")
    for text in ("How to read it.", "Higher is more.", "Paper (2020).", "Mind the rounding.",
                 "module x is missing", "Someone (2020).", "Small economies are rounded.",
                 "report.xlsx", 'id="chart-bars"', 'href="#second"'):
        assert text in html
    assert "&lt;IND&gt;" in html and "<IND>" not in html  # table cells are escaped
    assert "12,346" in html  # large numbers rounded for reading


def test_write_html_is_atomic_and_returns_path(tmp_path):
    out = write_html(small_report(), tmp_path / "sub" / "r.html")
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in out.parent.iterdir()] == ["r.html"]


def test_workbook_has_readme_and_every_frame(tmp_path):
    rep = small_report()
    path = write_report_workbook(rep, tmp_path / "r.xlsx")
    sheets = pd.read_excel(path, sheet_name=None)
    assert list(sheets) == ["README", "values"]
    pd.testing.assert_frame_equal(sheets["values"], rep.frames["values"])
    readme = sheets["README"].astype(str).to_string()
    for text in ("Test report", "unit test", "the values", "Someone (2020).",
                 "Small economies are rounded."):
        assert text in readme


def test_workbook_rejects_clashing_sheet_names(tmp_path):
    f = pd.DataFrame({"a": [1]})
    with pytest.raises(ValueError, match=r"two frames map to the sheet name 'a_b'"):
        write_workbook({"a/b": f, "a:b": f}, tmp_path / "x.xlsx")
    with pytest.raises(ValueError, match=r"sheet name 'README'"):
        write_workbook({"README": f}, tmp_path / "x.xlsx")
    assert not (tmp_path / "x.xlsx").exists()


def test_workbook_rejects_frames_longer_than_a_sheet(tmp_path, monkeypatch):
    monkeypatch.setattr(excel_mod, "MAX_ROWS", 2)
    with pytest.raises(ValueError, match=r"frame 'big' has 3 rows; an Excel sheet holds 2"):
        write_workbook({"big": pd.DataFrame({"a": [1, 2, 3]})}, tmp_path / "x.xlsx")


def test_sheet_names_are_unique_and_short():
    rep = Report(title="t", subtitle="s")
    long = "x" * 40
    names = [rep.add_frame(long, pd.DataFrame()) for _ in range(3)]
    assert names == ["x" * 31, "x" * 29 + "_2", "x" * 29 + "_3"]
    assert sheet_name("a[b]*?") == "a_b___"
