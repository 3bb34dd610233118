"""Bridge to pymrio: ``silkchain.from_pymrio(io_system)`` and ``MRIOTable.to_pymrio()``.

pymrio (Stadler 2021) parses and downloads many MRIO databases (EXIOBASE,
GLORIA, OECD, WIOD, Eora) and keeps satellite accounts; silkchain measures
positions in value chains. One line brings a pymrio system in:

* :func:`from_pymrio` reads ``Z`` (or ``A`` and ``x``) and ``Y`` of a
  :class:`pymrio.IOSystem`, with its regions, sectors and final-demand
  categories (``Y`` columns ``(region, category)``). Gross output follows
  silkchain's ``x_policy`` (``"rows"``: ``x = Z u + Y u``); value added is the
  residual ``x - u'Z`` (pymrio keeps value added in an extension whose rows
  need not add up to it). ``meta`` records the system's name, unit and that
  it came from pymrio.
* :func:`to_pymrio` (``table.to_pymrio()``) gives a pymrio system with ``Z``,
  ``Y``, ``x`` and the value-added rows ``V`` as the extension
  ``factor_inputs``, in the table's unit.

pymrio is an optional dependency (``pip install pymrio``).

References
----------
.. [1] Stadler, K. (2021). Pymrio - A Python Based Multi-Regional Input-Output
   Analysis Toolbox. *Journal of Open Research Software* 9(1): 8.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from silkchain.errors import IOTableError
from silkchain.table import MRIOTable, XPolicy

__all__ = ["from_pymrio", "to_pymrio"]


def _frame(io_system: Any, name: str) -> pd.DataFrame | None:
    value = getattr(io_system, name, None)
    return value if isinstance(value, pd.DataFrame) else None


def from_pymrio(io_system: Any, *, x_policy: XPolicy = "rows", rtol: float = 1e-6,
                rounding: float = 0.0, meta: dict[str, Any] | None = None) -> MRIOTable:
    """A validated :class:`MRIOTable` from a pymrio ``IOSystem``.

    Parameters
    ----------
    io_system : pymrio.IOSystem
        Needs ``Y`` and either ``Z`` or ``A`` with ``x``.
    x_policy : {"rows", "published"}
        ``"published"`` keeps the system's ``x`` (then it must be present).
    rtol, rounding : float
        Balance tolerance (``docs/table.md``).
    meta : dict, optional
        Extra metadata (e.g. ``{"year": 2019}``).

    Raises
    ------
    IOTableError
        A missing or misaligned block, or an invalid table (all problems listed).
    """
    Z, Y, A = (_frame(io_system, k) for k in ("Z", "Y", "A"))
    x = _frame(io_system, "x")
    name = str(getattr(io_system, "name", None) or "pymrio")
    if Y is None or (Z is None and (A is None or x is None)):
        raise IOTableError(f"pymrio system {name!r}: needs Y and either Z or A with x "
                           "(call io.calc_system() or load the system's core blocks)")
    if Z is None:
        assert A is not None and x is not None
        Z = A * x.iloc[:, 0].to_numpy()[None, :]
    problems = []
    if not Z.index.equals(Z.columns):
        problems.append("Z rows and columns are not the same (region, sector) pairs")
    if not Y.index.equals(Z.index):
        problems.append("Y rows are not the (region, sector) rows of Z")
    if x is not None and not x.index.equals(Z.index):
        problems.append("x rows are not the (region, sector) rows of Z")
    if problems:
        raise IOTableError(f"pymrio system {name!r}: " + "; ".join(problems), problems)
    regions = list(dict.fromkeys(Z.index.get_level_values(0)))
    sectors = list(dict.fromkeys(Z.index.get_level_values(1)))
    categories = list(dict.fromkeys(Y.columns.get_level_values(-1)))
    want = pd.MultiIndex.from_product([regions, categories])
    Y = Y.reindex(columns=want)
    if Y.isna().to_numpy().any():
        raise IOTableError(f"pymrio system {name!r}: Y lacks some (region, category) columns; "
                           f"expected {len(categories)} categories for each of "
                           f"{len(regions)} regions")
    unit = getattr(io_system, "unit", None)
    info: dict[str, Any] = {"source": "pymrio", "dataset_name": f"pymrio-{name}",
                            "pymrio_name": name}
    if isinstance(unit, pd.DataFrame) and unit.shape[1] and len(set(unit.iloc[:, 0])) == 1:
        info["unit"] = str(unit.iloc[0, 0])
    year = getattr(io_system, "year", None)
    if year is not None:
        info["year"] = int(year)
    info.update(meta or {})
    return MRIOTable.from_arrays(
        Z.to_numpy(dtype=float), Y.to_numpy(dtype=float), regions, sectors,
        x=None if x is None else x.iloc[:, 0].to_numpy(dtype=float),
        fd_categories=categories, meta=info, x_policy=x_policy, rtol=rtol, rounding=rounding)


def to_pymrio(table: MRIOTable, name: str | None = None) -> Any:
    """A pymrio ``IOSystem`` holding the table's ``Z``, ``Y``, ``x`` and value added.

    Value-added rows become the extension ``factor_inputs`` (``F``, one row per
    ``labels.va_rows``). Needs pymrio installed.
    """
    try:
        import pymrio
    except ImportError:
        raise IOTableError("to_pymrio needs pymrio: pip install pymrio") from None
    lab = table.labels
    ind = pd.MultiIndex.from_product([list(lab.countries), list(lab.sectors)],
                                     names=["region", "sector"])
    fd = pd.MultiIndex.from_product([list(lab.countries), list(lab.fd_categories)],
                                    names=["region", "category"])
    unit_name = " ".join(str(table.meta[k]) for k in ("unit", "currency") if table.meta.get(k))
    unit = pd.DataFrame({"unit": unit_name or "unknown"}, index=ind)
    F = pd.DataFrame(np.asarray(table.V), index=pd.Index(list(lab.va_rows), name="inputtype"),
                     columns=ind)
    factor_inputs = {"name": "Factor Inputs", "F": F,
                     "unit": pd.DataFrame({"unit": unit_name or "unknown"}, index=F.index)}
    io_system = pymrio.IOSystem(
        Z=pd.DataFrame(np.asarray(table.Z), index=ind, columns=ind),
        Y=pd.DataFrame(np.asarray(table.Y), index=ind, columns=fd),
        x=pd.DataFrame({"indout": np.asarray(table.x)}, index=ind), unit=unit,
        name=name or str(table.meta.get("dataset") or table.meta.get("dataset_name")
                         or "silkchain"),
        factor_inputs=factor_inputs)
    return io_system
