"""Any measure over every year of a source, as one tidy frame, computed in parallel on Dask.

:func:`panel` runs one task per year. Each task reads its table where it runs
(a dataset id travels, not the 16 MB of arrays), computes the measure(s) and
returns a tidy frame; the frames are stacked into

    ``year, country, sector, partner, measure, value``

Decomposition frames (``exporter, sector, importer, term``) are renamed to
these columns (exporter -> country, importer -> partner, term -> measure) by
:func:`silkchain.measures.tidy.tidy`; a dimension the measure does not have is
``"_T"`` (:data:`silkchain.measures.tidy.TOTAL`: a country total has
``sector == "_T"``), as in every tidy frame.

Where it runs (``scheduler``):

* ``None`` or ``"local"``: a ``dask.distributed.LocalCluster`` started for the
  call (2 single-threaded worker processes on 127.0.0.1, no dashboard; BLAS
  pinned to one thread per worker) and closed afterwards;
* ``"tcp://HOST:PORT"`` (or ``HOST:PORT``): an existing dask.distributed
  scheduler; its workers need silkchain installed and, for dataset ids of the
  local store, access to the store;
* a ``distributed.Client``: used as it is;
* ``"sync"``: serially in this process, without Dask (small jobs, debugging).

Results of named measures on named sources are cached: in the local store
(``silkchain.io.store.Store().put_frame/get_frame``) when that module is
installed, else as Parquet files under :func:`cache_dir` (written atomically).
The cache follows the stored data: its key includes each year's stored version
(:func:`source_versions`), so a dataset imported again with other content is
computed again.

Examples
--------
>>> from silkchain.measures.participation import wwyz
>>> f = panel("wiod2013", wwyz, years=[2010, 2011], scheduler="sync", cache=False)
>>> list(f.columns)
['year', 'country', 'sector', 'partner', 'measure', 'value']
>>> sorted(f.year.unique().tolist())
[2010, 2011]
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import logging
import os
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from silkchain.errors import DatasetNotFoundError, MeasureError, SilkchainError
from silkchain.io.atomic import atomic_path
from silkchain.measures.catalogue import MEASURES, resolve
from silkchain.measures.catalogue import names as catalogue_names
from silkchain.measures.tidy import TOTAL, tidy
from silkchain.table import MRIOTable

PANEL_COLUMNS = ["year", "country", "sector", "partner", "measure", "value"]
#: Environment variable overriding the cache folder of the Parquet fallback.
CACHE_ENV = "SILKCHAIN_CACHE_DIR"
#: Environment given to worker processes of the local cluster (one BLAS thread each).
WORKER_ENV = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


class PanelError(SilkchainError, RuntimeError):
    """A panel could not be computed (no scheduler, a failed year, bad arguments)."""


def panel_measures() -> dict[str, str]:
    """Names :func:`panel` knows (the measure catalogue's ``NAME`` and ``NAME_LEVEL``)."""
    return {name: f"{MEASURES[m].title}, {level} level"
            for name, (m, level) in catalogue_names().items()}


MeasureSpec = str | Callable[[MRIOTable], pd.DataFrame] | tuple[Any, Mapping[str, Any]]


# ------------------------------------------------------------------------------ tidy frames
def to_panel_frame(frame: pd.DataFrame, year: int | None = None) -> pd.DataFrame:
    """Bring a measure's tidy frame to the panel columns (``year`` added when given).

    >>> f = pd.DataFrame({"exporter": ["CHN"], "importer": ["USA"], "term": ["DVA"],
    ...                   "value": [1.0]})
    >>> to_panel_frame(f, 2011)
       year country sector partner measure  value
    0  2011     CHN     _T     USA     DVA    1.0
    """
    if year is not None and "year" in frame.columns:
        frame = frame.drop(columns="year")  # the task's year wins
    out = tidy(frame, year=year)
    if out["year"].isna().any():
        raise MeasureError("to_panel_frame needs a year (argument or column)")
    out["year"] = out["year"].astype(int)
    return out[PANEL_COLUMNS]


# ------------------------------------------------------------------------------ measures
def _normalise_measures(measure: MeasureSpec | Sequence[MeasureSpec],
                        params: Mapping[str, Any] | None
                        ) -> list[tuple[str, Callable[..., pd.DataFrame], dict[str, Any]]]:
    single = isinstance(measure, (str, tuple)) or callable(measure)
    specs: list[MeasureSpec] = [measure] if single else list(measure)  # type: ignore[list-item]
    if not specs:
        raise PanelError("no measure given")
    if params and len(specs) > 1:
        raise PanelError("params apply to a single measure; for several measures pass "
                         "(measure, params) pairs")
    out = []
    for spec in specs:
        kwargs: dict[str, Any] = dict(params or {})
        if isinstance(spec, tuple):
            spec, extra = spec
            kwargs.update(extra)
        if isinstance(spec, str):
            if spec not in catalogue_names():
                raise PanelError(f"unknown panel measure {spec!r}; available: "
                                 f"{', '.join(catalogue_names())} (or pass a function)")
            m, level = resolve(spec)
            out.append((spec, m.function, m.keywords(kwargs.pop("level", level), **kwargs)))
        elif callable(spec):
            name = getattr(spec, "__name__", None) or getattr(
                getattr(spec, "func", None), "__name__", "measure")
            out.append((str(name), spec, kwargs))
        else:
            raise PanelError(f"a measure is a name, a function or a (measure, params) pair; "
                             f"got {type(spec).__name__}")
    return out


class StoreNotSharedError(PanelError):
    """A worker cannot see the store folder the client named (not a shared path)."""


#: The last store table this process read, by (dataset id, store folder, version): the
#: measures and Belt and Road answers that ask for the same year one after another share
#: it, and with it its factorisation and derived arrays (``MRIOTable`` caches them). One
#: table only, so that a panel still holds one year at a time.
_LAST_TABLE: dict[tuple[str, str, str], MRIOTable] = {}


def _read_year(ref: str | MRIOTable, store_root: str | None) -> MRIOTable:
    """The table of one task: given, from the store folder ``store_root``, or by id.

    A dataset id of the store read twice in a row gives the same table object (while
    the stored dataset is unchanged); bundled ids are cached by their own reader.
    """
    from silkchain.io import bundled
    from silkchain.io.registry import DATASET_ID, read

    if not isinstance(ref, str) or not DATASET_ID.match(ref) or Path(ref).exists() or (
            ref.split(":", 1)[0] == bundled.NAME):
        return read(ref)
    if store_root is not None and not Path(store_root).is_dir():
        raise StoreNotSharedError(f"{ref}: this worker cannot see the store folder "
                                  f"{store_root}")
    from silkchain.io.store import Store, default_root

    store = Store(store_root if store_root is not None else default_root())
    entry = store.entry(ref)
    if entry is None:
        return read(ref) if store_root is None else store.read(ref)  # their own errors
    meta = store.root / str(entry["folder"]) / "meta.json"
    version = "|".join(str(v) for v in (entry.get("content_sha256"), entry["imported_at"],
                                        meta.stat().st_mtime_ns if meta.exists() else 0))
    key = (ref, str(store.root), version)
    table = _LAST_TABLE.get(key)
    if table is None:
        table = store.read(ref)
        _LAST_TABLE.clear()
        _LAST_TABLE[key] = table
    return table


def _compute_year(year: int, ref: str | MRIOTable,
                  measures: list[tuple[str, Callable[..., pd.DataFrame], dict[str, Any]]],
                  blas_threads: int | None = 1, store_root: str | None = None
                  ) -> pd.DataFrame:
    """One panel task: read the table of ``year`` and compute every measure on it.

    ``store_root``: a store folder shared with the client (a dataset id of the
    local store is read from there, not from the worker's own store).
    """
    limiter: contextlib.AbstractContextManager[Any] = contextlib.nullcontext()
    if blas_threads is not None:
        with contextlib.suppress(ImportError):
            from threadpoolctl import threadpool_limits

            limiter = threadpool_limits(limits=blas_threads)
    with limiter:
        table = _read_year(ref, store_root)
        frames = []
        for name, fn, kwargs in measures:
            try:
                result = fn(table, **kwargs)
            except SilkchainError:
                raise
            except Exception as err:
                raise PanelError(f"measure {name!r} failed on year {year}: "
                                 f"{type(err).__name__}: {err}") from err
            frames.append(to_panel_frame(result, year))
    return pd.concat(frames, ignore_index=True)


# ------------------------------------------------------------------------------ sources
def _available_years(name: str) -> dict[int, str]:
    from silkchain.io import bundled
    from silkchain.io.registry import dataset_ids

    if name == bundled.NAME:
        return {y: f"{name}:{y}" for y in bundled.YEARS}
    out = {}
    for d in dataset_ids():
        prefix, _, key = d.partition(":")
        if prefix == name and key.isdigit():
            out[int(key)] = d
    if not out:
        names = sorted({d.split(":")[0] for d in dataset_ids()})
        raise DatasetNotFoundError(f"unknown panel source {name!r}; available: "
                                   f"{', '.join(names)}")
    return out


def parse_years(text: str | Sequence[int] | None) -> list[int] | None:
    """``"1995-2011"``, ``"2000,2005,2010"`` or a list -> sorted list of years.

    >>> parse_years("2009-2011"), parse_years("2011,1995"), parse_years(None)
    ([2009, 2010, 2011], [1995, 2011], None)
    """
    if text is None:
        return None
    if not isinstance(text, str):
        return sorted({int(y) for y in text})
    years: set[int] = set()
    for part in filter(None, (p.strip() for p in text.split(","))):
        lo, sep, hi = part.partition("-")
        try:
            if sep:
                a, b = int(lo), int(hi)
                if b < a:
                    raise PanelError(f"year range {part!r} runs backwards")
                years.update(range(a, b + 1))
            else:
                years.add(int(part))
        except ValueError:
            raise PanelError(f"cannot read years {text!r}; use e.g. 1995-2011 or "
                             "2000,2005,2011") from None
    return sorted(years)


def resolve_source(source: str | Mapping[int, MRIOTable | str],
                   years: Sequence[int] | str | None = None) -> dict[int, MRIOTable | str]:
    """``{year: dataset id or table}`` for a panel source and an optional year filter."""
    from silkchain.io.registry import DATASET_ID

    chosen = parse_years(years)
    available: dict[int, MRIOTable | str]
    if isinstance(source, Mapping):
        available = {int(y): t for y, t in source.items()}
    elif isinstance(source, str) and DATASET_ID.match(source) and not Path(source).exists():
        key = source.split(":", 1)[1]
        if not key.isdigit():
            raise DatasetNotFoundError(f"{source!r}: a panel needs yearly dataset ids "
                                       "(NAME:YEAR) or a source name such as wiod2013")
        available = {int(key): source}
    elif isinstance(source, str):
        available = dict(_available_years(source))
    else:
        raise PanelError(f"a panel source is a name (wiod2013), a dataset id or "
                         f"{{year: table}}; got {type(source).__name__}")
    if chosen is None:
        return dict(sorted(available.items()))
    missing = [y for y in chosen if y not in available]
    if missing:
        span = f"{min(available)}-{max(available)}" if available else "none"
        raise DatasetNotFoundError(f"{source if isinstance(source, str) else 'source'} has no "
                                   f"year(s) {', '.join(map(str, missing))}; available: {span}")
    return {y: available[y] for y in chosen}


# ------------------------------------------------------------------------------ caching
def cache_dir() -> Path:
    """Folder of the Parquet panel cache (``$SILKCHAIN_CACHE_DIR`` or the user cache)."""
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env) / "panels"
    try:
        from platformdirs import user_cache_dir

        return Path(user_cache_dir("silkchain")) / "panels"
    except ImportError:  # pragma: no cover - platformdirs is in the io extra
        return Path.home() / ".cache" / "silkchain" / "panels"


