"""A common broad sector classification, resolved through each source's own concordance.

Defaults above the readers (the report's transfer scenario, the dashboard's
first view, candidate lists) name sectors in this classification ("textiles",
"electronics", ...) and never in one release's codes. :func:`resolve_broad`
turns a broad code into the sectors of a given table, through the concordance
of the table's source:

==============  =========================================================
concordance     sectors (as ``labels.sectors`` or ``labels.sector_codes``)
==============  =========================================================
``oecd34``      OECD ICIO 2016, 34 industries (ISIC rev.3, ``C01T05`` ..)
``oecd36``      OECD ICIO 2018, 36 industries (``01T03`` ..)
``oecd45``      OECD ICIO 2021, 45 industries (``D01T02`` ..)
``oecd45l``     OECD ICIO 2023, 45 industries (``A01_02`` .. ``T``)
``oecd50``      OECD ICIO 2025, 50 industries (``A01`` .. ``C24A``, ``C301`` ..)
``wiod13``      WIOD 2013 and ADB MRIO, 35 sectors (``AtB`` .. ``P``, or ``c1`` .. ``c35``)
``wiod16``      WIOD 2016, 56 sectors (``A01`` .. ``U``, or ``c1`` .. ``c56``)
``lrwiod``      Long-run WIOD, 23 sectors (``AtB`` .. ``LtQ``)
``eora26``      Eora26, 26 sectors by name
``figaro64``    FIGARO, 64 industries (NACE rev.2 A*64)
``exiobase``    EXIOBASE 3, 163 industries by name
==============  =========================================================

The data live in ``concordances/broad_maps/*.csv`` (columns ``code, broad,
also, name``): every source sector belongs to exactly one broad sector
(``broad``); ``also`` lists the other broad sectors a composite source sector
contains (Eora26's "Petroleum, Chemical and Non-Metallic Mineral Products" is
``chemicals`` and also ``petroleum rubber_plastics minerals``). A broad sector
found only in ``also`` is not separate in that source, and
:func:`resolve_broad` says so instead of returning a wider sector. The
concordances follow the ISIC divisions each code spans (rev.3 for WIOD 2013,
ADB MRIO, Long-run WIOD, OECD 2016, EXIOBASE; rev.4 for the others).

Tables of other origins (``generic``, a pymrio system) are classified by
their sector names when every name is one of a known release's names, or
through a user concordance (``concordance=`` a mapping or a CSV file with
columns ``sector, broad``).

>>> import silkchain
>>> t = silkchain.read("wiod2013:2011")
>>> resolve_broad(t, "textiles")
('c4', 'c5')
>>> BROAD_SECTORS["electronics"]
'Computer, electronic and electrical equipment'
>>> resolve_broad(t, "steel")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
silkchain.errors.UnresolvedSectorError: wiod2013:2011 (WIOD 2013): unknown broad sector 'steel'; ...
"""

from __future__ import annotations

import csv
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

from silkchain.errors import UnresolvedSectorError

__all__ = ["BROAD_SECTORS", "CONCORDANCES", "NON_TRADABLE", "SectorConcordance", "classify",
           "concordance_for", "load", "resolve_broad"]

#: The broad sectors: code -> English name (ISIC rev.4 sections and division groups).
BROAD_SECTORS: Mapping[str, str] = MappingProxyType({
    "agriculture": "Agriculture, forestry and fishing",
    "mining": "Mining and quarrying",
    "food": "Food, beverages and tobacco",
    "textiles": "Textiles, apparel and leather",
    "wood_paper": "Wood, paper and printing",
    "petroleum": "Coke and refined petroleum",
    "chemicals": "Chemicals and pharmaceuticals",
    "rubber_plastics": "Rubber and plastics",
    "minerals": "Other non-metallic mineral products",
    "metals": "Basic and fabricated metals",
    "machinery": "Machinery and equipment n.e.c.",
    "electronics": "Computer, electronic and electrical equipment",
    "transport_equipment": "Transport equipment",
    "other_manufacturing": "Other manufacturing, repair and recycling",
    "utilities": "Electricity, gas, water and waste",
    "construction": "Construction",
    "trade": "Wholesale and retail trade",
    "hospitality": "Accommodation and food services",
    "transport": "Transport, storage and post",
    "information": "Information and communication",
    "finance": "Financial and insurance services",
    "real_estate": "Real estate",
    "business_services": "Professional, administrative and support services",
    "public_services": "Public administration, education and health",
    "other_services": "Other services and households",
})

#: Broad sectors whose output is mostly not traded across borders: never upgrading candidates.
NON_TRADABLE: tuple[str, ...] = ("construction", "real_estate", "public_services", "utilities",
                                 "other_services")

