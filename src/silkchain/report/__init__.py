"""The Belt and Road value-chain report: one offline HTML page and an Excel workbook.

:func:`build_report` calls silkchain's public API (``silkchain.bri``,
``silkchain.scenarios``) for a table or a panel of years, draws the answers
with Plotly, and writes ``report.html`` (plotly.js embedded, no network needed)
and ``report.xlsx`` (every number behind every chart). The rendering pieces
(:mod:`.document`, :mod:`.page`, :mod:`.excel`) compute nothing themselves.
"""

from __future__ import annotations

from silkchain.report.build import DEFAULT_SCENARIO, ReportResult, build_report
from silkchain.report.document import Chart, Report, Section, TableBlock
from silkchain.report.excel import write_workbook
from silkchain.report.page import render_html, write_html

__all__ = [
    "DEFAULT_SCENARIO",
    "Chart",
    "Report",
    "ReportResult",
    "Section",
    "TableBlock",
    "build_report",
    "render_html",
    "write_html",
    "write_workbook",
]
