"""The country-level measures the dashboard offers, each a call into the public API.

Every entry names a function of silkchain's measures modules (or of
:class:`~silkchain.table.MRIOTable`), the variables it returns and the paper it
implements. Entries whose module is not installed are listed as unavailable, with
the reason, rather than hidden.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from silkchain.table import MRIOTable


@dataclass(frozen=True)
class Measure:
    """A family of country-level measures computed by one API call on one table."""

    name: str
    title: str
    module: str
    function: str
    kwargs: tuple[tuple[str, object], ...]
    variables: tuple[str, ...]
    default: str
    unit: str
    citation: str

    def call(self) -> Callable[[MRIOTable], pd.DataFrame]:
        """The API function with its arguments bound (raises ImportError if absent)."""
        if self.module == "silkchain.table":
            return _table_totals
        mod = importlib.import_module(self.module)
        fn = getattr(mod, self.function)
        kwargs = dict(self.kwargs)
        return lambda table: fn(table, **kwargs)

    def availability(self) -> str | None:
        """``None`` when usable, otherwise why not."""
        if self.module == "silkchain.table":
            return None
        try:
            mod = importlib.import_module(self.module)
        except ImportError as err:
            return f"module {self.module} is not available ({err})"
        if not hasattr(mod, self.function):
            return f"{self.module}.{self.function} is not available"
        return None


def _table_totals(table: MRIOTable) -> pd.DataFrame:
    """Gross exports, gross output and value added by country (table attributes)."""
    G, N = table.G, table.N
    rows = {
        "gross_exports": table.E.reshape(G, N).sum(1),
        "gross_output": table.x.reshape(G, N).sum(1),
        "value_added": table.va.reshape(G, N).sum(1),
    }
    frames = [pd.DataFrame({"country": list(table.labels.countries), "measure": k,
                            "value": np.asarray(v, dtype=float)}) for k, v in rows.items()]
    return pd.concat(frames, ignore_index=True)


BM_TERMS = ("GEXP", "DC", "DVA", "VAX", "DAVAX", "REX", "REF", "DDC", "FC", "FVA", "FDC",
            "PDC", "GVC", "GVCB", "GVCF")

MEASURES: dict[str, Measure] = {m.name: m for m in (
    Measure("totals", "Gross exports, output and value added", "silkchain.table",
            "MRIOTable", (), ("gross_exports", "gross_output", "value_added"),
            "gross_exports", "US$ million",
            "Table totals; value added is the residual x − u'Z (METHODS.md §1)."),
    Measure("koopman", "GVC participation and position (Koopman et al.)",
            "silkchain.measures.participation", "koopman", (("level", "country"),),
            ("participation", "position", "IV", "FV", "E"), "participation",
            "share of gross exports / log index",
            "Koopman, Powers, Wang & Wei (2010), NBER WP 16426 (METHODS.md §8)."),
    Measure("wwyz", "Production-based participation (Wang, Wei, Yu & Zhu)",
            "silkchain.measures.participation", "wwyz", (("level", "country"),),
            ("forward", "backward", "forward_simple", "forward_complex", "backward_simple",
             "backward_complex"), "forward", "share",
            "Wang, Wei, Yu & Zhu (2017a), NBER WP 23222 (METHODS.md §9)."),
    Measure("bm", "Gross-export accounting (Borin & Mancini)",
            "silkchain.measures.borin_mancini", "bm", (("level", "country"),),
            BM_TERMS, "DVA", "US$ million",
            "Borin & Mancini (2019), WB PRWP 8804; (2023) Economic Systems Research "
            "35(4):586–613 (METHODS.md §6)."),
    Measure("production_length", "Production length and GVC position (WWYZ)",
            "silkchain.measures.positioning", "production_length", (("level", "country"),),
            ("GVC_position", "PLv", "PLy", "PLv_GVC", "PLy_GVC"), "GVC_position",
            "stages / ratio",
            "Wang, Wei, Yu & Zhu (2017b), NBER WP 23261 (METHODS.md §10)."),
)}


def available() -> dict[str, str | None]:
    """Measure name -> ``None`` if usable, else the reason it is not."""
    return {name: m.availability() for name, m in MEASURES.items()}


_COUNTRY_COLS = ("country", "exporter")
_VARIABLE_COLS = ("measure", "term", "indicator")


def country_level(frame: pd.DataFrame) -> pd.DataFrame:
    """Normalise a measure frame to columns ``country, measure, value`` (country level).

    Frames with a ``sector`` or ``partner``/``importer`` column are summed only if
    they are additive levels; the catalogue asks for country level, so such columns
    should not appear and are rejected.

    >>> country_level(pd.DataFrame({"exporter": ["A"], "term": ["DVA"], "value": [1.0]}))
      country measure  value
    0       A     DVA    1.0
    """
    ccol = next((c for c in _COUNTRY_COLS if c in frame.columns), None)
    vcol = next((c for c in _VARIABLE_COLS if c in frame.columns), None)
    extra = [c for c in ("sector", "partner", "importer") if c in frame.columns]
    if ccol is None or vcol is None or "value" not in frame.columns or extra:
        raise ValueError(f"expected a country-level frame with country/exporter, measure/term "
                         f"and value columns; found {list(frame.columns)}")
    out = frame[[ccol, vcol, "value"]].rename(columns={ccol: "country", vcol: "measure"})
    return out.reset_index(drop=True)


@lru_cache(maxsize=1)
def names() -> tuple[str, ...]:
    """Every measure name, in catalogue order."""
    return tuple(MEASURES)
