"""Revealed comparative advantage as a tidy frame: gross (Balassa) and value-added (KWW NRCA).

>>> import silkchain
>>> t = silkchain.read("wiod2013:2011")
>>> r = rca(t, basis="value_added")
>>> round(float(r.query("country == 'CHN' and sector == 'c4'").value.iloc[0]), 3)
3.013
"""

from __future__ import annotations

from typing import Literal

import pandas as pd

from silkchain.core.rca import balassa, dva_by_origin_sector
from silkchain.measures.participation import check_choice
from silkchain.measures.tidy import to_long
from silkchain.table import MRIOTable

__all__ = ["rca"]


def rca(table: MRIOTable, basis: Literal["gross", "value_added"] = "gross") -> pd.DataFrame:
    """Revealed comparative advantage of every country in every sector.

    ``RCA_si = (X_si / X_s) / (X_wi / X_w)`` where ``X`` is

    * ``basis="gross"``: gross exports by exporting sector (Balassa 1965);
      measure ``RCA``;
    * ``basis="value_added"``: domestic value added in gross exports by
      sector of *origin*, ``v_i (L_ss E_s*)_i`` (direct and indirect through
      other domestic sectors' exports, without foreign value added or double
      counting; summing to KWW T1-T5 per country), the "new RCA" of Koopman,
      Wang & Wei (2014, §V); measure ``NRCA``.

    Values above 1 reveal a comparative advantage. NaN where the country
    exports nothing or no country exports the sector.

    Parameters
    ----------
    table : MRIOTable
        The table.
    basis : {"gross", "value_added"}
        Which exports to measure.

    Returns
    -------
    DataFrame
        ``country, sector, measure, value``.

    References
    ----------
    .. [1] Balassa (1965), The Manchester School 33(2): 99-123.
    .. [2] Koopman, Wang & Wei (2014), AER 104(2): 459-494, §V.
    """
    check_choice("basis", basis, ("gross", "value_added"))
    if basis == "gross":
        X, name = table.E, "RCA"
    else:
        X, name = dva_by_origin_sector(table.v, table.E, table.L_blocks), "NRCA"
    R = balassa(X.reshape(table.G, table.N))
    frame = to_long(R[..., None], {"country": list(table.labels.countries),
                                   "sector": list(table.labels.sectors), "measure": [name]})
    frame.attrs["basis"] = basis
    return frame
