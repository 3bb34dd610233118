"""The local store: import once, read by id, atomic writes, content hashes, frames, CLI."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

import silkchain
from silkchain.cli.app import build_app
from silkchain.errors import DatasetNotFoundError
from silkchain.io.store import Store, default_root

MOCK = Path(__file__).parents[1] / "data" / "mock"


@pytest.fixture()
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "store"
    monkeypatch.setenv("SILKCHAIN_HOME", str(root))
    return root


def test_root_from_environment(home: Path) -> None:
    assert default_root() == home
    assert Store().root == home


def test_import_read_and_list(home: Path, tmp_path: Path) -> None:
    src = tmp_path / "ICIO2023_2020.csv"
    shutil.copy(MOCK / "ICIO2023_2020.csv", src)
    store = Store()
    assert store.import_file(src) == ("oecd-icio-2023:2020", "imported")
    assert store.import_file(src) == ("oecd-icio-2023:2020", "unchanged")
    t = silkchain.read("oecd-icio-2023:2020")  # through the registry's resolver
    direct = silkchain.read(src)
    np.testing.assert_array_equal(t.Z, direct.Z)
    assert t.labels == direct.labels
    assert t.meta["dataset"] == "oecd-icio-2023:2020"
    assert (home / "tables" / "oecd-icio-2023" / "2020" / "Z.npy").exists()
    listed = silkchain.datasets()
    row = listed[listed["id"] == "oecd-icio-2023:2020"].iloc[0]
    assert (row["where"], row["countries"], row["sectors"], row["year"]) == ("store", 3, 4, 2020)
    # a changed source file is detected by its hash and replaces the table
    text = src.read_text().replace("CHN_D01T02,", "CHN_D01T02,1", 1)
    src.write_text(text.replace(",1", ",", 1) + "\n")
    assert store.stale() == ["oecd-icio-2023:2020"]
    assert store.import_file(src)[1] == "replaced"
    assert store.stale() == []


def test_missing_id_lists_the_store(home: Path) -> None:
    Store().put_table(silkchain.read(MOCK / "ICIO2016_2011.csv"), "oecd-icio-2016:2011")
    with pytest.raises(DatasetNotFoundError, match=r"'nope:1' is not in the store at .*; "
                                                   r"stored: oecd-icio-2016:2011"):
        Store().read("nope:1")
    with pytest.raises(DatasetNotFoundError, match=r"unknown dataset 'nope:1'; available: "):
        silkchain.read("nope:1")


def test_failed_import_leaves_no_partial_table(home: Path, monkeypatch: pytest.MonkeyPatch
                                               ) -> None:
    store = Store()
    store.put_table(silkchain.read(MOCK / "ICIO2016_2011.csv"), "keep:1")
    calls = {"n": 0}
    real_save = np.save

    def failing_save(path: object, arr: object) -> None:
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError("disk full")
        real_save(path, arr)

    monkeypatch.setattr(np, "save", failing_save)
    with pytest.raises(OSError, match="disk full"):
        store.put_table(silkchain.read(MOCK / "ICIO2016_2011.csv"), "half:1")
    assert "half:1" not in store
    assert not (home / "tables" / "half").exists()
    assert not list((home / "tables").glob(".tmp-*"))
    assert store.read("keep:1").G == 3


def test_killed_import_leaves_store_readable(home: Path) -> None:
    Store().put_table(silkchain.read(MOCK / "ICIO2016_2011.csv"), "keep:1")
    script = textwrap.dedent(f"""
        import os, numpy as np, silkchain
        from silkchain.io.store import Store
        real = np.save
        def save(path, arr):
            real(path, arr)
            if str(path).endswith("Y.npy"):
                os.kill(os.getpid(), 9)   # killed half-way through writing
        np.save = save
        Store().put_table(silkchain.read({str(MOCK / 'ICIO2016_2011.csv')!r}), "killed:1")
    """)
    proc = subprocess.run([sys.executable, "-c", script], env={**os.environ}, check=False)
    assert proc.returncode == -9
    store = Store()
    assert list(store.catalog()["id"]) == ["keep:1"]
    assert not (home / "tables" / "killed").exists()
    store.put_table(store.read("keep:1"), "again:1")  # the next import sweeps leftovers
    assert not list((home / "tables").glob(".tmp-*"))


def test_frames_roundtrip(home: Path) -> None:
    store = Store()
    assert store.get_frame("panel:wiod2013/vax") is None
    frame = pd.DataFrame({"country": ["CHN", "USA"], "value": [1.5, 2.5]})
    store.put_frame("panel:wiod2013/vax", frame)
    pd.testing.assert_frame_equal(store.get_frame("panel:wiod2013/vax"), frame)
    assert store.get_frame("panel:wiod2013_vax") is None  # sanitised keys do not collide


def test_remove(home: Path) -> None:
    store = Store()
    store.put_table(silkchain.read(MOCK / "ICIO2016_2011.csv"), "x:1")
    store.remove("x:1")
    assert "x:1" not in store
    with pytest.raises(DatasetNotFoundError, match=r"'x:1' is not in the store"):
        store.remove("x:1")


def test_cli_import_prints_the_id(home: Path) -> None:
    runner = CliRunner()
    res = runner.invoke(build_app(), ["import", str(MOCK / "ICIO2021_2018.csv"),
                                      "--keep-splits"])
    assert res.exit_code == 0, res.output
    assert res.stdout.strip().splitlines()[-1] == "oecd-icio-2021-splits:2018"
    res = runner.invoke(build_app(), ["import", str(MOCK / "generic_toy_2020.csv"),
                                      "--source", "generic", "--year", "1999"])
    assert res.stdout.strip().splitlines()[-1] == "generic-generic_toy_2020:1999"
    res = runner.invoke(build_app(), ["datasets"])
    assert res.exit_code == 0 and "store" in res.stdout
    assert "oecd-icio-2021-splits:2018" in list(silkchain.datasets()["id"])
    assert silkchain.read("generic-generic_toy_2020:1999").meta["year"] == 1999


def test_cli_import_errors(home: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    res = runner.invoke(build_app(), ["import", str(MOCK / "ICIO2016_2011.csv"), "--source",
                                      "gtap"])
    assert res.exit_code == 1
    assert "unknown source 'gtap'; available: oecd-icio" in res.output
    bad = tmp_path / "mystery.csv"
    bad.write_text("a,b\n1,2\n")
    res = runner.invoke(build_app(), ["import", str(bad)])
    assert res.exit_code == 1
    assert "could not tell which release this file belongs to" in res.output
