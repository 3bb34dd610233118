"""Benchmark of the Borin-Mancini exporter/source decomposition (bilateral x sector).

Run from the repository root::

    python benchmarks/bench_bm.py            # G=77, N=45 (n = 3465), as in OECD ICIO
    python benchmarks/bench_bm.py --G 41 --N 35 --repeat 3

It builds a seeded synthetic productive table of the size of the OECD
ICIO (77 countries x 45 industries), then reports

* the median time of one LU factorisation of ``I - A`` (``scipy.linalg.lu_factor``);
* the median time of the full bilateral x sector decomposition (15 terms, all
  exporters), from a fresh table object to the result array in memory, and
  the ratio of the two (target <= 5);
* the peak memory traced during that decomposition (``tracemalloc``) as a
  multiple of one dense ``n x n`` float64 matrix (target < 6);
* a plain per-country loop over the same formulas that forms
  ``B^{/s} = (I - A^{/s})^-1`` explicitly for each exporter (the textbook
  implementation), timed on a few exporters and extrapolated to all of them,
  and the speed-up.

The functions are importable (``make_synthetic``, ``time_lu``, ``time_bm``,
``peak_memory``, ``baseline_per_country``) for use elsewhere.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

import numpy as np
import scipy.linalg as sla

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from silkchain.core import borin_mancini as core
from silkchain.measures.borin_mancini import bm_array
from silkchain.table import MRIOTable

__all__ = ["baseline_per_country", "make_synthetic", "peak_memory", "time_bm", "time_lu"]


def make_synthetic(G: int = 77, N: int = 45, K: int = 6, seed: int = 20240601) -> MRIOTable:
    """A seeded, productive, OECD-ICIO-shaped table with realistic sparsity.

    Input coefficients: column sums drawn from U(0.35, 0.75), about 80 % of
    them domestic; domestic blocks 60 % dense, foreign blocks 25 % dense with
    lognormal weights and a "large partner" bias. Final demand is lognormal
    with a home bias of about 85 %, split over ``K`` categories; output is
    ``x = B y`` and ``Z = A diag(x)``, so the table balances exactly.
    """
    rng = np.random.default_rng(seed)
    n = G * N
    size = rng.lognormal(0.0, 1.0, G)                       # country size
    A = np.zeros((n, n))
    for s in range(G):
        for r in range(G):
            density = 0.6 if s == r else 0.25
            block = rng.lognormal(0.0, 1.0, (N, N)) * (rng.random((N, N)) < density)
            A[s * N:(s + 1) * N, r * N:(r + 1) * N] = block * (1.0 if s == r else 0.02 * size[s])
    cidx = np.repeat(np.arange(G), N)
    dom = np.where(cidx[:, None] == cidx[None, :], A, 0.0)
    fgn = A - dom
    colsum = rng.uniform(0.35, 0.75, n)
    share = rng.uniform(0.7, 0.9, n)
    A = (dom / np.maximum(dom.sum(0), 1e-300) * share
         + fgn / np.maximum(fgn.sum(0), 1e-300) * (1 - share)) * colsum
    demand = rng.lognormal(3.0, 1.0, n) * np.repeat(size, N)
    Yc = np.empty((n, G))
    for i in range(n):
        w = rng.random(G) * size
        w[cidx[i]] = 0.0
        Yc[i] = 0.15 * demand[i] * w / w.sum()
        Yc[i, cidx[i]] = 0.85 * demand[i]
    x = np.linalg.solve(np.eye(n) - A, Yc.sum(1))
    Z = A * x[None, :]
    cat = rng.dirichlet(np.ones(K), size=(n, G))            # split over categories
    Y = (Yc[:, :, None] * cat).reshape(n, G * K)
    return MRIOTable.from_arrays(
        Z, Y, [f"C{g:02d}" for g in range(G)], [f"s{k:02d}" for k in range(N)],
        fd_categories=[f"fd{k}" for k in range(K)], meta={"dataset": f"synthetic {G}x{N}"})


def _fresh(table: MRIOTable) -> MRIOTable:
    """The same arrays in a new table object: no cached A, LU or derived arrays."""
    return MRIOTable(Z=table.Z, Y=table.Y, x=table.x, V=table.V, labels=table.labels,
                     meta=table.meta, rtol=table.rtol, rounding=table.rounding)


def time_lu(table: MRIOTable, repeat: int = 5) -> float:
    """Median seconds of one ``lu_factor(I - A)``."""
    M = np.eye(table.n) - table.A
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        sla.lu_factor(M)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def time_bm(table: MRIOTable, repeat: int = 5) -> float:
    """Median seconds of the bilateral x sector decomposition, fresh table to array."""
    times = []
    for _ in range(repeat):
        t = _fresh(table)
        t0 = time.perf_counter()
        out, _ = bm_array(t, level="bilateral")
        times.append(time.perf_counter() - t0)
        del out
    return statistics.median(times)


def peak_memory(table: MRIOTable) -> float:
    """Peak traced allocation of one decomposition, in units of ``n*n*8`` bytes."""
    t = _fresh(table)
    tracemalloc.start()
    out, _ = bm_array(t, level="bilateral")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del out
    return peak / (table.n * table.n * 8)


def baseline_per_country(table: MRIOTable, exporters: list[int] | None = None
                         ) -> tuple[float, float, np.ndarray]:
    """Plain per-exporter loop with an explicit ``B^{/s}`` for each exporter.

    Once: ``B = inv(I - A)`` and ``B Y``. For each exporter s: ``A^{/s}`` (s's
    intermediate exports zeroed), ``B^{/s} = inv(I - A^{/s})`` (``n x n``),
    then the 15 terms of METHODS.md §6. Returns the set-up seconds, the mean
    seconds per exporter, and the bilateral terms of the exporters done,
    ``(len(exporters), N, G, 15)``.
    """
    G, N, n = table.G, table.N, table.n
    exporters = list(range(G)) if exporters is None else exporters
    A, v, Yc, ESR = table.A, table.v, table.Yc, table.ESR
    t0 = time.perf_counter()
    B = np.linalg.inv(np.eye(n) - A)
    BY = B @ Yc
    setup = time.perf_counter() - t0
    out = np.zeros((len(exporters), N, G, len(core.SOURCE_TERMS)))
    t0 = time.perf_counter()
    for k, s in enumerate(exporters):
        rs = slice(s * N, (s + 1) * N)
        As = A.copy()
        keep = As[rs, rs].copy()
        As[rs, :] = 0.0
        As[rs, rs] = keep
        Bs = np.linalg.inv(np.eye(n) - As)               # B^{/s}, n x n, per exporter
        Lss = Bs[rs, rs]                                 # = L_ss
        vs = v[rs]
        dc = vs @ B[rs, rs]
        fc = v @ B[:, rs] - dc
        dva = vs @ Lss
        fva = v @ Bs[:, rs] - vs @ Bs[rs, rs]
        for r in range(G):
            if r == s:
                continue
            rr = slice(r * N, (r + 1) * N)
            e = ESR[rs, r]
            Lrr = np.linalg.inv(np.eye(N) - A[rr, rr])
            dae = Yc[rs, r] + A[rs, rr] @ (Lrr @ Yc[rr, r])
            ref = A[rs, rr] @ BY[rr, s]
            vals = {"GEXP": e, "DC": dc * e, "DVA": dva * e, "VAX": dva * (e - ref),
                    "DAVAX": dva * dae, "REF": dva * ref, "FC": fc * e, "FVA": fva * e}
            vals["REX"] = vals["VAX"] - vals["DAVAX"]
            vals["DDC"] = vals["DC"] - vals["DVA"]
            vals["FDC"] = vals["FC"] - vals["FVA"]
            vals["PDC"] = vals["DDC"] + vals["FDC"]
            vals["GVC"] = e - vals["DAVAX"]
            vals["GVCB"] = vals["FVA"] + vals["PDC"]
            vals["GVCF"] = vals["REX"] + vals["REF"]
            for j, name in enumerate(core.SOURCE_TERMS):
                out[k, :, r, j] = vals[name]
    per = (time.perf_counter() - t0) / len(exporters)
    return setup, per, out


def _blas_threads(n: int | None) -> Any:
    """Context limiting BLAS threads (threadpoolctl, from the ``dask`` extra)."""
    if n is None:
        return contextlib.nullcontext()
    from threadpoolctl import threadpool_limits
    return threadpool_limits(limits=n, user_api="blas")


def run(table: MRIOTable, repeat: int, threads: int | None) -> dict[str, float]:
    """LU and BM medians, their ratio and the peak memory, at a BLAS thread setting."""
    with _blas_threads(threads):
        lu = time_lu(table, repeat)
        t_bm = time_bm(table, repeat)
        mem = peak_memory(table)
    return {"lu": lu, "bm": t_bm, "ratio": t_bm / lu, "memory": mem}


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the figures."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--G", type=int, default=77)
    p.add_argument("--N", type=int, default=45)
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--baseline-exporters", type=int, default=3)
    p.add_argument("--threads", type=int, nargs="*", default=[0, 1],
                   help="BLAS thread limits to run (0 = library default); default: 0 1")
    a = p.parse_args(argv)
    table = make_synthetic(a.G, a.N)
    print(f"synthetic table: G={table.G}, N={table.N}, n={table.n}, "
          f"nonzero share of A = {np.count_nonzero(table.A) / table.n ** 2:.2f}")
    results = {}
    for th in a.threads:
        r = run(table, a.repeat, th or None)
        results[th] = r
        label = "default" if not th else str(th)
        print(f"[BLAS threads: {label}]")
        print(f"  one LU of I - A (median of {a.repeat}):           {r['lu']:8.3f} s")
        print(f"  BM exporter/source bilateral x sector (median): {r['bm']:8.3f} s")
        print(f"  ratio BM / LU:                                 {r['ratio']:8.2f}  (target <= 5)")
        print(f"  peak traced memory: {r['memory']:.2f} x n*n*8 bytes "
              f"({table.n ** 2 * 8 / 2**20:.0f} MiB) beyond the table (target < 6)")
    k = min(a.baseline_exporters, table.G)
    setup, per, base = baseline_per_country(table, list(range(k)))
    ours, _ = bm_array(_fresh(table), level="bilateral")
    diff = np.abs(base - ours[:k]).max() / max(1.0, np.abs(ours[:k]).max())
    est = setup + per * table.G
    t_bm = results[a.threads[0]]["bm"]
    print(f"baseline per-country loop (default threads): set-up {setup:.2f} s, {per:.2f} s per "
          f"exporter timed on {k} exporter(s), extrapolated to all {table.G}: {est:.1f} s")
    print(f"speed-up over the baseline: {est / t_bm:.0f}x   "
          f"(max relative difference of the results: {diff:.1e})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
