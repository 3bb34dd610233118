"""silkchain: where countries stand in global value chains, and what would move them.

The public API::

    import silkchain as sc
    t = sc.read("wiod2013:2011")        # bundled WIOD 2013 release, or any path
    t.B, t.va, t.E                      # Leontief inverse, value added, gross exports
    sc.datasets()                       # what can be read by id
"""

from __future__ import annotations

from silkchain.errors import (
    BalanceError,
    DatasetNotFoundError,
    IOTableError,
    LabelMismatchError,
    MeasureError,
    ParserError,
    ShapeError,
    SilkchainError,
    SingularSystemError,
    TableValidationError,
    ValueProblemError,
)
from silkchain.io.pymrio import from_pymrio
from silkchain.io.registry import datasets, read, read_panel, write
from silkchain.labels import Labels
from silkchain.table import MRIOTable

__version__ = "0.1.0"

__all__ = [
    "BalanceError",
    "DatasetNotFoundError",
    "IOTableError",
    "LabelMismatchError",
    "Labels",
    "MRIOTable",
    "MeasureError",
    "ParserError",
    "ShapeError",
    "SilkchainError",
    "SingularSystemError",
    "TableValidationError",
    "ValueProblemError",
    "__version__",
    "datasets",
    "from_pymrio",
    "read",
    "read_panel",
    "write",
]
