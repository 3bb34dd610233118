"""The local store: import once, read by id, atomic writes, content hashes, frames, CLI."""

from __future__ import annotations

import json
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
from silkchain import MRIOTable
from silkchain.cli.app import build_app
from silkchain.errors import DatasetNotFoundError, StoreError
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


def _folder(store: Store, dataset_id: str) -> Path:
    return store.root / store.entry(dataset_id)["folder"]


def test_import_read_and_list(home: Path, tmp_path: Path) -> None:
    src = tmp_path / "ICIO2023_2020.csv"
    shutil.copy(MOCK / "ICIO2023_2020.csv", src)
    store = Store()
    assert store.import_file(src) == ("oecd-icio-2023:2020", "imported")
    assert store.import_file(src) == ("oecd-icio-2023:2020", "unchanged")
    assert store.import_file(src, force=True) == ("oecd-icio-2023:2020",
                                                  "re-imported (--force)")
    t = silkchain.read("oecd-icio-2023:2020")  # through the registry's resolver
    direct = silkchain.read(src)
    for name in ("Z", "Y", "x", "V"):  # every float64 bit for bit
        np.testing.assert_array_equal(getattr(t, name).view(np.uint64),
                                      getattr(direct, name).view(np.uint64))
    assert t.labels == direct.labels
    assert t.meta["dataset"] == "oecd-icio-2023:2020"
    folder = _folder(store, "oecd-icio-2023:2020")
    assert folder.parent == home / "tables" / "oecd-icio-2023"
    assert folder.name.startswith("2020@") and (folder / "entry.json").exists()
    assert len(list(folder.parent.iterdir())) == 1  # the replaced versions are gone
    listed = silkchain.datasets()
    row = listed[listed["id"] == "oecd-icio-2023:2020"].iloc[0]
    assert (row["where"], row["countries"], row["sectors"], row["year"]) == ("store", 3, 4, 2020)
    # a changed source file is detected by its hash and replaces the table
    text = src.read_text().replace("CHN_D01T02,", "CHN_D01T02,1", 1)
    src.write_text(text.replace(",1", ",", 1) + "\n")
    assert store.stale() == ["oecd-icio-2023:2020"]
    assert store.import_file(src)[1] == "replaced"
    assert store.stale() == []
    assert store.check() == []


def test_reimport_checks_the_folder_not_only_the_catalogue(home: Path, tmp_path: Path) -> None:
    src = tmp_path / "ICIO2023_2020.csv"
    shutil.copy(MOCK / "ICIO2023_2020.csv", src)
    store = Store()
    store.import_file(src)
    folder = _folder(store, "oecd-icio-2023:2020")
    victim = next(folder.glob("Z*.npy"))
    victim.write_bytes(victim.read_bytes()[:-8])
    with pytest.raises(StoreError, match=r"Z.*\.npy: unreadable .*; run `silkchain store repair "
                                         r"oecd-icio-2023:2020`"):
        store.read("oecd-icio-2023:2020")
    assert store.import_file(src) == ("oecd-icio-2023:2020", "repaired")
    assert store.read("oecd-icio-2023:2020").G == 3 and store.check() == []


def test_arrays_keep_every_float_exactly_in_both_layouts(home: Path) -> None:
    t = silkchain.read(MOCK / "ICIO2016_2011.csv")
    Z = np.array(t.Z)
    zeros = np.argwhere(Z == 0)
    assert len(zeros) >= 2
    Z[tuple(zeros[0])] = -0.0   # kept with its sign
    Z[tuple(zeros[1])] = 5e-324  # the smallest subnormal
    table = MRIOTable(Z=Z, Y=t.Y, x=t.x, V=t.V, labels=t.labels, meta=t.meta, rtol=t.rtol,
                      rounding=t.rounding)
    store = Store()
    store.put_table(table, "exact:1")
    layout = json.loads((_folder(store, "exact:1") / "entry.json").read_text())["arrays"]
    assert layout["Z"]["layout"] == "mask" and layout["x"]["layout"] == "dense"
    back = store.read("exact:1")
    for name in ("Z", "Y", "x", "V"):
        np.testing.assert_array_equal(getattr(back, name).view(np.uint64),
                                      getattr(table, name).view(np.uint64))


