"""Headless Chromium (Debian's /usr/bin/chromium) driven by Playwright, offline.

No browser is ever downloaded: Playwright is pointed at the system binary and
the tests skip, saying why, only when that binary is absent (``make test``
installs it). Every browser context blocks requests that are not for
``file:`` URLs or 127.0.0.1 and records them, so a test can assert that a page
tried nothing remote.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

CHROMIUM = Path(os.environ.get("SILKCHAIN_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run",
               "--disable-dev-shm-usage"]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}


def _skip_reason() -> str | None:
    if not CHROMIUM.exists():
        return (f"Debian's chromium is not installed at {CHROMIUM} (make test installs it "
                "with apt-get; never `playwright install`)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright Python package is missing (pip install -e '.[test]')"
    return None


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Folder for screenshots and downloads kept after the run (``test-artifacts/``)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """A headless Chromium on the system binary, for the whole session."""
    reason = _skip_reason()
    if reason:
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
        yield b
        b.close()


class OfflineContext:
    """A browser context that aborts every request leaving this machine, and lists them."""

    def __init__(self, browser: object, **options: object) -> None:
        self.blocked: list[str] = []
        self.context = browser.new_context(**options)  # type: ignore[attr-defined]
        self.context.route("**/*", self._route)

    def _route(self, route: object) -> None:
        url = route.request.url  # type: ignore[attr-defined]
        parsed = urlparse(url)
        if parsed.scheme in ("file", "data", "blob", "about") or (
                parsed.scheme in ("http", "https", "ws") and parsed.hostname in LOCAL_HOSTS):
            route.continue_()  # type: ignore[attr-defined]
        else:
            self.blocked.append(url)
            route.abort()  # type: ignore[attr-defined]


@pytest.fixture
def offline(browser: object) -> Iterator[OfflineContext]:
    """A fresh offline context (1400 x 900, downloads accepted)."""
    ctx = OfflineContext(browser, viewport={"width": 1400, "height": 900},
                         accept_downloads=True)
    yield ctx
    ctx.context.close()


class LiveServer:
    """The dashboard served by uvicorn in a thread on 127.0.0.1 and a free port."""

    def __init__(self) -> None:
        import uvicorn

        from silkchain.dashboard import create_app

        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(create_app(), log_level="warning", lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]},
                                       daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the dashboard server did not start within 30 s")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.sock.close()


@pytest.fixture(scope="session")
def live_server() -> Iterator[LiveServer]:
    """The dashboard on 127.0.0.1:<free port>, shut down at the end of the session."""
    if _skip_reason():
        pytest.skip(_skip_reason() or "")
    with LiveServer() as server:
        yield server
