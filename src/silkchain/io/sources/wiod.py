"""World Input-Output Database: the 2016 and 2013 releases and the Long-run WIOD.

* **WIOD 2016** (``WIOT2014_Nov16_ROW.xlsb`` / ``.xlsx``): 43 countries + ROW,
  56 sectors (``A01`` .. ``U``), final demand ``c57`` .. ``c61`` (CONS_h,
  CONS_np, CONS_g, GFCF, INVEN), total output ``c62`` (``GO``); rows after the
  industries: ``II_fob``, TXSP, EXP_adj, PURR, PURNR, VA, IntTTM, GO.
* **WIOD 2013** (``wiot11_row_apr12.xlsx``): 40 countries + RoW, 35 sectors
  (``AtB`` .. ``P``), final demand ``c37, c38, c39, c41, c42``, output ``c62``.
  Both share the workbook layout described in :mod:`._workbook`; sectors are
  named ``c1`` .. ``cN`` as in the bundled WIOD 2013 tables, with the
  release's codes in ``labels.sector_codes``.
* **Long-run WIOD** (a sheet per year, e.g. ``2000``): 26 regions x 23
  sectors; row 3 names the block (Intermediate consumption, Final demand,
  Total demand), row 4 the region (given once per block), row 5 the sector
  or final-demand category; data from row 7, labels in columns A (sector) and
  C (region, given once per block); value-added and adjustment rows, then
  ``Total gross production``. ``NDL`` is kept as published (the Netherlands).

The 2016 cut in ``tests/data/layout_samples`` lacks final demand and carries
value-added rows of the full table: it parses, and validation reports its
imbalance (:meth:`RawTable.problems`, or a ``BalanceError`` from ``read``).

References
----------
.. [1] Timmer, M. P., Dietzenbacher, E., Los, B., Stehrer, R. & de Vries, G. J.
   (2015). An Illustrated User Guide to the World Input-Output Database: the
   Case of Global Automotive Production. *Review of International Economics* 23: 575-605.
.. [2] Woltjer, P., Gouma, R. & Timmer, M. P. (2021). Long-run World Input-Output
   Database: Version 1.1 Sources and Methods. GGDC Research Memorandum 190.
"""

from __future__ import annotations

import re
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
    to_numeric,
    year_from_name,
)
from silkchain.io.sources._workbook import _text, parse_wiod_layout, read_grid

NAME = "wiod"
FD_2016 = {"c57": "CONS_h", "c58": "CONS_np", "c59": "CONS_g", "c60": "GFCF", "c61": "INVEN"}
FD_2013 = {"c37": "CONS_h", "c38": "CONS_np", "c39": "CONS_g", "c41": "GFCF", "c42": "INVEN"}
_2016 = re.compile(r"WIOT(?P<year>\d{4})_.*Nov16", re.IGNORECASE)
_2013 = re.compile(r"wiot(?P<yy>\d\d)_row_", re.IGNORECASE)
_LR = re.compile(r"lrwiod|long[-_ ]?run", re.IGNORECASE)


def _year_2013(name: str) -> int | None:
    m = _2013.search(name)
    return (1900 + int(m["yy"]) if int(m["yy"]) > 50 else 2000 + int(m["yy"])) if m else None


def parse(path: Path, *, year: int | None = None, sheet: str | None = None,
          **_: Any) -> RawTable:
    """Parse a WIOD 2016, WIOD 2013 or Long-run WIOD workbook."""
    grid, name = read_grid(path, sheet)
    head = " ".join(_text(v) for v in grid.iloc[:4, :8].to_numpy().ravel())
    if _LR.search(path.name) or "Intermediate consumption" in head:
        raw = _parse_long_run(grid, name)
        release, rel_name = "long-run", "lrwiod"
        year = year or year_from_name(name) or year_from_name(path.name)
    else:
        codes = {_text(v) for v in grid.iloc[:12].to_numpy().ravel()}
        is2016 = "c57" in codes or bool(_2016.search(path.name)) or "A01" in codes
        fd = FD_2016 if is2016 else FD_2013
        raw = parse_wiod_layout(grid, name, fd_codes=fd, output_codes=("c62", "GO"))
        release, rel_name = ("2016", "wiod-2016") if is2016 else ("2013", "wiod-2013")
        m = _2016.search(path.name)
        year = year or (int(m["year"]) if m else _year_2013(path.name)) \
            or year_from_name(name.split("[", 1)[1])
    raw.meta = base_meta(path, "WIOD", release, currency="USD", unit="millions",
                         price_basis="basic prices, current", year=year,
                         dataset_name=rel_name)
    raw.meta["x_policy"] = "published" if raw.notes else "rows"
    return raw


