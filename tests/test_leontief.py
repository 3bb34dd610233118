"""The Leontief core against Miller & Blair's textbook numbers and its own identities."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from silkchain.core import blocks as bk
from silkchain.core.leontief import (
    LeontiefSolver,
    ghosh_inverse,
    leontief_inverse,
    local_leontief_blocks,
    output_from_demand,
    technical_coefficients,
    value_added_coefficients,
)
from silkchain.errors import SingularSystemError

# Miller & Blair (2009), Input-Output Analysis, 2nd ed., §2.3: Tables 2.3 and 2.4.
MB_Z = np.array([[150.0, 500.0], [200.0, 100.0]])
MB_F = np.array([350.0, 1700.0])
MB_X = np.array([1000.0, 2000.0])
MB_A = np.array([[0.15, 0.25], [0.20, 0.05]])
MB_L = np.array([[1.2541, 0.3300], [0.2640, 1.1221]])  # printed to 4 decimals


def test_miller_blair_coefficients_and_inverse() -> None:
    assert_allclose(technical_coefficients(MB_Z, MB_X), MB_A, rtol=1e-15)
    assert_allclose(leontief_inverse(MB_A), MB_L, atol=5e-5)
    assert_allclose(output_from_demand(MB_A, MB_F), MB_X, rtol=1e-12)


def test_miller_blair_new_final_demand() -> None:
    # M&B (2009) §2.3.1: f_new = (600, 1500) gives x_new = (1247.5, 1841.6) to 1 dp.
    assert_allclose(output_from_demand(MB_A, np.array([600.0, 1500.0])), [1247.5, 1841.6],
                    atol=0.05)


def test_solver_left_and_right_agree_with_explicit_inverse() -> None:
    rng = np.random.default_rng(7)
    A = rng.uniform(0, 0.1, (12, 12))
    s = LeontiefSolver.factor(A)
    B = np.linalg.inv(np.eye(12) - A)
    R = rng.uniform(size=(12, 3))
    assert_allclose(s.solve(R), B @ R, rtol=1e-12)
    assert_allclose(s.solve_left(R.T), R.T @ B, rtol=1e-12)
    assert_allclose(s.inverse(), B, rtol=1e-12)


def test_singular_system_is_an_error_not_a_pinv() -> None:
    A = np.array([[0.5, 0.5], [0.5, 0.5]])  # columns sum to 1: I - A singular
    with pytest.raises(SingularSystemError, match=r"I - A is singular: zero pivot"):
        leontief_inverse(A)


def test_local_inverse_names_the_failing_block() -> None:
    A = np.zeros((4, 4))
    A[2:, 2:] = [[0.5, 0.5], [0.5, 0.5]]
    with pytest.raises(SingularSystemError, match=r"country block\(s\) 1"):
        local_leontief_blocks(A, 2, 2)


def test_zero_output_gives_zero_coefficients_not_nan() -> None:
    Z = np.array([[1.0, 0.0], [2.0, 0.0]])
    x = np.array([10.0, 0.0])
    A = technical_coefficients(Z, x)
    assert np.isfinite(A).all() and (A[:, 1] == 0).all()
    v = value_added_coefficients(np.array([7.0, 0.0]), x)
    assert_allclose(v, [0.7, 0.0])
    Gh = ghosh_inverse(leontief_inverse(A), x)
    assert np.isfinite(Gh).all()
    assert Gh[1, 1] == 1.0


def test_ghosh_two_ways() -> None:
    # G = x^-1 B x, and also (I - D)^-1 with D = x^-1 Z (allocation coefficients).
    B = leontief_inverse(MB_A)
    D = MB_Z / MB_X[:, None]
    assert_allclose(ghosh_inverse(B, MB_X), np.linalg.inv(np.eye(2) - D), rtol=1e-12)


def test_block_helpers_round_trip() -> None:
    M = np.arange(36.0).reshape(6, 6)
    blocks = bk.diag_blocks(M, 3, 2)
    assert blocks.shape == (3, 2, 2)
    assert_allclose(bk.block_diag(blocks), np.where(bk.domestic_mask(3, 2), M, 0.0))
    AD, AF = bk.split_domestic(M, 3, 2)
    assert_allclose(AD + AF, M)
    with pytest.raises(ValueError, match="not a multiple of G = 4"):
        bk.aggregate_final_demand(np.ones((6, 6)), 4)


@st.composite
def productive_A(draw: st.DrawFn) -> np.ndarray:
    n = draw(st.integers(min_value=1, max_value=8))
    seed = draw(st.integers(min_value=0, max_value=2**32 - 1))
    rng = np.random.default_rng(seed)
    A = rng.uniform(0, 1, (n, n)) * (rng.uniform(size=(n, n)) < 0.6)
    colsum = A.sum(axis=0)
    scale = draw(st.floats(min_value=0.05, max_value=0.95))
    return A * np.where(colsum > 0, scale / np.where(colsum > 0, colsum, 1.0), 0.0)


@settings(max_examples=60, deadline=None)
@given(productive_A())
def test_power_series_identity(A: np.ndarray) -> None:
    B = leontief_inverse(A)
    assert_allclose(B, np.eye(len(A)) + A @ B, atol=1e-9)
    assert (B >= -1e-12).all() and (np.diag(B) >= 1 - 1e-12).all()


def _random_productive(n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    A = rng.random((n, n))
    return 0.9 * A / A.sum(axis=0, keepdims=True)  # column sums 0.9: productive


@pytest.mark.parametrize("G, N, seed", [(3, 2, 0), (4, 5, 1), (1, 6, 2), (6, 1, 3)])
def test_blocks_of_b_from_lu_factors_equal_those_of_the_explicit_inverse(G, N, seed) -> None:
    A = _random_productive(G * N, seed)
    s = LeontiefSolver.factor(A)
    assert_allclose(s.diagonal_blocks(G, N), bk.diag_blocks(s.inverse(), G, N),
                    rtol=1e-11, atol=1e-13)
    local = local_leontief_blocks(A, G, N)
    explicit = np.stack([np.linalg.inv(np.eye(N) - b) for b in bk.diag_blocks(A, G, N)])
    assert_allclose(local, explicit, rtol=1e-11, atol=1e-13)


def test_one_singularity_test_names_the_country_block() -> None:
    from silkchain.core.borin_mancini import prepare
    from silkchain.core.leontief import factor_identity_minus

    A = np.zeros((4, 4))
    A[2:, 2:] = [[0.5, 0.5], [0.5, 0.5]]  # country 1 only supplies itself, fully
    with pytest.raises(SingularSystemError, match=r"country block\(s\) 'BBB'"):
        factor_identity_minus(A, names=("AAA", "BBB"), N=2)
    with pytest.raises(SingularSystemError, match=r"I - A is singular: zero pivot"):
        LeontiefSolver.factor(A)
    Y = np.ones((4, 2))
    with pytest.raises(SingularSystemError, match=r"I - A is singular: zero pivot.*'BBB'"):
        prepare(A, np.full(4, 0.1), np.ones(4), Y, np.zeros((4, 2)), 2, 2,
                names=("AAA", "BBB"))
