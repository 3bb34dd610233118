"""Table totals by country or industry: gross exports, gross output and value added.

>>> import silkchain
>>> f = totals(silkchain.read("wiod2013:2011"))
>>> f.query("country == 'CHN'").round(0)
   country        measure       value
18     CHN  gross_exports   2084965.0
19     CHN   gross_output  22269801.0
20     CHN    value_added   7387122.0
"""

from __future__ import annotations

from typing import Literal

import pandas as pd

from silkchain.measures.participation import by_country, check_choice, level_frame
from silkchain.table import MRIOTable

__all__ = ["TERMS", "totals"]

#: The terms of :func:`totals`, in order.
TERMS = ("gross_exports", "gross_output", "value_added")


def totals(table: MRIOTable,
           level: Literal["country", "sector"] = "country") -> pd.DataFrame:
    """Gross exports ``E``, gross output ``x`` and value added ``x - u'Z`` (METHODS.md §1).

    Parameters
    ----------
    table : MRIOTable
    level : {"country", "sector"}
        Sums by country, or every industry.

    Returns
    -------
    DataFrame
        ``country[, sector], measure, value`` in the table's units.
    """
    check_choice("level", level, ("country", "sector"))
    values = {"gross_exports": table.E, "gross_output": table.x, "value_added": table.va}
    if level == "country":
        values = {k: by_country(v, table) for k, v in values.items()}
    return level_frame(values, table, level)
