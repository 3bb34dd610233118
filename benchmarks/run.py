"""Run every benchmark of docs/performance.md, one after the other (``make bench``).

Run from the repository root::

    python benchmarks/run.py                       # all, WIOD size first, then real size
    python benchmarks/run.py --only bm wwz panel   # some of them
    python benchmarks/run.py --list

Each benchmark runs in its own process, so that one's memory and BLAS threads do not
colour the next; its output is printed as it comes, with the load average before and
after. Figures are worth recording from a quiet machine only (check the load average).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

#: name -> the script and its arguments, in the order they run.
BENCHMARKS: dict[str, list[str]] = {
    "bm": ["bench_bm.py"],
    "wwz": ["bench_wwz.py"],
    "panel": ["bench_panel.py"],
    "workbook": ["bench_workbook.py"],
    "dashboard": ["bench_dashboard_load.py"],
    "import": ["bench_import.py", "--multi", "--eora"],
    "store": ["bench_store.py"],
    "scale": ["bench_scale.py"],
    "report": ["bench_report.py"],
    "report-panel": ["bench_report.py", "--panel-years", "26", "--only-panel"],
    "dashboard-cache": ["bench_dashboard_cache.py"],  # after "report" fills its store
}


def load() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", nargs="+", choices=list(BENCHMARKS), metavar="NAME")
    parser.add_argument("--list", action="store_true", help="list the benchmarks and stop")
    args = parser.parse_args()
    if args.list:
        for name, cmd in BENCHMARKS.items():
            print(f"{name:<14} python benchmarks/{' '.join(cmd)}")
        return
    failed = []
    for name in args.only or list(BENCHMARKS):
        cmd = [sys.executable, str(HERE / BENCHMARKS[name][0]), *BENCHMARKS[name][1:]]
        print(f"=== {name}: {' '.join(BENCHMARKS[name])} (load {load()})", flush=True)
        t0 = time.perf_counter()
        code = subprocess.run(cmd, cwd=HERE.parent).returncode
        print(f"=== {name}: {time.perf_counter() - t0:.0f} s, exit {code} (load {load()})",
              flush=True)
        if code:
            failed.append(name)
    if failed:
        sys.exit(f"failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
