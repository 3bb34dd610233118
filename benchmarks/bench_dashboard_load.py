"""Bounded loopback load test of the dashboard: health latency and server memory under load.

Run from the repository root::

    python benchmarks/bench_dashboard_load.py                 # 2,000 health requests, 20 posts
    python benchmarks/bench_dashboard_load.py --health 500 --concurrency 8

It starts ``silkchain serve --port 0`` in a child process (loopback, its own port),
then, from a thread pool on this machine only:

* sends ``--health`` requests to ``/api/health`` (``--concurrency`` at a time) and
  reports the median, 95th and 99th percentile latency and the throughput;
* while that runs, posts ``--posts`` scenario submissions at once (the page's form, a
  transfer in the dataset's last year) and reports how they were answered (202
  queued or 429 refused) and the slowest answer: submission never reads a table;
* reports the server's resident memory (RSS) at start, after the first page, and at
  the end (psutil), then stops the server.

Nothing leaves 127.0.0.1; the run ends within ``--timeout`` seconds.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from typing import Any


def _get(url: str, timeout: float = 30.0) -> tuple[int, float]:
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            r.read()
            status = r.status
    except urllib.error.HTTPError as err:
        status = err.code
    return status, time.perf_counter() - start


def _post(url: str, body: dict[str, Any], timeout: float = 60.0) -> tuple[int, float]:
    data = json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method="POST",
                                 headers={"Content-Type": "application/json"})
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            r.read()
            status = r.status
    except urllib.error.HTTPError as err:
        status = err.code
    return status, time.perf_counter() - start


def _rss_mb(pid: int) -> float:
    import psutil

    return float(psutil.Process(pid).memory_info().rss) / 2**20


def run(health: int = 2000, concurrency: int = 16, posts: int = 20,
        timeout: float = 300.0) -> dict[str, Any]:
    """Start the server, load it, and return the figures."""
    proc = subprocess.Popen([sys.executable, "-m", "silkchain", "serve", "--port", "0"],
                            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    deadline = time.monotonic() + timeout
    try:
        line = proc.stderr.readline() if proc.stderr else ""
        found = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if not found:
            raise RuntimeError(f"the server did not print its address: {line!r}")
        base = f"http://127.0.0.1:{found.group(1)}"
        while True:
            try:
                _get(base + "/api/health", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        rss_start = _rss_mb(proc.pid)
        status, page_s = _get(base + "/")
        rss_page = _rss_mb(proc.pid)
        datasets = json.loads(urllib.request.urlopen(base + "/api/datasets").read())
        name, year = datasets[0]["name"], datasets[0]["years"][-1]
        info = json.loads(urllib.request.urlopen(f"{base}/api/datasets/{name}").read())
        countries = info["countries"]
        form = {"kind": "transfer", "from": countries[0], "to": countries[1],
                "sector": info["sectors"][0]["code"], "share": "0.1"}
        with ThreadPoolExecutor(max_workers=concurrency + posts) as pool:
            post_futures = [pool.submit(_post, base + "/api/jobs/scenario",
                                        {"dataset": name, "year": year, "form": form})
                            for _ in range(posts)]
            t0 = time.perf_counter()
            health_futures = [pool.submit(_get, base + "/api/health")
                              for _ in range(health)]
            lat = [f.result()[1] for f in health_futures]
            wall = time.perf_counter() - t0
            answered = [f.result() for f in post_futures]
        rss_end = _rss_mb(proc.pid)
        q = statistics.quantiles(sorted(lat), n=100)
        return {
            "health_requests": health, "concurrency": concurrency,
            "health_p50_ms": round(statistics.median(lat) * 1000, 1),
            "health_p95_ms": round(q[94] * 1000, 1), "health_p99_ms": round(q[98] * 1000, 1),
            "health_per_s": round(health / wall),
            "posts": posts,
            "posts_202": sum(s == 202 for s, _ in answered),
            "posts_429": sum(s == 429 for s, _ in answered),
            "posts_other": sorted({s for s, _ in answered} - {202, 429}),
            "post_slowest_ms": round(max(t for _, t in answered) * 1000, 1),
            "page_status": status, "first_page_s": round(page_s, 2),
            "rss_start_mb": round(rss_start), "rss_after_page_mb": round(rss_page),
            "rss_end_mb": round(rss_end),
        }
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--health", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--posts", type=int, default=20)
    parser.add_argument("--timeout", type=float, default=300.0)
    args = parser.parse_args()
    figures = run(args.health, args.concurrency, args.posts, args.timeout)
    for key, value in figures.items():
        print(f"{key:20s} {value}")


if __name__ == "__main__":
    main()
