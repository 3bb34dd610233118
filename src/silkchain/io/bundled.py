"""The bundled WIOD 2013 release (1995-2011), shipped inside the package.

Dataset ids ``wiod2013:1995`` ... ``wiod2013:2011``. Countries are given ISO3
codes (WIOD's ``ROM`` becomes ``ROU``; ``RoW`` is kept as the rest of the
world). Cells are rounded to whole millions, so tables are read with
``rounding=1.0`` and ``x_policy="rows"`` (see ``docs/table.md``).

Citation: Timmer, Dietzenbacher, Los, Stehrer & de Vries (2015), "An
Illustrated User Guide to the World Input-Output Database: the Case of Global
Automotive Production", *Review of International Economics* 23: 575-605.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from silkchain.errors import DatasetNotFoundError
from silkchain.io.npz import read_npz, sha256_file
from silkchain.table import MRIOTable

NAME = "wiod2013"
YEARS = tuple(range(1995, 2012))
CITATION = (
    "Timmer, M. P., Dietzenbacher, E., Los, B., Stehrer, R. & de Vries, G. J. (2015). "
    "An Illustrated User Guide to the World Input-Output Database: the Case of Global "
    "Automotive Production. Review of International Economics 23: 575-605."
)
#: WIOD 2013 country codes that differ from ISO 3166-1 alpha-3.
WIOD_TO_ISO3 = {"ROM": "ROU"}


def data_dir() -> Path:
    """Folder holding the bundled ``wiot_YYYY.npz`` files."""
    return Path(str(resources.files("silkchain.data") / "wiod2013"))


def path_for(year: int) -> Path:
    """Path of the bundled file for ``year``."""
    if year not in YEARS:
        raise DatasetNotFoundError(
            f"wiod2013 has no year {year}; available: {YEARS[0]}-{YEARS[-1]}"
        )
    return data_dir() / f"wiot_{year}.npz"


@lru_cache(maxsize=4)
def load(year: int) -> MRIOTable:
    """The bundled WIOD 2013 table of ``year`` (cached; tables are immutable)."""
    return load_with(year)


def load_with(year: int, **options: Any) -> MRIOTable:
    """The bundled table of ``year`` read with reader options (e.g. ``x_policy="published"``).

    The bundled labels (ISO3 codes), metadata and ``rounding=1.0`` are kept
    unless an option overrides them.
    """
    path = path_for(year)
    meta = {
        "dataset": f"{NAME}:{year}",
        "source": "WIOD",
        "release": "2013",
        "currency": "USD",
        "unit": "millions",
        "price_basis": "basic prices, current",
        "citation": CITATION,
    }
    meta.update(options.pop("meta", None) or {})
    options.setdefault("rounding", 1.0)
    options.setdefault("country_map", WIOD_TO_ISO3)
    return read_npz(path, meta=meta, **options)


def checksum(year: int) -> str:
    """sha256 of the bundled file for ``year``."""
    return sha256_file(path_for(year))
