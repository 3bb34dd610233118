"""Readers of the published releases, one module per source, behind a small registry.

================  ==========================================================
name              release files
================  ==========================================================
``oecd-icio``     OECD ICIO 2016, 2018, 2021, 2023 (CSV, zipped or not)
``wiod``          WIOD 2016 (``.xlsb``/``.xlsx``), WIOD 2013, Long-run WIOD
``adb-mrio``      ADB MRIO (xlsx; 62, 72, 73 economies; current/constant prices)
``eora26``        Eora26 per-year zip (T, FD, VA and label files)
``figaro``        Eurostat FIGARO industry-by-industry (matrix or flat CSV)
``exiobase``      EXIOBASE 3 monetary ixi zip
``generic``       silkchain's documented CSV/Excel matrix (``docs/formats/generic.md``)
================  ==========================================================

Importing this package registers the file suffixes with
:func:`silkchain.io.registry.register_reader`, so ``silkchain.read(path)``
detects the source. Optional packages (Excel engines, country_converter) are
imported only when a file needs them.
"""

from __future__ import annotations

import importlib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from silkchain.errors import DatasetNotFoundError, ParserError
from silkchain.io.sources._base import RawTable
from silkchain.table import MRIOTable, XPolicy

__all__ = ["RawTable", "SourceReader", "detect_source", "get_reader", "names", "parse",
           "read_source", "register"]


@dataclass(frozen=True)
class SourceReader:
    """One source: how to recognise its files and how to parse them."""

    name: str
    description: str
    suffixes: tuple[str, ...]
    parse: Callable[..., RawTable]
    sniff: Callable[[Path], bool]
    rounding: float = 0.0
    pattern: re.Pattern[str] | None = None


_READERS: dict[str, SourceReader] = {}
_MODULES = ("oecd_icio", "wiod", "adb_mrio", "eora26", "figaro", "exiobase", "generic")


def register(reader: SourceReader) -> None:
    """Add (or replace) a source reader."""
    _READERS[reader.name] = reader


def names() -> list[str]:
    """Names of the registered sources."""
    return list(_READERS)


def get_reader(name: str) -> SourceReader:
    """The reader of source ``name``; an unknown name lists the sources.

    >>> get_reader("oecd-icio").name
    'oecd-icio'
    >>> get_reader("gtap")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    silkchain.errors.DatasetNotFoundError: unknown source 'gtap'; available: oecd-icio, ...
    """
    try:
        return _READERS[name]
    except KeyError:
        raise DatasetNotFoundError(
            f"unknown source {name!r}; available: {', '.join(names())}") from None


def detect_source(path: str | os.PathLike[str]) -> str:
    """Name of the source a file belongs to, from its name and then its content."""
    path = Path(path)
    if not path.exists():
        raise DatasetNotFoundError(f"{path}: no such file")
    suffix = path.suffix.lower()
    candidates = [r for r in _READERS.values() if suffix in r.suffixes]
    for reader in candidates:  # first by the release's own file names
        if reader.pattern is not None and reader.pattern.search(path.name):
            return reader.name
    candidates.sort(key=lambda r: r.name != "generic")  # its marker header is unambiguous
    for reader in candidates:
        try:
            if reader.sniff(path):
                return reader.name
        except ParserError:
            raise
        except Exception:  # a sniffer that cannot read the file does not claim it
            continue
    raise ParserError(
        f"{path.name}: could not tell which release this file belongs to (looked at its "
        f"name and first lines; sources reading {suffix or 'files without suffix'}: "
        f"{', '.join(r.name for r in candidates) or 'none'}); pass --source NAME "
        f"(available: {', '.join(names())})")


def parse(path: str | os.PathLike[str], source: str | None = None, **options: Any) -> RawTable:
    """Parse a release file without validating it (see :meth:`RawTable.problems`)."""
    path = Path(path)
    if not path.exists():
        raise DatasetNotFoundError(f"{path}: no such file")
    reader = get_reader(source or detect_source(path))
    raw = reader.parse(path, **options)
    raw.meta.setdefault("reader", reader.name)
    return raw


def read_source(
    path: str | os.PathLike[str],
    source: str | None = None,
    *,
    x_policy: XPolicy | None = None,
    rtol: float = 1e-6,
    rounding: float | None = None,
    **options: Any,
) -> MRIOTable:
    """Read a release file as a validated :class:`MRIOTable`.

    Parameters
    ----------
    path : path
        The file as downloaded.
    source : str, optional
        A name from :func:`names`; detected from the file when absent.
    x_policy : {"rows", "published"}, optional
        Gross-output policy (``docs/table.md``); the reader's default when absent.
    rtol, rounding : float
        Balance tolerance; ``rounding`` defaults to the source's rounding unit.
    **options
        Reader options such as ``year=`` or ``keep_splits=`` (OECD ICIO).

    Raises
    ------
    ParserError
        The file does not follow the layout (names file, row/column, expectation).
    IOTableError
        The file parsed but the table is invalid (``err.problems`` lists all).
    """
    path = Path(path)
    reader = get_reader(source or detect_source(path))
    raw = parse(path, reader.name, **options)
    return raw.to_table(x_policy, rtol, reader.rounding if rounding is None else rounding)


def _read_any(path: str | os.PathLike[str], **options: Any) -> MRIOTable:
    return read_source(path, options.pop("source", None), **options)


def _load() -> None:
    from silkchain.io import registry

    for mod in _MODULES:
        importlib.import_module(f"{__name__}.{mod}")
    for suffix in sorted({s for r in _READERS.values() for s in r.suffixes}):
        registry.register_reader(suffix, _read_any)


_load()
