"""``MRIOTable``: an immutable, validated inter-country input-output table.

Arrays follow METHODS.md §1: ``G`` countries, ``N`` sectors, ``K`` final-demand
categories per destination country, country-major ordering
(``i = g*N + n``).

=========  ================  ==========================================
array      shape             meaning
=========  ================  ==========================================
``Z``      ``(G*N, G*N)``    intermediate flows, ``Z[i, j]`` = sales of i to j
``Y``      ``(G*N, G*K)``    final demand, destination-country-major columns
``x``      ``(G*N,)``        gross output
``V``      ``(M, G*N)``      value-added rows (one or more)
=========  ================  ==========================================

Policies (documented in ``docs/table.md``)
------------------------------------------
* **Gross output** (``x_policy`` of :meth:`MRIOTable.from_arrays`):
  ``"rows"`` (default) takes ``x = Z u + Y u``, so that ``x = B y`` holds
  exactly; ``"published"`` keeps the ``x`` the file gives and checks that the
  rows balance within tolerance.
* **Value added** used by every measure is the residual ``va = x - u'Z``
  (METHODS.md §1: all value-added identities need it). Value-added rows given
  by a source are kept in ``V`` and checked against the residual.
* **Tolerance**: an industry's totals may differ by ``rtol*|x| + rounding/2``
  per cell, where ``rounding`` is the unit to which the source rounded its
  cells (``1.0`` for the bundled WIOD 2013 tables, rounded to whole millions;
  ``0`` for exact tables). Nothing is silently changed: gaps within tolerance
  are reported by :meth:`MRIOTable.balance_report`, gaps beyond it are errors.
* **Zero output**: industries with ``x_j = 0`` get zero input coefficients
  and ``v_j = 0`` (the decompr convention); they are listed in
  :attr:`MRIOTable.zero_output`. Zero output with inputs beyond the rounding
  tolerance is an error; rounding-level inputs are accepted and reported in
  :attr:`MRIOTable.zero_output_inputs` (then ``x = B (y + zero_output_inputs)``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from types import MappingProxyType
from typing import Any, Literal

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from silkchain.core import blocks as bk
from silkchain.core import validate as cv
from silkchain.core.blocks import FloatArray
from silkchain.core.leontief import (
    LeontiefSolver,
    ghosh_inverse,
    local_leontief_blocks,
    technical_coefficients,
    value_added_coefficients,
)
from silkchain.errors import (
    BalanceError,
    IOTableError,
    LabelMismatchError,
    ShapeError,
    SingularSystemError,
    TableValidationError,
    ValueProblemError,
    format_problems,
)
from silkchain.labels import Labels

XPolicy = Literal["rows", "published"]


def _as_float(name: str, arr: object) -> FloatArray:
    try:
        out = np.array(arr, dtype=float)
    except (TypeError, ValueError) as err:
        raise ValueProblemError(f"{name} is not numeric: {err}") from None
    return out


@dataclass(frozen=True, eq=False)
class MRIOTable:
    """An immutable inter-country input-output table, validated at construction.

    Prefer :meth:`from_arrays`, which derives ``x`` and ``V`` by the documented
    policies; the plain constructor takes every array as given.

    Parameters
    ----------
    Z, Y, x, V : ndarray
        See the module docstring for shapes.
    labels : Labels
        Countries, sectors, final-demand categories, value-added rows.
    meta : mapping
        Source, release, year, currency, unit, price basis, sha256 of the input
        file, the policies applied. Stored read-only.
    rtol, rounding : float
        Balance tolerance (see the module docstring).

    Raises
    ------
    IOTableError
        A subclass naming every problem found (shapes, NaN, negative flows,
        imbalance, negative value added, zero output with inputs, a
        non-productive system); ``err.problems`` lists them one per line.

    Examples
    --------
    >>> t = MRIOTable.from_arrays(
    ...     Z=[[150.0, 500.0], [200.0, 100.0]], Y=[[350.0], [1700.0]],
    ...     countries=["MB"], sectors=["s1", "s2"])   # Miller & Blair (2009), Table 2.3
    >>> t.x
    array([1000., 2000.])
    >>> t.B.round(4)
    array([[1.2541, 0.33  ],
           [0.264 , 1.1221]])
    """

    Z: FloatArray
    Y: FloatArray
    x: FloatArray
    V: FloatArray
    labels: Labels
    meta: Mapping[str, Any] = field(default_factory=dict)
    rtol: float = 1e-6
    rounding: float = 0.0

    # ------------------------------------------------------------------ construction
    def __post_init__(self) -> None:
        for name in ("Z", "Y", "x", "V"):
            arr = _as_float(name, getattr(self, name))
            if name == "V" and arr.ndim == 1:
                arr = arr[None, :]
            arr.setflags(write=False)
            object.__setattr__(self, name, arr)
        object.__setattr__(self, "meta", MappingProxyType(dict(self.meta)))
        self._validate()

    @classmethod
    def from_arrays(
        cls,
        Z: ArrayLike,
        Y: ArrayLike,
        countries: Sequence[Any],
        sectors: Sequence[Any],
        *,
        x: ArrayLike | None = None,
        V: ArrayLike | None = None,
        fd_categories: Sequence[Any] | None = None,
        va_rows: Sequence[Any] | None = None,
        sector_names: Sequence[Any] | None = None,
        sector_codes: Sequence[Any] | None = None,
        meta: Mapping[str, Any] | None = None,
        x_policy: XPolicy = "rows",
        rtol: float = 1e-6,
        rounding: float = 0.0,
    ) -> MRIOTable:
        """Build a table from arrays, deriving ``x`` and ``V`` by the documented policies.

        ``x_policy="rows"`` (default) sets ``x = Z u + Y u`` (an ``x`` passed in
        is only compared, and a gap beyond tolerance is an error);
        ``"published"`` keeps the given ``x``. When ``V`` is absent it is the
        residual ``x - u'Z`` as one row ``"VA"``.
        """
        Za = _as_float("Z", Z)
        Ya = _as_float("Y", Y)
        if Ya.ndim == 1:
            Ya = Ya[:, None]
        labels = Labels.build(countries, sectors, fd_categories, va_rows, sector_names,
                              sector_codes)
        if (fd_categories is None and Ya.ndim == 2 and labels.G and Ya.shape[1] != labels.G
                and Ya.shape[1] % labels.G == 0):
            K = Ya.shape[1] // labels.G
            raise ShapeError(
                f"Y has {Ya.shape[1]} columns for {labels.G} countries: pass fd_categories= "
                f"with the {K} final-demand categories of each destination country (columns "
                "destination-major: country 1's categories, then country 2's, ...), or sum "
                "them into one column per country")
        if x_policy not in ("rows", "published"):
            raise ValueError(f"x_policy must be 'rows' or 'published', got {x_policy!r}")
        meta = dict(meta or {})
        meta["x_policy"] = x_policy
        if Za.ndim != 2 or Ya.ndim != 2 or Za.shape[0] != Ya.shape[0]:
            raise ShapeError(
                f"Z has shape {Za.shape} and Y has shape {Ya.shape}; expected Z (n, n) and "
                f"Y (n, G*K) with n = G*N = {labels.G * labels.N}"
            )
        rows = Za.sum(axis=1) + Ya.sum(axis=1)
        given = None if x is None else _as_float("x", x)
        if x_policy == "published":
            if given is None:
                raise ValueError("x_policy='published' needs x")
            xa = given
        else:
            xa = rows
            if given is not None:
                if given.shape != rows.shape:
                    raise ShapeError(f"x has shape {given.shape}, expected {rows.shape}")
                meta.setdefault("x_published_max_gap", float(np.abs(given - rows).max()))
        if V is None:
            Va = (xa - Za.sum(axis=0))[None, :]
            labels = replace(labels, va_rows=("VA",))
            meta["va_policy"] = "residual"
        else:
            Va = _as_float("V", V)
            meta["va_policy"] = "given"
        table = cls(Z=Za, Y=Ya, x=xa, V=Va, labels=labels, meta=meta, rtol=rtol,
                    rounding=rounding)
        if x_policy == "rows" and given is not None:
            tol = cv.balance_tolerance(given, rtol, rounding, Za.shape[1] + Ya.shape[1])
            probs = cv.check_row_balance(rows, given, labels.industries(), tol)
            if probs:
                raise BalanceError(format_problems(
                    "the gross output given differs from the row totals beyond tolerance "
                    f"(rtol={rtol}, rounding={rounding}):", probs), probs)
        return table

    # ------------------------------------------------------------------ validation
    def _validate(self) -> None:
        lab = self.labels
        problems: list[tuple[type[IOTableError], str]] = []
        problems += [(LabelMismatchError, p) for p in lab.problems()]
        G, N, K, M = lab.G, lab.N, lab.K, len(lab.va_rows)
        n = G * N
        expect = {"Z": (n, n), "Y": (n, G * K), "x": (n,), "V": (M, n)}
        shape_probs = [
            f"{name} has shape {getattr(self, name).shape}, expected {shape} "
            f"(G = {G} countries, N = {N} sectors, K = {K} final-demand categories, "
            f"M = {M} value-added rows)"
            for name, shape in expect.items()
            if getattr(self, name).shape != shape
        ]
        if shape_probs or problems:
            problems += [(ShapeError, p) for p in shape_probs]
            self._raise(problems)
        names = lab.industries()
        derived = {"x": self.meta.get("x_policy") == "rows",
                   "V": self.meta.get("va_policy") == "residual"}
        for name in ("Z", "Y", "x", "V"):
            if derived.get(name) and problems:
                continue  # computed from Z and Y: their NaN cells are already reported
            rows = list(lab.va_rows) if name == "V" else names
            problems += [(ValueProblemError, p)
                         for p in cv.check_finite(name, getattr(self, name), rows)]
        if problems:
            self._raise(problems)
        problems += [(ValueProblemError, p)
                     for p in cv.check_nonnegative("Z", self.Z, names, names)]
        row_tol = cv.balance_tolerance(self.x, self.rtol, self.rounding, n + G * K)
        col_tol = cv.balance_tolerance(self.x, self.rtol, self.rounding, n + M)
        neg_x = self.x < -row_tol
        if neg_x.any():
            problems += [(ValueProblemError, p) for p in cv.check_nonnegative(
                "gross output x", np.where(neg_x, self.x, 0.0), names)]
        problems += [(BalanceError, p) for p in cv.check_row_balance(
            self.Z.sum(axis=1) + self.Y.sum(axis=1), self.x, names, row_tol)]
        if self.meta.get("va_policy") != "residual":
            problems += [(BalanceError, p) for p in cv.check_column_balance(
                self.Z.sum(axis=0) + self.V.sum(axis=0), self.x, names, col_tol)]
        va = self.x - self.Z.sum(axis=0)
        neg = va < -col_tol
        if neg.any():
            problems += [(ValueProblemError, p) for p in cv.check_nonnegative(
                "value added (x - u'Z)", np.where(neg, va, 0.0), names)]
        problems += [(ValueProblemError, p)
                     for p in cv.check_zero_output(self.Z, self.Y, self.x, names, col_tol)]
        if problems:
            self._raise(problems)
        self._check_productive()

    def _check_productive(self) -> None:
        colsum = self.A.sum(axis=0)
        if np.all(colsum < 1.0):
            return  # spectral radius <= max column sum < 1: B exists and is >= 0
        try:
            solver = self.solver
        except SingularSystemError as err:
            raise SingularSystemError(f"the system is not productive: {err}") from None
        B = _frozen(solver.inverse())
        self.__dict__["B"] = B  # keep it: the check already paid for it
        if np.any(-1e-9 * max(1.0, float(np.abs(B).max())) > B):
            names = self.labels.industries()
            bad = np.argwhere(B < 0)[:5]
            cells = "; ".join(f"{names[i]} -> {names[j]}: {B[i, j]:.3g}" for i, j in bad)
            raise SingularSystemError(
                "the system is not productive: the Leontief inverse has negative entries "
                f"({cells}); input coefficients of some industries sum to 1 or more: "
                + ", ".join(names[j] for j in np.flatnonzero(colsum >= 1.0)[:10])
            )

    def _raise(self, problems: list[tuple[type[IOTableError], str]]) -> None:
        kinds = {k for k, _ in problems}
        cls = next(iter(kinds)) if len(kinds) == 1 else TableValidationError
        texts = [p for _, p in problems]
        source = self.meta.get("path") or self.meta.get("dataset") or "table"
        header = f"{source} is invalid ({len(texts)} problem{'s' * (len(texts) != 1)}):"
        message = format_problems(header, texts)
        if any(k in (BalanceError, ValueProblemError) for k in kinds | {cls}) and any(
                "balance" in t or "value added" in t or "gross output" in t for t in texts):
            message += (
                f"\nIf the source rounds its cells (e.g. to whole millions), give that unit "
                f"as rounding= (now {self.rounding}); x_policy='published' keeps the file's "
                "gross output; see docs/table.md."
            )
        raise cls(message, texts)

    # ------------------------------------------------------------------ dimensions
    @property
    def G(self) -> int:
        """Number of countries."""
        return self.labels.G

    @property
    def N(self) -> int:
        """Number of sectors."""
        return self.labels.N

    @property
    def K(self) -> int:
        """Number of final-demand categories per destination country."""
        return self.labels.K

    @property
    def n(self) -> int:
        """Number of industries ``G*N``."""
        return self.G * self.N

    # ------------------------------------------------------------------ derived, lazy
    @cached_property
    def A(self) -> FloatArray:
        """Input coefficients ``A = Z diag(x)^-1`` (zero columns where ``x = 0``)."""
        return _frozen(technical_coefficients(self.Z, self.x))

    @cached_property
    def va(self) -> FloatArray:
        """Residual value added ``x - u'Z`` (``(G*N,)``), used by every measure."""
        return _frozen(self.x - self.Z.sum(axis=0))

    @cached_property
    def v(self) -> FloatArray:
        """Value-added coefficients ``va / x`` (0 where ``x = 0``)."""
        return _frozen(value_added_coefficients(self.va, self.x))

    @cached_property
    def zero_output(self) -> tuple[str, ...]:
        """Industries with zero gross output (``"country/sector"``)."""
        names = self.labels.industries()
        return tuple(names[i] for i in np.flatnonzero(self.x == 0.0))

    @cached_property
    def zero_output_inputs(self) -> FloatArray:
        """Inputs bought by zero-output industries, by supplying industry ``(G*N,)``.

        Zero within exact tables. In a rounded table a sector whose sales all
        rounded to zero may still show rounding-level inputs (accepted within
        the tolerance). Input coefficients of such a sector are zero, so the
        quantity identity reads ``x = B (y + zero_output_inputs)`` exactly.
        """
        zero = self.x == 0.0
        return _frozen(self.Z[:, zero].sum(axis=1) if zero.any() else np.zeros(self.n))

    @cached_property
    def zero_output_exports(self) -> FloatArray:
        """Gross exports of zero-output industries ``(G*N,)`` (zero elsewhere).

        A rounded table can show a sector whose output rounded to zero while a
        sale abroad (offset by an inventory change) did not. With ``v_j = 0``
        such exports carry no value added, so decompositions of gross exports
        into value-added parts hold for industries with output, and in total up
        to these rounding-level amounts.
        """
        return _frozen(np.where(self.x == 0.0, self.E, 0.0))

    @cached_property
    def solver(self) -> LeontiefSolver:
        """LU factorisation of ``I - A``: ``solver.solve(R) = B R``, ``solve_left(R) = R B``."""
        return LeontiefSolver.factor(self.A)

    @cached_property
    def B(self) -> FloatArray:
        """The explicit global Leontief inverse ``(I - A)^-1`` (formed on request)."""
        return _frozen(self.solver.inverse())

    @cached_property
    def L_blocks(self) -> FloatArray:
        """Local Leontief inverses ``L_ss = (I - A_ss)^-1`` as ``(G, N, N)``."""
        return _frozen(local_leontief_blocks(self.A, self.G, self.N))

    @cached_property
    def L(self) -> FloatArray:
        """Local Leontief inverse ``(I - A^D)^-1`` as a block-diagonal ``(G*N, G*N)``."""
        return _frozen(bk.block_diag(self.L_blocks))

    @cached_property
    def ghosh(self) -> FloatArray:
        """Ghosh inverse ``diag(x)^-1 B diag(x)``."""
        return _frozen(ghosh_inverse(self.B, self.x))

    @cached_property
    def Yc(self) -> FloatArray:
        """Final demand by destination country ``(G*N, G)`` (categories summed)."""
        return _frozen(bk.aggregate_final_demand(self.Y, self.G))

    @cached_property
    def y(self) -> FloatArray:
        """Total final demand for each industry's output ``(G*N,)``."""
        return _frozen(self.Y.sum(axis=1))

    @cached_property
    def Zc(self) -> FloatArray:
        """Intermediate sales by using country ``(G*N, G)``, as the model sees them.

        Computed from ``A diag(x)``, so purchases of zero-output industries
        (rounding-level, see :attr:`zero_output_inputs`) are left out and every
        export identity (``E_sr = A_sr X_r + Y_sr``) holds exactly.
        """
        Zm = self.Z if not self.zero_output else self.A * self.x[None, :]
        return _frozen(np.asarray(Zm).reshape(self.n, self.G, self.N).sum(axis=2))

    @cached_property
    def Eint(self) -> FloatArray:
        """Intermediate exports ``A_sr X_r`` by partner ``(G*N, G)``, zero on own country."""
        return _frozen(np.where(bk.country_column_mask(self.G, self.N), 0.0, self.Zc))

    @cached_property
    def Efd(self) -> FloatArray:
        """Final-goods exports ``Y_sr`` by partner ``(G*N, G)``, zero on own country."""
        return _frozen(np.where(bk.country_column_mask(self.G, self.N), 0.0, self.Yc))

    @cached_property
    def ESR(self) -> FloatArray:
        """Bilateral gross exports ``E_sr`` (``(G*N, G)``), zero on own country."""
        return _frozen(self.Eint + self.Efd)

    @cached_property
    def E(self) -> FloatArray:
        """Total gross exports of each industry ``(G*N,)``."""
        return _frozen(self.ESR.sum(axis=1))

    # ------------------------------------------------------------------ reports
    def balance_report(self) -> pd.DataFrame:
        """Row and column gaps of every industry, largest first (nothing is changed).

        Columns: ``country, sector, x, row_total, row_gap, col_total, col_gap``
        where the row total is ``Z u + Y u`` and the column total ``u'Z + u'V``.
        """
        idx = self.labels.industry_index()
        rows = self.Z.sum(axis=1) + self.Y.sum(axis=1)
        cols = self.Z.sum(axis=0) + self.V.sum(axis=0)
        df = pd.DataFrame({"x": self.x, "row_total": rows, "row_gap": rows - self.x,
                           "col_total": cols, "col_gap": cols - self.x}, index=idx)
        order = np.argsort(-np.maximum(np.abs(df["row_gap"]), np.abs(df["col_gap"])).to_numpy())
        return df.iloc[order].reset_index()

    def summary(self) -> dict[str, Any]:
        """Dimensions, totals and balance figures, for ``silkchain info``."""
        rows = self.Z.sum(axis=1) + self.Y.sum(axis=1)
        return {
            "countries": self.G,
            "sectors": self.N,
            "final_demand_categories": self.K,
            "value_added_rows": len(self.labels.va_rows),
            "gross_output": float(self.x.sum()),
            "intermediate_use": float(self.Z.sum()),
            "final_demand": float(self.Y.sum()),
            "value_added": float(self.va.sum()),
            "gross_exports": float(self.E.sum()),
            "max_row_gap": float(np.abs(rows - self.x).max()),
            "relative_row_gap": float(np.abs(rows - self.x).sum() / max(abs(self.x.sum()), 1e-300)),
            "zero_output_industries": len(self.zero_output),
            "zero_output_inputs": float(self.zero_output_inputs.sum()),
            "zero_output_exports": float(self.zero_output_exports.sum()),
        }

    def exports_by_country(self) -> pd.Series:
        """Total gross exports by country, largest first."""
        e = bk.sum_by_country(self.E, self.G, self.N)
        return pd.Series(e, index=list(self.labels.countries), name="gross_exports").sort_values(
            ascending=False)

    def to_frames(self) -> dict[str, pd.DataFrame]:
        """Labelled copies of ``Z``, ``Y``, ``V`` and ``x`` as DataFrames."""
        ind = self.labels.industry_index()
        return {
            "Z": pd.DataFrame(self.Z, index=ind, columns=ind),
            "Y": pd.DataFrame(self.Y, index=ind, columns=self.labels.final_demand_index()),
            "V": pd.DataFrame(self.V, index=list(self.labels.va_rows), columns=ind),
            "x": pd.DataFrame({"x": self.x}, index=ind),
        }

    def replace(self, **changes: Any) -> MRIOTable:
        """A new, re-validated table with some fields changed (scenarios use this)."""
        return replace(self, **changes)

    def to_pymrio(self, name: str | None = None) -> Any:
        """This table as a pymrio ``IOSystem`` (see :mod:`silkchain.io.pymrio`)."""
        from silkchain.io.pymrio import to_pymrio

        return to_pymrio(self, name)

    def __repr__(self) -> str:
        src = self.meta.get("dataset") or self.meta.get("source") or "MRIOTable"
        return f"<MRIOTable {src}: G={self.G} countries, N={self.N} sectors, K={self.K}>"


def _frozen(arr: FloatArray) -> FloatArray:
    arr.setflags(write=False)
    return arr
