"""A dashboard client shared by the API tests."""

from __future__ import annotations

import warnings

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette asks for httpx2, not installed here
    from fastapi.testclient import TestClient

from silkchain.dashboard import create_app


@pytest.fixture(scope="module")
def client():
    """A TestClient on a fresh app (its background jobs run in a thread)."""
    with TestClient(create_app(), base_url="http://127.0.0.1") as c:
        yield c
