"""Fixtures of the Belt and Road tests: small real tables cut from the bundled WIOD 2013."""

from __future__ import annotations

import pytest

from silkchain import MRIOTable
from silkchain.aggregation import aggregate_regions
from silkchain.io import bundled

#: Countries kept as themselves; every other WIOD country is merged into RoW.
KEEP = ("CHN", "RUS", "IND", "IDN", "TUR", "POL", "EST", "MLT", "USA", "DEU", "JPN", "RoW")


def small_table(year: int) -> MRIOTable:
    """WIOD 2013 of ``year`` with 11 countries kept and the rest merged into RoW."""
    t = bundled.load(year)
    return aggregate_regions(t, {c: "RoW" for c in t.labels.countries if c not in KEEP})


@pytest.fixture(scope="session")
def small2011() -> MRIOTable:
    """The 12-region cut of WIOD 2011."""
    return small_table(2011)


@pytest.fixture(scope="session")
def small_panel() -> dict[int, MRIOTable]:
    """The 12-region cut of WIOD 2010-2011 as ``{year: table}``."""
    return {y: small_table(y) for y in (2010, 2011)}
