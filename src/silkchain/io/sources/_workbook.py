"""Excel helpers shared by the WIOD and ADB MRIO readers (the WIOD workbook layout).

The WIOD 2013 and 2016 releases and ADB MRIO (built on WIOD's layout) share
one sheet layout: six header rows, then one row per industry. Columns A-D of
a data row hold the sector code, the sector name, the country code and the
row code (``r1`` ..); header row 5 (0-based 4) holds the column countries
and header row 6 (0-based 5) the column codes (``c1`` .. for industries,
release-specific codes for final demand and total output). Rows after the
industries hold the total of intermediate inputs, value-added and
adjustment rows, and gross output.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from silkchain.errors import ParserError
from silkchain.io.sources._base import RawTable, check_unique, country_sector_grid, to_numeric

_ROW_CODE = re.compile(r"^r(\d+)$")


def read_grid(path: Path, sheet: str | int | None = None) -> tuple[pd.DataFrame, str]:
    """The first (or named) sheet of a workbook as a grid of objects, and its name."""
    engine = None
    try:
        import python_calamine  # noqa: F401

        engine = "calamine"
    except ImportError:
        engine = "pyxlsb" if path.suffix.lower() == ".xlsb" else "openpyxl"
    try:
        book = pd.read_excel(path, sheet_name=None if sheet is None else sheet, header=None,
                             engine=engine)
    except ImportError as err:
        raise ParserError(f"{path.name}: reading Excel files needs an optional package "
                          f"({err}); pip install 'silkchain[io]'") from None
    except Exception as err:  # engines raise their own types for broken files
        raise ParserError(f"{path.name}: not a readable workbook ({type(err).__name__}: "
                          f"{err})") from None
    if isinstance(book, dict):
        if not book:
            raise ParserError(f"{path.name}: the workbook has no sheets")
        sheet_name, grid = next(iter(book.items()))
    else:
        sheet_name, grid = str(sheet), book
    return grid, f"{path.name}[{sheet_name}]"


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def parse_wiod_layout(
    grid: pd.DataFrame,
    name: str,
    *,
    fd_codes: Mapping[str, str],
    output_codes: Sequence[str],
    skip_rows: Sequence[str] = ("II_fob", "III"),
    output_rows: Sequence[str] = ("GO",),
) -> RawTable:
    """Parse the WIOD sheet layout; ``fd_codes`` maps column codes to category names."""
    cells = grid.map(_text).to_numpy() if hasattr(grid, "map") else grid.applymap(_text)
    code_row = next((i for i in range(min(12, len(cells)))
                     if any(re.fullmatch(r"c\d+", v) for v in cells[i, 4:])), None)
    if code_row is None:
        raise ParserError(f"{name}: no header row with column codes c1, c2, ... in the first "
                          "12 rows; expected the WIOD layout (codes in row 6 from column E)")
    col_codes = list(cells[code_row, 4:])
    col_countries = list(cells[code_row - 1, 4:])
    first = code_row + 1
    ind_rows, other_rows = [], []
    for i in range(first, len(cells)):
        code, label, country, rcode = cells[i, :4]
        if not any(cells[i, :4]):
            continue
        if _ROW_CODE.match(rcode) and country and country.upper() != "TOT":
            if other_rows:
                raise ParserError(f"{name}: industry row {i + 1} ({country} {code}) comes "
                                  "after the total rows; expected all industries first")
            ind_rows.append(i)
        else:
            other_rows.append(i)
    if not ind_rows:
        raise ParserError(f"{name}: no industry rows (country in column C, r1.. in column D) "
                          f"below header row {code_row + 1}")
    pairs = [(cells[i, 2], cells[i, 0]) for i in ind_rows]
    check_unique([f"{c}_{s}" for c, s in pairs], name, "row")
    countries, sectors = country_sector_grid(pairs, name)
    N = len(sectors)
    ind_codes = {f"c{k + 1}" for k in range(N)}
    col_pairs = []
    ind_cols, fd_cols, out_cols, unknown = [], [], [], []
    for j, (cc, code) in enumerate(zip(col_countries, col_codes, strict=True)):
        if not code:
            continue
        if code in ind_codes and cc.upper() != "TOT":
            ind_cols.append(j)
            col_pairs.append((cc, sectors[int(code[1:]) - 1]))
        elif code in fd_codes:
            fd_cols.append(j)
        elif code in output_codes or cells[code_row - 3, 4 + j] in output_codes:
            out_cols.append(j)
        else:
            unknown.append(f"{code} (column {j + 5})")
    if unknown:
        raise ParserError(f"{name}: unknown column code(s) {', '.join(unknown[:8])}; expected "
                          f"c1..c{N} for industries, {', '.join(fd_codes)} for final demand or "
                          f"{', '.join(output_codes)} for output")
    if col_pairs != pairs:
        raise ParserError(f"{name}: the {len(col_pairs)} industry columns do not match the "
                          f"{len(pairs)} industry rows (countries and sectors must be in the "
                          "same order)")
    data = cells[:, 4:]
    rows_lab = [f"{cells[i, 2]}_{cells[i, 0]}" for i in range(len(cells))]
    cols_lab = [f"{a}_{b}" for a, b in zip(col_countries, col_codes, strict=True)]
    values = to_numeric(np.where(data == "", "0", data)[np.ix_(ind_rows, ind_cols + fd_cols)],
                        name, [rows_lab[i] for i in ind_rows],
                        [cols_lab[j] for j in ind_cols + fd_cols])
    Z = values[:, : len(ind_cols)]
    notes: list[str] = []
    categories: list[str] = []
    for j in fd_cols:
        cat = fd_codes[col_codes[j]]
        if cat not in categories:
            categories.append(cat)
    if fd_cols:
        fd_pairs = [(col_countries[j], fd_codes[col_codes[j]]) for j in fd_cols]
        from silkchain.io.sources._base import pick_columns

        Y = values[:, len(ind_cols):][:, pick_columns(fd_pairs, countries, categories, name)]
    else:
        Y = np.zeros((len(ind_rows), len(countries)))
        categories = ["FD"]
        notes.append(f"{name}: no final-demand columns ({', '.join(fd_codes)}); final demand "
                     "set to zero, so the rows cannot balance")
    va_rows, va_idx, x = [], [], None
    for i in other_rows:
        code, label = cells[i, 0], cells[i, 1]
        if code in skip_rows or label.lower().startswith("total intermediate"):
            continue
        row = to_numeric(np.where(data[i, ind_cols] == "", "0", data[i, ind_cols])[None, :],
                         name, [rows_lab[i]], [cols_lab[j] for j in ind_cols])[0]
        if code in output_rows:
            x = row
        else:
            va_rows.append(code or label)
            va_idx.append(row)
    if x is None and out_cols:
        x = to_numeric(data[np.ix_(ind_rows, out_cols[:1])], name,
                       [rows_lab[i] for i in ind_rows], [cols_lab[out_cols[0]]])[:, 0]
    V = np.array(va_idx) if va_idx else None
    names = [cells[i, 1] for i in ind_rows[:N]]
    return RawTable(Z=Z, Y=Y, countries=countries, sectors=[f"c{k + 1}" for k in range(N)],
                    fd_categories=categories, x=x, V=V, va_rows=va_rows or None,
                    sector_names=names, sector_codes=sectors, notes=notes)
