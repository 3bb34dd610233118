"""Every GVC measure before and after a scenario, as one long frame.

Columns ``country, sector, measure, baseline, scenario, delta``; ``sector`` is
``TOTAL`` for country values. The measures come from the measure modules
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
  price of each country's final-demand basket, base 1, Miller & Blair (2009), §2.6.

After an extraction, ``gdp`` excludes the inputs the removed links used to
deliver (the ``extracted_inputs`` row), as in Los, Timmer & de Vries (2016);
measures computed from the residual value added count them as value added.
"""

from __future__ import annotations

import importlib
import warnings
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from silkchain.core.blocks import FloatArray, sum_by_country
from silkchain.core.prices import basket_prices, producer_prices
from silkchain.scenarios.operations import value_added
from silkchain.table import MRIOTable

TOTAL = "TOTAL"
COLUMNS = ["country", "sector", "measure", "baseline", "scenario", "delta"]
DEFAULT_MEASURES = ("gdp", "gross_output", "gross_exports", "dva_exports", "gvc_forward",
                    "gvc_backward", "koopman_participation", "koopman_position",
                    "gvc_position")
PRICE_MEASURES = ("price", "final_demand_price")

#: measure -> (module, function, kwargs by level, name in that frame); levels "sector", "country".
_EXTERNAL: dict[str, tuple[str, str, dict[str, dict[str, str]], str]] = {
    "dva_exports": ("silkchain.measures.borin_mancini", "bm", {"sector": {"level": "sector"}},
                    "DVA"),
    "gvc_forward": ("silkchain.measures.participation", "wwyz",
                    {"sector": {"level": "sector"}, "country": {"level": "country"}}, "forward"),
    "gvc_backward": ("silkchain.measures.participation", "wwyz",
                     {"sector": {"level": "sector"}, "country": {"level": "country"}},
                     "backward"),
    "koopman_participation": ("silkchain.measures.participation", "koopman",
                              {"country": {"level": "country"}}, "participation"),
    "koopman_position": ("silkchain.measures.participation", "koopman",
                         {"country": {"level": "country"}}, "position"),
    "gvc_position": ("silkchain.measures.positioning", "production_length",
                     {"sector": {"level": "sector"}, "country": {"level": "country"}},
                     "GVC_position"),
}
KNOWN = (*DEFAULT_MEASURES, *PRICE_MEASURES)
#: Measures whose country value is the sum of the sector values (Borin & Mancini 2019:
#: the exporter perspective is additive, METHODS.md §6).
_ADDITIVE = ("dva_exports",)


class MeasureUnavailable(RuntimeError):
    """A measure's module is not installed in this build."""


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


def _external(table: MRIOTable, measure: str,
              cache: dict[tuple[str, str, str], pd.DataFrame]) -> pd.DataFrame:
    module, fn_name, levels, name = _EXTERNAL[measure]
    try:
        fn: Callable[..., pd.DataFrame] = getattr(importlib.import_module(module), fn_name)
    except (ModuleNotFoundError, AttributeError) as err:
        raise MeasureUnavailable(f"{measure} needs {module}.{fn_name}, which is not "
                                 f"available ({err})") from None
    parts = []
    for level, kwargs in levels.items():
        key = (module, fn_name, level)
        if key not in cache:
            cache[key] = fn(table, **kwargs)
        frame = cache[key].rename(columns={"exporter": "country", "term": "measure"})
        sel = frame[frame["measure"] == name]
        if sel.empty:
            raise MeasureUnavailable(f"{module}.{fn_name}(level={level!r}) has no measure "
                                     f"{name!r}")
        out = pd.DataFrame({"country": sel["country"].astype(str).to_numpy(),
                            "sector": (sel["sector"].astype(str).to_numpy()
                                       if level == "sector" else TOTAL),
                            "measure": measure, "value": sel["value"].to_numpy(dtype=float)})
        parts.append(out)
    if measure in _ADDITIVE:  # exporter-perspective BM terms add up from sector to country
        sec = parts[0]
        tot = sec.groupby("country", sort=False)["value"].sum()
        parts.append(pd.DataFrame({"country": tot.index.astype(str), "sector": TOTAL,
                                   "measure": measure, "value": tot.to_numpy()}))
    return pd.concat(parts, ignore_index=True)


def measure_frame(table: MRIOTable, measures: Sequence[str],
                  notes: list[str] | None = None) -> pd.DataFrame:
    """Long frame ``country, sector, measure, value`` of ``measures`` on ``table``.

    Measures whose module is missing are left out with a note (and a warning).
    """
    cache: dict[tuple[str, str, str], pd.DataFrame] = {}
    parts = []
    for m in measures:
        if m == "gdp":
            va = value_added(table)
            parts.append(_frame(va, _by_country(va, table), table, m))
        elif m == "gross_output":
            parts.append(_frame(table.x, _by_country(table.x, table), table, m))
        elif m == "gross_exports":
            parts.append(_frame(table.E, _by_country(table.E, table), table, m))
        elif m in _EXTERNAL:
            try:
                parts.append(_external(table, m, cache))
            except MeasureUnavailable as err:
                if notes is not None and str(err) not in notes:
                    notes.append(str(err))
                    warnings.warn(str(err), RuntimeWarning, stacklevel=2)
        elif m in PRICE_MEASURES:
            continue  # prices need the wedges: see price_frame
        else:
            raise ValueError(f"unknown measure {m!r}; available: {', '.join(KNOWN)}")
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
