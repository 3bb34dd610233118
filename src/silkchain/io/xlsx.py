"""Fast ``.xlsx`` workbooks: xlsxwriter lays the workbook out, the data rows are written in bulk.

A report workbook holds hundreds of thousands of rows; writing them cell by cell
(``DataFrame.to_excel``) costs about 10 µs a cell, half a minute for a 26-year
report. Here xlsxwriter writes everything but the data rows -- README sheet,
headers, formats, column widths, frozen panes, autofilters, links -- into an
in-memory workbook, with one marker row per data sheet whose cells carry each
column's style. :func:`fill_rows` then copies that workbook and puts every data
row in place of the marker row, built column by column from the frame (numbers
as their shortest exact decimal, text once per distinct value in the shared
strings table), a slice of rows at a time.

What a cell holds: finite floats and integers are numbers (every float64
exactly), booleans are booleans, ``NaN``/``None`` are empty cells, ``±inf`` are
the text ``inf``/``-inf`` (as ``to_excel`` writes them), and everything else is
its text (``str``), never a formula. Text longer than Excel's 32,767 characters
is refused (:class:`ValueError` naming the sheet, row and column).

Examples
--------
>>> import io, pandas as pd, xlsxwriter
>>> frame = pd.DataFrame({"country": ["CHN", "IND"], "value": [0.1, 2.5]})
>>> buf = io.BytesIO()
>>> book = xlsxwriter.Workbook(buf, {"in_memory": True})
>>> sheet = book.add_worksheet("data")
>>> header_and_marker(sheet, frame)
>>> book.close()
>>> out = io.BytesIO()
>>> fill_rows(buf, out, {"data": frame})
>>> pd.read_excel(out).equals(frame)
True
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from collections.abc import Iterator, Mapping
from typing import IO, Any

import numpy as np
import pandas as pd

#: Excel's largest text in a cell.
MAX_TEXT = 32_767
#: Rows built and written at a time.
SLICE_ROWS = 100_000

_XML_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_LITERAL_ESCAPE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")


def column_letter(j: int) -> str:
    """Excel's name of the 0-based column ``j``.

    >>> column_letter(0), column_letter(25), column_letter(26), column_letter(16383)
    ('A', 'Z', 'AA', 'XFD')
    """
    name = ""
    j += 1
    while j:
        j, rem = divmod(j - 1, 26)
        name = chr(65 + rem) + name
    return name


def escape_text(text: str) -> str:
    """``text`` as the content of an OOXML ``<t>`` element.

    XML's special characters are escaped; control characters XML cannot carry
    become Excel's ``_xHHHH_`` escapes, and a literal ``_xHHHH_`` is protected.

    >>> escape_text("R&D <core> _x0041_ \\x01")
    'R&amp;D &lt;core&gt; _x005F_x0041_ _x0001_'
    """
    text = _LITERAL_ESCAPE.sub(r"_x005F_\1", text)
    text = _CONTROL.sub(lambda m: f"_x{ord(m.group()):04X}_", text)
    return text.translate(_XML_ESCAPES)


def header_and_marker(sheet: Any, frame: pd.DataFrame, header_format: Any = None) -> None:
    """Write ``frame``'s header row and, when it has rows, the marker row :func:`fill_rows`
    replaces (one cell per column, styled by the column's format from ``set_column``;
    call that first)."""
    for j, col in enumerate(frame.columns):
        sheet.write_string(0, j, str(col), header_format)
    if len(frame):
        for j in range(len(frame.columns)):
            sheet.write_number(1, j, 0)


class _Strings:
    """The workbook's shared strings table: its own entries, then the data's new ones."""

    def __init__(self, xml: str) -> None:
        m = re.search(r"<sst\b[^>]*>", xml)
        if m is None:
            raise ValueError("the workbook's shared strings table has no <sst> element")
        end = xml.rindex("</sst>")
        self.head, self.body = xml[:m.start()], xml[m.end():end]
        self.existing = self.body.count("<si>") + self.body.count("<si ")
        counted = re.search(r'\bcount="(\d+)"', m.group())
        self.count = int(counted.group(1)) if counted else self.existing
        self.index: dict[str, int] = {}
        self.added: list[str] = []

    def indices(self, texts: list[str]) -> list[int]:
        """Index of each text in the table (new texts appended)."""
        out = []
        for text in texts:
            k = self.index.get(text)
            if k is None:
                k = self.index[text] = self.existing + len(self.added)
                space = ' xml:space="preserve"' if text != text.strip() or "\n" in text else ""
                self.added.append(f"<si><t{space}>{escape_text(text)}</t></si>")
            out.append(k)
        return out

    def xml(self) -> str:
        unique = self.existing + len(self.added)
        return (f'{self.head}<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
                f'2006/main" count="{self.count}" uniqueCount="{unique}">{self.body}'
                f'{"".join(self.added)}</sst>')


def _cell_suffixes(values: pd.Series, style: str, strings: _Strings, sheet: str,
                   column: str, first_row: int) -> list[str]:
    """For each value of a column, its cell XML after ``<c r="A2"``; '' for an empty cell."""
    dtype = values.dtype
    if pd.api.types.is_bool_dtype(dtype):
        arr = values.to_numpy(dtype=bool)
        return [f'{style} t="b"><v>{int(b)}</v></c>' for b in arr.tolist()]
    if pd.api.types.is_integer_dtype(dtype) and not isinstance(dtype, pd.CategoricalDtype):
        if values.isna().any():  # nullable integers
            return [("" if v is pd.NA else f"{style}><v>{int(v)}</v></c>")
                    for v in values.tolist()]
        return [f"{style}><v>{v}</v></c>" for v in values.to_numpy().tolist()]
    if pd.api.types.is_float_dtype(dtype) and not isinstance(dtype, pd.CategoricalDtype):
        out = []
        for v in values.to_numpy(dtype=float).tolist():
            if v != v:
                out.append("")
            elif v in (math.inf, -math.inf):
                out.append(f'{style} t="s"><v>{strings.indices([repr(v)])[0]}</v></c>')
            else:
                out.append(f"{style}><v>{v!r}</v></c>")
        return out
    # text, categorical and mixed columns: one cell template per distinct value
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    templates = [_one_cell(u, style, strings, sheet, column, first_row, codes, k)
                 for k, u in enumerate(uniques.tolist()
                                       if hasattr(uniques, "tolist") else list(uniques))]
    templates.append("")  # code -1: missing
    return [templates[c] for c in codes.tolist()]


def _one_cell(value: Any, style: str, strings: _Strings, sheet: str, column: str,
              first_row: int, codes: np.ndarray, k: int) -> str:
    if isinstance(value, (bool, np.bool_)):
        return f'{style} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, np.integer)):
        return f"{style}><v>{int(value)}</v></c>"
    if isinstance(value, (float, np.floating)):
        v = float(value)
        if v != v:
            return ""
        if math.isfinite(v):
            return f"{style}><v>{v!r}</v></c>"
        value = repr(v)
    text = value if isinstance(value, str) else str(value)
    if len(text) > MAX_TEXT:
        row = first_row + int(np.flatnonzero(codes == k)[0]) + 1
        raise ValueError(f"sheet {sheet!r}, row {row}, column {column!r}: a text of "
                         f"{len(text):,} characters; an Excel cell holds at most {MAX_TEXT:,}")
    return f'{style} t="s"><v>{strings.indices([text])[0]}</v></c>'


def _sheet_rows(frame: pd.DataFrame, styles: list[str], strings: _Strings, sheet: str
                ) -> Iterator[str]:
    """The data rows of ``frame`` (rows 2..n+1) as XML, a slice at a time."""
    letters = [column_letter(j) for j in range(len(frame.columns))]
    for start in range(0, len(frame), SLICE_ROWS):
        part = frame.iloc[start:start + SLICE_ROWS]
        rows = [str(r) for r in range(start + 2, start + 2 + len(part))]
        columns: list[list[str]] = []
        for j, col in enumerate(frame.columns):
            suffix = _cell_suffixes(part.iloc[:, j], styles[j], strings, sheet, str(col),
                                    start + 1)
            head = f'<c r="{letters[j]}'
            columns.append([(f'{head}{r}"{s}' if s else "")
                            for r, s in zip(rows, suffix, strict=True)])
        yield "".join(f'<row r="{r}">{"".join(cells)}</row>'
                      for r, *cells in zip(rows, *columns, strict=True))


_SHEET_REL = re.compile(r'<sheet\b[^>]*?name="([^"]*)"[^>]*?r:id="([^"]*)"')
_REL = re.compile(r'<Relationship\b[^>]*?Id="([^"]*)"[^>]*?Target="([^"]*)"')
_REL_ALT = re.compile(r'<Relationship\b[^>]*?Target="([^"]*)"[^>]*?Id="([^"]*)"')


def _unescape_attr(text: str) -> str:
    return (text.replace("&quot;", '"').replace("&apos;", "'").replace("&lt;", "<")
            .replace("&gt;", ">").replace("&amp;", "&"))


def _sheet_paths(book: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its part's path in the package."""
    workbook = book.read("xl/workbook.xml").decode()
    rels = book.read("xl/_rels/workbook.xml.rels").decode()
    targets = {i: t for i, t in _REL.findall(rels)}
    targets.update({i: t for t, i in _REL_ALT.findall(rels)})
    out = {}
    for name, rid in _SHEET_REL.findall(workbook):
        target = targets[rid]
        out[_unescape_attr(name)] = (target.lstrip("/") if target.startswith("/")
                                     else "xl/" + target)
    return out


