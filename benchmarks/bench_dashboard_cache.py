"""Benchmark: a dashboard measure over a whole panel, first computed, then after a restart.

Run from the repository root::

    python benchmarks/bench_dashboard_cache.py      # the 26-year OECD store of bench_report
    python benchmarks/bench_dashboard_cache.py --dataset wiod2013 --store /tmp/any-store

The store defaults to the one ``benchmarks/bench_report.py`` fills (26 synthetic OECD
ICIO-size years; run that first). The dashboard's cached results are removed, then
``silkchain serve`` is started and ``GET /api/measure`` asks for Borin-Mancini over every
year (the first answer computes each year); the server is stopped and started again and
the same request is timed: the store's cache, keyed by each table's stored version,
answers it. Figures depend on the machine's load, which is printed.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_dashboard_load import _get
from synthetic import load_average


def timed_request(env: dict[str, str], query: dict[str, str]) -> tuple[int, float]:
    """Start ``silkchain serve``, time one ``/api/measure`` request, stop the server."""
    proc = subprocess.Popen([sys.executable, "-m", "silkchain", "serve", "--port", "0"],
                            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
                            env=env)
    try:
        line = proc.stderr.readline() if proc.stderr else ""
        found = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if not found:
            raise RuntimeError(f"the server did not print its address: {line!r}")
        url = (f"http://127.0.0.1:{found.group(1)}/api/measure?"
               + urllib.parse.urlencode(query))
        return _get(url, timeout=900.0)
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--store", type=Path, default=Path("/tmp/silkchain-bench-oecd/store"))
    parser.add_argument("--dataset", default="oecd-icio-2023")
    parser.add_argument("--start", default="1995")
    parser.add_argument("--end", default="2020")
    parser.add_argument("--measure", default="bm")
    args = parser.parse_args()
    env = {**os.environ, "SILKCHAIN_HOME": str(args.store)}
    for path in (args.store / "frames").glob("dashboard-*.parquet"):
        path.unlink()  # the dashboard's own cached results: computed again
    query = {"dataset": args.dataset, "measure": args.measure, "countries": "CHN,IND",
             "start": args.start, "end": args.end}
    print(f"silkchain dashboard cache benchmark: {args.dataset} {args.start}-{args.end}, "
          f"{args.measure}; load {load_average()}", flush=True)
    for label in ("first request (computes every year)", "after a restart (store cache)"):
        status, seconds = timed_request(env, query)
        print(f"  {label:<40} {seconds:8.2f} s (HTTP {status})", flush=True)
    print(f"load average at the end: {load_average()}")


if __name__ == "__main__":
    main()
