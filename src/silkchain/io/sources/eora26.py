"""Eora26: the per-year zip of the simplified 26-sector Eora MRIO.

``Eora26_2015_bp.zip`` holds tab-separated matrices without headers,
``Eora26_2015_bp_T.txt`` (intermediate flows), ``..._FD.txt`` (final demand),
``..._VA.txt`` (primary inputs), and label files ``labels_T.txt``,
``labels_FD.txt``, ``labels_VA.txt``. Lines of ``labels_T.txt`` and
``labels_FD.txt`` read ``country name, ISO3 code, "Industries" / "Final
Demand", sector or category``; lines of ``labels_VA.txt`` read ``"Primary
Inputs", category``. The last row and column of T (``ROW``, ``TOTAL``) are
the statistical discrepancy of the rest of the world, a single "industry";
silkchain drops them and records their totals in ``meta``. Basic prices
(``bp``) or purchaser's prices (``pp``) come from the file name.

References
----------
.. [1] Lenzen, M., Moran, D., Kanemoto, K. & Geschke, A. (2013). Building Eora:
   a global multi-region input-output database at high country and sector
   resolution. *Economic Systems Research* 25(1): 20-49.
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
    read_delimited,
    read_member,
    read_numeric_table,
    to_numeric,
    year_from_name,
    zip_members,
)

NAME = "eora26"
_FILE = re.compile(r"Eora26_(?P<year>\d{4})_(?P<prices>bp|pp)", re.IGNORECASE)


def _member(members: list[str], suffix: str, zname: str) -> str:
    base = [m.rsplit("/", 1)[-1].lower() for m in members]
    found = [m for m, b in zip(members, base, strict=True) if b.endswith(suffix.lower())
             and (suffix.startswith("labels") or not b.startswith("labels"))]
    if len(found) != 1:
        raise ParserError(f"{zname}: expected one file ending in {suffix!r} inside the zip, "
                          f"found {len(found)} (members: {', '.join(members[:8])})")
    return found[0]


def _labels(path: Path, member: str, width: int) -> list[list[str]]:
    text = read_member(path, member).decode("utf-8", "replace")
    lines = [ln.rstrip("\r").split("\t") for ln in text.split("\n") if ln.strip()]
    bad = [i + 1 for i, ln in enumerate(lines) if len([c for c in ln if c != ""]) < width]
    if bad:
        raise ParserError(f"{path.name}/{member}: line(s) {bad[:5]} have fewer than {width} "
                          "tab-separated fields")
    return [[c.strip() for c in ln if c != ""] for ln in lines]


def _matrix(path: Path, member: str, rows: list[str], cols: list[str]) -> np.ndarray:
    name = f"{path.name}/{member}"
    data = read_member(path, member)
    fast = read_numeric_table(data, name, delimiter="\t")  # numbers straight to float64
    if fast is not None and fast[1].shape == (len(rows), len(cols)):
        return fast[1]
    frame = read_delimited(data, name, sep="\t", header=None,
                           index_col=None, expect_min_cols=1)
    frame = frame.loc[:, ~(frame == "").all()]  # a trailing tab gives an empty column
    if frame.shape != (len(rows), len(cols)):
        raise ParserError(f"{name}: has {frame.shape[0]} rows x {frame.shape[1]} columns, "
                          f"expected {len(rows)} x {len(cols)} from the label files")
    return to_numeric(frame.to_numpy(), name, rows, cols)


def parse(path: Path, *, year: int | None = None, **_: Any) -> RawTable:
    """Parse an Eora26 per-year zip into a :class:`RawTable`."""
    members = zip_members(path)
    lt = _labels(path, _member(members, "labels_T.txt", path.name), 4)
    lf = _labels(path, _member(members, "labels_FD.txt", path.name), 4)
    lv = _labels(path, _member(members, "labels_VA.txt", path.name), 2)
    t_lab = [f"{r[1]}_{r[3]}" for r in lt]
    check_unique(t_lab, f"{path.name}/labels_T.txt", "industry")
    f_lab = [f"{r[1]}_{r[3]}" for r in lf]
    check_unique(f_lab, f"{path.name}/labels_FD.txt", "final-demand")
    v_lab = [r[-1] for r in lv]
    T = _matrix(path, _member(members, "_T.txt", path.name), t_lab, t_lab)
    FD = _matrix(path, _member(members, "_FD.txt", path.name), t_lab, f_lab)
    VA = _matrix(path, _member(members, "_VA.txt", path.name), v_lab, t_lab)
    keep = [i for i, r in enumerate(lt) if r[1].upper() != "ROW"]
    keep_fd = [j for j, r in enumerate(lf) if r[1].upper() != "ROW"]
    pairs = [(lt[i][1], lt[i][3]) for i in keep]
    countries, sectors = country_sector_grid(pairs, f"{path.name}/labels_T.txt")
    cats: list[str] = []
    for j in keep_fd:
        if lf[j][3] not in cats:
            cats.append(lf[j][3])
    fd_pairs = [(lf[j][1], lf[j][3]) for j in keep_fd]
    from silkchain.io.sources._base import pick_columns

    cols = [keep_fd[k] for k in pick_columns(fd_pairs, countries, cats, path.name)]
    dropped = {"T": float(T.sum() - T[np.ix_(keep, keep)].sum()),
               "FD": float(FD.sum() - FD[np.ix_(keep, cols)].sum())}
    notes = []
    if len(keep) < len(lt):
        notes.append(f"dropped the rest-of-world statistical-discrepancy row and column "
                     f"(totals: T {dropped['T']:.6g}, FD {dropped['FD']:.6g})")
    m = _FILE.search(path.name)
    prices = (m["prices"].lower() if m else "bp")
    meta = base_meta(path, "Eora26", "Eora26", currency="USD", unit="thousands",
                     price_basis="basic prices" if prices == "bp" else "purchaser's prices",
                     year=year or (int(m["year"]) if m else year_from_name(path.name)),
                     dataset_name=NAME if prices == "bp" else f"{NAME}-pp",
                     eora_dropped=dropped)
    return RawTable(Z=T[np.ix_(keep, keep)], Y=FD[np.ix_(keep, cols)], countries=countries,
                    sectors=sectors, fd_categories=cats, V=VA[:, keep], va_rows=v_lab,
                    meta=meta, notes=notes)


def sniff(path: Path) -> bool:
    """An Eora26 file name, or a zip holding ``labels_T.txt`` and a ``_T.txt`` matrix."""
    if _FILE.search(path.name):
        return True
    members = [m.rsplit("/", 1)[-1] for m in zip_members(path)]
    return "labels_T.txt" in members and any(m.endswith("_T.txt") for m in members)


register(SourceReader(NAME, "Eora26 per-year zip (T, FD, VA and label files)", (".zip",),
                      parse, sniff, pattern=_FILE))
