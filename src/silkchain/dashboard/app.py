"""The FastAPI application: pages rendered on the server, a JSON API, downloads.

Endpoints (the JSON API mirrors the Python API; its OpenAPI document is at
``/openapi.json`` and browsable at ``/docs``):

=============================  ==========================================================
``GET /``                      the dashboard page
``GET /api/health``            liveness and version
``GET /api/datasets``          datasets with yearly tables (``silkchain.datasets``)
``GET /api/datasets/{name}``   years, countries and sectors of one dataset
``GET /api/groups``            country groups (``silkchain.groups.list_groups``)
``GET /api/groups/{name}``     a group's members inside a dataset's table
``GET /api/measures``          the country-level measures on offer
``GET /api/measure``           one measure for countries and years, as tidy rows
``POST /api/jobs/measure``     the same in the background, with progress and a chart
``GET /api/bri/{answer}``      a Belt and Road answer (``silkchain.bri``) as tidy rows
``POST /api/jobs/bri``         a Belt and Road chart in the background
``POST /api/jobs/scenario``    run a scenario (``silkchain.scenarios.run``) in the background
``GET /api/jobs/{id}``         progress and, when done, the result of a job
``GET /api/download``          a measure as CSV or Excel
=============================  ==========================================================
"""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import AsyncIterator, Callable
from typing import Annotated, Any, Literal

import pandas as pd
from fastapi import Body, FastAPI, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ValidationError

from silkchain.dashboard import service as svc
from silkchain.dashboard.catalogue import MEASURES
from silkchain.dashboard.figures import measure_figure, wide_table
from silkchain.dashboard.guard import LOOPBACK_HOSTS, Guard, Policy
from silkchain.dashboard.jobs import JobQueue, QueueClosed, QueueFull
from silkchain.dashboard.models import MeasureRequest
from silkchain.errors import SilkchainError
from silkchain.io.xlsx import write_sheets

DatasetQ = Annotated[str, Query(min_length=1, max_length=64, description="Dataset name, e.g. "
                                "wiod2013 (see /api/datasets).")]
YearQ = Annotated[int | None, Query(ge=1900, le=2100, description="First or last year.")]
CountriesQ = Annotated[str, Query(max_length=800, description="Comma-separated country codes.")]
GroupQ = Annotated[str | None, Query(max_length=64, description="A country group, e.g. bri64.")]
MeasureQ = Annotated[str, Query(min_length=1, max_length=64)]
VariableQ = Annotated[str | None, Query(max_length=64)]
MembersQ = Annotated[bool, Query(description="With a group: also its members one by one.")]


class Problem(BaseModel):
    """Every error answer: one message naming the field and what was wrong."""

    detail: str


#: Error answers every endpoint may give, documented once for all (OpenAPI).
PROBLEMS: dict[int | str, dict[str, Any]] = {
    400: {"model": Problem, "description": "Host header not served here"},
    401: {"model": Problem, "description": "Access token missing (when one is set)"},
    403: {"model": Problem, "description": "Request from another origin"},
    404: {"model": Problem, "description": "Unknown dataset, group, answer or job"},
    413: {"model": Problem, "description": "Body too large"},
    422: {"model": Problem, "description": "Invalid input; the message names the field"},
    429: {"model": Problem, "description": "Too many computations waiting"},
    503: {"model": Problem, "description": "A part of silkchain is not installed"},
}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _field_errors(errors: Any) -> str:
    """Pydantic errors as ``loc: message`` (never the offending value itself)."""
    parts = []
    for e in errors:
        loc = ".".join(str(p)[:40] for p in e.get("loc", ())) or "request"
        parts.append(f"{loc}: {e.get('msg', 'invalid')}")
    return "; ".join(parts[:8])[:2000]


def _split(text: str) -> list[str]:
    return [c for c in re.split(r"[,\s]+", text or "") if c]


