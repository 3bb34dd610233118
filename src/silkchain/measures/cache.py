"""The one per-table cache: what measures compute from a table, kept with the table.

A table's own derived arrays (the LU factorisation of ``I - A``, the local inverses) are
cached on the :class:`~silkchain.table.MRIOTable` already; :func:`per_table` keeps what the
measures compute from them (a Borin-Mancini system, a decomposition, the absorption
matrix), so every answer of a report on the same table object shares them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from silkchain.table import MRIOTable

__all__ = ["per_table"]


#: Key of the per-table cache in a table's ``__dict__`` (it lives and dies with the table).
_CACHE_ATTR = "_silkchain_per_table"


def per_table(table: MRIOTable, key: Any, compute: Callable[[], Any]) -> Any:
    """``compute()`` once per ``table`` object and ``key``: the one per-table cache.

    The table's own derived arrays (the LU factorisation, the local inverses) are
    cached on it already; this holds what the measures compute from them, so a
    decomposition asked for by several answers on one table is computed once.
    Results are kept as long as the table object is alive.

    >>> import silkchain
    >>> from silkchain.measures.catalogue import MEASURES
    >>> t = silkchain.read("wiod2013:2011")
    >>> a = MEASURES["bm"].compute(t, "country")
    >>> per_table(t, ("measure", "bm", "[('level', 'country')]"), lambda: None) is not None
    True
    """
    cache = table.__dict__.setdefault(_CACHE_ATTR, {})
    if key not in cache:
        cache[key] = compute()
    return cache[key]
