"""RAS and GRAS: targets reached within tolerance, or a clear report that they could not be."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from silkchain.core.ras import ConvergenceError, RASError, gras, ras


def _naive_ras(X0, u, v, sweeps=5000):
    X = X0.copy()
    for _ in range(sweeps):
        X *= (u / X.sum(axis=1))[:, None]
        X *= (v / X.sum(axis=0))[None, :]
    return X


def test_ras_hits_targets_and_matches_plain_iteration():
    rng = np.random.default_rng(7)
    X0 = rng.uniform(0, 10, (6, 5))
    X0[X0 < 2] = 0
    true = X0 * rng.uniform(0.5, 1.5, 6)[:, None] * rng.uniform(0.5, 1.5, 5)[None, :]
    u, v = true.sum(axis=1), true.sum(axis=0)
    res = ras(X0, u, v, tol=1e-12)
    assert res.converged and res.method == "RAS" and res.iterations > 1
    assert_allclose(res.matrix.sum(axis=1), u, atol=1e-10)
    assert_allclose(res.matrix.sum(axis=0), v, atol=1e-10)
    assert res.max_gap <= res.tol
    assert_allclose(res.matrix, _naive_ras(X0, u, v), rtol=1e-9, atol=1e-12)
    assert_allclose(res.matrix, res.r[:, None] * X0 * res.s[None, :], rtol=1e-12)
    assert ((res.matrix == 0) == (X0 == 0)).all()


def test_gras_equals_ras_on_non_negative_matrices():
    rng = np.random.default_rng(3)
    X0 = rng.uniform(1, 5, (4, 4))
    u = X0.sum(axis=1) * [1.1, 0.9, 1.0, 1.2]
    v = X0.sum(axis=0) / X0.sum() * u.sum()
    assert_allclose(gras(X0, u, v).matrix, ras(X0, u, v).matrix, rtol=1e-9)


def test_gras_with_negative_cells():
    """Junius & Oosterhaven (2003): positives scaled by r s, negatives by 1/(r s)."""
    rng = np.random.default_rng(11)
    X0 = rng.uniform(-3, 10, (7, 6))
    target = X0 * np.where(X0 > 0, 1.3, 0.8)
    u, v = target.sum(axis=1), target.sum(axis=0)
    res = gras(X0, u, v, tol=1e-12)
    assert res.converged and res.method == "GRAS"
    assert_allclose(res.matrix.sum(axis=1), u, atol=1e-9)
    assert_allclose(res.matrix.sum(axis=0), v, atol=1e-9)
    assert (np.sign(res.matrix) == np.sign(X0)).all()
    P, N = np.maximum(X0, 0), np.maximum(-X0, 0)
    rebuilt = res.r[:, None] * P * res.s[None, :] - N / res.r[:, None] / res.s[None, :]
    assert_allclose(res.matrix, rebuilt, rtol=1e-12)


def test_gras_row_with_only_negative_cells():
    """Lenzen et al. (2007): a row with no positive cell gets r = -n/u."""
    X0 = np.array([[-2.0, -1.0], [4.0, 5.0]])
    res = gras(X0, np.array([-6.0, 12.0]), np.array([1.0, 5.0]), tol=1e-12)
    assert res.converged
    assert_allclose(res.matrix.sum(axis=1), [-6, 12], atol=1e-9)
    assert_allclose(res.matrix.sum(axis=0), [1, 5], atol=1e-9)


def test_non_convergence_is_reported_never_silent():
    X0 = np.eye(2)  # rows must be (1, 2) but columns (2, 1): no scaling of a diagonal can
    with pytest.raises(ConvergenceError, match=r"RAS did not converge: after 50 iterations the "
                                               r"largest gap .* \(tolerance 2e-09\)") as err:
        ras(X0, np.array([1.0, 2.0]), np.array([2.0, 1.0]), max_iter=50)
    assert err.value.result.iterations == 50
    assert not err.value.result.converged and err.value.result.max_gap > 0.1
    with pytest.warns(RuntimeWarning, match="GRAS did not converge"):
        res = gras(X0, np.array([1.0, 2.0]), np.array([2.0, 1.0]), max_iter=20, strict=False)
    assert res.converged is False and res.report()["iterations"] == 20


@pytest.mark.parametrize(("X0", "u", "v", "message"), [
    (np.ones((2, 2)), np.array([1.0, 1.0]), np.array([1.0, 2.0]),
     r"row targets sum to 2 but column targets to 3"),
    (np.array([[1.0, 0.0], [0.0, 0.0]]), np.array([1.0, 1.0]), np.array([1.0, 1.0]),
     r"row\(s\) b have only zero cells but non-zero targets\n  - column\(s\) y have only "
     r"zero cells"),
    (np.array([[1.0, 1.0], [1.0, 1.0]]), np.array([3.0, -1.0]), np.array([1.0, 1.0]),
     r"row\(s\) b have only positive cells but negative targets"),
    (np.array([[-1.0, 1.0], [-1.0, 1.0]]), np.array([1.0, 1.0]), np.array([0.5, 1.5]),
     r"column\(s\) x have only negative cells but positive targets"),
])
def test_unreachable_targets_are_named(X0, u, v, message):
    with pytest.raises(RASError, match=message):
        gras(X0, u, v, row_names=["a", "b"], col_names=["x", "y"])


def test_input_errors():
    with pytest.raises(RASError, match=r"RAS needs a non-negative matrix; cell \(0, 1\) is -1"):
        ras(np.array([[1.0, -1.0]]), np.array([0.0]), np.array([1.0, -1.0]))
    with pytest.raises(RASError, match=r"matrix of shape \(2, 2\) needs row targets of shape "
                                       r"\(2,\) and column targets of shape \(2,\); got \(3,\)"):
        ras(np.ones((2, 2)), np.ones(3), np.ones(2))
    with pytest.raises(RASError, match="must be finite"):
        gras(np.array([[np.nan]]), np.ones(1), np.ones(1))
