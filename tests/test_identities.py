"""Basic identities B1-B6 of METHODS.md §1 on the reference tables and every bundled WIOD year."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from numpy.testing import assert_allclose

from silkchain import MRIOTable, read
from silkchain.core import blocks as bk

from .conftest import WIOD_YEARS

DERIVED = ["va", "v", "A", "B", "L_local", "ESR", "E", "Eint", "Efd"]


@pytest.mark.parametrize("name", DERIVED)
def test_derived_quantities_match_vectors(reftable: tuple[MRIOTable, Any], name: str) -> None:
    table, ref = reftable
    ours = {"L_local": table.L, "Y_by_country": table.Yc}.get(name)
    if ours is None:
        ours = getattr(table, name)
    expected = np.array(ref["derived"][name], dtype=float)
    assert_allclose(ours, expected, rtol=1e-8, atol=1e-8)


def test_final_demand_by_country_matches_vectors(reftable: tuple[MRIOTable, Any]) -> None:
    table, ref = reftable
    assert_allclose(table.Yc, np.array(ref["derived"]["Y_by_country"]), rtol=1e-12)


def check_basic_identities(t: MRIOTable, rtol: float = 1e-9) -> None:
    """B1-B6 of METHODS.md §1 (tolerance 1e-9 relative, as §12 asks)."""
    G, N = t.G, t.N
    scale = max(1.0, float(np.abs(t.x).max()))
    # B1: x = B y (plus the rounding-level inputs of zero-output sectors, if any)
    assert_allclose(t.solver.solve(t.y + t.zero_output_inputs), t.x, rtol=0,
                    atol=rtol * scale)
    # B2: u'VB = u' for every industry with output
    colsum = t.solver.solve_left(t.v)
    live = t.x != 0
    assert_allclose(colsum[live], 1.0, rtol=0, atol=rtol)
    B, L = t.B, t.L
    _, AF = bk.split_domestic(np.asarray(t.A), G, N)
    # B3: B = L + L A^F B
    assert_allclose(B, L + L @ AF @ B, rtol=0, atol=rtol * max(1.0, float(B.max())))
    # B4: X_r = L_rr (Y_rr + E_r*)
    c = bk.country_index(G, N)
    own_y = t.Yc[np.arange(t.n), c]
    zero = t.x == 0
    dropped_domestic = np.where(bk.domestic_mask(G, N) & zero[None, :], t.Z, 0.0).sum(1)
    rhs = own_y + t.E + dropped_domestic
    for r in range(G):
        sl = slice(r * N, (r + 1) * N)
        assert_allclose(t.L_blocks[r] @ rhs[sl], t.x[sl], rtol=0, atol=rtol * scale)
    # B5: for t != s, B_st = L_ss sum_{r != s} A_sr B_rt
    LAFB = L @ AF @ B
    off = ~bk.domestic_mask(G, N)
    assert_allclose(B[off], LAFB[off], rtol=0, atol=rtol * max(1.0, float(B.max())))
    # B6: B >= 0, diag(B) >= 1, L block-diagonal
    assert (B >= -1e-12).all()
    assert (np.diag(B) >= 1 - 1e-12).all()
    assert not L[off].any()


def test_basic_identities_on_reference_tables(reftable: tuple[MRIOTable, Any]) -> None:
    check_basic_identities(reftable[0])


@pytest.mark.parametrize("year", [1995, 2011])
def test_basic_identities_on_wiod(year: int) -> None:
    check_basic_identities(read(f"wiod2013:{year}"))


@pytest.mark.slow
@pytest.mark.parametrize("year", [y for y in WIOD_YEARS if y not in (1995, 2011)])
def test_basic_identities_on_every_wiod_year(year: int) -> None:
    check_basic_identities(read(f"wiod2013:{year}"))


@pytest.mark.parametrize("year", WIOD_YEARS)
def test_wiod_year_reads_with_its_labels_and_policies(year: int) -> None:
    t = read(f"wiod2013:{year}")
    assert (t.G, t.N, t.K) == (41, 35, 5)
    assert "ROU" in t.labels.countries and "ROM" not in t.labels.countries
    assert t.labels.countries[-1] == "RoW"
    assert t.labels.sector_codes[:3] == ("AtB", "C", "15t16")
    assert t.labels.fd_categories == ("CONS_h", "CONS_np", "CONS_g", "GFCF", "INVEN")
    assert t.meta["year"] == year and t.meta["x_policy"] == "rows" and t.rounding == 1.0
    assert len(t.meta["sha256"]) == 64
    # the published x was compared: rounding gaps stay far below the rounding tolerance
    assert 0 < t.meta["x_published_max_gap"] < 200
    # GDP identity with residual value added: total VA = total final demand
    assert t.va.sum() == pytest.approx(t.Y.sum(), rel=1e-12)


def test_published_policy_keeps_published_output() -> None:
    from silkchain.io import bundled

    t = read("wiod2013:2005", x_policy="published")
    assert t.rounding == 1.0 and "ROU" in t.labels.countries  # bundled labels kept
    raw = np.load(bundled.path_for(2005))
    assert_allclose(t.x, raw["x"])
    assert t.meta["x_policy"] == "published"
    assert (t.va >= 0).all()  # WIOD's published x leaves non-negative residual VA
    gaps = t.balance_report()["row_gap"].abs()
    assert gaps.max() > 0  # reported, not hidden
