"""Benchmark: the report's workbook writer against ``DataFrame.to_excel``, in the same process.

Run from the repository root::

    python benchmarks/bench_workbook.py            # --rows 340000 --sheets 10 --repeat 3

Builds, from a seed, frames shaped like the report's (``year, country, sector, partner,
measure, value``; a 26-year OECD ICIO report holds about 340,000 rows in 13 sheets), then
writes them with :func:`silkchain.report.excel.write_workbook` (xlsxwriter lays out the
workbook, :mod:`silkchain.io.xlsx` writes the rows) and, as the baseline, with pandas'
``to_excel`` through xlsxwriter (the same frames with the same ``unit`` and ``definition``
columns). Prints both times (best of ``--repeat``), the ratio, and whether the two
workbooks hold the same cells (every value read back; the baseline's numbers carry 16
significant digits, so they are compared to a relative 1e-15).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from synthetic import load_average

from silkchain.report.excel import described, write_workbook

MEASURES = ("DVA_share", "gvc_forward", "gvc_backward", "upstreamness", "VAX_ratio")


def frames(rows: int, sheets: int, seed: int) -> dict[str, pd.DataFrame]:
    """``sheets`` tidy frames of ``rows`` rows in all."""
    rng = np.random.default_rng(seed)
    countries = [f"C{i:02d}" for i in range(77)]
    sectors = [f"D{i:02d}" for i in range(45)] + ["_T"]
    out = {}
    for k in range(sheets):
        n = rows // sheets
        out[f"sheet_{k}"] = pd.DataFrame({
            "year": rng.integers(1995, 2021, n),
            "country": np.array(countries, dtype=object)[rng.integers(0, 77, n)],
            "sector": np.array(sectors, dtype=object)[rng.integers(0, 46, n)],
            "partner": np.array(countries, dtype=object)[rng.integers(0, 77, n)],
            "measure": np.array(MEASURES, dtype=object)[rng.integers(0, len(MEASURES), n)],
            "value": rng.lognormal(0, 3, n) * rng.choice([-1, 1], n),
        })
    return out


def baseline(data: dict[str, pd.DataFrame], path: Path) -> None:
    with pd.ExcelWriter(path, engine="xlsxwriter") as writer:
        for name, frame in data.items():
            described(frame).to_excel(writer, sheet_name=name, index=False)


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=340_000)
    parser.add_argument("--sheets", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    data = frames(args.rows, args.sheets, args.seed)
    print(f"silkchain workbook benchmark: {args.rows:,} rows in {args.sheets} sheets; "
          f"load {load_average()}", flush=True)
    with tempfile.TemporaryDirectory() as d:
        ours, theirs = Path(d) / "silkchain.xlsx", Path(d) / "to_excel.xlsx"
        t_ours = best(lambda: write_workbook(data, ours), args.repeat)
        t_base = best(lambda: baseline(data, theirs), args.repeat)
        print(f"  silkchain write_workbook         {t_ours:7.2f} s "
              f"({ours.stat().st_size / 1e6:.1f} MB)")
        print(f"  baseline DataFrame.to_excel      {t_base:7.2f} s "
              f"({theirs.stat().st_size / 1e6:.1f} MB)")
        print(f"  ratio baseline / silkchain       {t_base / t_ours:7.1f}x")
        a = pd.read_excel(ours, sheet_name=None, engine="calamine")
        b = pd.read_excel(theirs, sheet_name=None, engine="calamine")
        same = all(
            a[k].drop(columns="value").equals(b[k].drop(columns="value"))
            and np.allclose(a[k]["value"], b[k]["value"], rtol=1e-15, atol=0)
            and np.array_equal(a[k]["value"].to_numpy(), data[k]["value"].to_numpy())
            for k in data)
        print(f"  same cells (ours exact, baseline to 1e-15): {same}")
    print(f"load average at the end: {load_average()}")


if __name__ == "__main__":
    main()