@functools.lru_cache(maxsize=64)
def _file_sha256(path: str, size: int, mtime_ns: int) -> str:
    """sha256 of a file, remembered while its size and modification time are unchanged."""
    from silkchain.io.npz import sha256_file

    return sha256_file(path)


def dataset_versions(refs: Mapping[int, MRIOTable | str]) -> dict[int, str] | None:
    """The stored version of each year's table (``{year: version}``), or ``None``.

    * a dataset id of the local store: the catalogue's ``content_sha256``, the hash of
      the stored files. Importing other data under the same id changes it; importing the
      same data again does not;
    * a bundled id (``wiod2013:2011``): the sha256 of its file.

    ``None`` when some year has no stored version (a table object, a file path, an id of
    another resolver, or no store installed): results on it are not cached.

    >>> dataset_versions({2011: "wiod2013:2011"})[2011][:16]
    'bundled:c145c262'
    >>> dataset_versions({2011: "nowhere.npz"}) is None
    True
    """
    from silkchain.io import bundled
    from silkchain.io.registry import DATASET_ID

    out: dict[int, str] = {}
    stored: dict[str, Any] | None = None
    for year, ref in refs.items():
        m = DATASET_ID.match(ref) if isinstance(ref, str) else None
        if m is None or Path(str(ref)).exists():
            return None
        name, key = m["name"], m["key"]
        if name == bundled.NAME:
            if not key.isdigit() or int(key) not in bundled.YEARS:
                return None
            path = bundled.path_for(int(key))
            st = path.stat()
            out[int(year)] = "bundled:" + _file_sha256(str(path), st.st_size, st.st_mtime_ns)
            continue
        if stored is None:
            try:
                from silkchain.io.store import Store, default_root

                catalog = Store(default_root()).catalog()
            except ImportError:  # no store installed: ids come from other resolvers
                return None
            # older catalogues have no content hash: the folder and import time instead
            stored = {str(r["id"]): r["content_sha256"]
                      or f"folder:{r['folder']}|{r['imported_at']}"
                      for r in catalog.to_dict("records")}
        version = stored.get(str(ref))
        if version is None:
            return None
        out[int(year)] = f"store:{version}"
    return out


