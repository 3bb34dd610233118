"""A local Dask cluster started only when a panel has years to compute (the report's)."""

from __future__ import annotations

import pandas as pd
import pytest

from silkchain.panel import ClusterOnDemand, panel


def test_started_by_the_first_panel_that_computes_and_not_by_a_cached_one(
        tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SILKCHAIN_HOME", str(tmp_path / "store"))
    cached = panel("wiod2013", "koopman", years="2010-2011", scheduler="sync")
    lazy = ClusterOnDemand()
    try:
        again = panel("wiod2013", "koopman", years="2010-2011", scheduler=lazy)
        assert again.attrs["cached"] and not lazy.started
        fresh = panel("wiod2013", "koopman", years="2010-2011", scheduler=lazy, cache=False)
        assert lazy.started
        pd.testing.assert_frame_equal(fresh, cached)
        client = lazy.client()
        assert lazy.client() is client  # one cluster for every later panel
    finally:
        lazy.close()
    assert not lazy.started
