"""The same measure from two sources, side by side on common countries and sectors.

Two releases (WIOD 2013 and OECD ICIO, ADB MRIO, Eora26, ...) cover different
countries and classify industries differently. :func:`harmonise` maps both
tables of a year to a common frame:

* **countries**: those that are countries of both tables keep their code; every
  other country and each table's own rest-of-world aggregate are merged into one
  explicit ``ROW`` region (listed in ``attrs["merged_into_row"]``, by source);
* **sectors**: the broad classification of :mod:`silkchain.concordances.broad`,
  through each source's own concordance; broad sectors that only one source
  shows separately are merged into ``other`` in both (listed in
  ``attrs["merged_into_other"]``).

:func:`compare` then computes a measure of the catalogue on both harmonised
tables and returns ``year, country, sector, partner, measure, value_a, value_b,
difference`` (``value_b - value_a``) and ``unit``.

>>> import silkchain
>>> t = silkchain.read("wiod2013:2011")
>>> f = compare("vax", t, t)
>>> float(f["difference"].abs().max())
0.0
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from silkchain.aggregation import REST_OF_WORLD_CODES, aggregate_regions, aggregate_sectors
from silkchain.concordances.broad import classify
from silkchain.errors import MeasureError
from silkchain.table import MRIOTable

__all__ = ["ROW", "compare", "harmonise"]

#: Code of the explicit rest of the world in harmonised tables.
ROW = "ROW"
#: Broad code of the sectors that only one source shows separately.
OTHER = "other"


def _name(table: MRIOTable) -> str:
    return str(table.meta.get("dataset") or table.meta.get("source") or "table")


def harmonise(table_a: MRIOTable, table_b: MRIOTable, *,
              concordance_a: Mapping[str, str] | str | None = None,
              concordance_b: Mapping[str, str] | str | None = None
              ) -> tuple[MRIOTable, MRIOTable, dict[str, Any]]:
    """Both tables on common countries (others in ``ROW``) and common broad sectors.

    ``concordance_a``/``_b``: a user concordance (sector -> broad code) for a
    table whose source has none (see :func:`silkchain.concordances.broad.classify`).
    Returns the two tables and what was merged.
    """
    ca = [c for c in table_a.labels.countries if c not in REST_OF_WORLD_CODES]
    cb = [c for c in table_b.labels.countries if c not in REST_OF_WORLD_CODES]
    common = [c for c in ca if c in cb]
    if not common:
        raise MeasureError(f"{_name(table_a)} and {_name(table_b)} have no country in "
                           "common (after setting the rest of the world aside)")
    info: dict[str, Any] = {"countries": common, "merged_into_row": {}, "merged_into_other": {}}
    broad_a = classify(table_a, concordance_a)
    broad_b = classify(table_b, concordance_b)
    shared = set(broad_a.values()) & set(broad_b.values())
    out = []
    for t, broad, key in ((table_a, broad_a, "a"), (table_b, broad_b, "b")):
        merged = [c for c in t.labels.countries if c not in common]
        info["merged_into_row"][key] = merged
        regions = {c: ROW for c in merged}
        h = aggregate_regions(t, regions) if regions else t
        sectors = {s: (b if b in shared else OTHER) for s, b in broad.items()}
        info["merged_into_other"][key] = sorted({b for b in broad.values() if b not in shared})
        out.append(aggregate_sectors(h, sectors))
    return out[0], out[1], info


def _years(years: Sequence[int] | str | None) -> list[int] | None:
    """``"2018-2020"``, ``"2005,2010"``, ``2011`` or a list -> years (``None``: all).

    >>> _years("2018-2020"), _years("2010,2005"), _years(None)
    ([2018, 2019, 2020], [2005, 2010], None)
    """
    if years is None:
        return None
    if isinstance(years, int):
        return [years]
    if isinstance(years, str):
        out: list[int] = []
        for part in years.split(","):
            lo, sep, hi = part.strip().partition("-")
            try:
                out += list(range(int(lo), int(hi) + 1)) if sep else [int(lo)]
            except ValueError:
                raise MeasureError(f"years {years!r}: expected YEAR, FIRST-LAST or a "
                                   "comma-separated list") from None
        return sorted(set(out))
    return sorted({int(y) for y in years})


def _tasks(source: Any, years: Sequence[int] | str | None) -> dict[int, Any]:
    """``{year: table or dataset id}`` of a table, mapping, path, dataset id or source name."""
    import os
    from pathlib import Path

    from silkchain.io import bundled
    from silkchain.io.registry import dataset_ids

    chosen = _years(years)
    if isinstance(source, MRIOTable):
        year = source.meta.get("year")
        return {int(year) if year is not None else 0: source}
    if isinstance(source, Mapping):
        found: dict[int, Any] = {int(y): t for y, t in source.items()}
    elif isinstance(source, (str, os.PathLike)) and Path(source).exists():
        t = _table(source)
        return {int(t.meta.get("year") or 0): t}
    elif isinstance(source, str) and ":" in source:
        key = source.rsplit(":", 1)[1]
        found = {int(key) if key.isdigit() else 0: source}
    elif isinstance(source, str):
        ids = ([f"{source}:{y}" for y in bundled.YEARS] if source == bundled.NAME else
               [d for d in dataset_ids() if d.partition(":")[0] == source])
        found = {int(d.rsplit(":", 1)[1]): d for d in ids if d.rsplit(":", 1)[1].isdigit()}
        if not found:
            names = sorted({d.split(":")[0] for d in dataset_ids()})
            raise MeasureError(f"unknown source {source!r}; available: {', '.join(names)}")
    else:
        raise MeasureError(f"a source is a table, a dataset id, a path, a source name or "
                           f"{{year: table}}; got {type(source).__name__}")
    if chosen is None:
        return dict(sorted(found.items()))
    missing = [y for y in chosen if y not in found]
    if missing and len(found) > 1:
        raise MeasureError(f"{source if isinstance(source, str) else 'source'} has no year "
                           f"{', '.join(map(str, missing))}; it has "
                           f"{', '.join(map(str, sorted(found)))}")
    return {y: t for y, t in sorted(found.items()) if y in chosen or len(found) == 1}


def _table(item: Any) -> MRIOTable:
    if isinstance(item, MRIOTable):
        return item
    from silkchain.io.registry import read

    return read(item)


def compare(measure: str, source_a: Any, source_b: Any, years: Sequence[int] | str | None = None,
            **params: Any) -> pd.DataFrame:
    """``measure`` from two sources, side by side, on common countries and broad sectors.

    Parameters
    ----------
    measure : str
        A name of the measure catalogue (``vax``, ``bm_sector``, ``exposure``, ...;
        see :func:`silkchain.measures.catalogue.resolve`).
    source_a, source_b : table, dataset id, path, panel source or ``{year: table}``
        The two sources; the years both have are compared (``years`` narrows them).
        Two single tables are compared whatever their years.
    **params
        Options of the measure's function.

    Returns
    -------
    DataFrame
        ``year, country, sector, partner, measure, value_a, value_b, difference,
        unit`` (``difference = value_b - value_a``); ``attrs`` say which countries
        and broad sectors were merged, by year.
    """
    from silkchain.measures.catalogue import resolve

    m, level = resolve(measure)
    ta, tb = _tasks(source_a, years), _tasks(source_b, years)
    if len(ta) == 1 and len(tb) == 1:
        pairs = [(next(iter(ta)), next(iter(ta.values())), next(iter(tb.values())))]
    else:
        both = sorted(set(ta) & set(tb))
        if not both:
            raise MeasureError(f"the two sources have no year in common (first: "
                               f"{', '.join(map(str, sorted(ta)))}; second: "
                               f"{', '.join(map(str, sorted(tb)))})")
        pairs = [(y, ta[y], tb[y]) for y in both]
    frames, merged = [], {}
    keys = ["year", "country", "sector", "partner", "measure"]
    for year, a, b in pairs:
        ha, hb, info = harmonise(_table(a), _table(b))
        fa = m.tidy(ha, level, year=year, **params)
        fb = m.tidy(hb, level, year=year, **params)
        both_f = fa.merge(fb, on=[*keys, "unit"], how="outer", suffixes=("_a", "_b"),
                          sort=False)
        frames.append(both_f)
        merged[year] = info
    out = pd.concat(frames, ignore_index=True)
    out["difference"] = out["value_b"] - out["value_a"]
    out = out[[*keys, "value_a", "value_b", "difference", "unit"]]
    out.attrs.update(measure=measure, level=level, harmonisation=merged,
                     sources=[_label(source_a), _label(source_b)])
    return out


def _label(source: Any) -> str:
    return _name(source) if isinstance(source, MRIOTable) else str(source)
