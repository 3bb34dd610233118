"""The tidy layout's helpers: year and unit stamps, reasons for undefined values."""

from __future__ import annotations

import numpy as np
import pandas as pd

from silkchain.measures.tidy import (
    COUNTRY_NO_EXPORTS,
    NO_EXPORTS,
    ZERO_DENOMINATOR,
    explain_undefined,
    stamp,
)


def test_reasons_name_what_is_missing() -> None:
    f = pd.DataFrame({"exporter": ["A", "B", "C", "C"], "term": ["r", "r", "r", "E"],
                      "value": [0.5, np.nan, np.nan, 0.0]})
    g, note = explain_undefined(f, {"A": 2.0, "B": 1.0, "C": 0.0}, country="exporter")
    assert g["reason"].tolist() == ["", ZERO_DENOMINATOR, COUNTRY_NO_EXPORTS.format(
        country="C"), ""]
    assert note == ("note: 2 values are undefined (r): a share or ratio has a zero "
                    "denominator; see the reason column")
    g, note = explain_undefined(f, {"A": 0.0, "B": 0.0, "C": 0.0}, country="exporter")
    assert set(g.loc[g["value"].isna(), "reason"]) == {NO_EXPORTS}
    same, none = explain_undefined(f.fillna(1.0), {"A": 0.0})
    assert none is None and "reason" not in same.columns


def test_stamp_keeps_the_columns_and_adds_year_and_unit() -> None:
    f = pd.DataFrame({"source_country": ["A"], "country": ["B"], "term": ["VBE"],
                      "value": [1.0]})
    out = stamp(f, year=None, unit="table currency", currency="EUR millions")
    assert out.columns.tolist() == ["year", "source_country", "country", "term", "value",
                                    "unit"]
    assert out["year"].isna().all() and out["unit"].tolist() == ["EUR millions"]
    kept = stamp(out, year=2011, unit="share")
    assert kept["year"].isna().all() and kept["unit"].tolist() == ["EUR millions"]
