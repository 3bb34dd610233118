"""Import speed of one full-size OECD ICIO year (issue 11: <= 8 s and <= 1.5 GB peak).

Writes, from a seed, a synthetic year in the OECD ICIO 2023 extended layout
(77 row countries including CN1/CN2/MX1/MX2, 45 industries, final demand of 75
countries in six categories, TLS/VA/OUT rows, OUT column; about 90 MB), then
runs ``silkchain import`` on it in a fresh process (so that the peak resident
memory is the import's own) and prints each target with its figure. A second
run on the same file zipped with two other years measures a multi-year
release (years read in parallel processes).

    python benchmarks/bench_import.py [--folder DIR] [--keep]

The machine's load average is printed: on a shared machine the times are
upper bounds.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import numpy as np

INDUSTRIES = ["A01_02", "A03", "B05_06", "B07_08", "B09", "C10T12", "C13T15", "C16", "C17_18",
              "C19", "C20", "C21", "C22", "C23", "C24", "C25", "C26", "C27", "C28", "C29", "C30",
              "C31T33", "D", "E", "F", "G", "H49", "H50", "H51", "H52", "H53", "I", "J58T60",
              "J61", "J62_63", "K", "L", "M", "N", "O", "P", "Q", "R", "S", "T"]
FD = ["HFCE", "NPISH", "GGFC", "GFCF", "INVNT", "DPABR"]


def countries() -> tuple[list[str], list[str]]:
    """Row countries (with the China and Mexico splits) and final-demand countries."""
    import itertools
    import string

    base = ["AUS", "AUT", "BEL", "CAN", "CHL", "COL", "CRI", "CZE", "DNK", "EST", "FIN", "FRA",
            "DEU", "GRC", "HUN", "ISL", "IRL", "ISR", "ITA", "JPN", "KOR", "LVA", "LTU", "LUX",
            "NLD", "NZL", "NOR", "POL", "PRT", "SVK", "SVN", "ESP", "SWE", "CHE", "TUR", "GBR",
            "USA", "ARG", "BGD", "BLR", "BRA", "BRN", "BGR", "KHM", "CMR", "CIV", "HRV", "CYP",
            "EGY", "HKG", "IND", "IDN", "JOR", "KAZ", "LAO", "MYS", "MLT", "MAR", "MMR", "NGA",
            "PAK", "PER", "PHL", "ROU", "RUS", "SAU", "SEN", "SGP", "ZAF", "TWN", "THA", "TUN",
            "UKR", "VNM", "ROW"]
    extra = ("".join(p) for p in itertools.product(string.ascii_uppercase, repeat=3))
    while len(base) < 73:
        code = next(extra)
        if code not in base:
            base.insert(-1, code)
    rows = [*base[:-1], "CN1", "CN2", "MX1", "MX2", "ROW"]
    fd = [*base[:-1], "CHN", "MEX", "ROW"]
    return rows, fd


def write_year(path: Path, seed: int) -> Path:
    """One synthetic year in the OECD ICIO 2023 layout (balanced up to 6-decimal rounding)."""
    rows_c, fd_c = countries()
    N, G = len(INDUSTRIES), len(rows_c)
    n = G * N
    rng = np.random.default_rng(seed)
    ind = [f"{c}_{s}" for c in rows_c for s in INDUSTRIES]
    fdcols = [f"{c}_{k}" for c in fd_c for k in FD]
    Z = rng.exponential(30.0, (n, n)) * (rng.random((n, n)) < 0.6)
    dom = np.kron(np.eye(G), np.ones((N, N))).astype(bool)
    Z[dom] *= 40.0
    Y = rng.exponential(900.0, (n, len(fdcols))) * (rng.random((n, len(fdcols))) < 0.7)
    Z, Y = np.round(Z, 6), np.round(Y, 6)
    x = np.round(Z.sum(1) + Y.sum(1), 6)
    scale = np.maximum(1.0, Z.sum(0) / (0.7 * x))  # keep value added positive
    Z = np.round(Z / scale, 6)
    x = np.round(Z.sum(1) + Y.sum(1), 6)
    va = x - Z.sum(0)
    tls = np.round(va * 0.05, 6)
    with open(path, "w", newline="") as fh:
        fh.write(",".join(["V1", *ind, *fdcols, "OUT"]) + "\r\n")
        block = np.hstack([Z, Y, x[:, None]])
        for k in range(0, n, 256):
            part = block[k:k + 256]
            lines = [",".join([ind[k + i], *(f"{v:.6f}".rstrip("0").rstrip(".")
                                             for v in row)]) for i, row in enumerate(part)]
            fh.write("\r\n".join(lines) + "\r\n")
        zeros = ["0"] * len(fdcols)
        fh.write(",".join(["TLS", *(f"{v:.6f}" for v in tls), *zeros, "0"]) + "\r\n")
        fh.write(",".join(["VA", *(f"{v:.6f}" for v in va - tls), *zeros, "0"]) + "\r\n")
        fh.write(",".join(["OUT", *(f"{v:.6f}" for v in x), *zeros, "0"]) + "\r\n")
    return path


def write_eora(path: Path, seed: int, G: int = 189, N: int = 26) -> Path:
    """One synthetic Eora26 year (``Eora26_YYYY_bp.zip``): 189 countries x 26 sectors + ROW."""
    rng = np.random.default_rng(seed)
    n = G * N
    codes = [f"C{k:02d}" for k in range(G)]
    T = np.zeros((n + 1, n + 1))
    T[:n, :n] = np.round(rng.exponential(5.0, (n, n)) * (rng.random((n, n)) < 0.5), 3)
    K = 6
    FD = np.zeros((n + 1, (G + 1) * K))
    FD[:n, : G * K] = np.round(rng.exponential(400.0, (n, G * K)), 3)
    va = T[:n, :n].sum(1) + FD[:n].sum(1) - T[:n, :n].sum(0)
    VA = np.zeros((6, n + 1))
    VA[0, :n] = va

    def tsv(M: np.ndarray) -> bytes:
        buf = io.StringIO()
        np.savetxt(buf, M, fmt="%.3f", delimiter="\t")
        return buf.getvalue().encode()

    lt = [f"Country {c}\t{c}\tIndustries\tSector {s}" for c in codes for s in range(N)]
    lt.append("Rest of the world\tROW\tIndustries\tTOTAL")
    lf = [f"Country {c}\t{c}\tFinal Demand\tFD {k}" for c in [*codes, "ROW"] for k in range(K)]
    lv = [f"Primary Inputs\tVA {k}" for k in range(6)]
    y = path.name.split("_")[1]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr(f"Eora26_{y}_bp_T.txt", tsv(T))
        zf.writestr(f"Eora26_{y}_bp_FD.txt", tsv(FD))
        zf.writestr(f"Eora26_{y}_bp_VA.txt", tsv(VA))
        zf.writestr("labels_T.txt", "\n".join(lt) + "\n")
        zf.writestr("labels_FD.txt", "\n".join(lf) + "\n")
        zf.writestr("labels_VA.txt", "\n".join(lv) + "\n")
    return path


def run_import(target: Path, home: Path, *extra: str) -> tuple[float, float, float, str]:
    """Wall and CPU seconds, peak RSS (GiB, largest process) of ``silkchain import``."""
    code = ("import resource, sys, time; from silkchain.cli import main; "
            "sys.argv = ['silkchain', 'import', *sys.argv[1:]]\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n")
    shutil.rmtree(home, ignore_errors=True)  # a fresh store: nothing is "unchanged"
    env = dict(os.environ, SILKCHAIN_HOME=str(home))
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    before = usage.ru_maxrss
    cpu0 = usage.ru_utime + usage.ru_stime
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", code, str(target), *extra], env=env,
                          capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start  # the whole command, interpreter start included
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = usage.ru_utime + usage.ru_stime - cpu0
    if proc.returncode != 0 or "error" in proc.stderr:
        raise SystemExit(proc.stderr)
    return wall, cpu, max(usage.ru_maxrss, before) / 2**20, proc.stdout.strip()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--folder", type=Path, default=None)
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--multi", action="store_true", help="also time a 3-year zip")
    ap.add_argument("--eora", action="store_true", help="also time one Eora26-size year")
    args = ap.parse_args()
    folder = args.folder or Path(tempfile.mkdtemp(prefix="bench_import_"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"load average: {' '.join(f'{v:.2f}' for v in os.getloadavg())}; "
          f"cpus: {os.cpu_count()}")
    t0 = time.perf_counter()
    csv = folder / "ICIO2023_2020.csv"
    if not (args.keep and csv.exists()):
        write_year(csv, seed=2020)
    print(f"wrote {csv.name}: {csv.stat().st_size / 2**20:.1f} MiB in "
          f"{time.perf_counter() - t0:.1f} s")
    wall, cpu, peak, ids = run_import(csv, folder / "store")
    print(f"import one OECD year: {wall:.2f} s wall, {cpu:.2f} s CPU (target <= 8 s), peak "
          f"memory {peak:.2f} GiB (target <= 1.5 GB) -> {ids}")
    if args.multi:
        zpath = folder / "2018-2020.zip"
        with zipfile.ZipFile(zpath, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
            for y in (2018, 2019, 2020):
                src = write_year(folder / f"{y}.csv", seed=y)
                zf.write(src, f"{y}.csv")
                src.unlink()
        wall, cpu, peak, ids = run_import(zpath, folder / "store3")
        print(f"import a 3-year OECD zip (parallel processes): {wall:.2f} s wall, {cpu:.2f} s "
              f"CPU, peak memory of one process {peak:.2f} GiB -> {' '.join(ids.split())}")
    if args.eora:
        epath = folder / "Eora26_2015_bp.zip"
        if not (args.keep and epath.exists()):
            write_eora(epath, seed=2015)
        wall, cpu, peak, ids = run_import(epath, folder / "store_eora")
        print(f"import one Eora26-size year (190 x 26, {epath.stat().st_size / 2**20:.0f} MiB "
              f"zipped): {wall:.2f} s wall, {cpu:.2f} s CPU, peak memory {peak:.2f} GiB "
              f"-> {ids}")
    if not args.keep and args.folder is None:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
