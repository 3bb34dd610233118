"""Resolve what users name (a dataset id or a path) to an :class:`MRIOTable`.

Resolution order for ``read(ref)``:

1. a bundled dataset id, ``wiod2013:YEAR``;
2. a dataset id of the local store (``oecd-icio-2023:2020``,
   :mod:`silkchain.io.store`; it needs the ``io`` extra), then any resolver
   added with :func:`register_dataset_resolver`;
3. a path to a file: ``.npz`` in the interchange layout, or any source format
   with a registered reader (:func:`register_reader`; the readers of
   :mod:`silkchain.io.sources` register themselves when it is imported).

Nothing is imported by name: the store and the readers are plain imports,
made when first needed so that ``import silkchain`` stays light.

Errors name what was tried and list what is available.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from silkchain.errors import DatasetNotFoundError, StoreError
from silkchain.io import bundled
from silkchain.io.npz import read_npz, write_npz
from silkchain.io.store import DATASET_ID
from silkchain.table import MRIOTable

__all__ = ["DATASET_ID", "dataset_ids", "datasets", "read", "read_panel",
           "register_dataset_resolver", "register_reader", "write"]

#: Readers by file suffix (lower case, with the dot); each takes a path and options.
_SUFFIX_READERS: dict[str, Callable[..., MRIOTable]] = {".npz": read_npz}
#: Resolvers of dataset ids beyond the bundled ones; each returns a table or None.
_DATASET_RESOLVERS: list[Callable[[str], MRIOTable | None]] = []
#: Listers of datasets beyond the bundled ones; each returns rows for ``datasets()``.
_DATASET_LISTERS: list[Callable[[], list[dict[str, Any]]]] = []


def register_reader(suffix: str, reader: Callable[..., MRIOTable]) -> None:
    """Make ``read(path)`` use ``reader`` for files ending in ``suffix``."""
    _SUFFIX_READERS[suffix.lower()] = reader


def register_dataset_resolver(
    resolver: Callable[[str], MRIOTable | None],
    lister: Callable[[], list[dict[str, Any]]] | None = None,
) -> None:
    """Add a source of dataset ids (the local store) and, optionally, its listing."""
    if resolver not in _DATASET_RESOLVERS:
        _DATASET_RESOLVERS.append(resolver)
    if lister is not None and lister not in _DATASET_LISTERS:
        _DATASET_LISTERS.append(lister)


def _load_plugins() -> None:
    """Import the release readers, which register their suffixes (needs the ``io`` extra)."""
    try:
        import silkchain.io.sources  # noqa: F401  (registers its readers on import)
    except ModuleNotFoundError as err:
        if err.name is None or err.name.startswith("silkchain"):
            raise  # a missing module of silkchain itself is a bug, not a missing extra


def _store_resolvers() -> list[Callable[[str], MRIOTable | None]]:
    """The local store's resolver (when its optional packages are installed), then others."""
    try:
        from silkchain.io import store
    except ModuleNotFoundError:  # pragma: no cover - the store needs only the core
        return list(_DATASET_RESOLVERS)
    return [_optional(store.resolve), *_DATASET_RESOLVERS]


def _optional(fn: Callable[[str], MRIOTable | None]) -> Callable[[str], MRIOTable | None]:
    def call(ref: str) -> MRIOTable | None:
        try:
            return fn(ref)
        except ModuleNotFoundError as err:  # duckdb/platformdirs (the io extra) missing
            if err.name is None or err.name.startswith("silkchain"):
                raise
            return None

    return call


