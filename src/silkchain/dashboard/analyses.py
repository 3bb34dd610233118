"""Belt and Road answers and scenarios in the dashboard: JSON endpoints and background jobs.

The answers are those of :mod:`silkchain.bri`, drawn with the report's section
builders (:mod:`silkchain.report.sections`), so the dashboard and the report show
the same charts; scenarios run :func:`silkchain.scenarios.run`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated, Any

import pandas as pd
from fastapi import Body, FastAPI, Path, Query
from fastapi.responses import Response

from silkchain.bri.answers import ANSWERS as ANSWER_CATALOGUE
from silkchain.bri.answers import Answer
from silkchain.dashboard import service as svc
from silkchain.dashboard.jobs import JobQueue
from silkchain.dashboard.models import BriRequest, ScenarioRequest, SdaRequest

#: Most steps a scenario posted to the API may have, and the largest spec (bytes of JSON).
MAX_STEPS = 10
MAX_SPEC_BYTES = 20_000
SCENARIO_MEASURES = ("gdp", "gross_exports", "dva_exports", "gvc_forward", "gvc_backward",
                     "koopman_position")


def _answers() -> list[dict[str, Any]]:
    """The answers on offer (the answer catalogue, in its order)."""
    return [{"name": key, "title": a.title, "help": a.help, "needs_years": a.needs_years,
             "unavailable": None} for key, a in ANSWER_CATALOGUE.items()]


def check_answer(name: str) -> Answer:
    """The answer; 404 naming the available answers otherwise."""
    if name not in ANSWER_CATALOGUE:
        raise svc.RequestProblem(f"unknown answer {name!r:.40}; available: "
                                 f"{', '.join(ANSWER_CATALOGUE)}", status=404)
    return ANSWER_CATALOGUE[name]


class _Answers(list):  # type: ignore[type-arg]
    """The answer list of the page, read from the catalogue when the page is drawn."""

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(_answers())


#: What the page's answer menu lists (dicts: name, title, help, needs_years, unavailable).
ANSWERS = _Answers()


def run_answer(name: str, panel: svc.Panel, years: list[int], group: str,
               hub: str = "CHN", progress: Callable[[int, int, Any], None] | None = None
               ) -> pd.DataFrame:
    """Call the answer on the validated panel, years and group (no Dask, local cache);
    ``progress(done, total, year)`` is called as each year is computed."""
    answer = check_answer(name)
    why = answer.left_out(years)
    if why is not None:
        raise svc.RequestProblem(why, status=422)
    return answer.function(panel.name, group=group, years=years, scheduler="sync",
                           progress=progress or False, **answer.arguments(hub=hub))


def answer_chart(name: str, frame: pd.DataFrame, panel: svc.Panel, years: list[int],
                 group: str) -> dict[str, Any]:
    """The answer's first chart (as the report draws it) with its guide and citation."""
    from silkchain.report import sections as sec
    from silkchain.report.build import SECTIONS
    from silkchain.report.document import Report

    rep = Report(title="", subtitle="")
    names = dict(svc.sectors(panel))
    ctx = sec.Context(group=group, hub="CHN", years=years, report=rep, sector_names=names)
    builder = SECTIONS.get(name)
    if builder is None:
        raise svc.RequestProblem(f"{name} has no chart; download its rows from "
                                 f"/api/bri/{name}", status=422)
    section = builder({name: frame}, ctx)
    if not section.charts:
        raise svc.RequestProblem(f"{name} has nothing to draw for these years", status=422)
    chart = section.charts[0]
    from silkchain.dashboard.figures import with_names

    figure = with_names(json.loads(chart.figure.to_json()), svc.country_names(panel))
    return {"figure": figure, "title": chart.title,
            "guide": chart.guide, "citation": chart.citation, "caveat": chart.caveat}


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return frame.astype(object).where(frame.notna(), None).to_dict(orient="records")


def _table(frame: pd.DataFrame) -> dict[str, Any]:
    """A frame as ``{"columns", "rows"}`` (NaN as null) for the page's tables."""
    rows = [[None if isinstance(v, float) and v != v else v for v in r]
            for r in frame.astype(object).itertuples(index=False)]
    return {"columns": [str(c) for c in frame.columns], "rows": rows}


