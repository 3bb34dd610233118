"""ADB Multi-Regional Input-Output tables (MRIO), 62-, 72- and 73-economy editions.

ADB MRIO workbooks (``ADB-MRIO-2019_Dec2022.xlsx``, ``ADB-MRIO72-2022.xlsx``,
constant-price files such as ``ADB-MRIO-2019-at-constant-2010-prices.xlsx``)
follow the WIOD 2013 sheet layout (:mod:`._workbook`): six header rows, 35
sectors ``c1`` .. ``c35`` (WIOD 2013's ISIC rev.3 list, codes ``AtB`` ..
``P`` in column A), countries in column C, row codes ``r1`` .. in column D.
Final demand is coded ``F1`` .. ``F5`` per economy (households, NPISH,
government, GFCF, changes in inventories) and total output ``ToT``. The
edition is the number of economies besides the rest of the world (``RoW``);
the price basis is "constant" when the file name or title says so. The year
is the one right after ``ADB-MRIO[NN]-`` in the file name (``..._Dec2022`` is
the publication date). Economies carry ADB's own codes (``PRC`` China, ``INO``
Indonesia, ``VIE`` Viet Nam, ``GER`` Germany, ...); they are converted to ISO3
(:data:`ADB_TO_ISO3`) and the file's codes kept in ``meta["original_country_codes"]``.

References
----------
.. [1] Asian Development Bank (2023). *ADB Multiregional Input-Output Database:
   Sources and Methods*. Manila: ADB.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from silkchain.io.sources import SourceReader, register
from silkchain.io.sources._base import RawTable, base_meta, year_from_name
from silkchain.io.sources._workbook import _text, parse_wiod_layout, read_grid

NAME = "adb-mrio"
FD_CODES = {"F1": "HHFCE", "F2": "NPISH", "F3": "GGFCE", "F4": "GFCF", "F5": "INVNT"}
EDITIONS = (62, 72, 73)
_FILE = re.compile(r"ADB[-_ ]?MRIO", re.IGNORECASE)
_YEAR = re.compile(r"ADB[-_ ]?MRIO(?:\d\d)?[-_ ](?P<year>(?:19|20)\d\d)(?!\d)", re.IGNORECASE)
#: ADB economy codes that are not ISO 3166-1 alpha-3 (ADB MRIO country list).
ADB_TO_ISO3 = {
    "PRC": "CHN", "INO": "IDN", "VIE": "VNM", "MAL": "MYS", "PHI": "PHL", "BAN": "BGD",
    "SRI": "LKA", "NEP": "NPL", "MON": "MNG", "CAM": "KHM", "BRU": "BRN", "BHU": "BTN",
    "MLD": "MDV", "FIJ": "FJI", "TAP": "TWN", "SIN": "SGP", "GER": "DEU", "SWI": "CHE",
    "DEN": "DNK", "SPA": "ESP", "UKG": "GBR", "IRE": "IRL", "NET": "NLD", "POR": "PRT",
    "ROM": "ROU",
}


def parse(path: Path, *, year: int | None = None, sheet: str | None = None,
          **_: Any) -> RawTable:
    """Parse an ADB MRIO workbook into a :class:`RawTable`."""
    grid, name = read_grid(path, sheet)
    raw = parse_wiod_layout(grid, name, fd_codes=FD_CODES, output_codes=("ToT", "GO"),
                            output_rows=("GO", "ToT"))
    title = " ".join(_text(v) for v in grid.iloc[:4, :4].to_numpy().ravel())
    constant = "constant" in path.name.lower() or "constant" in title.lower()
    economies = sum(1 for c in raw.countries if c.upper() != "ROW")
    edition = f"{economies}-economy"
    stem = f"{NAME}-{economies}" if economies in EDITIONS else NAME
    original = list(raw.countries)
    raw.countries = [ADB_TO_ISO3.get(c, c) for c in original]
    raw.meta = base_meta(path, "ADB MRIO", edition, currency="USD", unit="millions",
                         price_basis="basic prices, " + ("constant" if constant else "current"),
                         year=year or year_of(path.name),
                         dataset_name=stem + ("-const" if constant else ""),
                         original_country_codes=",".join(original))
    return raw


def year_of(name: str) -> int | None:
    """The table year in an ADB MRIO file name (not the publication date).

    >>> year_of("ADB-MRIO-2019_Dec2022.xlsx"), year_of("ADB-MRIO72-2021.xlsx")
    (2019, 2021)
    """
    m = _YEAR.search(name)
    return int(m["year"]) if m else year_from_name(name.replace("2010-prices", ""))


def sniff(path: Path) -> bool:
    """An ADB MRIO file name, or WIOD-layout header rows with ``F1`` .. ``F5`` columns."""
    if _FILE.search(path.name):
        return True
    grid, _ = read_grid(path)
    head = {_text(v) for v in grid.iloc[:8].to_numpy().ravel()}
    return "F1" in head and "c1" in head


register(SourceReader(NAME, "ADB MRIO (xlsx; 62, 72, 73 economies; current and constant "
                      "prices)", (".xlsx",), parse, sniff, pattern=_FILE, year_of=year_of))
