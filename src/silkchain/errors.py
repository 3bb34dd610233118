"""Every exception silkchain raises on purpose lives here.

The hierarchy lets callers catch broadly (``SilkchainError``) or precisely
(``BalanceError``). Messages name the location (file, row, column, country,
sector), what was found and what was expected, and list every problem at once.
"""

from __future__ import annotations

from collections.abc import Sequence


class SilkchainError(Exception):
    """Base class of all silkchain errors."""


class IOTableError(SilkchainError, ValueError):
    """An input-output table violates one of the model's invariants.

    ``problems`` holds one line per problem found, so that callers (the CLI's
    ``validate`` command, the dashboard) can show all of them.
    """

    def __init__(self, message: str, problems: Sequence[str] | None = None) -> None:
        super().__init__(message)
        self.problems: list[str] = list(problems) if problems is not None else [message]


class ShapeError(IOTableError):
    """Arrays do not have the shapes implied by G countries and N sectors."""


class ValueProblemError(IOTableError):
    """Arrays hold NaN, inf or negative values where none are allowed."""


class BalanceError(IOTableError):
    """Row totals, column totals and gross output disagree beyond tolerance."""


class LabelMismatchError(IOTableError):
    """Labels are missing, duplicated or do not match the arrays."""


class SingularSystemError(IOTableError):
    """``I - A`` is singular or the Leontief inverse is not non-negative."""


class TableValidationError(IOTableError):
    """Several kinds of problem at once; ``problems`` lists every one."""


class ParserError(SilkchainError, ValueError):
    """A source file could not be read as the layout it claims to be."""


class DatasetNotFoundError(SilkchainError, LookupError):
    """A dataset id or path names nothing that silkchain can read."""


class MeasureError(SilkchainError, ValueError):
    """A measure was asked for with arguments it cannot honour."""


class UnresolvedSectorError(SilkchainError, LookupError):
    """A broad sector cannot be resolved to a table's sectors (names source and broad code)."""


class StoreError(SilkchainError, OSError):
    """The local store cannot be read or written as it is (names the file and the repair)."""


class StoreBusyError(StoreError):
    """Another process kept the local store locked for longer than the timeout."""


def format_problems(header: str, problems: Sequence[str], limit: int = 50) -> str:
    """Join ``problems`` under ``header``, one per line, cutting very long lists.

    >>> print(format_problems("table is invalid (2 problems):", ["a", "b"]))
    table is invalid (2 problems):
      - a
      - b
    """
    shown = [f"  - {p}" for p in problems[:limit]]
    if len(problems) > limit:
        shown.append(f"  ... and {len(problems) - limit} more")
    return "\n".join([header, *shown])
