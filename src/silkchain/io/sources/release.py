"""Import a release as downloaded: every table of a file, a multi-year zip or a folder.

:func:`import_release` lists the tables (:func:`silkchain.io.sources.find_tables`),
keeps the years asked for, skips tables already stored from the same file
content, reads the others (in parallel processes when the tables are large
enough for it to pay) and stores each under ``<dataset name>:<year>``.
"""

from __future__ import annotations

import os
import re
import zipfile
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from itertools import islice
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from silkchain.errors import ParserError
from silkchain.io.sources import RawTable, TableFile, find_tables, get_reader, parse
from silkchain.io.sources._base import file_digest
from silkchain.table import MRIOTable

__all__ = ["Imported", "import_release", "parse_table", "read_table"]

#: Tables at least this large (bytes on disk, per table) are read in parallel processes.
PARALLEL_BYTES = 20 * 2**20


@dataclass(frozen=True)
class Imported:
    """One table of a release: where it came from, its dataset id and what happened."""

    table: str
    dataset_id: str
    status: str  # "imported", "replaced", "unchanged", "repaired", "re-imported (--force)"


def parse_table(tf: TableFile, year: int | None = None, **options: Any) -> RawTable:
    """Parse one table of a release without validating it (run in worker processes)."""
    if tf.member is not None:
        options["member"] = tf.member
    if tf.sheet is not None:
        options["sheet"] = tf.sheet
    return parse(tf.path, tf.source, year=year or tf.year, **options)


def read_table(tf: TableFile, year: int | None = None, raw: RawTable | None = None,
               **options: Any) -> MRIOTable:
    """Parse (unless ``raw`` is given) and validate one table of a release."""
    raw = raw if raw is not None else parse_table(tf, year, **options)
    return raw.to_table(rounding=get_reader(tf.source).rounding)


def _dataset_id(table: MRIOTable, tf: TableFile) -> str:
    """``<dataset name>:<year>``; a table without a year is keyed by its file name."""
    name = str(table.meta.get("dataset_name") or table.meta.get("reader") or "table")
    year = table.meta.get("year")
    stem = tf.sheet or Path(tf.member or tf.path.name).stem
    return f"{name}:{int(year) if year is not None else re.sub(r'[^A-Za-z0-9_.-]', '_', stem)}"


def _require_years(path: Path, years: Sequence[int], held: Sequence[int]) -> None:
    """Refuse ``years`` the release does not hold, naming the years it holds."""
    missing = sorted(set(years) - set(held))
    if missing:
        raise ParserError(f"{path.name}: no table for {_span(missing)} in this release "
                          f"(it holds {_span(sorted(held))})")


def _span(years: Sequence[int]) -> str:
    ys = sorted(years)
    if ys and ys == list(range(ys[0], ys[-1] + 1)) and len(ys) > 2:
        return f"{ys[0]}-{ys[-1]}"
    return ", ".join(map(str, ys))


def import_release(path: str | os.PathLike[str], source: str | None = None, *,
                   years: Sequence[int] | None = None, year: int | None = None,
                   store: Any = None, keep_splits: bool = False, force: bool = False,
                   jobs: int | None = None,
                   on_start: Callable[[int], None] | None = None,
                   on_done: Callable[[Imported], None] | None = None) -> list[Imported]:
    """Read every table of a release once into the store.

    Parameters
    ----------
    path : path
        A release file, a zip of yearly tables, or a folder of release files.
    source : str, optional
        Reader name; detected (inside archives too) when absent.
    years : sequence of int, optional
        Only these years; a year the release does not hold is an error.
    year : int, optional
        The year of a single table whose name does not say it.
    store : Store, optional
        Target store (default: the user's store).
    keep_splits, force : bool
        OECD ICIO: keep CN1/CN2, MX1/MX2; import again even if unchanged.
    jobs : int, optional
        Worker processes (default: CPUs, used only for large tables).
    on_start, on_done : callable, optional
        Progress hooks: the number of tables to go through, then each result.

    Raises
    ------
    ParserError
        Nothing readable in ``path``, years that do not exist, or a table that
        does not follow its layout (the message names file/member, row, column).
    """
    from silkchain.io.store import Store

    store = store if store is not None else Store()
    path = Path(path)
    tables = find_tables(path, source)
    if year is not None and len(tables) > 1:
        raise ParserError(f"{path.name}: holds {len(tables)} tables; --year names the year of "
                          "a single table (use --years to choose among them)")
    if years:
        known = {t.year for t in tables}
        if None not in known:
            _require_years(path, years, [y for y in known if y is not None])
            tables = [t for t in tables if t.year in set(years)]
    if on_start:
        on_start(len(tables))
    digests: dict[Path, str] = {}
    catalog = list(store.catalog().itertuples(index=False))
    results: list[Imported] = []
    todo: list[TableFile] = []
    for tf in tables:
        digest = digests.setdefault(tf.path, file_digest(tf.path))
        y = year or tf.year
        hit = None if force or y is None else next(
            (r for r in catalog if r.source_sha256 == digest and r.year == y
             and r.source_file == str(tf.path.resolve()) and not store.verify(r.id)), None)
        if hit is not None:  # same file content, and the stored folder still intact
            res = Imported(tf.name, hit.id, "unchanged")
            results.append(res)
            if on_done:
                on_done(res)
        else:
            todo.append(tf)
    options: dict[str, Any] = {"keep_splits": True} if keep_splits else {}
    big = max((_size(t) for t in todo), default=0)
    workers = min(len(todo), jobs or os.cpu_count() or 1)
    if workers > 1 and (jobs or big >= PARALLEL_BYTES):
        with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
            # a bounded window of years in flight: parsed years never pile up in memory
            pending = iter(todo)
            window = deque((tf, pool.submit(parse_table, tf, year, **options))
                           for tf in islice(pending, workers + 1))
            while window:
                tf, fut = window.popleft()
                raw = fut.result()
                nxt = next(pending, None)
                if nxt is not None:
                    window.append((nxt, pool.submit(parse_table, nxt, year, **options)))
                table = read_table(tf, year, raw=raw)
                del raw
                results.append(_store(store, tf, table, digests[tf.path], on_done, force))
    else:
        for tf in todo:
            results.append(_store(store, tf, read_table(tf, year, **options),
                                  digests[tf.path], on_done, force))
    if years and None in {t.year for t in tables}:
        got = {int(k) for k in (r.dataset_id.rsplit(":", 1)[1] for r in results)
               if k.isdigit()}
        _require_years(path, years, sorted(got))
    order = {tf.name: k for k, tf in enumerate(tables)}
    return sorted(results, key=lambda r: order[r.table])


def _size(tf: TableFile) -> int:
    """Bytes of a table as stored on disk, uncompressed for a zip member."""
    if tf.member is None:
        return tf.path.stat().st_size
    with zipfile.ZipFile(tf.path) as zf:
        return zf.getinfo(tf.member).file_size


def _store(store: Any, tf: TableFile, table: MRIOTable, digest: str,
           on_done: Callable[[Imported], None] | None, force: bool = False) -> Imported:
    dataset_id = _dataset_id(table, tf)
    status = store.store_import(table, dataset_id, source_file=str(tf.path.resolve()),
                                source_sha256=digest, force=force)
    res = Imported(tf.name, dataset_id, status)
    if on_done:
        on_done(res)
    return res
