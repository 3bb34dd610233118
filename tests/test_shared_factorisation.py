"""Borin-Mancini on the table's own LU: one factorisation shared with the other measures."""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.testing import assert_allclose

from silkchain.aggregation import aggregate_regions
from silkchain.core import borin_mancini as core
from silkchain.core import leontief
from silkchain.io import bundled
from silkchain.measures.borin_mancini import bm_array
from silkchain.measures.participation import wwyz


def small():
    t = bundled.load(2011)
    return aggregate_regions(t, {c: "RoW" for c in t.labels.countries
                                 if c not in ("CHN", "DEU", "USA", "IND")})


def test_bm_factors_once_and_the_next_measure_reuses_it(monkeypatch):
    t = small()
    calls = []
    real = leontief.factor_identity_minus

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(leontief, "factor_identity_minus", counted)
    monkeypatch.setattr(core, "factor_identity_minus", counted)
    values, _ = bm_array(t, level="bilateral")
    wwyz(t)
    assert len(calls) == 1 and "solver" in t.__dict__
    # the same numbers as Borin-Mancini on its own factorisation (the former path)
    own = core.exporter_source(core.prepare(t.A, t.v, t.x, t.Yc, t.ESR, t.G, t.N),
                               "bilateral")
    assert_allclose(values, own, rtol=1e-10, atol=1e-10 * np.abs(own).max())
    assert len(calls) == 2


def test_the_reports_last_year_is_computed_on_the_table_its_scenarios_use() -> None:
    """Plan.run(local=...) computes those years in this process on the given objects, so
    their factorisation and measures are shared; the results equal a run without it."""
    import silkchain
    from silkchain.bri.common import shared_years
    from silkchain.bri.participation import participation_gains
    from silkchain.measures.cache import _CACHE_ATTR

    def run(local: dict | None) -> pd.DataFrame:
        with shared_years() as plan:
            plan.record(participation_gains, "wiod2013", years="2010-2011",
                        scheduler="sync", cache=False)
            plan.run("wiod2013", scheduler="sync", cache=False, local=local)
            return participation_gains("wiod2013", years="2010-2011", scheduler="sync",
                                       cache=False)

    last = silkchain.read("wiod2013:2011").replace()  # a table object of this process
    shared = run({2011: last})
    assert last.__dict__.get(_CACHE_ATTR)  # its measures are kept on it, for what follows
    pd.testing.assert_frame_equal(shared, run(None))
