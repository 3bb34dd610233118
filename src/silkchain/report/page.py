"""Render a :class:`~silkchain.report.document.Report` to one self-contained HTML file.

The page embeds plotly.js from the installed ``plotly`` package and each figure as
JSON, uses system fonts and requests nothing over the network, so it opens offline
and can be sent as a single attachment.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from silkchain.io.atomic import atomic_path
from silkchain.report.assets import PLOTLY_CONFIG, package_text, plotly_js, plotly_version
from silkchain.report.document import Report
from silkchain.report.excel import umask_mode

TEMPLATES = "silkchain.report.templates"


def _script_safe(text: str) -> str:
    """Make JSON safe inside a ``<script>`` element (no ``</script>`` or ``<!--``)."""
    return text.replace("</", "<\\/").replace("<!--", "<\\!--")


def figure_json(figure: Any) -> str:
    """A plotly figure as JSON that can sit inside a ``<script>`` element."""
    return _script_safe(figure.to_json())


def frame_html(frame: pd.DataFrame, max_rows: int = 40) -> str:
    """A frame as an HTML table (escaped), numbers rounded for reading.

    Each numeric column gets one number of decimals, chosen from its largest magnitude
    (so a column never mixes ``9.5363`` with ``10.8``).

    >>> html = frame_html(pd.DataFrame({"country": ["CHN"], "value": [0.123456]}))
    >>> "<td>CHN</td>" in html, "<td>0.1235</td>" in html
    (True, True)
    >>> html = frame_html(pd.DataFrame({"g": [9.53631, 10.8123, float("nan")]}))
    >>> "<td>9.5</td>" in html, "<td>10.8</td>" in html, "<td>–</td>" in html
    (True, True, True)
    """
    shown = frame.head(max_rows).copy()
    shown.columns = [str(c) for c in shown.columns]  # no index names as an extra header
    formatters = {c: _column_format(shown[c]) for c in shown.columns
                  if pd.api.types.is_float_dtype(shown[c])}
    return shown.to_html(index=False, classes="frame", escape=True, na_rep="–",
                         formatters=formatters)  # type: ignore[arg-type]


def _column_format(column: pd.Series) -> Any:
    """One formatter for a whole column: decimals from the column's largest magnitude."""
    values = column.to_numpy(dtype=float)
    finite = np.abs(values[np.isfinite(values)])
    top = float(finite.max()) if finite.size else 0.0
    pattern = "{:,.0f}" if top >= 1000 else "{:,.1f}" if top >= 10 else "{:.4f}"

    def fmt(value: float) -> str:
        return pattern.format(value) if np.isfinite(value) else "–"

    return fmt


def render_html(report: Report, workbook: str | None = None) -> str:
    """The report as one HTML document (a string).

    Parameters
    ----------
    report : Report
        What to show.
    workbook : str, optional
        File name of the workbook with the numbers, mentioned in the page.
    """
    import jinja2
    from markupsafe import Markup

    from silkchain import __version__

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("silkchain.report", "templates"),
        autoescape=jinja2.select_autoescape(["html"]),
        trim_blocks=True, lstrip_blocks=True,
    )
    template = env.get_template("report.html")
    figures = {c.key: Markup(figure_json(c.figure)) for c in report.charts}
    tables = {t.key: Markup(frame_html(t.frame, t.max_rows))
              for s in report.sections for t in s.tables}
    return template.render(
        report=report, figures=figures, tables=tables, workbook=workbook,
        css=Markup(package_text(TEMPLATES, "report.css")),
        plotly_js=Markup(plotly_js()), plotly_version=plotly_version(),
        config=Markup(_script_safe(json.dumps(PLOTLY_CONFIG))),
        version=__version__,
        generated=_dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    )


def write_html(report: Report, path: str | os.PathLike[str], workbook: str | None = None
               ) -> Path:
    """Write the report page to ``path`` atomically and return the path."""
    path = Path(path)
    text = render_html(report, workbook=workbook)
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    path.chmod(umask_mode())  # like any file the user creates (mkstemp makes 0600)
    return path
