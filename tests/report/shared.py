"""One small report (two WIOD years), built once per test process and shared."""

from __future__ import annotations

import tempfile
from functools import lru_cache
from pathlib import Path

from silkchain.report.build import ReportResult, build_report

YEARS = [2010, 2011]


@lru_cache(maxsize=1)
def small_report() -> ReportResult:
    """``build_report`` on wiod2013 2010-2011, bri64, default scenario, no cache, no Dask."""
    out = Path(tempfile.mkdtemp(prefix="silkchain-report-"))
    return build_report("wiod2013", group="bri64", output=out, years=YEARS, scheduler="sync",
                        cache=False)
