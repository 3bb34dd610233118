"""``silkchain serve``: the web dashboard on this machine."""

from __future__ import annotations

import os
import socket
from typing import Annotated

import typer

from silkchain.cli.common import console, fail

#: Environment variable read for the access token when ``--token`` is not given.
TOKEN_ENV = "SILKCHAIN_DASHBOARD_TOKEN"


def _bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port`` (port 0: a free port chosen by the system)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as err:
        sock.close()
        raise fail(f"cannot listen on {host}:{port}: {err.strerror or err}") from None
    sock.listen(128)
    return sock


def serve_cmd(
    host: Annotated[str, typer.Option(help="Address to bind. The default serves this machine "
                                           "only; any other address (0.0.0.0) needs the "
                                           "access token printed at start.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port (0: any free port; the "
                                                             "bound port is printed).")] = 8000,
    workers: Annotated[int, typer.Option(min=1, max=8, help="Threads for background "
                                                            "computations.")] = 1,
    token: Annotated[str | None, typer.Option(
        help=f"Access token required on every request (default: ${TOKEN_ENV}; a random "
             "one when binding beyond loopback, none on loopback).", show_default=False,
        metavar="TEXT")] = None,
    allowed_host: Annotated[list[str] | None, typer.Option(
        "--allowed-host", help="Host name the server answers to (repeatable). Default: "
                               "127.0.0.1, localhost and ::1 on loopback; any name beyond "
                               "loopback (the token guards it).", show_default=False,
        metavar="NAME")] = None,
) -> None:
    """Start the dashboard: pick a dataset, years, countries and a measure; run scenarios;
    download CSV or Excel. The API is described at /docs and /openapi.json."""
    try:
        import uvicorn

        from silkchain.dashboard import create_app
        from silkchain.dashboard.guard import LOOPBACK_HOSTS, is_loopback, new_token
    except ImportError as err:
        raise fail(f"the dashboard needs optional packages ({err}); "
                   "pip install 'silkchain[dashboard]'") from None
    token = token or os.environ.get(TOKEN_ENV) or None
    local = is_loopback(host)
    if not local and token is None:
        token = new_token()
    hosts = tuple(allowed_host) if allowed_host else (LOOPBACK_HOSTS if local else ("*",))
    if local and host not in hosts and not allowed_host:
        hosts = (*hosts, host)
    sock = _bind(host, port)
    bound = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{bound}/" + (f"?token={token}" if token else "")
    if not local:
        console.print(f"[yellow]warning:[/] binding {host}: the dashboard is reachable from "
                      "other machines; every request must carry the access token",
                      highlight=False)
    console.print(f"silkchain dashboard on {url} (API: /docs, /openapi.json); "
                  "Ctrl+C stops it", highlight=False, soft_wrap=True)
    config = uvicorn.Config(create_app(workers=workers, hosts=hosts, token=token),
                            log_level="warning")
    server = uvicorn.Server(config)
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()


def register(app: typer.Typer) -> None:
    """Add ``serve`` to ``app``."""
    app.command("serve")(serve_cmd)
