"""Answer 4 -- China as hub: how much of partners' value chains runs through China.

From two country-level value-added matrices (:mod:`silkchain.bri.core`):
``VBE[t, s]``, value added of origin ``t`` in the gross exports of ``s``
(the "VB" share matrix of Koopman, Wang & Wei 2014 times exports; TiVA
DEXFVApSH) and ``VBY[s, r]``, value added of ``s`` absorbed in the final
demand of ``r`` (Johnson & Noguera 2012; TiVA FD_VA). For each partner ``s``
(``country``) and the hub ``h`` (``partner``):

==============================  ================================================
``hub_share_in_fva``            ``VBE[h, s] / FVA_s``, with ``FVA_s = sum_{t != s}
                                VBE[t, s]`` (= Koopman FV, BM FC)
``hub_va_in_exports``           ``VBE[h, s]``, the hub's value added in ``s``'s
                                exports; ``..._share``: over ``s``'s gross exports
``va_absorbed_in_hub``          ``VBY[s, h]``, ``s``'s value added absorbed in
                                the hub; ``..._share``: over ``s``'s value-added
                                exports ``VAX_s = sum_{r != s} VBY[s, r]``
``partner_va_in_hub_exports``   ``VBE[s, h]``, ``s``'s value added in the hub's
                                exports; ``..._share``: over the hub's ``FVA``
==============================  ================================================

Regional versus global value chains within the region (the group's members
in the table plus the hub; ``partner`` = group name): for each member ``s``,
``regional_fva_share`` (share of ``FVA_s`` from other members),
``regional_vax_share`` (share of ``VAX_s`` absorbed in other members) and the
global complements ``global_*``. Members hidden in the rest of the world
cannot be counted, so these are lower bounds; ``*_upper`` count the whole
rest-of-world aggregate as regional (an upper bound). The region row
(``country`` = group name) pools its members' flows.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from silkchain.bri import common
from silkchain.bri.core import va_origin_by_exporter
from silkchain.core.blocks import safe_ratio
from silkchain.groups import Group
from silkchain.table import MRIOTable


def hub_matrices(table: MRIOTable) -> tuple[np.ndarray, np.ndarray]:
    """``(VBE, VBY)``, both ``(G, G)``: see :mod:`silkchain.bri.core`."""
    VBE = va_origin_by_exporter(table.solver, table.v, table.E, table.G, table.N)
    VBY = common.absorbed(table)
    return VBE, VBY


def china_hub_year(table: MRIOTable, hub: str = "CHN", group: Group | None = None,
                   rest_of_world: tuple[str, ...] = ()) -> pd.DataFrame:
    """The hub measures on one table (see the module docstring)."""
    countries = list(table.labels.countries)
    common.require_country(hub, countries, "china_hub")
    h = countries.index(hub)
    VBE, VBY = hub_matrices(table)
    G = table.G
    off = ~np.eye(G, dtype=bool)
    fva = (VBE * off).sum(axis=0)
    exports = VBE.sum(axis=0)
    vax = (VBY * off).sum(axis=1)
    cols = {
        "fva": fva,
        "gross_exports": exports,
        "vax": vax,
        "hub_va_in_exports": VBE[h, :],
        "hub_share_in_fva": safe_ratio(VBE[h, :], fva),
        "hub_va_in_exports_share": safe_ratio(VBE[h, :], exports),
        "va_absorbed_in_hub": VBY[:, h],
        "va_absorbed_in_hub_share": safe_ratio(VBY[:, h], vax),
        "partner_va_in_hub_exports": VBE[:, h],
        "partner_va_in_hub_exports_share": safe_ratio(VBE[:, h], np.full(G, fva[h])),
    }
    wide = pd.DataFrame(cols, index=countries)
    wide.loc[hub, [c for c in cols if c.startswith(("hub_", "va_absorbed", "partner_"))]] = np.nan
    rows = [common.long_from_wide(wide[["fva", "gross_exports", "vax"]]),
            common.long_from_wide(wide.drop(columns=["fva", "gross_exports", "vax"]),
                                  partner=hub)]
    if group is not None:
        rows.append(_regional(VBE, VBY, countries, hub, group, table, rest_of_world))
    rows.append(common.output_share_rows(table))
    return pd.concat(rows, ignore_index=True)


def _regional(VBE: np.ndarray, VBY: np.ndarray, countries: list[str], hub: str,
              group: Group, table: MRIOTable, rest_of_world: tuple[str, ...]) -> pd.DataFrame:
    members = list(dict.fromkeys([*common.members_in_table(group, table), hub]))
    idx = np.array([countries.index(c) for c in members])
    row = np.array([countries.index(c) for c in (rest_of_world or
                                                  group.members_in(countries).rest_of_world)
                    if c in countries], dtype=int)
    G = len(countries)
    off = ~np.eye(G, dtype=bool)
    region = np.zeros(G, dtype=bool)
    region[idx] = True
    upper = region.copy()
    upper[row] = True
    fva, vax = (VBE * off).sum(axis=0), (VBY * off).sum(axis=1)
    reg_fva = (VBE * off * region[:, None]).sum(axis=0)
    reg_fva_up = (VBE * off * upper[:, None]).sum(axis=0)
    reg_vax = (VBY * off * region[None, :]).sum(axis=1)
    reg_vax_up = (VBY * off * upper[None, :]).sum(axis=1)
    data = {"regional_fva": reg_fva, "fva": fva, "regional_vax": reg_vax, "vax": vax,
            "regional_fva_upper": reg_fva_up, "regional_vax_upper": reg_vax_up}
    wide = pd.DataFrame(data, index=countries).loc[members]
    pooled = wide.sum(axis=0)
    wide.loc[group.name] = pooled
    out = pd.DataFrame(index=wide.index)
    out["regional_fva"] = wide["regional_fva"]
    out["regional_vax"] = wide["regional_vax"]
    out["regional_fva_share"] = wide["regional_fva"] / wide["fva"]
    out["global_fva_share"] = 1 - out["regional_fva_share"]
    out["regional_fva_share_upper"] = wide["regional_fva_upper"] / wide["fva"]
    out["regional_vax_share"] = wide["regional_vax"] / wide["vax"]
    out["global_vax_share"] = 1 - out["regional_vax_share"]
    out["regional_vax_share_upper"] = wide["regional_vax_upper"] / wide["vax"]
    return common.long_from_wide(out, partner=group.name)


def china_hub(source: common.Source, group: str | Group | None = "bri64",
              years: Any = None, scheduler: Any = None, *, hub: str = "CHN",
              progress: Any = False, cache: Any = True) -> pd.DataFrame:
    """China's weight in partners' value chains, and regional vs global chains in a group.

    Parameters
    ----------
    source, group, years, scheduler, progress, cache
        As in :func:`silkchain.bri.value_capture.value_capture`.
    hub : str
        The hub country (default ``CHN``); it must be a country of the table.

    Returns
    -------
    DataFrame
        ``year, country, sector, partner, measure, value``; see the module
        docstring.

    References
    ----------
    .. [1] Koopman, Wang & Wei (2014), AER 104(2): 459-494, §II.A.
    .. [2] Johnson & Noguera (2012), JIE 86(2): 224-236.
    .. [3] OECD TiVA indicators DEXFVApSH and FD_VA (METHODS.md §15).

    Examples
    --------
    >>> f = china_hub("wiod2013:2011")
    >>> s = f.query("measure == 'hub_share_in_fva'").value.dropna()
    >>> bool(((s >= 0) & (s <= 1)).all())
    True
    """
    g = common.resolve_group(group)
    frame = common.compute(source, china_hub_year, name="bri-china-hub",
                           params={"hub": hub, "group": g}, years=years,
                           scheduler=scheduler, progress=progress, cache=cache)
    frame = common.add_trends(frame, change=["hub_share_in_fva", "va_absorbed_in_hub_share",
                                             "regional_fva_share", "regional_vax_share"])
    return common.finish(
        frame, "china_hub", g, source=source, notes={"hub": hub},
        caveats=["Regional shares count only members that are countries of the table (and "
                 "the hub): a lower bound; *_upper count the whole rest-of-world aggregate "
                 "as regional: an upper bound."])


def chart_data(frame: pd.DataFrame, measure: str = "hub_share_in_fva") -> dict[str, Any]:
    """Bars of ``measure`` by partner for the last year, members first."""
    last = max(frame.attrs.get("years") or frame["year"].unique())
    inside = (frame.attrs.get("coverage") or {}).get("inside", [])
    sub = frame[(frame["year"] == last) & (frame["measure"] == measure)].dropna(subset=["value"])
    sub = sub.assign(member=sub["country"].isin(inside)).sort_values(
        ["member", "value"], ascending=[False, False])
    return {"kind": "bar", "title": f"{measure}, {last}", "x": "country", "y": measure,
            "bars": [{"country": r.country, "value": float(r.value), "member": bool(r.member)}
                     for r in sub.itertuples()],
            "caveats": frame.attrs.get("caveats", [])}
