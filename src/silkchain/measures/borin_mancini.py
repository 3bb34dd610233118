"""Borin & Mancini decomposition of gross exports, as tidy long frames.

A thin labelled layer over :mod:`silkchain.core.borin_mancini`. Supported
combinations (as the Stata and R ``icio`` commands):

============  ===========  ===========  =======================================
perspective   approach     level        terms
============  ===========  ===========  =======================================
exporter      source       all three    15: GEXP DC DVA VAX DAVAX REX REF DDC
                                        FC FVA FDC PDC GVC GVCB GVCF
exporter      sink         country      = exporter/source (the two coincide)
exporter      sink         sector       9: GEXP DC DVA VAX REF DDC FC FVA FDC
exporter      sink         bilateral    10: the 9 and VAXIM
world         sink/source  country      9: GEXP DC DVA VAX REF DDC FC FVA FDC
============  ===========  ===========  =======================================

Country groups (``groups=``) are exact exporting units computed on the
disaggregated table (:mod:`silkchain.core.borin_mancini_groups`), for the
exporter perspective, source approach (and sink at country level).

References
----------
.. [1] Borin, A. & Mancini, M. (2019). Measuring What Matters in Global Value
   Chains and Value-Added Trade. World Bank Policy Research Working Paper 8804.
.. [2] Borin, A. & Mancini, M. (2023). Measuring what matters in value-added
   trade. *Economic Systems Research* 35(4): 586-613.
.. [3] Belotti, F., Borin, A. & Mancini, M. (2021). icio: Economic analysis with
   intercountry input-output tables. *The Stata Journal* 21(3): 708-755.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from silkchain.aggregation import aggregate_regions
from silkchain.core import borin_mancini as core
from silkchain.core import borin_mancini_groups as core_groups
from silkchain.errors import MeasureError, SingularSystemError
from silkchain.measures.cache import per_table
from silkchain.measures.tidy import to_long
from silkchain.table import MRIOTable

__all__ = ["APPROACHES", "LEVELS", "PERSPECTIVES", "bm", "bm_array", "group_units", "merge_groups"]

LEVELS = ("country", "sector", "bilateral")
PERSPECTIVES = ("exporter", "world")
APPROACHES = ("source", "sink")


def _check_choice(name: str, value: object, valid: Sequence[str]) -> str:
    if value not in valid:
        raise MeasureError(
            f"bm: {name}={value!r} is not valid; choose one of "
            + ", ".join(repr(v) for v in valid))
    return str(value)


def _group_mapping(table: MRIOTable, groups: Mapping[str, Sequence[str]]) -> dict[str, str]:
    """Validate ``groups`` against the table: country code -> group code."""
    if not isinstance(groups, Mapping):
        raise MeasureError(
            f"bm: groups must be a dict of group code -> list of country codes, "
            f"got {type(groups).__name__}")
    countries = table.labels.countries
    mapping: dict[str, str] = {}
    problems: list[str] = []
    for code, members in groups.items():
        if isinstance(members, str) or not isinstance(members, Sequence) or not members:
            problems.append(f"group {code!r} must be a non-empty list of country codes, "
                            f"got {members!r}")
            continue
        unknown = [m for m in members if m not in countries]
        if unknown:
            problems.append(f"group {code!r}: unknown countr{'y' if len(unknown) == 1 else 'ies'} "
                            f"{', '.join(map(repr, unknown))}")
        if code in countries and code not in members:
            problems.append(f"group code {code!r} is already a country of the table that is "
                            "not among its members; choose another code")
        for m in members:
            if m in mapping and mapping[m] != code:
                problems.append(f"country {m!r} is in two groups: {mapping[m]!r} and {code!r}")
            mapping[m] = str(code)
    if problems:
        raise MeasureError(
            "bm: invalid groups:\n  - " + "\n  - ".join(problems)
            + f"\nthe table's countries are: {', '.join(countries)}")
    return mapping


def group_units(
    table: MRIOTable, groups: Mapping[str, Sequence[str]],
) -> tuple[tuple[str, ...], list[list[int]]]:
    """Partition the table's countries into exporting units (groups and single countries).

    Returns ``(names, units)``: the unit codes (a group's code, else the
    country's code) in the order of each unit's first member in the table,
    and each unit's member country positions.

    Raises
    ------
    MeasureError
        Unknown member, empty group, a country in two groups, or a group code
        that is already another country's code.

    Examples
    --------
    >>> import silkchain
    >>> t = silkchain.read("wiod2013:2011")
    >>> names, units = group_units(t, {"V4": ["CZE", "HUN", "POL", "SVK"]})
    >>> len(names), names.index("V4"), [t.labels.countries[g] for g in units[names.index("V4")]]
    (38, 8, ['CZE', 'HUN', 'POL', 'SVK'])
    """
    mapping = _group_mapping(table, groups)
    names: list[str] = []
    units: list[list[int]] = []
    for g, c in enumerate(table.labels.countries):
        code = mapping.get(c, c)
        if code in names:
            units[names.index(code)].append(g)
        else:
            names.append(code)
            units.append([g])
    return tuple(names), units


def merge_groups(table: MRIOTable, groups: Mapping[str, Sequence[str]]) -> MRIOTable:
    """Merge each group of countries into one region (its internal trade is not export).

    This aggregates the table (:func:`silkchain.aggregation.aggregate_regions`):
    the members' blocks of ``Z`` and ``Y`` are summed, which averages their
    technologies and changes ``B``. :func:`bm` does **not** use it for groups
    (it computes groups exactly on the disaggregated table, see
    :mod:`silkchain.core.borin_mancini_groups`); it is kept for comparisons
    and for measures that are defined on an aggregated table.

    Parameters
    ----------
    table : MRIOTable
    groups : mapping of str to list of str
        Group code -> member country codes.

    Raises
    ------
    MeasureError
        Unknown member, empty group, a country in two groups, or a group code
        that is already another country's code.
    """
    return aggregate_regions(table, _group_mapping(table, groups), strict=True)


def _prepare(table: MRIOTable) -> core.BMSystem:
    """The Borin-Mancini system of ``table``, on the table's own factorisation of ``I - A``.

    ``table.solver`` is computed once and kept on the table (copied here, not changed),
    so the other measures of the same table (WWYZ, Koopman, a scenario's comparison)
    do not factor ``I - A`` again.
    """
    try:
        lu: tuple[np.ndarray, np.ndarray] | None = (table.solver.lu, table.solver.piv)
    except SingularSystemError:                # core.prepare says which countries
        lu = None
    return core.prepare(table.A, table.v, table.x, table.Yc, table.ESR, table.G, table.N,
                        names=table.labels.countries, lu=lu)


def bm_array(
    table: MRIOTable,
    level: str = "country",
    perspective: str = "exporter",
    approach: str = "source",
    groups: Mapping[str, Sequence[str]] | None = None,
) -> tuple[np.ndarray, dict[str, tuple[str, ...]]]:
    """The decomposition as an ndarray with its dimension labels (no frame).

    Returns ``(values, dims)`` where ``dims`` maps each axis name
    (``exporter``, ``sector``, ``importer``, ``term``) to its labels, in axis
    order; bilateral arrays hold zeros for the own country (own unit with
    ``groups``). See :func:`bm`.
    """
    level = _check_choice("level", level, LEVELS)
    perspective = _check_choice("perspective", perspective, PERSPECTIVES)
    approach = _check_choice("approach", approach, APPROACHES)
    if perspective == "world" and level != "country":
        raise MeasureError(
            f"bm: perspective='world' is defined at level='country' only (as in icio); "
            f"got level={level!r}. Use perspective='exporter' for sector or bilateral results")
    units = None
    if groups is not None:
        names, units = group_units(table, groups)
        if perspective != "exporter" or (approach == "sink" and level != "country"):
            raise MeasureError(
                f"bm: groups are supported for perspective='exporter', approach='source' "
                f"(and approach='sink' at level='country', where it equals source); got "
                f"perspective={perspective!r}, approach={approach!r}, level={level!r}. "
                "Groups are computed exactly on the disaggregated table; to decompose a "
                "table with the groups merged into regions, pass "
                "merge_groups(table, groups) instead")
    lab = table.labels
    system = per_table(table, ("borin_mancini_system",), lambda: _prepare(table))
    dims: dict[str, tuple[str, ...]] = {"exporter": lab.countries}
    if units is not None:
        usys = core_groups.prepare_units(system, units, names=names)
        values = core_groups.exporter_source_units(usys, level)
        terms = core.SOURCE_TERMS
        dims["exporter"] = names
    elif perspective == "world":
        values = core.world(system, approach)
        terms = core.WORLD_TERMS
    elif approach == "sink" and level != "country":
        values = core.exporter_sink(system, level)
        terms = core.SINK_BILATERAL_TERMS if level == "bilateral" else core.SINK_TERMS
    else:                                      # source; sink = source at country level
        values = core.exporter_source(system, level)
        terms = core.SOURCE_TERMS
    if level in ("sector", "bilateral"):
        dims["sector"] = lab.sectors
    if level == "bilateral":
        dims["importer"] = dims["exporter"]
    dims["term"] = tuple(terms)
    return values, dims


def bm(
    table: MRIOTable,
    level: str = "country",
    perspective: str = "exporter",
    approach: str = "source",
    groups: Mapping[str, Sequence[str]] | None = None,
) -> pd.DataFrame:
    """Borin & Mancini decomposition of gross exports.

    Parameters
    ----------
    table : MRIOTable
    level : {"country", "sector", "bilateral"}
        Exporting country; exporting country x exporting sector; exporting
        country x sector x importing country.
    perspective : {"exporter", "world"}
        Perimeter against which double counting is judged: the exporting
        country (additive over sectors and partners) or every border in the
        world (the "corrected KWW"; country level only).
    approach : {"source", "sink"}
        Value added recorded the first (source) or the last (sink) time it
        leaves the country. Exporter/sink equals exporter/source at country
        level and is returned as such.
    groups : dict of str to list of str, optional
        Country groups treated as one exporting unit, as Stata ``icio``'s
        ``groups()``: the group's domestic perimeter is all its members, trade
        among members is not export, and everything is computed exactly on the
        disaggregated table (:mod:`silkchain.core.borin_mancini_groups`; no
        merging of the members). Sector results are by exporting sector summed
        over the group's members. Supported for the exporter perspective,
        source approach (sink at country level, where the two coincide).

    Returns
    -------
    DataFrame
        Tidy long frame with columns ``exporter, value`` plus ``sector`` and
        ``importer`` as the level has them, and ``term``. Terms: exporter/source
        15 (GEXP, DC, DVA, VAX, DAVAX, REX, REF, DDC, FC, FVA, FDC, PDC, GVC,
        GVCB, GVCF); exporter/sink 9 at sector level (GEXP, DC, DVA, VAX, REF,
        DDC, FC, FVA, FDC) and those plus VAXIM at bilateral level; world 9.
        Own-country rows are left out at bilateral level.

    Raises
    ------
    MeasureError
        Invalid option (the message lists the valid ones), world perspective
        below country level, invalid groups, groups with the world perspective
        or with the sink approach below country level.
    SingularSystemError
        A singular block, naming the exporter.

    References
    ----------
    .. [1] Borin & Mancini (2019), WB PRWP 8804, §3-§6 (eqs. 20-29 source,
       33-39 sink, 52 and 54 world); Borin & Mancini (2023), ESR 35(4):586-613;
       Belotti, Borin & Mancini (2021), Stata Journal 21(3):708-755.

    Examples
    --------
    >>> import silkchain
    >>> from silkchain.measures.borin_mancini import bm
    >>> t = silkchain.read("wiod2013:2011")
    >>> f = bm(t)
    >>> f.columns.tolist()
    ['exporter', 'term', 'value']
    >>> chn = f[f.exporter == "CHN"].set_index("term")["value"]
    >>> gap = chn["DAVAX"] + chn["REX"] + chn["REF"] + chn["FVA"] + chn["PDC"] - chn["GEXP"]
    >>> bool(abs(gap) < 1e-6 * chn["GEXP"])
    True
    >>> print(round(chn["DVA"] / chn["GEXP"], 3), round(chn["FVA"] / chn["GEXP"], 3))
    0.774 0.215
    """
    level = _check_choice("level", level, LEVELS)
    perspective = _check_choice("perspective", perspective, PERSPECTIVES)
    approach = _check_choice("approach", approach, APPROACHES)
    values, dims = bm_array(table, level, perspective, approach, groups)
    drop = None
    if level == "bilateral":
        G = values.shape[0]
        own = np.eye(G, dtype=bool)[:, None, :, None]
        drop = np.broadcast_to(own, values.shape)
    frame = to_long(values, dims, drop_mask=drop)
    frame.attrs["decomposition"] = f"bm/{perspective}/{approach}/{level}"
    return frame