def read(ref: str | os.PathLike[str] | MRIOTable, **options: Any) -> MRIOTable:
    """Read a table from a dataset id (``"wiod2013:2011"``) or a file path.

    Parameters
    ----------
    ref : str, path or MRIOTable
        A dataset id ``NAME:KEY`` or a path; a table is returned as it is.
    **options
        Passed to the file reader (for example ``x_policy="published"``).

    Examples
    --------
    >>> t = read("wiod2013:2011")
    >>> t.G, t.N, t.labels.countries[:3]
    (41, 35, ('AUS', 'AUT', 'BEL'))
    """
    if isinstance(ref, MRIOTable):
        return ref
    text = os.fspath(ref)
    m = DATASET_ID.match(text)
    if m and not Path(text).exists():
        name, key = m["name"], m["key"]
        if name == bundled.NAME:
            if not key.isdigit():
                raise DatasetNotFoundError(
                    f"{text!r}: expected a year after 'wiod2013:', e.g. wiod2013:2011")
            if options:
                return bundled.load_with(int(key), **options)
            return bundled.load(int(key))
        for resolver in _store_resolvers():
            table = resolver(text)
            if table is not None:
                return table
        raise DatasetNotFoundError(
            f"unknown dataset {text!r}; available: {', '.join(dataset_ids()[:5])} ... "
            "(run `silkchain datasets` for the full list, or `silkchain import FILE`)"
        )
    path = Path(text)
    if not path.exists():
        raise DatasetNotFoundError(
            f"{text!r} is neither a file nor a dataset id; dataset ids look like "
            "'wiod2013:2011' (run `silkchain datasets`)"
        )
    suffix = "".join(path.suffixes[-1:]).lower()
    if suffix not in _SUFFIX_READERS:
        _load_plugins()
    reader = _SUFFIX_READERS.get(suffix)
    if reader is None:
        raise DatasetNotFoundError(
            f"{path.name}: no reader for files ending in {suffix or '(no suffix)'!r}; "
            f"readable: {', '.join(sorted(_SUFFIX_READERS))} (other releases: "
            "`silkchain import PATH --source NAME`)"
        )
    return reader(path, **options)


def write(table: MRIOTable, path: str | os.PathLike[str]) -> Path:
    """Write ``table`` in the ``.npz`` interchange layout (atomically)."""
    path = Path(path)
    if path.suffix.lower() != ".npz":
        raise ValueError(f"{path.name}: silkchain writes tables as .npz; use a .npz suffix")
    return write_npz(table, path)


def read_panel(name: str, years: list[int] | None = None) -> dict[int, MRIOTable]:
    """All years of a dataset as ``{year: table}`` (bundled ``wiod2013`` or the store)."""
    if name == bundled.NAME:
        chosen = years or list(bundled.YEARS)
        return {y: read(f"{name}:{y}") for y in chosen}
    ids = [d for d in dataset_ids() if d.startswith(f"{name}:")]
    if not ids:
        raise DatasetNotFoundError(f"unknown panel {name!r}; available: "
                                   f"{', '.join(sorted({d.split(':')[0] for d in dataset_ids()}))}")
    out = {}
    for d in ids:
        key = d.split(":", 1)[1]
        if key.isdigit() and (years is None or int(key) in years):
            out[int(key)] = read(d)
    return out


def datasets() -> pd.DataFrame:
    """Every dataset silkchain can read by id: bundled first, then the local store.

    When the store cannot be read, the bundled datasets are listed all the same and
    ``frame.attrs["store_problem"]`` says why the store's are missing.
    """
    rows: list[dict[str, Any]] = [
        {"id": f"{bundled.NAME}:{y}", "source": "WIOD", "release": "2013", "year": y,
         "countries": 41, "sectors": 35, "where": "bundled"}
        for y in bundled.YEARS
    ]
    from silkchain.io import store

    problem = None
    try:
        rows.extend(store.listing())
    except ModuleNotFoundError as err:  # duckdb/platformdirs (the io extra) missing
        if err.name is None or err.name.startswith("silkchain"):
            raise
    except StoreError as err:  # the bundled tables are listed all the same
        problem = str(err)
    for lister in _DATASET_LISTERS:
        rows.extend(lister())
    frame = pd.DataFrame(rows, columns=["id", "source", "release", "year", "countries",
                                        "sectors", "where"])
    if problem:
        frame.attrs["store_problem"] = problem
    return frame


def dataset_ids() -> list[str]:
    """Ids of every readable dataset."""
    return list(datasets()["id"])
