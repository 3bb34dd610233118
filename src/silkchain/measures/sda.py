"""Structural decomposition of a measure's change between two tables (labelled layer).

:func:`sda` splits the change of a measure built from ``v``, ``B`` and ``Y``
between two tables (two years of a release, or two releases of one year with
the same countries and sectors) into the contributions of value-added
coefficients, technology and sourcing of intermediate inputs (together: the
Leontief inverse), and the level, destination mix and product mix of final
demand. The math is :mod:`silkchain.core.sda`; see ``docs/measures/sda.md``.

Prices: tables are in current prices unless a deflator is given; then the
second table is expressed in the first table's prices first (rows of ``Z`` and
``Y`` divided by the selling industry's price index, value added the residual:
double deflation).

>>> import silkchain
>>> a, b = silkchain.read("wiod2013:2008"), silkchain.read("wiod2013:2009")
>>> f = sda(a, b, "dva_share")
>>> chn = f[f["country"] == "CHN"].set_index("term")["value"]
>>> bool(abs(chn.drop(["start", "end", "change"]).sum() - chn["change"]) < 1e-12)
True
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from silkchain.core import sda as core
from silkchain.errors import LabelMismatchError, MeasureError
from silkchain.table import MRIOTable

__all__ = ["FACTOR_TITLES", "LEVELS", "MEASURES", "deflate", "read_deflator", "sda"]

#: The SDA measures (name -> description); each is also in the measure catalogue as
#: ``sda_<name>``, a measure of two tables
#: (:data:`silkchain.measures.catalogue.MEASURES`).
MEASURES: dict[str, str] = {name: desc for name, (_, _, desc) in core.MEASURES.items()}
#: The levels of each SDA measure, the first the default.
LEVELS: dict[str, tuple[str, ...]] = {name: tuple(levels)
                                      for name, (_, levels, _) in core.MEASURES.items()}
#: Plain-language names of the factors (reports, dashboard).
FACTOR_TITLES: dict[str, str] = {
    "v": "value-added coefficients",
    "B": "input coefficients (Leontief inverse)",
    "technology": "technology (input requirements by product)",
    "sourcing": "sourcing (origin shares of inputs)",
    "level": "final-demand level",
    "destination_mix": "final-demand destination mix",
    "product_mix": "final-demand product mix",
}
PRICES_NOTE = ("current prices: the change includes price changes (pass a deflator to "
               "compare in constant prices)")


def _same_labels(a: MRIOTable, b: MRIOTable) -> None:
    problems = []
    for what in ("countries", "sectors"):
        la, lb = getattr(a.labels, what), getattr(b.labels, what)
        if la != lb:
            only_a = [c for c in la if c not in lb]
            only_b = [c for c in lb if c not in la]
            detail = (f"only in the first: {', '.join(only_a[:10]) or '-'}; only in the "
                      f"second: {', '.join(only_b[:10]) or '-'}") if only_a or only_b else \
                "same codes in another order"
            problems.append(f"{what} differ ({len(la)} vs {len(lb)}; {detail})")
    if problems:
        raise LabelMismatchError(
            "sda needs two tables with the same countries and sectors: " + "; ".join(problems)
            + ". Aggregate both to common regions and sectors first (`silkchain aggregate`), "
            "or compare sources with `silkchain compare`.")


def read_deflator(data: pd.DataFrame | pd.Series | Mapping[str, float] | str,
                  table: MRIOTable) -> np.ndarray:
    """Price index of each industry of ``table`` (``(G*N,)``) from a deflator table.

    ``data`` is a mapping or Series by country, a Series by ``(country, sector)``,
    a frame with columns ``country, deflator`` or ``country, sector, deflator``,
    or the path of such a CSV file. A country row applies to all its sectors; a
    ``(country, sector)`` row overrides it. Every industry needs a positive index;
    missing or non-positive ones are all named in one error.
    """
    if isinstance(data, str):
        data = pd.read_csv(data, dtype={"country": str, "sector": str})
    if isinstance(data, Mapping):
        data = pd.Series(data, dtype=float)
    if isinstance(data, pd.Series):
        frame = data.rename("deflator").reset_index()
        frame.columns = (["country", "deflator"] if frame.shape[1] == 2
                         else ["country", "sector", "deflator"])
    else:
        frame = data.copy()
    if "country" not in frame or "deflator" not in frame:
        raise MeasureError(f"deflator table needs columns country[, sector], deflator; found "
                           f"{', '.join(map(str, frame.columns))}")
    if "sector" not in frame:
        frame["sector"] = ""
    frame["sector"] = frame["sector"].fillna("").astype(str)
    countries, sectors = table.labels.countries, table.labels.sectors
    by_country = {r.country: float(r.deflator) for r in frame.itertuples() if r.sector == ""}
    by_pair = {(r.country, r.sector): float(r.deflator) for r in frame.itertuples()
               if r.sector != ""}
    out = np.full(table.n, np.nan)
    missing, bad = [], []
    for g, c in enumerate(countries):
        for k, s in enumerate(sectors):
            p = by_pair.get((c, s), by_country.get(c, np.nan))
            if np.isnan(p):
                missing.append(f"{c}/{s}")
            elif not p > 0:
                bad.append(f"{c}/{s}: {p:g}")
            out[g * len(sectors) + k] = p
    unknown = sorted({str(c) for c in frame["country"]} - set(countries))
    problems = []
    if missing:
        problems.append(f"no deflator for {len(missing)} industries (first: "
                        f"{', '.join(missing[:8])})")
    if bad:
        problems.append(f"deflators must be positive ({', '.join(bad[:8])})")
    if unknown:
        problems.append(f"countries not in the table: {', '.join(unknown[:8])}")
    if problems:
        raise MeasureError("deflator table: " + "; ".join(problems))
    return out


def deflate(table: MRIOTable, deflator: Any) -> MRIOTable:
    """``table`` in base-year prices: rows of ``Z`` and ``Y`` divided by the seller's index.

    Value added is the residual (double deflation), so it can turn negative where
    input prices rose faster than output prices; the table's own checks then name
    those industries.
    """
    p = read_deflator(deflator, table)
    lab = table.labels
    meta = dict(table.meta)
    meta["price_basis"] = f"deflated to base-year prices ({meta.get('price_basis', '')})"
    return MRIOTable.from_arrays(
        table.Z / p[:, None], table.Y / p[:, None], lab.countries, lab.sectors,
        fd_categories=lab.fd_categories, sector_names=lab.sector_names or None,
        sector_codes=lab.sector_codes or None, meta=meta, rtol=table.rtol,
        rounding=table.rounding)


def _keys(table: MRIOTable, level: str) -> dict[str, list[str]]:
    c, s = list(table.labels.countries), list(table.labels.sectors)
    if level == "country":
        return {"country": c, "sector": ["_T"] * len(c), "partner": ["_T"] * len(c)}
    if level == "sector":
        return {"country": [a for a in c for _ in s], "sector": s * len(c),
                "partner": ["_T"] * len(c) * len(s)}
    return {"country": [a for a in c for _ in c], "sector": ["_T"] * len(c) ** 2,
            "partner": c * len(c)}


def sda(table_a: MRIOTable, table_b: MRIOTable, measure: str = "dva_share", *,
        level: str = "country", method: str = "polar", split_b: bool = True,
        deflator: Any = None) -> pd.DataFrame:
    """Contributions of each factor to the change of ``measure`` from ``table_a`` to ``table_b``.

    Parameters
    ----------
    table_a, table_b : MRIOTable
        Start and end, with the same countries and sectors.
    measure : str
        One of :data:`MEASURES` (``dva``, ``dva_share``, ``fva_share``, ``vax``,
        ``va_destination``, ``participation``).
    level : {"country", "sector", "bilateral"}
        By country; by country and sector (exporting sector; value-added origin
        sector for ``vax`` and ``va_destination``); by country and partner.
    method : {"polar", "shapley"}
        Average of the two polar decompositions (default) or of all orderings.
    split_b : bool
        Split the Leontief inverse into technology and sourcing (default) or keep
        it as one factor ``B``.
    deflator : optional
        Price indices of ``table_b`` relative to ``table_a`` (see
        :func:`read_deflator`); without one both stay in current prices.

    Returns
    -------
    DataFrame
        ``country, sector, partner, term, value`` (``_T`` where a dimension does
        not apply): terms ``start``, ``end``, ``change`` and one per factor; the
        factors add up to ``change`` (to rounding, about 1e-15 relative).
        ``attrs`` hold the method, factors, price basis and measure.

    References
    ----------
    .. [1] Dietzenbacher, E. & Los, B. (1998). Economic Systems Research 10(4): 307-324.
    .. [2] Miller, R. E. & Blair, P. D. (2009). Input-Output Analysis, 2nd ed., ch. 13.
    """
    if measure not in core.MEASURES:
        raise MeasureError(f"unknown SDA measure {measure!r}; valid: {', '.join(MEASURES)}")
    levels = core.MEASURES[measure][1]
    if level not in levels:
        raise MeasureError(f"SDA measure {measure!r} has no level {level!r}; levels: "
                           f"{', '.join(levels)}")
    if method not in core.METHODS:
        raise MeasureError(f"unknown SDA method {method!r}; valid: {', '.join(core.METHODS)}")
    _same_labels(table_a, table_b)
    prices = PRICES_NOTE
    if deflator is not None:
        table_b = deflate(table_b, deflator)
        prices = "constant prices of the first table (second table double-deflated)"
    G, N = table_a.G, table_a.N
    factors, contrib, m0, m1 = core.sda_tables(
        measure, level, (table_a.A, table_a.v, table_a.Yc),
        (table_b.A, table_b.v, table_b.Yc), G, N, method=method, split_b=split_b)
    keys = _keys(table_a, level)
    terms = ["start", "end", "change", *factors]
    values = np.vstack([m0, m1, m1 - m0, contrib])
    frame = pd.DataFrame({k: np.tile(np.asarray(v, dtype=object), len(terms))
                          for k, v in keys.items()})
    frame["term"] = np.repeat(terms, len(m0))
    frame["value"] = values.ravel()
    if level == "bilateral" and measure not in ("va_destination",):
        frame = frame[frame["country"] != frame["partner"]]
    frame = frame.sort_values(["country", "sector", "partner"], kind="stable")
    frame = frame.reset_index(drop=True)
    frame.attrs.update(measure=measure, level=level, method=method, factors=list(factors),
                       prices=prices, start=_name(table_a), end=_name(table_b))
    return frame


def _name(table: MRIOTable) -> str:
    return str(table.meta.get("dataset") or table.meta.get("year") or "table")