#: Bundled concordances: key -> (description, c-code aliases by position, matched by name).
CONCORDANCES: Mapping[str, tuple[str, bool, bool]] = MappingProxyType({
    "oecd34": ("OECD ICIO 2016 (34 industries)", False, False),
    "oecd36": ("OECD ICIO 2018 (36 industries)", False, False),
    "oecd45": ("OECD ICIO 2021 (45 industries)", False, False),
    "oecd45l": ("OECD ICIO 2023 (45 industries)", False, False),
    "oecd50": ("OECD ICIO 2025 (50 industries)", False, False),
    "wiod13": ("WIOD 2013 and ADB MRIO (35 sectors)", True, False),
    "wiod16": ("WIOD 2016 (56 sectors)", True, False),
    "lrwiod": ("Long-run WIOD (23 sectors)", False, False),
    "eora26": ("Eora26 (26 sectors)", False, True),
    "figaro64": ("FIGARO (64 industries)", False, False),
    "exiobase": ("EXIOBASE 3 (163 industries)", False, True),
})

#: Concordances tried first for a table whose ``meta["source"]`` is the key.
_BY_SOURCE: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "OECD ICIO": ("oecd45l", "oecd50", "oecd45", "oecd36", "oecd34"),
    "WIOD": ("wiod13", "wiod16", "lrwiod"),
    "ADB MRIO": ("wiod13",),
    "Eora26": ("eora26",),
    "FIGARO": ("figaro64",),
    "EXIOBASE": ("exiobase",),
})
_RELEASE: Mapping[tuple[str, str], str] = MappingProxyType({
    ("WIOD", "2013"): "wiod13", ("WIOD", "2016"): "wiod16", ("WIOD", "long-run"): "lrwiod",
})


@dataclass(frozen=True)
class SectorConcordance:
    """One source's sectors mapped to :data:`BROAD_SECTORS`."""

    key: str
    title: str
    codes: tuple[str, ...]
    broad: Mapping[str, str]
    also: Mapping[str, tuple[str, ...]]
    names: Mapping[str, str]
    positional: bool = False
    by_name: bool = False

    def lookup(self, label: str) -> str | None:
        """The source code ``label`` stands for (code, name, or ``cK`` alias), else None."""
        if label in self.broad:
            return label
        if self.by_name:
            return _folded(self.key).get(label.strip().casefold())
        return None


@cache
def load(key: str) -> SectorConcordance:
    """A bundled concordance by key (see :data:`CONCORDANCES`).

    >>> c = load("oecd50")
    >>> len(c.codes), c.broad["C24A"], c.broad["C13T15"]
    (50, 'metals', 'textiles')
    """
    if key not in CONCORDANCES:
        raise KeyError(f"unknown concordance {key!r}; available: {', '.join(CONCORDANCES)}")
    title, positional, by_name = CONCORDANCES[key]
    text = (resources.files("silkchain.concordances") / "broad_maps" / f"{key}.csv"
            ).read_text(encoding="utf-8")
    rows = list(csv.DictReader(ln for ln in text.splitlines() if not ln.startswith("#")))
    codes = tuple(r["code"] for r in rows)
    broad = {r["code"]: r["broad"] for r in rows}
    also = {r["code"]: tuple(r["also"].split()) for r in rows if r["also"]}
    names = {r["code"]: r["name"] for r in rows if r["name"]}
    return SectorConcordance(key, title, codes, MappingProxyType(broad), MappingProxyType(also),
                             MappingProxyType(names), positional, by_name)


@cache
def _folded(key: str) -> dict[str, str]:
    return {code.strip().casefold(): code for code in load(key).codes}


def _label(table: Any) -> str:
    meta = table.meta
    where = str(meta.get("dataset") or meta.get("dataset_name")
                or (Path(str(meta["path"])).name if meta.get("path") else "")
                or meta.get("file") or "table")
    src = " ".join(str(meta[k]) for k in ("source", "release") if meta.get(k))
    if meta.get("derived_from") and meta.get("derived_from") != where:
        src = f"derived from {meta['derived_from']}" + (f", {src}" if src else "")
    return f"{where} ({src})" if src and src != where else where


@dataclass(frozen=True)
class _Members:
    """The original sectors of an aggregated table (``meta["sector_groups"]``), to place."""

    labels: Any
    meta: Mapping[str, Any]

    @property
    def N(self) -> int:
        return len(self.labels.sectors)


