"""Tidy outputs: Parquet and CSV written in slices, Excel refused beyond a worksheet's rows."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from silkchain.aggregation import aggregate_regions
from silkchain.io import bundled, write
from silkchain.io.write import OutputError, check_excel_rows, estimate_rows, write_frame
from silkchain.measures.borin_mancini import bm


def tidy_frame(rows: int = 25) -> pd.DataFrame:
    rng = np.random.default_rng(7)
    values = rng.normal(size=rows)
    values[3] = np.nan
    return pd.DataFrame({
        "exporter": np.array(["CHN", "DEU", "USA", "IND", "ROW"])[np.arange(rows) % 5],
        "sector": pd.Categorical(np.array(["c1", "c2"])[np.arange(rows) % 2]),
        "term": "DVA", "year": 2011, "value": values})


def test_parquet_in_slices_reads_back_equal(tmp_path):
    frame = tidy_frame()
    path = write_frame(frame, tmp_path / "out.parquet", chunk_rows=7)
    assert pq.ParquetFile(path).num_row_groups == 4       # 25 rows in slices of 7
    pd.testing.assert_frame_equal(pd.read_parquet(path), frame)


def test_csv_in_slices_is_the_same_text_as_one_write(tmp_path):
    frame = tidy_frame()
    path = write_frame(frame, tmp_path / "out.csv", chunk_rows=4)
    assert path.read_text() == frame.to_csv(index=False)
    empty = write_frame(frame.iloc[:0], tmp_path / "empty.csv")
    assert empty.read_text() == "exporter,sector,term,year,value\n"


def test_excel_refuses_a_result_larger_than_a_sheet_and_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(write, "EXCEL_MAX_ROWS", 11)     # a 10-row sheet, for the test
    frame = tidy_frame(11)
    with pytest.raises(OutputError, match=r"big.xlsx: the result has 11 rows; an Excel sheet "
                                          r"holds at most 10 rows below its header\. Write "
                                          r"\.parquet or \.csv instead"):
        write_frame(frame, tmp_path / "big.xlsx")
    assert not list(tmp_path.iterdir())
    write_frame(frame.iloc[:10], tmp_path / "fits.xlsx")
    assert len(pd.read_excel(tmp_path / "fits.xlsx")) == 10


def test_real_excel_limit_and_other_formats():
    check_excel_rows("ok.xlsx", 1_048_575)               # the header makes 1,048,576
    with pytest.raises(OutputError, match="1,048,576 rows"):
        check_excel_rows("no.xlsx", 1_048_576)
    check_excel_rows("big.parquet", 10**9)
    with pytest.raises(OutputError, match=r"out.txt: unsupported output suffix '\.txt'"):
        write_frame(tidy_frame(), "out.txt")


def test_estimate_is_exact_for_bilateral_decompositions():
    t = aggregate_regions(bundled.load(2011), {c: "RoW" for c in bundled.load(2011).labels.
                                               countries if c not in ("CHN", "DEU", "USA")})
    f = bm(t, level="bilateral")
    keys = [c for c in f.columns if c not in ("term", "value")]
    assert estimate_rows(t.G, t.N, keys, f["term"].nunique()) == len(f)
    g = bm(t, level="country")
    assert estimate_rows(t.G, t.N, ["exporter"], g["term"].nunique()) == len(g)


def test_commands_refuse_excel_before_computing(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    import silkchain.measures.decompose
    import silkchain.panel
    from silkchain.cli.app import build_app

    def never(*args, **kwargs):
        raise AssertionError("computed although the output cannot be written")

    monkeypatch.setattr(silkchain.measures.decompose, "decompose", never)
    monkeypatch.setattr(silkchain.panel, "panel", never)
    monkeypatch.setattr(write, "EXCEL_MAX_ROWS", 100_001)
    out = tmp_path / "bm.xlsx"
    runs = {
        "at least 861,000 rows": ["decompose", "wiod2013:2011", "--method", "bm", "--level",
                                  "bilateral", "-o", str(out)],
        "at least 1,722,000 rows": ["panel", "wiod2013", "-m", "bm_bilateral", "--years",
                                    "2010-2011", "-o", str(out)],
    }
    for rows, args in runs.items():
        result = CliRunner().invoke(build_app(), args)
        assert result.exit_code == 1, result.output
        text = " ".join(result.output.split())
        assert "bm.xlsx: " in text and rows in text and "holds at most 100,000 rows" in text
        assert "Traceback" not in text and not out.exists()


def test_row_estimates_are_lower_bounds_for_every_decomposition():
    from silkchain.measures.catalogue import of_kind

    t = aggregate_regions(bundled.load(2011), {c: "RoW" for c in bundled.load(2011).labels.
                                               countries if c not in ("CHN", "USA")})
    for name, m in of_kind("decomposition").items():
        for level in m.levels:
            rows = len(m.compute(t, level))
            assert estimate_rows(t.G, t.N, m.columns[level], len(m.terms)) <= rows, (name, level)