def fill_rows(source: IO[bytes] | str, target: IO[bytes] | str,
              frames: Mapping[str, pd.DataFrame], *, compresslevel: int = 1) -> None:
    """Copy the workbook ``source`` to ``target`` with each frame's rows in its sheet.

    ``source`` was written by xlsxwriter with :func:`header_and_marker` on each sheet of
    ``frames``; every other part is copied unchanged.
    """
    if hasattr(source, "seek"):
        source.seek(0)
    with zipfile.ZipFile(source) as book:
        paths = _sheet_paths(book)
        missing = [name for name in frames if name not in paths]
        if missing:
            raise ValueError(f"the workbook has no sheet named {', '.join(missing)}")
        parts = {paths[name]: name for name in frames}
        if "xl/sharedStrings.xml" not in book.namelist():
            raise ValueError("the workbook has no shared strings table; write the headers "
                             "with header_and_marker first")
        strings = _Strings(book.read("xl/sharedStrings.xml").decode())
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED,
                             compresslevel=compresslevel) as out:
            for info in book.infolist():
                if info.filename == "xl/sharedStrings.xml":
                    continue  # written last, once every text is known
                data = book.read(info.filename)
                name = parts.get(info.filename)
                if name is None:
                    out.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED,
                                 compresslevel=compresslevel)
                    continue
                _write_sheet(out, info.filename, data.decode(), frames[name], strings, name)
            out.writestr("xl/sharedStrings.xml", strings.xml().encode())


