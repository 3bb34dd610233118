"""``build_report``: run the Belt and Road answers on a table or panel and write the report."""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from silkchain.bri.answers import ANSWERS, Answer
from silkchain.errors import SilkchainError
from silkchain.panel import dask_client
from silkchain.report import sections as sec
from silkchain.report.document import Report, Section
from silkchain.report.outputs import write_outputs
from silkchain.scenarios import Scenario, run

#: ``progress(done, total, description)``, called before and after each step.
ProgressFn = Callable[[int, int, str], None]

#: The default scenario: part of China's textile and leather output moves to Belt and Road
#: partners in the table (the destinations that are present are used).
DEFAULT_SCENARIO: dict[str, Any] = {
    "name": "20% of China's textiles and leather move to India, Indonesia and Turkey",
    "description": ("Twenty per cent of China's output of textiles (c4) and of leather and "
                    "footwear (c5) is made instead in India, Indonesia and Turkey in equal "
                    "parts, with the destinations' own technology and usual suppliers; final "
                    "demand is unchanged and the table is rebalanced (GRAS)."),
    "steps": [{"transfer": {"from": "CHN", "to": ["IND", "IDN", "TUR"], "sector": ["c4", "c5"],
                            "share": 0.2}}],
}
#: Measures compared in the report's scenario (the scenario module computes them).
SCENARIO_MEASURES = ("gdp", "gross_exports", "dva_exports", "gvc_forward", "gvc_backward",
                     "koopman_position")


@dataclass
class ReportResult:
    """Where the report went and what it took."""

    html: Path
    workbook: Path
    report: Report
    seconds: float
    timings: dict[str, float] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)


def _years_of(source: Any, years: Sequence[int] | str | None) -> list[int]:
    from silkchain.bri.common import source_tasks

    return sorted(source_tasks(source, years))


@contextlib.contextmanager
def _scheduler(scheduler: Any, n_years: int) -> Iterator[Any]:
    """One Dask client for every answer (a local cluster when several years are asked)."""
    if scheduler is not None or n_years <= 1:
        yield scheduler or "sync"
        return
    with dask_client(None) as client:
        yield client


def build_report(
    source: Any = "wiod2013",
    group: str | None = "bri64",
    output: str | os.PathLike[str] = "results",
    *,
    years: Sequence[int] | str | None = None,
    hub: str = "CHN",
    scenario: Mapping[str, Any] | str | os.PathLike[str] | bool | None = True,
    scheduler: Any = None,
    cache: Any = True,
    progress: ProgressFn | None = None,
) -> ReportResult:
    """Run the Belt and Road answers on ``source`` and write ``report.html`` and ``report.xlsx``.

    Parameters
    ----------
    source : str, MRIOTable or mapping
        A panel name (``"wiod2013"``: every year), a dataset id (``"wiod2013:2011"``),
        a table file, a table, or ``{year: table}``.
    group : str, optional
        The country group the report is about (``bri64``; see ``silkchain groups list``).
    output : path
        Folder for ``report.html`` and ``report.xlsx`` (created if needed).
    years : str or sequence of int, optional
        Years of a panel source (``"2005-2011"``); default all.
    hub : str
        The hub economy (China).
    scenario : bool, mapping or path
        ``True``: the default scenario (:data:`DEFAULT_SCENARIO`) on the last year;
        a mapping or YAML path: that scenario; ``False``/``None``: no scenario.
    scheduler : optional
        Where panels run (see :func:`silkchain.panel.panel`); default: one local
        Dask cluster for all answers when several years are asked.
    cache : bool or store
        Passed to the answers (panels are cached in the local store).
    progress : callable, optional
        ``progress(done, total, description)``.

    Returns
    -------
    ReportResult
        Paths of the page and the workbook, the :class:`Report`, and timings.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:  # doctest: +SKIP
    ...     r = build_report("wiod2013:2011", output=d, scenario=False)
    ...     r.html.name, r.workbook.name
    ('report.html', 'report.xlsx')
    """
    from silkchain import __version__

    started = time.perf_counter()
    out_dir = Path(output)
    year_list = _years_of(source, years)
    if not year_list:
        raise SilkchainError(f"no years to report for {source!r}")
    label = source if isinstance(source, str) else type(source).__name__
    rep = Report(
        title="Belt and Road value chains" + (f": {group}" if group else ""),
        subtitle=(f"Where the Belt and Road economies stand in global value chains, "
                  f"{year_list[0]}–{year_list[-1]}, and what industrial transfer would change."
                  if len(year_list) > 1 else
                  f"Where the Belt and Road economies stand in global value chains, "
                  f"{year_list[0]}."),
        meta={"source": str(label), "years": _span(year_list), "group": str(group),
              "hub": hub, "silkchain": __version__},
    )
    total = len(ANSWERS) + 2
    done = 0

    def tick(description: str) -> None:
        if progress is not None:
            progress(done, total, description)

    timings: dict[str, float] = {}
    frames: dict[str, pd.DataFrame] = {}
    missing: list[str] = []
    ctx = sec.Context(group=group, hub=hub, years=year_list, report=rep,
                      sector_names=_sector_names(source, year_list))
    with _scheduler(scheduler, len(year_list)) as sched:
        for answer in ANSWERS.values():
            tick(f"{answer.title} ({_span(year_list)})")
            t0 = time.perf_counter()
            why = answer.left_out(year_list)
            if why is not None:
                missing.append(why)
            else:
                frames[answer.key] = answer.function(
                    source, **_arguments(answer, group, hub, years, year_list, sched, cache))
            timings[answer.key] = time.perf_counter() - t0
            done += 1
    tick("scenario")
    t0 = time.perf_counter()
    scenario_result, scenario_text, must = _run_scenario(scenario, source, year_list, missing)
    timings["scenario"] = time.perf_counter() - t0
    done += 1
    tick("drawing charts and writing files")
    t0 = time.perf_counter()
    rep.sections.extend(_sections(frames, ctx, missing))
    if scenario_result is not None:
        rep.sections.append(sec.scenario_section(scenario_result, ctx, must, scenario_text))
    rep.sources.extend(_sources(frames))
    rep.caveats.extend(_caveats(frames))
    if missing:
        rep.caveats.append("Not in this report: " + "; ".join(missing) + ".")
    out_dir.mkdir(parents=True, exist_ok=True)
    html, workbook = write_outputs(rep, out_dir)  # both replaced together (report.outputs)
    timings["render"] = time.perf_counter() - t0
    done += 1
    tick("done")
    return ReportResult(html=html, workbook=workbook, report=rep,
                        seconds=time.perf_counter() - started, timings=timings,
                        missing=missing)


