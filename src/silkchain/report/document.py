"""The pieces a report is made of: charts, tables and sections, before any rendering.

A :class:`Report` holds plotly figures and pandas frames only; :mod:`.html` turns it
into one self-contained page and :mod:`.excel` writes every frame behind it to a
workbook. Nothing here computes a measure.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd


@dataclass(frozen=True)
class Chart:
    """One figure with the text a reader needs beside it.

    Attributes
    ----------
    key : str
        Identifier, used as the HTML element id (letters, digits, ``-``, ``_``).
    title : str
        Heading shown above the chart.
    figure : plotly.graph_objects.Figure
        The chart itself.
    guide : str
        A short reading guide: what is plotted and how to read it.
    citation : str
        The method's source (paper and equation or table).
    caveat : str or None
        A caveat shown under the chart (for example the small-economy rounding note).
    sheets : tuple of str
        Workbook sheets that hold the numbers behind the chart.
    """

    key: str
    title: str
    figure: Any
    guide: str
    citation: str
    caveat: str | None = None
    sheets: tuple[str, ...] = ()


@dataclass(frozen=True)
class TableBlock:
    """A small table shown in the page (the full frame goes to the workbook)."""

    key: str
    title: str
    frame: pd.DataFrame
    note: str = ""
    max_rows: int = 40


@dataclass(frozen=True)
class Section:
    """A titled part of the report with an introduction, charts and tables."""

    key: str
    title: str
    intro: str = ""
    charts: tuple[Chart, ...] = ()
    tables: tuple[TableBlock, ...] = ()
    missing: str = ""  #: set when the analysis could not run; says what is missing


@dataclass
class Report:
    """A whole report: metadata, sections, the frames behind them and the sources."""

    title: str
    subtitle: str
    meta: Mapping[str, str] = field(default_factory=dict)
    sections: list[Section] = field(default_factory=list)
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)
    frame_notes: dict[str, str] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)
    caveats: list[str] = field(default_factory=list)

    def add_frame(self, name: str, frame: pd.DataFrame, note: str = "") -> str:
        """Keep ``frame`` for the workbook under a unique sheet-safe ``name``; return it."""
        base = sheet_name(name)
        sheet, k = base, 2
        while sheet in self.frames:
            suffix = f"_{k}"
            sheet, k = base[: 31 - len(suffix)] + suffix, k + 1
        self.frames[sheet] = frame
        if note:
            self.frame_notes[sheet] = note
        return sheet

    @property
    def charts(self) -> list[Chart]:
        """Every chart of every section, in order."""
        return [c for s in self.sections for c in s.charts]


_BAD_SHEET_CHARS = str.maketrans({c: "_" for c in "[]:*?/\\"})


def sheet_name(name: str) -> str:
    """An Excel-safe sheet name: no ``[]:*?/\\``, at most 31 characters.

    >>> sheet_name("value capture / group: bri64")
    'value capture _ group_ bri64'
    """
    cleaned = name.translate(_BAD_SHEET_CHARS).strip("'") or "sheet"
    return cleaned[:31]
