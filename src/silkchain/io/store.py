"""The local table store: releases converted once, then served fast by dataset id.

Layout under the store root (``SILKCHAIN_HOME``, else the platformdirs user
data directory of ``silkchain``)::

    catalog.duckdb                 one row per dataset: id, source, year, hashes, folder
    .lock                          held by the process that writes (imports, repairs)
    tables/<name>/<key>@<version>/ the arrays, labels.json, meta.json, entry.json
    frames/<key>.parquet           cached panels and other frames (put_frame)

**One atomic step.** A write never touches the stored version: the new version is
written in ``tables/.tmp-*``, renamed to a new ``<key>@<version>`` folder beside the
old one, the catalogue is pointed at it in one transaction, and only then is the old
folder removed. A process killed at any instruction leaves the catalogue pointing
at a complete folder, the old one or the new one; what it left behind (``.tmp-*``,
folders no row points to) is removed by the next writer (:meth:`Store.recover`).

**Content hashes.** ``entry.json`` and the catalogue record the sha256 of the stored
files (``content_sha256``) beside that of the source file. Importing a file already
stored answers ``unchanged`` only when the stored folder still has that content;
:meth:`Store.check` verifies every table.

**Arrays.** Every float64 is kept exactly (bit for bit, ``-0.0`` included). A
mostly-zero array is kept as a bitmap of its non-zero cells and their values in
row-major order (``Z.mask.npy``, ``Z.values.npy``): an OECD ICIO year takes about
40 MB instead of 110 MB and reads in a fraction of a second. A dense array is a
plain ``.npy`` file, memory-mapped when read. Folders of older versions (plain
``.npy`` files, no ``entry.json``) are read as they are.

**Concurrency.** Writers take ``.lock`` in turn, waiting up to ``timeout`` seconds
(``$SILKCHAIN_STORE_TIMEOUT``, default 60) before a :class:`StoreBusyError`
("store busy"). Readers open the catalogue read-only, so a read-only store lists
and reads its tables; they wait, within the same timeout, while a writer commits.

Errors are :class:`~silkchain.errors.StoreError` messages naming the file and the
command that repairs it (``silkchain store repair ID``, ``silkchain store remove ID``).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from silkchain.errors import DatasetNotFoundError, SilkchainError, StoreBusyError, StoreError
from silkchain.io.atomic import atomic_path
from silkchain.io.npz import sha256_file
from silkchain.labels import Labels
from silkchain.table import MRIOTable

__all__ = ["DATASET_ID", "Store", "default_root", "listing", "resolve"]

#: A dataset id ``NAME:KEY`` (``oecd-icio-2023:2020``).
DATASET_ID = re.compile(r"^(?P<name>[A-Za-z][A-Za-z0-9_.-]*):(?P<key>[A-Za-z0-9_.-]+)$")

ARRAYS = ("Z", "Y", "x", "V")
#: Version of the folder layout written by this module (1: plain ``.npy``, no entry.json).
FORMAT = 2
#: An array is kept as bitmap + values when at least this share of its cells is zero.
SPARSE_ZEROS = 0.05
#: Seconds a writer waits for the lock (and a reader for a committing writer).
DEFAULT_TIMEOUT = 60.0
_COLUMNS = ("id", "name", "key", "source", "release", "year", "countries", "sectors",
            "source_file", "source_sha256", "imported_at", "folder", "content_sha256")
_SCHEMA = ("id VARCHAR PRIMARY KEY, name VARCHAR, key VARCHAR, source VARCHAR, "
           "release VARCHAR, year INTEGER, countries INTEGER, sectors INTEGER, "
           "source_file VARCHAR, source_sha256 VARCHAR, imported_at VARCHAR, folder VARCHAR, "
           "content_sha256 VARCHAR")


def default_root() -> Path:
    """``$SILKCHAIN_HOME`` or the user data directory (platformdirs)."""
    env = os.environ.get("SILKCHAIN_HOME")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("silkchain", appauthor=False))


def _timeout() -> float:
    try:
        return float(os.environ.get("SILKCHAIN_STORE_TIMEOUT", DEFAULT_TIMEOUT))
    except ValueError:
        return DEFAULT_TIMEOUT


def _json_safe(value: Any) -> Any:
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, dict) or hasattr(value, "items"):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    return str(value)


def _short(err: BaseException) -> str:
    text = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
    return text if len(text) <= 160 else text[:157] + "..."


# ------------------------------------------------------------------------------ arrays
def _fsync_write(path: Path, write: Callable[[Any], None]) -> None:
    with open(path, "wb") as fh:
        write(fh)
        fh.flush()
        os.fsync(fh.fileno())


def _save_array(folder: Path, name: str, arr: np.ndarray) -> dict[str, Any]:
    """Write ``arr`` (float64) as ``name.npy`` or as bitmap + values; its layout entry."""
    arr = np.ascontiguousarray(arr, dtype=np.float64)
    bits = arr.view(np.uint64).reshape(-1)
    nonzero = bits != 0                      # bit patterns: -0.0 is kept as a value
    count = int(nonzero.sum())
    if arr.size and 1 - count / arr.size >= SPARSE_ZEROS:
        mask = np.packbits(nonzero)
        values = arr.reshape(-1)[nonzero]
        _fsync_write(folder / f"{name}.mask.npy", lambda fh: np.save(fh, mask))
        _fsync_write(folder / f"{name}.values.npy", lambda fh: np.save(fh, values))
        return {"layout": "mask", "shape": list(arr.shape), "nonzero": count}
    _fsync_write(folder / f"{name}.npy", lambda fh: np.save(fh, arr))
    return {"layout": "dense", "shape": list(arr.shape)}


def _load_npy(path: Path, dataset_id: str, *, mmap: bool) -> np.ndarray:
    try:
        arr = np.load(path, mmap_mode="r" if mmap else None, allow_pickle=False)
    except FileNotFoundError:
        raise StoreError(f"{path}: missing from the stored table {dataset_id!r}; run "
                         f"`silkchain store repair {dataset_id}`") from None
    except (ValueError, OSError, EOFError) as err:
        raise StoreError(f"{path}: unreadable ({_short(err)}); run "
                         f"`silkchain store repair {dataset_id}`") from None
    return arr


def _load_array(folder: Path, name: str, spec: dict[str, Any], dataset_id: str) -> np.ndarray:
    shape = tuple(int(s) for s in spec["shape"])
    if spec.get("layout") == "mask":
        mask_path, values_path = folder / f"{name}.mask.npy", folder / f"{name}.values.npy"
        packed = _load_npy(mask_path, dataset_id, mmap=False)
        values = _load_npy(values_path, dataset_id, mmap=False)
        size = int(np.prod(shape))
        if packed.dtype != np.uint8 or packed.shape != ((size + 7) // 8,):
            raise StoreError(f"{mask_path}: holds {packed.dtype} {packed.shape}, expected "
                             f"uint8 ({(size + 7) // 8},); run `silkchain store repair "
                             f"{dataset_id}`")
        nonzero = np.unpackbits(packed, count=size).view(bool)
        if values.dtype != np.float64 or values.shape != (int(nonzero.sum()),):
            raise StoreError(f"{values_path}: holds {values.dtype} {values.shape}, expected "
                             f"float64 ({int(nonzero.sum())},); run `silkchain store repair "
                             f"{dataset_id}`")
        out = np.zeros(size)
        out[nonzero] = values
        return out.reshape(shape)
    path = folder / f"{name}.npy"
    arr = _load_npy(path, dataset_id, mmap=True)
    if arr.dtype != np.float64 or arr.shape != shape:
        raise StoreError(f"{path}: holds {arr.dtype} {arr.shape}, expected float64 {shape}; "
                         f"run `silkchain store repair {dataset_id}`")
    return arr


def _content_hash(folder: Path, names: list[str]) -> str:
    """sha256 over the sha256 of each named file (sorted), the folder's content hash."""
    h = hashlib.sha256()
    for name in sorted(names):
        h.update(f"{name}:{sha256_file(folder / name)}\n".encode())
    return h.hexdigest()