def _parse_long_run(grid: Any, name: str) -> RawTable:
    cells = grid.map(_text).to_numpy()
    block = _ffill(cells[2])
    region = _ffill(cells[3])
    z_cols = [j for j in range(4, cells.shape[1]) if block[j] == "Intermediate consumption"]
    fd_cols = [j for j in range(4, cells.shape[1]) if block[j] == "Final demand"]
    if not z_cols or not fd_cols:
        raise ParserError(f"{name}: expected the blocks 'Intermediate consumption' and 'Final "
                          "demand' in row 3 (Long-run WIOD layout)")
    rows = [i for i in range(6, len(cells)) if cells[i, 3]]
    row_region = _ffill(cells[:, 2])
    pairs = [(row_region[i], cells[i, 0]) for i in rows]
    check_unique([f"{c}_{s}" for c, s in pairs], name, "row")
    countries, sectors = country_sector_grid(pairs, name)
    col_pairs = [(region[j], cells[4, j]) for j in z_cols]
    if col_pairs != pairs:
        raise ParserError(f"{name}: the {len(z_cols)} intermediate-use columns do not match "
                          f"the {len(rows)} industry rows")
    cats: list[str] = []
    for j in fd_cols:
        if cells[4, j] not in cats:
            cats.append(cells[4, j])
    from silkchain.io.sources._base import pick_columns

    order = pick_columns([(region[j], cells[4, j]) for j in fd_cols], countries, cats, name)
    fd_sel = [fd_cols[k] for k in order]
    lab_r = [f"{row_region[i]}_{cells[i, 0]}" for i in range(len(cells))]
    lab_c = [f"{region[j]}_{cells[4, j]}" for j in range(cells.shape[1])]
    vals = to_numeric(np.where(cells == "", "0", cells)[np.ix_(rows, z_cols + fd_sel)], name,
                      [lab_r[i] for i in rows], [lab_c[j] for j in z_cols + fd_sel])
    Z, Y = vals[:, : len(z_cols)], vals[:, len(z_cols):]
    va_rows, V, x = [], [], None
    for i in range(rows[-1] + 1, len(cells)):
        label = cells[i, 0]
        if not label or label.lower().startswith("total intermediate"):
            continue
        row = to_numeric(np.where(cells[i, z_cols] == "", "0", cells[i, z_cols])[None, :],
                         name, [label], [lab_c[j] for j in z_cols])[0]
        if label.lower().startswith("total gross production"):
            x = row
        else:
            va_rows.append(label)
            V.append(row)
    names = [cells[i, 1] for i in rows[: len(sectors)]]
    return RawTable(Z=Z, Y=Y, countries=countries, sectors=sectors, fd_categories=cats, x=x,
                    V=np.array(V) if V else None, va_rows=va_rows or None, sector_names=names)


def _ffill(values: Any) -> list[str]:
    out, last = [], ""
    for v in values:
        last = v or last
        out.append(last)
    return out


def year_of(name: str) -> int | None:
    """The table year in a WIOD file name (``wiot11_row_apr12`` is 2011).

    >>> year_of("wiot11_row_apr12.xlsx"), year_of("WIOT2014_Nov16_ROW.xlsb")
    (2011, 2014)
    """
    m = _2016.search(name)
    return int(m["year"]) if m else _year_2013(name) or year_from_name(name)


def sniff(path: Path) -> bool:
    """A WIOD file name, or a sheet with WIOD's or Long-run WIOD's header rows."""
    if _2016.search(path.name) or _2013.search(path.name) or _LR.search(path.name):
        return True
    grid, _ = read_grid(path)
    head = {_text(v) for v in grid.iloc[:8].to_numpy().ravel()}
    return ("Intermediate consumption" in head or "c1" in head) and "F1" not in head


register(SourceReader(NAME, "WIOD 2016 (.xlsb/.xlsx), WIOD 2013, Long-run WIOD",
                      (".xlsb", ".xlsx"), parse, sniff,
                      pattern=re.compile(f"{_2016.pattern}|{_2013.pattern}|{_LR.pattern}",
                                         re.IGNORECASE), year_of=year_of))