# --------------------------------------------------------------------------- SDA panel
def sda_measures() -> list[dict[str, str]]:
    """The measures the SDA panel offers: the catalogue's SDA measures (two tables)."""
    from silkchain.measures.catalogue import MEASURES

    return [{"name": m.options["measure"], "title": m.description}
            for m in MEASURES.values() if m.tables == 2]


def check_sda(panel: svc.Panel, start: int, end: int, measure: str) -> None:
    """Two years of ``panel``, the first before the last, and a known SDA measure."""
    from silkchain.measures.sda import MEASURES

    svc.check_year(panel, start)
    svc.check_year(panel, end)
    if start >= end:
        raise svc.RequestProblem(f"the first year ({start}) must be before the last ({end})")
    if measure not in MEASURES:
        raise svc.RequestProblem(f"unknown SDA measure {measure!r:.40}; available: "
                                 f"{', '.join(MEASURES)}")


def run_sda(panel: svc.Panel, start: int, end: int, group: str, measure: str
            ) -> pd.DataFrame:
    """The answer ``why_changed`` on two years (checked first)."""
    check_sda(panel, start, end, measure)
    svc.group_mapping(group, panel)
    return ANSWER_CATALOGUE["why_changed"].function(
        panel.name, group=group, years=[start, end], scheduler="sync", measure=measure,
        **ANSWER_CATALOGUE["why_changed"].arguments(hub="CHN"))


def sda_view(frame: pd.DataFrame, panel: svc.Panel, start: int, end: int, group: str
             ) -> dict[str, Any]:
    """Chart and table of an SDA frame, drawn as the report draws them."""
    from silkchain.dashboard.figures import with_names
    from silkchain.report import sections as sec
    from silkchain.report.document import Report

    ctx = sec.Context(group=group, hub="CHN", years=[start, end],
                      report=Report(title="", subtitle=""))
    section = sec.why_changed_section(frame, ctx)
    chart = section.charts[0]
    return {"figure": with_names(json.loads(chart.figure.to_json()), svc.country_names(panel)),
            "title": chart.title, "guide": chart.guide, "citation": chart.citation,
            "caveat": chart.caveat, "table": _table(section.tables[0].frame),
            "note": section.tables[0].note,
            "caveats": list(frame.attrs.get("caveats", []))}


# --------------------------------------------------------------------------- scenario
def scenario_form() -> dict[str, Any]:
    """The fields of the page's scenario form, or why scenarios are unavailable."""
    return {
        "unavailable": None,
        "intro": ("Move a share of one country's industry to another (industrial transfer, "
                  "rebalanced with GRAS), or extract a country's exports (hypothetical "
                  "extraction), and compare value added and GVC measures before and after."),
        "fields": [
            {"name": "kind", "label": "Shock", "kind": "choice",
             "choices": ["transfer", "extract"], "default": "transfer"},
            {"name": "from", "label": "From", "kind": "country", "default": "CHN"},
            {"name": "to", "label": "To", "kind": "country", "default": "IDN"},
            # the default is the dataset's own code for a broad sector (svc.default_sector)
            {"name": "sector", "label": "Sector", "kind": "sector", "default": None},
            {"name": "share", "label": "Share moved (0-1)", "kind": "number", "min": 0,
             "max": 1, "default": 0.2},
            {"name": "technology", "label": "Technology", "kind": "choice",
             "choices": ["destination", "origin", "blend"], "default": "destination"},
        ],
    }


def scenario_from_form(form: dict[str, str], panel: svc.Panel) -> dict[str, Any]:
    """A scenario specification from the page's form (every value checked)."""
    allowed = {"kind", "from", "to", "sector", "share", "technology"}
    unknown = sorted(set(form) - allowed)
    if unknown:
        raise svc.RequestProblem(f"unknown form field {unknown[0]!r:.40}; allowed: "
                                 f"{', '.join(sorted(allowed))}")
    kind = form.get("kind", "transfer")
    if kind not in ("transfer", "extract"):
        raise svc.RequestProblem(f"unknown shock {kind!r:.40}; use transfer or extract")
    origin = svc.check_countries(panel, [form.get("from", "")])[0]
    sector = form.get("sector", "")
    codes = [c for c, _ in svc.sectors(panel)]
    if sector not in codes:
        raise svc.RequestProblem(f"unknown sector {sector!r:.40}; available: "
                                 f"{', '.join(codes)}")
    names = svc.country_names(panel)
    sector_name = dict(svc.sectors(panel)).get(sector, sector)
    if kind == "extract":
        return {"name": f"{names[origin]} stops exporting {sector_name}",
                "steps": [{"extract": {"what": "exports", "country": origin,
                                       "sector": sector}}]}
    dest = svc.check_countries(panel, [form.get("to", "")])[0]
    try:
        share = float(form.get("share", "0.2"))
    except ValueError:
        raise svc.RequestProblem(f"share must be a number in [0, 1]; got "
                                 f"{form.get('share')!r:.40}") from None
    if not 0 <= share <= 1:
        raise svc.RequestProblem(f"share must be in [0, 1]; got {share:g}")
    tech = form.get("technology", "destination")
    return {"name": f"{share:.0%} of {names[origin]}'s {sector_name} moves to {names[dest]}",
            "steps": [{"transfer": {"from": origin, "to": dest, "sector": sector,
                                    "share": share, "technology": tech}}]}


