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
from silkchain.bri.common import shared_years
from silkchain.errors import SilkchainError
from silkchain.panel import dask_client
from silkchain.report import sections as sec
from silkchain.report.document import Report, Section
from silkchain.report.outputs import write_outputs
from silkchain.scenarios import Scenario, run

#: ``progress(done, total, description)``, called before and after each step.
ProgressFn = Callable[[int, int, str], None]

#: The default scenario, in source-independent terms: a share of the hub's output of a broad
#: sector (:data:`silkchain.concordances.broad.BROAD_SECTORS`) moves to Belt and Road
#: partners. :func:`default_scenario` resolves it on a table: the broad sector through the
#: table's own concordance, the destinations that are countries of the table.
DEFAULT_SCENARIO: dict[str, Any] = {
    "origin": "CHN",
    "destinations": ("IND", "IDN", "TUR"),
    "broad": "textiles",
    "share": 0.2,
}


def default_scenario(table: Any, spec: Mapping[str, Any] = DEFAULT_SCENARIO
                     ) -> tuple[dict[str, Any] | None, str | None]:
    """The default transfer scenario on ``table``, or ``None`` and why it cannot run there.

    >>> import silkchain
    >>> sc, why = default_scenario(silkchain.read("wiod2013:2011"))
    >>> sc["steps"][0]["transfer"]["sector"], why
    (['c4', 'c5'], None)
    """
    from silkchain.concordances.broad import BROAD_SECTORS, resolve_broad
    from silkchain.errors import UnresolvedSectorError
    from silkchain.groups.codes import country_name

    countries = list(table.labels.countries)
    origin, broad, share = spec["origin"], spec["broad"], float(spec["share"])
    title = BROAD_SECTORS.get(broad, broad)
    if origin not in countries:
        return None, (f"the default scenario moves {title.lower()} out of {origin}, which is "
                      "not a country of this table")
    dest = [c for c in spec["destinations"] if c in countries]
    if not dest:
        return None, (f"the default scenario's destinations ({', '.join(spec['destinations'])})"
                      " are not countries of this table")
    try:
        sectors = list(resolve_broad(table, broad))
    except UnresolvedSectorError as err:
        return None, f"the default scenario cannot run on this table: {err}"
    names = [country_name(c) for c in dest]
    where = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    left = [c for c in spec["destinations"] if c not in countries]
    return {
        "name": f"{share:.0%} of {country_name(origin)}'s {title.lower()} moves to {where}",
        "description": (f"{share:.0%} of {country_name(origin)}'s output of "
                        f"{title.lower()} (the table's sectors {', '.join(sectors)}) is made "
                        f"instead in {where}" + (" in equal parts" if len(dest) > 1 else "")
                        + ", with the destinations' own technology and usual suppliers; final "
                        "demand is unchanged and the table is rebalanced (GRAS)."
                        + (f" Not in this table, so left out as destinations: "
                           f"{', '.join(left)}." if left else "")),
        "steps": [{"transfer": {"from": origin, "to": dest, "sector": sectors,
                                "share": share}}],
    }, None


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
    from silkchain.bri.common import source_tasks
    from silkchain.io.registry import read

    started = time.perf_counter()
    out_dir = Path(output)
    label = str(source) if isinstance(source, (str, os.PathLike)) else type(source).__name__
    tasks = source_tasks(source, years)  # a table file is read here, once
    year_list = sorted(tasks)
    if not year_list:
        raise SilkchainError(f"no years to report for {source!r}")
    if isinstance(source, (str, os.PathLike)) and Path(source).exists():
        source, years = tasks[year_list[0]], None  # the table itself, for every answer
    last = tasks[year_list[-1]]
    last_table = last if not isinstance(last, str) else read(last)
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
    cover = coverage(group, last_table)
    if cover:
        rep.meta["coverage"] = cover
    total = 3
    done = 0

    def tick(description: str) -> None:
        if progress is not None:
            progress(done, total, description)

    timings: dict[str, float] = {}
    frames: dict[str, pd.DataFrame] = {}
    missing: list[str] = []
    ctx = sec.Context(group=group, hub=hub, years=year_list, report=rep,
                      sector_names=_sector_names(last_table))
    running = [a for a in ANSWERS.values() if a.left_out(year_list) is None]
    missing.extend(str(a.left_out(year_list)) for a in ANSWERS.values() if a not in running)
    with _scheduler(scheduler, len(year_list)) as sched, shared_years() as plan:
        # every answer's per-table work runs in one task per year, on one read of its
        # table: each table is factored once and shared measures are computed once
        tick(f"reading and computing {_span(year_list)}")
        t0 = time.perf_counter()
        for answer in running:
            early = plan.record(answer.function, source, **_arguments(
                answer, group, hub, years, year_list, sched, cache))
            if early is not None:
                frames[answer.key] = early
        plan.run(source, scheduler=sched, cache=cache,
                 progress=lambda d, n, y: progress(done, total, f"year {y} ({d}/{n})")
                 if progress is not None else None)
        timings["years"] = time.perf_counter() - t0
        done += 1
        for answer in running:
            if answer.key in frames:
                continue
            tick(f"{answer.title} ({_span(year_list)})")
            t0 = time.perf_counter()
            frames[answer.key] = answer.function(
                source, **_arguments(answer, group, hub, years, year_list, sched, cache))
            timings[answer.key] = time.perf_counter() - t0
    tick("scenario")
    t0 = time.perf_counter()
    scenario_result, scenario_text, must = _run_scenario(scenario, last_table, year_list,
                                                         missing)
    timings["scenario"] = time.perf_counter() - t0
    done += 1
    tick("drawing charts and writing files")
    t0 = time.perf_counter()
    rep.sections.extend(_sections(frames, ctx, missing))
    if scenario_result is not None:
        rep.sections.append(sec.scenario_section(scenario_result, ctx, must, scenario_text))
    rep.sources.extend(_sources(last_table, group))
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


