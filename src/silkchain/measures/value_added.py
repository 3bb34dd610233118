"""Value-added decompositions as tidy frames (Leontief, VAX, KWW, WWZ).

Labelled wrappers over :mod:`silkchain.core.decompositions`:

* :func:`leontief` — value-added shares ``VB`` and the Leontief decompositions
  ``VB diag(E)``, ``VB diag(x)``, ``V B Y`` (METHODS.md §2);
* :func:`vax` — Johnson & Noguera (2012) value-added exports and VAX ratios (§3);
* :func:`kww` — Koopman, Wang & Wei (2014), nine terms per exporting country (§4);
* :func:`wwz` — Wang, Wei & Zhu (2013), sixteen terms per exporting sector and
  importer (§5);

The dispatcher :func:`silkchain.measures.decompose.decompose` reaches these and
Borin & Mancini through the measure catalogue
(:mod:`silkchain.measures.catalogue`); they are re-exported there under their
historical path ``silkchain.measures.decompose``.

Frames are long, with the columns the level has, in this order:

==============  ===========================================================
method, level   columns
==============  ===========================================================
kww             ``exporter, term, value``
wwz             ``exporter, sector, importer, term, value`` (own-country
                cells left out); ``level="sector"`` sums over importers,
                ``"country"`` over sectors and importers
vax country     ``exporter, term, value``
vax bilateral   ``exporter, importer, term, value`` (``importer != exporter``)
vax sector      ``exporter, sector, term, value`` (sector of value-added origin)
leontief        ``source_country, source_sector, country, sector, term, value``
                (``sector`` level; ``country`` level drops the two sector
                columns; ``post="final_demand"`` has no using ``sector``:
                ``country`` is the country of final demand)
==============  ===========================================================

Country labels are the table's codes, sector labels its short sector codes.
Term names follow METHODS.md: decompr's names for KWW and WWZ.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

import numpy as np
import pandas as pd

from silkchain.core import decompositions as cd
from silkchain.core.blocks import diag_blocks
from silkchain.errors import MeasureError
from silkchain.measures.tidy import to_long
from silkchain.table import MRIOTable

__all__ = ["VAX_LEVELS", "WWZ_LEVELS", "kww", "leontief", "vax", "wwz"]

Post = Literal["shares", "exports", "output", "final_demand"]

#: Levels of :func:`vax` and :func:`wwz`.
VAX_LEVELS = ("country", "bilateral", "sector")
WWZ_LEVELS = ("country", "sector", "bilateral")

_POST_TERM = {"shares": "VB", "exports": "VBE", "output": "VBX", "final_demand": "VBY"}
VAX_TERMS = ("VAX", "GEXP", "VAX_ratio")


# ---------------------------------------------------------------------------- frames
def _long(values: np.ndarray, dims: Mapping[str, Sequence[str]],
          drop_mask: np.ndarray | None = None) -> pd.DataFrame:
    """A long frame from ``values`` (see :func:`silkchain.measures.tidy.to_long`)."""
    return to_long(values, dims, drop_mask=drop_mask)


def _countries(table: MRIOTable) -> list[str]:
    return list(table.labels.countries)


def _sectors(table: MRIOTable) -> list[str]:
    return list(table.labels.sectors)


def _diag_B(table: MRIOTable) -> np.ndarray:
    """Diagonal blocks of ``B``: from the table's explicit inverse if it already exists."""
    if "B" in table.__dict__:  # formed already (e.g. by the productivity check)
        return diag_blocks(table.B, table.G, table.N)
    return cd.leontief_diagonal_blocks(table.solver, table.G, table.N)


def _args(table: MRIOTable) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, int, int]:
    return table.A, table.Yc, table.v, table.x, table.G, table.N


