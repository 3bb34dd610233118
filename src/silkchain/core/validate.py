"""Checks of input-output arrays that return every problem with its location.

Each ``check_*`` function returns a list of human-readable problems (empty when
all is well) instead of raising, so that a table's validation can report every
problem at once. ``names`` gives the label of each of the ``G*N`` industries,
for example ``"CHN/c17"``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from silkchain.core.blocks import FloatArray

_MAX_LISTED = 10


def _fmt(value: float) -> str:
    return f"{value:.6g}"


def _listing(items: Sequence[str], total: int) -> str:
    text = "; ".join(items[:_MAX_LISTED])
    if total > _MAX_LISTED:
        text += f"; ... ({total - _MAX_LISTED} more)"
    return text


#: Largest total of an array's absolute values that the model accepts.
MAX_TOTAL = 1e300


def check_finite(name: str, arr: FloatArray, row_names: Sequence[str] | None = None) -> list[str]:
    """Problems for NaN or inf cells, naming the row (and column index).

    Finite cells whose total reaches :data:`MAX_TOTAL` are a problem too: sums and
    products of the model (Leontief inverse, decompositions) would overflow float64.

    >>> check_finite("Z", np.full((2, 2), 1e306))[0][:60]
    'Z: its cells add up to 4e+306 in absolute value (largest 1e+'
    >>> check_finite("Z", np.ones((2, 2)))
    []
    """
    bad = ~np.isfinite(arr)
    if not bad.any():
        if arr.size == 0:
            return []
        largest = max(float(arr.max()), -float(arr.min()))
        if largest * arr.size < MAX_TOTAL:  # no allocation in the usual case
            return []
        with np.errstate(over="ignore"):
            total = float(np.abs(arr).sum())
        if total < MAX_TOTAL:
            return []
        cell = np.unravel_index(int(np.argmax(np.abs(arr))), arr.shape)
        i = int(cell[0])
        label = row_names[i] if row_names is not None and i < len(row_names) else f"row {i}"
        col = f", column {int(cell[1])}" if arr.ndim == 2 else ""
        return [f"{name}: its cells add up to {total:.3g} in absolute value (largest "
                f"{float(arr[cell]):.3g} at {label}{col}); values this large overflow float64 "
                f"in the model's sums and products (limit {MAX_TOTAL:.0e} in all); rescale the "
                "table (e.g. to millions or billions)"]
    where = np.argwhere(bad)
    items = []
    for cell in where[:_MAX_LISTED]:
        i = int(cell[0])
        label = row_names[i] if row_names is not None and i < len(row_names) else f"row {i}"
        col = f", column {int(cell[1])}" if arr.ndim == 2 else ""
        items.append(f"{label}{col}: {arr[tuple(cell)]}")
    return [f"{name} has {len(where)} NaN or infinite cell(s): {_listing(items, len(where))}"]


def check_nonnegative(
    name: str,
    arr: FloatArray,
    row_names: Sequence[str],
    col_names: Sequence[str] | None = None,
    atol: float = 0.0,
) -> list[str]:
    """Problems for cells below ``-atol``, naming row and column labels."""
    bad = arr < -atol
    if not bad.any():
        return []
    where = np.argwhere(bad)
    order = np.argsort(arr[bad])
    items = []
    for k in order[:_MAX_LISTED]:
        cell = where[k]
        i = int(cell[0])
        if arr.ndim == 2:
            j = int(cell[1])
            cname = col_names[j] if col_names is not None else f"column {j}"
            items.append(f"{row_names[i]} -> {cname}: {_fmt(arr[i, j])}")
        else:
            items.append(f"{row_names[i]}: {_fmt(arr[i])}")
    return [
        f"{name} has {len(where)} negative cell(s), expected >= 0: "
        f"{_listing(items, len(where))}"
    ]


def balance_tolerance(
    x: FloatArray, rtol: float, rounding: float, cells_per_line: int
) -> FloatArray:
    """Allowed gap per industry: ``rtol*|x| + rounding/2 * cells_per_line``.

    A table whose cells were each rounded to a multiple of ``rounding`` (for
    example whole millions) can be off by at most half a unit per cell in any
    row or column total; this is the rule behind "balanced up to rounding".
    """
    return rtol * np.abs(x) + 0.5 * rounding * cells_per_line


def check_row_balance(
    row_totals: FloatArray, x: FloatArray, names: Sequence[str], tol: FloatArray
) -> list[str]:
    """Problems where ``Z u + Y u`` differs from ``x`` by more than ``tol``."""
    return _balance("row", row_totals, x, names, tol)


def check_column_balance(
    col_totals: FloatArray, x: FloatArray, names: Sequence[str], tol: FloatArray
) -> list[str]:
    """Problems where ``u'Z + u'V`` differs from ``x`` by more than ``tol``."""
    return _balance("column", col_totals, x, names, tol)


def _balance(
    what: str, totals: FloatArray, x: FloatArray, names: Sequence[str], tol: FloatArray
) -> list[str]:
    """One problem listing the ``what`` (row/column) totals off ``x``, largest gaps first."""
    gap = totals - x
    bad = np.flatnonzero(np.abs(gap) > tol)
    if bad.size == 0:
        return []
    order = bad[np.argsort(-np.abs(gap[bad]))]
    items = [
        f"{names[i]}: {what} total {_fmt(totals[i])}, gross output {_fmt(x[i])}"
        for i in order[:_MAX_LISTED]
    ]
    return [
        f"{what}s out of balance in {bad.size} of {x.size} industries (largest gaps first): "
        f"{_listing(items, bad.size)}"
    ]


def check_zero_output(
    Z: FloatArray, Y: FloatArray, x: FloatArray, names: Sequence[str],
    tol: FloatArray | None = None,
) -> list[str]:
    """Problems for industries with zero output that still buy inputs.

    An industry with ``x_j == 0`` that has intermediate inputs cannot be given
    input coefficients; with no inputs it is allowed and its coefficient
    column and value-added coefficient are zero (METHODS.md §1). Inputs within
    the rounding tolerance ``tol`` are accepted (a rounded table can show a
    sector whose sales all rounded to zero); the table reports them.
    """
    zero = np.flatnonzero(x == 0.0)
    if zero.size == 0:
        return []
    allowed = np.zeros(x.shape) if tol is None else tol
    buying = [int(i) for i in zero if np.abs(Z[:, i]).sum() > allowed[i]]
    if not buying:
        return []
    items = [f"{names[i]}: inputs {_fmt(Z[:, i].sum())}" for i in buying]
    return [
        f"{len(buying)} industries have zero gross output but buy intermediate inputs: "
        f"{_listing(items, len(buying))}"
    ]