def source_versions(source: str | Mapping[int, MRIOTable | str],
                    years: Sequence[int] | str | None = None) -> dict[int, str] | None:
    """:func:`dataset_versions` of the years of a panel source (a name, an id or a mapping).

    Every frame cache key (panels, Belt and Road answers, the report's scenarios) includes
    these versions, so a cached result is served only for the data it was computed on.
    """
    if isinstance(source, str) and Path(source).exists():
        return None
    return dataset_versions(resolve_source(source, years))


def cache_key(source: str, names: Sequence[str], params: Sequence[Mapping[str, Any]],
              years: Sequence[int], extra: str = "",
              versions: Mapping[int, str] | None = None) -> str:
    """A stable key naming a panel result (source, its stored versions, measures, params,
    years, silkchain's version).

    ``versions``: :func:`source_versions` of ``source`` and ``years`` (looked up when not
    given); a source without stored versions cannot be keyed (``PanelError``).
    """
    from silkchain import __version__

    if versions is None:
        versions = source_versions(source, list(years))
        if versions is None:
            raise PanelError(f"{source!r} has no stored version to key a cache on")
    doc = json.dumps({"source": source, "measures": list(names),
                      "params": [dict(p) for p in params], "years": list(years),
                      "versions": {str(y): str(v) for y, v in versions.items()},
                      "extra": extra, "version": __version__, "total": TOTAL},
                     sort_keys=True, default=str)
    return "panel-" + hashlib.sha256(doc.encode()).hexdigest()[:24]


