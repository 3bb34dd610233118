"""One entry point for every indicator: ``indicators(table, measures)``.

The names are those of the measure catalogue
(:data:`silkchain.measures.catalogue.MEASURES`: ``koopman``,
``koopman_sector``, ``wwyz``, ``bm_bilateral``, ...) and every single OECD
TiVA code. The result is one frame in the tidy layout
(:data:`silkchain.measures.tidy.COLUMNS`)
``year, country, sector, partner, measure, value, unit``; ``sector`` and
``partner`` are ``"_T"`` where a value is not by industry or partner, so no row
has a missing key. TiVA indicators keep their OECD codes in ``measure``; the
other measures are qualified by their name (``"koopman.participation"``,
``"upstreamness.U"``) so that variants never collide. What each call recorded
(variant, inventory correction, services set) is in ``frame.attrs[<name>]``.

>>> import silkchain
>>> t = silkchain.read("wiod2013:2011")
>>> f = indicators(t, ["EXGR_DVASH", "koopman"])
>>> sorted(f.measure.unique())[:3]
['EXGR_DVASH', 'koopman.E', 'koopman.FV']
>>> indicators(t, ["upstream"])  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
silkchain.errors.MeasureError: unknown measure(s): upstream; valid: bm, ...
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from silkchain.errors import MeasureError
from silkchain.measures import tiva as mt
from silkchain.measures.catalogue import MEASURES, names, resolve
from silkchain.measures.tidy import COLUMNS, explain_undefined, table_currency, tidy
from silkchain.table import MRIOTable

__all__ = ["COLUMNS", "DEFAULT_MEASURES", "choices", "indicators"]

#: What ``indicators(table)`` computes when no measure is named.
DEFAULT_MEASURES = ("tiva", "koopman", "wwyz", "production_length", "upstreamness",
                    "downstreamness", "rca", "nrca")


def choices() -> dict[str, str]:
    """Every name ``indicators`` accepts -> a one-line description.

    The catalogue's names (``NAME`` and ``NAME_LEVEL``), then each TiVA code.
    """
    out = {}
    for name, (measure, level) in names().items():
        m = MEASURES[measure]
        out[name] = f"{m.title}, {level} level"
    for code, ind in mt.INDICATORS.items():
        out[code] = f"OECD TiVA {code}: {ind.title} ({ind.unit})"
    return out


def indicators(table: MRIOTable, measures: Sequence[str] | None = None,
               services: str | Sequence[str] = "SRVWC") -> pd.DataFrame:
    """Compute several measures into one tidy frame.

    Parameters
    ----------
    table : MRIOTable
        The table.
    measures : sequence of str, optional
        Names from :func:`choices` (catalogue names such as ``"koopman"`` or
        ``"wwyz_sector"``, or single TiVA codes such as ``"EXGR_DVASH"``);
        default :data:`DEFAULT_MEASURES`.
    services : str or sequence of str
        Services set of the TiVA services indicators (see
        :func:`silkchain.measures.tiva.tiva`).

    Returns
    -------
    DataFrame
        ``year, country, sector, partner, measure, value, unit`` (``"_T"``
        where a value has no industry/partner dimension; for ``apl`` the
        partner column holds ``"country/sector"`` of the receiving industry).
        When a value is undefined (a share of a table or country without
        exports), a ``reason`` column says why and ``attrs["undefined"]`` holds
        a one-line note (:func:`silkchain.measures.tidy.explain_undefined`).

    Raises
    ------
    MeasureError
        An unknown name; the message lists every valid one.
    """
    wanted = list(DEFAULT_MEASURES if measures is None else
                  ([measures] if isinstance(measures, str) else measures))
    valid = choices()
    unknown = [m for m in wanted if m not in valid]
    if unknown:
        raise MeasureError(f"unknown measure(s): {', '.join(unknown)}; valid: "
                           f"{', '.join(valid)}")
    if not wanted:
        raise MeasureError(f"no measure named; valid: {', '.join(valid)}")
    frames: list[pd.DataFrame] = []
    attrs: dict[str, object] = {}
    year = table.meta.get("year")
    currency = table_currency(table.meta)
    tiva = MEASURES["tiva"]
    codes = [m for m in dict.fromkeys(wanted) if m in mt.INDICATORS]
    for name in dict.fromkeys(wanted):
        if name in mt.INDICATORS:
            continue
        m, level = resolve(name)
        params = {"services": services} if m is tiva else {}
        frame = m.compute(table, level, **params)
        attrs[name] = dict(frame.attrs)
        frames.append(tidy(frame, year=year, unit=m.unit, units=m.units, currency=currency,
                           prefix=None if m is tiva else name))
    if codes and "tiva" not in wanted:
        frame = mt.tiva(table, codes, services=services)
        attrs["tiva"] = dict(frame.attrs)
        frames.append(tidy(frame, year=year, unit=tiva.unit, units=tiva.units,
                           currency=currency))
    out = pd.concat(frames, ignore_index=True)
    out, note = explain_undefined(out, table.exports_by_country().to_dict())
    out.attrs.update(attrs)
    if note:
        out.attrs["undefined"] = note
    return out
