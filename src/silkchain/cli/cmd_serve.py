"""``silkchain serve``: the web dashboard on this machine."""

from __future__ import annotations

from typing import Annotated

import typer

from silkchain.cli.common import console, fail

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


def serve_cmd(
    host: Annotated[str, typer.Option(help="Address to bind. The default serves this machine "
                                           "only; 0.0.0.0 exposes the dashboard to the "
                                           "network (it has no authentication).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port (0: any free port).")] = 8000,
    workers: Annotated[int, typer.Option(min=1, max=8, help="Threads for background "
                                                            "computations.")] = 1,
) -> None:
    """Start the dashboard: pick a dataset, years, countries and a measure; run scenarios;
    download CSV or Excel. The JSON API and its OpenAPI document are at /openapi.json."""
    try:
        import uvicorn

        from silkchain.dashboard import create_app
    except ImportError as err:
        raise fail(f"the dashboard needs optional packages ({err}); "
                   "pip install 'silkchain[dashboard]'") from None
    if host not in LOCAL_HOSTS:
        console.print(f"[yellow]warning:[/] binding {host}: the dashboard will be reachable "
                      "from other machines and has no authentication")
    console.print(f"silkchain dashboard on http://{host}:{port}/ (API: /docs, /openapi.json); "
                  "Ctrl+C stops it", highlight=False)
    uvicorn.run(create_app(workers=workers), host=host, port=port, log_level="warning")


def register(app: typer.Typer) -> None:
    """Add ``serve`` to ``app``."""
    app.command("serve")(serve_cmd)