def _write_sheet(out: zipfile.ZipFile, part: str, xml: str, frame: pd.DataFrame,
                 strings: _Strings, name: str) -> None:
    ncols = len(frame.columns)
    last = f"{column_letter(max(ncols, 1) - 1)}{len(frame) + 1}"
    xml = re.sub(r'<dimension ref="[^"]*"/>', f'<dimension ref="A1:{last}"/>', xml, count=1)
    marker = re.search(r'<row r="2"[^>]*>(.*?)</row>', xml, flags=re.S)
    if len(frame) == 0:
        if marker is not None:
            xml = xml[:marker.start()] + xml[marker.end():]
        out.writestr(part, xml.encode())
        return
    if marker is None:
        raise ValueError(f"sheet {name!r} has no marker row; write it with header_and_marker")
    found = dict(re.findall(r'<c r="([A-Z]+)2"((?: s="\d+")?)', marker.group(1)))
    styles = [found.get(column_letter(j), "") for j in range(ncols)]
    with out.open(part, "w", force_zip64=True) as fh:
        fh.write(xml[:marker.start()].encode())
        for chunk in _sheet_rows(frame, styles, strings, name):
            strings.count += chunk.count(' t="s">')  # text is in the table, not here
            fh.write(chunk.encode())
        fh.write(xml[marker.end():].encode())


def write_sheets(frames: Mapping[str, pd.DataFrame], target: IO[bytes] | str) -> None:
    """Write each frame to its own sheet of a new workbook at ``target`` (a path or buffer):
    a bold header row, frozen, with an autofilter; numbers in Excel's general format.

    >>> import io
    >>> out = io.BytesIO()
    >>> write_sheets({"data": pd.DataFrame({"a": [1.5, 2.0]})}, out)
    >>> pd.read_excel(out)["a"].tolist()
    [1.5, 2.0]
    """
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    bold = book.add_format({"bold": True})
    for name, frame in frames.items():
        ws = book.add_worksheet(name)
        for j, col in enumerate(frame.columns):
            sample = frame[col].head(200).astype(str)
            ws.set_column(j, j, min(max([len(str(col)), *(len(s) for s in sample)]) + 2, 40))
        header_and_marker(ws, frame, bold)
        ws.freeze_panes(1, 0)
        if len(frame.columns):
            ws.autofilter(0, 0, max(len(frame), 1), len(frame.columns) - 1)
    book.close()
    fill_rows(buffer, target, frames)
