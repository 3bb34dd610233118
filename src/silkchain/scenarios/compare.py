"""Every GVC measure before and after a scenario, as one long frame.

Columns ``country, sector, measure, baseline, scenario, delta``; ``sector`` is
``_T`` for country values (:data:`silkchain.measures.tidy.TOTAL`, as in every
tidy frame). The measures come from the measure modules
(they are not recomputed here):

* ``gdp``: value added (residual; see below), METHODS.md §1;
* ``gross_output``: ``x``; ``gross_exports``: ``E`` (METHODS.md §1);
* ``dva_exports``: domestic value added in gross exports, Borin & Mancini
  (2019), exporter perspective, source based (METHODS.md §6);
* ``gvc_forward``, ``gvc_backward``: production-based GVC participation,
  shares of value added and of final goods, Wang, Wei, Yu & Zhu (2017a);
* ``koopman_participation``, ``koopman_position``: ``IV/E + FV/E`` and
  ``ln(1+IV/E) - ln(1+FV/E)``, Koopman, Powers, Wang & Wei (2010), country;
* ``gvc_position``: ``PLv_GVC / PLy_GVC``, Wang, Wei, Yu & Zhu (2017b);
* ``price`` and ``final_demand_price`` (with cost shocks): unit prices and the
  price of each country's final-demand basket, base 1, Miller & Blair (2009), §2.6;
* any measure of the catalogue (:data:`silkchain.measures.catalogue.MEASURES`)
  by its name: every term at its country and sector levels, as
  ``NAME.TERM`` (``wwyz.forward``).

The named measures above are terms of catalogue measures (:data:`TERMS`); they
are computed by the catalogue's functions, once per measure and level.

After an extraction, ``gdp`` excludes the inputs the removed links used to
deliver (the ``extracted_inputs`` row), as in Los, Timmer & de Vries (2016);
measures computed from the residual value added count them as value added.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from silkchain.core.blocks import FloatArray, sum_by_country
from silkchain.core.prices import basket_prices, producer_prices
from silkchain.errors import MeasureError
from silkchain.measures.catalogue import ONE_TABLE as MEASURES  # one table each
from silkchain.measures.tidy import TABLE_CURRENCY, TOTAL, table_currency, tidy
from silkchain.scenarios.operations import value_added
from silkchain.table import MRIOTable

COLUMNS = ["country", "sector", "measure", "baseline", "scenario", "delta"]
DEFAULT_MEASURES = ("gdp", "gross_output", "gross_exports", "dva_exports", "gvc_forward",
                    "gvc_backward", "koopman_participation", "koopman_position",
                    "gvc_position")
PRICE_MEASURES = ("price", "final_demand_price")

#: Named comparison measures -> (catalogue measure, term, levels); levels "sector", "country".
TERMS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "dva_exports": ("bm", "DVA", ("sector",)),
    "gvc_forward": ("wwyz", "forward", ("sector", "country")),
    "gvc_backward": ("wwyz", "backward", ("sector", "country")),
    "koopman_participation": ("koopman", "participation", ("country",)),
    "koopman_position": ("koopman", "position", ("country",)),
    "gvc_position": ("production_length", "GVC_position", ("sector", "country")),
}
#: Measures whose country value is the sum of the sector values (Borin & Mancini 2019:
#: the exporter perspective is additive, METHODS.md §6).
_ADDITIVE = ("dva_exports",)
#: The levels a comparison has.
LEVELS = ("sector", "country")


#: Units of the measures that are not terms of the catalogue.
_UNITS = {"gdp": TABLE_CURRENCY, "gross_output": TABLE_CURRENCY,
          "gross_exports": TABLE_CURRENCY, "price": "index (baseline = 1)",
          "final_demand_price": "index (baseline = 1)"}


def unit_of(measure: str, currency: str | None = None) -> str:
    """The unit of a comparison measure, from the catalogue (``currency`` for amounts).

    >>> unit_of("koopman_position"), unit_of("gdp", "USD millions")
    ('log index', 'USD millions')
    >>> unit_of("wwyz.forward"), unit_of("upstreamness.U")
    ('share', 'stages')
    """
    if measure in _UNITS:
        unit = _UNITS[measure]
    elif measure in TERMS:
        name, term, _ = TERMS[measure]
        unit = MEASURES[name].unit_of(term)
    else:
        name, _, term = measure.partition(".")
        if name not in MEASURES:
            raise MeasureError(f"unknown measure {measure!r}; available: {', '.join(known())}")
        unit = MEASURES[name].unit_of(term)
    return currency if currency and unit == TABLE_CURRENCY else unit


def with_units(comparison: pd.DataFrame, table: MRIOTable) -> pd.DataFrame:
    """``comparison`` with a last column ``unit`` (the file ``scenario run`` writes)."""
    currency = table_currency(table.meta)
    units = {m: unit_of(str(m), currency) for m in comparison["measure"].unique()}
    out = comparison.assign(unit=comparison["measure"].map(units))
    out.attrs.update(comparison.attrs)
    return out


def known() -> tuple[str, ...]:
    """Every name :func:`measure_frame` accepts: the named measures and the catalogue's."""
    return (*DEFAULT_MEASURES, *PRICE_MEASURES, *(m for m in MEASURES if m not in TERMS))