def _read_json(path: Path, dataset_id: str) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise StoreError(f"{path}: missing from the stored table {dataset_id!r}; run "
                         f"`silkchain store repair {dataset_id}`") from None
    except (ValueError, OSError) as err:
        raise StoreError(f"{path}: unreadable ({_short(err)}); run "
                         f"`silkchain store repair {dataset_id}`") from None


class Store:
    """A folder of imported tables with a DuckDB catalogue.

    Parameters
    ----------
    root : path, optional
        Store folder; :func:`default_root` when absent.
    timeout : float, optional
        Seconds to wait for another process's lock before ``StoreBusyError``
        (default ``$SILKCHAIN_STORE_TIMEOUT`` or 60).

    Examples
    --------
    >>> import tempfile, silkchain
    >>> store = Store(tempfile.mkdtemp())
    >>> store.put_table(silkchain.read("wiod2013:2011"), "demo:2011")
    'demo:2011'
    >>> store.read("demo:2011").G
    41
    >>> store.check()
    []
    """

    def __init__(self, root: str | os.PathLike[str] | None = None, *,
                 timeout: float | None = None) -> None:
        self.root = Path(root) if root is not None else default_root()
        self.timeout = _timeout() if timeout is None else float(timeout)
        self._lock_depth = 0
        self._lock_fh: Any = None

    def __repr__(self) -> str:
        return f"Store({str(self.root)!r})"

    # ------------------------------------------------------------------ paths
    @property
    def catalog_path(self) -> Path:
        """The DuckDB catalogue file."""
        return self.root / "catalog.duckdb"

    @property
    def tables_dir(self) -> Path:
        """The folder of stored tables."""
        return self.root / "tables"

    def _check_tables_dir(self) -> None:
        if self.tables_dir.exists() and not self.tables_dir.is_dir():
            raise StoreError(f"{self.tables_dir}: is a file, expected the folder of stored "
                             "tables; run `silkchain store repair` (it moves the file aside)")

    # ------------------------------------------------------------------ locking
    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """Hold the store's writer lock (re-entrant), waiting up to ``timeout`` seconds."""
        if self._lock_depth:
            self._lock_depth += 1
            try:
                yield
            finally:
                self._lock_depth -= 1
            return
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            fh = open(self.root / ".lock", "a+b")  # noqa: SIM115 (held across the block)
        except OSError as err:
            raise StoreError(f"{self.root}: cannot write to the store ({_short(err)}); "
                             "reading still works") from None
        try:
            _acquire(fh, self.timeout, self.root)
            self._lock_fh, self._lock_depth = fh, 1
            try:
                yield
            finally:
                self._lock_depth, self._lock_fh = 0, None
                _release(fh)
        finally:
            fh.close()

    # ------------------------------------------------------------------ catalogue
    def _connect(self, write: bool = False) -> Any:
        """A DuckDB connection to the catalogue (read-only unless ``write``), or ``None``.

        ``None`` when reading a store without a catalogue. Lock conflicts with another
        process are retried until the timeout; a damaged file is a ``StoreError``.
        """
        import duckdb

        if not write and not self.catalog_path.exists():
            return None
        if write:
            self.root.mkdir(parents=True, exist_ok=True)
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                con = duckdb.connect(str(self.catalog_path), read_only=not write)
                break
            except duckdb.Error as err:
                text = str(err)
                if "lock" in text.lower() and time.monotonic() < deadline:
                    time.sleep(0.05)
                    continue
                if "lock" in text.lower():
                    raise StoreBusyError(
                        f"store busy: another process holds {self.catalog_path} (waited "
                        f"{self.timeout:.0f} s); try again when it has finished, or set "
                        "SILKCHAIN_STORE_TIMEOUT to wait longer") from None
                if not write and ("read-only" in text or "read only" in text):
                    raise StoreError(f"{self.catalog_path}: cannot be opened ({_short(err)})"
                                     ) from None
                raise StoreError(
                    f"{self.catalog_path}: not a readable catalogue ({_short(err)}); run "
                    "`silkchain store repair` to rebuild it from the stored tables") from None
        if write:
            try:
                con.execute(f"CREATE TABLE IF NOT EXISTS datasets ({_SCHEMA})")
                con.execute("ALTER TABLE datasets ADD COLUMN IF NOT EXISTS content_sha256 "
                            "VARCHAR")
            except duckdb.Error as err:
                con.close()
                raise StoreError(f"{self.catalog_path}: not a usable catalogue ({_short(err)})"
                                 "; run `silkchain store repair` to rebuild it") from None
        return con

    def _query(self, sql: str, params: list[Any] | None = None) -> pd.DataFrame:
        import duckdb

        con = self._connect()
        if con is None:
            return pd.DataFrame(columns=list(_COLUMNS))
        try:
            cursor = con.execute(sql, params or [])
            names = [d[0] for d in cursor.description]
            records = cursor.fetchall()
        except duckdb.CatalogException:  # a catalogue file without its table: no datasets
            return pd.DataFrame(columns=list(_COLUMNS))
        except duckdb.Error as err:
            raise StoreError(f"{self.catalog_path}: not a readable catalogue ({_short(err)})"
                             "; run `silkchain store repair` to rebuild it") from None
        finally:
            con.close()
        frame = pd.DataFrame.from_records(records, columns=names, coerce_float=False)
        return frame.reindex(columns=list(_COLUMNS)).astype(object).where(frame.notna(), None)

    def catalog(self) -> pd.DataFrame:
        """Every dataset of the store, one row each (empty frame for a new store)."""
        return self._query("SELECT * FROM datasets ORDER BY id")

    def entry(self, dataset_id: str) -> dict[str, Any] | None:
        """The catalogue row of ``dataset_id``, or ``None``."""
        frame = self._query("SELECT * FROM datasets WHERE id = ?", [dataset_id])
        return None if frame.empty else dict(frame.iloc[0])

    def __contains__(self, dataset_id: object) -> bool:
        return isinstance(dataset_id, str) and self.entry(dataset_id) is not None

    def _commit(self, dataset_id: str, row: list[Any] | None) -> None:
        """Point the catalogue at ``row`` (``None``: forget ``dataset_id``), in one transaction."""
        con = self._connect(write=True)
        try:
            con.execute("BEGIN TRANSACTION")
            con.execute("DELETE FROM datasets WHERE id = ?", [dataset_id])
            if row is not None:
                con.execute(f"INSERT INTO datasets ({', '.join(_COLUMNS)}) VALUES "
                            f"({', '.join('?' * len(row))})", row)
            con.execute("COMMIT")
        finally:
            con.close()

    # ------------------------------------------------------------------ writing
    def put_table(self, table: MRIOTable, dataset_id: str, *, source_file: str | None = None,
                  source_sha256: str | None = None) -> str:
        """Store ``table`` under ``dataset_id`` (``name:key``) in one atomic step; its id."""
        m = DATASET_ID.match(dataset_id)
        if not m:
            raise ValueError(f"{dataset_id!r} is not a dataset id like 'oecd-icio-2023:2020'")
        name, key = m["name"], m["key"]
        with self.lock():
            self.recover()
            previous = self.entry(dataset_id)
            tmp = self.tables_dir / f".tmp-{uuid.uuid4().hex}"
            try:
                tmp.mkdir(parents=True)
                content = self._write_folder(tmp, table, dataset_id, source_file,
                                             source_sha256)
                final = self.tables_dir / name / f"{key}@{uuid.uuid4().hex[:16]}"
                final.parent.mkdir(parents=True, exist_ok=True)
                os.replace(tmp, final)
            except BaseException:
                shutil.rmtree(tmp, ignore_errors=True)
                raise
            year = table.meta.get("year")
            row = [dataset_id, name, key, str(table.meta.get("source", "")),
                   str(table.meta.get("release", "")), int(year) if year else None, table.G,
                   table.N, source_file, source_sha256,
                   datetime.now(UTC).isoformat(timespec="seconds"),
                   final.relative_to(self.root).as_posix(), content]
            self._commit(dataset_id, row)
            if previous is not None and previous["folder"] != row[11]:
                shutil.rmtree(self.root / previous["folder"], ignore_errors=True)
        return dataset_id

    def _write_folder(self, folder: Path, table: MRIOTable, dataset_id: str,
                      source_file: str | None, source_sha256: str | None) -> str:
        layout = {a: _save_array(folder, a, getattr(table, a)) for a in ARRAYS}
        lab = table.labels
        labels = json.dumps({
            "countries": lab.countries, "sectors": lab.sectors,
            "fd_categories": lab.fd_categories, "va_rows": lab.va_rows,
            "sector_names": lab.sector_names, "sector_codes": lab.sector_codes})
        meta = _json_safe(dict(table.meta))
        meta["dataset"] = dataset_id
        info = json.dumps({"meta": meta, "rtol": table.rtol, "rounding": table.rounding})
        _fsync_write(folder / "labels.json", lambda fh: fh.write(labels.encode()))
        _fsync_write(folder / "meta.json", lambda fh: fh.write(info.encode()))
        files = sorted(p.name for p in folder.iterdir())
        content = _content_hash(folder, files)
        entry = json.dumps({"format": FORMAT, "id": dataset_id, "arrays": layout,
                            "files": files, "content_sha256": content,
                            "source_file": source_file, "source_sha256": source_sha256})
        _fsync_write(folder / "entry.json", lambda fh: fh.write(entry.encode()))
        return content

    def remove(self, dataset_id: str) -> None:
        """Delete a dataset (catalogue row first, then its folder), even a damaged one."""
        with self.lock():
            entry = self.entry(dataset_id)
            if entry is None:
                raise DatasetNotFoundError(f"{dataset_id!r} is not in the store at {self.root}")
            self._commit(dataset_id, None)
            if entry["folder"]:
                shutil.rmtree(self.root / entry["folder"], ignore_errors=True)

    # ------------------------------------------------------------------ recovery
    def leftovers(self) -> list[Path]:
        """Folders no catalogue row points to: killed writes (``.tmp-*``), old versions."""
        if not self.tables_dir.is_dir():
            return []
        used = {str(f) for f in self.catalog()["folder"] if f}
        found = sorted(self.tables_dir.glob(".tmp-*"))
        for group in sorted(p for p in self.tables_dir.iterdir()
                            if p.is_dir() and not p.name.startswith(".")):
            for path in sorted(group.iterdir()):
                rel = path.relative_to(self.root).as_posix()
                if path.is_dir() and rel not in used:
                    found.append(path)
        return found

    def recover(self) -> list[str]:
        """Finish or undo what killed writers left; returns what was done, one line each.

        A catalogued folder missing while an older layout's ``.old-*`` copy of it exists
        is moved back; every folder no catalogue row points to is removed. Runs under
        the writer lock (every write calls it first).
        """
        with self.lock():
            self._check_tables_dir()
            done = []
            for row in self.catalog().itertuples(index=False):
                folder = self.root / str(row.folder)
                if not folder.exists() and folder.parent.is_dir():
                    olds = sorted(folder.parent.glob(f".old-{folder.name}-*"),
                                  key=lambda p: p.stat().st_mtime)
                    if olds:
                        os.replace(olds[-1], folder)
                        done.append(f"restored {row.id} from {olds[-1].name} (an interrupted "
                                    "replace)")
            for path in self.leftovers():
                shutil.rmtree(path, ignore_errors=True)
                done.append(f"removed {path.relative_to(self.root).as_posix()} (left by an "
                            "interrupted write)")
            return done

    # ------------------------------------------------------------------ reading
    def read(self, dataset_id: str) -> MRIOTable:
        """The table stored under ``dataset_id``."""
        entry = self.entry(dataset_id)
        if entry is None:
            ids = list(self.catalog()["id"])
            raise DatasetNotFoundError(
                f"{dataset_id!r} is not in the store at {self.root}; stored: "
                f"{', '.join(ids) or 'none'} (add one with `silkchain import FILE`)")
        self._check_tables_dir()
        folder = self.root / str(entry["folder"])
        if not folder.is_dir():
            raise StoreError(f"{folder}: the folder of {dataset_id!r} is missing; run "
                             f"`silkchain store repair {dataset_id}`")
        info_path = folder / "entry.json"
        layout: dict[str, Any] | None = None
        if info_path.exists():
            layout = _read_json(info_path, dataset_id).get("arrays")
        labels_raw = _read_json(folder / "labels.json", dataset_id)
        info = _read_json(folder / "meta.json", dataset_id)
        try:
            labels = Labels(**labels_raw)
            if layout is None:  # format 1: plain .npy files
                arrays = {a: _load_npy(folder / f"{a}.npy", dataset_id, mmap=True)
                          for a in ARRAYS}
                for a, arr in arrays.items():
                    if arr.dtype != np.float64:
                        raise StoreError(f"{folder / f'{a}.npy'}: holds {arr.dtype}, expected "
                                         f"float64; run `silkchain store repair {dataset_id}`")
            else:
                arrays = {a: _load_array(folder, a, layout[a], dataset_id) for a in ARRAYS}
            return MRIOTable(labels=labels, meta=info["meta"], rtol=info["rtol"],
                             rounding=info["rounding"], **arrays)
        except StoreError:
            raise
        except (SilkchainError, TypeError, KeyError, ValueError) as err:
            raise StoreError(f"{folder}: the stored table {dataset_id!r} is damaged "
                             f"({_short(err)}); run `silkchain store repair {dataset_id}`"
                             ) from None

    def verify(self, dataset_id: str) -> list[str]:
        """Problems of one stored table (empty when it is intact and its content unchanged)."""
        entry = self.entry(dataset_id)
        if entry is None:
            raise DatasetNotFoundError(f"{dataset_id!r} is not in the store at {self.root}")
        folder = self.root / str(entry["folder"])
        if entry.get("content_sha256") and folder.is_dir():
            info = folder / "entry.json"
            try:
                files = list(json.loads(info.read_text(encoding="utf-8"))["files"])
            except (OSError, ValueError, KeyError, TypeError) as err:
                return [f"{info}: unreadable ({_short(err)})"]
            missing = [f for f in files if not (folder / f).is_file()]
            if missing:
                return [f"{folder / missing[0]}: missing from the stored table {dataset_id!r}"]
            if _content_hash(folder, files) == entry["content_sha256"]:
                return []  # exactly the files written (and checked) when it was stored
            try:  # say what is wrong when reading tells more than the hash
                self.read(dataset_id)
            except StoreError as err:
                return [str(err).split("; run `")[0]]
            return [f"{folder}: its files differ from those stored (content sha256 changed)"]
        try:  # a missing folder, or a folder of the older layout (no content hash): read it
            self.read(dataset_id)
        except StoreError as err:
            return [str(err).split("; run `")[0]]
        return []

    def check(self) -> list[str]:
        """Every problem of the store, one line each, with the command that repairs it."""
        try:
            self._check_tables_dir()
            frame = self.catalog()
        except StoreError as err:
            return [str(err)]
        problems = []
        for dataset_id in frame["id"]:
            problems += [f"{dataset_id}: {p}; run `silkchain store repair {dataset_id}`"
                         for p in self.verify(dataset_id)]
        problems += [f"{p.relative_to(self.root).as_posix()}: left by an interrupted write; "
                     "run `silkchain store repair` to remove it" for p in self.leftovers()]
        return problems

    # ------------------------------------------------------------------ repair
    def repair(self, dataset_id: str | None = None) -> list[str]:
        """Repair one table (import its source file again) or, without an id, the store.

        Without an id: a ``tables`` file and an unreadable catalogue are moved aside
        (``*.broken-<time>``), the catalogue is rebuilt from the stored folders'
        ``entry.json``/``meta.json``, and leftovers are removed. Returns what was done.
        """
        with self.lock():
            if dataset_id is not None:
                return [self._repair_one(dataset_id)]
            done = []
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
            if self.tables_dir.exists() and not self.tables_dir.is_dir():
                aside = self.root / f"tables.broken-{stamp}"
                os.replace(self.tables_dir, aside)
                done.append(f"moved the file {self.tables_dir} aside to {aside.name}")
            try:
                self.catalog()
            except StoreError:
                aside = self.root / f"catalog.duckdb.broken-{stamp}"
                os.replace(self.catalog_path, aside)
                wal = self.root / "catalog.duckdb.wal"
                if wal.exists():
                    os.replace(wal, self.root / f"catalog.duckdb.wal.broken-{stamp}")
                done.append(f"moved the unreadable catalogue aside to {aside.name}")
                done += self._rebuild_catalog()
            done += self.recover()
            return done

    def _repair_one(self, dataset_id: str) -> str:
        entry = self.entry(dataset_id)
        if entry is None:
            raise DatasetNotFoundError(f"{dataset_id!r} is not in the store at {self.root}")
        source = entry.get("source_file")
        if not source:
            raise StoreError(f"cannot repair {dataset_id!r}: it was stored from a table in "
                             f"memory, not a file; remove it with `silkchain store remove "
                             f"{dataset_id}` and store it again")
        if not Path(source).exists():
            raise StoreError(f"cannot repair {dataset_id!r}: its source file {source} is gone; "
                             f"remove it with `silkchain store remove {dataset_id}` or import "
                             "the file again from where it is now")
        key = str(entry["key"])
        year = int(key) if key.isdigit() else None
        _, status = self.import_file(source, year=year, force=True,
                                     _dataset_id=dataset_id)
        what = "the file changed since, replaced" if status == "replaced" else "repaired"
        return f"{dataset_id}: imported again from {source} ({what})"

    def _rebuild_catalog(self) -> list[str]:
        done = []
        if not self.tables_dir.is_dir():
            return done
        rows: dict[str, tuple[float, list[Any]]] = {}
        for group in sorted(p for p in self.tables_dir.iterdir()
                            if p.is_dir() and not p.name.startswith(".")):
            for folder in sorted(p for p in group.iterdir()
                                 if p.is_dir() and not p.name.startswith(".")):
                try:
                    row = self._row_from_folder(folder)
                except (StoreError, OSError, ValueError, KeyError, TypeError) as err:
                    done.append(f"skipped {folder.relative_to(self.root).as_posix()} "
                                f"({_short(err)})")
                    continue
                mtime = folder.stat().st_mtime
                if row[0] not in rows or rows[row[0]][0] < mtime:
                    rows[row[0]] = (mtime, row)
        for dataset_id, (_, row) in sorted(rows.items()):
            self._commit(dataset_id, row)
            done.append(f"catalogued {dataset_id} from {row[11]}")
        return done

    def _row_from_folder(self, folder: Path) -> list[Any]:
        info = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        entry_path = folder / "entry.json"
        entry = json.loads(entry_path.read_text(encoding="utf-8")) if entry_path.exists() else {}
        meta = info["meta"]
        dataset_id = entry.get("id") or meta["dataset"]
        m = DATASET_ID.match(dataset_id)
        if not m:
            raise ValueError(f"{dataset_id!r} is not a dataset id")
        labels = json.loads((folder / "labels.json").read_text(encoding="utf-8"))
        year = meta.get("year")
        return [dataset_id, m["name"], m["key"], str(meta.get("source", "")),
                str(meta.get("release", "")), int(year) if year else None,
                len(labels["countries"]), len(labels["sectors"]), entry.get("source_file"),
                entry.get("source_sha256"),
                datetime.fromtimestamp(folder.stat().st_mtime, UTC).isoformat(
                    timespec="seconds"),
                folder.relative_to(self.root).as_posix(), entry.get("content_sha256")]

    # ------------------------------------------------------------------ importing
    def current(self, source_file: str | os.PathLike[str], digest: str,
                year: int | None = None) -> str | None:
        """The id of an intact table stored from this file content, or ``None``.

        The catalogue must record the same file and sha256, and the stored folder must
        still verify (:meth:`verify`): a damaged folder is imported again.
        """
        resolved = str(Path(source_file).resolve())
        for row in self.catalog().itertuples(index=False):
            if (row.source_sha256 == digest and row.source_file == resolved
                    and (year is None or row.year == year) and not self.verify(row.id)):
                return str(row.id)
        return None

    def store_import(self, table: MRIOTable, dataset_id: str, *, source_file: str,
                     source_sha256: str, force: bool = False) -> str:
        """Store an imported table; returns what happened.

        ``"imported"`` (new id), ``"replaced"`` (the file changed since it was stored),
        ``"re-imported (--force)"`` (same file, asked for), ``"repaired"`` (same file, the
        stored folder was damaged).
        """
        previous = self.entry(dataset_id)
        self.put_table(table, dataset_id, source_file=source_file,
                       source_sha256=source_sha256)
        if previous is None:
            return "imported"
        if previous["source_sha256"] != source_sha256:
            return "replaced"
        return "re-imported (--force)" if force else "repaired"

    def import_file(self, path: str | os.PathLike[str], source: str | None = None, *,
                    year: int | None = None, keep_splits: bool = False, force: bool = False,
                    _dataset_id: str | None = None, **options: Any) -> tuple[str, str]:
        """Read a release file once and store it; returns ``(dataset_id, status)``.

        ``status`` is ``"unchanged"`` (same file content already stored and intact:
        nothing done) or one of :meth:`store_import`'s answers.
        """
        from silkchain.io.sources import get_reader, parse

        path = Path(path)
        digest = sha256_file(path)
        if not force:
            hit = self.current(path, digest, year)
            if hit is not None:
                return hit, "unchanged"
        if keep_splits:
            options["keep_splits"] = True
        raw = parse(path, source, year=year, **options)
        reader = get_reader(raw.meta["reader"])
        table = raw.to_table(rounding=reader.rounding)
        name = str(raw.meta.get("dataset_name") or raw.meta["reader"])
        key = str(year or raw.meta.get("year") or re.sub(r"[^A-Za-z0-9_.-]", "_", path.stem))
        dataset_id = _dataset_id or f"{name}:{key}"
        status = self.store_import(table, dataset_id, source_file=str(path.resolve()),
                                   source_sha256=digest, force=force)
        return dataset_id, status

    def stale(self) -> list[str]:
        """Ids whose source file has changed (or vanished) since it was imported."""
        out = []
        for row in self.catalog().itertuples(index=False):
            if row.source_file and (not Path(row.source_file).exists()
                                    or sha256_file(row.source_file) != row.source_sha256):
                out.append(row.id)
        return out

    # ------------------------------------------------------------------ frames
    def _frame_path(self, key: str) -> Path:
        safe = re.sub(r"[^A-Za-z0-9_.-]", "_", key)
        if safe != key:
            safe += "-" + hashlib.sha256(key.encode()).hexdigest()[:8]
        return self.root / "frames" / f"{safe}.parquet"

    def put_frame(self, key: str, frame: pd.DataFrame) -> Path:
        """Cache ``frame`` under ``key`` as Parquet (atomically)."""
        path = self._frame_path(key)
        with atomic_path(path, suffix=".parquet") as tmp:
            frame.to_parquet(tmp, index=False)
        return path

    def clear_frames(self) -> tuple[int, int]:
        """Remove every cached frame (panels, answers, scenarios); ``(files, bytes)`` removed.

        Cached frames are keyed by the stored tables' content, so a re-imported table
        leaves its old frames unused; this reclaims their space. Tables are untouched.
        """
        folder = self.root / "frames"
        files = nbytes = 0
        with self.lock():
            for path in sorted(folder.glob("*.parquet")) if folder.is_dir() else []:
                size = path.stat().st_size
                path.unlink()
                files, nbytes = files + 1, nbytes + size
        return files, nbytes

    def get_frame(self, key: str) -> pd.DataFrame | None:
        """The frame cached under ``key``, or ``None``."""
        path = self._frame_path(key)
        return pd.read_parquet(path) if path.exists() else None


