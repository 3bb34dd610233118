"""The bulk workbook writer (silkchain.io.xlsx): every value back exactly, styles kept."""

from __future__ import annotations

import io
import zipfile

import numpy as np
import openpyxl
import pandas as pd
import pytest
import xlsxwriter

from silkchain.io import xlsx
from silkchain.report.excel import write_workbook


def _book(frames: dict[str, pd.DataFrame], formats: dict[str, str] | None = None) -> io.BytesIO:
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    book.add_worksheet("README").write_string(0, 0, "about")
    for name, frame in frames.items():
        ws = book.add_worksheet(name)
        for j, col in enumerate(frame.columns):
            fmt = (formats or {}).get(col)
            ws.set_column(j, j, 12, book.add_format({"num_format": fmt}) if fmt else None)
        xlsx.header_and_marker(ws, frame, book.add_format({"bold": True}))
        ws.freeze_panes(1, 0)
        ws.autofilter(0, 0, max(len(frame), 1), max(len(frame.columns) - 1, 0))
    book.close()
    out = io.BytesIO()
    xlsx.fill_rows(buf, out, frames)
    out.seek(0)
    return out


def test_every_float_comes_back_exactly() -> None:
    rng = np.random.default_rng(7)
    values = np.concatenate([rng.normal(size=500) * 10.0 ** rng.integers(-300, 300, 500),
                             [0.0, -0.0, 5e-324, 1.7976931348623157e308, 0.1, 1 / 3, 1e16,
                              123456789012345.67, -2.5]])
    frame = pd.DataFrame({"value": values})
    back = pd.read_excel(_book({"data": frame}), sheet_name="data")
    assert back["value"].to_numpy().tobytes() == values.tobytes() or np.array_equal(
        back["value"].to_numpy(), values)
    np.testing.assert_array_equal(back["value"].to_numpy(), values)


