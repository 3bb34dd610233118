"""One entry point for every indicator: ``indicators(table, measures)`` and ``MEASURES``.

The result is one tidy frame ``country, sector, partner, measure, value``.
``sector`` is ``"_T"`` for values that are not by industry and ``partner``
is ``"W"`` for values that are not by partner (OECD's codes for "total" and
"world"), so no row has a missing key. TiVA indicators keep their OECD codes
in ``measure``; the other families are qualified by their registry name
(``"koopman.participation"``, ``"upstreamness.U"``) so that variants never
collide. What each call recorded (variant, inventory correction, services
set) is in ``frame.attrs[<name>]``.

>>> import silkchain
>>> t = silkchain.read("wiod2013:2011")
>>> f = indicators(t, ["EXGR_DVASH", "koopman"])
>>> sorted(f.measure.unique())[:3]
['EXGR_DVASH', 'koopman.E', 'koopman.FV']
>>> indicators(t, ["upstream"])  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
silkchain.errors.MeasureError: unknown measure(s): upstream; valid: tiva, ...
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pandas as pd

from silkchain.errors import MeasureError
from silkchain.measures import participation as mp
from silkchain.measures import positioning as mpos
from silkchain.measures import rca as mrca
from silkchain.measures import tiva as mt
from silkchain.table import MRIOTable

__all__ = ["DEFAULT_MEASURES", "MEASURES", "Measure", "indicators"]

COLUMNS = ["country", "sector", "partner", "measure", "value"]


@dataclass(frozen=True)
class Measure:
    """A registered indicator family: how to compute it and what it is."""

    name: str
    description: str
    compute: Callable[[MRIOTable], pd.DataFrame]


def _family(name: str, description: str,
            fn: Callable[[MRIOTable], pd.DataFrame]) -> Measure:
    return Measure(name, description, fn)


_FAMILIES = [
    _family("tiva", "all OECD TiVA indicators, country totals", lambda t: mt.tiva(t)),
    _family("koopman", "Koopman et al. (2010) participation and position, IV = VS1, country",
            lambda t: mp.koopman(t, "country", "vs1")),
    _family("koopman_sector", "Koopman et al. (2010), IV = VS1, by sector",
            lambda t: mp.koopman(t, "sector", "vs1")),
    _family("koopman_kww", "Koopman et al. (2010) with IV = KWW T3 (DVA_INTrex), country",
            lambda t: mp.koopman(t, "country", "kww")),
    _family("koopman_kww_sector", "Koopman et al. (2010) with IV = KWW T3, by sector",
            lambda t: mp.koopman(t, "sector", "kww")),
    _family("wwyz", "Wang-Wei-Yu-Zhu (2017a) forward/backward participation, country",
            lambda t: mp.wwyz(t, "country")),
    _family("wwyz_sector", "Wang-Wei-Yu-Zhu (2017a) participation, by sector",
            lambda t: mp.wwyz(t, "sector")),
    _family("production_length", "WWYZ (2017b) production length and GVC position, by "
            "sector", lambda t: mpos.production_length(t, "sector")),
    _family("production_length_country", "WWYZ (2017b) production length, country",
            lambda t: mpos.production_length(t, "country")),
    _family("upstreamness", "Antràs et al. (2012) upstreamness U by sector (Antràs-Chor "
            "inventory correction where the table has inventories)",
            lambda t: mpos.upstreamness(t)),
    _family("upstreamness_country", "upstreamness on the table collapsed to countries",
            lambda t: mpos.upstreamness(t, level="country")),
    _family("downstreamness", "Miller-Temurshoev (2017) downstreamness D by sector",
            lambda t: mpos.downstreamness(t)),
    _family("downstreamness_country", "downstreamness on the table collapsed to countries",
            lambda t: mpos.downstreamness(t, level="country")),
    _family("rca", "Balassa (1965) revealed comparative advantage, gross exports",
            lambda t: mrca.rca(t, "gross")),
    _family("nrca", "KWW (2014) value-added revealed comparative advantage",
            lambda t: mrca.rca(t, "value_added")),
    _family("apl", "Dietzenbacher et al. (2005) average propagation length, industry x "
            "industry (large: G*N squared rows)", lambda t: mpos.apl(t)),
]

#: Every name ``indicators`` accepts: the families above and each TiVA code.
MEASURES: dict[str, Measure] = {m.name: m for m in _FAMILIES}
for _code, _ind in mt.INDICATORS.items():
    MEASURES[_code] = Measure(_code, f"OECD TiVA {_code}: {_ind.title} ({_ind.unit})",
                              lambda t, c=_code: mt.tiva(t, [c]))

#: What ``indicators(table)`` computes when no measure is named.
DEFAULT_MEASURES = ("tiva", "koopman", "wwyz", "production_length", "upstreamness",
                    "downstreamness", "rca", "nrca")


def _normalise(frame: pd.DataFrame, prefix: str | None) -> pd.DataFrame:
    out = frame.copy()
    if "sector" not in out.columns:
        out["sector"] = mt.TOTAL_SECTOR
    if "partner" not in out.columns:
        out["partner"] = mt.WORLD
    if prefix is not None:
        out["measure"] = prefix + "." + out["measure"].astype(str)
    if "partner_sector" in out.columns:  # APL: industry pairs
        out["partner"] = out["partner"] + "/" + out.pop("partner_sector")
    return out[COLUMNS]


def indicators(table: MRIOTable, measures: Sequence[str] | None = None,
               services: str | Sequence[str] = "SRVWC") -> pd.DataFrame:
    """Compute several indicator families into one tidy frame.

    Parameters
    ----------
    table : MRIOTable
        The table.
    measures : sequence of str, optional
        Names from :data:`MEASURES` (families such as ``"koopman"`` or single
        TiVA codes such as ``"EXGR_DVASH"``); default :data:`DEFAULT_MEASURES`.
    services : str or sequence of str
        Services set of the TiVA services indicators (see
        :func:`silkchain.measures.tiva.tiva`).

    Returns
    -------
    DataFrame
        ``country, sector, partner, measure, value`` (``"_T"``/``"W"`` where a
        value has no industry/partner dimension; for ``apl`` the partner column
        holds ``"country/sector"`` of the receiving industry).

    Raises
    ------
    MeasureError
        An unknown name; the message lists every valid one.
    """
    names = list(DEFAULT_MEASURES if measures is None else
                 ([measures] if isinstance(measures, str) else measures))
    unknown = [m for m in names if m not in MEASURES]
    if unknown:
        raise MeasureError(f"unknown measure(s): {', '.join(unknown)}; valid: "
                           f"{', '.join(MEASURES)}")
    if not names:
        raise MeasureError(f"no measure named; valid: {', '.join(MEASURES)}")
    frames: list[pd.DataFrame] = []
    attrs: dict[str, object] = {}
    codes = [m for m in dict.fromkeys(names) if m in mt.INDICATORS]
    for name in dict.fromkeys(names):
        if name in mt.INDICATORS:
            continue
        frame = (mt.tiva(table, services=services) if name == "tiva"
                 else MEASURES[name].compute(table))
        attrs[name] = dict(frame.attrs)
        frames.append(_normalise(frame, None if name == "tiva" else name))
    if codes and "tiva" not in names:
        frame = mt.tiva(table, codes, services=services)
        attrs["tiva"] = dict(frame.attrs)
        frames.append(_normalise(frame, None))
    out = pd.concat(frames, ignore_index=True)
    out.attrs.update(attrs)
    return out
