"""Caches follow the stored data: keys hold each table's stored version (issue 11).

Tiny tables in a temporary store (``SILKCHAIN_HOME``): a result is cached, the dataset is
put again under the same id with other data and the next call computes it again; put
again with the same data, the cache is kept. Why value capture changed and the report's
scenarios are cached with everything their users read (``attrs``, the step log).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from silkchain.bri import common
from silkchain.bri.why_changed import why_changed
from silkchain.io.store import Store
from silkchain.panel import cache_key, dataset_versions, panel, source_versions
from silkchain.report import build as build_mod
from silkchain.report import sections as sec
from silkchain.report.document import Report
from silkchain.scenarios import Scenario
from silkchain.table import MRIOTable

COUNTRIES = ["AAA", "BBB", "CCC"]
SECTORS = ["s1", "s2"]


def tiny(seed: int, year: int) -> MRIOTable:
    """A balanced 3-country, 2-sector table drawn from ``seed``."""
    rng = np.random.default_rng(seed)
    n = len(COUNTRIES) * len(SECTORS)
    Z = rng.uniform(1.0, 10.0, (n, n))
    Y = rng.uniform(20.0, 40.0, (n, len(COUNTRIES)))
    return MRIOTable.from_arrays(Z, Y, COUNTRIES, SECTORS, meta={"year": year,
                                                                 "source": "tiny"})


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.setenv("SILKCHAIN_HOME", str(tmp_path))
    s = Store(tmp_path)
    s.put_table(tiny(1, 2001), "tiny:2001")
    s.put_table(tiny(2, 2002), "tiny:2002")
    return s


def totals(table: MRIOTable) -> pd.DataFrame:
    """Each country's gross output (a per-table function for panels)."""
    calls.append(table_year(table))
    x = table.x.reshape(table.G, table.N).sum(axis=1)
    return pd.DataFrame({"country": list(table.labels.countries), "measure": "output",
                         "value": x})


calls: list[int] = []


def table_year(table: MRIOTable) -> int:
    return common.table_year(table)


def test_versions_are_the_stored_content(store):
    v = source_versions("tiny")
    assert sorted(v) == [2001, 2002]
    assert v[2002] == "store:" + store.entry("tiny:2002")["content_sha256"]
    assert dataset_versions({2011: "wiod2013:2011"})[2011].startswith("bundled:")
    assert dataset_versions({2001: tiny(1, 2001)}) is None  # a table object: no version
    store.put_table(tiny(1, 2001), "tiny:2001")  # the same data again: the same version
    assert source_versions("tiny") == v
    store.put_table(tiny(3, 2001), "tiny:2001")  # other data under the same id
    w = source_versions("tiny")
    assert w[2001] != v[2001] and w[2002] == v[2002]
    assert (cache_key("tiny", ["m"], [{}], [2001, 2002])
            != cache_key("tiny", ["m"], [{}], [2001, 2002], versions=v))


def test_panel_cache_follows_a_reimport(store):
    calls.clear()
    first = panel("tiny", totals, scheduler="sync", cache_extra="tiny-totals")
    again = panel("tiny", totals, scheduler="sync", cache_extra="tiny-totals")
    assert calls == [2001, 2002] and again.attrs["cached"]
    pd.testing.assert_frame_equal(first, again, check_dtype=False)
    store.put_table(tiny(2, 2002), "tiny:2002")  # same id, same content: still a hit
    assert panel("tiny", totals, scheduler="sync", cache_extra="tiny-totals").attrs["cached"]
    assert calls == [2001, 2002]
    store.put_table(tiny(7, 2002), "tiny:2002")  # corrected data under the same id
    new = panel("tiny", totals, scheduler="sync", cache_extra="tiny-totals")
    assert not new.attrs["cached"] and calls == [2001, 2002, 2001, 2002]
    fresh = panel("tiny", totals, scheduler="sync", cache=False)
    pd.testing.assert_frame_equal(new, fresh, check_dtype=False)
    changed = new["year"] == 2002
    assert not np.allclose(new.loc[changed, "value"], first.loc[changed, "value"])
    np.testing.assert_array_equal(new.loc[~changed, "value"], first.loc[~changed, "value"])


def test_named_measures_follow_a_reimport(store):
    a = panel("tiny", "wwyz", years=[2002], scheduler="sync")
    assert panel("tiny", "wwyz", years=[2002], scheduler="sync").attrs["cached"]
    store.put_table(tiny(9, 2002), "tiny:2002")
    b = panel("tiny", "wwyz", years=[2002], scheduler="sync")
    assert not b.attrs["cached"] and b.attrs["cache_key"] != a.attrs["cache_key"]


def _shared_answer(source: str) -> pd.DataFrame:
    with common.shared_years() as plan:
        plan.record(common.compute, source, totals, name="tiny_totals", params={},
                    scheduler="sync")
        plan.run(source, scheduler="sync")
        (frame,) = plan.results.values()
    return frame


def test_shared_answers_follow_a_reimport(store):
    calls.clear()
    first = _shared_answer("tiny")
    pd.testing.assert_frame_equal(_shared_answer("tiny"), first)
    assert calls == [2001, 2002]
    store.put_table(tiny(5, 2001), "tiny:2001")
    new = _shared_answer("tiny")
    assert calls == [2001, 2002, 2001, 2002]
    assert not np.allclose(new.loc[new["year"] == 2001, "value"],
                           first.loc[first["year"] == 2001, "value"])


