"""The silkchain web dashboard: FastAPI, server-side Jinja2 templates and Plotly.

Start it with ``silkchain serve`` (binds 127.0.0.1:8000 by default) or build the
application with :func:`create_app` and serve it with any ASGI server.
"""

from __future__ import annotations

from silkchain.dashboard.app import create_app

__all__ = ["create_app"]