def _resolve_countries(panel: svc.Panel, countries: list[str], group: str | None,
                       members: bool = False) -> list[str]:
    """The chosen countries (checked), plus the group's members when asked for."""
    codes = list(countries)
    if group:
        svc.group_mapping(group, panel)  # 404 for an unknown group
        if members:
            codes += svc.group_members(group, panel)
        if not codes:
            return []
    return svc.check_countries(panel, codes)


class Rows:
    """What a measure request resolved to, and its tidy rows."""

    def __init__(self, req: MeasureRequest,
                 progress: Callable[[int, int, str], None] | None = None,
                 compute: bool = True) -> None:
        self.panel = svc.check_dataset(req.dataset)
        self.years = svc.check_years(self.panel, req.start, req.end)
        self.measure, self.variable = svc.check_measure(req.measure, req.variable)
        self.codes = _resolve_countries(self.panel, req.countries, req.group, req.members)
        self.group = (svc.group_line(req.group, self.panel, self.measure, self.variable)
                      if req.group else None)
        self.unit = svc.unit_of(self.measure, self.variable)
        self.frame = (svc.measure_panel(self.panel, self.years, self.measure, self.variable,
                                        self.codes, progress, self.group)
                      if compute else pd.DataFrame())


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return frame.astype(object).where(frame.notna(), None).to_dict(orient="records")


