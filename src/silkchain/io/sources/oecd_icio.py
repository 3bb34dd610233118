"""OECD Inter-Country Input-Output tables (ICIO), releases 2016, 2018, 2021, 2023 and 2025.

Layout (one CSV per year, ``ICIO2023_2020.csv``, ``ICIO2018_2015.csv``, or
several yearly members of one zip, ``2020.csv``, ``ICIO2021_2018.csv``,
``2022_SML.csv``; a byte-order mark and CRLF line ends are accepted): the
first column holds row labels, the first line column labels. Industries are
``CCC_SECTOR``, country-major: 2025 ``AUS_A01`` .. ``AUS_C24A`` .. ``AUS_T``
(50 industries), 2023 ``AUS_A01_02`` .. ``AUS_T`` (45), 2021 ``AUS_D01T02``
(45), 2018 ``AUS_01T03`` (36), 2016 ``AUS_C01T05`` (34). The release is read
from the file or member name (``ICIO2023``) or else from the industry codes.
Final-demand columns are ``CCC_CATEGORY`` with categories HFCE, NPISH, GGFC, GFCF, INVNT and DPABR
(2023/2021), P33 (2018: direct purchases by non-residents) or DIRP (2016).
After the industry rows come TLS (2016/2018: TAXSUB) and VA (VALU) rows and an
output row OUT (OUTPUT); the last column is OUT (TOTAL). The rows and columns
of China and Mexico may be split into CN1/CN2 and MX1/MX2 (production for
processing exports and the rest); they are merged into CHN and MEX by
default (``keep_splits=False``); with ``keep_splits=True`` the halves stay
separate countries and the final demand of CHN/MEX is given to CN1/MX1.

References
----------
.. [1] OECD (2023). *OECD Inter-Country Input-Output Database*, ReadMe of the
   2023 release; http://oe.cd/icio.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np

from silkchain.errors import ParserError
from silkchain.io.sources import SourceReader, register
from silkchain.io.sources._base import (
    RawTable,
    base_meta,
    check_unique,
    country_sector_grid,
    first_line,
    pick_columns,
    read_delimited,
    read_matrix_csv,
    read_member,
    read_member_head,
    to_numeric,
    year_from_name,
    zip_members,
)

NAME = "oecd-icio"
FD_CATEGORIES = ("HFCE", "HC", "NPISH", "GGFC", "GFCF", "INVNT", "INV", "DPABR", "P33", "DIRP",
                 "NONRES")
VA_ROWS = ("TLS", "TAXSUB", "VA", "VALU")
OUTPUT_LABELS = ("OUT", "OUTPUT", "TOTAL")
SPLITS = {"CN1": "CHN", "CN2": "CHN", "MX1": "MEX", "MX2": "MEX"}
_FILE = re.compile(r"ICIO[-_]?(?P<release>20\d\d)", re.IGNORECASE)


def _release(names: list[str], sectors: list[str]) -> str:
    for name in names:
        m = _FILE.search(name)
        if m:
            return m["release"]
    from silkchain.concordances.broad import load

    fits = [key for key in _EDITIONS if set(sectors) <= set(load(key).codes)]
    return _EDITIONS[fits[0]] if fits else "unknown"


#: Broad-classification concordance of each edition's industry list, most specific first.
_EDITIONS = {"oecd34": "2016", "oecd36": "2018", "oecd45": "2021", "oecd45l": "2023",
             "oecd50": "2025"}


def csv_members(path: Path) -> list[str]:
    """CSV members of a zip archive (macOS resource forks left out)."""
    return [m for m in zip_members(path) if m.lower().endswith(".csv")
            and not m.startswith("__MACOSX/") and not m.rsplit("/", 1)[-1].startswith("._")]


def _load(path: Path, member: str | None) -> tuple[Path | bytes, str]:
    if path.suffix.lower() != ".zip":
        return path, path.name
    if member is None:
        members = csv_members(path)
        if len(members) != 1:
            raise ParserError(f"{path.name}: holds {len(members)} CSV tables "
                              f"({', '.join(members[:5]) or 'none'}); name one with member= "
                              "(`silkchain import` reads every year of the archive)")
        member = members[0]
    return read_member(path, member), f"{path.name}/{member}"


def _values(data: Path | bytes, name: str) -> tuple[list[str], list[str], np.ndarray]:
    fast = read_matrix_csv(data, name)
    if fast is not None:
        return fast
    frame = read_delimited(data, name, expect_min_cols=3)
    rows = [str(r).strip() for r in frame.index]
    cols = [str(c).strip() for c in frame.columns]
    return rows, cols, frame.to_numpy(dtype=object)  # converted after the layout checks


def _split(label: str, name: str, axis: str) -> tuple[str, str]:
    country, sep, rest = label.partition("_")
    if not sep or not country or not rest:
        raise ParserError(f"{name}: {axis} label {label!r} is not COUNTRY_CODE (like "
                          f"'AUS_D01T02') nor one of {', '.join(VA_ROWS + OUTPUT_LABELS)}")
    return country, rest


def parse(path: Path, *, keep_splits: bool = False, year: int | None = None,
          member: str | None = None, **_: Any) -> RawTable:
    """Parse an ICIO CSV (or one CSV ``member`` of a zip) into a :class:`RawTable`."""
    data, name = _load(path, member)
    rows, cols, values = _values(data, name)
    del data
    check_unique(rows, name, "row")
    check_unique(cols, name, "column")
    ind_rows = [r for r in rows if r not in VA_ROWS + OUTPUT_LABELS]
    extra_rows = [r for r in rows if r in VA_ROWS]
    out_row = [r for r in rows if r in OUTPUT_LABELS]
    row_pairs = [_split(r, name, "row") for r in ind_rows]
    ind_set = set(ind_rows)
    ind_cols = [c for c in cols if c in ind_set]
    other_cols = [c for c in cols if c not in ind_set and c not in OUTPUT_LABELS]
    if ind_cols != ind_rows:
        missing = [r for r in ind_rows if r not in set(ind_cols)]
        raise ParserError(f"{name}: the industry columns do not match the industry rows "
                          f"({len(ind_cols)} columns, {len(ind_rows)} rows); missing "
                          f"column(s): {', '.join(missing[:8]) or '(order differs)'}")
    fd_pairs = [_split(c, name, "column") for c in other_cols]
    row_sectors = {s for _, s in row_pairs}
    orphans = [c for c, (_, k) in zip(other_cols, fd_pairs, strict=True) if k in row_sectors]
    if orphans:
        raise ParserError(f"{name}: {len(orphans)} industry column(s) have no row "
                          f"({', '.join(orphans[:4])}{', ...' if len(orphans) > 4 else ''}); "
                          "expected one row per industry column, is the file truncated?")
    unknown = sorted({k for _, k in fd_pairs if k not in FD_CATEGORIES})
    if unknown:
        where = [c for c in other_cols if c.split("_", 1)[1] in unknown]
        raise ParserError(f"{name}: unknown final-demand categor(y/ies) {', '.join(unknown)} "
                          f"in column(s) {', '.join(where[:6])}; expected industries or one "
                          f"of {', '.join(FD_CATEGORIES)}")
    countries, sectors = country_sector_grid(row_pairs, name)
    categories: list[str] = []
    fd_countries: list[str] = []
    for c, k in fd_pairs:
        if k not in categories:
            categories.append(k)
        if c not in fd_countries:
            fd_countries.append(c)
    if values.dtype == object:  # slow path: report each non-numeric cell by label
        values = to_numeric(values, name, rows, cols)
    r_idx = {r: i for i, r in enumerate(rows)}
    c_idx = {c: i for i, c in enumerate(cols)}
    ri = [r_idx[r] for r in ind_rows]
    Z = values[np.ix_(ri, [c_idx[c] for c in ind_cols])]
    Yall = values[np.ix_(ri, [c_idx[c] for c in other_cols])]
    x = values[r_idx[out_row[0]], [c_idx[c] for c in ind_cols]] if out_row else None
    V = values[np.ix_([r_idx[r] for r in extra_rows], [c_idx[c] for c in ind_cols])] \
        if extra_rows else None
    notes: list[str] = []
    splits = [c for c in countries if c in SPLITS]
    Z, Yall, x, V, countries, fd_pairs = _handle_splits(
        Z, Yall, x, V, countries, len(sectors), fd_pairs, fd_countries, splits, keep_splits,
        notes)
    fd_order = [c for c in fd_countries if c in countries]
    order = fd_order if set(fd_order) == set(countries) else countries
    Z, Yall, x, V = _reorder(Z, Yall, x, V, countries, order, len(sectors))
    no_fd = [c for c in order if c in SPLITS and c not in {p[0] for p in fd_pairs}]
    with_fd = [c for c in order if c not in no_fd]
    picked = pick_columns(fd_pairs, with_fd, categories, name)
    K = len(categories)
    Y = np.zeros((Z.shape[0], len(order) * K))
    for g, c in enumerate(with_fd):  # split halves without final demand keep zero columns
        pos = order.index(c)
        Y[:, pos * K:(pos + 1) * K] = Yall[:, picked[g * K:(g + 1) * K]]
    release = _release([path.name, member or ""], sectors)
    meta = base_meta(path, "OECD ICIO", release, currency="USD", unit="millions",
                     price_basis="basic prices, current",
                     year=year or year_from_name(member or path.name))
    if member:
        meta["member"] = member
    meta["dataset_name"] = f"{NAME}-{release}" + ("-splits" if keep_splits and splits else "")
    return RawTable(Z=Z, Y=Y, countries=order, sectors=sectors, fd_categories=categories,
                    x=x, V=V, va_rows=extra_rows or None, meta=meta, notes=notes)


def _handle_splits(Z, Yall, x, V, countries, N, fd_pairs, fd_countries, splits,
                   keep_splits, notes):
    if not splits:
        return Z, Yall, x, V, countries, fd_pairs
    if keep_splits:
        first = {}
        for c in splits:
            first.setdefault(SPLITS[c], c)
        fd_pairs = [(first.get(c, c), k) for c, k in fd_pairs]
        notes.append("kept the split countries " + ", ".join(splits)
                     + "; the final demand of " + ", ".join(sorted(first))
                     + " is given to " + ", ".join(first[p] for p in sorted(first)))
        return Z, Yall, x, V, countries, fd_pairs
    from silkchain.core.aggregate import aggregate_countries

    merged: list[str] = []
    idx = []
    for c in countries:
        target = SPLITS.get(c, c)
        if target not in merged:
            merged.append(target)
        idx.append(merged.index(target))
    Vz = V if V is not None else np.zeros((1, Z.shape[0]))
    K_all = Yall.shape[1]
    # rows of Y are merged; Y columns stay as they are (they are per parent country)
    Zm, _, xm, Vm = aggregate_countries(Z, np.zeros((Z.shape[0], len(countries))),
                                        x if x is not None else np.zeros(Z.shape[0]), Vz,
                                        np.array(idx), len(merged), N)
    S = np.zeros((len(merged), len(countries)))
    S[idx, np.arange(len(countries))] = 1.0
    Ym = (S @ Yall.reshape(len(countries), N * K_all)).reshape(len(merged) * N, K_all)
    notes.append("merged " + ", ".join(f"{c} into {SPLITS[c]}" for c in splits))
    return (Zm, Ym, xm if x is not None else None, Vm if V is not None else None, merged,
            fd_pairs)


def _reorder(Z, Y, x, V, countries, order, N):
    if order == countries:
        return Z, Y, x, V
    perm = np.concatenate([np.arange(N) + countries.index(c) * N for c in order])
    return (Z[np.ix_(perm, perm)], Y[perm], None if x is None else x[perm],
            None if V is None else V[:, perm])


_HEAD = re.compile(r"[A-Z][A-Z0-9]{2}_(?:[A-Z]|[CD]?\d\d)\w*")


def sniff_text(name: str, head: str) -> bool:
    """An ICIO file or member name, or a first line whose second cell reads like ``AUS_D01T02``."""
    if _FILE.search(name):
        return True
    cells = [c.strip().strip('"') for c in head.split(",")]
    return len(cells) > 2 and bool(_HEAD.fullmatch(cells[1])) and \
        bool(_HEAD.fullmatch(cells[2]))


def sniff(path: Path) -> bool:
    """An ICIO file name, a first line with industry labels, or a zip of such CSVs."""
    if _FILE.search(path.name):
        return True
    if path.suffix.lower() == ".zip":
        members = csv_members(path)
        return bool(members) and all(sniff_text(m, first_line(read_member_head(path, m)))
                                     for m in members[:2])
    return sniff_text(path.name, first_line(path))


register(SourceReader(NAME, "OECD ICIO 2016, 2018, 2021, 2023, 2025 (CSV, zipped or not)",
                      (".csv", ".zip"), parse, sniff, pattern=_FILE, sniff_text=sniff_text,
                      multi_member=True))
