"""Bad files get a ParserError naming the file, the row or column, and what was expected."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from silkchain.errors import ParserError
from silkchain.io import sources

MOCK = Path(__file__).parents[1] / "data" / "mock"


def _lines(name: str) -> list[str]:
    return (MOCK / name).read_text().splitlines()


def _write(tmp: Path, name: str, lines: list[str]) -> Path:
    path = tmp / name
    path.write_text("\n".join(lines) + "\n")
    return path


def test_truncated_csv(tmp_path: Path) -> None:
    lines = _lines("ICIO2023_2020.csv")
    lines[5] = ",".join(lines[5].split(",")[:7])  # a row cut short
    path = _write(tmp_path, "ICIO2023_2020.csv", lines[:6])
    with pytest.raises(ParserError, match=r"ICIO2023_2020.csv: 7 industry column\(s\) have no "
                                          r"row \(DEU_D05T06, DEU_D10T12, .*\); expected one "
                                          r"row per industry column, is the file truncated\?"):
        sources.read_source(path, "oecd-icio")


def test_wrong_delimiter(tmp_path: Path) -> None:
    lines = [ln.replace(",", ";") for ln in _lines("ICIO2023_2020.csv")]
    path = _write(tmp_path, "ICIO2023_2020.csv", lines)
    with pytest.raises(ParserError, match=r"ICIO2023_2020.csv: found 1 column\(s\), expected a "
                                          r"matrix with at least 3; is the delimiter ','\?"):
        sources.read_source(path)


def test_duplicated_label(tmp_path: Path) -> None:
    lines = _lines("ICIO2023_2020.csv")
    lines[2] = lines[2].replace("CHN_D05T06", "CHN_D01T02", 1)
    path = _write(tmp_path, "ICIO2023_2020.csv", lines)
    with pytest.raises(ParserError, match=r"ICIO2023_2020.csv: duplicated row label\(s\): "
                                          r"'CHN_D01T02' \(positions 0 and 1\)"):
        sources.read_source(path)


def test_unknown_final_demand_label(tmp_path: Path) -> None:
    lines = _lines("ICIO2023_2020.csv")
    lines[0] = lines[0].replace("CHN_NPISH", "CHN_XYZ")
    path = _write(tmp_path, "ICIO2023_2020.csv", lines)
    with pytest.raises(ParserError, match=r"unknown final-demand categor\(y/ies\) XYZ in "
                                          r"column\(s\) CHN_XYZ; expected industries or one of "
                                          r"HFCE"):
        sources.read_source(path)


def test_unknown_row_label(tmp_path: Path) -> None:
    lines = _lines("ICIO2023_2020.csv")
    lines[-1] = lines[-1].replace("OUT", "TOTALS", 1)
    path = _write(tmp_path, "ICIO2023_2020.csv", lines)
    with pytest.raises(ParserError, match=r"row label 'TOTALS' is not COUNTRY_CODE \(like "
                                          r"'AUS_D01T02'\) nor one of TLS"):
        sources.read_source(path)


def test_non_numeric_cell(tmp_path: Path) -> None:
    lines = _lines("generic_toy_2020.csv")
    cells = lines[3].split(",")
    cells[4] = "n/a"
    lines[3] = ",".join(cells)
    path = _write(tmp_path, "toy.csv", lines)
    with pytest.raises(ParserError, match=r"toy.csv: 1 non-numeric cell\(s\), expected numbers: "
                                          r"row 'CHN/s2', column 'CHN/s3': 'n/a'"):
        sources.read_source(path)


def test_mismatched_dimensions_grid(tmp_path: Path) -> None:
    lines = _lines("generic_toy_2020.csv")
    del lines[4]  # CHN/s3 row missing
    path = _write(tmp_path, "toy.csv", lines)
    with pytest.raises(ParserError, match=r"toy.csv: row labels are not a complete country x "
                                          r"sector grid: expected 3 sector codes per country"):
        sources.read_source(path)


def test_mismatched_dimensions_eora(tmp_path: Path) -> None:
    src = zipfile.ZipFile(MOCK / "Eora26_2015_bp.zip")
    path = tmp_path / "Eora26_2015_bp.zip"
    with zipfile.ZipFile(path, "w") as zf:
        for name in src.namelist():
            data = src.read(name)
            if name == "Eora26_2015_bp_FD.txt":
                data = b"\n".join(data.splitlines()[:-2]) + b"\n"
            zf.writestr(name, data)
    with pytest.raises(ParserError, match=r"Eora26_2015_bp.zip/Eora26_2015_bp_FD.txt: has 11 "
                                          r"rows x 24 columns, expected 13 x 24 from the label "
                                          r"files"):
        sources.read_source(path)


def test_empty_zip(tmp_path: Path) -> None:
    path = tmp_path / "Eora26_2015_bp.zip"
    zipfile.ZipFile(path, "w").close()
    with pytest.raises(ParserError, match=r"Eora26_2015_bp.zip: the zip archive is empty; "
                                          r"expected the release's data files inside"):
        sources.read_source(path)


def test_broken_zip(tmp_path: Path) -> None:
    path = tmp_path / "IOT_2020_ixi.zip"
    path.write_bytes((MOCK / "IOT_2020_ixi.zip").read_bytes()[:300])
    with pytest.raises(ParserError, match=r"IOT_2020_ixi.zip: not a readable zip archive"):
        sources.read_source(path)


def test_exiobase_missing_member(tmp_path: Path) -> None:
    path = tmp_path / "IOT_2020_ixi.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("IOT_2020_ixi/Y.txt", "x")
    with pytest.raises(ParserError, match=r"IOT_2020_ixi.zip: expected Z.txt \(or A.txt\), "
                                          r"Y.txt and x.txt in the zip's top folder"):
        sources.read_source(path)


def test_missing_final_demand_columns(tmp_path: Path) -> None:
    rows = [ln.split(",") for ln in _lines("matrix_eu-ic-io_ind-by-ind_23ed_2020.csv")]
    drop = rows[0].index("US_P5M")
    path = _write(tmp_path, "matrix_eu-ic-io_ind-by-ind_23ed_2020.csv",
                  [",".join(r[:drop] + r[drop + 1:]) for r in rows])
    with pytest.raises(ParserError, match=r"missing final-demand column\(s\) US_P5M; expected 5 "
                                          r"categories \(P3_S13, P3_S14, P3_S15, P51G, P5M\) "
                                          r"for each of 3 countries"):
        sources.read_source(path)


def test_flat_duplicated_cell(tmp_path: Path) -> None:
    lines = _lines("flatfile_eu-ic-io_ind-by-ind_23ed_2020.csv")
    path = _write(tmp_path, "flatfile_eu-ic-io_ind-by-ind_23ed_2020.csv", [*lines, lines[1]])
    with pytest.raises(ParserError, match=r"1 duplicated cell\(s\), e.g. row 'CN_A01', column "
                                          r"'CN_A01'; expected each \(row, column\) once"):
        sources.read_source(path)


def test_empty_file(tmp_path: Path) -> None:
    path = _write(tmp_path, "ICIO2023_2020.csv", [])
    with pytest.raises(ParserError, match=r"ICIO2023_2020.csv: the file is empty"):
        sources.read_source(path)


def test_undetectable_file(tmp_path: Path) -> None:
    path = _write(tmp_path, "mystery.csv", ["a,b,c", "1,2,3"])
    with pytest.raises(ParserError, match=r"mystery.csv: could not tell which release this file "
                                          r"belongs to .* name its source when importing "
                                          r"it: `silkchain import mystery.csv --source NAME`"):
        sources.detect_source(path)


def test_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "WIOT2014_Nov16_ROW.xlsx"
    path.write_text("not excel")
    with pytest.raises(ParserError, match=r"WIOT2014_Nov16_ROW.xlsx: not a readable workbook"):
        sources.read_source(path)


def test_wiod_unknown_column_code(tmp_path: Path) -> None:
    import pandas as pd

    grid = pd.read_excel(MOCK / "WIOT2014_Nov16_ROW.xlsx", header=None, engine="calamine")
    grid.iloc[5, 16] = "c99"
    path = tmp_path / "WIOT2014_Nov16_ROW.xlsx"
    grid.to_excel(path, header=False, index=False, sheet_name="2014")
    with pytest.raises(ParserError, match=r"WIOT2014_Nov16_ROW.xlsx\[2014\]: unknown column "
                                          r"code\(s\) c99 \(column 17\); expected c1..c4 for "
                                          r"industries, c57"):
        sources.read_source(path)
