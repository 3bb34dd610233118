"""Belt and Road answers: one documented function per question, each returning a tidy frame.

=====================  ============================================================
function               question
=====================  ============================================================
``value_capture``      domestic and GVC-related value added in exports, by country
                       and group, levels, shares and trends
``participation_gains`` backward/forward participation beside DVA shares and
                       value-added growth
``position``           upstreamness, WWYZ GVC position, Koopman position over time;
                       does China move toward the high end?
``china_hub``          China's share in partners' foreign value added, partners'
                       value added absorbed in China, China's value added in
                       partners' exports; regional vs global chains in a group
``va_network``         the value-added trade network: centrality, hubs, communities
``smile_curve``        value added by stage along a country's export chains, and
                       the technology mix of its exports
``upgrading_paths``    sectors with rising value-added RCA and position; candidate
                       sectors close to current strengths (product-space proximity)
=====================  ============================================================

The answers are listed once, in :data:`silkchain.bri.answers.ANSWERS` (key ->
:class:`~silkchain.bri.answers.Answer`: function, command name, options, the
years it needs); the report, the dashboard and the ``silkchain bri`` commands
loop over it. Every answer takes a table, a dataset id or a panel source (``"wiod2013"``:
every year, computed on Dask) and returns ``year, country, sector, partner,
measure, value`` with coverage (which group members are in the table and which
are hidden in its rest of world) and caveats in ``frame.attrs``;
:func:`describe` prints them and :func:`chart_data` gives chart-ready data.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from silkchain.bri.answers import ANSWERS
from silkchain.bri.china_hub import china_hub
from silkchain.bri.common import describe
from silkchain.bri.network import va_network
from silkchain.bri.participation import participation_gains
from silkchain.bri.position import position
from silkchain.bri.smile import smile_curve
from silkchain.bri.upgrading import upgrading_paths
from silkchain.bri.value_capture import value_capture
from silkchain.errors import MeasureError


def chart_data(frame: pd.DataFrame, **options: Any) -> dict[str, Any]:
    """Chart-ready data (a plain dict) for the frame of any answer (``attrs["answer"]``)."""
    answer = frame.attrs.get("answer")
    charts = {k: a.chart for k, a in ANSWERS.items() if a.chart is not None}
    if answer not in charts:
        raise MeasureError(f"chart_data needs the frame of a Belt and Road answer "
                           f"(attrs['answer'] in {', '.join(charts)}); got {answer!r}")
    return charts[answer](frame, **options)


__all__ = [
    "ANSWERS",
    "chart_data",
    "china_hub",
    "describe",
    "participation_gains",
    "position",
    "smile_curve",
    "upgrading_paths",
    "va_network",
    "value_capture",
]