def frame_key(kind: str, versions: Mapping[int, str], **parts: Any) -> str:
    """A cache key for any other frame computed from stored tables: ``kind``, the tables'
    :func:`dataset_versions`, every parameter (``parts``, JSON) and silkchain's version.

    >>> frame_key("why_changed", {2011: "store:ab"}, measure="vax").startswith("why_changed-")
    True
    """
    from silkchain import __version__

    doc = json.dumps({"kind": kind, "versions": {str(y): str(v) for y, v in versions.items()},
                      "parts": parts, "version": __version__, "total": TOTAL},
                     sort_keys=True, default=str)
    return f"{kind}-" + hashlib.sha256(doc.encode()).hexdigest()[:24]


class ParquetCache:
    """The fallback cache: one Parquet file per key under a folder, written atomically."""

    def __init__(self, root: str | os.PathLike[str] | None = None) -> None:
        self.root = Path(root) if root is not None else cache_dir()

    def _path(self, key: str) -> Path:
        return self.root / f"{key}.parquet"

    def get_frame(self, key: str) -> pd.DataFrame | None:
        """The cached frame of ``key``, or None."""
        path = self._path(key)
        return pd.read_parquet(path) if path.exists() else None

    def put_frame(self, key: str, frame: pd.DataFrame) -> None:
        """Store ``frame`` under ``key``."""
        with atomic_path(self._path(key), suffix=".parquet") as tmp:
            frame.to_parquet(tmp, index=False)


