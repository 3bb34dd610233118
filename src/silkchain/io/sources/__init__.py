"""Readers of the published releases, one module per source, behind a small registry.

================  ==========================================================
name              release files
================  ==========================================================
``oecd-icio``     OECD ICIO 2016 .. 2025 (CSV; a zip of several years)
``wiod``          WIOD 2016 (``.xlsb``/``.xlsx``), WIOD 2013, Long-run WIOD
``adb-mrio``      ADB MRIO (xlsx; 62, 72, 73 economies; current/constant prices)
``eora26``        Eora26 per-year zip (T, FD, VA and label files)
``figaro``        Eurostat FIGARO industry-by-industry (matrix or flat CSV)
``exiobase``      EXIOBASE 3 monetary ixi zip
``generic``       silkchain's documented CSV/Excel matrix (``docs/formats/generic.md``)
================  ==========================================================

Importing this package registers the readers (explicitly, below) and the
file suffixes with :func:`silkchain.io.registry.register_reader`, so
``silkchain.read(path)`` detects the source. Optional packages (Excel
engines, country_converter) are imported only when a file needs them.

A release as downloaded may hold several tables: :func:`find_tables` lists
them (every yearly CSV of an OECD zip, every table file of a folder), looking
inside archives to tell the source before anyone needs ``--source``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from silkchain.errors import DatasetNotFoundError, ParserError
from silkchain.io.sources._base import (
    RawTable,
    first_line,
    read_member_head,
    year_from_name,
    zip_members,
)
from silkchain.table import MRIOTable, XPolicy

__all__ = ["RawTable", "SourceReader", "TableFile", "detect_source", "find_tables",
           "get_reader", "names", "parse", "read_source", "register"]


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
    #: Recognises a table member of an archive from its name and first line.
    sniff_text: Callable[[str, str], bool] | None = None
    #: The source ships several tables (years) as members of one zip.
    multi_member: bool = False
    #: Year of a table from its file name (``None``: known once parsed).
    year_of: Callable[[str], int | None] = year_from_name


_READERS: dict[str, SourceReader] = {}


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
    inside = " and the files inside the archive" if suffix == ".zip" else ""
    raise ParserError(
        f"{path.name}: could not tell which release this file belongs to (looked at its "
        f"name, its first lines{inside}; sources reading {suffix or 'files without suffix'}: "
        f"{', '.join(r.name for r in candidates) or 'none'}); name its source when importing "
        f"it: `silkchain import {path.name} --source NAME` (in Python: read_source(path, "
        f"source=NAME)), NAME one of {', '.join(names())}; a table of your own: see "
        "docs/formats/generic.md")


@dataclass(frozen=True)
class TableFile:
    """One table of a release: a file, or one ``member`` of a zip, with its year and source."""

    path: Path
    source: str
    member: str | None = None
    year: int | None = None
    sheet: str | None = None

    @property
    def name(self) -> str:
        """``file``, ``file/member`` or ``file[sheet]``."""
        base = f"{self.path.name}/{self.member}" if self.member else self.path.name
        return f"{base}[{self.sheet}]" if self.sheet else base


def _year_sheets(path: Path) -> list[str]:
    """Names of a workbook's sheets that are years (a workbook holding a sheet per year)."""
    try:
        import python_calamine

        names = list(python_calamine.CalamineWorkbook.from_path(str(path)).sheet_names)
    except Exception:  # no engine, or an unreadable workbook: the reader will say why
        return []
    return [n for n in names if re.fullmatch(r"(19|20)\d\d", n.strip())]


def _member_tables(path: Path, source: str | None) -> list[TableFile]:
    """Tables that are members of a zip: yearly CSVs (OECD ICIO) recognised by their
    name and first line, or release files recognised by their name (WIOD 2016's
    ``WIOTS_in_EXCEL.zip`` of ``WIOT2014_Nov16_ROW.xlsb`` ...)."""
    readers = [get_reader(source)] if source else list(_READERS.values())
    found = []
    for m in zip_members(path):
        base = m.rsplit("/", 1)[-1]
        suffix = Path(base).suffix.lower()
        if m.startswith("__MACOSX/") or base.startswith("._") or suffix == ".zip":
            continue
        for reader in readers:
            if suffix not in reader.suffixes:
                continue
            if reader.multi_member and reader.sniff_text is not None:
                hit = reader.sniff_text(base, first_line(read_member_head(path, m)))
            else:
                hit = reader.pattern is not None and bool(reader.pattern.search(base))
            if hit:
                found.append(TableFile(path, reader.name, m, reader.year_of(base)))
                break
    return found


