"""Rendering machinery: one offline HTML page, one workbook with a README sheet."""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path

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


# --------------------------------------------------------------------------- outputs
def _tidy_report() -> Report:
    rep = small_report()
    rep.add_frame("tidy", pd.DataFrame({"year": [2011, 2011], "country": ["CHN", "IND"],
                                        "measure": ["DVA_share", "GEXP"],
                                        "value": [0.66, 2084965.0]}), note="tidy rows")
    return rep


def test_every_tidy_sheet_has_a_unit_and_a_definition_and_number_formats(tmp_path):
    import openpyxl

    path = write_report_workbook(_tidy_report(), tmp_path / "r.xlsx")
    tidy = pd.read_excel(path, sheet_name="tidy")
    assert tidy.columns.tolist() == ["year", "country", "measure", "value", "unit",
                                     "definition"]
    assert tidy["unit"].tolist() == ["fraction of 1", "table currency (US$ million for WIOD)"]
    assert tidy["definition"].tolist() == ["DVA / GEXP; likewise VAX_share, GVC_share, "
                                           "GVCB_share, GVCF_share", "gross exports"]
    ws = openpyxl.load_workbook(path)["tidy"]
    assert ws.column_dimensions["D"].number_format == "#,##0" or \
        ws["D2"].number_format in ("#,##0", "General")


def test_a_step_log_is_readable_lines_not_a_repr():
    from silkchain.report.sections import step_log

    log = [{"op": "transfer", "from": "CHN", "to": ["IDN", "IND"], "share": 0.2,
            "gras": {"iterations": 7, "gap": 1.234567e-11}}]
    assert step_log(log) == ["transfer: from CHN; to IDN, IND; share 0.2; gras {iterations: "
                             "7, gap: 1.23457e-11}"]


@pytest.mark.parametrize("umask", [0o022, 0o077])
def test_the_pair_follows_the_umask_and_leaves_no_temporaries(tmp_path, umask):
    from silkchain.report.outputs import write_outputs

    old = os.umask(umask)
    try:
        html, book = write_outputs(small_report(), tmp_path)
    finally:
        os.umask(old)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html", "report.xlsx"]
    for p in (html, book):
        assert stat.S_IMODE(p.stat().st_mode) == 0o666 & ~umask


def test_a_kill_between_the_renames_is_finished_by_the_next_run(tmp_path, monkeypatch):
    from silkchain.report import outputs

    outputs.write_outputs(small_report(), tmp_path)  # the old pair
    old_page = (tmp_path / "report.html").read_text(encoding="utf-8")
    new = small_report()
    new.subtitle = "the new run"
    real_replace = os.replace
    calls = []

    def killed(src, dst):  # the kill: after the journal and the first rename
        calls.append(Path(dst).name)
        if Path(dst).name == "report.html":
            raise KeyboardInterrupt
        real_replace(src, dst)

    monkeypatch.setattr(outputs.os, "replace", killed)
    with pytest.raises(KeyboardInterrupt):
        outputs.write_outputs(new, tmp_path)
    monkeypatch.setattr(outputs.os, "replace", real_replace)
    assert calls[-3:] == [".report-commit.json", "report.xlsx", "report.html"]
    assert (tmp_path / outputs.JOURNAL).exists()  # the journal says what is left to do
    assert (tmp_path / "report.html").read_text(encoding="utf-8") == old_page
    done = outputs.recover(tmp_path)  # what the next run does first
    assert done == ["finished report.html"]  # the workbook was already in place
    assert "the new run" in (tmp_path / "report.html").read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html", "report.xlsx"]