def _grouped(table: Any) -> tuple[SectorConcordance, dict[str, str]] | None:
    """A concordance for a table whose sectors are groups of a known release's sectors.

    Each group is placed in the broad sector of its members; a group whose members lie
    in several broad sectors cannot be (:class:`UnresolvedSectorError` names them).
    ``None`` when the members are not a known release's sectors either.
    """
    from dataclasses import replace

    groups = {str(g): [str(m) for m in members]
              for g, members in dict(table.meta["sector_groups"]).items()}
    members = [m for g in table.labels.sectors for m in groups.get(g, [g])]
    meta = {k: v for k, v in table.meta.items() if k != "sector_groups"}
    try:
        base, found = concordance_for(_Members(replace(
            table.labels, sectors=tuple(members), sector_codes=None, sector_names=None),
            meta))
    except UnresolvedSectorError:
        return None
    broad: dict[str, str] = {}
    also: dict[str, tuple[str, ...]] = {}
    mixed: list[str] = []
    for g in table.labels.sectors:
        kinds = list(dict.fromkeys(base.broad[found[m]] for m in groups.get(g, [g])))
        if len(kinds) > 1:
            mixed.append(f"{g} ({', '.join(kinds)})")
            continue
        broad[g] = kinds[0]
        also[g] = tuple(dict.fromkeys(a for m in groups.get(g, [g])
                                      for a in base.also.get(found[m], ()) if a != kinds[0]))
    if mixed:
        raise UnresolvedSectorError(
            f"{_label(table)}: {len(mixed)} of its {len(table.labels.sectors)} sectors group "
            f"{base.title} sectors of several broad sectors: {'; '.join(mixed)}; aggregate "
            "with groups inside one broad sector each, or pass a concordance (a CSV with "
            "columns sector,broad)")
    conc = SectorConcordance(
        key=f"{base.key}+groups", title=f"{base.title}, aggregated",
        codes=tuple(table.labels.sectors), broad=broad, also=also,
        names={g: g for g in table.labels.sectors})
    return conc, {g: g for g in table.labels.sectors}


def _sector_keys(table: Any) -> list[list[str]]:
    lab = table.labels
    keys = []
    for i, s in enumerate(lab.sectors):
        k = [s]
        if lab.sector_codes and lab.sector_codes[i]:
            k.append(lab.sector_codes[i])
        if lab.sector_names and lab.sector_names[i] not in k:
            k.append(lab.sector_names[i])
        keys.append(k)
    return keys


def _cover(table: Any, conc: SectorConcordance, positional: bool) -> tuple[dict[str, str],
                                                                              list[str]]:
    """Table sector -> source code of ``conc``, and the sectors it cannot place."""
    found: dict[str, str] = {}
    missing: list[str] = []
    for sector, keys in zip(table.labels.sectors, _sector_keys(table), strict=True):
        code = next((c for c in map(conc.lookup, keys) if c is not None), None)
        if code is None and positional and sector[:1] == "c" and sector[1:].isdigit():
            k = int(sector[1:])
            code = conc.codes[k - 1] if 1 <= k <= len(conc.codes) else None
        if code is None:
            missing.append(sector)
        else:
            found[sector] = code
    return found, missing


def concordance_for(table: Any) -> tuple[SectorConcordance, dict[str, str]]:
    """The bundled concordance that places every sector of ``table``, with the placement.

    A table aggregated by sector groups (``meta["sector_groups"]``) is placed through
    its groups' members; otherwise concordances of the table's source
    (``meta["source"]``) are tried first; ``c1`` .. ``cN`` sector names (silkchain's
    names for WIOD and ADB sectors) are read by position only when the table's source is
    WIOD or ADB MRIO.

    Raises
    ------
    UnresolvedSectorError
        No bundled concordance places every sector (the message names the
        sectors the closest one could not place).
    """
    meta = table.meta
    grouped = _grouped(table) if meta.get("sector_groups") else None
    if grouped is not None:
        return grouped
    source = str(meta.get("source", ""))
    first = _BY_SOURCE.get(source, ())
    preferred = _RELEASE.get((source, str(meta.get("release", ""))))
    order = ([preferred] if preferred else []) + [k for k in first if k != preferred]
    order += [k for k in CONCORDANCES if k not in order]
    best: tuple[int, str, list[str]] | None = None
    for key in order:
        conc = load(key)
        positional = conc.positional and key in first
        found, missing = _cover(table, conc, positional)
        if not missing:
            return conc, found
        if best is None or len(missing) < best[0]:
            best = (len(missing), key, missing)
    assert best is not None
    _, key, missing = best
    raise UnresolvedSectorError(
        f"{_label(table)}: its sectors are not those of a release silkchain knows; the "
        f"closest concordance ({CONCORDANCES[key][0]}) does not place {len(missing)} of "
        f"{table.N} sectors ({', '.join(missing[:6])}{', ...' if len(missing) > 6 else ''}); "
        "pass a concordance (a CSV with columns sector,broad)")


