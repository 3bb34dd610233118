"""Benchmark: a 17-year WIOD panel on Dask against the same panel run sequentially, and the report.

Run from the repository root::

    python benchmarks/bench_panel.py            # --years 1995-2011 --no-report to skip the report

Both panel runs compute Borin-Mancini (country level) and WWYZ participation for every year,
with the cache off, in the same process: first sequentially (``scheduler="sync"``, the
baseline), then on a fresh local Dask cluster (2 workers, 1 thread each, cluster start-up
included). The ratio is printed. Then the full Belt and Road report is built cold (empty
store, cache on as ``make demo`` uses it) and its wall time printed. Figures go into
docs/performance.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--years", default="1995-2011")
    parser.add_argument("--no-report", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # workers must not fight over cores
    home = tempfile.mkdtemp(prefix="silkchain-bench-")
    os.environ["SILKCHAIN_HOME"] = home  # an empty store: nothing cached beforehand

    from silkchain.panel import panel

    measures = ["bm", "wwyz"]
    t0 = time.perf_counter()
    seq = panel("wiod2013", measures, years=args.years, scheduler="sync", cache=False)
    t_seq = time.perf_counter() - t0
    t0 = time.perf_counter()
    par = panel("wiod2013", measures, years=args.years, cache=False)
    t_par = time.perf_counter() - t0
    assert len(seq) == len(par), "the two runs disagree in size"
    print(f"silkchain panel benchmark: wiod2013 {args.years}, measures {measures}, "
          f"{platform.machine()}, {os.cpu_count()} cores")
    print(f"  sequential (baseline)           {t_seq:7.1f} s   ({len(seq):,} rows)")
    print(f"  local Dask cluster (2 workers)  {t_par:7.1f} s   (cluster start included)")
    print(f"  ratio sequential / Dask         {t_seq / t_par:7.2f}x")
    if not args.no_report:
        from silkchain.report import build_report

        out = tempfile.mkdtemp(prefix="silkchain-report-")
        os.environ["SILKCHAIN_HOME"] = tempfile.mkdtemp(prefix="silkchain-store-")  # empty
        for label in ("cold store", "warm (cached)"):
            t0 = time.perf_counter()
            build_report("wiod2013", group="bri64", output=out, years=args.years)
            print(f"  report, {label:<24}{time.perf_counter() - t0:7.1f} s")


if __name__ == "__main__":
    main()
