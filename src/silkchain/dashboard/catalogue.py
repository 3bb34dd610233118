"""The country-level measures the dashboard offers: a view of the measure catalogue.

Every measure of :data:`silkchain.measures.catalogue.MEASURES` that has a
country level with one country column is offered, with its terms as the
variables, its unit and its citation; a measure registered in the catalogue
appears here with no other edit. Table totals come first (the page opens on
them).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

import pandas as pd

from silkchain.measures import catalogue
from silkchain.table import MRIOTable

#: The measure the page opens on.
FIRST = "totals"
_COUNTRY_COLUMNS = (("country",), ("exporter",))


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
    units: tuple[tuple[str, str], ...] = ()

    def unit_of(self, variable: str) -> str:
        """Unit of one variable (the catalogue's per-term unit)."""
        return dict(self.units).get(variable, self.unit)

    def call(self) -> Callable[[MRIOTable], pd.DataFrame]:
        """The catalogue function with its options and the country level bound."""
        return catalogue.MEASURES[self.name].bound("country")

    def availability(self) -> str | None:
        """``None``: every catalogue measure ships with silkchain."""
        return None


def _view(m: catalogue.Measure) -> Measure:
    kwargs = m.keywords("country")
    variables = (m.variable, *(t for t in m.terms if t != m.variable))
    return Measure(m.name, m.title, m.function.__module__, m.function.__name__,
                   tuple(kwargs.items()), variables, m.variable, m.unit,
                   f"{m.citation} (METHODS.md {m.methods_section})",
                   tuple((t, m.unit_of(t)) for t in m.terms))


def offered(m: catalogue.Measure) -> bool:
    """Whether the dashboard offers ``m`` among the measures of one table: a country level
    with one country column (the SDA measures, of two tables, have their own panel)."""
    return (m.tables == 1 and "country" in m.levels
            and tuple(m.columns["country"]) in _COUNTRY_COLUMNS)


class _Offered(Mapping[str, Measure]):
    """The offered measures, read from the catalogue each time (registrations show up)."""

    def _items(self) -> dict[str, Measure]:
        chosen = {n: _view(m) for n, m in catalogue.MEASURES.items() if offered(m)}
        first = {FIRST: chosen.pop(FIRST)} if FIRST in chosen else {}
        return {**first, **chosen}

    def __getitem__(self, key: str) -> Measure:
        return self._items()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items())

    def __len__(self) -> int:
        return len(self._items())


#: Measure name -> :class:`Measure`, totals first, then in catalogue order.
MEASURES: Mapping[str, Measure] = _Offered()


def available() -> dict[str, str | None]:
    """Measure name -> ``None`` if usable, else the reason it is not."""
    return {name: m.availability() for name, m in MEASURES.items()}


_COUNTRY_COLS = ("country", "exporter")
_VARIABLE_COLS = ("measure", "term", "indicator")


def country_level(frame: pd.DataFrame) -> pd.DataFrame:
    """Normalise a measure frame to columns ``country, measure, value`` (country level).

    Frames with a ``sector`` or ``partner``/``importer`` column are rejected: the
    catalogue is asked for the country level.

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


def names() -> tuple[str, ...]:
    """Every measure name, in the dashboard's order."""
    return tuple(MEASURES)