def _sector_names(table: Any) -> dict[str, str]:
    """Sector code -> name from the last year's table (for labels)."""
    labels = table.labels
    names = labels.sector_names or labels.sectors
    return dict(zip(labels.sectors, names, strict=True))


def coverage(group: str | None, table: Any) -> str | None:
    """How many group members are separate in ``table`` and where the others are.

    >>> import silkchain
    >>> for part in coverage("bri64", silkchain.read("wiod2013:2011")).split("; "):
    ...     print(part)
    bri64: 14 of 64 members are separate in this table
    the other 50 are inside its rest of world (RoW).
    """
    from silkchain.bri.common import resolve_group, table_year

    g = resolve_group(group)
    if g is None:
        return None
    m = g.members_in(table, year=(table_year(table) or None) if g.by_table_year else None)
    text = f"{m.group}: {len(m.inside)} of {m.n_members} members are separate in this table"
    if m.hidden:
        text += (f"; the other {len(m.hidden)} are inside its rest of world "
                 f"({'/'.join(m.rest_of_world)})")
    if m.absent:
        text += f"; {len(m.absent)} are not in the table, which has no rest of world"
    return text + "."


def _span(years: Sequence[int]) -> str:
    return f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])


def _run_scenario(scenario: Any, table: Any, years: list[int], missing: list[str]
                  ) -> tuple[Any, str, list[str]]:
    """Run the scenario on the last year's table; ``(result, description, countries)``."""
    if scenario is None or scenario is False:
        return None, "", []
    if scenario is True:
        chosen, why = default_scenario(table)
        if chosen is None:
            missing.append(f"scenario: {why}")
            return None, "", []
        spec = Scenario.from_dict(chosen)
    elif isinstance(scenario, Mapping):
        spec = Scenario.from_dict(dict(scenario))
    else:
        spec = Scenario.from_yaml(scenario)
    result = run(spec, table=table, measures=list(SCENARIO_MEASURES))
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


def _sources(table: Any, group: str | None) -> list[str]:
    meta = table.meta
    what = " ".join(str(meta[k]) for k in ("source", "release") if meta.get(k)) or "the table"
    data = (f"Data: {meta['citation']} ({what})." if meta.get("citation") else
            f"Data: {what} ({meta.get('path') or meta.get('dataset') or 'no citation given'}).")
    return [
        data,
        f"Groups: silkchain.groups ({group or 'no group'}; see docs/groups.md for every "
        "group's members and sources).",
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
