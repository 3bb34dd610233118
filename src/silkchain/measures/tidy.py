"""Tidy long frames from labelled ndarrays, and back to wide.

>>> import numpy as np
>>> f = to_long(np.array([[1.0, 2.0], [3.0, 4.0]]),
...             {"exporter": ["A", "B"], "term": ["DVA", "FVA"]})
>>> f
  exporter term  value
0        A  DVA    1.0
1        A  FVA    2.0
2        B  DVA    3.0
3        B  FVA    4.0
>>> pivot_wide(f)
term      DVA  FVA
exporter
A         1.0  2.0
B         3.0  4.0
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd


def to_long(
    values: np.ndarray,
    dims: Mapping[str, Sequence[str]],
    value_name: str = "value",
    drop_mask: np.ndarray | None = None,
) -> pd.DataFrame:
    """Flatten ``values`` (one axis per entry of ``dims``, in order) to a long frame.

    Parameters
    ----------
    values : ndarray
        Array whose shape equals ``tuple(len(v) for v in dims.values())``.
    dims : mapping
        Column name -> labels of that axis, in axis order (C order: last fastest).
    drop_mask : bool ndarray, optional
        Cells to leave out (for example own-country "exports").
    """
    shape = tuple(len(v) for v in dims.values())
    values = np.asarray(values, dtype=float)
    if values.shape != shape:
        raise ValueError(f"values have shape {values.shape}, dims imply {shape}")
    grids = np.meshgrid(*[np.arange(s) for s in shape], indexing="ij")
    data: dict[str, object] = {}
    keep = None if drop_mask is None else ~np.asarray(drop_mask, dtype=bool).ravel()
    for (name, labels), grid in zip(dims.items(), grids, strict=True):
        codes = grid.ravel() if keep is None else grid.ravel()[keep]
        data[name] = pd.Categorical.from_codes(codes, categories=pd.Index(list(labels)))
    flat = values.ravel()
    data[value_name] = flat if keep is None else flat[keep]
    frame = pd.DataFrame(data)
    for name in dims:  # plain strings for users; categories kept the order above
        frame[name] = frame[name].astype(str)
    return frame


def pivot_wide(frame: pd.DataFrame, column: str | None = None,
               value_name: str = "value") -> pd.DataFrame:
    """Pivot a tidy frame wide: one column per ``term`` (or ``measure``), order kept."""
    if column is None:
        column = "term" if "term" in frame.columns else "measure"
    index = [c for c in frame.columns if c not in (column, value_name)]
    order = list(dict.fromkeys(frame[column]))
    wide = frame.pivot_table(index=index, columns=column, values=value_name, sort=False,
                             aggfunc="first")
    return wide[order]