def check_scenario(spec: dict[str, Any]) -> Any:
    """Validate a posted specification; the table always comes from dataset and year."""
    from silkchain.scenarios import Scenario

    if "table" in spec:
        raise svc.RequestProblem("scenario.table is not accepted here: the table is the "
                                 "request's dataset and year")
    if len(json.dumps(spec, default=str)) > MAX_SPEC_BYTES:
        raise svc.RequestProblem(f"the scenario is larger than {MAX_SPEC_BYTES} bytes")
    steps = spec.get("steps") or []
    if isinstance(steps, list) and len(steps) > MAX_STEPS:
        raise svc.RequestProblem(f"{len(steps)} scenario steps; at most {MAX_STEPS}")
    return Scenario.from_dict(spec)


def register_analyses(app: FastAPI, jobs: JobQueue) -> None:
    """Add the Belt and Road and scenario endpoints to ``app``."""

    @app.get("/api/answers", tags=["bri"])
    def answers() -> list[dict[str, Any]]:
        """The Belt and Road answers (``silkchain.bri``) and whether each is available."""
        return _answers()

    @app.get("/api/bri/{answer}", tags=["bri"])
    def bri_rows(answer: Annotated[str, Path(max_length=64)],
                 dataset: Annotated[str, Query(max_length=64)] = "wiod2013",
                 start: Annotated[int | None, Query(ge=1900, le=2100)] = None,
                 end: Annotated[int | None, Query(ge=1900, le=2100)] = None,
                 group: Annotated[str, Query(max_length=64)] = "bri64",
                 measure: Annotated[str | None, Query(max_length=64)] = None,
                 limit: Annotated[int, Query(ge=1, le=50_000)] = 10_000) -> dict[str, Any]:
        """A Belt and Road answer as tidy rows (``year, country, sector, partner, measure,
        value``), with its coverage and caveats."""
        check_answer(answer)
        panel = svc.check_dataset(dataset)
        years = svc.check_years(panel, start, end)
        svc.group_mapping(group, panel)
        frame = run_answer(answer, panel, years, group)
        if measure is not None:
            if measure not in set(frame["measure"]):
                raise svc.RequestProblem(f"unknown measure {measure!r:.40} of {answer}; "
                                         f"available: {', '.join(frame['measure'].unique())}")
            frame = frame[frame["measure"] == measure]
        return {"answer": answer, "dataset": panel.name, "years": years, "group": group,
                "rows": _records(frame.head(limit)), "total_rows": len(frame),
                "caveats": list(frame.attrs.get("caveats", [])),
                "coverage": frame.attrs.get("coverage")}

    @app.post("/api/jobs/bri", tags=["jobs"], status_code=202)
    def bri_job(req: Annotated[BriRequest, Body()]) -> dict[str, Any]:
        """Draw a Belt and Road answer in the background; poll ``/api/jobs/{id}``."""
        answer = check_answer(req.answer)
        panel = svc.check_dataset(req.dataset)
        years = svc.check_years(panel, req.start, req.end)
        svc.group_mapping(req.group, panel)
        why = answer.left_out(years)  # an answer needing more years says so at once
        if why is not None:
            raise svc.RequestProblem(why, status=422)
        steps = len(years) + 1  # each year, then the chart

        def work(progress: Callable[[int, int, str], None]) -> dict[str, Any]:
            title = f"{answer.title}: {panel.name}"
            progress(0, steps, f"{title} {years[0]}")

            def yearly(done: int, total: int, year: Any) -> None:
                progress(done, steps, f"{title} {year} done")

            frame = run_answer(req.answer, panel, years, req.group, progress=yearly)
            progress(steps - 1, steps, "drawing")
            return answer_chart(req.answer, frame, panel, years, req.group)

        return jobs.submit("bri", work, total=steps).public()

    @app.get("/api/sda/measures", tags=["sda"])
    def sda_measure_list() -> list[dict[str, str]]:
        """The measures whose change the SDA panel decomposes."""
        return sda_measures()

    @app.post("/api/jobs/sda", tags=["jobs"], status_code=202)
    def sda_job(req: Annotated[SdaRequest, Body()]) -> dict[str, Any]:
        """Decompose the change of a measure between two years in the background (structural
        decomposition, average of the polar decompositions); poll ``/api/jobs/{id}``."""
        panel = svc.check_dataset(req.dataset)
        check_sda(panel, req.start, req.end, req.measure)
        svc.group_mapping(req.group, panel)

        def work(progress: Callable[[int, int, str], None]) -> dict[str, Any]:
            progress(0, 2, f"decomposing {req.measure}, {req.start}-{req.end}")
            frame = run_sda(panel, req.start, req.end, req.group, req.measure)
            progress(1, 2, "drawing")
            return sda_view(frame, panel, req.start, req.end, req.group)

        return jobs.submit("sda", work, total=2).public()

    @app.get("/api/download/sda", tags=["sda"], response_class=Response,
             responses={200: {"content": {"text/csv": {}}}})
    def sda_download(dataset: Annotated[str, Query(max_length=64)] = "wiod2013",
                     start: Annotated[int, Query(ge=1900, le=2100)] = 1995,
                     end: Annotated[int, Query(ge=1900, le=2100)] = 2011,
                     group: Annotated[str, Query(max_length=64)] = "bri64",
                     measure: Annotated[str, Query(max_length=64)] = "dva_share") -> Response:
        """The decomposition's rows as CSV (``year, country, sector, partner, measure,
        value``; the factors add up to ``<measure>.change``)."""
        panel = svc.check_dataset(dataset)
        frame = run_sda(panel, start, end, group, measure)
        name = f"sda_{panel.name}_{measure}_{start}-{end}.csv"
        return Response(frame.to_csv(index=False), media_type="text/csv",
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})

    @app.post("/api/jobs/scenario", tags=["jobs"], status_code=202)
    def scenario_job(req: Annotated[ScenarioRequest, Body()]) -> dict[str, Any]:
        """Run a scenario on one year of a dataset in the background; the result has a chart
        of the changes and the comparison's country totals."""
        panel = svc.check_dataset(req.dataset)
        svc.check_year(panel, req.year)
        if (req.scenario is None) == (req.form is None):
            raise svc.RequestProblem("give either scenario (a specification) or form")
        spec = req.scenario if req.scenario is not None else scenario_from_form(req.form,
                                                                                 panel)
        scenario = check_scenario(spec)
        svc.check_scenario_codes(panel, scenario.to_dict())  # cached labels, no table read
        from silkchain.scenarios import run

        def work(progress: Callable[[int, int, str], None]) -> dict[str, Any]:
            from silkchain.report.charts import scenario_figure, scenario_table

            table = svc.table(panel, req.year)
            res = run(scenario, table=table, measures=list(SCENARIO_MEASURES),
                      progress=progress)
            must = []
            for step in scenario.steps:
                for attr in ("origin", "country"):
                    if isinstance(getattr(step, attr, None), str):
                        must.append(getattr(step, attr))
                dest = getattr(step, "destination", None)
                if isinstance(dest, dict):
                    must.extend(dest)
            names = svc.country_names(panel)
            wide = scenario_table(res.comparison, must, names=names)
            fig = scenario_figure(res.comparison, must, title=scenario.name or "",
                                  names=names)
            cols = [str(c) for c in wide.columns]
            rows = [[None if isinstance(v, float) and v != v else v
                     for v in r] for r in wide.astype(object).itertuples(index=False)]
            return {"figure": json.loads(fig.to_json()), "table": {"columns": cols,
                                                                    "rows": rows},
                    "sha256": res.sha256, "scenario": scenario.to_dict(),
                    "notes": res.notes}

        return jobs.submit("scenario", work, total=max(len(scenario.steps), 1) + 1).public()