def test_why_changed_cached_with_its_attrs(store, monkeypatch):
    import silkchain.bri.why_changed as wc

    args = {"group": None, "hub": "AAA", "measure": "vax"}
    direct = why_changed("tiny", cache=False, **args)
    first = why_changed("tiny", **args)
    seen = []
    real = wc.run_sda
    monkeypatch.setattr(wc, "run_sda", lambda *a, **k: seen.append(1) or real(*a, **k))
    cached = why_changed("tiny", **args)
    assert not seen  # from the cache
    for f in (first, cached):
        pd.testing.assert_frame_equal(f, direct)
        assert f.attrs == direct.attrs and f.attrs["notes"]["from"] == 2001
    assert why_changed("tiny", **{**args, "measure": "dva_share"}).attrs["notes"][
        "measure"] == "dva_share" and seen == [1]  # another argument: another key
    store.put_table(tiny(4, 2002), "tiny:2002")
    new = why_changed("tiny", **args)
    assert len(seen) == 2
    pd.testing.assert_frame_equal(new, why_changed("tiny", cache=False, **args))
    assert not np.allclose(new["value"], direct["value"])


def test_why_changed_on_a_table_is_not_cached(store, tmp_path):
    tables = {2001: tiny(1, 2001), 2002: tiny(2, 2002)}
    f = why_changed(tables, group=None, hub="AAA")
    assert not (tmp_path / "frames").exists() or not list(
        (tmp_path / "frames").glob("why_changed-*"))
    assert f.attrs["answer"] == "why_changed"


SCENARIO = Scenario.from_dict({"name": "more demand", "steps": [
    {"demand": {"destination": "BBB", "change": 0.05}}]})
RESHORE = Scenario.from_dict({"steps": [
    {"reshore": {"countries": ["AAA"], "share": 0.25, "products": ["s1"]}}]})


def _sections(scenario, reshored) -> tuple[list, Report]:
    rep = Report(title="t", subtitle="s")
    ctx = sec.Context(group=None, hub="BBB", years=[2002], report=rep)
    out = [sec.scenario_section(scenario, ctx, ["BBB"], "text"),
           sec.reshoring_section(reshored, ctx, ["AAA", "CCC"], "text")]
    return out, rep


def test_report_scenarios_cached_give_the_same_sections(store, monkeypatch):
    table = store.read("tiny:2002")
    runs = []
    real = build_mod.run
    monkeypatch.setattr(build_mod, "run", lambda *a, **k: runs.append(1) or real(*a, **k))

    def both(cache):
        return (build_mod.run_cached(SCENARIO, table, ("gdp", "dva_exports"), cache=cache,
                                     ref="tiny:2002"),
                build_mod.run_cached(RESHORE, table, ("gdp", "dva_exports"), cache=cache,
                                     ref="tiny:2002", kind="reshoring"))

    direct = both(False)
    first = both(True)
    cached = both(True)
    assert len(runs) == 4 and isinstance(cached[0], build_mod.CachedScenarioResult)
    assert cached[0].sha256 == direct[0].sha256 and cached[1].log == direct[1].log
    want, want_rep = _sections(*direct)
    for got_results in (first, cached):
        got, got_rep = _sections(*got_results)
        for a, b in zip(got, want, strict=True):
            assert (a.key, a.title, a.intro) == (b.key, b.title, b.intro)
            for ca, cb in zip(a.charts, b.charts, strict=True):
                assert ca.figure.to_json() == cb.figure.to_json()
                assert (ca.guide, ca.caveat, ca.sheets) == (cb.guide, cb.caveat, cb.sheets)
            for ta, tb in zip(a.tables, b.tables, strict=True):
                pd.testing.assert_frame_equal(ta.frame, tb.frame)
        assert list(got_rep.frames) == list(want_rep.frames)
        for name, frame in want_rep.frames.items():
            pd.testing.assert_frame_equal(got_rep.frames[name], frame)
            assert got_rep.frames[name].attrs == frame.attrs
    store.put_table(tiny(8, 2002), "tiny:2002")  # other data: run again
    build_mod.run_cached(SCENARIO, store.read("tiny:2002"), ("gdp", "dva_exports"),
                         ref="tiny:2002")
    assert len(runs) == 5
    build_mod.run_cached(SCENARIO, table, ("gdp",), ref="tiny:2002")  # other measures
    build_mod.run_cached(SCENARIO, table, ("gdp", "dva_exports"), ref=None)  # a table only
    assert len(runs) == 7


def test_a_source_without_stored_versions_cannot_be_keyed(tmp_path) -> None:
    from silkchain.panel import PanelError, cache_key

    path = tmp_path / "t.npz"
    path.write_bytes(b"")
    with pytest.raises(PanelError, match=r"^'.*t\.npz' has no stored version to key a cache "
                                         r"on$"):
        cache_key(str(path), ["koopman"], [{}], [2011])
    assert cache_key("wiod2013", ["koopman"], [{}], [2011]).startswith("panel-")
