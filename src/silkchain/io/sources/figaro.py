"""Eurostat FIGARO inter-country tables, industry by industry (CSV, matrix or flat).

* **Matrix** (``matrix_eu-ic-io_ind-by-ind_23ed_2020.csv``): the first column
  ``rowLabels`` holds row labels, the first line column labels. Industries
  are ``CC_NACE`` with ISO 3166 alpha-2 countries (``EL`` Greece, ``FIGW1``
  the rest of the world) and NACE rev.2 A*64 codes (``AR_A01``). Final-demand
  columns are ``CC_P3_S13``, ``CC_P3_S14``, ``CC_P3_S15``, ``CC_P51G``,
  ``CC_P5M``; value-added rows ``W2_D21X31``, ``W2_OP_RES``, ``W2_OP_NRES``,
  ``W2_D1``, ``W2_D29X39``, ``W2_B2A3G``.
* **Flat** (``flatfile_eu-ic-io_ind-by-ind_23ed_2020.csv``): one cell per line
  with columns ``refArea, rowPi, counterpartArea, colPi, obsValue`` (others
  ignored); the value-added rows have ``refArea`` ``W2``.

Country codes are converted to ISO3 (``FIGW1`` is kept and reported as the
rest of the world).

References
----------
.. [1] Remond-Tiedrez, I. & Rueda-Cantuche, J. M. (eds.) (2019). *EU inter-country
   supply, use and input-output tables - Full international and global accounts
   for research in input-output analysis (FIGARO)*. Luxembourg: Eurostat.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from silkchain.errors import ParserError
from silkchain.io.sources import SourceReader, register
from silkchain.io.sources._base import (
    RawTable,
    base_meta,
    check_unique,
    country_sector_grid,
    first_line,
    pick_columns,
    read_delimited,
    read_matrix_csv,
    to_numeric,
    year_from_name,
)

NAME = "figaro"
FD_CATEGORIES = ("P3_S13", "P3_S14", "P3_S15", "P51G", "P5M")
VA_PREFIX = "W2"
FLAT_COLUMNS = ("refArea", "rowPi", "counterpartArea", "colPi", "obsValue")
_FILE = re.compile(r"eu-ic-io_ind-by-ind(?:_(?P<ed>\d\d)ed)?", re.IGNORECASE)
ISO2_EXTRA = {"EL": "GRC", "UK": "GBR", "FIGW1": "FIGW1", "FIGW2": "FIGW2"}


def _iso3(codes: list[str]) -> tuple[list[str], list[str]]:
    from silkchain.aggregation import iso3_codes

    todo = [c for c in codes if c not in ISO2_EXTRA]
    mapping, rest = iso3_codes(todo) if todo else ({}, [])
    out = [ISO2_EXTRA.get(c) or mapping[c] for c in codes]
    rest = [c for c in codes if c.startswith("FIGW")] + rest
    return out, rest


def _split(label: str, name: str, axis: str) -> tuple[str, str]:
    country, sep, rest = label.partition("_")
    if not sep or not rest:
        raise ParserError(f"{name}: {axis} label {label!r} is not COUNTRY_CODE (like 'DE_A01')")
    return country, rest


def _from_matrix(frame: pd.DataFrame, name: str) -> tuple[np.ndarray, list[str], list[str]]:
    rows = [str(r).strip() for r in frame.index]
    cols = [str(c).strip() for c in frame.columns]
    check_unique(rows, name, "row")
    check_unique(cols, name, "column")
    return to_numeric(frame.to_numpy(), name, rows, cols), rows, cols


def _from_flat(frame: pd.DataFrame, name: str) -> tuple[np.ndarray, list[str], list[str]]:
    missing = [c for c in FLAT_COLUMNS if c not in frame.columns]
    if missing:
        raise ParserError(f"{name}: missing column(s) {', '.join(missing)}; the flat format "
                          f"needs {', '.join(FLAT_COLUMNS)}")
    r = (frame["refArea"].str.strip() + "_" + frame["rowPi"].str.strip()).tolist()
    c = (frame["counterpartArea"].str.strip() + "_" + frame["colPi"].str.strip()).tolist()
    keys = pd.Series(list(zip(r, c, strict=True)))
    dup = keys[keys.duplicated()]
    if len(dup):
        raise ParserError(f"{name}: {len(dup)} duplicated cell(s), e.g. row {dup.iloc[0][0]!r}"
                          f", column {dup.iloc[0][1]!r}; expected each (row, column) once")
    rows = list(dict.fromkeys(r))
    cols = list(dict.fromkeys(c))
    vals = to_numeric(frame[["obsValue"]].to_numpy(), name,
                      [f"line {i + 2}" for i in range(len(frame))], ["obsValue"])[:, 0]
    out = np.zeros((len(rows), len(cols)))
    ri = {k: i for i, k in enumerate(rows)}
    ci = {k: j for j, k in enumerate(cols)}
    out[[ri[k] for k in r], [ci[k] for k in c]] = vals
    return out, rows, cols


def parse(path: Path, *, year: int | None = None, **_: Any) -> RawTable:
    """Parse a FIGARO industry-by-industry CSV (matrix or flat) into a :class:`RawTable`."""
    name = path.name
    first = first_line(path)
    flat = "refArea" in first
    fast = None if flat else read_matrix_csv(path, name)  # numbers straight to float64
    if fast is not None:
        rows, cols, values = fast
        check_unique(rows, name, "row")
        check_unique(cols, name, "column")
    else:
        frame = read_delimited(path, name, index_col=None if flat else 0, expect_min_cols=3)
        values, rows, cols = (_from_flat if flat else _from_matrix)(frame, name)
    va = [r for r in rows if r.startswith(VA_PREFIX + "_")]
    ind = [r for r in rows if r not in va]
    ind_set = set(ind)
    ind_cols = [c for c in cols if c in ind_set]
    fd_cols = [c for c in cols if c not in ind_set]
    if ind_cols != ind:
        missing = [r for r in ind if r not in set(ind_cols)]
        raise ParserError(f"{name}: the industry columns do not match the industry rows "
                          f"({len(ind_cols)} columns, {len(ind)} rows); missing column(s): "
                          f"{', '.join(missing[:8]) or '(order differs)'}")
    fd_pairs = [_split(c, name, "column") for c in fd_cols]
    unknown = sorted({k for _, k in fd_pairs if k not in FD_CATEGORIES})
    if unknown:
        raise ParserError(f"{name}: unknown final-demand categor(y/ies) {', '.join(unknown)}; "
                          f"expected industries or one of {', '.join(FD_CATEGORIES)}")
    codes, sectors = country_sector_grid([_split(r, name, "row") for r in ind], name)
    cats = [k for k in FD_CATEGORIES if any(k == p[1] for p in fd_pairs)]
    ri = {k: i for i, k in enumerate(rows)}
    ci = {k: j for j, k in enumerate(cols)}
    r_ind = [ri[r] for r in ind]
    c_ind = [ci[c] for c in ind_cols]
    Z = values[np.ix_(r_ind, c_ind)]
    fd_idx = [ci[fd_cols[k]] for k in pick_columns(fd_pairs, codes, cats, name)]
    Y = values[np.ix_(r_ind, fd_idx)]
    V = values[np.ix_([ri[r] for r in va], c_ind)] if va else None
    countries, rest = _iso3(codes)
    m = _FILE.search(path.name)
    edition = f"20{m['ed']}" if m and m["ed"] else "FIGARO"
    meta = base_meta(path, "FIGARO", edition, currency="EUR", unit="millions",
                     price_basis="basic prices, current",
                     year=year or year_from_name(path.name.replace(f"_{m['ed']}ed", "")
                                                 if m and m["ed"] else path.name),
                     dataset_name=f"{NAME}-{edition}" if m and m["ed"] else NAME,
                     original_country_codes=",".join(codes), rest_of_world=rest,
                     layout="flat" if flat else "matrix")
    return RawTable(Z=Z, Y=Y, countries=countries, sectors=sectors, fd_categories=cats,
                    V=V, va_rows=[r.split("_", 1)[1] for r in va] or None, meta=meta)


def year_of(name: str) -> int | None:
    """The table year in a FIGARO file name (the edition ``_23ed`` is not a year).

    >>> year_of("matrix_eu-ic-io_ind-by-ind_23ed_2020.csv")
    2020
    """
    return year_from_name(re.sub(r"_\d\ded", "", name))


def sniff(path: Path) -> bool:
    """A FIGARO file name, or a first line starting ``rowLabels`` or with flat columns."""
    if _FILE.search(path.name):
        return True
    first = first_line(path)
    return first.startswith(("rowLabels", '"rowLabels"')) or all(c in first
                                                                  for c in FLAT_COLUMNS)


register(SourceReader(NAME, "Eurostat FIGARO industry-by-industry CSV (matrix and flat)",
                      (".csv",), parse, sniff, pattern=_FILE, year_of=year_of))
