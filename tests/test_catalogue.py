"""The measure and answer catalogues: one entry and every consumer sees it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from silkchain import read
from silkchain.bri import answers as ba
from silkchain.bri.position import position
from silkchain.cli.app import build_app
from silkchain.errors import MeasureError
from silkchain.measures import catalogue
from silkchain.measures.decompose import decompose, methods
from silkchain.measures.indicators import choices, indicators
from silkchain.measures.participation import by_country, level_frame
from silkchain.panel import measure_function, panel, panel_measures
from silkchain.scenarios.compare import compare, known, with_units

runner = CliRunner()


def fresh_app():
    """The app built now (``build_app`` is cached; the catalogues may have grown)."""
    build_app.cache_clear()
    return build_app()


def dummy(table, level="country"):
    """Gross output twice and its square root: a measure with two terms."""
    x = table.x if level == "sector" else by_country(table.x, table)
    return level_frame({"twice": 2 * x, "root": np.sqrt(x)}, table, level)


DUMMY = catalogue.Measure(
    "dummy", "A dummy measure", dummy, ("country", "sector"),
    {"country": ("country",), "sector": ("country", "sector")}, ("twice", "root"),
    "table currency", "Nobody (2026).", "§1", units={"root": "sqrt of currency"})


@pytest.fixture
def registered():
    catalogue.register(DUMMY)
    yield DUMMY
    catalogue.unregister("dummy")
    build_app.cache_clear()


def test_a_dummy_measure_is_seen_everywhere(registered, leather, tmp_path):
    from silkchain.dashboard import catalogue as dash
    from silkchain.io.registry import write

    assert {"dummy", "dummy_sector"} <= set(choices()) <= set(choices())
    f = indicators(leather, ["dummy", "dummy_sector"])
    assert set(f["measure"]) == {"dummy.twice", "dummy.root", "dummy_sector.twice",
                                 "dummy_sector.root"}
    assert set(f.loc[f.measure == "dummy.root", "unit"]) == {"sqrt of currency"}
    np.testing.assert_allclose(f.loc[f.measure == "dummy_sector.twice", "value"],
                               2 * leather.x)
    # panels
    p = panel({2000: leather, 2001: leather}, "dummy_sector", scheduler="sync", cache=False)
    assert set(p["measure"]) == {"twice", "root"} and set(p["year"]) == {2000, 2001}
    assert "dummy" in panel_measures()
    assert measure_function("dummy").keywords == {"level": "country"}
    # scenario comparison
    assert "dummy" in known()
    c = compare(leather, leather, ["dummy"])
    assert set(c["measure"]) == {"dummy.twice", "dummy.root"}
    assert (c["delta"] == 0).all() and set(c["sector"]) > {"_T"}
    units = with_units(c, leather).groupby("measure")["unit"].first()
    assert units["dummy.root"] == "sqrt of currency" and units["dummy.twice"] == "table currency"
    # dashboard catalogue
    assert "dummy" in dash.MEASURES and dash.MEASURES["dummy"].variables == ("twice", "root")
    frame = dash.country_level(dash.MEASURES["dummy"].call()(leather))
    assert len(frame) == 2 * leather.G
    # command-line choices: indicators and panel help, and the indicators command runs
    app = fresh_app()
    for cmd in ("indicators", "panel"):
        res = runner.invoke(app, [cmd, "--help"], terminal_width=400)
        assert "dummy_sector" in res.output, cmd
    path = tmp_path / "leather.npz"
    write(leather, path)
    out = tmp_path / "d.csv"
    res = runner.invoke(app, ["indicators", str(path), "-m", "dummy", "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert set(pd.read_csv(out)["measure"]) == {"dummy.twice", "dummy.root"}


def test_without_the_entry_nobody_knows_it(leather):
    assert "dummy" not in choices() and "dummy" not in known()
    with pytest.raises(MeasureError, match="unknown measure"):
        indicators(leather, ["dummy"])


def test_a_dummy_decomposition_is_a_decompose_method(leather):
    def dec(table, level="country"):
        return pd.DataFrame({"exporter": list(table.labels.countries), "term": "GEXP",
                             "value": by_country(table.E, table)})

    catalogue.register(catalogue.Measure(
        "dummydec", "Dummy decomposition", dec, ("country",), {"country": ("exporter",)},
        ("GEXP",), "table currency", "Nobody (2026).", "§1", kind="decomposition"))
    try:
        assert methods()["dummydec"] == ("country",)
        out = decompose(leather, "dummydec")
        np.testing.assert_allclose(out["value"], by_country(leather.E, leather))
        res = runner.invoke(fresh_app(), ["decompose", "--help"], terminal_width=400)
        assert "dummydec" in " ".join(res.output.split())
    finally:
        catalogue.unregister("dummydec")
        build_app.cache_clear()


def test_entries_are_checked_and_names_cannot_clash():
    with pytest.raises(MeasureError, match="columns has no entry for level"):
        catalogue.Measure("x", "X", dummy, ("country", "sector"), {"country": ("country",)},
                          ("a",), "u", "c", "§1")
    with pytest.raises(MeasureError, match="already registered"):
        catalogue.register(catalogue.MEASURES["bm"])
    with pytest.raises(MeasureError, match="has no level 'world'"):
        catalogue.MEASURES["bm"].keywords("world")


@pytest.mark.parametrize("name", [n for n in catalogue.MEASURES if n not in ("apl",)])
def test_every_entry_declares_what_its_function_returns(wiod2011, name):
    m = catalogue.MEASURES[name]
    for level in m.levels:
        f = (m.compute(wiod2011, level) if m.tables == 1 else
             m.compute_pair(read("wiod2013:2010"), wiod2011, level))
        key = [c for c in f.columns if c not in ("measure", "term", "value")]
        assert tuple(key) == tuple(m.columns[level]), (name, level)
        col = "term" if "term" in f.columns else "measure"
        assert list(dict.fromkeys(f[col])) == list(m.terms)[:f[col].nunique()] or \
            set(f[col]) <= set(m.terms), (name, level)
    assert m.citation and m.methods_section.startswith("§") and m.unit


def test_a_dummy_answer_gets_a_command_and_a_dashboard_entry(tmp_path):
    from silkchain.dashboard import analyses

    def answer(source, group="bri64", years=None, scheduler=None, *, hub="CHN", level="x",
               progress=False, cache=True):
        return position(source, group=group, years=years, scheduler=scheduler, hub=hub,
                        cache=cache, progress=progress)

    ba.register(ba.Answer("dummy_answer", "Dummy answer", answer, "all", 1, "dummy-answer",
                          "A dummy answer.",
                          (ba.Parameter("hub", "CHN", "Hub.", role="hub"),)))
    try:
        res = runner.invoke(fresh_app(), ["bri", "--help"], terminal_width=400)
        assert "dummy-answer" in res.output
        res = runner.invoke(fresh_app(), ["bri", "dummy-answer", "--help"],
                            terminal_width=400)
        assert "--hub" in res.output
        assert "dummy_answer" in [a["name"] for a in analyses.ANSWERS]
    finally:
        ba.unregister("dummy_answer")
        build_app.cache_clear()
    assert "dummy_answer" not in [a["name"] for a in analyses.ANSWERS]


def test_sda_measures_are_in_the_catalogue_and_one_table_consumers_skip_them(wiod2011):
    from silkchain.dashboard.catalogue import MEASURES as DASHBOARD
    from silkchain.measures.sda import MEASURES as SDA
    from silkchain.measures.sda import sda

    two = {n for n, m in catalogue.MEASURES.items() if m.tables == 2}
    assert two == {f"sda_{k}" for k in SDA}
    assert all(catalogue.MEASURES[n].kind == "change" for n in two)
    assert not two & set(catalogue.ONE_TABLE) and not two & set(catalogue.names())
    assert "sda_dva_share_sector" in catalogue.names(2)
    for consumer in (choices(), known(), DASHBOARD, methods(), panel_measures()):
        assert not two & set(consumer), consumer
    m, level = catalogue.resolve("sda_dva_share", tables=2)
    a = read("wiod2013:2010")
    pd.testing.assert_frame_equal(m.compute_pair(a, wiod2011, level), sda(a, wiod2011))
    with pytest.raises(MeasureError, match="'sda_vax' takes 2 tables, not 1"):
        catalogue.resolve("sda_vax")
    with pytest.raises(MeasureError, match="compares two tables; use compute_pair"):
        m.compute(wiod2011)
    with pytest.raises(MeasureError, match="of kind 'change', and only it"):
        catalogue.Measure("x", "X", dummy, ("country",), {"country": ("country",)}, ("a",),
                          "u", "c", "§1", tables=2)

