"""A read-only view of a registry, shared by the measure and the answer catalogues.

>>> entries = {"a": 1}
>>> view = Registry("THINGS", entries)
>>> entries["b"] = 2  # the owner registers; the view follows
>>> view
THINGS(a, b)
>>> dict(view)
{'a': 1, 'b': 2}
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TypeVar

T = TypeVar("T")


class Registry(Mapping[str, T]):
    """Read-only view of a registry dict (its module's ``register`` is the only way in)."""

    def __init__(self, label: str, entries: dict[str, T]) -> None:
        self._label = label
        self._entries = entries

    def __getitem__(self, key: str) -> T:
        return self._entries[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def __repr__(self) -> str:
        return f"{self._label}({', '.join(self._entries)})"
