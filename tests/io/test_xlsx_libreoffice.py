"""Workbooks open in a real spreadsheet program: LibreOffice Calc, headless (Debian's package).

silkchain writes the data rows of its workbooks itself (silkchain.io.xlsx); this checks
that a spreadsheet program other than the Python readers takes them as meant: every
sheet, every row, text as text (never a formula), numbers as numbers.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from silkchain.io import xlsx
from silkchain.report.excel import write_workbook

SOFFICE = shutil.which("soffice")
pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not "
                                "installed; `make test` installs it")

#: CSV export of every sheet: comma, double quote, UTF-8, full precision, all sheets (-1).
CSV_FILTER = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"


def test_libreoffice_reads_every_sheet_row_and_cell(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xlsx, "SLICE_ROWS", 1000)  # several slices
    rng = np.random.default_rng(3)
    n = 2500
    big = pd.DataFrame({
        "year": np.repeat([2010, 2011], n // 2),
        "country": rng.choice(["CHN", "IND", "R&D <x>", "é中文", "=1+1"], n),
        "value": rng.normal(size=n) * 10.0 ** rng.integers(-8, 12, n),
    })
    odd = pd.DataFrame({"text": [" lead", "a\"quote\"", "tab\there", None, "x"],
                        "flag": [True, False, True, False, True],
                        "value": [np.nan, 0.5, -0.0, np.inf, 123456789.125]})
    path = write_workbook({"big": big, "odd": odd}, tmp_path / "r.xlsx")
    profile = (tmp_path / "profile").as_uri()
    run = subprocess.run([SOFFICE, f"-env:UserInstallation={profile}", "--headless",
                          "--convert-to", CSV_FILTER, "--outdir", str(tmp_path), str(path)],
                         capture_output=True, text=True, timeout=180)
    assert run.returncode == 0, run.stderr
    sheets = {p.stem.removeprefix("r-"): p for p in tmp_path.glob("r-*.csv")}
    assert sorted(sheets) == ["README", "big", "odd"]
    got = pd.read_csv(sheets["big"], keep_default_na=False)
    assert list(got.columns) == ["year", "country", "value"]
    assert got["year"].tolist() == big["year"].tolist()
    assert got["country"].tolist() == big["country"].tolist()  # "=1+1" stays text
    # the CSV export prints at most 15 significant digits and 16 decimal places
    np.testing.assert_allclose(got["value"].astype(float), big["value"], rtol=1e-14,
                               atol=1e-16)
    odd_got = pd.read_csv(sheets["odd"], keep_default_na=False, dtype=str)
    assert odd_got["text"].tolist() == [" lead", "a\"quote\"", "tab\there", "", "x"]
    assert odd_got["flag"].str.upper().tolist() == ["TRUE", "FALSE", "TRUE", "FALSE", "TRUE"]
    assert odd_got["value"].tolist()[0] == "" and odd_got["value"].tolist()[3] == "inf"
    assert float(odd_got["value"][4]) == 123456789.125