def _frame(values_ind: FloatArray | None, values_cty: FloatArray | None, table: MRIOTable,
           measure: str) -> pd.DataFrame:
    lab = table.labels
    parts = []
    if values_ind is not None:
        parts.append(pd.DataFrame({"country": np.repeat(lab.countries, lab.N),
                                   "sector": np.tile(lab.sectors, lab.G),
                                   "measure": measure, "value": values_ind}))
    if values_cty is not None:
        parts.append(pd.DataFrame({"country": list(lab.countries), "sector": TOTAL,
                                   "measure": measure, "value": values_cty}))
    return pd.concat(parts, ignore_index=True)


def _by_country(v: FloatArray, table: MRIOTable) -> FloatArray:
    return sum_by_country(np.asarray(v, dtype=float), table.G, table.N)


def _level_frame(table: MRIOTable, name: str, level: str,
                 cache: dict[tuple[str, str], pd.DataFrame]) -> pd.DataFrame:
    """The catalogue measure ``name`` at ``level`` in ``country, sector, measure, value``."""
    if (name, level) not in cache:
        frame = tidy(MEASURES[name].compute(table, level), year=0)
        cache[(name, level)] = frame[["country", "sector", "measure", "value"]]
    return cache[(name, level)]


def _term(table: MRIOTable, measure: str,
          cache: dict[tuple[str, str], pd.DataFrame]) -> pd.DataFrame:
    name, term, levels = TERMS[measure]
    parts = []
    for level in levels:
        frame = _level_frame(table, name, level, cache)
        sel = frame[frame["measure"] == term]
        if sel.empty:
            raise MeasureError(f"{name} (level {level!r}) has no term {term!r}")
        parts.append(sel.assign(measure=measure))
    if measure in _ADDITIVE:  # exporter-perspective BM terms add up from sector to country
        tot = parts[0].groupby("country", sort=False)["value"].sum()
        parts.append(pd.DataFrame({"country": tot.index.astype(str), "sector": TOTAL,
                                   "measure": measure, "value": tot.to_numpy()}))
    return pd.concat(parts, ignore_index=True)


def _catalogue(table: MRIOTable, name: str,
               cache: dict[tuple[str, str], pd.DataFrame]) -> pd.DataFrame:
    """Every term of catalogue measure ``name`` at its sector and country levels."""
    m = MEASURES[name]
    levels = [lv for lv in LEVELS if lv in m.levels]
    if not levels:
        raise MeasureError(f"measure {name!r} has no sector or country level (levels: "
                           f"{', '.join(m.levels)}); a scenario compares countries and "
                           "sectors")
    parts = [_level_frame(table, name, lv, cache) for lv in levels]
    out = pd.concat(parts, ignore_index=True)
    return out.assign(measure=name + "." + out["measure"])


def measure_frame(table: MRIOTable, measures: Sequence[str],
                  notes: list[str] | None = None) -> pd.DataFrame:
    """Long frame ``country, sector, measure, value`` of ``measures`` on ``table``.

    ``notes`` is kept for callers that collect remarks; every measure ships with
    silkchain, so none is left out.
    """
    cache: dict[tuple[str, str], pd.DataFrame] = {}
    parts = []
    for m in measures:
        if m == "gdp":
            va = value_added(table)
            parts.append(_frame(va, _by_country(va, table), table, m))
        elif m == "gross_output":
            parts.append(_frame(table.x, _by_country(table.x, table), table, m))
        elif m == "gross_exports":
            parts.append(_frame(table.E, _by_country(table.E, table), table, m))
        elif m in TERMS:
            parts.append(_term(table, m, cache))
        elif m in PRICE_MEASURES:
            continue  # prices need the wedges: see price_frame
        elif m in MEASURES:
            parts.append(_catalogue(table, m, cache))
        else:
            raise ValueError(f"unknown measure {m!r}; available: {', '.join(known())}")
    if not parts:
        return pd.DataFrame(columns=["country", "sector", "measure", "value"])
    return pd.concat(parts, ignore_index=True)


def price_frame(table: MRIOTable, wedge: FloatArray | None,
                wedge_fd: FloatArray | None) -> pd.DataFrame:
    """Producer prices and final-demand basket prices under the accumulated cost wedges."""
    v = np.asarray(table.v, dtype=float)
    p = producer_prices(table.A, v, wedge)
    basket = basket_prices(p, table.Y, table.G, wedge_fd)
    lab = table.labels
    return pd.concat([
        pd.DataFrame({"country": np.repeat(lab.countries, lab.N),
                      "sector": np.tile(lab.sectors, lab.G), "measure": "price",
                      "baseline": 1.0, "scenario": p}),
        pd.DataFrame({"country": list(lab.countries), "sector": TOTAL,
                      "measure": "final_demand_price", "baseline": 1.0, "scenario": basket}),
    ], ignore_index=True)


def compare(baseline: MRIOTable, scenario: MRIOTable, measures: Sequence[str] = DEFAULT_MEASURES,
            *, notes: list[str] | None = None) -> pd.DataFrame:
    """The comparison frame ``country, sector, measure, baseline, scenario, delta``.

    When ``scenario`` is ``baseline`` (an empty scenario) the measures are
    computed once and every delta is exactly 0.
    """
    before = measure_frame(baseline, measures, notes)
    after = before if scenario is baseline else measure_frame(scenario, measures, notes)
    keys = ["country", "sector", "measure"]
    merged = before.rename(columns={"value": "baseline"}).merge(
        after.rename(columns={"value": "scenario"}), on=keys, how="left", sort=False,
        validate="one_to_one")
    merged["delta"] = merged["scenario"] - merged["baseline"]
    return merged[COLUMNS]