def test_a_kill_before_the_journal_keeps_the_old_pair_and_its_temporaries_go(tmp_path,
                                                                            monkeypatch):
    from silkchain.report import outputs

    outputs.write_outputs(small_report(), tmp_path)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    (tmp_path / ".report.xlsx.k2j3abcd").write_bytes(b"")  # an old mkstemp leftover

    def killed(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(outputs, "render_html", killed)  # after the workbook temporary
    with pytest.raises(KeyboardInterrupt):
        outputs.write_outputs(small_report(), tmp_path)
    monkeypatch.undo()
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()
            if not p.name.startswith(".")} == before
    assert outputs.recover(tmp_path) == []  # the failed run already removed its own
    outputs.write_outputs(small_report(), tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html", "report.xlsx"]


# --------------------------------------------------------------------------- sections
def _frame(measures: dict[str, dict[str, float]], years=(2010, 2011), group="grp",
           members=("AAA", "BBB")) -> pd.DataFrame:
    rows = [{"year": y, "country": c, "sector": "_T", "partner": "_T", "measure": m,
             "value": v * (1 + 0.01 * (y - years[0]))}
            for m, by in measures.items() for c, v in by.items() for y in years]
    frame = pd.DataFrame(rows)
    frame.attrs.update({"group": group, "coverage": {"inside": list(members)}})
    return frame


def _ctx():
    from silkchain.report.sections import Context

    return Context(group="grp", hub="CHN", years=[2010, 2011], report=Report("t", "s"))


def test_value_capture_shows_percent_and_distinct_group_and_world_bars():
    from silkchain.report.sections import WORLD_COLOUR, value_capture_section

    who = {"AAA": 0.7, "BBB": 0.8, "CHN": 0.66, "grp": 0.75, "World": 0.72}
    frame = _frame({"DVA_share": who, "GEXP": dict.fromkeys(who, 100.0),
                    "DVA": {k: 100 * v for k, v in who.items()}})
    section = value_capture_section(frame, _ctx())
    bars = section.charts[0].figure.data[0]
    colours = dict(zip(bars.y, bars.marker.color, strict=True))
    assert colours["World"] == WORLD_COLOUR and colours["grp"] != colours["World"]
    table = section.tables[0].frame.set_index("country")
    assert table.loc["CHN", "DVA share, %"] == pytest.approx(66.66)  # % beside the % chart


def test_start_markers_are_open_and_small_multiples_have_y_labels():
    from silkchain.report.sections import participation_section, position_section

    who = {"AAA": 0.3, "BBB": 0.4, "CHN": 0.5, "grp": 0.35}
    gains = _frame({"forward": who, "forward_change": who, "va_cagr": who})
    pos = _frame({"GVC_position": who, "U": who, "position": who})
    ctx = _ctx()
    fig = participation_section(gains, pos, ctx).charts[0].figure
    starts = [t for t in fig.data if getattr(t.marker, "symbol", None) == "circle-open"]
    assert starts and all(t.marker.size >= 8 and t.marker.line.width > 0 for t in starts)
    labels = [t.textposition for t in fig.data if t.mode == "markers+text"]
    assert len(set(labels)) > 1  # neighbours' labels do not all sit on top
    fig = position_section(pos, ctx).charts[0].figure
    assert [fig.layout[f"yaxis{i}"].title.text for i in ("", "2", "3")] == [
        "upstreamness (stages)", "PLv_GVC / PLy_GVC (ratio)", "ln(1+IV/E) − ln(1+FV/E)"]


def test_non_tradables_are_never_upgrading_candidates():
    from silkchain.report.sections import upgrading_section

    sectors = {"s1": "textiles", "s2": "construction", "s3": "real_estate"}
    rows = []
    for s in sectors:
        for m, v in (("candidate", 1.0), ("upgrading", 0.0), ("density", 0.5),
                     ("NRCA_slope", 0.1), ("NRCA_last", 0.0), ("has_advantage", 0.0)):
            rows.append({"year": 2011, "country": "CHN", "sector": s, "partner": "_T",
                         "measure": m, "value": v})
    frame = pd.DataFrame(rows)
    frame.attrs["notes"] = {"country": "CHN", "candidates": "s1, s2, s3", "upgrading": ""}
    ctx = _ctx()
    ctx.sector_broad = sectors
    section = upgrading_section(frame, ctx)
    table = section.tables[0]
    assert table.frame["sector"].tolist() == ["s1"]
    assert "Left out here: s2 (s2); s3 (s3)." in table.note


def test_member_trajectories_never_share_a_colour():
    from silkchain.report.sections import participation_section

    who = {f"C{i:02d}": 0.3 + 0.005 * i for i in range(30)} | {"CHN": 0.5, "grp": 0.35}
    gains = _frame({"forward": who, "forward_change": who, "va_cagr": who},
                   members=tuple(k for k in who if k.startswith("C") and k != "CHN"))
    pos = _frame({"GVC_position": who, "U": who, "position": who})
    fig = participation_section(gains, pos, _ctx()).charts[0].figure
    lines = {t.name: t.line.color for t in fig.data if t.mode == "lines+markers"}
    assert len(lines) == 32 and len(set(lines.values())) == 32