def find_tables(path: str | os.PathLike[str], source: str | None = None) -> list[TableFile]:
    """Every table of a release as downloaded: a file, a zip of yearly tables, or a folder.

    A zip whose members are yearly tables (OECD ICIO: ``2020.csv``,
    ``ICIO2021_2018.csv``, ``2022_SML.csv``) gives one :class:`TableFile` per
    member; a zip that is one table (Eora26, EXIOBASE) gives one; a folder
    gives the tables of its files (files of other kinds are passed over).

    Raises
    ------
    ParserError
        Nothing in ``path`` is a table silkchain can read (the message lists
        what was looked at).
    """
    path = Path(path)
    if not path.exists():
        raise DatasetNotFoundError(f"{path}: no such file or folder")
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith(".")
                       and p.suffix.lower() in {s for r in _READERS.values() for s in r.suffixes})
        out: list[TableFile] = []
        skipped = []
        for f in files:
            try:
                out.extend(find_tables(f, source))
            except ParserError:
                skipped.append(f.name)
        if not out:
            raise ParserError(f"{path}: no release table in this folder (looked at "
                              f"{len(files)} file(s){': ' if files else ''}"
                              f"{', '.join(skipped[:6])}{' ...' if len(skipped) > 6 else ''})")
        return out
    if path.suffix.lower() == ".zip":
        reader = get_reader(source) if source else None
        if reader is None or reader.multi_member or ".zip" not in reader.suffixes:
            members = _member_tables(path, source)
            if len(members) > 1 or (members and source):
                return members
            if members:
                m = members[0]
                return [TableFile(path, m.source, m.member, m.year)]
        if reader is None:
            try:
                found = detect_source(path)
            except ParserError:
                listed = zip_members(path)
                raise ParserError(
                    f"{path.name}: no table silkchain can read inside the archive (members: "
                    f"{', '.join(listed[:6])}{' ...' if len(listed) > 6 else ''}); expected "
                    "a release's table files (e.g. yearly ICIO CSVs, Eora26 T/FD/VA files, "
                    "EXIOBASE Z.txt/Y.txt/x.txt)") from None
            reader = get_reader(found)
        return [TableFile(path, reader.name, None, reader.year_of(path.name))]
    reader = get_reader(source or detect_source(path))
    if path.suffix.lower() in (".xlsx", ".xlsb", ".xls"):
        sheets = _year_sheets(path)
        if len(sheets) > 1:  # e.g. a Long-run WIOD workbook with a sheet per year
            return [TableFile(path, reader.name, None, int(sh), sheet=sh) for sh in sheets]
    return [TableFile(path, reader.name, None, reader.year_of(path.name))]


def parse(path: str | os.PathLike[str], source: str | None = None, **options: Any) -> RawTable:
    """Parse a release file without validating it (see :meth:`RawTable.problems`)."""
    path = Path(path)
    if not path.exists():
        raise DatasetNotFoundError(f"{path}: no such file")
    reader = get_reader(source or detect_source(path))
    member = options.pop("member", None)
    if member is not None and not reader.multi_member:
        return _parse_member(reader, path, member, **options)
    if member is not None:
        options["member"] = member
    raw = reader.parse(path, **options)
    raw.meta.setdefault("reader", reader.name)
    return raw


def _parse_member(reader: SourceReader, path: Path, member: str, **options: Any) -> RawTable:
    """Parse a release file packed in a zip (extracted to a temporary folder)."""
    import tempfile

    from silkchain.io.sources._base import read_member

    with tempfile.TemporaryDirectory(prefix="silkchain-") as tmp:
        inner = Path(tmp) / Path(member).name
        inner.write_bytes(read_member(path, member))
        raw = reader.parse(inner, **options)
    raw.meta.update(path=str(path), file=f"{path.name}/{member}", member=member,
                    reader=reader.name)
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
    from silkchain.io.sources import (  # noqa: F401  (each module registers its reader)
        adb_mrio,
        eora26,
        exiobase,
        figaro,
        generic,
        oecd_icio,
        wiod,
    )

    order = ("oecd-icio", "wiod", "adb-mrio", "eora26", "figaro", "exiobase", "generic")
    _READERS.update({k: _READERS.pop(k) for k in order if k in _READERS})
    for suffix in sorted({s for r in _READERS.values() for s in r.suffixes}):
        registry.register_reader(suffix, _read_any)


_load()