#: silkchain's logger: notes that are not errors (a cache that cannot be written).
log = logging.getLogger("silkchain")
_CACHE_NOTES: set[str] = set()


def cache_put(store: Any, key: str, frame: pd.DataFrame) -> bool:
    """``store.put_frame(key, frame)``; ``False`` when the cache cannot be written.

    A read-only store (a shared folder, another user's store) still serves its tables
    and cached results; what is computed on it is returned but not kept. The first
    failure for a store is logged once (``silkchain`` logger; the CLI prints it as a
    note on stderr).
    """
    try:
        store.put_frame(key, frame)
        return True
    except OSError as err:  # StoreError, PermissionError, a read-only file system
        where = str(getattr(store, "root", "") or "the cache")
        if where not in _CACHE_NOTES:
            _CACHE_NOTES.add(where)
            text = str(err) if isinstance(err, SilkchainError) else (
                f"{err.strerror or type(err).__name__}: {err.filename or where}")
            log.warning("results not cached: %s cannot be written (%s); they are computed "
                        "again next time", where, text)
        return False


def default_cache() -> Any:
    """The local store when its packages are installed, else a :class:`ParquetCache`."""
    try:
        from silkchain.io.store import Store

        return Store()
    except ImportError:  # no store module, or its optional dependencies are missing
        return ParquetCache()


def cache_store(cache: bool | str | os.PathLike[str] | Any) -> Any:
    """The frame cache ``cache`` names: ``True`` :func:`default_cache`, a path a
    :class:`ParquetCache` folder, ``False``/``None`` none (``None``), else the object itself."""
    if cache is True:
        return default_cache()
    if cache is False or cache is None:
        return None
    if isinstance(cache, (str, os.PathLike)):
        return ParquetCache(cache)
    return cache


def frame_cache(cache: Any, kind: str, refs: Mapping[int, MRIOTable | str], *,
                versions: Mapping[int, str] | None = None, **parts: Any
                ) -> tuple[Any, str] | None:
    """Where a frame computed from the tables ``refs`` is cached: ``(store, key)``, or
    ``None`` when it is not (``cache`` false, or a table without a stored version).

    The key (:func:`frame_key`) holds ``kind``, the tables' :func:`dataset_versions`
    (``versions`` when the caller has them already) and every parameter in ``parts``
    (plain data).

    >>> frame_cache(False, "x", {2011: "wiod2013:2011"}) is None
    True
    >>> frame_cache(True, "x", {2011: "a-file.npz"}) is None
    True
    """
    if cache is False or cache is None:
        return None
    versions = dataset_versions(refs) if versions is None else versions
    if versions is None:
        return None
    return cache_store(cache), frame_key(kind, versions, **parts)


# ------------------------------------------------------------------------------ running
ProgressFn = Callable[[int, int, int], None]


def _progress_fn(progress: bool | ProgressFn | None, label: str) -> ProgressFn:
    if callable(progress):
        return progress
    if progress:
        def report(done: int, total: int, year: int) -> None:
            print(f"{label}: {done}/{total} years done (last {year})", file=sys.stderr,
                  flush=True)
        return report
    return lambda done, total, year: None


class ClusterOnDemand:
    """A local Dask cluster started the first time a panel runs on it, shared by every
    later panel and closed by :meth:`close` (a report whose results are all cached starts
    none). Pass it as ``scheduler``.

    >>> lazy = ClusterOnDemand()
    >>> lazy.started
    False
    >>> lazy.close()
    """

    def __init__(self, n_workers: int = 2) -> None:
        self.n_workers = n_workers
        self._context: contextlib.AbstractContextManager[Any] | None = None
        self._client: Any = None

    @property
    def started(self) -> bool:
        """Whether the cluster has been started."""
        return self._client is not None

    def client(self) -> Any:
        """The cluster's client, starting the cluster now if needed."""
        if self._client is None:
            context = dask_client(None, n_workers=self.n_workers)
            self._client = context.__enter__()
            self._context = context
        return self._client

    def close(self) -> None:
        """Stop the cluster, if it was started."""
        if self._context is not None:
            context, self._context, self._client = self._context, None, None
            context.__exit__(None, None, None)


