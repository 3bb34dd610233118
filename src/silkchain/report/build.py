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
from silkchain.panel import ClusterOnDemand
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


#: The broad sectors (:data:`silkchain.concordances.broad.BROAD_SECTORS`) that make up
#: manufacturing (ISIC rev.4 section C).
MANUFACTURING = ("food", "textiles", "wood_paper", "petroleum", "chemicals", "rubber_plastics",
                 "minerals", "metals", "machinery", "electronics", "transport_equipment",
                 "other_manufacturing")

#: The default reshoring scenario, in source-independent terms: the United States and the
#: European Union (a group: its members that are countries of the table) bring back a share
#: of their imported manufacturing inputs to domestic suppliers.
#: :func:`default_reshoring` resolves it on a table.
DEFAULT_RESHORING: dict[str, Any] = {
    "countries": ("USA", "eu"),
    "broad": MANUFACTURING,
    "share": 0.25,
}


def default_reshoring(table: Any, spec: Mapping[str, Any] = DEFAULT_RESHORING
                      ) -> tuple[dict[str, Any] | None, str | None]:
    """The default reshoring scenario on ``table``, or ``None`` and why it cannot run there.

    Countries of ``spec["countries"]`` are kept where they are countries of the table; a
    group (``eu``) stands for its members that are; manufacturing inputs are the table's
    sectors in the broad sectors of ``spec["broad"]`` (through the table's concordance).

    >>> import silkchain
    >>> sc, why = default_reshoring(silkchain.read("wiod2013:2011"))
    >>> step = sc["steps"][0]["reshore"]
    >>> step["countries"][:3], len(step["countries"]), step["products"][:3], why
    (['USA', 'AUT', 'BEL'], 27, ['c3', 'c4', 'c5'], None)
    """
    from silkchain.concordances.broad import classify
    from silkchain.errors import UnresolvedSectorError
    from silkchain.groups import GroupNotFoundError, get_group
    from silkchain.groups.codes import country_name

    countries = list(table.labels.countries)
    chosen: list[str] = []
    named: list[str] = []
    absent: list[str] = []
    hidden: list[str] = []
    for code in spec["countries"]:
        if code in countries:
            chosen.append(code)
            named.append(country_name(code))
            continue
        try:
            g = get_group(code)
        except GroupNotFoundError:
            absent.append(code)
            continue
        found = g.members_in(countries)
        inside = [c for c in found.inside if c not in chosen]
        hidden.extend(found.hidden)
        if inside:
            chosen.extend(inside)
            named.append(f"the {len(inside)} {g.name.upper()} member{'s' * (len(inside) != 1)}"
                         " in the table")
        else:
            absent.append(code)
    wanted = ", ".join(spec["countries"])
    if not chosen:
        return None, (f"the reshoring scenario brings inputs home to {wanted}, none of which "
                      "is a country of this table")
    try:
        broad = classify(table)
    except UnresolvedSectorError as err:
        return None, f"the reshoring scenario cannot place this table's sectors: {err}"
    kinds = set(spec["broad"])
    products = [s for s in table.labels.sectors if broad.get(s) in kinds]
    if not products:
        return None, "no sector of this table is in manufacturing (the reshored products)"
    share = float(spec["share"])
    who = " and ".join(named)
    return {
        "name": f"{who} reshore {share:.0%} of their imported manufacturing inputs",
        "description": (f"{who} buy {share:.0%} of the manufacturing inputs they import "
                        f"(the table's sectors {', '.join(products)}) from domestic suppliers "
                        "of the same products instead; every industry keeps its input "
                        "requirements and value added per unit of output, final demand is "
                        "unchanged and the table is rebalanced (GRAS)."
                        + (f" Not in this table, so left out: {', '.join(absent)}."
                           if absent else "")
                        + (f" Inside the table's rest of the world, so not reshoring here: "
                           f"{', '.join(hidden)}." if hidden else "")),
        "steps": [{"reshore": {"countries": chosen, "share": share, "products": products}}],
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
    lazy = ClusterOnDemand()  # started only if some year is not cached
    try:
        yield lazy
    finally:
        lazy.close()


def build_report(
    source: Any = "wiod2013",
    group: str | None = "bri64",
    output: str | os.PathLike[str] = "results",
    *,
    years: Sequence[int] | str | None = None,
    hub: str = "CHN",
    scenario: Mapping[str, Any] | str | os.PathLike[str] | bool | None = True,
    reshoring: Mapping[str, Any] | bool | None = None,
    ranges: bool = True,
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
    reshoring : bool or mapping, optional
        The reshoring scenario beside it on the last year: ``True`` the default
        (:data:`DEFAULT_RESHORING`), a mapping in its terms (``countries``, ``broad``,
        ``share``), ``False`` none; ``None`` (default): the default one whenever a
        scenario is run.
    ranges : bool
        Show the headline measures' ranges across the sources in the store holding the
        last year (:func:`source_ranges`; absent with one source).
    scheduler : optional
        Where panels run (see :func:`silkchain.panel.panel`); default: one local
        Dask cluster for all answers when several years are asked.
    cache : bool or store
        Passed to the answers (panels are cached in the local store); the scenarios on
        a stored last year are cached there too (:func:`run_cached`). ``False``: nothing
        is cached.
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
                 local={year_list[-1]: last_table},  # shared with the scenarios below
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
    # the scenarios run on the last year's table: cached, keyed on its stored version
    scenario_result, scenario_text, must = _run_scenario(scenario, last_table, year_list,
                                                         missing, cache=cache, ref=last)
    timings["scenario"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    reshored, reshore_text = _run_reshoring(
        reshoring if reshoring is not None else scenario not in (None, False), last_table,
        year_list, missing, cache=cache, ref=last)
    timings["reshoring"] = time.perf_counter() - t0
    done += 1
    tick("drawing charts and writing files")
    t0 = time.perf_counter()
    rep.sections.extend(_sections(frames, ctx, missing))
    if scenario_result is not None:
        rep.sections.append(sec.scenario_section(scenario_result, ctx, must, scenario_text))
    if reshored is not None:
        rep.sections.append(sec.reshoring_section(reshored, ctx, _members(group, last_table),
                                                  reshore_text))
    t0 = time.perf_counter()
    spread = source_ranges(source, last_table, year_list[-1], missing) if ranges else None
    if spread is not None:
        rep.sections.append(sec.ranges_section(spread, ctx, _members(group, last_table)))
    timings["ranges"] = time.perf_counter() - t0
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


@dataclass
class CachedScenarioResult:
    """What the report's sections use of a scenario run, as the frame cache gives it back.

    The fields of :class:`silkchain.scenarios.ScenarioResult` the sections read
    (``scenario``, ``comparison``, ``log``, ``notes``, ``sha256``), without the tables.
    """

    scenario: Scenario
    comparison: pd.DataFrame
    log: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def sha256(self) -> str:
        """sha256 of the scenario's canonical form."""
        return self.scenario.sha256


def run_cached(spec: Scenario, table: Any, measures: Sequence[str], *, cache: Any = True,
               ref: Any = None, kind: str = "scenario") -> Any:
    """``run(spec, table, measures)``, cached in the frame cache when ``ref`` is a dataset
    id with a stored version (:func:`silkchain.panel.dataset_versions`).

    The key holds that version, the scenario's canonical JSON, the measures and
    silkchain's version. A hit is a :class:`CachedScenarioResult` (comparison with its
    ``attrs``, step log and notes as plain data); ``cache=False`` never caches.
    """
    from silkchain.bri.common import get_cached_frame, put_cached_frame
    from silkchain.panel import frame_cache

    where = (frame_cache(cache, kind, {0: ref}, scenario=spec.to_json(),
                         measures=list(measures)) if isinstance(ref, str) else None)
    if where is not None:
        hit = get_cached_frame(*where)
        if hit is not None:
            frame, extra = hit
            return CachedScenarioResult(spec, frame, list(extra.get("log") or []),
                                        list(extra.get("notes") or []))
    result = run(spec, table=table, measures=list(measures))
    if where is not None:
        with contextlib.suppress(TypeError, ValueError):  # not plain data: not cached
            put_cached_frame(*where, result.comparison,
                             {"log": result.log, "notes": result.notes})
    return result


def _run_scenario(scenario: Any, table: Any, years: list[int], missing: list[str], *,
                  cache: Any = False, ref: Any = None) -> tuple[Any, str, list[str]]:
    """Run the scenario on the last year's table; ``(result, description, countries)``.

    ``cache``/``ref``: see :func:`run_cached` (``ref``: the last year's dataset id).
    """
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
    result = run_cached(spec, table, SCENARIO_MEASURES, cache=cache, ref=ref)
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


#: Measures compared in the reshoring scenario.
RESHORING_MEASURES = ("gdp", "dva_exports")


def _run_reshoring(reshoring: Any, table: Any, years: list[int], missing: list[str], *,
                   cache: Any = False, ref: Any = None) -> tuple[Any, str]:
    """Run the reshoring scenario on the last year's table; ``(result, description)``."""
    if reshoring is None or reshoring is False:
        return None, ""
    spec = DEFAULT_RESHORING if reshoring is True else {**DEFAULT_RESHORING, **reshoring}
    chosen, why = default_reshoring(table, spec)
    if chosen is None:
        missing.append(f"reshoring scenario: {why}")
        return None, ""
    result = run_cached(Scenario.from_dict(chosen), table, RESHORING_MEASURES, cache=cache,
                        ref=ref, kind="reshoring")
    return result, f"{chosen['description']} Year: {years[-1]}."


def _members(group: str | None, table: Any) -> list[str]:
    """The group's members that are countries of ``table``."""
    from silkchain.bri.common import members_in_table, resolve_group

    return list(members_in_table(resolve_group(group), table))


#: Headline measures shown as ranges across sources: (catalogue measure, term, label,
#: factor to per cent).
RANGE_MEASURES = (("tiva", "EXGR_DVASH", "DVA share of gross exports, %", 1.0),
                  ("koopman", "participation", "GVC participation (Koopman), % of gross "
                   "exports", 100.0))


def _source_name(source: Any, table: Any) -> str:
    """The dataset name (``wiod2013``, ``oecd-icio-2023``) the report's source comes from."""
    if isinstance(source, str) and not Path(source).exists():
        return source.partition(":")[0]
    return str(table.meta.get("dataset") or "").partition(":")[0]


def source_ranges(source: Any, table: Any, year: int, problems: list[str] | None = None
                  ) -> pd.DataFrame | None:
    """The headline measures (:data:`RANGE_MEASURES`) of ``table`` and of every other source
    in the store holding ``year``, each pair on common countries and broad sectors
    (:func:`silkchain.measures.compare.compare`); ``None`` with one source only.

    Returns the long frame ``year, country, measure, label, source, value, compared_with``
    (``compared_with``: the other source of the harmonised pair). A source that cannot be
    put beside ``table`` (no common country, sectors no concordance places) is left out and
    the reason appended to ``problems``.
    """
    from silkchain.io.registry import datasets
    from silkchain.measures.compare import compare

    own = _source_name(source, table) or "this table"
    listed = datasets()
    others = [str(i) for i, y in zip(listed["id"], listed["year"], strict=True)
              if int(y) == int(year) and str(i).partition(":")[0] != own]
    if not others:
        return None
    rows: list[pd.DataFrame] = []
    used: list[str] = []
    for other in others:
        name = other.partition(":")[0]
        try:
            pair = [(compare(measure, table, other), term, label, factor)
                    for measure, term, label, factor in RANGE_MEASURES]
        except SilkchainError as err:
            if problems is not None:
                problems.append(f"ranges across sources: {own} and {other} cannot be "
                                f"compared ({err})")
            continue
        used.append(name)
        for f, term, label, factor in pair:
            f = f[f["measure"] == term]
            for src, col, vs in ((own, "value_a", name), (name, "value_b", own)):
                rows.append(pd.DataFrame({
                    "year": int(year), "country": f["country"], "measure": term,
                    "label": label, "source": src, "value": factor * f[col],
                    "compared_with": vs}))
    if not rows:
        return None
    out = pd.concat(rows, ignore_index=True).dropna(subset=["value"])
    out.attrs["sources"] = [own, *dict.fromkeys(used)]
    return out


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
    "exposure": lambda f, ctx: sec.exposure_section(f["exposure"], ctx),
    "why_changed": lambda f, ctx: sec.why_changed_section(f["why_changed"], ctx),
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
