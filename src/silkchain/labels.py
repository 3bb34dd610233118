"""Labels of an inter-country input-output table and pandas index builders.

Labels are compared for **equality**, never aligned: two tables with the same
countries in a different order are different tables.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import pandas as pd


def _tuple(values: Iterable[object] | None) -> tuple[str, ...]:
    return tuple(str(v) for v in values) if values is not None else ()


@dataclass(frozen=True)
class Labels:
    """Names of the table's axes.

    Parameters
    ----------
    countries : sequence of str, length G
        Country (region) codes in table order, e.g. ISO3 ``"CHN"``; ``"RoW"`` for
        the rest of the world.
    sectors : sequence of str, length N
        Short sector codes in table order (``"c1"`` .. ``"c35"`` for WIOD 2013).
    fd_categories : sequence of str, length K
        Final-demand categories per destination country (``"CONS_h"``, ...).
    va_rows : sequence of str, length M
        Names of the value-added rows.
    sector_names : sequence of str, length N, optional
        Long sector names; defaults to the codes.
    sector_codes : sequence of str, length N, optional
        Codes in a standard classification (ISIC rev.3 ``"15t16"`` for WIOD 2013).
    """

    countries: tuple[str, ...]
    sectors: tuple[str, ...]
    fd_categories: tuple[str, ...] = ("FD",)
    va_rows: tuple[str, ...] = ("VA",)
    sector_names: tuple[str, ...] = field(default=())
    sector_codes: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        for name in ("countries", "sectors", "fd_categories", "va_rows", "sector_names",
                     "sector_codes"):
            object.__setattr__(self, name, _tuple(getattr(self, name)))
        if not self.sector_names:
            object.__setattr__(self, "sector_names", self.sectors)

    @classmethod
    def build(
        cls,
        countries: Sequence[object],
        sectors: Sequence[object],
        fd_categories: Sequence[object] | None = None,
        va_rows: Sequence[object] | None = None,
        sector_names: Sequence[object] | None = None,
        sector_codes: Sequence[object] | None = None,
    ) -> Labels:
        """Build labels from any sequences (numpy string arrays included)."""
        return cls(
            countries=_tuple(countries),
            sectors=_tuple(sectors),
            fd_categories=_tuple(fd_categories) or ("FD",),
            va_rows=_tuple(va_rows) or ("VA",),
            sector_names=_tuple(sector_names),
            sector_codes=_tuple(sector_codes),
        )

    @property
    def G(self) -> int:
        """Number of countries."""
        return len(self.countries)

    @property
    def N(self) -> int:
        """Number of sectors."""
        return len(self.sectors)

    @property
    def K(self) -> int:
        """Number of final-demand categories per country."""
        return len(self.fd_categories)

    def problems(self) -> list[str]:
        """Label problems: empty, duplicated or mis-sized labels (all of them)."""
        out: list[str] = []
        for name in ("countries", "sectors", "fd_categories", "va_rows"):
            values = getattr(self, name)
            if not values:
                out.append(f"labels: {name} is empty")
            dups = sorted(v for v, c in Counter(values).items() if c > 1)
            if dups:
                out.append(f"labels: duplicated {name}: {', '.join(dups)}")
            blanks = [i for i, v in enumerate(values) if not v.strip()]
            if blanks:
                out.append(f"labels: blank {name} at position(s) {blanks}")
        for name in ("sector_names", "sector_codes"):
            values = getattr(self, name)
            if values and len(values) != self.N:
                out.append(
                    f"labels: {name} has {len(values)} entries, expected one per sector "
                    f"(N = {self.N})"
                )
        return out

    def industries(self) -> list[str]:
        """``"country/sector"`` label of each of the ``G*N`` industries."""
        return [f"{c}/{s}" for c in self.countries for s in self.sectors]

    def industry_index(self) -> pd.MultiIndex:
        """``MultiIndex`` (country, sector) over the ``G*N`` industries."""
        return pd.MultiIndex.from_product(
            [list(self.countries), list(self.sectors)], names=["country", "sector"]
        )

    def final_demand_index(self) -> pd.MultiIndex:
        """``MultiIndex`` (country, category) over the ``G*K`` final-demand columns."""
        return pd.MultiIndex.from_product(
            [list(self.countries), list(self.fd_categories)], names=["country", "category"]
        )

    def country_position(self, code: str) -> int:
        """Position of country ``code``; a clear error listing the choices if absent."""
        try:
            return self.countries.index(code)
        except ValueError:
            raise KeyError(
                f"unknown country {code!r}; the table has: {', '.join(self.countries)}"
            ) from None

    def sector_position(self, code: str) -> int:
        """Position of sector ``code`` (short code, classification code or name)."""
        for values in (self.sectors, self.sector_codes, self.sector_names):
            if code in values:
                return values.index(code)
        raise KeyError(f"unknown sector {code!r}; the table has: {', '.join(self.sectors)}")
