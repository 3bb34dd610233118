"""Pieces shared by the source readers: the parsed-but-unvalidated table and file helpers.

Every reader returns a :class:`RawTable` (arrays and labels as the file gives
them); :meth:`RawTable.to_table` applies silkchain's policies and validates.
Errors in the file itself are :class:`~silkchain.errors.ParserError` naming
the file, the row or column, and what was expected.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from silkchain.errors import IOTableError, ParserError
from silkchain.io.npz import sha256_file
from silkchain.table import MRIOTable, XPolicy


@dataclass
class RawTable:
    """A table as read from a release file, before silkchain's policies and validation.

    ``x`` is the published gross output (or ``None``); ``V`` the value-added
    rows the file gives (``None``: take the residual). ``notes`` holds
    what the reader noticed (dropped rows, merged countries, missing blocks).
    """

    Z: np.ndarray
    Y: np.ndarray
    countries: list[str]
    sectors: list[str]
    fd_categories: list[str]
    x: np.ndarray | None = None
    V: np.ndarray | None = None
    va_rows: list[str] | None = None
    sector_names: list[str] | None = None
    sector_codes: list[str] | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def to_table(self, x_policy: XPolicy | None = None, rtol: float = 1e-6,
                 rounding: float = 0.0) -> MRIOTable:
        """Validate and build the :class:`MRIOTable` (``x_policy``: see ``docs/table.md``)."""
        policy: XPolicy = x_policy or ("published" if self.x is not None and
                                       self.meta.get("x_policy") == "published" else "rows")
        meta = {k: v for k, v in self.meta.items() if k != "x_policy"}
        if self.notes:
            meta["reader_notes"] = list(self.notes)
        try:
            return MRIOTable.from_arrays(
                self.Z, self.Y, self.countries, self.sectors, x=self.x, V=self.V,
                fd_categories=self.fd_categories, va_rows=self.va_rows,
                sector_names=self.sector_names, sector_codes=self.sector_codes, meta=meta,
                x_policy=policy, rtol=rtol, rounding=rounding)
        except IOTableError as err:
            if not self.notes:
                raise
            notes = [f"note: {n}" for n in self.notes]
            raise type(err)("\n".join([*notes, str(err)]), [*notes, *err.problems]) from None

    def problems(self, x_policy: XPolicy | None = None, rtol: float = 1e-6,
                 rounding: float = 0.0) -> list[str]:
        """Every validation problem (empty when the table is valid), reader notes first."""
        try:
            self.to_table(x_policy, rtol, rounding)
        except IOTableError as err:
            return [*self.notes, *err.problems]
        return []

    @property
    def shape(self) -> tuple[int, int, int]:
        """``(G, N, K)``."""
        return len(self.countries), len(self.sectors), len(self.fd_categories)


# ---------------------------------------------------------------------------- files
def base_meta(path: Path, source: str, release: str, **more: Any) -> dict[str, Any]:
    """Metadata every reader records: source, release, file name and sha256."""
    return {"source": source, "release": release, "path": str(path),
            "file": path.name, "sha256": file_digest(path), **more}


def file_digest(path: Path) -> str:
    """sha256 of a file, computed once per file content (size and modification time)."""
    st = Path(path).stat()
    return _digest(str(Path(path).resolve()), st.st_size, st.st_mtime_ns)


@lru_cache(maxsize=64)
def _digest(path: str, size: int, mtime_ns: int) -> str:
    return sha256_file(path)


def year_from_name(name: str) -> int | None:
    """The last plausible 4-digit year (1950-2099) in a file name, else ``None``.

    >>> year_from_name("ICIO2023_2020.csv"), year_from_name("wiot11_row_apr12.xlsx")
    (2020, None)
    """
    years = re.findall(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)", name)
    return int(years[-1]) if years else None


def zip_members(path: Path) -> list[str]:
    """Names of the files in a zip archive; an empty or broken zip is a ParserError."""
    try:
        with zipfile.ZipFile(path) as zf:
            names = [n for n in zf.namelist() if not n.endswith("/")]
    except zipfile.BadZipFile as err:
        raise ParserError(f"{path.name}: not a readable zip archive ({err})") from None
    if not names:
        raise ParserError(f"{path.name}: the zip archive is empty; expected the release's "
                          "data files inside")
    return names


def read_member(path: Path, member: str) -> bytes:
    """Bytes of one member of a zip archive."""
    with zipfile.ZipFile(path) as zf:
        return zf.read(member)


def read_member_head(path: Path, member: str, size: int = 1 << 16) -> bytes:
    """The first ``size`` bytes of one member of a zip archive (without reading the rest)."""
    with zipfile.ZipFile(path) as zf, zf.open(member) as fh:
        return fh.read(size)


def read_delimited(source: Path | bytes, name: str, *, sep: str = ",", header: Any = 0,
                   index_col: Any = 0, expect_min_cols: int = 2) -> pd.DataFrame:
    """Read a delimited text table as strings; a wrong delimiter or truncation is reported."""
    buf = io.BytesIO(source) if isinstance(source, bytes) else source
    try:
        frame = pd.read_csv(buf, sep=sep, header=header, index_col=index_col, dtype=str,
                            keep_default_na=False, low_memory=False, encoding="utf-8-sig")
    except pd.errors.EmptyDataError:
        raise ParserError(f"{name}: the file is empty") from None
    except pd.errors.ParserError as err:
        raise ParserError(f"{name}: rows of unequal length, the file may be truncated or "
                          f"use another delimiter than {sep!r} ({err})") from None
    if frame.shape[1] + (0 if index_col is None else 1) < expect_min_cols:
        other = ";" if sep != ";" else ","
        raise ParserError(
            f"{name}: found {frame.shape[1] + 1} column(s), expected a matrix with at least "
            f"{expect_min_cols}; is the delimiter {sep!r}? (the first line reads "
            f"{_first_line(source)!r}; try the layout's own delimiter, not {other!r})")
    return frame


def first_line(source: Path | bytes) -> str:
    """The first line of a text file or bytes, without byte-order mark or line end."""
    if isinstance(source, bytes):
        head = source[:1 << 20]
    else:
        with open(source, "rb") as fh:
            head = fh.read(1 << 20)
    return head.split(b"\n", 1)[0].rstrip(b"\r").decode("utf-8-sig", "replace")


def read_matrix_csv(source: Path | bytes, name: str
                    ) -> tuple[list[str], list[str], np.ndarray] | None:
    """Fast path for a labelled numeric CSV: row labels, column labels, float64 values.

    The first column holds row labels and the first line column labels (a
    byte-order mark and CRLF line ends are accepted); every other cell must be
    a number. The numbers are parsed straight into one float64 array (pyarrow's
    multi-threaded CSV reader, else pandas' C parser), never through a labelled
    frame of strings. Returns ``None`` when the fast path cannot read the file
    (ragged rows, empty or non-numeric cells); callers then take the slow path,
    which reports each problem by row and column.
    """
    import csv as _csv

    header = next(_csv.reader([first_line(source)]), [])
    cols = [c.strip() for c in header]
    if len(cols) < 3:
        return None
    got = read_numeric_table(source, name, skip_rows=1, label_cols=1, width=len(cols))
    if got is None:
        return None
    labels, values = got
    return labels[0], cols[1:], values


def read_numeric_table(source: Path | bytes, name: str, *, delimiter: str = ",",
                       skip_rows: int = 0, label_cols: int = 0, width: int | None = None
                       ) -> tuple[list[list[str]], np.ndarray] | None:
    """Label columns and a float64 block of a delimited text table, or ``None``.

    ``skip_rows`` header lines are skipped; the first ``label_cols`` columns are
    text, the others numbers (a trailing delimiter at the end of each line is
    allowed). ``None`` means the fast path could not read the table (ragged
    rows, empty or non-numeric cells, or no pyarrow); callers then take their
    slow, labelled path, which names each problem.
    """
    try:
        import pyarrow as pa
        import pyarrow.csv as pacsv
    except ImportError:  # pragma: no cover - pyarrow is in the io extra
        if delimiter != "," or skip_rows != 1 or label_cols != 1 or width is None:
            return None
        return _read_matrix_pandas(source, width)
    head = source[: 1 << 20] if isinstance(source, bytes) else _head(source)
    lines = head.split(b"\n", skip_rows + 1)
    if len(lines) <= skip_rows:
        return None
    sample = lines[skip_rows].rstrip(b"\r").decode("utf-8-sig", "replace").split(delimiter)
    trailing = len(sample) > label_cols + 1 and not sample[-1].strip()
    width = width or len(sample)
    names = [f"f{i}" for i in range(width)]
    types = {n: (pa.string() if i < label_cols or (trailing and i == width - 1)
                 else pa.float64()) for i, n in enumerate(names)}
    try:
        table = pacsv.read_csv(
            pa.BufferReader(source) if isinstance(source, bytes) else str(source),
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=skip_rows,
                                           block_size=1 << 24),
            parse_options=pacsv.ParseOptions(delimiter=delimiter),
            convert_options=pacsv.ConvertOptions(column_types=types,
                                                 strings_can_be_null=True,
                                                 quoted_strings_can_be_null=False))
    except (pa.ArrowInvalid, pa.ArrowTypeError, ValueError):
        return None
    last = width - 1 if trailing else width
    values = np.empty((table.num_rows, last - label_cols))
    for j in range(label_cols, last):
        col = table.column(j)
        if col.null_count:
            return None
        values[:, j - label_cols] = col.to_numpy()
    labels = [["" if v is None else str(v).strip() for v in table.column(j).to_pylist()]
              for j in range(label_cols)]
    return labels, values


def _head(path: Path) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(1 << 20)


def _read_matrix_pandas(source: Path | bytes, width: int
                        ) -> tuple[list[list[str]], np.ndarray] | None:
    buf = io.BytesIO(source) if isinstance(source, bytes) else source
    try:
        frame = pd.read_csv(buf, header=None, skiprows=1, names=range(width),
                            dtype={0: str, **{j: float for j in range(1, width)}},
                            keep_default_na=False, engine="c")
    except (ValueError, pd.errors.ParserError):
        return None
    values = frame.iloc[:, 1:].to_numpy(dtype=float)
    if np.isnan(values).any():
        return None
    return [[str(r).strip() for r in frame[0]]], values


def _first_line(source: Path | bytes) -> str:
    data = source if isinstance(source, bytes) else Path(source).read_bytes()[:400]
    return data.split(b"\n", 1)[0][:80].decode("utf-8", "replace")


def to_numeric(block: pd.DataFrame | np.ndarray, name: str, rows: Sequence[str],
               cols: Sequence[str], *, what: str = "cell") -> np.ndarray:
    """Convert a block of strings or objects to floats; list the first bad cells by label.

    Empty cells count as zero only when the layout says so (callers fill them).
    """
    arr = np.asarray(block, dtype=object)
    flat = pd.to_numeric(pd.Series(arr.ravel()), errors="coerce").to_numpy(dtype=float)
    bad = np.flatnonzero(np.isnan(flat))
    if bad.size:
        ncol = arr.shape[1] if arr.ndim == 2 else 1
        shown = []
        for k in bad[:5]:
            i, j = divmod(int(k), ncol)
            shown.append(f"row {rows[i]!r}, column {cols[j]!r}: {arr.ravel()[k]!r}")
        raise ParserError(f"{name}: {bad.size} non-numeric {what}(s), expected numbers: "
                          + "; ".join(shown) + (" ..." if bad.size > 5 else ""))
    return flat.reshape(arr.shape)


def check_unique(labels: Sequence[str], name: str, axis: str) -> None:
    """Duplicated labels are a ParserError listing them."""
    seen: dict[str, int] = {}
    dups = []
    for i, lab in enumerate(labels):
        if lab in seen:
            dups.append(f"{lab!r} (positions {seen[lab]} and {i})")
        seen.setdefault(lab, i)
    if dups:
        raise ParserError(f"{name}: duplicated {axis} label(s): {', '.join(dups[:10])}; "
                          f"expected each {axis} label once")


def country_sector_grid(pairs: Sequence[tuple[str, str]], name: str, axis: str = "row"
                        ) -> tuple[list[str], list[str]]:
    """Countries and sectors of country-major industry labels; a gap is a ParserError.

    >>> country_sector_grid([("A", "s1"), ("A", "s2"), ("B", "s1"), ("B", "s2")], "f")
    (['A', 'B'], ['s1', 's2'])
    """
    countries: list[str] = []
    for c, _ in pairs:
        if c not in countries:
            countries.append(c)
    first = countries[0] if countries else ""
    sectors = [s for c, s in pairs if c == first]
    N = len(sectors)
    expected = [(c, s) for c in countries for s in sectors]
    if list(pairs) != expected:
        diffs = [k for k, (got, want) in enumerate(zip(pairs, expected, strict=False))
                 if got != want]
        pos = diffs[0] if diffs else min(len(pairs), len(expected))
        got_txt = "_".join(pairs[pos]) if pos < len(pairs) else "(end of labels)"
        want_txt = "_".join(expected[pos]) if pos < len(expected) else "(no more labels)"
        raise ParserError(
            f"{name}: {axis} labels are not a complete country x sector grid: expected "
            f"{N} sector codes per country in the order of {first!r} ({', '.join(sectors[:6])}"
            f"{', ...' if N > 6 else ''}); at {axis} position {pos} found {got_txt!r}, "
            f"expected {want_txt!r}")
    return countries, sectors


def pick_columns(cols: Sequence[tuple[str, str]], countries: Sequence[str],
                 categories: Sequence[str], name: str) -> list[int]:
    """Positions of ``(country, category)`` columns in country-major order; gaps reported."""
    where = {c: i for i, c in enumerate(cols)}
    missing = [f"{c}_{k}" for c in countries for k in categories if (c, k) not in where]
    if missing:
        raise ParserError(f"{name}: missing final-demand column(s) {', '.join(missing[:8])}"
                          f"{' ...' if len(missing) > 8 else ''}; expected {len(categories)} "
                          f"categories ({', '.join(categories)}) for each of "
                          f"{len(countries)} countries")
    return [where[(c, k)] for c in countries for k in categories]
