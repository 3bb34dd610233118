"""Session set-up for every test and doctest (tests/, src/ and docs/)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(scope="session", autouse=True)
def _private_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Keep the session's store and caches out of the user's data directory."""
    home = tmp_path_factory.mktemp("silkchain-home")
    old = os.environ.get("SILKCHAIN_HOME")
    os.environ["SILKCHAIN_HOME"] = str(home)
    yield home
    if old is None:
        os.environ.pop("SILKCHAIN_HOME", None)
    else:
        os.environ["SILKCHAIN_HOME"] = old