def test_reads_the_older_layout_and_recovers_its_interrupted_replace(home: Path) -> None:
    """Format 1 folders (plain .npy, no entry.json, no content hash) are read as they are."""
    import duckdb

    t = silkchain.read(MOCK / "ICIO2016_2011.csv")
    folder = home / "tables" / "old" / "1"
    folder.mkdir(parents=True)
    for name in ("Z", "Y", "x", "V"):
        np.save(folder / f"{name}.npy", np.asarray(getattr(t, name)))
    lab = t.labels
    (folder / "labels.json").write_text(json.dumps({
        "countries": lab.countries, "sectors": lab.sectors, "fd_categories": lab.fd_categories,
        "va_rows": lab.va_rows, "sector_names": lab.sector_names,
        "sector_codes": lab.sector_codes}))
    (folder / "meta.json").write_text(json.dumps({"meta": {"dataset": "old:1", "year": 2011},
                                                  "rtol": t.rtol, "rounding": t.rounding}))
    con = duckdb.connect(str(home / "catalog.duckdb"))
    con.execute("CREATE TABLE datasets (id VARCHAR PRIMARY KEY, name VARCHAR, key VARCHAR, "
                "source VARCHAR, release VARCHAR, year INTEGER, countries INTEGER, sectors "
                "INTEGER, source_file VARCHAR, source_sha256 VARCHAR, imported_at VARCHAR, "
                "folder VARCHAR)")
    con.execute("INSERT INTO datasets VALUES ('old:1', 'old', '1', '', '', 2011, 3, 4, NULL, "
                "NULL, '', 'tables/old/1')")
    con.close()
    store = Store()
    np.testing.assert_array_equal(store.read("old:1").Z, t.Z)
    assert store.check() == []
    # the old layout's replace killed between its two renames: the data sits in .old-*
    os.replace(folder, folder.with_name(".old-1-abc"))
    with pytest.raises(StoreError, match=r"tables/old/1: the folder of 'old:1' is missing; "
                                         r"run `silkchain store repair old:1`"):
        store.read("old:1")
    assert store.recover() == ["restored old:1 from .old-1-abc (an interrupted replace)"]
    np.testing.assert_array_equal(store.read("old:1").Z, t.Z)
    store.put_table(t, "old:1")  # rewritten in the new layout, the catalogue migrated
    assert store.entry("old:1")["content_sha256"] and not folder.exists()


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

    def failing_save(fh: object, arr: object) -> None:
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError("disk full")
        real_save(fh, arr)

    monkeypatch.setattr(np, "save", failing_save)
    with pytest.raises(OSError, match="disk full"):
        store.put_table(silkchain.read(MOCK / "ICIO2016_2011.csv"), "half:1")
    assert "half:1" not in store
    assert not list((home / "tables" / "half").glob("*"))
    assert not list((home / "tables").glob(".tmp-*"))
    assert store.read("keep:1").G == 3


def test_killed_import_leaves_store_readable(home: Path) -> None:
    Store().put_table(silkchain.read(MOCK / "ICIO2016_2011.csv"), "keep:1")
    script = textwrap.dedent(f"""
        import os, numpy as np, silkchain
        from silkchain.io.store import Store
        real = np.save
        def save(fh, arr):
            real(fh, arr)
            if "Y." in str(getattr(fh, "name", fh)):
                os.kill(os.getpid(), 9)   # killed half-way through writing
        np.save = save
        Store().put_table(silkchain.read({str(MOCK / 'ICIO2016_2011.csv')!r}), "killed:1")
    """)
    proc = subprocess.run([sys.executable, "-c", script], env={**os.environ}, check=False)
    assert proc.returncode == -9
    store = Store()
    assert list(store.catalog()["id"]) == ["keep:1"]
    assert not (home / "tables" / "killed").exists()
    assert store.check() == [f"tables/{p.name}: left by an interrupted write; run `silkchain "
                             "store repair` to remove it"
                             for p in (home / "tables").glob(".tmp-*")]
    store.put_table(store.read("keep:1"), "again:1")  # the next write sweeps leftovers
    assert not list((home / "tables").glob(".tmp-*"))
    assert store.check() == []


def test_frames_roundtrip(home: Path) -> None:
    store = Store()
    assert store.get_frame("panel:wiod2013/vax") is None
    frame = pd.DataFrame({"country": ["CHN", "USA"], "value": [1.5, 2.5]})
    store.put_frame("panel:wiod2013/vax", frame)
    pd.testing.assert_frame_equal(store.get_frame("panel:wiod2013/vax"), frame)
    assert store.get_frame("panel:wiod2013_vax") is None  # sanitised keys do not collide


def test_clear_frames_keeps_the_tables(home: Path) -> None:
    store = Store()
    store.put_table(silkchain.read(MOCK / "ICIO2016_2011.csv"), "x:1")
    frame = pd.DataFrame({"country": ["CHN"], "value": [1.5]})
    paths = [store.put_frame(key, frame) for key in ("panel-a", "panel-b")]
    files, nbytes = store.clear_frames()
    assert (files, nbytes > 0) == (2, True)
    assert not any(p.exists() for p in paths) and store.get_frame("panel-a") is None
    assert store.check() == [] and store.read("x:1").G == silkchain.read(
        MOCK / "ICIO2016_2011.csv").G
    assert store.clear_frames() == (0, 0)


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
    res = runner.invoke(build_app(), ["import", str(MOCK / "ICIO2021_2018.csv"),
                                      "--keep-splits"])
    assert "unchanged: ICIO2021_2018.csv -> oecd-icio-2021-splits:2018" in res.stderr
    res = runner.invoke(build_app(), ["import", str(MOCK / "ICIO2021_2018.csv"),
                                      "--keep-splits", "--force"])
    assert ("re-imported (--force): ICIO2021_2018.csv -> oecd-icio-2021-splits:2018"
            in res.stderr), res.stderr
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
