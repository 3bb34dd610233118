"""``build_report``: run the Belt and Road answers on a table or panel and write the report."""

from __future__ import annotations

import contextlib
import importlib
import os
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from silkchain.errors import SilkchainError
from silkchain.report import sections as sec
from silkchain.report.document import Report, Section
from silkchain.report.excel import write_report_workbook
from silkchain.report.page import write_html

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


@dataclass(frozen=True)
class Step:
    """One API call of the report."""

    key: str
    title: str
    module: str
    function: str
    span: str = "all"  #: "all" years, or only the first and last ("ends": what is shown)


STEPS: tuple[Step, ...] = (
    Step("value_capture", "value capture", "silkchain.bri", "value_capture"),
    Step("participation_gains", "participation and gains", "silkchain.bri",
         "participation_gains"),
    Step("position", "position", "silkchain.bri", "position"),
    Step("china_hub", "China as hub", "silkchain.bri", "china_hub"),
    Step("va_network", "value-added network", "silkchain.bri", "va_network"),
    Step("smile_curve", "smile curve", "silkchain.bri", "smile_curve", span="ends"),
    Step("upgrading_paths", "upgrading paths", "silkchain.bri", "upgrading_paths"),
)


def _function(step: Step) -> Callable[..., pd.DataFrame] | str:
    """The API function of ``step``, or why it is not available."""
    try:
        mod = importlib.import_module(step.module)
    except ImportError as err:
        return f"{step.module} is not available ({err})"
    fn = getattr(mod, step.function, None)
    if fn is None:
        for sub in (step.key, step.function):
            with contextlib.suppress(ImportError):
                fn = getattr(importlib.import_module(f"{step.module}.{sub}"), step.function,
                             None)
            if fn is not None:
                break
    if fn is None:
        return f"{step.module}.{step.function} is not available in this installation"
    return fn  # type: ignore[no-any-return]


def _years_of(source: Any, years: Sequence[int] | str | None) -> list[int]:
    from silkchain.bri.common import source_tasks

    return sorted(source_tasks(source, years))


@contextlib.contextmanager
def _scheduler(scheduler: Any, n_years: int) -> Iterator[Any]:
    """One Dask client for every answer (a local cluster when several years are asked)."""
    if scheduler is not None or n_years <= 1:
        yield scheduler or "sync"
        return
    try:
        from silkchain.panel import dask_client
    except ImportError:
        yield "sync"
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
    total = len(STEPS) + 2
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
        for step in STEPS:
            tick(f"{step.title} ({_span(year_list)})")
            fn = _function(step)
            t0 = time.perf_counter()
            if isinstance(fn, str):
                missing.append(f"{step.title}: {fn}")
            else:
                frames[step.key] = fn(source, **_arguments(fn, step, group, hub, years,
                                                           year_list, sched, cache))
            timings[step.key] = time.perf_counter() - t0
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
        rep.caveats.append("Not in this report (missing in this installation): "
                           + "; ".join(missing) + ".")
    out_dir.mkdir(parents=True, exist_ok=True)
    workbook = write_report_workbook(rep, out_dir / "report.xlsx")
    html = write_html(rep, out_dir / "report.html", workbook=workbook.name)
    timings["render"] = time.perf_counter() - t0
    done += 1
    tick("done")
    return ReportResult(html=html, workbook=workbook, report=rep,
                        seconds=time.perf_counter() - started, timings=timings,
                        missing=missing)


def _arguments(fn: Callable[..., Any], step: Step, group: str | None, hub: str,
               years: Sequence[int] | str | None, year_list: list[int], scheduler: Any,
               cache: Any) -> dict[str, Any]:
    """Keyword arguments of an answer: the hub goes to ``hub`` or ``country``."""
    import inspect

    params = inspect.signature(fn).parameters
    chosen: Any = years
    if step.span == "ends" and len(year_list) > 2:
        chosen = [year_list[0], year_list[-1]]
    kwargs: dict[str, Any] = {"group": group, "years": chosen, "scheduler": scheduler,
                              "cache": cache}
    if "hub" in params:
        kwargs["hub"] = hub
    elif "country" in params:
        kwargs["country"] = hub
    return {k: v for k, v in kwargs.items() if k in params}


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
    try:
        from silkchain.scenarios import Scenario, run
    except ImportError as err:
        missing.append(f"scenario: silkchain.scenarios is not available ({err})")
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


def _sections(frames: dict[str, pd.DataFrame], ctx: sec.Context, missing: list[str]
              ) -> list[Section]:
    out: list[Section] = []
    if "value_capture" in frames:
        out.append(sec.value_capture_section(frames["value_capture"], ctx))
    if "participation_gains" in frames:
        out.append(sec.participation_section(frames["participation_gains"],
                                             frames.get("position"), ctx))
    if "position" in frames:
        out.append(sec.position_section(frames["position"], ctx))
    builders = {"china_hub": "china_hub_section", "va_network": "network_section",
                "smile_curve": "smile_section", "upgrading_paths": "upgrading_section"}
    for key, name in builders.items():
        builder = getattr(sec, name, None)
        if key in frames and builder is not None:
            out.append(builder(frames[key], ctx))
        elif key in frames:
            ctx.report.add_frame(key, frames[key], f"silkchain.bri.{key} (no chart yet).")
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
        *(getattr(sec, "EXTRA_SOURCES", ())),
        "Charts: plotly.js, embedded; the report computes nothing itself and calls "
        "silkchain's public API (silkchain.bri, silkchain.scenarios).",
    ]


def _caveats(frames: Mapping[str, pd.DataFrame]) -> list[str]:
    seen: dict[str, None] = {}
    for frame in frames.values():
        for c in frame.attrs.get("caveats", []) or []:
            seen.setdefault(str(c), None)
    return list(seen)