# ---------------------------------------------------------------------------- measures
def leontief(table: MRIOTable, post: Post = "exports",
             level: Literal["sector", "country"] = "sector") -> pd.DataFrame:
    """Leontief value-added decomposition of exports, output or final demand.

    Parameters
    ----------
    table : MRIOTable
    post : {"exports", "output", "final_demand", "shares"}
        What is decomposed by value-added origin: ``VB diag(E)`` (term ``VBE``,
        decompr's ``leontief(post="exports")``), ``VB diag(x)`` (``VBX``),
        ``V B Y`` (``VBY``, by country of final demand) or the shares ``VB``
        themselves (``VB``).
    level : {"sector", "country"}
        ``"sector"``: every origin industry x using industry (``n^2`` rows,
        ``n*G`` for final demand); ``"country"``: summed to origin country x
        using country (for ``VBE`` the diagonal is the domestic content of
        exports and the off-diagonal column sums the foreign content, HIY's
        vertical specialisation). ``"shares"`` is sector level only.

    Returns
    -------
    DataFrame
        ``source_country, source_sector, country, sector, term, value`` (see
        the module docstring for the columns each variant has).

    References
    ----------
    .. [1] Leontief, W. (1936). *Review of Economics and Statistics* 18(3): 105-125.
    .. [2] Hummels, Ishii & Yi (2001), *Journal of International Economics* 54(1).
    .. [3] Koopman, Wang & Wei (2014), *American Economic Review* 104(2), eq. (6).

    Examples
    --------
    >>> import silkchain
    >>> t = silkchain.read("wiod2013:2011")
    >>> f = leontief(t, post="exports", level="country")
    >>> f.columns.tolist()
    ['source_country', 'country', 'term', 'value']
    >>> chn = f.query("country == 'CHN'")   # VA of every origin in China's exports
    >>> bool(np.isclose(chn["value"].sum(), t.exports_by_country()["CHN"]))
    True
    """
    if post not in _POST_TERM:
        raise MeasureError(f"post must be one of {', '.join(map(repr, _POST_TERM))}, "
                           f"got {post!r}")
    if level not in ("sector", "country"):
        raise MeasureError(f"leontief supports level 'sector' or 'country', got {level!r}")
    C, S = _countries(table), _sectors(table)
    G, N = table.G, table.N
    term = [_POST_TERM[post]]
    if post == "final_demand":
        M = cd.vby(table.v, table.solver, table.Yc)  # (n, G)
        if level == "country":
            return _long(M.reshape(G, N, G).sum(axis=1)[:, :, None],
                         {"source_country": C, "country": C, "term": term})
        return _long(M.reshape(G, N, G, 1),
                     {"source_country": C, "source_sector": S, "country": C, "term": term})
    if post == "shares":
        if level == "country":
            raise MeasureError("post='shares' (the VB matrix) is sector level only; use "
                               "level='sector'")
        M = cd.value_added_shares(table.v, table.B)
    else:
        w = table.E if post == "exports" else table.x
        if level == "country":
            M = cd.leontief_country(table.v, table.solver, w, G, N)
            return _long(M[:, :, None], {"source_country": C, "country": C, "term": term})
        M = cd.vb_diag(table.v, table.B, w)
    return _long(M.reshape(G, N, G, N, 1), {"source_country": C, "source_sector": S,
                                             "country": C, "sector": S, "term": term})


