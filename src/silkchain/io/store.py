"""The local table store: releases converted once, then served fast by dataset id.

Layout under the store root (``SILKCHAIN_HOME``, else the platformdirs user
data directory of ``silkchain``)::

    catalog.duckdb                 one row per dataset (id, source, year, hash, ...)
    tables/<name>/<key>/           Z.npy Y.npy x.npy V.npy labels.json meta.json
    frames/<key>.parquet           cached panels and other frames (put_frame)

Arrays are ``.npy`` files opened with ``mmap_mode="r"``. An import writes a
hidden temporary folder and renames it into place, then records it in the
catalogue in one transaction: an import killed half-way leaves no partial
table in the catalogue, and leftover temporary folders are removed by the
next import. The sha256 of the source file is recorded; importing the same
file again is a no-op, a changed file replaces the table.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from silkchain.errors import DatasetNotFoundError
from silkchain.io.atomic import atomic_path
from silkchain.io.npz import sha256_file
from silkchain.labels import Labels
from silkchain.table import MRIOTable

__all__ = ["DATASET_ID", "Store", "default_root", "listing", "resolve"]

#: A dataset id ``NAME:KEY`` (``oecd-icio-2023:2020``).
DATASET_ID = re.compile(r"^(?P<name>[A-Za-z][A-Za-z0-9_.-]*):(?P<key>[A-Za-z0-9_.-]+)$")

ARRAYS = ("Z", "Y", "x", "V")
_COLUMNS = ("id", "name", "key", "source", "release", "year", "countries", "sectors",
            "source_file", "source_sha256", "imported_at", "folder")


def default_root() -> Path:
    """``$SILKCHAIN_HOME`` or the user data directory (platformdirs)."""
    env = os.environ.get("SILKCHAIN_HOME")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("silkchain", appauthor=False))


def _json_safe(value: Any) -> Any:
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, dict) or hasattr(value, "items"):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    return str(value)


class Store:
    """A folder of imported tables with a DuckDB catalogue.

    Parameters
    ----------
    root : path, optional
        Store folder; :func:`default_root` when absent.

    Examples
    --------
    >>> import tempfile, silkchain
    >>> store = Store(tempfile.mkdtemp())
    >>> store.put_table(silkchain.read("wiod2013:2011"), "demo:2011")
    'demo:2011'
    >>> store.read("demo:2011").G
    41
    """

    def __init__(self, root: str | os.PathLike[str] | None = None) -> None:
        self.root = Path(root) if root is not None else default_root()

    # ------------------------------------------------------------------ catalogue
    @property
    def catalog_path(self) -> Path:
        """The DuckDB catalogue file."""
        return self.root / "catalog.duckdb"

    def _connect(self, write: bool = False) -> Any:
        import duckdb

        self.root.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect(str(self.catalog_path))
        con.execute(
            "CREATE TABLE IF NOT EXISTS datasets (id VARCHAR PRIMARY KEY, name VARCHAR, "
            "key VARCHAR, source VARCHAR, release VARCHAR, year INTEGER, countries INTEGER, "
            "sectors INTEGER, source_file VARCHAR, source_sha256 VARCHAR, "
            "imported_at VARCHAR, folder VARCHAR)")
        return con

    def catalog(self) -> pd.DataFrame:
        """Every dataset of the store, one row each (empty frame for a new store)."""
        if not self.catalog_path.exists():
            return pd.DataFrame(columns=list(_COLUMNS))
        con = self._connect()
        try:
            return con.execute(f"SELECT {', '.join(_COLUMNS)} FROM datasets ORDER BY id").df()
        finally:
            con.close()

    def entry(self, dataset_id: str) -> dict[str, Any] | None:
        """The catalogue row of ``dataset_id``, or ``None``."""
        if not self.catalog_path.exists():
            return None
        con = self._connect()
        try:
            row = con.execute(f"SELECT {', '.join(_COLUMNS)} FROM datasets WHERE id = ?",
                              [dataset_id]).fetchone()
        finally:
            con.close()
        return dict(zip(_COLUMNS, row, strict=True)) if row else None

    def __contains__(self, dataset_id: object) -> bool:
        return isinstance(dataset_id, str) and self.entry(dataset_id) is not None

    # ------------------------------------------------------------------ tables
    def put_table(self, table: MRIOTable, dataset_id: str, *, source_file: str | None = None,
                  source_sha256: str | None = None) -> str:
        """Store ``table`` under ``dataset_id`` (``name:key``), atomically; returns the id."""
        m = DATASET_ID.match(dataset_id)
        if not m:
            raise ValueError(f"{dataset_id!r} is not a dataset id like 'oecd-icio-2023:2020'")
        name, key = m["name"], m["key"]
        tables = self.root / "tables"
        tables.mkdir(parents=True, exist_ok=True)
        self._clean_leftovers()
        tmp = tables / f".tmp-{uuid.uuid4().hex}"
        tmp.mkdir()
        try:
            for arr in ARRAYS:
                np.save(tmp / f"{arr}.npy", np.ascontiguousarray(getattr(table, arr)))
            lab = table.labels
            (tmp / "labels.json").write_text(json.dumps({
                "countries": lab.countries, "sectors": lab.sectors,
                "fd_categories": lab.fd_categories, "va_rows": lab.va_rows,
                "sector_names": lab.sector_names, "sector_codes": lab.sector_codes}))
            meta = _json_safe(dict(table.meta))
            meta["dataset"] = dataset_id
            (tmp / "meta.json").write_text(json.dumps(
                {"meta": meta, "rtol": table.rtol, "rounding": table.rounding}))
            final = tables / name / key
            final.parent.mkdir(parents=True, exist_ok=True)
            old = None
            if final.exists():
                old = final.with_name(f".old-{key}-{uuid.uuid4().hex}")
                os.replace(final, old)
            os.replace(tmp, final)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        year = table.meta.get("year")
        row = [dataset_id, name, key, str(table.meta.get("source", "")),
               str(table.meta.get("release", "")), int(year) if year else None, table.G,
               table.N, source_file, source_sha256,
               datetime.now(UTC).isoformat(timespec="seconds"),
               str(final.relative_to(self.root))]
        con = self._connect(write=True)
        try:
            con.execute("BEGIN TRANSACTION")
            con.execute("DELETE FROM datasets WHERE id = ?", [dataset_id])
            con.execute(f"INSERT INTO datasets VALUES ({', '.join('?' * len(row))})", row)
            con.execute("COMMIT")
        finally:
            con.close()
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
        return dataset_id

    def _clean_leftovers(self) -> None:
        for leftover in (self.root / "tables").glob(".tmp-*"):
            shutil.rmtree(leftover, ignore_errors=True)

    def read(self, dataset_id: str) -> MRIOTable:
        """The table stored under ``dataset_id`` (arrays memory-mapped from ``.npy``)."""
        entry = self.entry(dataset_id)
        if entry is None:
            ids = list(self.catalog()["id"])
            raise DatasetNotFoundError(
                f"{dataset_id!r} is not in the store at {self.root}; stored: "
                f"{', '.join(ids) or 'none'} (add one with `silkchain import FILE`)")
        folder = self.root / entry["folder"]
        arrays = {a: np.load(folder / f"{a}.npy", mmap_mode="r", allow_pickle=False)
                  for a in ARRAYS}
        labels = Labels(**json.loads((folder / "labels.json").read_text()))
        info = json.loads((folder / "meta.json").read_text())
        return MRIOTable(labels=labels, meta=info["meta"], rtol=info["rtol"],
                         rounding=info["rounding"], **arrays)

    def remove(self, dataset_id: str) -> None:
        """Delete a dataset (catalogue row first, then its folder)."""
        entry = self.entry(dataset_id)
        if entry is None:
            raise DatasetNotFoundError(f"{dataset_id!r} is not in the store at {self.root}")
        con = self._connect(write=True)
        try:
            con.execute("DELETE FROM datasets WHERE id = ?", [dataset_id])
        finally:
            con.close()
        shutil.rmtree(self.root / entry["folder"], ignore_errors=True)

    def import_file(self, path: str | os.PathLike[str], source: str | None = None, *,
                    year: int | None = None, keep_splits: bool = False, force: bool = False,
                    **options: Any) -> tuple[str, str]:
        """Read a release file once and store it; returns ``(dataset_id, status)``.

        ``status`` is ``"imported"``, ``"unchanged"`` (same file content already
        stored: nothing done) or ``"replaced"`` (the file changed since its
        last import, detected by its sha256).
        """
        from silkchain.io.sources import get_reader, parse

        path = Path(path)
        digest = sha256_file(path)
        for row in self.catalog().itertuples(index=False):
            if row.source_sha256 == digest and not force and row.source_file == str(
                    path.resolve()) and (year is None or row.year == year):
                return row.id, "unchanged"
        if keep_splits:
            options["keep_splits"] = True
        raw = parse(path, source, year=year, **options)
        reader = get_reader(raw.meta["reader"])
        table = raw.to_table(rounding=reader.rounding)
        name = str(raw.meta.get("dataset_name") or raw.meta["reader"])
        key = str(year or raw.meta.get("year") or re.sub(r"[^A-Za-z0-9_.-]", "_", path.stem))
        dataset_id = f"{name}:{key}"
        previous = self.entry(dataset_id)
        self.put_table(table, dataset_id, source_file=str(path.resolve()), source_sha256=digest)
        if previous is None:
            return dataset_id, "imported"
        return dataset_id, "unchanged" if previous["source_sha256"] == digest else "replaced"

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
            import hashlib

            safe += "-" + hashlib.sha256(key.encode()).hexdigest()[:8]
        return self.root / "frames" / f"{safe}.parquet"

    def put_frame(self, key: str, frame: pd.DataFrame) -> Path:
        """Cache ``frame`` under ``key`` as Parquet (atomically)."""
        path = self._frame_path(key)
        with atomic_path(path, suffix=".parquet") as tmp:
            frame.to_parquet(tmp, index=False)
        return path

    def get_frame(self, key: str) -> pd.DataFrame | None:
        """The frame cached under ``key``, or ``None``."""
        path = self._frame_path(key)
        return pd.read_parquet(path) if path.exists() else None


# ---------------------------------------------------------------------- registry hooks
def resolve(dataset_id: str) -> MRIOTable | None:
    """The table of ``dataset_id`` in the default store, or ``None`` when it is not there."""
    store = Store()
    return store.read(dataset_id) if dataset_id in store else None


def listing() -> list[dict[str, Any]]:
    """The default store's datasets as rows of :func:`silkchain.datasets`."""
    frame = Store().catalog()
    return [{"id": r.id, "source": r.source, "release": r.release,
             "year": None if pd.isna(r.year) else int(r.year), "countries": int(r.countries),
             "sectors": int(r.sectors), "where": "store"}
            for r in frame.itertuples(index=False)]
