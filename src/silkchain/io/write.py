"""Writing tidy results to CSV, Parquet or Excel: in slices, atomically, within Excel's limits.

:func:`write_frame` writes a tidy frame by the path's suffix. Large frames are written
slice by slice (:data:`CHUNK_ROWS` rows at a time), so that the Arrow copy of the data
is never built for the whole frame at once: Parquet through one
``pyarrow.parquet.ParquetWriter`` (one row group per slice), CSV by appending slices.
An Excel sheet holds at most :data:`EXCEL_MAX_ROWS` rows, its header included;
:func:`check_excel_rows` refuses a larger result with a message that says what to do,
and :func:`estimate_rows` lets a command refuse *before* computing for minutes, from
the table's shape alone.

>>> estimate_rows(G=190, N=26, columns=("exporter", "sector", "importer"), terms=15)
14004900
>>> try:
...     check_excel_rows("bm.xlsx", 14004900, what="Borin-Mancini bilateral x sector")
... except OutputError as err:
...     print(err)
bm.xlsx: Borin-Mancini bilateral x sector has 14,004,900 rows; an Excel sheet holds
at most 1,048,575 rows below its header. Write .parquet or .csv instead (same
columns), or choose a coarser level.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

import pandas as pd

from silkchain.errors import SilkchainError
from silkchain.io.atomic import atomic_path

#: Rows of an Excel worksheet, the header row included (Excel 2007 and later).
EXCEL_MAX_ROWS = 1_048_576
#: Output formats by suffix.
SUFFIXES = (".csv", ".parquet", ".xlsx")
#: Rows written at a time.
CHUNK_ROWS = 1_000_000
#: Key columns whose size is the number of countries (one per country of the table).
COUNTRY_COLUMNS = frozenset({"country", "exporter", "source", "origin", "region",
                             "source_country"})
#: Key columns of a partner country; own-country pairs are usually left out, so they
#: count ``G - 1`` (the estimate stays a lower bound).
PARTNER_COLUMNS = frozenset({"partner", "importer", "destination", "absorber"})
#: Key columns of a sector.
SECTOR_COLUMNS = frozenset({"sector", "industry", "source_sector"})


class OutputError(SilkchainError, ValueError):
    """An output file cannot be written as asked (unknown format, too large for Excel)."""


def output_suffix(path: str | os.PathLike[str]) -> str:
    """The output format of ``path`` (``.csv``, ``.parquet`` or ``.xlsx``), checked.

    >>> output_suffix("out.PARQUET")
    '.parquet'
    """
    suffix = Path(path).suffix.lower()
    if suffix not in SUFFIXES:
        raise OutputError(f"{Path(path).name}: unsupported output suffix {suffix!r}; use "
                          f"{', '.join(SUFFIXES)}")
    return suffix


def estimate_rows(G: int, N: int, columns: Iterable[str], terms: int | Sequence[str] = 1,
                  years: int = 1) -> int:
    """A lower bound on the rows of a tidy result, from the table's shape.

    ``columns`` are the result's key columns (``exporter, sector, importer``);
    country columns count ``G``, partner columns ``G - 1``, sector columns ``N``,
    any other key column 1; times the number of ``terms`` and ``years``.

    >>> estimate_rows(41, 35, ["exporter", "importer"], ["DVA", "FVA"], years=17)
    55760
    """
    rows = max(int(years), 1) * (terms if isinstance(terms, int) else len(terms))
    for col in columns:
        if col in COUNTRY_COLUMNS:
            rows *= G
        elif col in PARTNER_COLUMNS:
            rows *= max(G - 1, 1)
        elif col in SECTOR_COLUMNS:
            rows *= N
    return rows


def check_excel_rows(path: str | os.PathLike[str], rows: int, what: str = "the result", *,
                     estimated: bool = False) -> None:
    """Refuse an ``.xlsx`` output of more rows than a worksheet holds (other formats pass).

    ``estimated``: ``rows`` is a lower bound from :func:`estimate_rows`, checked before
    computing (the message says "would have at least").

    >>> check_excel_rows("small.xlsx", 1000)
    >>> check_excel_rows("big.parquet", 10**8)
    """
    if Path(path).suffix.lower() != ".xlsx" or rows + 1 <= EXCEL_MAX_ROWS:
        return
    has = "would have at least" if estimated else "has"
    raise OutputError(
        f"{Path(path).name}: {what} {has} {rows:,} rows; an Excel sheet holds at most "
        f"{EXCEL_MAX_ROWS - 1:,} rows below its header. Write .parquet or .csv instead "
        "(same columns), or choose a coarser level.")


def write_frame(frame: pd.DataFrame, path: str | os.PathLike[str], sheet: str = "data",
                *, chunk_rows: int = CHUNK_ROWS) -> Path:
    """Write a tidy ``frame`` as CSV, Parquet or Excel by ``path``'s suffix, atomically.

    The file appears complete or not at all (a temporary file beside it is renamed).
    Parquet and CSV are written ``chunk_rows`` rows at a time; Excel refuses a frame
    larger than a worksheet (:func:`check_excel_rows`) before writing anything.

    Raises
    ------
    OutputError
        Unknown suffix, or too many rows for Excel.
    ImportError
        pyarrow (Parquet) or an Excel writer is not installed.
    """
    path = Path(path)
    suffix = output_suffix(path)
    if suffix == ".xlsx":
        check_excel_rows(path, len(frame))
    with atomic_path(path, suffix=suffix) as tmp:
        if suffix == ".parquet":
            _write_parquet(frame, tmp, chunk_rows)
        elif suffix == ".csv":
            _write_csv(frame, tmp, chunk_rows)
        else:
            _write_excel(frame, tmp, sheet)
    return path


def _write_parquet(frame: pd.DataFrame, path: Path, chunk_rows: int) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    # positions only (the index is not written): no copy of the frame
    if len(frame) <= chunk_rows:
        pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), path)
        return
    first = pa.Table.from_pandas(frame.iloc[:chunk_rows], preserve_index=False)
    with pq.ParquetWriter(path, first.schema) as writer:
        writer.write_table(first)
        del first
        for start in range(chunk_rows, len(frame), chunk_rows):
            part = frame.iloc[start:start + chunk_rows]
            writer.write_table(pa.Table.from_pandas(part, schema=writer.schema,
                                                    preserve_index=False))


def _write_excel(frame: pd.DataFrame, path: Path, sheet: str) -> None:
    try:
        import xlsxwriter  # noqa: F401
    except ImportError as err:  # pragma: no cover - depends on the environment
        raise ImportError("an .xlsx output needs xlsxwriter: pip install 'silkchain[io]'"
                          ) from err
    from silkchain.io.xlsx import write_sheets

    write_sheets({sheet[:31]: frame.reset_index(drop=True)}, str(path))


def _write_csv(frame: pd.DataFrame, path: Path, chunk_rows: int) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        for start in range(0, max(len(frame), 1), chunk_rows):
            frame.iloc[start:start + chunk_rows].to_csv(fh, index=False, header=start == 0)