def vax(table: MRIOTable,
        level: Literal["country", "bilateral", "sector"] = "country") -> pd.DataFrame:
    """Johnson & Noguera (2012) value-added exports and VAX ratios.

    Parameters
    ----------
    table : MRIOTable
    level : {"country", "bilateral", "sector"}
        ``"country"``: ``VAX_s`` (value added of s absorbed abroad), gross
        exports and their ratio; ``"bilateral"``: ``VAX_sr`` (value added of s
        absorbed in r, by any route), gross exports ``s -> r`` and the ratio;
        ``"sector"``: by sector of value-added *origin*, against that sector's
        gross exports (the ratio can exceed 1 and is not clipped).

    Returns
    -------
    DataFrame
        ``exporter[, importer | sector], term, value`` with terms ``VAX``,
        ``GEXP`` and ``VAX_ratio`` (NaN where gross exports are zero). The
        full ``G x G`` matrix, diagonal included, is ``leontief(t,
        "final_demand", level="country")``.

    References
    ----------
    .. [1] Johnson, R. C. & Noguera, G. (2012). Accounting for intermediates:
       production sharing and trade in value added. *Journal of International
       Economics* 86(2): 224-236, eq. (4)-(6).

    Examples
    --------
    >>> import silkchain
    >>> f = vax(silkchain.read("wiod2013:2011"))
    >>> f.query("exporter == 'CHN'").round(2)
       exporter       term       value
    18      CHN        VAX  1573718.47
    19      CHN       GEXP  2084965.00
    20      CHN  VAX_ratio        0.75
    """
    if level not in VAX_LEVELS:
        raise MeasureError(f"vax supports level {', '.join(map(repr, VAX_LEVELS))}, "
                           f"got {level!r}")
    jn = cd.johnson_noguera(*_args(table), solver=table.solver)
    C, S = _countries(table), _sectors(table)
    if level == "country":
        vals = np.column_stack([jn.vax, jn.exports, jn.ratio])
        return _long(vals, {"exporter": C, "term": VAX_TERMS})
    if level == "bilateral":
        vals = np.stack([jn.matrix, jn.bilateral_exports, jn.bilateral_ratio], axis=2)
        own = np.eye(table.G, dtype=bool)[:, :, None]
        return _long(vals, {"exporter": C, "importer": C, "term": VAX_TERMS}, drop_mask=own)
    vals = np.column_stack([jn.sector_vax, jn.sector_exports, jn.sector_ratio])
    return _long(vals.reshape(table.G, table.N, 3), {"exporter": C, "sector": S,
                                                     "term": VAX_TERMS})


def kww(table: MRIOTable,
        level: Literal["country", "sector", "bilateral"] = "country") -> pd.DataFrame:
    """Koopman, Wang & Wei (2014): each country's gross exports in nine terms.

    Terms (decompr names): DVA_FIN, DVA_INT, DVA_INTrex (value added exported
    and absorbed abroad), RDV_FIN, RDV_INT (returning home), DDC (domestic
    double counting), FVA_FIN, FVA_INT (foreign value added), FDC (foreign
    double counting). They sum to gross exports; FDC is computed from its own
    formula, not as the residual.

    KWW's formulas are meaningful only by exporting country (METHODS.md §4).
    ``level="sector"`` (exporting sector) and ``"bilateral"`` (exporting
    sector x importer) give what R decompr's ``wwz2kww`` gives: the WWZ (2013)
    terms of each cell added up to the KWW term they map to (WWZ Appendix
    Table E2; :data:`silkchain.core.decompositions.WWZ_TO_KWW`). **Caveat**:
    these cells are WWZ's, not KWW's formulas evaluated by sector or partner;
    the mapping is exact only in aggregate (summed over sectors and importers
    they equal the country terms, tested), and WWZ's DVA_INTrexI1 (absorbed in
    third countries) is counted in DVA_INT, as in Table E2.

    Returns
    -------
    DataFrame
        ``exporter, term, value``; ``exporter, sector, term, value`` or
        ``exporter, sector, importer, term, value`` (own-country cells left out).

    References
    ----------
    .. [1] Koopman, R., Wang, Z. & Wei, S.-J. (2014). Tracing value-added and
       double counting in gross exports. *American Economic Review* 104(2):
       459-494, eq. (36).

    Examples
    --------
    >>> import silkchain
    >>> t = silkchain.read("wiod2013:2011")
    >>> f = kww(t)
    >>> round(f.query("exporter == 'CHN'")["value"].sum()), t.exports_by_country()["CHN"]
    (2084965, np.float64(2084965.0))
    """
    if level not in ("country", "sector", "bilateral"):
        raise MeasureError(f"kww supports level 'country', 'sector' or 'bilateral', got "
                           f"{level!r}")
    if level != "country":
        return _kww_from_wwz(table, level)
    T = cd.kww(*_args(table), solver=table.solver, L_blocks=table.L_blocks)
    cd.check_solved(T, "kww")
    return _long(T, {"exporter": _countries(table), "term": cd.KWW_TERMS})