def _acquire(fh: Any, timeout: float, root: Path) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            _try_lock(fh)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise StoreBusyError(
                    f"store busy: another silkchain process is writing to {root} (waited "
                    f"{timeout:.0f} s); try again when it has finished, or set "
                    "SILKCHAIN_STORE_TIMEOUT to wait longer") from None
            time.sleep(0.05)


try:
    import fcntl

    def _try_lock(fh: Any) -> None:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _release(fh: Any) -> None:
        fcntl.flock(fh.fileno(), fcntl.LOCK_UN)

except ImportError:  # pragma: no cover - Windows
    import msvcrt

    def _try_lock(fh: Any) -> None:
        fh.seek(0)
        try:
            msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
        except OSError:
            raise BlockingIOError from None

    def _release(fh: Any) -> None:
        fh.seek(0)
        msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]


# ---------------------------------------------------------------------- registry hooks
def resolve(dataset_id: str) -> MRIOTable | None:
    """The table of ``dataset_id`` in the default store, or ``None`` when it is not there."""
    store = Store()
    return store.read(dataset_id) if dataset_id in store else None


def listing() -> list[dict[str, Any]]:
    """The default store's datasets as rows of :func:`silkchain.datasets`."""
    frame = Store().catalog()
    return [{"id": r.id, "source": r.source, "release": r.release,
             "year": None if r.year is None or pd.isna(r.year) else int(r.year),
             "countries": int(r.countries), "sectors": int(r.sectors), "where": "store"}
            for r in frame.itertuples(index=False)]
