"""MRIOTable: construction policies, derived quantities and every validation problem."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from silkchain import MRIOTable
from silkchain.errors import (
    BalanceError,
    LabelMismatchError,
    ShapeError,
    SingularSystemError,
    TableValidationError,
    ValueProblemError,
)

# Two countries x two sectors, one final-demand category: a small balanced table.
Z = np.array([
    [10.0, 5.0, 3.0, 2.0],
    [4.0, 12.0, 1.0, 3.0],
    [2.0, 1.0, 8.0, 6.0],
    [1.0, 2.0, 5.0, 9.0],
])
Y = np.array([[50.0, 10.0], [40.0, 20.0], [5.0, 60.0], [8.0, 55.0]])
C, S = ["R1", "R2"], ["s1", "s2"]


def make(**kw: object) -> MRIOTable:
    args: dict[str, object] = {"Z": Z, "Y": Y, "countries": C, "sectors": S}
    args.update(kw)
    return MRIOTable.from_arrays(**args)  # type: ignore[arg-type]


def test_rows_policy_gives_exact_leontief_identities() -> None:
    t = make()
    assert_allclose(t.x, Z.sum(1) + Y.sum(1))
    assert_allclose(t.solver.solve(t.y), t.x, rtol=1e-12)          # B1
    assert_allclose((t.v @ t.B), np.ones(4), rtol=1e-12)           # B2
    assert t.meta["x_policy"] == "rows" and t.meta["va_policy"] == "residual"


def test_arrays_are_read_only_and_meta_immutable() -> None:
    t = make()
    with pytest.raises(ValueError, match="read-only"):
        t.Z[0, 0] = 1.0
    with pytest.raises(ValueError, match="read-only"):
        t.A[0, 0] = 1.0
    with pytest.raises(TypeError):
        t.meta["x"] = 1  # type: ignore[index]


def test_derived_exports() -> None:
    t = make()
    # R1/s1 sells 3 + 2 intermediates and 10 final goods to R2.
    assert_allclose(t.ESR[0], [0.0, 15.0])
    assert_allclose(t.Eint[0], [0.0, 5.0])
    assert_allclose(t.Efd[0], [0.0, 10.0])
    assert_allclose(t.E, t.ESR.sum(1))


def test_unbalanced_published_x_names_industry_and_both_totals() -> None:
    x = Z.sum(1) + Y.sum(1)
    x[1] += 100.0
    with pytest.raises(BalanceError, match=r"R1/s2: row total 80, gross output 180"):
        make(x=x, x_policy="published")
    # the rows policy compares a given x too, never silently replaces it
    with pytest.raises(BalanceError, match=r"R1/s2: row total 80, gross output 180"):
        make(x=x)


def test_rounding_tolerance_accepts_rounded_tables() -> None:
    x = Z.sum(1) + Y.sum(1)
    x[0] += 2.0  # within 0.5 per cell for 6 cells = 3
    t = make(x=x, x_policy="published", rounding=1.0)
    assert t.balance_report().iloc[0]["row_gap"] == pytest.approx(-2.0)
    with pytest.raises(BalanceError, match="R1/s1"):
        make(x=x, x_policy="published")


def test_shape_problems_are_all_reported() -> None:
    with pytest.raises(ShapeError, match=r"Y has shape \(4, 3\), expected \(4, 2\)"):
        MRIOTable(Z=Z, Y=np.ones((4, 3)), x=np.ones(4), V=np.ones((1, 4)),
                  labels=make().labels)
    with pytest.raises(ShapeError) as info:
        MRIOTable(Z=np.ones((3, 3)), Y=np.ones((4, 3)), x=np.ones(5), V=np.ones((1, 4)),
                  labels=make().labels)
    assert len(info.value.problems) == 3


def test_nan_and_inf_are_located() -> None:
    Zb = Z.copy()
    Zb[2, 1] = np.nan
    Yb = Y.copy()
    Yb[3, 0] = np.inf
    with pytest.raises(ValueProblemError, match=r"Z has 1 NaN or infinite cell\(s\): R2/s1, "
                                                 r"column 1: nan") as info:
        make(Z=Zb, Y=Yb)
    assert any("Y has 1 NaN" in p and "R2/s2" in p for p in info.value.problems)


def test_negative_flows_are_located() -> None:
    Zb = Z.copy()
    Zb[0, 3] = -2.0
    with pytest.raises(ValueProblemError,
                       match=r"Z has 1 negative cell\(s\), expected >= 0: R1/s1 -> R2/s2: -2"):
        make(Z=Zb)


def test_negative_value_added_is_an_error() -> None:
    Yb = Y.copy()
    Yb[:, :] = 0.0
    Yb[0, 0] = 1.0  # outputs now smaller than inputs bought
    with pytest.raises(ValueProblemError,
                       match=r"value added \(x - u'Z\) has 1 negative cell\(s\), expected "
                             r">= 0: R2/s2: -3"):
        make(Y=Yb)


def test_zero_output_with_inputs_is_an_error_without_inputs_allowed() -> None:
    Zb = Z.copy()
    Zb[3, :] = 0.0
    Zb[:, 3] = 0.0
    Yb = Y.copy()
    Yb[3] = 0.0
    t = make(Z=Zb, Y=Yb)
    assert t.zero_output == ("R2/s2",)
    assert np.isfinite(t.B).all() and t.v[3] == 0.0
    Zc = Zb.copy()
    Zc[0, 3] = 4.0  # buys inputs, sells nothing
    Yc = Yb.copy()
    Yc[0, 0] -= 4.0
    with pytest.raises(ValueProblemError, match=r"zero gross output but buy intermediate "
                                                r"inputs: R2/s2: inputs 4"):
        MRIOTable(Z=Zc, Y=Yc, x=np.r_[Zc.sum(1)[:3] + Yc.sum(1)[:3], 0.0],
                  V=(np.r_[Zc.sum(1)[:3] + Yc.sum(1)[:3], 0.0] - Zc.sum(0))[None],
                  labels=t.labels, meta={"va_policy": "residual"})


def test_non_productive_system_is_an_error() -> None:
    # each industry buys more than it produces from itself: value added would be negative,
    # so allow it through the tolerance and check the productivity test names the columns.
    Zb = np.array([[0.0, 20.0], [20.0, 0.0]])
    Yb = np.array([[-10.0], [-10.0]])
    with pytest.raises(SingularSystemError,
                       match=r"Leontief inverse has negative entries \(R/a -> R/a: -0.333.*"
                             r"sum to 1 or more: R/a, R/b"):
        MRIOTable.from_arrays(Zb, Yb, ["R"], ["a", "b"], rounding=100.0)
    x = np.array([10.0, 10.0])
    with pytest.raises(SingularSystemError, match="not productive"):
        MRIOTable(Z=Zb, Y=Yb, x=x, V=(x - Zb.sum(0))[None], labels=make().labels.__class__(
            countries=("R",), sectors=("a", "b")), rounding=100.0,
            meta={"va_policy": "residual"})


def test_singular_system_is_an_error() -> None:
    # every industry's inputs equal its output: I - A singular (columns of A sum to 1)
    with pytest.raises(SingularSystemError,
                       match=r"the system is not productive: I - A is singular: zero pivot"):
        MRIOTable.from_arrays([[5.0, 5.0], [5.0, 5.0]], [[0.0], [0.0]], ["R"], ["a", "b"])


def test_label_problems_all_at_once() -> None:
    with pytest.raises(LabelMismatchError, match=r"duplicated countries: R1") as info:
        make(countries=["R1", "R1"], sectors=["s1", "s1"])
    assert any("duplicated sectors: s1" in p for p in info.value.problems)


def test_mixed_problems_raise_table_validation_error_listing_each() -> None:
    Zb = Z.copy()
    Zb[0, 1] = -1.0
    x = Z.sum(1) + Y.sum(1) + 50.0
    with pytest.raises(TableValidationError) as info:
        make(Z=Zb, x=x, x_policy="published")
    kinds = " ".join(info.value.problems)
    assert "negative cell" in kinds and "rows out of balance in 4 of 4" in kinds


def test_explicit_value_added_rows_are_checked_against_columns() -> None:
    x = Z.sum(1) + Y.sum(1)
    va = x - Z.sum(0)
    V = np.vstack([va * 0.9, va * 0.1])
    t = make(V=V, va_rows=["wages", "taxes"])
    assert t.labels.va_rows == ("wages", "taxes")
    assert_allclose(t.va, va)
    with pytest.raises(BalanceError, match=r"columns out of balance in 4 of 4"):
        make(V=V * 0.5, va_rows=["wages", "taxes"])


def test_replace_revalidates() -> None:
    t = make()
    with pytest.raises(TableValidationError, match="Z has 16 negative cell"):
        t.replace(Z=-t.Z)


def test_x_policy_is_checked() -> None:
    with pytest.raises(ValueError, match="x_policy must be 'rows' or 'published'"):
        make(x_policy="columns")
    with pytest.raises(ValueError, match="needs x"):
        make(x_policy="published")