def wwz(table: MRIOTable,
        level: Literal["bilateral", "sector", "country"] = "bilateral") -> pd.DataFrame:
    """Wang, Wei & Zhu (2013): bilateral sector exports in sixteen terms.

    For each exporting country, sector and importer the terms DVA_FIN,
    DVA_INT, DVA_INTrexI1, DVA_INTrexF, DVA_INTrexI2, RDV_FIN, RDV_FIN2,
    RDV_INT, DDC_FIN, DDC_INT, MVA_FIN, MVA_INT, MDC, OVA_FIN, OVA_INT, ODC
    (decompr names, METHODS.md §5 order) sum to the gross exports of that
    sector to that importer. Own-country cells are left out.

    ``level="sector"`` sums over importers, ``"country"`` over sectors and
    importers.

    Returns
    -------
    DataFrame
        ``exporter, sector, importer, term, value`` (``G*N*(G-1)*16`` rows);
        ``exporter, sector, term, value`` or ``exporter, term, value`` at the
        coarser levels.

    References
    ----------
    .. [1] Wang, Z., Wei, S.-J. & Zhu, K. (2013, rev. 2018). Quantifying
       international production sharing at the bilateral and sector levels.
       NBER Working Paper 19677, eq. (21), Appendix Tables E1-E2.

    Examples
    --------
    >>> import silkchain
    >>> f = wwz(silkchain.read("wiod2013:2011"))
    >>> len(f) == 41 * 35 * 40 * 16
    True
    >>> chn_usa = f.query("exporter == 'CHN' and importer == 'USA'")
    >>> round(chn_usa["value"].sum())   # China's gross exports to the United States
    412844
    """
    if level not in WWZ_LEVELS:
        raise MeasureError(f"wwz supports level {', '.join(map(repr, WWZ_LEVELS))}, "
                           f"got {level!r}")
    W = _wwz_array(table)
    G, N = table.G, table.N
    C = _countries(table)
    if level == "sector":
        return _long(W.sum(axis=1).reshape(G, N, 16),
                     {"exporter": C, "sector": _sectors(table), "term": cd.WWZ_TERMS})
    if level == "country":
        return _long(W.sum(axis=1).reshape(G, N, 16).sum(axis=1),
                     {"exporter": C, "term": cd.WWZ_TERMS})
    own = np.eye(G, dtype=bool)[:, None, :, None]
    return _long(W.reshape(G, N, G, 16), {"exporter": C,
                                          "sector": _sectors(table),
                                          "importer": C,
                                          "term": cd.WWZ_TERMS}, drop_mask=own)


def _kww_from_wwz(table: MRIOTable, level: str) -> pd.DataFrame:
    """KWW terms by exporting sector (and importer) from WWZ's (decompr ``wwz2kww``)."""
    W = _wwz_array(table)  # (G*N, G, 16)
    G, N = table.G, table.N
    M = np.zeros((16, len(cd.KWW_TERMS)))
    for k, name in enumerate(cd.WWZ_TERMS):
        M[k, cd.KWW_TERMS.index(cd.WWZ_TO_KWW[name])] = 1.0
    K = W @ M  # (G*N, G, 9)
    C = _countries(table)
    if level == "sector":
        return _long(K.sum(axis=1).reshape(G, N, 9),
                     {"exporter": C, "sector": _sectors(table), "term": cd.KWW_TERMS})
    own = np.eye(G, dtype=bool)[:, None, :, None]
    return _long(K.reshape(G, N, G, 9), {"exporter": C, "sector": _sectors(table),
                                         "importer": C, "term": cd.KWW_TERMS},
                 drop_mask=own)


def _wwz_array(table: MRIOTable) -> np.ndarray:
    W = cd.wwz(*_args(table), solver=table.solver, L_blocks=table.L_blocks,
               B_blocks=_diag_B(table))
    return cd.check_solved(W, "wwz")
