"""Write the frames behind a report to one Excel workbook (xlsxwriter and silkchain.io.xlsx).

The first sheet, ``README``, says what the workbook is, lists every sheet with a
one-line description, and repeats the sources and caveats; each further sheet is
one tidy frame with a frozen header row and an autofilter.
"""

from __future__ import annotations

import io
import os
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from silkchain.io.atomic import atomic_path
from silkchain.io.xlsx import fill_rows, header_and_marker
from silkchain.report.document import Report, sheet_name

#: Excel's row limit, less the header.
MAX_ROWS = 1_048_575
_UMASK_LOCK = threading.Lock()


def umask_mode() -> int:
    """The mode a new file gets under the process umask (0o644 under umask 022).

    >>> umask_mode() & 0o600
    384
    """
    with _UMASK_LOCK:
        mask = os.umask(0o022)
        os.umask(mask)
    return 0o666 & ~mask


def described(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with ``unit`` and ``definition`` columns after ``value`` (one per row, from
    its ``measure``), for frames in the tidy layout; others are returned unchanged.

    >>> f = pd.DataFrame({"country": ["CHN"], "measure": ["DVA_share"], "value": [0.66]})
    >>> described(f).columns.tolist()
    ['country', 'measure', 'value', 'unit', 'definition']
    >>> described(f)["unit"].iloc[0]
    'fraction of 1'
    """
    from silkchain.report.glossary import definition_of, unit_of

    if "measure" not in frame.columns or "unit" in frame.columns:
        return frame
    names = frame["measure"].astype(str)
    known = {m: (unit_of(m), definition_of(m)) for m in names.unique()}
    out = frame.copy()
    at = list(out.columns).index("value") + 1 if "value" in out.columns else len(out.columns)
    out.insert(at, "unit", names.map(lambda m: known[m][0]))
    out.insert(at + 1, "definition", names.map(lambda m: known[m][1]))
    return out


def number_format(values: pd.Series) -> str:
    """An Excel number format for a numeric column, from its largest magnitude.

    >>> number_format(pd.Series([12345.6])), number_format(pd.Series([0.123]))
    ('#,##0', '0.0000')
    """
    arr = pd.to_numeric(values, errors="coerce").abs()
    big = float(arr.max()) if arr.notna().any() else 0.0
    return "#,##0" if big >= 1000 else "#,##0.0" if big >= 10 else "0.0000"


def write_workbook(
    frames: Mapping[str, pd.DataFrame],
    path: str | os.PathLike[str],
    *,
    title: str = "silkchain results",
    meta: Mapping[str, str] | None = None,
    notes: Mapping[str, str] | None = None,
    sources: Sequence[str] = (),
    caveats: Sequence[str] = (),
) -> Path:
    """Write ``frames`` (sheet name -> tidy frame) and a README sheet to ``path``.

    Raises
    ------
    ValueError
        If a frame has more rows than an Excel sheet holds, or two frames map to
        the same sheet name.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pd.DataFrame({"country": ["CHN", "IND"], "value": [1.5, 2.0]})
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = write_workbook({"dva": f}, pathlib.Path(d) / "r.xlsx")
    ...     pd.read_excel(p, sheet_name=None).keys()
    dict_keys(['README', 'dva'])
    """
    try:
        import xlsxwriter
    except ImportError as err:  # pragma: no cover - depends on the environment
        raise ImportError("the workbook needs xlsxwriter: pip install 'silkchain[report]'"
                          ) from err
    notes = dict(notes or {})
    named: dict[str, pd.DataFrame] = {}
    for name, frame in frames.items():
        sheet = sheet_name(name)
        if sheet in named or sheet == "README":
            raise ValueError(f"two frames map to the sheet name {sheet!r}; rename one")
        if len(frame) > MAX_ROWS:
            raise ValueError(f"frame {name!r} has {len(frame):,} rows; an Excel sheet holds "
                             f"{MAX_ROWS:,}; write it as CSV or Parquet instead")
        named[sheet] = described(frame)
    buffer = io.BytesIO()  # the layout, with a marker row per sheet (silkchain.io.xlsx)
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    bold = book.add_format({"bold": True})
    header = book.add_format({"bold": True, "bottom": 1})
    head = book.add_format({"bold": True, "font_size": 14})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    readme = book.add_worksheet("README")
    readme.set_column(0, 0, 28)
    readme.set_column(1, 1, 110, wrap)
    row = 0
    readme.write_string(row, 0, title, head)
    row += 2
    for key, value in (meta or {}).items():
        readme.write_string(row, 0, str(key), bold)
        readme.write_string(row, 1, str(value))
        row += 1
    row += 1
    readme.write_string(row, 0, "sheet", bold)
    readme.write_string(row, 1, "contents", bold)
    row += 1
    for sheet, frame in named.items():
        readme.write_url(row, 0, f"internal:'{sheet}'!A1", string=sheet)
        cols = ", ".join(map(str, frame.columns))
        readme.write_string(row, 1, f"{notes.get(sheet, '')} [{len(frame):,} rows; "
                                    f"columns: {cols}]".strip())
        row += 1
    for heading, lines in (("Sources", sources), ("Caveats", caveats)):
        if lines:
            row += 1
            readme.write_string(row, 0, heading, bold)
            for line in lines:
                readme.write_string(row, 1, line)
                row += 1
    for sheet, frame in named.items():
        ws = book.add_worksheet(sheet)
        for j, col in enumerate(frame.columns):
            sample = frame[col].head(200).astype(str)
            width = max([len(str(col)), *(len(s) for s in sample)])
            numeric = pd.api.types.is_float_dtype(frame[col])
            fmt = book.add_format({"num_format": number_format(frame[col])}) \
                if numeric else None
            limit = 60 if col == "definition" else 40
            ws.set_column(j, j, min(max(width + 2, 8), limit), fmt)
        header_and_marker(ws, frame, header)
        ws.freeze_panes(1, 0)
        if len(frame.columns):
            ws.autofilter(0, 0, max(len(frame), 1), len(frame.columns) - 1)
    book.close()
    path = Path(path)
    with atomic_path(path, suffix=".xlsx") as tmp:
        fill_rows(buffer, str(tmp), named)
    path.chmod(umask_mode())  # like any file the user creates (mkstemp makes 0600)
    return path


def write_report_workbook(report: Report, path: str | os.PathLike[str]) -> Path:
    """Write every frame of ``report`` with its notes, sources and caveats."""
    return write_workbook(report.frames, path, title=report.title, meta=report.meta,
                          notes=report.frame_notes, sources=report.sources,
                          caveats=report.caveats)
