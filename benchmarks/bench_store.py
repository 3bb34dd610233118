"""Benchmark: the local store against the store targets of issue 11.

Run from the repository root::

    python benchmarks/bench_store.py              # OECD ICIO size (77 x 45, n = 3465)
    python benchmarks/bench_store.py --years 3    # several years into one store

The table is the seeded synthetic OECD-size table of ``benchmarks/synthetic.py`` (Z about
25 % non-zero, as in the release: most foreign blocks are sparse). Targets:

* every float64 kept exactly (checked bit for bit after the round trip);
* at most 50 MB on disk per OECD year (the ``tables/`` folder of the year, all files);
* reading a year (``Store.read``, a fresh ``Store`` object, files in the page cache as
  after an import) at most 1 s.

Also printed: the time to write a year and, for comparison, the bytes the arrays take
as plain ``.npy`` files (the layout of older versions of the store). The load average is
printed: timings depend on what else runs on the machine.
"""

from __future__ import annotations

import argparse
import platform
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from synthetic import SHAPES, load_average, synthetic_table, verdict

from silkchain.io.store import Store

SIZE_MB = 50.0
READ_S = 1.0


def folder_bytes(folder: Path) -> int:
    """Bytes of every file under ``folder``."""
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=1, help="Years to store (seeds 1..N).")
    args = parser.parse_args()
    G, N, K = SHAPES["oecd"]
    print(f"silkchain store benchmark: OECD ICIO size {G} x {N} (n = {G * N}), K = {K}; "
          f"{platform.processor() or platform.machine()}, load {load_average()}")
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(tmp)
        for year in range(2000, 2000 + args.years):
            t0 = time.perf_counter()
            table = synthetic_table(G, N, K, seed=year, year=year)
            built = time.perf_counter() - t0
            density = float(np.count_nonzero(table.Z)) / table.Z.size
            t0 = time.perf_counter()
            store.put_table(table, f"bench:{year}")
            wrote = time.perf_counter() - t0
            folder = Path(tmp) / store.entry(f"bench:{year}")["folder"]
            size = folder_bytes(folder) / 1e6
            plain = sum(getattr(table, a).nbytes for a in ("Z", "Y", "x", "V")) / 1e6
            reads = []
            for _ in range(3):
                t0 = time.perf_counter()
                back = Store(tmp).read(f"bench:{year}")
                reads.append(time.perf_counter() - t0)
            exact = all(np.array_equal(np.asarray(getattr(back, a)).view(np.uint64),
                                       np.asarray(getattr(table, a)).view(np.uint64))
                        for a in ("Z", "Y", "x", "V"))
            print(f"year {year}: table built in {built:.1f} s (Z {100 * density:.1f} % "
                  f"non-zero); written in {wrote:.2f} s")
            print(f"  exact round trip (every float64 bit for bit): "
                  f"{'pass' if exact else 'FAIL'}")
            print(f"  on disk: {size:.1f} MB (target <= {SIZE_MB:.0f} MB: "
                  f"{verdict(size, SIZE_MB)}); plain .npy arrays would take {plain:.1f} MB")
            print(f"  read: best {min(reads):.2f} s of 3, worst {max(reads):.2f} s (target "
                  f"<= {READ_S:.0f} s: {verdict(max(reads), READ_S)})")
            del table, back


if __name__ == "__main__":
    main()
