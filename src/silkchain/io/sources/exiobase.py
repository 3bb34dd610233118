"""EXIOBASE 3 monetary industry-by-industry tables (the ``IOT_2022_ixi.zip`` files).

The zip holds a folder ``IOT_2022_ixi/`` with tab-separated files: ``Z.txt``
(or ``A.txt``: then ``Z = A diag(x)``), ``Y.txt`` and ``x.txt``; the value
added is in the factor-inputs extension, ``factor_inputs/F.txt`` (older
versions: ``satellite/F.txt``, whose rows also hold physical stressors; only
the value-added rows are taken: taxes, subsidies, compensation of employees,
operating surplus). ``Z.txt`` has two header lines (``region``, ``sector``)
and two label columns; ``Y.txt`` the header lines ``region``, ``category``
(7 categories per region); ``x.txt`` the columns ``region, sector, indout``.
Regions are ISO 3166 alpha-2 codes (``GB``, ``GR``) and five rest-of-world
regions ``WA`` (Asia and Pacific), ``WE`` (Europe), ``WF`` (Africa), ``WL``
(America), ``WM`` (Middle East), kept and reported as such.

References
----------
.. [1] Stadler, K. et al. (2018). EXIOBASE 3: Developing a Time Series of Detailed
   Environmentally Extended Multi-Regional Input-Output Tables. *Journal of
   Industrial Ecology* 22(3): 502-515.
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
    pick_columns,
    read_delimited,
    read_member,
    read_numeric_table,
    to_numeric,
    year_from_name,
    zip_members,
)

NAME = "exiobase"
_FILE = re.compile(r"IOT_(?P<year>\d{4})_ixi", re.IGNORECASE)
VA_KEYWORDS = ("Taxes less subsidies", "Other net taxes", "Compensation of employees",
               "Operating surplus")
GREEK = {"GR": "GRC"}


def _find(members: list[str], base: str) -> str | None:
    found = [m for m in members if m.rsplit("/", 1)[-1] == base and m.count("/") <= 1]
    return found[0] if found else None


def _matrix(path: Path, member: str, header: list[int], index: list[int]) -> tuple[
        np.ndarray, list[tuple[str, ...]], list[tuple[str, ...]], str]:
    name = f"{path.name}/{member}"
    data = read_member(path, member)
    fast = _fast(data, name, len(header), len(index))
    if fast is not None:
        return (*fast, name)
    frame = read_delimited(data, name, sep="\t", header=header,
                           index_col=index, expect_min_cols=2)
    rows = [tuple(str(v) for v in (r if isinstance(r, tuple) else (r,))) for r in frame.index]
    cols = [tuple(str(v) for v in (c if isinstance(c, tuple) else (c,))) for c in frame.columns]
    check_unique(["/".join(r) for r in rows], name, "row")
    check_unique(["/".join(c) for c in cols], name, "column")
    vals = to_numeric(frame.to_numpy(), name, ["/".join(r) for r in rows],
                      ["/".join(c) for c in cols])
    return vals, rows, cols, name


def _fast(data: bytes, name: str, n_header: int, n_index: int) -> tuple[
        np.ndarray, list[tuple[str, ...]], list[tuple[str, ...]]] | None:
    """Labels and float64 block of an EXIOBASE text matrix without a frame of strings.

    ``n_header`` header lines give the column labels (after ``n_index`` label
    cells); with two header lines a third line names the index columns.
    """
    skip = n_header + (1 if n_header > 1 else 0)
    lines = data.split(b"\n", skip)[:skip]
    heads = [ln.rstrip(b"\r").decode("utf-8-sig").split("\t")[n_index:] for ln in lines[:n_header]]
    got = read_numeric_table(data, name, delimiter="\t", skip_rows=skip, label_cols=n_index,
                             width=n_index + len(heads[0]))
    if got is None or any(len(h) != len(heads[0]) for h in heads):
        return None
    labels, values = got
    rows = list(zip(*labels, strict=True))
    cols = [tuple(c.strip() for c in col) for col in zip(*heads, strict=True)]
    if len(set(rows)) != len(rows) or len(set(cols)) != len(cols):
        return None  # the slow path names the duplicates
    return values, [tuple(r) for r in rows], cols


def parse(path: Path, *, year: int | None = None, **_: Any) -> RawTable:
    """Parse an EXIOBASE 3 ixi zip into a :class:`RawTable`."""
    members = zip_members(path)
    z_member = _find(members, "Z.txt")
    a_member = _find(members, "A.txt")
    y_member, x_member = _find(members, "Y.txt"), _find(members, "x.txt")
    if (z_member is None and a_member is None) or y_member is None or x_member is None:
        raise ParserError(f"{path.name}: expected Z.txt (or A.txt), Y.txt and x.txt in the "
                          f"zip's top folder, found {', '.join(members[:10])}")
    xv, x_rows, _, xname = _matrix(path, x_member, [0], [0, 1])
    x = xv[:, 0]
    Zv, z_rows, z_cols, zname = _matrix(path, z_member or a_member, [0, 1], [0, 1])
    if z_rows != x_rows or z_cols != z_rows:
        raise ParserError(f"{zname}: row and column labels differ from each other or from "
                          f"{xname} ({len(z_rows)} rows, {len(z_cols)} columns, "
                          f"{len(x_rows)} lines in x.txt)")
    Z = Zv if z_member else Zv * x[None, :]
    Yv, y_rows, y_cols, yname = _matrix(path, y_member, [0, 1], [0, 1])
    if y_rows != z_rows:
        raise ParserError(f"{yname}: {len(y_rows)} rows, expected the {len(z_rows)} "
                          "industries of Z in the same order")
    codes, sectors = country_sector_grid([(r[0], r[1]) for r in z_rows], zname)
    cats = list(dict.fromkeys(c[1] for c in y_cols))
    Y = Yv[:, pick_columns([(c[0], c[1]) for c in y_cols], codes, cats, yname)]
    V, va_rows = None, None
    f_member = _find_f(members)
    notes = []
    if f_member is not None:
        Fv, f_rows, f_cols, fname = _matrix(path, f_member, [0, 1], [0])
        keep = [i for i, r in enumerate(f_rows) if r[0].startswith(VA_KEYWORDS)]
        if [tuple(c) for c in f_cols] != z_rows:
            raise ParserError(f"{fname}: columns differ from the industries of Z")
        if keep:
            V, va_rows = Fv[keep], [f_rows[i][0] for i in keep]
    else:
        notes.append("no factor_inputs/F.txt or satellite/F.txt: value added is the residual")
    from silkchain.aggregation import iso3_codes

    mapping, rest = iso3_codes([c for c in codes if c not in GREEK])
    mapping.update(GREEK)
    m = _FILE.search(path.name) or next((_FILE.search(x) for x in members
                                         if _FILE.search(x)), None)
    meta = base_meta(path, "EXIOBASE", "3", currency="EUR", unit="millions",
                     price_basis="basic prices, current",
                     year=year or (int(m["year"]) if m else year_from_name(path.name)),
                     dataset_name=f"{NAME}3-ixi", original_country_codes=",".join(codes),
                     rest_of_world=rest, x_policy="published")
    return RawTable(Z=Z, Y=Y, countries=[mapping[c] for c in codes], sectors=sectors,
                    fd_categories=cats, x=x, V=V, va_rows=va_rows, meta=meta, notes=notes)


def _find_f(members: list[str]) -> str | None:
    for folder in ("factor_inputs", "satellite"):
        for m in members:
            if m.endswith(f"{folder}/F.txt"):
                return m
    return None


def sniff(path: Path) -> bool:
    """An EXIOBASE ixi file name, or a zip with ``Y.txt`` and ``x.txt`` in a folder."""
    if _FILE.search(path.name):
        return True
    members = [m.rsplit("/", 1)[-1] for m in zip_members(path)]
    return "x.txt" in members and "Y.txt" in members


register(SourceReader(NAME, "EXIOBASE 3 monetary ixi zip", (".zip",), parse, sniff, pattern=_FILE))
