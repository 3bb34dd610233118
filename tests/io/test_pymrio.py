"""The pymrio bridge, on pymrio's own test system (pymrio.load_test())."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import silkchain
from silkchain.errors import IOTableError, ShapeError

pymrio = pytest.importorskip("pymrio")


@pytest.fixture(scope="module")
def test_system() -> Any:
    io = pymrio.load_test()
    io.calc_all()
    return io


def test_from_pymrio_keeps_blocks_and_labels(test_system: Any) -> None:
    t = silkchain.from_pymrio(test_system)
    assert (t.G, t.N, t.K) == (6, 8, 7)
    assert t.labels.countries == tuple(test_system.get_regions())
    assert t.labels.sectors == tuple(test_system.get_sectors())
    assert t.labels.fd_categories == tuple(test_system.get_Y_categories())
    np.testing.assert_array_equal(t.Z, test_system.Z.to_numpy())
    np.testing.assert_array_equal(t.Y, test_system.Y.to_numpy())
    np.testing.assert_allclose(t.x, test_system.x.to_numpy().ravel(), rtol=1e-12)
    np.testing.assert_allclose(t.B, test_system.L.to_numpy(), atol=1e-12)  # same Leontief
    assert t.meta["source"] == "pymrio" and t.meta["unit"] == "Mill USD"


def test_round_trip_through_pymrio(test_system: Any) -> None:
    t = silkchain.from_pymrio(test_system)
    io2 = t.to_pymrio()
    io2.calc_all()
    np.testing.assert_allclose(io2.L.to_numpy(), test_system.L.to_numpy(), atol=1e-12)
    np.testing.assert_array_equal(io2.factor_inputs.F.to_numpy(), t.V)
    back = silkchain.from_pymrio(io2)
    np.testing.assert_array_equal(back.Z, t.Z)
    assert back.labels == t.labels


def test_from_pymrio_with_coefficients_only(test_system: Any) -> None:
    io = pymrio.IOSystem(A=test_system.A, x=test_system.x, Y=test_system.Y, name="coeffs")
    t = silkchain.from_pymrio(io)
    np.testing.assert_allclose(t.Z, test_system.Z.to_numpy(), rtol=1e-10, atol=1e-6)
    with pytest.raises(IOTableError, match="pymrio system 'empty': needs Y and either Z or A"):
        silkchain.from_pymrio(pymrio.IOSystem(name="empty"))


def test_from_arrays_names_the_argument_for_several_categories() -> None:
    with pytest.raises(ShapeError, match=r"Y has 6 columns for 2 countries: pass "
                       r"fd_categories= with the 3 final-demand categories"):
        silkchain.MRIOTable.from_arrays(np.ones((4, 4)), np.full((4, 6), 10.0), ["A", "B"],
                                        ["s1", "s2"])
