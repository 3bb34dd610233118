"""Answer -- why value capture changed: structural decomposition between the first and last year.

For the group's members that are countries of the table and the hub, the change
of a measure built from ``v``, ``B`` and ``Y`` (default: the domestic
value-added share of gross exports) between the first and the last year is
split into the contributions of value-added coefficients, technology, sourcing,
and the level, destination mix and product mix of final demand
(:func:`silkchain.measures.sda.sda`, average of the two polar decompositions;
Dietzenbacher & Los 1998). Rows (``year`` = last year, ``partner`` = first
year): ``<measure>.start``, ``.end``, ``.change`` and ``.<factor>``; the factors
add up to the change. Current prices.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from silkchain.bri import common
from silkchain.errors import MeasureError
from silkchain.groups import Group
from silkchain.measures.sda import FACTOR_TITLES, MEASURES
from silkchain.measures.sda import sda as run_sda
from silkchain.measures.tidy import TOTAL
from silkchain.table import MRIOTable


def _table(item: Any) -> MRIOTable:
    if isinstance(item, MRIOTable):
        return item
    from silkchain.io.registry import read

    return read(item)


def why_changed(source: common.Source, group: str | Group | None = "bri64",
                years: Any = None, scheduler: Any = None, *, hub: str = "CHN",
                measure: str = "dva_share", progress: Any = False,
                cache: Any = True) -> pd.DataFrame:
    """Contributions to the change of ``measure`` from the first to the last year.

    Parameters
    ----------
    source, group, years, scheduler, progress, cache
        As in :func:`silkchain.bri.value_capture.value_capture` (``scheduler`` and
        ``progress`` are accepted for the common signature; two tables are read and
        decomposed here). On a named source the result is cached unless ``cache`` is
        ``False``, keyed on the two tables' stored versions and every argument
        (:func:`silkchain.bri.common.cached_answer`).
    hub : str
        Shown with the group's members.
    measure : str
        An SDA measure at country level (:data:`silkchain.measures.sda.MEASURES`).

    Returns
    -------
    DataFrame
        ``year, country, sector, partner, measure, value``; see the module docstring.

    Examples
    --------
    >>> f = why_changed("wiod2013", years=[2010, 2011])
    >>> chn = f[f["country"] == "CHN"].set_index("measure")["value"]
    >>> factors = [m for m in chn.index if m.split(".")[1] not in ("start", "end", "change")]
    >>> bool(abs(chn[factors].sum() - chn["dva_share.change"]) < 1e-12)
    True
    """
    if measure not in MEASURES:
        raise MeasureError(f"unknown SDA measure {measure!r}; valid: {', '.join(MEASURES)}")
    g = common.resolve_group(group)
    tasks = common.source_tasks(source, years)
    if len(tasks) < 2:
        raise MeasureError(f"why_changed needs two years; {source!r} gives "
                           f"{', '.join(map(str, tasks)) or 'none'}")
    first, last = min(tasks), max(tasks)

    def decompose() -> pd.DataFrame:
        a, b = _table(tasks[first]), _table(tasks[last])
        common.require_country(hub, list(b.labels.countries), "why_changed")
        f = run_sda(a, b, measure)
        shown = list(dict.fromkeys([*common.members_in_table(g, b), hub]))
        f = f[f["country"].isin(shown)]
        out = pd.DataFrame({"year": last, "country": f["country"], "sector": TOTAL,
                            "partner": str(first), "measure": measure + "." + f["term"],
                            "value": f["value"]})
        shares = common.output_share_rows(b)
        shares.insert(0, "year", last)
        frame = pd.concat([out, shares], ignore_index=True)
        return common.finish(
            frame, "why_changed", g, source=source,
            notes={"measure": measure, "from": first, "to": last, "method": "polar",
                   "factors": ", ".join(FACTOR_TITLES[k] for k in f.attrs["factors"])},
            caveats=[f"Structural decomposition of {measure} from {first} to {last} in "
                     "current prices: price changes are part of the change."])

    # a named source: cached, keyed on the two tables' stored versions and every argument
    return common.cached_answer(source, cache, "why_changed",
                                {first: tasks[first], last: tasks[last]}, decompose,
                                group=g, hub=hub, measure=measure)


def chart_data(frame: pd.DataFrame) -> dict[str, Any]:
    """Stacked bars: each factor's contribution by country."""
    notes = frame.attrs.get("notes") or {}
    measure = notes.get("measure", "dva_share")
    sub = frame[~frame["measure"].str.endswith((".start", ".end", ".change"))]
    wide = sub.pivot_table(index="country", columns="measure", values="value", sort=False)
    return {"kind": "bar", "title": f"Why {measure} changed, {notes.get('from')}-"
            f"{notes.get('to')}", "x": "country", "y": "contribution", "stacked": True,
            "series": [{"name": c.split(".", 1)[1], "values": wide[c].round(6).tolist()}
                       for c in wide.columns],
            "categories": wide.index.tolist(), "caveats": frame.attrs.get("caveats", [])}