def create_app(*, workers: int = 1, max_pending: int = 8,
               hosts: tuple[str, ...] | None = None, token: str | None = None) -> FastAPI:
    """The dashboard application.

    Parameters
    ----------
    workers : int
        Threads running background computations.
    max_pending : int
        Most computations waiting or running at once; more get HTTP 429.
    hosts : tuple of str, optional
        ``Host`` names the server answers to (default: the loopback names
        127.0.0.1, localhost and ::1; ``("*",)`` accepts any, for use behind a token).
    token : str, optional
        Access token every request but ``/api/health`` must carry (``Authorization:
        Bearer``, the ``silkchain_token`` cookie, or ``?token=`` once, which sets the
        cookie). ``silkchain serve`` sets one whenever it binds beyond loopback.

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")  # starlette asks for httpx2, not installed here
    ...     from fastapi.testclient import TestClient
    >>> client = TestClient(create_app(), base_url="http://127.0.0.1")
    >>> client.get("/api/health").json()["status"]
    'ok'
    >>> client.get("/api/health", headers={"Host": "evil.example"}).status_code
    400
    """
    import threading

    from silkchain import __version__

    jobs = JobQueue(workers=workers, max_pending=max_pending)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # labels of every dataset, read once in the background, so that submissions are
        # checked against them without reading a table
        threading.Thread(target=svc.warm_labels, daemon=True, name="silkchain-labels").start()
        jobs.start()
        yield
        jobs.shutdown()

    app = FastAPI(title="silkchain dashboard", version=__version__, lifespan=lifespan,
                  description="Global value chains and the Belt and Road: a JSON API over "
                              "silkchain's Python API. Every error answer is "
                              "`{\"detail\": \"<field>: <problem>\"}`.",
                  responses=PROBLEMS, docs_url=None, redoc_url=None)
    app.state.jobs = jobs
    app.add_middleware(Guard, policy=Policy(hosts=tuple(hosts or LOOPBACK_HOSTS),
                                            token=token))

    @app.exception_handler(svc.RequestProblem)
    async def _problem(request: Request, exc: svc.RequestProblem) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=exc.status)

    @app.exception_handler(ValidationError)
    async def _invalid(request: Request, exc: ValidationError) -> JSONResponse:
        return JSONResponse({"detail": _field_errors(exc.errors(include_url=False))},
                            status_code=422)

    @app.exception_handler(RequestValidationError)
    async def _invalid_request(request: Request, exc: RequestValidationError
                               ) -> JSONResponse:
        return JSONResponse({"detail": _field_errors(exc.errors())}, status_code=422)

    @app.exception_handler(QueueFull)
    async def _full(request: Request, exc: QueueFull) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=429)

    @app.exception_handler(QueueClosed)
    async def _closed(request: Request, exc: QueueClosed) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=503)

    @app.exception_handler(SilkchainError)
    async def _silk(request: Request, exc: SilkchainError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=422)

    from silkchain.dashboard.pages import register_pages

    register_pages(app)

    @app.get("/api/health", tags=["meta"])
    async def health() -> dict[str, Any]:
        """Liveness check (answered on the event loop, never behind a computation)."""
        return {"status": "ok", "version": __version__}

    @app.get("/api/datasets", tags=["data"])
    def datasets() -> list[dict[str, Any]]:
        """Datasets with yearly tables (the ids of ``silkchain.datasets()``, by name)."""
        return [{"name": p.name, "source": p.source, "release": p.release,
                 "years": list(p.years)} for p in svc.panels().values()]

    @app.get("/api/datasets/{name}", tags=["data"])
    def dataset(name: Annotated[str, Path(max_length=64)]) -> dict[str, Any]:
        """Years, countries and sectors of dataset ``name``."""
        panel = svc.check_dataset(name)
        names = svc.country_names(panel)
        return {"name": panel.name, "source": panel.source, "release": panel.release,
                "years": list(panel.years), "countries": list(svc.countries(panel)),
                "country_names": names,
                "sectors": [{"code": c, "name": n} for c, n in svc.sectors(panel)],
                "defaults": {"countries": svc.default_countries(panel),
                             "sector": svc.default_sector(panel)}}

    @app.get("/api/groups", tags=["data"])
    def groups() -> list[str]:
        """Names of the country groups (``silkchain.groups.list_groups``)."""
        return svc.group_names()

    @app.get("/api/groups/{name}", tags=["data"])
    def group(name: Annotated[str, Path(max_length=64)],
              dataset: DatasetQ = "wiod2013") -> dict[str, Any]:
        """Members of group ``name`` that appear as countries in ``dataset``."""
        panel = svc.check_dataset(dataset)
        mapping = svc.group_mapping(name, panel)
        return {"name": mapping.group, "dataset": panel.name, "countries": list(mapping.inside),
                "hidden_in_rest_of_world": list(mapping.hidden),
                "description": mapping.describe()}

    @app.get("/api/measures", tags=["measures"])
    def measures() -> list[dict[str, Any]]:
        """The measures on offer, their variables, units and sources."""
        return [{"name": m.name, "title": m.title, "function": f"{m.module}.{m.function}",
                 "variables": list(m.variables), "default": m.default, "unit": m.unit,
                 "citation": m.citation, "unavailable": m.availability()}
                for m in MEASURES.values()]

    @app.get("/api/measure", tags=["measures"])
    def measure(dataset: DatasetQ = "wiod2013", start: YearQ = None, end: YearQ = None,
                countries: CountriesQ = "", group: GroupQ = None,
                measure: MeasureQ = "totals", variable: VariableQ = None,
                members: MembersQ = False) -> dict[str, Any]:
        """A country-level measure as tidy rows ``year, country, measure, value``; a group
        is one more series named after the group (see ``MeasureRequest``)."""
        req = MeasureRequest(dataset=dataset, start=start, end=end,
                             countries=_split(countries), group=group, members=members,
                             measure=measure, variable=variable)
        got = Rows(req)
        return {"dataset": req.dataset, "years": got.years, "countries": got.codes,
                "group": got.group.label if got.group else None, "unit": got.unit,
                "measure": req.measure, "variable": got.variable,
                "undefined": svc.undefined_notes(got.panel, got.frame),
                "rows": _records(got.frame)}

    @app.post("/api/jobs/measure", tags=["jobs"], status_code=202)
    def measure_job(req: Annotated[MeasureRequest, Body()]) -> dict[str, Any]:
        """Compute a measure in the background; poll ``/api/jobs/{id}`` for progress."""
        first = Rows(req, compute=False)  # every input checked before queueing
        m = MEASURES[req.measure]

        def work(progress: Callable[[int, int, str], None]) -> dict[str, Any]:
            got = Rows(req, progress)
            names = svc.country_names(got.panel)
            if got.group is not None:
                names[got.group.name] = got.group.label
            title = f"{m.title}: {got.variable}"
            return {"figure": measure_figure(got.frame, title, f"{got.variable} ({got.unit})",
                                             names, highlight=got.group.name if got.group
                                             else None),
                    "title": title, "table": wide_table(got.frame, names),
                    "citation": m.citation, "unit": got.unit,
                    "coverage": (svc.group_mapping(req.group, got.panel).describe()
                                 if req.group else None),
                    "countries": list(dict.fromkeys(got.frame["country"])),
                    "undefined": svc.undefined_notes(got.panel, got.frame),
                    "years": got.years, "variable": got.variable, "rows": len(got.frame)}

        return jobs.submit("measure", work, total=len(first.years)).public()

    @app.get("/api/download", tags=["measures"], response_class=Response,
             responses={200: {"description": "The file", "content": {
                 "text/csv": {"schema": {"type": "string"}},
                 XLSX: {"schema": {"type": "string", "format": "binary"}}}}})
    def download(dataset: DatasetQ = "wiod2013", start: YearQ = None, end: YearQ = None,
                 countries: CountriesQ = "", group: GroupQ = None,
                 measure: MeasureQ = "totals", variable: VariableQ = None,
                 members: MembersQ = False,
                 format: Literal["csv", "xlsx"] = "csv") -> Response:
        """A measure as a CSV or Excel file (tidy rows, with the country's name)."""
        req = MeasureRequest(dataset=dataset, start=start, end=end,
                             countries=_split(countries), group=group, members=members,
                             measure=measure, variable=variable)
        got = Rows(req)
        panel, years, variable = got.panel, got.years, got.variable
        names = svc.country_names(panel)
        if got.group is not None:
            names[got.group.name] = got.group.label
        frame = got.frame.copy()
        frame.insert(2, "name", frame["country"].map(names).fillna(frame["country"]))
        frame["unit"] = got.unit
        stem = f"{panel.name}_{req.measure}_{variable}_{years[0]}-{years[-1]}"
        stem = re.sub(r"[^A-Za-z0-9_.-]", "_", stem)
        if format == "csv":
            data = frame.to_csv(index=False).encode()
            media = "text/csv"
        else:
            buf = io.BytesIO()
            write_sheets({"data": frame, "about": pd.DataFrame(
                {"item": ["dataset", "measure", "variable", "source"],
                 "value": [panel.name, req.measure, variable,
                           MEASURES[req.measure].citation]})}, buf)
            data = buf.getvalue()
            media = XLSX
        return Response(data, media_type=media, headers={
            "Content-Disposition": f'attachment; filename="{stem}.{format}"'})

    from silkchain.dashboard.analyses import register_analyses

    register_analyses(app, jobs)

    # after every POST /api/jobs/<kind>, so that /api/jobs/scenario never routes here
    @app.get("/api/jobs/{job_id}", tags=["jobs"])
    def job(job_id: Annotated[str, Path(max_length=64)]) -> dict[str, Any]:
        """Progress of a job and, once done, its result."""
        if not re.fullmatch(r"[0-9a-f]{32}", job_id):
            raise svc.RequestProblem(f"not a job id: {job_id!r:.40}", status=404)
        found = jobs.get(job_id)
        if found is None:
            raise svc.RequestProblem(f"no job {job_id}; it may have expired", status=404)
        body = found.public()
        body["result"] = found.result if found.status == "done" else None
        return body

    from silkchain.dashboard.apidocs import register_api_page

    register_api_page(app)

    return app
