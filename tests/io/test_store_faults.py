"""The store under crashes, damage and concurrent use (issue 14).

* a writer killed at EVERY line the store executes (a forked child traced line by line
  exits with ``os._exit`` at line k, for every k) leaves the old or the new table, never a
  mix nor a missing file, and the next writer removes what it left;
* ``os.replace`` and the catalogue commit failing at each call leave the old table;
* each kind of damaged file gives a message naming the file and the repairing command,
  and that command repairs it;
* several processes write and list one store at once; a held lock ends in "store busy".
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

import silkchain
from silkchain import MRIOTable
from silkchain.errors import StoreBusyError, StoreError
from silkchain.io import store as store_module
from silkchain.io.store import Store

MOCK = Path(__file__).parents[1] / "data" / "mock"
KILLED = 86


@pytest.fixture()
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "store"
    monkeypatch.setenv("SILKCHAIN_HOME", str(root))
    return root


@pytest.fixture(scope="module")
def old_new() -> tuple[MRIOTable, MRIOTable]:
    """Two different versions of one small table (the new one is the old one doubled)."""
    old = silkchain.read(MOCK / "ICIO2016_2011.csv")
    new = MRIOTable.from_arrays(np.asarray(old.Z) * 2, np.asarray(old.Y) * 2,
                                old.labels.countries, old.labels.sectors,
                                fd_categories=old.labels.fd_categories, meta=dict(old.meta))
    return old, new


def _same(a: MRIOTable, b: MRIOTable) -> bool:
    return all(np.array_equal(np.asarray(getattr(a, n)).view(np.uint64),
                              np.asarray(getattr(b, n)).view(np.uint64))
               for n in ("Z", "Y", "x", "V"))


#: The store's functions that change files or the catalogue, killed at each of their lines;
#: within ``_fsync_write`` (one call per file written) at its first line only. (The writer
#: lock is an advisory ``flock`` that the kernel releases with the killed process.)
STEPPED = frozenset({"put_table", "_write_folder", "_commit", "recover"})


def _killed_at(root: Path, step: int, table: MRIOTable, dataset_id: str) -> int:
    """Run ``put_table`` in a forked child that exits abruptly at the ``step``-th store line."""
    target = store_module.__file__
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        count = 0

        def tracer(frame, event, arg):  # type: ignore[no-untyped-def]
            nonlocal count
            code = frame.f_code
            if code.co_filename != target:
                return None
            if (event == "line" and code.co_name in STEPPED) or (
                    event == "call" and code.co_name == "_fsync_write"):
                count += 1
                if count == step:
                    os._exit(KILLED)  # no cleanup, no finally: as a kill -9
            return tracer

        sys.settrace(tracer)
        try:
            Store(root).put_table(table, dataset_id)
        except BaseException:
            os._exit(3)
        sys.settrace(None)
        os._exit(0)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_kill_at_every_line_leaves_the_old_or_the_new_table(
        tmp_path: Path, old_new: tuple[MRIOTable, MRIOTable]) -> None:
    versions = list(old_new)
    root = tmp_path / "store"
    Store(root).put_table(versions[0], "t:1")
    stored = 0  # the version in the store; each step writes the other one
    outcomes = {"kept": 0, "replaced": 0}
    step = 0
    while True:
        step += 1
        assert step < 1000, "put_table never completed"
        code = _killed_at(root, step, versions[1 - stored], "t:1")
        assert code in (KILLED, 0), f"step {step}: child failed with {code}"
        store = Store(root)
        got = store.read("t:1")  # never a missing file, whatever was killed
        if _same(got, versions[1 - stored]):
            stored = 1 - stored
            outcomes["replaced"] += 1
        else:
            assert _same(got, versions[stored]), f"step {step}: a mix of versions"
            outcomes["kept"] += 1
        store.recover()
        if step % 5 == 0 or code == 0:
            assert store.check() == [], f"step {step}"
        assert len(list((root / "tables" / "t").iterdir())) == 1
        assert not list((root / "tables").glob(".tmp-*"))
        if code == 0:
            break
    assert outcomes["kept"] > 10 and outcomes["replaced"] >= 2, outcomes


@pytest.mark.parametrize("fail_at", ["replace", "commit"])
def test_a_failing_rename_or_commit_leaves_the_old_table(
        home: Path, old_new: tuple[MRIOTable, MRIOTable], fail_at: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    old, new = old_new
    store = Store()
    store.put_table(old, "t:1")

    def boom(*args: object, **kwargs: object) -> None:
        raise OSError(f"injected failure at {fail_at}")

    if fail_at == "replace":
        monkeypatch.setattr(store_module.os, "replace", boom)
    else:
        monkeypatch.setattr(Store, "_commit", boom)
    with pytest.raises(OSError, match=f"injected failure at {fail_at}"):
        store.put_table(new, "t:1")
    monkeypatch.undo()
    assert _same(store.read("t:1"), old)
    store.recover()
    assert store.check() == []
    assert len(list((home / "tables" / "t").iterdir())) == 1


# ------------------------------------------------------------------------ damaged files
@pytest.fixture()
def imported(home: Path, tmp_path: Path) -> tuple[Store, Path]:
    src = tmp_path / "ICIO2023_2020.csv"
    shutil.copy(MOCK / "ICIO2023_2020.csv", src)
    store = Store()
    store.import_file(src)
    return store, store.root / store.entry("oecd-icio-2023:2020")["folder"]


ID = "oecd-icio-2023:2020"
REPAIR_ID = rf"run `silkchain store repair {ID}`"


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])


def _object_array(path: Path) -> None:
    np.save(path, np.array([{"a": 1}, None], dtype=object), allow_pickle=True)


@pytest.mark.parametrize(("damage", "message"), [
    (lambda f: _truncate(f / "Z.values.npy"), rf"Z\.values\.npy: unreadable .*; {REPAIR_ID}"),
    (lambda f: _truncate(f / "x.npy"), rf"x\.npy: unreadable .*; {REPAIR_ID}"),
    (lambda f: (f / "Z.values.npy").write_bytes(b""), rf"Z\.values\.npy: unreadable .*; "
                                                      rf"{REPAIR_ID}"),
    (lambda f: _object_array(f / "Z.values.npy"),
     rf"Z\.values\.npy: unreadable \(Object arrays cannot be loaded.*; {REPAIR_ID}"),
    (lambda f: _object_array(f / "x.npy"), rf"x\.npy: unreadable .*; {REPAIR_ID}"),
    (lambda f: np.save(f / "x.npy", np.zeros(5)),
     rf"x\.npy: holds float64 \(5,\), expected float64 \(12,\); {REPAIR_ID}"),
    (lambda f: (f / "Y.mask.npy").unlink(),
     rf"Y\.mask\.npy: missing from the stored table '{ID}'; {REPAIR_ID}"),
    (lambda f: (f / "labels.json").write_text("{garbage"),
     rf"labels\.json: unreadable .*; {REPAIR_ID}"),
    (lambda f: (f / "meta.json").write_bytes(b"\xff\xfe\x00"),
     rf"meta\.json: unreadable .*; {REPAIR_ID}"),
    (lambda f: shutil.rmtree(f), rf"the folder of '{ID}' is missing; {REPAIR_ID}"),
])
def test_each_damaged_table_file_is_named_with_its_repair(
        imported: tuple[Store, Path], damage, message: str) -> None:  # type: ignore[no-untyped-def]
    store, folder = imported
    damage(folder)
    with pytest.raises(StoreError, match=message):
        store.read(ID)
    problems = store.check()
    assert len(problems) == 1 and problems[0].startswith(f"{ID}: ")
    assert problems[0].endswith(f"run `silkchain store repair {ID}`")
    assert store.repair(ID) == [f"{ID}: imported again from "
                                f"{store.entry(ID)['source_file']} (repaired)"]
    assert store.read(ID).G == 3 and store.check() == []


def test_changed_bytes_are_caught_by_the_content_hash(imported: tuple[Store, Path]) -> None:
    store, folder = imported
    values = np.load(folder / "Y.values.npy")
    values[0] = np.nextafter(values[0], np.inf)  # still a valid table: only the hash can tell
    np.save(folder / "Y.values.npy", values)
    assert store.check() == [f"{ID}: {folder}: its files differ from those stored (content "
                             f"sha256 changed); run `silkchain store repair {ID}`"]


@pytest.mark.parametrize("damage", ["garbage", "empty", "truncated"])
def test_a_damaged_catalogue_is_named_and_rebuilt(imported: tuple[Store, Path],
                                                  damage: str) -> None:
    store, _ = imported
    cat = store.catalog_path
    if damage == "garbage":
        cat.write_bytes(os.urandom(4096))
    elif damage == "empty":
        cat.write_bytes(b"")
    else:
        _truncate(cat)
    pattern = (r"catalog\.duckdb: not a (readable|usable) catalogue .*; run `silkchain store "
               r"repair` to rebuild it")
    with pytest.raises(StoreError, match=pattern):
        store.catalog()
    listed = silkchain.datasets()  # the bundled tables are still listed, the problem said
    assert "wiod2013:2011" in set(listed["id"])
    assert "store repair" in listed.attrs["store_problem"]
    done = store.repair()
    assert done[0].startswith("moved the unreadable catalogue aside to catalog.duckdb.broken-")
    assert f"catalogued {ID} from tables/oecd-icio-2023/2020@" in done[1]
    assert store.check() == [] and store.read(ID).G == 3


def test_tables_being_a_file_is_named_and_repaired(imported: tuple[Store, Path]) -> None:
    store, _ = imported
    shutil.rmtree(store.tables_dir)
    store.tables_dir.write_text("not a folder")
    with pytest.raises(StoreError, match=r"tables: is a file, expected the folder of stored "
                                         r"tables; run `silkchain store repair`"):
        store.read(ID)
    assert store.check()[0].endswith("run `silkchain store repair` (it moves the file aside)")
    assert store.repair()[0].startswith(f"moved the file {store.tables_dir} aside to "
                                        "tables.broken-")
    assert store.check() == [f"{ID}: {store.root / store.entry(ID)['folder']}: the folder of "
                             f"'{ID}' is missing; run `silkchain store repair {ID}`"]
    store.repair(ID)
    assert store.check() == []


def test_a_table_stored_from_memory_cannot_be_repaired_but_can_be_removed(home: Path) -> None:
    store = Store()
    store.put_table(silkchain.read(MOCK / "ICIO2016_2011.csv"), "mem:1")
    shutil.rmtree(store.root / store.entry("mem:1")["folder"])
    with pytest.raises(StoreError, match=r"cannot repair 'mem:1': it was stored from a table "
                                         r"in memory, not a file; remove it with `silkchain "
                                         r"store remove mem:1`"):
        store.repair("mem:1")
    store.remove("mem:1")
    assert "mem:1" not in store and store.check() == []


# ------------------------------------------------------------------------ concurrency
def test_a_held_lock_ends_in_store_busy(home: Path) -> None:
    holder = Store()
    with holder.lock():
        waiting = Store(timeout=0.3)
        with pytest.raises(StoreBusyError, match=r"store busy: another silkchain process is "
                                                 r"writing to .*store \(waited 0 s\)"):
            waiting.put_table(silkchain.read(MOCK / "ICIO2016_2011.csv"), "x:1")
        assert waiting.catalog().empty  # reading does not wait for the writer lock


def test_reads_open_the_catalogue_read_only(home: Path, monkeypatch: pytest.MonkeyPatch
                                            ) -> None:
    import duckdb

    store = Store()
    store.put_table(silkchain.read(MOCK / "ICIO2016_2011.csv"), "x:1")
    modes = []
    real = duckdb.connect

    def connect(path: str, read_only: bool = False) -> object:
        modes.append(read_only)
        return real(path, read_only=read_only)

    monkeypatch.setattr(duckdb, "connect", connect)
    store.read("x:1")
    store.catalog()
    assert silkchain.read("x:1").G == 3
    assert modes and all(modes)


def test_several_processes_write_and_list_one_store(home: Path) -> None:
    script = textwrap.dedent(f"""
        import sys, silkchain
        from silkchain.io.store import Store
        t = silkchain.read({str(MOCK / 'ICIO2016_2011.csv')!r})
        store = Store()
        for k in range(3):
            store.put_table(t, f"p{{sys.argv[1]}}:{{k}}")
            ids = set(silkchain.datasets()["id"])
            assert "wiod2013:2011" in ids and f"p{{sys.argv[1]}}:{{k}}" in ids
    """)
    procs = [subprocess.Popen([sys.executable, "-c", script, str(i)], stderr=subprocess.PIPE,
                              text=True) for i in range(3)]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        assert "Traceback" not in err
    store = Store()
    assert sorted(store.catalog()["id"]) == [f"p{i}:{k}" for i in range(3) for k in range(3)]
    assert store.check() == []
