"""Benchmark: WWZ bilateral x sector decomposition of one WIOD 2013 year (n = 1435).

Times, from reading the bundled table (no in-process cache) to the result in
memory, the median of several runs of

* ``read``   — :func:`silkchain.io.bundled.load` (npz, validation, LU, the explicit
  inverse the productivity check forms for WIOD);
* ``wwz``    — the 16 terms as an ``(n, G, 16)`` array
  (:func:`silkchain.core.decompositions.wwz`, blocks of ``B`` from the table);
* ``frame``  — the tidy frame ``exporter, sector, importer, term, value``
  (:func:`silkchain.measures.decompose.wwz`, 918,400 rows);
* the array again with the diagonal blocks ``B_rr`` from the LU factors, as for a
  table whose read did not form ``B``;

and, in the same process, a plain per-country loop implementation of the same
formulas (METHODS.md §5, one ``(s, r)`` pair at a time, sums over third
countries as loops) as the baseline; it prints the ratio and checks that both
agree.

Usage::

    .venv/bin/python benchmarks/bench_wwz.py [--year 2011] [--repeat 7] [--baseline-repeat 3]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time

import numpy as np

from silkchain.core import decompositions as cd
from silkchain.core.blocks import diag_blocks
from silkchain.io import bundled
from silkchain.measures import decompose as md


def wwz_loop(A: np.ndarray, Yc: np.ndarray, v: np.ndarray, x: np.ndarray, G: int,
             N: int, B: np.ndarray) -> np.ndarray:
    """WWZ (2013) term by term, one exporter-importer pair at a time (the baseline).

    ``B`` is the explicit global inverse (the table's, as for silkchain's run).
    """
    n = G * N
    sl = [slice(g * N, (g + 1) * N) for g in range(G)]
    L = [np.linalg.inv(np.eye(N) - A[sl[g], sl[g]]) for g in range(G)]
    Yb = [[Yc[sl[s], r] for r in range(G)] for s in range(G)]  # Y_sr, N-vectors
    y = [Yc[sl[s]].sum(axis=1) for s in range(G)]
    E = [sum(A[sl[s], sl[r]] @ x[sl[r]] + Yb[s][r] for r in range(G) if r != s)
         for s in range(G)]
    out = np.zeros((n, G, 16))
    for s in range(G):
        vs = v[sl[s]]
        VsBss = vs @ B[sl[s], sl[s]]
        VsLss = vs @ L[s]
        VtBts = [v[sl[t]] @ B[sl[t], sl[s]] for t in range(G)]
        for r in range(G):
            if r == s:
                continue
            Asr = A[sl[s], sl[r]]
            Brr = B[sl[r], sl[r]]
            Brs = B[sl[r], sl[s]]
            others = [t for t in range(G) if t not in (s, r)]
            W = out[sl[s], r]
            W[:, 0] = VsBss * Yb[s][r]
            W[:, 1] = VsLss * (Asr @ (Brr @ Yb[r][r]))
            W[:, 2] = VsLss * (Asr @ sum(B[sl[r], sl[t]] @ Yb[t][t] for t in others))
            W[:, 3] = VsLss * (Asr @ (Brr @ sum(Yb[r][t] for t in others)))
            W[:, 4] = VsLss * (Asr @ sum(B[sl[r], sl[t]] @ (y[t] - Yb[t][s] - Yb[t][t])
                                         for t in others))
            W[:, 5] = VsLss * (Asr @ (Brr @ Yb[r][s]))
            W[:, 6] = VsLss * (Asr @ sum(B[sl[r], sl[t]] @ Yb[t][s] for t in others))
            W[:, 7] = VsLss * (Asr @ (Brs @ Yb[s][s]))
            W[:, 8] = VsLss * (Asr @ (Brs @ (y[s] - Yb[s][s])))
            W[:, 9] = (VsBss - VsLss) * (Asr @ x[sl[r]])
            Lr = L[r]
            fin, mid, dc = Yb[s][r], Asr @ (Lr @ Yb[r][r]), Asr @ (Lr @ E[r])
            mva = VtBts[r]
            ova = sum(VtBts[t] for t in others)
            W[:, 10], W[:, 11], W[:, 12] = mva * fin, mva * mid, mva * dc
            W[:, 13], W[:, 14], W[:, 15] = ova * fin, ova * mid, ova * dc
    return out


def _median(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", type=int, default=2011)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--baseline-repeat", type=int, default=3)
    args = parser.parse_args()
    read = bundled.load.__wrapped__  # bypass the in-process cache: read the file each time

    read_times, wwz_times, frame_times, totals, totals_frame = [], [], [], [], []
    W = None
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        table = read(args.year)
        t1 = time.perf_counter()
        W = cd.wwz(table.A, table.Yc, table.v, table.x, table.G, table.N,
                   solver=table.solver, L_blocks=table.L_blocks,
                   B_blocks=diag_blocks(table.B, table.G, table.N))
        t2 = time.perf_counter()
        read_times.append(t1 - t0)
        wwz_times.append(t2 - t1)
        totals.append(t2 - t0)
        del table
        t0 = time.perf_counter()
        table = read(args.year)
        t1 = time.perf_counter()
        frame = md.wwz(table)
        t2 = time.perf_counter()
        frame_times.append(t2 - t1)
        totals_frame.append(t2 - t0)
        del table
    table = read(args.year)
    assert W is not None
    G, N = table.G, table.N

    def base() -> np.ndarray:
        return wwz_loop(table.A, table.Yc, table.v, table.x, G, N, table.B)

    def from_lu() -> np.ndarray:  # as for a table whose read did not form B
        return cd.wwz(table.A, table.Yc, table.v, table.x, G, N, solver=table.solver,
                      L_blocks=table.L_blocks)

    t_lu, W_lu = _median(from_lu, args.repeat)
    t_base, W_base = _median(base, args.baseline_repeat)
    gap = max(float(np.abs(np.asarray(W_base) - W).max()),
              float(np.abs(np.asarray(W_lu) - W).max()))
    scale = float(np.abs(W).max())
    med = statistics.median
    print(f"silkchain WWZ benchmark: wiod2013:{args.year}, G={G}, N={N}, n={G * N}, "
          f"{len(frame):,} frame rows")
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"numpy {np.__version__}")
    print(f"median of {args.repeat} runs (seconds):")
    print(f"  read table (uncached)           {med(read_times):.3f}")
    print(f"  wwz array (n, G, 16)            {med(wwz_times):.3f}")
    print(f"  read -> wwz array               {med(totals):.3f}")
    print(f"  wwz tidy frame (table read)     {med(frame_times):.3f}")
    print(f"  read -> tidy frame              {med(totals_frame):.3f}")
    print(f"  wwz array, B_rr from the LU     {t_lu:.3f}  (table in memory, no explicit B)")
    print(f"baseline per-country loop (median of {args.baseline_repeat}, table and its B "
          f"in memory): {t_base:.3f}")
    print(f"ratio baseline / silkchain wwz array: {t_base / med(wwz_times):.1f}x")
    print(f"max |baseline - silkchain| over both silkchain paths = {gap:.3g} "
          f"(largest term {scale:.3g})")
    if gap > 1e-9 * scale:
        raise SystemExit("the baseline and silkchain disagree")


if __name__ == "__main__":
    main()
