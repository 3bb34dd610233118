"""Shared fixtures: the two reference tables of METHODS.md §13 and bundled WIOD years."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from silkchain import MRIOTable, read

HERE = Path(__file__).parent
REFERENCE = HERE / "reference" / "vectors.json"
LAYOUT_SAMPLES = HERE / "data" / "layout_samples"
WIOD_YEARS = list(range(1995, 2012))


@lru_cache(maxsize=1)
def vectors() -> dict[str, Any]:
    """The whole ``vectors.json`` (METHODS.md §13)."""
    return json.loads(REFERENCE.read_text())


def reference_table(name: str) -> MRIOTable:
    """Build the ``leather`` or ``random_4x3_seed20240601`` table from its inputs."""
    inp = vectors()[name]["inputs"]
    K = inp["final_demand_categories_per_country"]
    return MRIOTable.from_arrays(
        np.array(inp["Z"]), np.array(inp["Yf"]), inp["countries"], inp["sectors"],
        x=np.array(inp["x"]), fd_categories=[f"fd{k + 1}" for k in range(K)],
        meta={"dataset": name},
    )


REFERENCE_NAMES = ["leather", "random_4x3_seed20240601"]


@pytest.fixture(scope="session")
def ref() -> dict[str, Any]:
    """The parsed ``vectors.json``."""
    return vectors()


@pytest.fixture(scope="session")
def leather() -> MRIOTable:
    """decompr's 3 x 3 ``leather`` table (Argentina, Turkey, Germany)."""
    return reference_table("leather")


@pytest.fixture(scope="session")
def random43() -> MRIOTable:
    """The seeded random 4 x 3 table with 2 final-demand categories."""
    return reference_table("random_4x3_seed20240601")


@pytest.fixture(scope="session", params=REFERENCE_NAMES)
def reftable(request: pytest.FixtureRequest) -> tuple[MRIOTable, dict[str, Any]]:
    """Each reference table with its expected values: ``(table, vectors[name])``."""
    return reference_table(request.param), vectors()[request.param]


@pytest.fixture(scope="session")
def wiod2011() -> MRIOTable:
    """The bundled WIOD 2013 release, year 2011."""
    return read("wiod2013:2011")
