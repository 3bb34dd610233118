"""Benchmark: Eora26- and EXIOBASE-size tables against the size targets of issue 11.

Run from the repository root::

    python benchmarks/bench_scale.py                 # both sizes
    python benchmarks/bench_scale.py --only eora26   # or --only exiobase

Each table is a seeded synthetic one of the release's full size (see
``benchmarks/synthetic.py``): Eora26 190 countries x 26 sectors (n = 4940), EXIOBASE 49
regions x 163 industries (n = 7987). Building the table is not timed; every timed step
starts from a fresh table object (no cached factorisation). Targets (quiet 2-core machine):

* Eora26: Borin-Mancini (exporter, source) bilateral x sector as an array ``(G, N, G, 15)``
  <= 10 s; the same written as a tidy Parquet file (``exporter, sector, importer, term,
  value``) <= 20 s from the table; then ``silkchain decompose TABLE.npz --method bm
  --level bilateral -o x.parquet`` end to end in a fresh process (reading the table file,
  adding ``year`` and ``unit``), its peak memory that of the command.
* EXIOBASE: the Leontief inverse, Borin-Mancini at country level and WWYZ participation
  at country level <= 30 s together and <= 6 GB peak resident memory (the table included).

Peak memory is sampled every 50 ms (resident set of this process, psutil). The load
average is printed: the figures depend on what else runs on the machine.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from synthetic import SHAPES, PeakRSS, load_average, synthetic_table, verdict

from silkchain.table import MRIOTable


def fresh(table: MRIOTable) -> MRIOTable:
    """The same arrays in a new table object: no cached A, LU or derived arrays."""
    return MRIOTable(Z=table.Z, Y=table.Y, x=table.x, V=table.V, labels=table.labels,
                     meta=table.meta, rtol=table.rtol, rounding=table.rounding)


def line(what: str, value: float, target: float, unit: str = "s") -> None:
    print(f"  {what:<52} {value:8.2f} {unit:<2} (target <= {target:g} {unit}) "
          f"{verdict(value, target)}", flush=True)


def bench_eora(seed: int) -> None:
    from silkchain import write
    from silkchain.io.write import write_frame
    from silkchain.measures.borin_mancini import bm, bm_array

    G, N, K = SHAPES["eora26"]
    t0 = time.perf_counter()
    table = synthetic_table(G, N, K, seed)
    print(f"Eora26 size: G={G}, N={N}, n={table.n} (built in "
          f"{time.perf_counter() - t0:.1f} s, not timed); load {load_average()}", flush=True)
    t = fresh(table)
    with PeakRSS() as peak:
        t0 = time.perf_counter()
        out, _ = bm_array(t, level="bilateral")
        t_arr = time.perf_counter() - t0
    line(f"BM bilateral x sector array {out.shape}", t_arr, 10)
    print(f"  {'  CPU time':<52} {peak.cpu:8.2f} s", flush=True)
    print(f"  {'  peak resident memory':<52} {peak.gb:8.2f} GB", flush=True)
    del out, t
    gc.collect()
    t = fresh(table)
    with tempfile.TemporaryDirectory() as d, PeakRSS() as peak:
        path = Path(d) / "bm_bilateral.parquet"
        t0 = time.perf_counter()
        frame = bm(t, level="bilateral")
        t_frame = time.perf_counter() - t0
        write_frame(frame, path)
        t_file = time.perf_counter() - t0
        size = path.stat().st_size
        rows = len(frame)
        del frame
    line(f"BM bilateral x sector -> Parquet ({rows:,} rows)", t_file, 20)
    print(f"  {'  of which the tidy frame':<52} {t_frame:8.2f} s", flush=True)
    print(f"  {'  file size':<52} {size / 1e6:8.1f} MB", flush=True)
    print(f"  {'  CPU time':<52} {peak.cpu:8.2f} s", flush=True)
    print(f"  {'  peak resident memory':<52} {peak.gb:8.2f} GB", flush=True)
    del t
    gc.collect()
    # the same as a user types it: read the table file, compute, write year/unit columns
    with tempfile.TemporaryDirectory() as d:
        npz, out = Path(d) / "eora26.npz", Path(d) / "bm.parquet"
        write(table, npz)
        cmd = [sys.executable, "-m", "silkchain", "decompose", str(npz), "--method", "bm",
               "--level", "bilateral", "-o", str(out)]
        with PeakRSS() as peak:
            t0 = time.perf_counter()
            run = subprocess.run(cmd, capture_output=True, text=True)
            t_cli = time.perf_counter() - t0
        if run.returncode != 0:
            print(f"  silkchain decompose failed: {run.stderr.strip()[-300:]}", flush=True)
            return
    line("silkchain decompose ... -o bm.parquet (end to end)", t_cli, 20)
    print(f"  {'  CPU time':<52} {peak.cpu:8.2f} s", flush=True)
    print(f"  {'  peak resident memory (with this process)':<52} {peak.gb:8.2f} GB", flush=True)


def bench_exiobase(seed: int) -> None:
    from silkchain.measures.borin_mancini import bm
    from silkchain.measures.participation import wwyz

    G, N, K = SHAPES["exiobase"]
    t0 = time.perf_counter()
    table = synthetic_table(G, N, K, seed)
    print(f"EXIOBASE size: G={G}, N={N}, n={table.n} (built in "
          f"{time.perf_counter() - t0:.1f} s, not timed); load {load_average()}", flush=True)
    gc.collect()
    t = fresh(table)
    del table
    steps = {}
    with PeakRSS() as peak:
        t0 = time.perf_counter()
        _ = t.B                                      # the Leontief inverse (LU, then B)
        steps["Leontief inverse B = (I - A)^-1"] = time.perf_counter() - t0
        t1 = time.perf_counter()
        bm(t, level="country")
        steps["Borin-Mancini, country level"] = time.perf_counter() - t1
        t1 = time.perf_counter()
        wwyz(t, level="country")
        steps["WWYZ participation, country level"] = time.perf_counter() - t1
        total = time.perf_counter() - t0
    for k, v in steps.items():
        print(f"  {k:<52} {v:8.2f} s", flush=True)
    line("Leontief + BM country + WWYZ", total, 30)
    print(f"  {'  CPU time':<52} {peak.cpu:8.2f} s", flush=True)
    line("peak resident memory (table included)", peak.gb, 6, "GB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", choices=["eora26", "exiobase"])
    parser.add_argument("--seed", type=int, default=20240601)
    args = parser.parse_args()
    print(f"silkchain scale benchmark: {platform.machine()}, {os.cpu_count()} cores, "
          f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', 'default')}")
    if args.only in (None, "eora26"):
        bench_eora(args.seed)
    if args.only in (None, "exiobase"):
        bench_exiobase(args.seed)
    print(f"load average at the end: {load_average()}")


if __name__ == "__main__":
    main()
