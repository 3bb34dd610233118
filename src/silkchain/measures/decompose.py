"""The ``decompose`` dispatcher: every decomposition of the measure catalogue, one entry point.

The methods are the catalogue's measures of kind ``"decomposition"``
(:func:`methods`): Leontief (``VB`` decompositions, METHODS.md §2), Johnson &
Noguera VAX (§3), Koopman, Wang & Wei (§4), Wang, Wei & Zhu (§5) and Borin &
Mancini (§6). The labelled functions live in
:mod:`silkchain.measures.value_added` and
:mod:`silkchain.measures.borin_mancini`; :func:`leontief`, :func:`vax`,
:func:`kww` and :func:`wwz` are re-exported here under their historical path.

Frames are long, with the columns the level has (the table of
:mod:`silkchain.measures.value_added` for Leontief, VAX, KWW and WWZ;
:mod:`silkchain.measures.borin_mancini` for Borin & Mancini).
Country labels are the table's codes, sector labels its short sector codes.
Term names follow METHODS.md: decompr's names for KWW and WWZ.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from silkchain.errors import MeasureError
from silkchain.measures.catalogue import of_kind
from silkchain.measures.tidy import explain_undefined
from silkchain.measures.value_added import Post, kww, leontief, vax, wwz
from silkchain.table import MRIOTable

__all__ = ["METHODS", "decompose", "kww", "leontief", "methods", "vax", "wwz"]


def methods() -> dict[str, tuple[str, ...]]:
    """Methods of :func:`decompose` (the catalogue's decompositions) and their levels."""
    return {name: m.levels for name, m in of_kind("decomposition").items()}


#: Methods of :func:`decompose` at import time (:func:`methods` sees later registrations).
METHODS: dict[str, tuple[str, ...]] = methods()


def decompose(
    table: MRIOTable,
    method: str,
    level: str = "country",
    perspective: str = "exporter",
    approach: str = "source",
    groups: Mapping[str, Sequence[str]] | None = None,
    post: Post = "exports",
) -> pd.DataFrame:
    """Decompose TABLE's gross exports (or output, final demand) by value-added origin.

    Parameters
    ----------
    table : MRIOTable
    method : str
        A name of :func:`methods`: ``leontief`` (METHODS.md §2), ``vax``
        (Johnson & Noguera, §3), ``kww`` (Koopman, Wang & Wei, §4), ``wwz``
        (Wang, Wei & Zhu, §5), ``bm`` (Borin & Mancini, §6), or any
        decomposition registered in the catalogue.
    level : str
        Supported levels by method: leontief ``country, sector``; vax
        ``country, bilateral, sector``; kww ``country``; wwz ``country,
        sector, bilateral`` (bilateral = exporter x sector x importer; the
        coarser levels are sums); bm ``country, sector, bilateral``.
    perspective, approach : str
        ``"exporter"``/``"world"`` and ``"source"``/``"sink"``: Borin & Mancini
        only; other methods have one fixed perimeter and accept the defaults.
    groups : mapping of group name -> country codes, optional
        Countries treated as one unit, so that their mutual trade is not export.
        Borin & Mancini computes groups on the full table (Belotti, Borin &
        Mancini 2021, ``groups()``); the other methods first merge each group's
        countries into one region with
        :func:`silkchain.aggregation.aggregate_regions` (flows summed, so the
        group's input coefficients become output-weighted averages of its
        members'), and report the group under its name.
    post : {"exports", "output", "final_demand", "shares"}
        What ``method="leontief"`` decomposes.

    Returns
    -------
    DataFrame
        Long frame, columns as described in the module docstring.

    Raises
    ------
    MeasureError
        For an unknown method, or a level, perspective, approach or groups the
        method does not support; the message says what is supported.

    Examples
    --------
    >>> import silkchain
    >>> t = silkchain.read("wiod2013:2011")
    >>> decompose(t, "kww").query("exporter == 'DEU'").round(0).head(3)
      exporter        term     value
    81      DEU     DVA_FIN  450829.0
    82      DEU     DVA_INT  538289.0
    83      DEU  DVA_INTrex  122268.0
    """
    method = str(method).lower()
    available = of_kind("decomposition")
    if method not in available:
        raise MeasureError(f"unknown method {method!r}; available: {', '.join(available)}")
    m = available[method]
    if level not in m.levels:
        raise MeasureError(
            f"method {method!r} does not support level {level!r}; supported: "
            f"{', '.join(m.levels)}")
    if method == "bm":
        frame = m.compute(table, level, perspective=perspective, approach=approach,
                          groups=None if groups is None else dict(groups))
    else:
        frame = _other_method(table, m, method, level, perspective, approach, groups, post)
    return _explained(frame, table)


def _explained(frame: pd.DataFrame, table: MRIOTable) -> pd.DataFrame:
    """``frame`` with a ``reason`` column and ``attrs["undefined"]`` (a note) when some
    value is undefined (:func:`silkchain.measures.tidy.explain_undefined`)."""
    if not frame["value"].isna().any():
        return frame
    country = "exporter" if "exporter" in frame.columns else "country"
    out, note = explain_undefined(frame, table.exports_by_country().to_dict(), country=country)
    out.attrs = {**frame.attrs, "undefined": note}
    return out


def _other_method(table: MRIOTable, m: Any, method: str, level: str, perspective: str,
                  approach: str, groups: Mapping[str, Sequence[str]] | None, post: Post
                  ) -> pd.DataFrame:
    if perspective != "exporter" or approach != "source":
        raise MeasureError(
            f"perspective={perspective!r}, approach={approach!r} is not available for "
            f"method {method!r}: the world perspective and the sink approach are Borin & "
            "Mancini options (method='bm'); other methods take perspective='exporter', "
            "approach='source'")
    if groups:
        table = _aggregate_groups(table, groups)
    if method == "leontief":
        return m.compute(table, level, post=post)
    return m.compute(table, level)


def _aggregate_groups(table: MRIOTable, groups: Mapping[str, Sequence[str]]) -> MRIOTable:
    """Merge each group's countries into one region named after the group."""
    from silkchain.aggregation import aggregate_regions

    mapping: dict[str, str] = {}
    problems: list[str] = []
    for name, members in groups.items():
        members = [members] if isinstance(members, str) else list(members)
        if not members:
            problems.append(f"group {name!r} has no members")
        for code in members:
            code = str(code)
            if code in mapping and mapping[code] != name:
                problems.append(f"{code} is in both {mapping[code]!r} and {name!r}")
            mapping[code] = str(name)
    unknown = sorted({c for c in mapping if c not in table.labels.countries})
    if unknown:
        problems.append(f"not countries of the table: {', '.join(unknown)} (the table has "
                        f"{', '.join(table.labels.countries[:12])}"
                        f"{', ...' if table.G > 12 else ''})")
    clash = sorted(str(g) for g in groups if g in table.labels.countries
                   and mapping.get(str(g)) != g)
    if clash:
        problems.append(f"group name(s) {', '.join(clash)} are country codes of the table "
                        "that are not members of the group; choose another name")
    if problems:
        raise MeasureError("invalid groups: " + "; ".join(problems))
    return aggregate_regions(table, mapping, strict=True)
