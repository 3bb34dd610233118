"""Benchmark: `silkchain report` on OECD ICIO-size tables, one year and a 26-year panel.

Run from the repository root::

    python benchmarks/bench_report.py                      # 26 years, 1995-2020
    python benchmarks/bench_report.py --extrapolate-from 3,6   # two short cold runs, a line
    python benchmarks/bench_report.py --no-scenario        # the answers only
    python benchmarks/bench_report.py --panel-years 26 --only-panel   # BM + WWYZ panel:
                                                  # sequential against a local Dask cluster

Set-up (not timed as a target; kept in ``--store`` between runs): the first year is written
from a seed as an OECD ICIO 2023 CSV (``ICIO2023_<year>.csv``: 77 economies, 45
industries, six final-demand categories, TLS/VA/OUT rows) and imported with
``silkchain import`` (its time is printed; the import target belongs to
``bench_import.py``); every other year is a table of the same labels and metadata from its
own seed, put into the same store directly. Each measured run is the command line a user
types, in a fresh process: ``silkchain report oecd-icio-2023:<last year>`` with the cache
emptied (target <= 20 s),
then ``silkchain report oecd-icio-2023 --years ...`` with the panel cache emptied (cold,
target <= 3 min for 26 years) and again with the cache filled (warm, <= 20 s). The peak
memory is the largest sum of resident memory over the command's process tree (Dask workers
included), sampled every 50 ms (target <= 4 GB). ``--extrapolate-from 3,6`` measures the
cold report on the last 3 and the last 6 years only (on a shared machine, when 26
full-size years take too long) and extrapolates: the per-year work of the larger run (the
report's "years" step) scaled to 26 years, plus the rest as measured (scenario, charts,
files); without such a step, the line through the two runs.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import PeakRSS, load_average, oecd_year_arrays, verdict, write_oecd_csv

DATASET = "oecd-icio-2023"
FULL_YEARS = 26


def silkchain(*args: str, env: dict[str, str]
              ) -> tuple[float, PeakRSS, subprocess.CompletedProcess]:
    """Run the command line in a fresh process: seconds, its tree's peak memory and CPU."""
    exe = [sys.executable, "-m", "silkchain", *args]
    with PeakRSS() as peak:
        t0 = time.perf_counter()
        run = subprocess.run(exe, env=env, capture_output=True, text=True)
        seconds = time.perf_counter() - t0
    return seconds, peak, run


def prepare(store: Path, years: list[int], env: dict[str, str]) -> None:
    """Import the first year from its CSV; put the others into the store from their seeds."""
    os.environ["SILKCHAIN_HOME"] = str(store)
    from silkchain.io.store import Store
    from silkchain.table import MRIOTable

    have = set(Store().catalog()["id"]) if (store / "catalog.duckdb").exists() else set()
    first = years[0]
    if f"{DATASET}:{first}" not in have:
        csv = store.parent / f"ICIO2023_{first}.csv"
        write_oecd_csv(str(csv), oecd_year_arrays(seed=first))
        seconds, peak, run = silkchain("import", str(csv), env=env)
        if run.returncode != 0:
            sys.exit(f"import failed: {run.stderr.strip()}")
        print(f"  set-up: silkchain import {csv.name} ({csv.stat().st_size / 1e6:.0f} MB) "
              f"{seconds:.1f} s, peak {peak.gb:.2f} GB", flush=True)
        csv.unlink()
    template = Store().read(f"{DATASET}:{first}")
    for year in years[1:]:
        if f"{DATASET}:{year}" in have:
            continue
        a = oecd_year_arrays(seed=year)
        meta = {**dict(template.meta), "year": year, "path": f"synthetic seed {year}",
                "file": f"ICIO2023_{year}.csv", "sha256": ""}
        table = MRIOTable(Z=a["Z"], Y=a["Y"], x=a["x"], V=a["V"], labels=template.labels,
                          meta=meta, rtol=template.rtol, rounding=template.rounding)
        Store().put_table(table, f"{DATASET}:{year}")
    print(f"  store {store}: {DATASET} {years[0]}-{years[-1]} ready", flush=True)


def empty_cache(store: Path) -> None:
    """Remove cached frames (panels), so that the next report computes everything."""
    shutil.rmtree(store / "frames", ignore_errors=True)


def step_seconds(stderr: str, step: str) -> float | None:
    """Seconds of one step in the report's closing line (``... (years 52 s, ...)``)."""
    import re

    lines = [ln for ln in stderr.splitlines() if " charts, " in ln]
    m = re.search(rf"[(,] ?{step} (\d+) s", lines[-1]) if lines else None
    return float(m.group(1)) if m else None


