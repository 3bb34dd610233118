"""The block-wise products of core/blocks agree with the explicit block-diagonal matrix."""

from __future__ import annotations

import numpy as np
from numpy.testing import assert_allclose

from silkchain.core.blocks import apply_local, apply_local_left, block_diag, safe_ratio


def test_block_products_equal_the_explicit_block_diagonal() -> None:
    rng = np.random.default_rng(7)
    G, N = 3, 4
    blocks = rng.random((G, N, N))
    L = block_diag(blocks)
    v, M, R = rng.random(G * N), rng.random((G * N, 5)), rng.random((2, G * N))
    assert_allclose(apply_local(blocks, v), L @ v, rtol=1e-14)
    assert_allclose(apply_local(blocks, M), L @ M, rtol=1e-14)
    assert_allclose(apply_local_left(blocks, v), v @ L, rtol=1e-14)
    assert_allclose(apply_local_left(blocks, R), R @ L, rtol=1e-14)


def test_safe_ratio_is_nan_only_where_the_denominator_is_zero() -> None:
    out = safe_ratio(np.array([1.0, 0.0, 3.0]), np.array([2.0, 0.0, 0.0]))
    assert out[0] == 0.5 and np.isnan(out[1:]).all()
    assert safe_ratio(np.array([1.0]), np.array([0.0]), fill=0.0).tolist() == [0.0]
