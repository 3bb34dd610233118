"""``bri position``: an unknown hub is refused; sector level warns nothing and says why
values are missing."""

from __future__ import annotations

import warnings

import pytest
from typer.testing import CliRunner

from silkchain.bri import position
from silkchain.cli.app import build_app
from silkchain.errors import MeasureError


def test_an_unknown_hub_is_refused(wiod2011, tmp_path):
    with pytest.raises(MeasureError, match=r"position --hub: 'XYZ' is not a country"):
        position(wiod2011, hub="XYZ", scheduler="sync", cache=False)
    res = CliRunner().invoke(build_app(), ["bri", "position", "wiod2013:2011", "--hub", "XYZ",
                                           "-o", str(tmp_path / "p.csv"), "--scheduler",
                                           "sync", "--no-cache"])
    assert res.exit_code == 1
    assert "'XYZ' is not a country of this table" in " ".join(res.output.split())
    assert not (tmp_path / "p.csv").exists()


def test_sector_level_has_no_runtime_warning_and_explains_missing_values(wiod2011):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        f = position(wiod2011, level="sector", scheduler="sync", cache=False)
    missing = [c for c in f.attrs["caveats"] if c.startswith("Missing values:")]
    assert len(missing) == 1
    n_pos = int(f.loc[f.measure == "position", "value"].isna().sum())
    assert n_pos > 0 and "whose exports are zero" in missing[0]
    assert "PLy_GVC is zero" in missing[0]
    assert not f["measure"].str.startswith("_").any()
