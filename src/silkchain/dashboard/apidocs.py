"""``/docs``: a self-contained page documenting the JSON API from its OpenAPI document.

The page is drawn on the server from ``app.openapi()`` (every path, parameter, body
schema and answer) with a small form per endpoint that calls this server only; it
loads nothing from elsewhere (Swagger UI would fetch its scripts from a CDN).
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response

METHODS = ("get", "post", "put", "patch", "delete")


def _schema_text(schema: dict[str, Any], components: dict[str, Any]) -> str:
    """A short type description of a JSON schema (``$ref`` resolved one level)."""
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " or ".join(_schema_text(s, components) for s in schema["anyOf"])
    kind = str(schema.get("type", "any"))
    if kind == "array":
        return f"list of {_schema_text(schema.get('items', {}), components)}"
    bounds = [f"{k} {schema[k]}" for k in ("minimum", "maximum", "minLength", "maxLength",
                                           "maxItems") if k in schema]
    if "enum" in schema:
        bounds.append("one of " + ", ".join(map(str, schema["enum"])))
    return kind + (f" ({'; '.join(bounds)})" if bounds else "")


def _plain(text: str) -> str:
    """Docstring text without reST literal markers.

    >>> _plain("the ids of ``silkchain.datasets()``")
    'the ids of silkchain.datasets()'
    """
    return text.replace("``", "")


def operations(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """Every operation of an OpenAPI document, ready for the page."""
    components = spec.get("components", {}).get("schemas", {})
    out = []
    for path, item in spec.get("paths", {}).items():
        for method in METHODS:
            op = item.get(method)
            if op is None:
                continue
            params = [{"name": p["name"], "in": p["in"], "required": p.get("required", False),
                       "type": _schema_text(p.get("schema", {}), components),
                       "default": p.get("schema", {}).get("default"),
                       "description": _plain(p.get("description", ""))}
                      for p in op.get("parameters", [])]
            body = None
            content = op.get("requestBody", {}).get("content", {})
            if "application/json" in content:
                ref = content["application/json"].get("schema", {})
                name = _schema_text(ref, components)
                model = components.get(name, ref)
                body = {"name": name, "fields": [
                    {"name": k, "type": _schema_text(v, components),
                     "default": json.dumps(v.get("default")) if "default" in v else "",
                     "description": v.get("description", "")}
                    for k, v in model.get("properties", {}).items()]}
            answers = [{"status": code, "description": r.get("description", ""),
                        "media": ", ".join(r.get("content", {}))}
                       for code, r in op.get("responses", {}).items()]
            out.append({"id": f"{method}-{path}".replace("/", "-").replace("{", "")
                        .replace("}", ""), "method": method.upper(), "path": path,
                        "summary": op.get("summary", ""), "description":
                        _plain(op.get("description", "")),
                        "tag": (op.get("tags") or ["other"])[0],
                        "params": params, "body": body, "answers": answers})
    return out


def register_api_page(app: FastAPI) -> None:
    """Add ``/docs`` (the API page) to ``app``."""
    import jinja2

    env = jinja2.Environment(loader=jinja2.PackageLoader("silkchain.dashboard", "templates"),
                             autoescape=jinja2.select_autoescape(["html"]))

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def api_page(request: Request) -> Response:
        spec = app.openapi()
        html = env.get_template("api.html").render(
            title=spec["info"]["title"], version=spec["info"]["version"],
            description=spec["info"].get("description", ""), operations=operations(spec))
        return HTMLResponse(html)
