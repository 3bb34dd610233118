"""The dashboard page (server-side Jinja2) and its static assets (package data)."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from silkchain.dashboard import service as svc
from silkchain.dashboard.catalogue import MEASURES
from silkchain.report.assets import package_text, plotly_js

PACKAGE = "silkchain.dashboard.templates"

#: The only files served under /static: fixed names, never a path from the request.
STATIC: dict[str, tuple[str, str]] = {
    "plotly.min.js": ("plotly", "application/javascript"),
    "dashboard.js": ("dashboard.js", "application/javascript"),
    "dashboard.css": ("dashboard.css", "text/css"),
}


def _templates() -> Any:
    import jinja2
    from fastapi.templating import Jinja2Templates

    env = jinja2.Environment(loader=jinja2.PackageLoader("silkchain.dashboard", "templates"),
                             autoescape=jinja2.select_autoescape(["html"]))
    return Jinja2Templates(env=env)


def page_context() -> dict[str, Any]:
    """What the page needs to draw its controls."""
    from silkchain import __version__
    from silkchain.dashboard.analyses import ANSWERS, scenario_form, sda_measures

    panels = list(svc.panels().values())
    # the dataset reaching the most recent year (the first listed among equals)
    default = max(panels, key=lambda p: p.years[-1], default=None)
    names = svc.country_names(default) if default else {}
    countries = [(c, names[c]) for c in svc.countries(default)] if default else []
    sectors = list(svc.sectors(default)) if default else []
    measures = [{"name": m.name, "title": m.title, "variables": list(m.variables),
                 "default": m.default, "unavailable": m.availability()}
                for m in MEASURES.values()]
    return {
        "version": __version__, "panels": panels, "default": default,
        "countries": countries, "sectors": sectors, "groups": svc.group_names(),
        "measures": measures, "answers": ANSWERS, "scenario": scenario_form(),
        "sda_measures": sda_measures(),
        "chosen": svc.default_countries(default) if default else [],
        "sector": svc.default_sector(default) if default else "",
    }


def register_pages(app: FastAPI) -> None:
    """Add ``/`` and ``/static/{name}`` to ``app``."""
    templates = _templates()

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index(request: Request) -> Response:
        return templates.TemplateResponse(request, "index.html", page_context())

    @app.get("/static/{name}", include_in_schema=False)
    def static(name: str) -> Response:
        entry = STATIC.get(name)
        if entry is None:
            raise HTTPException(404, f"no static file {name!r:.40}; available: "
                                     f"{', '.join(STATIC)}")
        source, media = entry
        text = plotly_js() if source == "plotly" else package_text(PACKAGE, source)
        return Response(text, media_type=media,
                        headers={"Cache-Control": "public, max-age=3600"})
