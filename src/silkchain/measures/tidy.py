"""The one tidy layout of silkchain's outputs; long frames from labelled ndarrays, and wide.

Every file the command line writes from a measure (``indicators``, ``panel``,
the Belt and Road answers) has the columns :data:`COLUMNS`:
``year, country, sector, partner, measure, value, unit``. :data:`TOTAL`
(``"_T"``, OECD's code for "total") marks a dimension a value does not have (a
country total has ``sector == "_T"``, a value that is not by partner has
``partner == "_T"``). :func:`tidy` brings a measure's own frame to this layout.

>>> import numpy as np
>>> f = to_long(np.array([[1.0, 2.0], [3.0, 4.0]]),
...             {"exporter": ["A", "B"], "term": ["DVA", "FVA"]})
>>> f
  exporter term  value
0        A  DVA    1.0
1        A  FVA    2.0
2        B  DVA    3.0
3        B  FVA    4.0
>>> pivot_wide(f)
term      DVA  FVA
exporter
A         1.0  2.0
B         3.0  4.0
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from silkchain.errors import MeasureError

#: The columns of the tidy layout, in order.
COLUMNS = ("year", "country", "sector", "partner", "measure", "value", "unit")
#: The marker of a dimension a value does not have ("all sectors", "all partners").
TOTAL = "_T"
#: The unit of amounts in the table's own currency; replaced by the table's currency.
TABLE_CURRENCY = "table currency"
#: Columns of measures' own frames and their name in the tidy layout.
RENAMES = {"exporter": "country", "importer": "partner", "term": "measure",
           "indicator": "measure", "destination": "partner"}


def to_long(
    values: np.ndarray,
    dims: Mapping[str, Sequence[str]],
    value_name: str = "value",
    drop_mask: np.ndarray | None = None,
) -> pd.DataFrame:
    """Flatten ``values`` (one axis per entry of ``dims``, in order) to a long frame.

    Built by integer arithmetic on the flat index, so that WWZ- and BM-sized
    results (around a million rows) take a fraction of a second.

    Parameters
    ----------
    values : ndarray
        Array whose shape equals ``tuple(len(v) for v in dims.values())``.
    dims : mapping
        Column name -> labels of that axis, in axis order (C order: last fastest).
    drop_mask : bool ndarray, optional
        Cells to leave out (for example own-country "exports"); broadcast to
        ``values.shape``.
    """
    values = np.asarray(values, dtype=float)
    shape = values.shape
    expected = tuple(len(v) for v in dims.values())
    if shape != expected:
        raise ValueError(f"values have shape {shape}, dims imply {expected}")
    flat = np.arange(values.size) if drop_mask is None else np.flatnonzero(
        ~np.broadcast_to(np.asarray(drop_mask, dtype=bool), shape).ravel())
    data: dict[str, np.ndarray] = {}
    inner = values.size
    for ax, (name, labels) in enumerate(dims.items()):
        inner //= max(shape[ax], 1)
        lab = np.empty(len(labels), dtype=object)
        lab[:] = [str(s) for s in labels]
        data[name] = lab[(flat // max(inner, 1)) % max(shape[ax], 1)]
    data[value_name] = values.ravel()[flat]
    return pd.DataFrame(data, copy=False)


def pivot_wide(frame: pd.DataFrame, column: str | None = None,
               value_name: str = "value") -> pd.DataFrame:
    """Pivot a tidy frame wide: one column per ``term`` (or ``measure``), order kept."""
    if column is None:
        column = "term" if "term" in frame.columns else "measure"
    index = [c for c in frame.columns if c not in (column, value_name)]
    order = list(dict.fromkeys(frame[column]))
    wide = frame.pivot_table(index=index, columns=column, values=value_name, sort=False,
                             aggfunc="first")
    return wide[order]


def tidy(frame: pd.DataFrame, *, year: int | None = None, unit: str | None = None,
         units: Mapping[str, str] | None = None, currency: str | None = None,
         prefix: str | None = None) -> pd.DataFrame:
    """``frame`` in the tidy layout :data:`COLUMNS` (a copy).

    Parameters
    ----------
    frame : DataFrame
        A measure's own frame: ``value`` plus some of ``country/exporter``,
        ``sector``, ``partner/importer/destination``, ``measure/term``,
        ``year``, ``unit`` (APL's ``partner_sector`` is joined to ``partner``
        as ``country/sector``).
    year : int, optional
        The year of a single-year frame (a ``year`` column wins when present;
        empty when neither says).
    unit, units : str, mapping
        Unit of every value, and term -> unit overrides (an existing ``unit``
        column wins).
    currency : str, optional
        What :data:`TABLE_CURRENCY` means for this table (``"USD millions"``).
    prefix : str, optional
        Qualifies the measure names (``"koopman"`` -> ``koopman.IV``).

    Examples
    --------
    >>> f = pd.DataFrame({"exporter": ["CHN"], "term": ["DVA"], "value": [1.0]})
    >>> tidy(f, year=2011, unit="table currency", currency="USD millions")
       year country sector partner measure  value          unit
    0  2011     CHN     _T      _T     DVA    1.0  USD millions
    """
    if "value" not in frame.columns:
        raise MeasureError(f"a measure frame needs a 'value' column; found "
                           f"{', '.join(map(str, frame.columns))}")
    frame = frame.rename(columns={k: v for k, v in RENAMES.items() if k in frame.columns})
    if "partner_sector" in frame.columns:
        frame = frame.assign(partner=frame["partner"].astype(str) + "/"
                             + frame.pop("partner_sector").astype(str))
    unknown = [c for c in frame.columns if c not in COLUMNS]
    if unknown:
        raise MeasureError(f"cannot place column(s) {', '.join(map(str, unknown))} in the "
                           f"tidy layout; expected a subset of {', '.join(COLUMNS)} (or "
                           "exporter/importer/term)")
    if "measure" not in frame.columns:
        raise MeasureError("a measure frame needs a 'measure' (or 'term') column")
    out = pd.DataFrame(index=frame.index)
    if "year" in frame.columns:
        out["year"] = frame["year"].astype(int)
    else:  # a table that does not say its year leaves the column empty
        out["year"] = pd.array([year] * len(frame), dtype="Int64")
    for col in ("country", "sector", "partner"):
        out[col] = frame[col].astype(str) if col in frame.columns else TOTAL
    measure = frame["measure"].astype(str)
    out["measure"] = measure if prefix is None else prefix + "." + measure
    out["value"] = frame["value"].astype(float)
    if "unit" in frame.columns:
        out["unit"] = frame["unit"].astype(str)
    else:
        base = unit or ""
        out["unit"] = measure.map(dict(units or {})).fillna(base) if units else base
        if currency:
            out["unit"] = out["unit"].replace(TABLE_CURRENCY, currency)
    return out.reset_index(drop=True)


def table_currency(meta: Mapping[str, object]) -> str | None:
    """``"USD millions"`` from a table's metadata (``None`` when it does not say)."""
    parts = [str(meta[k]) for k in ("currency", "unit") if meta.get(k)]
    return " ".join(parts) or None
