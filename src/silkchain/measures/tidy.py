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

    Built by integer arithmetic on the flat index, so that WWZ- and BM-sized
    results (around a million rows) take a fraction of a second.

    Parameters
    ----------
    values : ndarray
        Array whose shape equals ``tuple(len(v) for v in dims.values())``.
    dims : mapping
        Column name -> labels of that axis, in axis order (C order: last fastest).
    drop_mask : bool ndarray, optional
        Cells to leave out (for example own-country "exports"); broadcast to
        ``values.shape``.
    """
    values = np.asarray(values, dtype=float)
    shape = values.shape
    expected = tuple(len(v) for v in dims.values())
    if shape != expected:
        raise ValueError(f"values have shape {shape}, dims imply {expected}")
    flat = np.arange(values.size) if drop_mask is None else np.flatnonzero(
        ~np.broadcast_to(np.asarray(drop_mask, dtype=bool), shape).ravel())
    data: dict[str, np.ndarray] = {}
    inner = values.size
    for ax, (name, labels) in enumerate(dims.items()):
        inner //= max(shape[ax], 1)
        lab = np.empty(len(labels), dtype=object)
        lab[:] = [str(s) for s in labels]
        data[name] = lab[(flat // max(inner, 1)) % max(shape[ax], 1)]
    data[value_name] = values.ravel()[flat]
    return pd.DataFrame(data, copy=False)


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
