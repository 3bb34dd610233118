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


def stamp(frame: pd.DataFrame, *, year: int | None, unit: str = "",
          units: Mapping[str, str] | None = None, currency: str | None = None,
          copy: bool = True) -> pd.DataFrame:
    """``frame`` with ``year`` first and ``unit`` last, its own columns kept (a copy, or
    ``frame`` itself with ``copy=False``: no second copy of a large result).

    For files whose columns are not those of :data:`COLUMNS` (a decomposition's
    ``exporter, sector, importer, term`` or Leontief's ``source_country, ...``):
    every file the command line writes says its year and unit. ``units`` maps a
    ``term`` (or ``measure``) to its unit where it differs from ``unit``; an
    existing ``year`` or ``unit`` column is kept.

    >>> f = pd.DataFrame({"exporter": ["CHN", "CHN"], "term": ["VAX", "VAX_ratio"],
    ...                   "value": [1.0, 0.5]})
    >>> stamp(f, year=2011, unit=TABLE_CURRENCY, units={"VAX_ratio": "ratio"},
    ...       currency="USD millions")
       year exporter       term  value          unit
    0  2011      CHN        VAX    1.0  USD millions
    1  2011      CHN  VAX_ratio    0.5         ratio
    """
    out = frame.copy() if copy else frame
    if "year" not in out.columns:
        out.insert(0, "year", pd.array([year] * len(out), dtype="Int64"))
    if "unit" not in out.columns:
        column = "term" if "term" in out.columns else "measure"
        if units and column in out.columns:
            unit_col = out[column].astype(str).map(dict(units)).fillna(unit)
        else:
            unit_col = pd.Series(unit, index=out.index, dtype=object)
        out["unit"] = unit_col.replace(TABLE_CURRENCY, currency) if currency else unit_col
    return out


#: Reasons of :func:`explain_undefined`, by what the table lacks.
NO_EXPORTS = "undefined: the table has no exports (one country or no trade)"
COUNTRY_NO_EXPORTS = "undefined: {country} has no exports"
ZERO_DENOMINATOR = "undefined: its denominator is zero (nothing to share out)"


def explain_undefined(frame: pd.DataFrame, exports: Mapping[str, float],
                      country: str = "country") -> tuple[pd.DataFrame, str | None]:
    """``frame`` with a ``reason`` column where some value is undefined, and a note.

    A share or ratio whose denominator is zero (a table without exports, a
    country that exports nothing) is NaN; rather than leave a bare NaN, the
    ``reason`` column says why (empty for defined values) and the note names the
    measures concerned. A frame whose values are all defined is returned as it is
    with no note.

    Parameters
    ----------
    frame : DataFrame
        A long frame with ``value``, ``measure`` (or ``term``) and, when by
        country, the column ``country`` names.
    exports : mapping
        Gross exports by country code (:meth:`MRIOTable.exports_by_country`).
    country : str
        The column naming the country (``"exporter"`` in decompositions).

    Examples
    --------
    >>> f = pd.DataFrame({"country": ["AAA", "AAA"], "measure": ["E", "share"],
    ...                   "value": [0.0, np.nan]})
    >>> g, note = explain_undefined(f, {"AAA": 0.0})
    >>> g["reason"].tolist()
    ['', 'undefined: the table has no exports (one country or no trade)']
    >>> print(note)  # doctest: +NORMALIZE_WHITESPACE
    note: 1 value is undefined (share): the table has no exports (one country or no
    trade); see the reason column
    """
    undefined = frame["value"].isna().to_numpy()
    if not undefined.any():
        return frame, None
    total = float(sum(float(v) for v in exports.values()))
    reasons = np.full(len(frame), "", dtype=object)
    if not total > 0:
        reasons[undefined] = NO_EXPORTS
    else:
        codes = (frame[country].astype(str) if country in frame.columns
                 else pd.Series("", index=frame.index))[undefined]
        mute = {str(c) for c, e in exports.items() if not float(e) > 0}
        named = np.array([COUNTRY_NO_EXPORTS.format(country=c) for c in codes], dtype=object)
        reasons[undefined] = np.where(codes.isin(mute).to_numpy(), named, ZERO_DENOMINATOR)
    out = frame.assign(reason=reasons)
    column = "measure" if "measure" in frame.columns else "term"
    names = list(dict.fromkeys(frame.loc[undefined, column].astype(str))) \
        if column in frame.columns else []
    which = ", ".join(names[:8]) + (f" and {len(names) - 8} more" if len(names) > 8 else "")
    n = int(undefined.sum())
    why = NO_EXPORTS.removeprefix("undefined: ") if not total > 0 else \
        "a share or ratio has a zero denominator"
    note = (f"note: {n:,} value{'s are' if n != 1 else ' is'} undefined"
            f"{f' ({which})' if which else ''}: {why}; see the reason column")
    return out, note


def table_currency(meta: Mapping[str, object]) -> str | None:
    """``"USD millions"`` from a table's metadata (``None`` when it does not say)."""
    parts = [str(meta[k]) for k in ("currency", "unit") if meta.get(k)]
    return " ".join(parts) or None
