"""silkchain's generic matrix layout for user-built tables (CSV or Excel).

The layout (``docs/formats/generic.md``), two header lines and two label columns::

    country,sector,AAA,AAA,BBB,BBB,AAA,BBB,TOTAL
    ,,s1,s2,s1,s2,HH,HH,x
    AAA,s1,10,5,3,1,20,2,41
    ...
    VA,labour,...
    VA,capital,...

* Industry rows: ``country, sector`` in country-major order (every country
  has the same sectors in the same order).
* Industry columns: the same ``(country, sector)`` pairs in the same order.
* Final-demand columns: ``(destination country, category)``, the same
  categories for every country.
* An optional column ``TOTAL, x``: published gross output (kept with
  ``x_policy="published"``; otherwise compared with the row totals).
* Optional value-added rows: first cell ``VA``, second the row's name; when
  absent value added is the residual ``x - u'Z``.

Excel files use the same grid on their first sheet (or ``sheet=``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

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
    to_numeric,
    year_from_name,
)

NAME = "generic"
SUFFIXES = (".csv", ".xlsx", ".xls")


def _grid(path: Path, sheet: str | None) -> tuple[np.ndarray, str]:
    if path.suffix.lower() == ".csv":
        frame = read_delimited(path, path.name, header=None, index_col=None,
                               expect_min_cols=1)
        return frame.to_numpy(dtype=object), path.name
    from silkchain.io.sources._workbook import _text, read_grid

    grid, name = read_grid(path, sheet)
    return grid.map(_text).to_numpy(dtype=object), name


def parse(path: Path, *, year: int | None = None, sheet: str | None = None,
          **_: Any) -> RawTable:
    """Parse a table in the generic layout into a :class:`RawTable`."""
    cells, name = _grid(path, sheet)
    cells = np.vectorize(lambda v: str(v).strip())(cells) if cells.size else cells
    if cells.shape[0] < 3 or cells.shape[1] < 3 or [c.lower() for c in cells[0, :2]] != [
            "country", "sector"]:
        first = ",".join(cells[0, :4]) if cells.size else ""
        raise ParserError(f"{name}: expected the generic layout: first line starting "
                          f"'country,sector', a second header line, then data (found "
                          f"{first!r}; is the delimiter ','?)")
    body = cells[2:]
    va_mask = body[:, 0] == "VA"
    ind_rows = [i for i in range(len(body)) if not va_mask[i] and (body[i, 0] or body[i, 1])]
    if any(va_mask[: max(ind_rows, default=0)]):
        raise ParserError(f"{name}: value-added rows (first cell 'VA') must follow all "
                          "industry rows")
    pairs = [(body[i, 0], body[i, 1]) for i in ind_rows]
    check_unique([f"{c}/{s}" for c, s in pairs], name, "row")
    countries, sectors = country_sector_grid(pairs, name)
    col_pairs = [(cells[0, j], cells[1, j]) for j in range(2, cells.shape[1])]
    check_unique([f"{c}/{s}" for c, s in col_pairs], name, "column")
    ind_set = set(pairs)
    z_cols = [j for j, p in enumerate(col_pairs) if p in ind_set]
    if [col_pairs[j] for j in z_cols] != pairs:
        missing = [f"{c}/{s}" for c, s in pairs if (c, s) not in set(col_pairs)]
        raise ParserError(f"{name}: industry columns do not match the {len(pairs)} industry "
                          f"rows; missing column(s): {', '.join(missing[:8]) or '(order differs)'}")
    x_cols = [j for j, p in enumerate(col_pairs) if p[0].upper() == "TOTAL"]
    fd_cols = [j for j in range(len(col_pairs)) if j not in z_cols and j not in x_cols]
    unknown = [f"{col_pairs[j][0]}/{col_pairs[j][1]} (column {j + 3})" for j in fd_cols
               if col_pairs[j][0] not in countries]
    if unknown:
        raise ParserError(f"{name}: column(s) {', '.join(unknown[:6])} name no country of the "
                          f"rows ({', '.join(countries)}) nor TOTAL")
    if not fd_cols:
        raise ParserError(f"{name}: no final-demand columns; expected (country, category) "
                          "columns after the industry columns")
    cats = list(dict.fromkeys(col_pairs[j][1] for j in fd_cols))
    fd_sel = [fd_cols[k] for k in pick_columns([col_pairs[j] for j in fd_cols], countries,
                                               cats, name)]
    row_lab = [f"{body[i, 0]}/{body[i, 1]}" for i in range(len(body))]
    col_lab = [f"{c}/{s}" for c, s in col_pairs]
    data = body[:, 2:]
    if data.shape[1] != len(col_pairs):
        raise ParserError(f"{name}: data rows have {data.shape[1]} cells, expected "
                          f"{len(col_pairs)}")
    sel = z_cols + fd_sel + x_cols[:1]
    vals = to_numeric(data[np.ix_(ind_rows, sel)], name, [row_lab[i] for i in ind_rows],
                      [col_lab[j] for j in sel])
    nz = len(z_cols)
    va_idx = list(np.flatnonzero(va_mask))
    V = to_numeric(data[np.ix_(va_idx, z_cols)], name, [row_lab[i] for i in va_idx],
                   [col_lab[j] for j in z_cols]) if va_idx else None
    meta = base_meta(path, "generic", "user", year=year or year_from_name(path.name),
                     dataset_name=f"{NAME}-{path.stem}".replace(" ", "_"))
    if x_cols:
        meta["x_policy"] = "rows"
    return RawTable(Z=vals[:, :nz], Y=vals[:, nz: nz + len(fd_sel)], countries=countries,
                    sectors=sectors, fd_categories=cats,
                    x=vals[:, -1] if x_cols else None, V=V,
                    va_rows=[body[i, 1] for i in va_idx] or None, meta=meta)


def sniff(path: Path) -> bool:
    """A first line starting with ``country,sector``."""
    if path.suffix.lower() == ".csv":
        first = first_line(path).lower()
        return first.replace('"', "").startswith("country,sector")
    cells, _ = _grid(path, None)
    return cells.size > 1 and [str(c).lower() for c in cells[0, :2]] == ["country", "sector"]


register(SourceReader(NAME, "silkchain's generic CSV/Excel matrix (docs/formats/generic.md)",
                      SUFFIXES, parse, sniff))
