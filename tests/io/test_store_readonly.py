"""A store the user cannot write (a shared folder, another user's store), with real permissions.

The suite often runs as root, which ignores file modes; the checks then run in a forked
child that has dropped to the ``nobody`` user (everything they need is imported first).
"""

from __future__ import annotations

import codecs
import json
import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import silkchain
from silkchain.cli.app import build_app
from silkchain.io.store import Store
from silkchain.panel import _CACHE_NOTES, panel

MOCK = Path(__file__).parents[1] / "data" / "mock" / "ICIO2016_2011.csv"
NOBODY = 65534


def as_reader(fn: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """``fn()`` as a user without write permission on the store (JSON result)."""
    if os.geteuid() != 0:  # permissions apply to this user already
        return fn()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child reports through the pipe
        os.close(read_end)
        code = 0
        try:
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            result = fn()
        except BaseException as err:  # reported to the parent
            result, code = {"child error": f"{type(err).__name__}: {err}"}, 1
        os.write(write_end, json.dumps(result, default=str).encode())
        os._exit(code)
    os.close(write_end)
    data = b""
    while chunk := os.read(read_end, 1 << 16):
        data += chunk
    os.close(read_end)
    os.waitpid(pid, 0)
    return json.loads(data)


@pytest.fixture()
def shared_store(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A store with one table, then made read-only (folders 0o555, files 0o444)."""
    root = Path(tempfile.mkdtemp(prefix="silkchain-ro-", dir="/tmp"))
    store = root / "store"
    monkeypatch.setenv("SILKCHAIN_HOME", str(store))
    Store().put_table(silkchain.read(MOCK), "shared:2011")
    # everything the child needs is imported (and the table read) while writable
    panel("shared", "koopman", years="2011", scheduler="sync", cache=False)
    CliRunner().invoke(build_app(), ["--version"])
    for name in ("ascii", "utf-8", "latin-1"):  # codecs are imported on first use
        codecs.lookup(name)
    for folder, _, files in os.walk(store):
        for name in files:
            os.chmod(Path(folder) / name, 0o444)
        os.chmod(folder, 0o555)
    os.chmod(root, 0o777)  # outputs of the commands go here
    _CACHE_NOTES.clear()
    yield store
    for folder, _, _ in os.walk(root):
        os.chmod(folder, 0o755)
    shutil.rmtree(root)


def test_reads_serve_the_tables_and_writes_say_why_they_cannot(shared_store: Path) -> None:
    def work() -> dict[str, Any]:
        out: dict[str, Any] = {"uid": os.geteuid()}
        out["G"] = silkchain.read("shared:2011").G
        out["ids"] = list(Store().catalog()["id"])
        out["check"] = Store().check()
        try:
            Store().put_table(silkchain.read(MOCK), "other:2011")
        except OSError as err:
            out["put"] = f"{type(err).__name__}: {err}"
        return out

    got = as_reader(work)
    assert got.get("uid") != 0, got
    assert (got["G"], got["ids"], got["check"]) == (3, ["shared:2011"], [])
    assert got["put"] == (f"StoreError: {shared_store}: cannot write to the store ([Errno 13] "
                          f"Permission denied: '{shared_store}/.lock'); reading still works")


def test_panels_and_commands_compute_without_caching(shared_store: Path) -> None:
    out_dir = shared_store.parent

    def work() -> dict[str, Any]:
        records: list[str] = []
        handler = logging.Handler()
        handler.emit = lambda r: records.append(r.getMessage())  # type: ignore[method-assign]
        logging.getLogger("silkchain").addHandler(handler)
        frame = panel("shared", "koopman", years="2011", scheduler="sync")
        again = panel("shared", "koopman", years="2011", scheduler="sync")
        logging.getLogger("silkchain").removeHandler(handler)
        _CACHE_NOTES.clear()
        run = CliRunner().invoke(build_app(), [
            "panel", "shared", "--measure", "koopman", "--years", "2011", "--scheduler",
            "sync", "-o", str(out_dir / "k.csv")])
        return {"rows": len(frame), "cached": bool(again.attrs.get("cached")),
                "notes": records, "exit": run.exit_code, "stderr": run.stderr,
                "written": (out_dir / "k.csv").exists(),
                "frames": sorted(p.name for p in (shared_store / "frames").glob("*"))
                if (shared_store / "frames").exists() else []}

    got = as_reader(work)
    assert "child error" not in got, got
    assert got["rows"] > 0 and got["cached"] is False and got["frames"] == []
    assert len(got["notes"]) == 1  # once, not at every write
    assert got["notes"][0].startswith(f"results not cached: {shared_store} cannot be written")
    assert got["exit"] == 0 and got["written"], got["stderr"]
    assert "note: results not cached: " in got["stderr"]
    assert "Traceback" not in got["stderr"]