def _user_concordance(table: Any, concordance: Mapping[str, str] | str | os.PathLike[str]
                      ) -> dict[str, str]:
    if isinstance(concordance, Mapping):
        mapping = {str(k): str(v) for k, v in concordance.items()}
        name = "the concordance"
    else:
        path = Path(concordance)
        if not path.exists():
            raise UnresolvedSectorError(f"{path}: no such concordance file")
        with open(path, newline="", encoding="utf-8-sig") as fh:
            rows = list(csv.reader(ln for ln in fh if not ln.startswith("#")))
        head = [c.strip().lower() for c in rows[0]] if rows else []
        if head[:2] not in (["sector", "broad"], ["code", "broad"]):
            raise UnresolvedSectorError(f"{path.name}: expected a first line 'sector,broad', "
                                        f"found {','.join(head) or '(empty file)'!r}")
        mapping = {r[0].strip(): r[1].strip() for r in rows[1:] if r and r[0].strip()}
        name = path.name
    unknown = sorted({b for b in mapping.values() if b not in BROAD_SECTORS})
    missing = [s for s in table.labels.sectors if s not in mapping]
    problems = []
    if unknown:
        problems.append(f"unknown broad sector(s) {', '.join(unknown)} (available: "
                        f"{', '.join(BROAD_SECTORS)})")
    if missing:
        problems.append(f"no broad sector for {len(missing)} sector(s) of the table: "
                        f"{', '.join(missing[:8])}{', ...' if len(missing) > 8 else ''}")
    if problems:
        raise UnresolvedSectorError(f"{name} for {_label(table)}: " + "; ".join(problems))
    return {s: mapping[s] for s in table.labels.sectors}


def classify(table: Any, concordance: Mapping[str, str] | str | os.PathLike[str] | None = None
             ) -> dict[str, str]:
    """Broad sector of every sector of ``table``: ``{sector: broad code}``.

    >>> import silkchain
    >>> classify(silkchain.read("wiod2013:2011"))["c14"]
    'electronics'
    """
    if concordance is not None:
        return _user_concordance(table, concordance)
    conc, found = concordance_for(table)
    return {s: conc.broad[code] for s, code in found.items()}


def resolve_broad(table: Any, broad: str, *,
                  concordance: Mapping[str, str] | str | os.PathLike[str] | None = None
                  ) -> tuple[str, ...]:
    """The table's own sector codes in broad sector ``broad``, in table order.

    Parameters
    ----------
    table : MRIOTable
        Any table; its source is read from ``meta`` and its sector labels.
    broad : str
        A key of :data:`BROAD_SECTORS`.
    concordance : mapping or path, optional
        A user concordance (``{sector: broad}`` or a CSV ``sector,broad``) used
        instead of the bundled ones.

    Raises
    ------
    UnresolvedSectorError
        ``broad`` is unknown, the table's sectors cannot be placed, or the
        source has no separate sector for ``broad`` (the message names the
        source, the broad code and the composite sector that contains it).
    """
    if broad not in BROAD_SECTORS:
        raise UnresolvedSectorError(f"{_label(table)}: unknown broad sector {broad!r}; "
                                    f"available: {', '.join(BROAD_SECTORS)}")
    if concordance is not None:
        mapping = _user_concordance(table, concordance)
        codes = tuple(s for s in table.labels.sectors if mapping[s] == broad)
        if not codes:
            raise UnresolvedSectorError(f"{_label(table)}: the concordance places no sector "
                                        f"in broad sector {broad!r} ({BROAD_SECTORS[broad]})")
        return codes
    conc, found = concordance_for(table)
    codes = tuple(s for s in table.labels.sectors if conc.broad[found[s]] == broad)
    if codes:
        return codes
    within = [(s, found[s]) for s in table.labels.sectors if broad in conc.also.get(found[s], ())]
    if within:
        parts = "; ".join(f"{s} ({conc.names.get(code, code)}, counted as "
                          f"{conc.broad[code]!r})" for s, code in within)
        raise UnresolvedSectorError(
            f"{_label(table)}: broad sector {broad!r} ({BROAD_SECTORS[broad]}) is not separate "
            f"in {conc.title}; it is part of {parts}")
    raise UnresolvedSectorError(
        f"{_label(table)}: no sector of this table is in broad sector {broad!r} "
        f"({BROAD_SECTORS[broad]}) under the {conc.title} concordance")


def names_of(codes: Sequence[str]) -> list[str]:
    """English names of broad codes (unknown codes are returned as given)."""
    return [BROAD_SECTORS.get(c, c) for c in codes]
