"""The report's "Why value capture changed" section, the reshoring scenario and the ranges
across sources (issue 15)."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from silkchain import MRIOTable
from silkchain.bri.answers import ANSWERS
from silkchain.bri.why_changed import why_changed
from silkchain.measures.compare import compare
from silkchain.measures.tidy import TOTAL
from silkchain.report import build as build_mod
from silkchain.report.build import build_report, default_reshoring, source_ranges
from silkchain.report.sections import why_changed_frame

from .shared import YEARS, small_report


def _section(result, key):
    return next(s for s in result.report.sections if s.key == key)


@pytest.mark.slow
def test_why_changed_chart_adds_up_to_the_change_of_the_answer():
    res = small_report()
    sec = _section(res, "why-changed")
    assert [c.key for c in sec.charts] == ["why-changed"]
    chart = sec.charts[0]
    assert "Dietzenbacher & Los (1998)" in chart.citation
    assert "current prices" in chart.guide and "current prices" in sec.intro
    direct = why_changed("wiod2013", years=YEARS)
    wide = why_changed_frame(direct)
    bars = [t for t in chart.figure.data if t.type == "bar"]
    assert {t.name.split(" (")[0] for t in bars} >= {"technology", "sourcing",
                                                   "final-demand level"}
    total = sum(np.asarray(t.x, dtype=float) for t in bars)
    got = dict(zip(bars[0].y, total, strict=True))
    for country in ("CHN", "IND", "TUR"):
        assert got[country] == pytest.approx(100 * wide.loc[country, "change"], abs=1e-9)
    assert set(got) == {*direct.attrs["coverage"]["inside"], "CHN"}
    table = sec.tables[0].frame.set_index("country")
    assert table.loc["CHN", "2011"] == pytest.approx(100 * wide.loc["CHN", "end"], rel=1e-12)


def test_why_changed_is_left_out_of_a_single_year_with_the_reason(tmp_path, monkeypatch):
    monkeypatch.setattr(build_mod, "ANSWERS", {"why_changed": ANSWERS["why_changed"]})
    res = build_report("wiod2013:2011", output=tmp_path, scenario=False, cache=False)
    assert res.missing == ["Why value capture changed needs at least 2 years (the change "
                           "between a first and a last year); 1 year given"]
    assert not [s for s in res.report.sections if s.key == "why-changed"]
    assert "Why value capture changed needs at least 2 years" in res.html.read_text("utf-8")


@pytest.mark.slow
def test_reshoring_section_shows_the_members_change_of_value_added():
    res = small_report()
    sec = _section(res, "reshoring")
    assert "reshoring" in sec.title and "Belt and Road" in sec.title
    assert "European" not in sec.intro and "EU members" in sec.intro
    table = sec.tables[0].frame.set_index("country")
    comp = res.report.frames["reshoring_comparison"]
    gdp = comp[(comp["measure"] == "gdp") & (comp["sector"] == TOTAL)].set_index("country")
    for c in ("CHN", "IND", "POL"):
        assert table.loc[c, "value added change (US$ m)"] == pytest.approx(
            gdp.loc[c, "delta"], rel=1e-12)
    assert table.loc["CHN", "value added change %"] < 0  # the hub loses
    assert table.loc["POL", "reshores"] == "yes" and table.loc["CHN", "reshores"] == ""
    spec = res.report.frames["reshoring_spec"]
    assert '"reshore"' in spec["value"].iloc[0] and "c14" in spec["value"].iloc[0]


def test_default_reshoring_uses_broad_sectors_and_groups_and_says_when_it_cannot():
    from silkchain import read

    t = read("wiod2013:2011")
    sc, why = default_reshoring(t)
    step = sc["steps"][0]["reshore"]
    assert why is None and step["countries"][0] == "USA" and "DEU" in step["countries"]
    assert "CHN" not in step["countries"] and step["share"] == 0.25
    assert "c4" in step["products"] and "c20" not in step["products"]  # no services
    assert "HRV" in sc["description"]  # an EU member inside the rest of the world
    rng = np.random.default_rng(0)
    other = MRIOTable.from_arrays(rng.uniform(1, 5, (4, 4)), rng.uniform(5, 9, (4, 2)),
                                  ["CHN", "IND"], ["a", "b"], fd_categories=["fd"])
    sc, why = default_reshoring(other)
    assert sc is None and why is not None and "USA, eu" in why


def test_a_table_without_the_reshoring_economies_says_so_and_goes_on(tmp_path, monkeypatch):
    rng = np.random.default_rng(1)
    t = MRIOTable.from_arrays(rng.uniform(1, 5, (4, 4)), rng.uniform(5, 9, (4, 2)),
                              ["CHN", "IND"], ["a", "b"], fd_categories=["fd"],
                              meta={"year": 2011})
    monkeypatch.setattr(build_mod, "ANSWERS", {})
    res = build_report(t, output=tmp_path, scenario={"steps": [
        {"demand": {"origin": "IND", "sector": "a", "change": 0.1}}]}, cache=False)
    assert any(m.startswith("reshoring scenario: the reshoring scenario brings inputs home "
                            "to USA, eu") for m in res.missing)
    assert [s.key for s in res.report.sections] == ["scenario"]
    # WIOD 2013 holds 2011 too, but this table's sectors have no concordance: said, not hidden
    assert any(m.startswith("ranges across sources: this table and wiod2013:2011 cannot be "
                            "compared") for m in res.missing)


@pytest.fixture(scope="module")
def two_sources(tmp_path_factory: pytest.TempPathFactory):
    """A silkchain home whose store holds two fixture releases of the same economies."""
    from silkchain.io.sources.release import import_release
    from tests.data.releases import write_release

    root = tmp_path_factory.mktemp("ranges-home")
    old = os.environ.get("SILKCHAIN_HOME")
    os.environ["SILKCHAIN_HOME"] = str(root)
    try:
        for source in ("oecd-icio-2023", "adb-mrio"):
            import_release(write_release(source, root / "downloads" / source, (2019, 2020)))
        yield root
    finally:
        if old is None:
            os.environ.pop("SILKCHAIN_HOME", None)
        else:
            os.environ["SILKCHAIN_HOME"] = old


def test_ranges_across_two_sources_in_the_store(two_sources: Path, tmp_path: Path,
                                                monkeypatch):
    monkeypatch.setattr(build_mod, "ANSWERS", {})
    res = build_report("oecd-icio-2023", years="2019-2020", output=tmp_path, scenario=False,
                       scheduler="sync", cache=False)
    sec = _section(res, "ranges")
    assert [c.key for c in sec.charts] == ["ranges-1", "ranges-2"]
    assert "oecd-icio-2023, adb-mrio" in sec.intro
    table = sec.tables[0].frame
    dva = table[table["measure"].str.startswith("DVA share")].set_index("country")
    direct = compare("tiva", "oecd-icio-2023:2020", "adb-mrio:2020")
    direct = direct[direct["measure"] == "EXGR_DVASH"].set_index("country")
    for c in ("CHN", "IDN", "VNM"):
        lo, hi = sorted([direct.loc[c, "value_a"], direct.loc[c, "value_b"]])
        assert dva.loc[c, "min"] == pytest.approx(lo, rel=1e-12)
        assert dva.loc[c, "max"] == pytest.approx(hi, rel=1e-12)
        assert dva.loc[c, "adb-mrio"] == pytest.approx(direct.loc[c, "value_b"], rel=1e-12)
    assert (table["spread"] >= 0).all() and table["spread"].gt(0).any()
    assert "source_ranges" in res.report.frames


def test_no_ranges_with_one_source(two_sources: Path, tmp_path: Path, monkeypatch):
    from silkchain import read

    # 2011: only the bundled WIOD 2013 holds it; the fixtures hold 2019-2020
    assert source_ranges("wiod2013", read("wiod2013:2011"), 2011) is None
    monkeypatch.setattr(build_mod, "ANSWERS", {})
    res = build_report("wiod2013:2011", output=tmp_path, scenario=False, cache=False)
    assert not [s for s in res.report.sections if s.key == "ranges"]
    frame = source_ranges("adb-mrio:2020", read("adb-mrio:2020"), 2020)
    assert isinstance(frame, pd.DataFrame)
    assert frame.attrs["sources"] == ["adb-mrio", "oecd-icio-2023"]
