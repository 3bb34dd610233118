"""Aggregate a table's countries into regions or its sectors into groups.

Both functions return a new, validated :class:`~silkchain.table.MRIOTable`
whose flows are sums of the original flows (Miller & Blair 2009, §4.3), so
that gross output, total value added, final demand and exports to
non-members are the same whether one aggregates first and computes after or
the other way round. Bundled sector mappings live in
``silkchain/concordances/`` (see :func:`list_concordances`); country codes
are harmonised to ISO3 by :func:`iso3_codes` (country_converter).

The numpy algebra is in :mod:`silkchain.core.aggregate`.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np

from silkchain.core import aggregate as core
from silkchain.errors import LabelMismatchError
from silkchain.table import MRIOTable

__all__ = [
    "REST_OF_WORLD_CODES",
    "aggregate_regions",
    "aggregate_sectors",
    "harmonise_countries",
    "iso3_codes",
    "list_concordances",
    "load_concordance",
]


def _grouping(members: tuple[str, ...], mapping: Mapping[str, str]) -> tuple[
        list[str], np.ndarray, dict[str, list[str]]]:
    """Group codes in order of first member, each member's group index, members per group."""
    order: dict[str, int] = {}
    idx = np.empty(len(members), dtype=np.intp)
    groups: dict[str, list[str]] = {}
    for i, code in enumerate(members):
        target = str(mapping.get(code, code))
        if target not in order:
            order[target] = len(order)
            groups[target] = []
        idx[i] = order[target]
        groups[target].append(code)
    return list(order), idx, groups


def _scaled_rounding(table: MRIOTable, biggest: int, n_new: int, cols_new: int) -> float:
    """Rounding unit for the aggregate: a summed line carries the rounding of its members."""
    if not table.rounding:
        return 0.0
    n, cols, M = table.n, table.Y.shape[1], table.V.shape[0]
    ratio = max((n + cols) / (n_new + cols_new), (n + M) / (n_new + M))
    return float(table.rounding * biggest * max(ratio, 1.0))


def _derived_meta(table: MRIOTable) -> dict[str, Any]:
    """``table.meta`` for a table built from it: ``derived_from`` names the original (its
    dataset id or file); the original's ``dataset``, file path and hash are dropped."""
    meta = {k: v for k, v in table.meta.items()
            if k not in ("dataset", "path", "sha256", "x_policy", "va_policy")}
    origin = (table.meta.get("derived_from") or table.meta.get("dataset")
              or table.meta.get("path"))
    if origin:
        meta["derived_from"] = str(origin)
    return meta


def aggregate_regions(
    table: MRIOTable, mapping: Mapping[str, str], *, strict: bool = False,
) -> MRIOTable:
    """Aggregate countries into regions.

    Parameters
    ----------
    table : MRIOTable
    mapping : mapping of str to str
        Country code -> region code. Countries not in ``mapping`` keep their own
        code (a region of one). Regions come in the order of their first member
        in the table. Mapping a country onto another country's code merges the two.
    strict : bool, default False
        When False, codes in ``mapping`` that the table does not have are
        ignored and listed in ``meta["regions_absent"]`` (for example Belt and
        Road members that the release keeps inside its rest of the world);
        when True they are an error.

    Returns
    -------
    MRIOTable
        ``Z``, ``Y`` (destinations aggregated too), ``x`` and ``V`` summed over
        members; ``meta["regions"]`` lists each region's members.

    Raises
    ------
    LabelMismatchError
        With ``strict=True``, for codes the table does not have.

    References
    ----------
    .. [1] Miller, R. E. & Blair, P. D. (2009). *Input-Output Analysis*, 2nd ed., §4.3.

    Examples
    --------
    >>> import silkchain
    >>> t = silkchain.read("wiod2013:2011")
    >>> eu = aggregate_regions(t, {"DEU": "EU3", "FRA": "EU3", "ITA": "EU3"})
    >>> eu.G, eu.labels.countries[:10]
    (39, ('AUS', 'AUT', 'BEL', 'BGR', 'BRA', 'CAN', 'CHN', 'CYP', 'CZE', 'EU3'))
    >>> bool(abs(eu.va.sum() - t.va.sum()) < 1e-6 * t.va.sum())
    True
    """
    countries = table.labels.countries
    absent = sorted(str(c) for c in mapping if c not in countries)
    if absent and strict:
        raise LabelMismatchError(
            f"aggregate_regions: {len(absent)} code(s) of the mapping are not countries of "
            f"the table: {', '.join(absent)}; the table has: {', '.join(countries)}")
    codes, idx, groups = _grouping(countries, mapping)
    Z, Y, x, V = core.aggregate_countries(table.Z, table.Y, table.x, table.V, idx,
                                          len(codes), table.N)
    meta = _derived_meta(table)
    meta["regions"] = {g: m for g, m in groups.items() if m != [g]}
    if absent:
        meta["regions_absent"] = {
            str(mapping[c]): sorted(a for a in absent if mapping[a] == mapping[c])
            for c in absent}
    lab = table.labels.__class__(
        countries=tuple(codes), sectors=table.labels.sectors,
        fd_categories=table.labels.fd_categories, va_rows=table.labels.va_rows,
        sector_names=table.labels.sector_names, sector_codes=table.labels.sector_codes)
    biggest = max(len(m) for m in groups.values())
    rounding = _scaled_rounding(table, biggest, len(codes) * table.N, Y.shape[1])
    return MRIOTable(Z=Z, Y=Y, x=x, V=V, labels=lab, meta=meta, rtol=table.rtol,
                     rounding=rounding)