@contextlib.contextmanager
def dask_client(scheduler: Any = None, n_workers: int = 2,
                timeout: float = 20.0) -> Iterator[Any]:
    """A dask.distributed client: a fresh local cluster, an address, a given client, or
    the client of a :class:`ClusterOnDemand` (started now if needed)."""
    if isinstance(scheduler, ClusterOnDemand):
        yield scheduler.client()
        return
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise PanelError("panels on Dask need dask[distributed]; pip install "
                         "'silkchain[dask]' (or use scheduler='sync')") from None
    if scheduler is not None and not isinstance(scheduler, str):
        yield scheduler  # a Client the caller owns
        return
    if scheduler in (None, "local"):
        with _quiet_shutdown():
            cluster = LocalCluster(n_workers=n_workers, threads_per_worker=1,
                                   host="127.0.0.1", dashboard_address=None, processes=True,
                                   env=dict(WORKER_ENV), silence_logs=logging.CRITICAL,
                                   # no dashboard; its HTTP routes on a free local port, not
                                   # 8787 (taken by another cluster: a warning on stderr)
                                   scheduler_kwargs={"dashboard_address": "127.0.0.1:0"})
            client = Client(cluster)
            try:
                yield client
            finally:
                client.close()
                cluster.close()
        return
    address = scheduler if "://" in scheduler else f"tcp://{scheduler}"
    try:
        client = Client(address, timeout=timeout)
    except (OSError, TimeoutError) as err:
        raise PanelError(f"could not connect to the Dask scheduler at {address} within "
                         f"{timeout:g} s ({type(err).__name__}: {err}); start one with "
                         "`dask scheduler` or leave --scheduler out for a local cluster"
                         ) from None
    try:
        yield client
    finally:
        with _quiet_shutdown():
            client.close()


@contextlib.contextmanager
def _quiet_shutdown() -> Iterator[None]:
    """Keep dask.distributed's closing chatter (closed comms, heartbeats) off stderr.

    Failures are not hidden: a failed task reaches :func:`run_years` as an exception.
    """
    loggers = [logging.getLogger(name) for name in ("distributed", "tornado")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for lg, level in zip(loggers, levels, strict=True):
            lg.setLevel(level)


def machine_is_busy() -> bool:
    """Whether other work keeps every core busy (1-minute load average >= number of CPUs).

    A sequential panel then runs BLAS on one thread: OpenBLAS's threads cannot run in
    parallel on taken cores and lose far more time waiting for each other than they
    gain (measured at load 5-10 on two cores: Borin-Mancini 2-8 times slower with two
    threads than with one; docs/performance.md). On an idle machine every thread is used.
    """
    try:
        return os.getloadavg()[0] >= (os.cpu_count() or 1)
    except (AttributeError, OSError):  # no load average on this platform
        return False


def _store_root(tasks: Mapping[int, MRIOTable | str]) -> str | None:
    """The local store folder when some task is a dataset id of the store, else None."""
    from silkchain.io import bundled
    from silkchain.io.registry import DATASET_ID

    ids = [r for r in tasks.values() if isinstance(r, str) and DATASET_ID.match(r)
           and r.split(":", 1)[0] != bundled.NAME and not Path(r).exists()]
    if not ids:
        return None
    try:
        from silkchain.io.store import default_root
    except ImportError:  # no store installed: workers resolve ids themselves
        return None
    return str(Path(default_root()).resolve())


def _year_failure(year: int, ref: Any, err: BaseException) -> SilkchainError:
    """The error of a year that failed twice: its own when it names the year, else a PanelError."""
    if isinstance(err, SilkchainError) and str(year) in str(err):
        return err
    what = ref if isinstance(ref, str) else f"year {year}"
    return PanelError(f"year {year} ({what}) failed on the Dask cluster, also when tried a "
                      f"second time: {type(err).__name__}: {err}")


def _run_on_dask(client: Any, tasks: Mapping[int, MRIOTable | str],
                 measures: list[tuple[str, Callable[..., pd.DataFrame], dict[str, Any]]],
                 report: ProgressFn, label: str) -> dict[int, pd.DataFrame]:
    """Every year on ``client``: a failed year is tried once more; results by year.

    Tasks carry dataset ids and the client's store folder; a worker that cannot see
    that folder gets the table itself instead (read here, sent once).
    """
    from dask.distributed import as_completed

    years = list(tasks)
    store_root = _store_root(tasks)
    attempts = dict.fromkeys(years, 0)
    refs: dict[int, Any] = dict(tasks)

    def submit(year: int) -> Any:
        attempts[year] += 1
        return client.submit(_compute_year, year, refs[year], measures, 1,
                             store_root if isinstance(refs[year], str) else None,
                             pure=False, key=f"{label}-{year}-{attempts[year]}-"
                                             f"{time.monotonic_ns()}")

    futures = {submit(y): y for y in years}
    results: dict[int, pd.DataFrame] = {}
    pending = as_completed(list(futures))
    try:
        for fut in pending:
            year = futures.pop(fut)
            try:
                results[year] = fut.result()
            except StoreNotSharedError:
                from silkchain.io.registry import read

                refs[year] = client.scatter(read(tasks[year]))
                attempts[year] -= 1  # not a failure of the year
                new = submit(year)
                futures[new] = year
                pending.add(new)
                continue
            except Exception as err:
                if attempts[year] >= 2:
                    raise _year_failure(year, tasks[year], err) from None
                new = submit(year)
                futures[new] = year
                pending.add(new)
                continue
            finally:
                fut.release()
            report(len(results), len(years), year)
    finally:
        for fut in list(futures):
            fut.cancel()
    return results


def run_years(tasks: Mapping[int, MRIOTable | str],
              measures: list[tuple[str, Callable[..., pd.DataFrame], dict[str, Any]]],
              scheduler: Any = None, progress: bool | ProgressFn | None = False,
              label: str = "panel", n_workers: int | None = None) -> pd.DataFrame:
    """Run :func:`_compute_year` for every year of ``tasks`` and stack the frames in year order.

    On Dask, a year whose task fails (an error, a lost worker) is tried once more; if it
    fails again the error names the year.
    """
    report = _progress_fn(progress, label)
    years = list(tasks)
    results: dict[int, pd.DataFrame] = {}
    if scheduler in ("sync", "synchronous"):
        blas = 1 if machine_is_busy() else None  # see machine_is_busy
        for i, year in enumerate(years, 1):
            results[year] = _compute_year(year, tasks[year], measures, blas_threads=blas)
            report(i, len(years), year)
    elif years:
        workers = n_workers or max(1, min(2, len(years), os.cpu_count() or 1))
        with dask_client(scheduler, n_workers=workers) as client:
            results = _run_on_dask(client, tasks, measures, report, label)
    if not results:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in PANEL_COLUMNS})
    return pd.concat([results[y] for y in years], ignore_index=True)