def test_text_numbers_booleans_missing_and_infinity() -> None:
    frame = pd.DataFrame({
        "country": ["CHN", "R&D <core>", " padded ", "line\nbreak", "=SUM(A1)", None,
                    "é中文", "_x0041_"],
        "n": np.arange(8, dtype=np.int64) * 10**12,
        "flag": [True, False] * 4,
        "value": [1.5, np.nan, np.inf, -np.inf, 0.0, 2.0, -1e-9, 3.0],
        "mixed": ["a", 1, 2.5, None, True, "b", np.nan, "c"],
        "cat": pd.Categorical(["x", "y"] * 4),
        "nullable": pd.array([1, None, 3, 4, 5, 6, 7, 8], dtype="Int64"),
    })
    wb = openpyxl.load_workbook(_book({"data": frame}))
    ws = wb["data"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == ["CHN", "R&D <core>", " padded ", "line\nbreak",
                                    "=SUM(A1)", None, "é中文", "_x0041_"]
    assert ws["A6"].data_type == "s"  # text, never a formula
    assert [r[1] for r in rows] == [i * 10**12 for i in range(8)]
    assert [r[2] for r in rows] == [True, False] * 4
    assert [r[3] for r in rows] == [1.5, None, "inf", "-inf", 0, 2, -1e-9, 3]
    assert [r[4] for r in rows] == ["a", 1, 2.5, None, True, "b", None, "c"]
    assert [r[5] for r in rows] == ["x", "y"] * 4
    assert [r[6] for r in rows] == [1, None, 3, 4, 5, 6, 7, 8]
    assert [c.value for c in ws[1]] == list(frame.columns)
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:G9"
    assert ws.max_row == 9


def test_column_styles_are_kept_and_shared_strings_counted() -> None:
    frame = pd.DataFrame({"country": ["CHN", "IND", "CHN"], "value": [1234.5, 2.0, 3.0]})
    out = _book({"data": frame}, {"value": "#,##0"})
    ws = openpyxl.load_workbook(out)["data"]
    assert [ws.cell(r, 2).number_format for r in (2, 3, 4)] == ["#,##0"] * 3
    assert ws.cell(2, 1).number_format == "General"
    assert ws["A1"].font.b
    with zipfile.ZipFile(out) as z:
        sst = z.read("xl/sharedStrings.xml").decode()
        assert z.testzip() is None
    # README's "about", the 2 headers, then CHN and IND once each; 6 references in all
    assert 'count="6"' in sst and 'uniqueCount="5"' in sst


def test_empty_frame_and_several_slices(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xlsx, "SLICE_ROWS", 7)
    big = pd.DataFrame({"i": np.arange(50), "s": [f"s{i % 3}" for i in range(50)]})
    empty = pd.DataFrame({"a": pd.Series(dtype=float)})
    out = _book({"big": big, "empty": empty})
    got = pd.read_excel(out, sheet_name=None)
    pd.testing.assert_frame_equal(got["big"], big)
    assert list(got["empty"].columns) == ["a"] and got["empty"].empty


def test_too_long_text_names_sheet_row_and_column() -> None:
    frame = pd.DataFrame({"note": ["short", "x" * (xlsx.MAX_TEXT + 1)]})
    with pytest.raises(ValueError, match=r"sheet 'data', row 3, column 'note': a text of "
                                         r"32,768 characters"):
        _book({"data": frame})


def test_report_workbook_round_trip(tmp_path) -> None:
    frames = {"value_capture": pd.DataFrame({
        "year": [2011] * 3, "country": ["CHN", "IND", "TUR"], "measure": ["DVA_share"] * 3,
        "value": [0.8, 0.75, np.nan]})}
    path = write_workbook(frames, tmp_path / "r.xlsx", meta={"source": "wiod2013"},
                          notes={"value_capture": "Answer 1"}, caveats=["a caveat"])
    got = pd.read_excel(path, sheet_name=None)
    assert list(got) == ["README", "value_capture"]
    sheet = got["value_capture"]
    assert list(sheet.columns) == ["year", "country", "measure", "value", "unit", "definition"]
    np.testing.assert_array_equal(sheet["value"].to_numpy(), [0.8, 0.75, np.nan])
    assert sheet["unit"].tolist() == ["fraction of 1"] * 3
    ws = openpyxl.load_workbook(path)["README"]
    links = [c.hyperlink.location for row in ws.iter_rows() for c in row if c.hyperlink]
    assert links == ["'value_capture'!A1"]


def test_control_characters_use_excels_escapes() -> None:
    out = _book({"data": pd.DataFrame({"a": ["x\x01y", "tab\there", "_x0041_"]})})
    with zipfile.ZipFile(out) as z:
        sst = z.read("xl/sharedStrings.xml").decode()
    assert "<t>x_x0001_y</t>" in sst and "<t>tab\there</t>" in sst
    assert "<t>_x005F_x0041_</t>" in sst  # a literal escape is protected, as Excel does


def test_a_workbook_not_laid_out_for_the_rows_is_refused() -> None:
    frame = pd.DataFrame({"a": [1.0]})

    def book(header: bool, text: bool) -> io.BytesIO:
        buf = io.BytesIO()
        wb = xlsxwriter.Workbook(buf, {"in_memory": True})
        ws = wb.add_worksheet("data")
        if header:
            xlsx.header_and_marker(ws, frame)
        elif text:
            ws.write_string(0, 0, "a")
        else:
            ws.write_number(0, 0, 1)
        wb.close()
        return buf

    with pytest.raises(ValueError, match=r"^the workbook has no sheet named other$"):
        xlsx.fill_rows(book(True, True), io.BytesIO(), {"other": frame})
    with pytest.raises(ValueError, match=r"^sheet 'data' has no marker row; write it with "
                                         r"header_and_marker$"):
        xlsx.fill_rows(book(False, True), io.BytesIO(), {"data": frame})
    with pytest.raises(ValueError, match=r"^the workbook has no shared strings table"):
        xlsx.fill_rows(book(False, False), io.BytesIO(), {"data": frame})