def _sector_keys(table: MRIOTable, mapping: Mapping[str, str]) -> dict[str, str]:
    """Translate a mapping keyed by sector codes, classification codes or names to codes."""
    lab = table.labels
    for keys in (lab.sectors, lab.sector_codes, lab.sector_names):
        if keys and all(k in keys for k in mapping):
            return {lab.sectors[keys.index(k)]: str(v) for k, v in mapping.items()}
    unknown = sorted(str(k) for k in mapping if k not in lab.sectors)
    raise LabelMismatchError(
        f"aggregate_sectors: {len(unknown)} key(s) of the mapping are not sectors of the "
        f"table: {', '.join(unknown[:20])}; expected the table's sector codes "
        f"({', '.join(lab.sectors[:8])}, ...)"
        + (f" or its classification codes ({', '.join(lab.sector_codes[:8])}, ...)"
           if lab.sector_codes else ""))


def aggregate_sectors(
    table: MRIOTable,
    mapping: Mapping[str, str] | str,
    *,
    names: Mapping[str, str] | None = None,
) -> MRIOTable:
    """Aggregate the sectors of every country into groups.

    Parameters
    ----------
    table : MRIOTable
    mapping : mapping of str to str, or str
        Sector -> group code. Keys may be the table's short sector codes
        (``labels.sectors``), its classification codes (``labels.sector_codes``)
        or its sector names. Sectors not in the mapping keep their own code.
        A string names a bundled concordance (:func:`list_concordances`).
    names : mapping of str to str, optional
        Long names of the groups (bundled concordances bring their own).

    Returns
    -------
    MRIOTable
        Flows summed over the sectors of each group, groups in the order of
        their first member; ``meta["sector_groups"]`` lists the members.

    Raises
    ------
    LabelMismatchError
        If a key is not a sector of the table.

    References
    ----------
    .. [1] Miller, R. E. & Blair, P. D. (2009). *Input-Output Analysis*, 2nd ed., §4.3.

    Examples
    --------
    >>> import silkchain
    >>> t = silkchain.read("wiod2013:2011")
    >>> broad = aggregate_sectors(t, "wiod13_broad")
    >>> broad.labels.sectors
    ('PRI', 'LTM', 'MHT', 'BUS', 'PUB')
    """
    if isinstance(mapping, str):
        conc = load_concordance(mapping)
        mapping, names = conc["mapping"], {**conc["names"], **(names or {})}
    keyed = _sector_keys(table, mapping)
    codes, idx, groups = _grouping(table.labels.sectors, keyed)
    Z, Y, x, V = core.aggregate_sectors(table.Z, table.Y, table.x, table.V, idx, len(codes),
                                        table.G)
    lab = table.labels
    sector_names = tuple((names or {}).get(c, c) if groups[c] != [c] else
                         lab.sector_names[lab.sectors.index(c)] for c in codes)
    labels = lab.__class__(countries=lab.countries, sectors=tuple(codes),
                           fd_categories=lab.fd_categories, va_rows=lab.va_rows,
                           sector_names=sector_names)
    meta = _derived_meta(table)
    meta["sector_groups"] = {g: m for g, m in groups.items()}
    biggest = max(len(m) for m in groups.values())
    rounding = _scaled_rounding(table, biggest, table.G * len(codes), Y.shape[1])
    return MRIOTable(Z=Z, Y=Y, x=x, V=V, labels=labels, meta=meta, rtol=table.rtol,
                     rounding=rounding)


# ---------------------------------------------------------------------------- concordances
def _concordance_dir() -> Any:
    return resources.files("silkchain.concordances")


def list_concordances() -> dict[str, str]:
    """Bundled sector concordances: ``{name: description}``.

    >>> sorted(list_concordances())[:3]
    ['oecd45_adb15', 'oecd45_adb5', 'oecd45_tech']
    """
    out = {}
    for entry in sorted(_concordance_dir().iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".csv"):
            first = entry.read_text(encoding="utf-8").splitlines()[0]
            out[entry.name[:-4]] = first.lstrip("# ").strip()
    return out