def panel(
    source: str | Mapping[int, MRIOTable | str],
    measure: MeasureSpec | Sequence[MeasureSpec],
    years: Sequence[int] | str | None = None,
    scheduler: Any = None,
    *,
    params: Mapping[str, Any] | None = None,
    cache: bool | str | os.PathLike[str] | Any = True,
    progress: bool | ProgressFn | None = False,
    n_workers: int | None = None,
    cache_extra: str | None = None,
) -> pd.DataFrame:
    """A measure over every year of ``source`` as one tidy frame.

    Parameters
    ----------
    source : str or mapping
        A source name whose yearly datasets are ``NAME:YEAR`` (``"wiod2013"``:
        1995-2011, or a name in the local store), one dataset id, or
        ``{year: table or dataset id}``.
    measure : str, callable, (measure, params) pair, or a list of them
        A name of the measure catalogue (:func:`panel_measures`: ``"bm"``,
        ``"wwyz"``, ``"koopman_sector"``, ``"upstreamness"``, ...) or a function
        ``f(table, **params) -> tidy frame``. Several measures are computed in
        the same task, on one read of each table.
    years : sequence of int or str, optional
        Years to include (``"1995-2011"``, ``[2000, 2011]``); default all.
    scheduler : str or Client, optional
        ``None``/``"local"`` (a local cluster for this call), ``"HOST:PORT"``
        or ``"tcp://HOST:PORT"`` (an existing cluster), a ``Client``, or
        ``"sync"`` (no Dask). See the module docstring.
    params : mapping, optional
        Keyword arguments of a single measure (``{"level": "sector"}``).
    cache : bool, path or store
        ``True`` (default): cache named measures on named sources in the local
        store (or the Parquet fallback), keyed on each year's stored version
        (:func:`source_versions`); ``False``: never; a path: a Parquet
        cache folder; an object with ``get_frame``/``put_frame``: that store.
    progress : bool or callable
        ``True`` prints a line per finished year to stderr; a callable gets
        ``(done, total, year)``.
    n_workers : int, optional
        Workers of the local cluster (default ``min(2, years, CPUs)``).
    cache_extra : str, optional
        Lets callers that pass functions cache them under a stable name (the
        Belt and Road answers use it); without it, functions are not cached.

    Returns
    -------
    DataFrame
        ``year, country, sector, partner, measure, value``; ``attrs`` hold the
        source, years, measures, scheduler, whether the result came from the
        cache and the cache key.

    Raises
    ------
    PanelError
        Unknown measure, unreachable scheduler, or a year whose measure failed
        (the message names the year).
    DatasetNotFoundError
        Unknown source or years.
    """
    tasks = resolve_source(source, years)
    if not tasks:
        raise PanelError("the panel has no years")
    measures = _normalise_measures(measure, params)
    names = [name for name, _, _ in measures]
    cacheable = (isinstance(source, str) and cache is not False
                 and (cache_extra is not None or all(
                     isinstance(m, str) or (isinstance(m, tuple) and isinstance(m[0], str))
                     for m in ([measure] if isinstance(measure, (str, tuple))
                               or callable(measure) else measure))))
    store = None
    key = None
    versions = dataset_versions(tasks) if cacheable else None
    if versions is not None:
        key = cache_key(str(source), names, [kw for _, _, kw in measures], list(tasks),
                        cache_extra or "", versions=versions)
        store = cache_store(cache)
        cached = store.get_frame(key)
        if cached is not None:
            cached = cached[PANEL_COLUMNS].copy()
            cached.attrs.update(source=str(source), years=list(tasks), measures=names,
                                scheduler=None, cached=True, cache_key=key)
            _progress_fn(progress, f"panel {source}")(len(tasks), len(tasks), max(tasks))
            return cached
    label = f"panel {source if isinstance(source, str) else 'tables'} {'+'.join(names)}"
    frame = run_years(tasks, measures, scheduler, progress, label=label, n_workers=n_workers)
    if store is not None and key is not None:
        cache_put(store, key, frame)
    frame.attrs.update(source=str(source) if isinstance(source, str) else "tables",
                       years=list(tasks), measures=names,
                       scheduler=scheduler if isinstance(scheduler, str) or scheduler is None
                       else "client", cached=False, cache_key=key)
    return frame