def _arguments(answer: Answer, group: str | None, hub: str,
               years: Sequence[int] | str | None, year_list: list[int], scheduler: Any,
               cache: Any) -> dict[str, Any]:
    """Keyword arguments of an answer: the common ones, its years by span, and the hub."""
    chosen: Any = years if answer.span == "all" else answer.years_for(year_list)
    return {"group": group, "years": chosen, "scheduler": scheduler, "cache": cache,
            **answer.arguments(hub=hub)}


def _sector_names(source: Any, years: list[int]) -> dict[str, str]:
    """Sector code -> name from the last year's table (for labels)."""
    from silkchain.bri.common import source_tasks
    from silkchain.io.registry import read

    ref = source_tasks(source, [years[-1]] if isinstance(source, str) else None)[years[-1]]
    labels = read(ref).labels
    names = labels.sector_names or labels.sectors
    return dict(zip(labels.sectors, names, strict=True))


def _span(years: Sequence[int]) -> str:
    return f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])


def _run_scenario(scenario: Any, source: Any, years: list[int], missing: list[str]
                  ) -> tuple[Any, str, list[str]]:
    """Run the scenario on the last year's table; ``(result, description, countries)``."""
    if scenario is None or scenario is False:
        return None, "", []
    from silkchain.bri.common import source_tasks

    ref = source_tasks(source, [years[-1]] if isinstance(source, str) else None)[years[-1]]
    if scenario is True:
        spec = Scenario.from_dict({k: v for k, v in DEFAULT_SCENARIO.items()})
    elif isinstance(scenario, Mapping):
        spec = Scenario.from_dict(dict(scenario))
    else:
        spec = Scenario.from_yaml(scenario)
    result = run(spec, table=ref, measures=list(SCENARIO_MEASURES))
    must: list[str] = []
    for step in spec.steps:
        for attr in ("origin", "country"):
            code = getattr(step, attr, None)
            if isinstance(code, str):
                must.append(code)
        dest = getattr(step, "destination", None)
        if isinstance(dest, Mapping):
            must.extend(dest)
    text = (spec.description or spec.name or "") + f" Year: {years[-1]}."
    return result, text.strip(), list(dict.fromkeys(must))


#: The report section of each answer: ``builder(frames by answer key, ctx) -> Section``.
#: An answer without a builder is shown as a table (its frame in the workbook).
SECTIONS: dict[str, Callable[[Mapping[str, pd.DataFrame], sec.Context], Section]] = {
    "value_capture": lambda f, ctx: sec.value_capture_section(f["value_capture"], ctx),
    "participation_gains": lambda f, ctx: sec.participation_section(
        f["participation_gains"], f.get("position"), ctx),
    "position": lambda f, ctx: sec.position_section(f["position"], ctx),
    "china_hub": lambda f, ctx: sec.china_hub_section(f["china_hub"], ctx),
    "va_network": lambda f, ctx: sec.network_section(f["va_network"], ctx),
    "smile_curve": lambda f, ctx: sec.smile_section(f["smile_curve"], ctx),
    "upgrading_paths": lambda f, ctx: sec.upgrading_section(f["upgrading_paths"], ctx),
}


def _sections(frames: dict[str, pd.DataFrame], ctx: sec.Context, missing: list[str]
              ) -> list[Section]:
    out: list[Section] = []
    for key, answer in ANSWERS.items():
        if key not in frames:
            continue
        builder = SECTIONS.get(key)
        if builder is not None:
            out.append(builder(frames, ctx))
        else:
            ctx.report.add_frame(key, frames[key], f"{answer.title}: "
                                 f"silkchain.bri.answers.ANSWERS[{key!r}] (a table; no chart).")
    return out


def _sources(frames: Mapping[str, pd.DataFrame]) -> list[str]:
    return [
        "Data: Timmer, Dietzenbacher, Los, Stehrer & de Vries (2015), An Illustrated User "
        "Guide to the World Input–Output Database: the Case of Global Automotive Production, "
        "Review of International Economics 23: 575–605 (WIOD 2013 release, repackaged from "
        "the R package bquast/wiod, rounded to whole US$ million).",
        "Groups: silkchain.groups (bri64: the 64 countries along the Belt and Road as grouped "
        "in Chinese official statistics; see docs/groups.md for every group's sources).",
        sec.BM_CITE, sec.WWYZ_A_CITE, sec.WWYZ_B_CITE, sec.KOOPMAN_CITE, sec.ANTRAS_CITE,
        "Charts: plotly.js, embedded; the report computes nothing itself and calls "
        "silkchain's public API (silkchain.bri, silkchain.scenarios).",
    ]


def _caveats(frames: Mapping[str, pd.DataFrame]) -> list[str]:
    seen: dict[str, None] = {}
    for frame in frames.values():
        for c in frame.attrs.get("caveats", []) or []:
            seen.setdefault(str(c), None)
    return list(seen)