@lru_cache(maxsize=16)
def load_concordance(name: str) -> dict[str, dict[str, str]]:
    """A bundled concordance as ``{"mapping": {sector: group}, "names": {group: name}}``.

    The CSV files have a ``#`` description line, then the columns
    ``sector, group, group_name`` (and optional notes).

    >>> load_concordance("wiod13_tech")["mapping"]["c14"]
    'HT'
    """
    available = list_concordances()
    if name not in available:
        raise KeyError(f"unknown concordance {name!r}; available: {', '.join(available)}")
    text = (_concordance_dir() / f"{name}.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    mapping: dict[str, str] = {}
    names: dict[str, str] = {}
    for row in rows:
        mapping[row["sector"]] = row["group"]
        names.setdefault(row["group"], row["group_name"])
    return {"mapping": mapping, "names": names}


# ---------------------------------------------------------------------------- ISO3 codes
#: Codes that name a rest of the world (or a rest-of-region aggregate) in the releases
#: silkchain reads: WIOD/OECD/ADB ``RoW``/``ROW``, Eora ``ROW``, EXIOBASE ``WA``..``WM``,
#: FIGARO ``FIGW1``, Long-run WIOD rest regions.
REST_OF_WORLD_CODES = frozenset({
    "ROW", "RoW", "WLD", "ROW1", "RoW1", "FIGW1", "FIGW2", "WA", "WE", "WF", "WL", "WM",
    "RoA", "RoE", "RoAm", "RoAs", "ROA", "ROE", "ROAM", "ROAS",
})


_NOT_FOUND = "\x00not found"


@lru_cache(maxsize=1)
def _converter() -> Any:
    import logging

    import country_converter as coco  # optional: the io extra

    logging.getLogger("country_converter").setLevel(logging.ERROR)  # we report unknowns
    return coco.CountryConverter()


def iso3_codes(codes: list[str] | tuple[str, ...]) -> tuple[dict[str, str], list[str]]:
    """ISO 3166-1 alpha-3 code of each country code or name, and the rest-of-world codes.

    Uses country_converter, which knows the codes and names of WIOD, Eora,
    EXIOBASE and others (``ROM`` -> ``ROU``, ``NDL`` is *not* known and is taken
    as the Netherlands' misspelling in Long-run WIOD). Codes that name a rest of
    the world, or that no classification knows, are kept as they are and
    returned in the second list (reported as such, never guessed).

    Returns
    -------
    mapping : dict
        ``{code: iso3}`` for every input (unchanged where not converted).
    rest : list of str
        The codes kept because they are a rest of the world or unknown.

    Examples
    --------
    >>> iso3_codes(["ROM", "DEU", "Viet Nam", "RoW"])
    ({'ROM': 'ROU', 'DEU': 'DEU', 'Viet Nam': 'VNM', 'RoW': 'RoW'}, ['RoW'])
    """
    from silkchain.groups.codes import KNOWN_ALIASES  # the one list of non-ISO aliases

    extra = {**KNOWN_ALIASES, "TWN": "TWN"}
    mapping: dict[str, str] = {}
    rest: list[str] = []
    todo = []
    for code in codes:
        if code in REST_OF_WORLD_CODES or code.upper().startswith("ROW"):
            mapping[code] = code
            rest.append(code)
        elif code in extra:
            mapping[code] = extra[code]
        else:
            todo.append(code)
    if todo:
        cc = _converter()
        converted = cc.convert(todo, to="ISO3", not_found=_NOT_FOUND)
        if isinstance(converted, str):
            converted = [converted]
        for code, iso in zip(todo, converted, strict=True):
            if iso == _NOT_FOUND or isinstance(iso, list):
                mapping[code] = code
                rest.append(code)
            else:
                mapping[code] = str(iso)
    return {c: mapping[c] for c in codes}, rest


def harmonise_countries(table: MRIOTable) -> MRIOTable:
    """The table with ISO3 country codes; rest-of-world codes kept and reported.

    ``meta["original_country_codes"]`` keeps the release's codes and
    ``meta["rest_of_world"]`` lists the codes that are not single countries.
    Two codes that convert to the same ISO3 code are an error (they would merge
    silently); merge them on purpose with :func:`aggregate_regions`.

    Examples
    --------
    >>> import silkchain
    >>> t = silkchain.read("wiod2013:2011")
    >>> harmonise_countries(t).meta["rest_of_world"]
    ['RoW']
    """
    countries = list(table.labels.countries)
    mapping, rest = iso3_codes(countries)
    new = [mapping[c] for c in countries]
    dups = sorted({c for c in new if new.count(c) > 1})
    if dups:
        clash = {d: [c for c in countries if mapping[c] == d] for d in dups}
        raise LabelMismatchError(
            "harmonise_countries: several codes convert to the same ISO3 code: "
            + "; ".join(f"{k} <- {', '.join(v)}" for k, v in clash.items())
            + " (merge them on purpose with aggregate_regions)")
    meta = dict(table.meta)
    if new != countries:
        meta.setdefault("original_country_codes", ",".join(countries))
    meta["rest_of_world"] = rest
    from dataclasses import replace

    return table.replace(labels=replace(table.labels, countries=tuple(new)), meta=meta)