def estimate_rows(source: str | Mapping[int, MRIOTable | str],
                  measure: MeasureSpec | Sequence[MeasureSpec],
                  years: Sequence[int] | str | None = None,
                  params: Mapping[str, Any] | None = None) -> int:
    """A lower bound on the rows of ``panel(source, measure, years)``, without computing it.

    From the first year's table shape and the catalogue's columns of each named
    measure (decompositions: every term for every key; other measures count one
    term; functions count nothing). Lets a command refuse an output format (Excel)
    before the panel runs for minutes.

    >>> estimate_rows("wiod2013", "bm_bilateral", years="2010-2011")
    1722000
    """
    from silkchain.io.write import estimate_rows as shape_rows

    tasks = resolve_source(source, years)
    if not tasks:
        return 0
    first = _read_year(next(iter(tasks.values())), None)
    single = isinstance(measure, (str, tuple)) or callable(measure)
    total = 0
    for spec in [measure] if single else list(measure):  # type: ignore[list-item]
        kwargs: dict[str, Any] = dict(params or {})
        if isinstance(spec, tuple):
            spec, extra = spec
            kwargs.update(extra)
        if not isinstance(spec, str) or spec not in catalogue_names():
            continue
        m, level = resolve(spec)
        level = str(kwargs.get("level", level))
        terms = len(m.terms) if m.kind == "decomposition" else 1
        total += shape_rows(first.G, first.N, m.columns.get(level, ()), terms)
    return total * len(tasks)


def measure_function(name: str, **params: Any) -> Callable[[MRIOTable], pd.DataFrame]:
    """A named panel measure as a one-argument function (``partial`` with its defaults)."""
    if name not in catalogue_names():
        raise PanelError(f"unknown panel measure {name!r}; available: "
                         f"{', '.join(catalogue_names())}")
    m, level = resolve(name)
    return m.bound(params.pop("level", level), **params)