def report(args: list[str], env: dict[str, str], label: str, target_s: float | None,
           target_gb: float | None = None) -> tuple[float, str] | None:
    """Run ``silkchain report ARGS``; print its time and memory against the targets."""
    seconds, peak, run = silkchain("report", *args, env=env)
    gb = peak.gb
    if run.returncode != 0:
        last = run.stderr.strip().splitlines()[-1:] or ["(no message)"]
        print(f"  {label:<46} FAILED after {seconds:.1f} s: {last[0]}", flush=True)
        return None
    target = (f"(target <= {target_s:g} s) {verdict(seconds, target_s)}"
              if target_s is not None else "")
    print(f"  {label:<46} {seconds:7.1f} s {target}", flush=True)
    mem = f"  CPU {peak.cpu:.0f} s, peak memory {gb:.2f} GB"
    if target_gb is not None:
        mem += f" (target <= {target_gb:g} GB) {verdict(gb, target_gb)}"
    print(f"  {'':<46}{mem}; load {load_average()}", flush=True)
    steps = [ln for ln in run.stderr.splitlines() if " charts, " in ln]
    if steps:
        print(f"  {'':<46}  {steps[-1].strip()}", flush=True)
    noise = [ln for ln in run.stderr.splitlines()
             if any(w in ln for w in ("Traceback", "Error", "Warning", "distributed"))]
    print(f"  {'':<46}  stderr: {len(noise)} line(s) of warnings or tracebacks"
          + (f", first: {noise[0].strip()[:80]}" if noise else ""), flush=True)
    return seconds, run.stderr


def panels(years: list[int], full: int = FULL_YEARS) -> None:
    """Borin-Mancini and WWYZ (country level) for ``years``: sequential, then a local cluster."""
    from silkchain.panel import panel

    for label, scheduler in (("sequential", "sync"), ("local Dask cluster, 2 workers", None)):
        with PeakRSS() as peak:
            t0 = time.perf_counter()
            frame = panel(DATASET, ["bm", "wwyz"], years=f"{years[0]}-{years[-1]}",
                          scheduler=scheduler, cache=False)
            seconds = time.perf_counter() - t0
        scaled = "" if len(years) == full else (
            f"; x{full / len(years):.2f} for {full} years: {seconds * full / len(years):.0f} s")
        print(f"  panel bm+wwyz, {len(years)} years, {label:<30} {seconds:7.1f} s "
              f"({len(frame):,} rows; CPU {peak.cpu:.0f} s; peak {peak.gb:.2f} GB{scaled}); "
              f"load {load_average()}",
              flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--years", default="1995-2020")
    parser.add_argument("--store", type=Path, default=Path("/tmp/silkchain-bench-oecd/store"))
    parser.add_argument("--no-scenario", action="store_true")
    parser.add_argument("--skip-one-year", action="store_true")
    parser.add_argument("--panel-years", type=int, default=0, metavar="K",
                        help="also time a BM + WWYZ panel on the last K years, sequential and "
                             "on a local Dask cluster (0: no panel)")
    parser.add_argument("--only-panel", action="store_true", help="the panel timing only")
    parser.add_argument("--extrapolate-from", metavar="K1,K2",
                        help="measure the cold report on the last K1 and K2 years only and "
                             "extrapolate to all years along a line (e.g. 3,6)")
    args = parser.parse_args()
    lo, _, hi = args.years.partition("-")
    years = list(range(int(lo), int(hi or lo) + 1))
    args.store.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "SILKCHAIN_HOME": str(args.store), "COLUMNS": "200"}
    print(f"silkchain report benchmark: {os.cpu_count()} cores, load {load_average()}",
          flush=True)
    spans = [years]
    if args.extrapolate_from:  # cold runs on the last K1 and K2 years, a line through both
        spans = [years[-int(k):] for k in args.extrapolate_from.split(",")]
    needed = {y for span in spans for y in span} | set(years[-args.panel_years:]
                                                        if args.panel_years else [])
    prepare(args.store, sorted(needed), env)
    if args.panel_years:
        panels(years[-args.panel_years:])
    if args.only_panel:
        return
    out = args.store.parent / "out"
    extra = ["--no-scenario"] if args.no_scenario else []
    if not args.skip_one_year:
        empty_cache(args.store)  # cold: nothing computed before
        report([f"{DATASET}:{years[-1]}", "-o", str(out / "one"), *extra], env,
               f"report, one year ({years[-1]})", 20)
    cold: list[tuple[int, float, str]] = []
    for span in spans:
        empty_cache(args.store)
        what = [DATASET, "--years", f"{span[0]}-{span[-1]}", "-o", str(out / "panel"), *extra]
        full = len(span) == FULL_YEARS
        result = report(what, env, f"report, {len(span)} years, cold", 180 if full else None,
                        4)
        if result is not None:
            cold.append((len(span), *result))
    if cold and cold[-1][0] != FULL_YEARS:
        # the per-year part (the step "years": every answer's per-year work) grows with the
        # years; the rest (scenario on the last year, charts, files) much less: scaled alone
        k, total, stderr = cold[-1]
        per_years = step_seconds(stderr, "years")
        if per_years is not None:
            t26 = total - per_years + per_years * FULL_YEARS / k
            how = (f"{per_years:.0f} s of per-year work for {k} years scaled to {FULL_YEARS}, "
                   f"plus {total - per_years:.0f} s for the rest")
        elif len(cold) == 2:
            (k1, t1, _), (k2, t2, _) = cold
            t26 = t2 + (t2 - t1) / (k2 - k1) * (FULL_YEARS - k2)
            how = f"line through {k1} and {k2} years"
        else:
            t26 = total * FULL_YEARS / k
            how = f"{k} years scaled to {FULL_YEARS}"
        print(f"  {'report, 26 years, cold (extrapolated)':<46} {t26:7.1f} s (target <= 180 s) "
              f"{verdict(t26, 180)}; {how}", flush=True)
    report(what, env, f"report, {len(spans[-1])} years, warm (cache filled)", 20, 4)


if __name__ == "__main__":
    main()
