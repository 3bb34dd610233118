"""OECD Trade in Value Added (TiVA) indicators under their OECD names (METHODS.md §15).

:func:`tiva` returns a tidy frame ``country, [sector,] [partner,] measure,
value``. ``by_sector`` and ``by_partner`` add the industry and partner
dimensions; an indicator that has no such dimension gets the total code
``"_T"`` (all industries) or ``"W"`` (world, all partners) there. Shares
(``...SH``) are in **per cent**, as OECD publishes them; amounts are in the
table's units. What the ``sector`` and ``partner`` columns mean for each
indicator (exporting or value-added source industry; destination, origin or
final-demand country) is in :data:`INDICATORS` and ``docs/measures/tiva.md``.

>>> import silkchain
>>> t = silkchain.read("wiod2013:2011")
>>> f = tiva(t, ["EXGR_DVASH", "EXGR_FVASH"])
>>> f.query("country == 'CHN'").round(2)
   country     measure  value
6      CHN  EXGR_DVASH  78.24
47     CHN  EXGR_FVASH  21.76
>>> f.attrs["services"]
'SRVWC'
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from silkchain.core import tiva as ct
from silkchain.core.blocks import FloatArray, safe_ratio
from silkchain.core.leontief import va_by_country, vby
from silkchain.errors import MeasureError
from silkchain.measures.tidy import to_long
from silkchain.table import MRIOTable

__all__ = [
    "INDICATORS",
    "SERVICE_SETS",
    "exgr_bsci",
    "services_mask",
    "tiva",
]

TOTAL_SECTOR = "_T"
WORLD = "W"

# ----------------------------------------------------------------- services sets
#: WIOD 2013 (ISIC rev. 3, 35 sectors) codes, in table order.
WIOD_ISIC3 = ("AtB", "C", "15t16", "17t18", "19", "20", "21t22", "23", "24", "25", "26",
              "27t28", "29", "30t33", "34t35", "36t37", "E", "F", "50", "51", "52", "H", "60",
              "61", "62", "63", "64", "J", "70", "71t74", "L", "M", "N", "O", "P")
_ICIO4_SERV = ("D45T47", "D49", "D50", "D51", "D52", "D53", "D55T56", "D58T60", "D61",
               "D62T63", "D64T66", "D68", "D69T75", "D77T82", "D84", "D85", "D86T88",
               "D90T93", "D94T96", "D97T98")
_ICIO18_SERV = ("D45T47", "D49T53", "D55T56", "D58T60", "D61", "D62T63", "D64T66", "D68",
                "D69T82", "D84", "D85", "D86T88", "D90T96", "D97T98")

#: Service aggregates by classification (exvatools 0.9.0 ``dbsec``; METHODS.md §15):
#: SRVWC = services incl. construction (ISIC 41-98 / 45-99), SERVS = services,
#: BIZSV = business services (ISIC rev. 4 D45T82; rev. 3 C50T74).
SERVICE_SETS: dict[str, dict[str, tuple[str, ...]]] = {
    "wiod2013_isic3": {
        "SRVWC": WIOD_ISIC3[17:],
        "SERVS": WIOD_ISIC3[18:],
        "BIZSV": WIOD_ISIC3[18:30],
    },
    "icio_isic4": {
        "SRVWC": ("D41T43", *_ICIO4_SERV),
        "SERVS": _ICIO4_SERV,
        "BIZSV": _ICIO4_SERV[:14],
    },
    "icio2018_isic4": {
        "SRVWC": ("D41T43", *_ICIO18_SERV),
        "SERVS": _ICIO18_SERV,
        "BIZSV": _ICIO18_SERV[:9],
    },
}


def _normal_icio(code: str) -> str:
    code = code.strip().upper()
    return code if code.startswith("D") else f"D{code}"


def services_mask(table: MRIOTable, services: str | Sequence[str]) -> tuple[str, FloatArray]:
    """Resolve a services set to ``(name, mask over the N sectors)``.

    ``services`` is a named set (``"SRVWC"``, ``"SERVS"``, ``"BIZSV"``),
    resolved through the table's ``labels.sector_codes`` (WIOD 2013 ISIC
    rev. 3, or OECD ICIO ISIC rev. 4 codes such as ``D45T47``), or an explicit
    list of sector codes (short codes, classification codes or names).

    Raises
    ------
    MeasureError
        Unknown set name, a table whose classification is not recognised, or
        an unknown sector code.

    >>> import silkchain
    >>> name, mask = services_mask(silkchain.read("wiod2013:2011"), "BIZSV")
    >>> name, int(mask.sum())
    ('BIZSV', 12)
    """
    lab = table.labels
    if isinstance(services, str):
        key = services.upper()
        names = sorted({k for sets in SERVICE_SETS.values() for k in sets})
        if key not in names:
            raise MeasureError(f"unknown services set {services!r}; choose one of "
                               f"{', '.join(names)} or pass a list of sector codes")
        codes = lab.sector_codes
        for cls, sets in SERVICE_SETS.items():
            if not codes:
                break
            if cls == "wiod2013_isic3":
                if tuple(codes) == WIOD_ISIC3:
                    return key, np.isin(codes, sets[key]).astype(float)
                continue
            known = set(sets["SRVWC"]) | set(_ICIO_GOODS[cls])
            norm = [_normal_icio(c) for c in codes]
            if all(c in known for c in norm):
                return key, np.isin(norm, sets[key]).astype(float)
        raise MeasureError(
            f"cannot resolve services set {key!r}: the table's sector codes "
            f"({', '.join(codes[:5]) or 'none'}{', ...' if len(codes) > 5 else ''}) are not a "
            "known classification (WIOD 2013 ISIC rev. 3 or OECD ICIO ISIC rev. 4); pass "
            "services=[list of sector codes] instead")
    mask = np.zeros(lab.N)
    unknown = []
    for code in services:
        try:
            mask[lab.sector_position(str(code))] = 1.0
        except KeyError:
            unknown.append(str(code))
    if unknown:
        raise MeasureError(f"unknown sector code(s) in services: {', '.join(unknown)}; the "
                           f"table has: {', '.join(lab.sectors)}")
    return "custom:" + ",".join(str(c) for c in services), mask


_ICIO_GOODS = {
    "icio_isic4": ("D01T02", "D03", "D05T06", "D07T08", "D09", "D10T12", "D13T15", "D16",
                   "D17T18", "D19", "D20", "D21", "D22", "D23", "D24", "D25", "D26", "D27",
                   "D28", "D29", "D30", "D31T33", "D35", "D36T39"),
    "icio2018_isic4": ("D01T03", "D05T06", "D07T08", "D09", "D10T12", "D13T15", "D16",
                       "D17T18", "D19", "D20T21", "D22", "D23", "D24", "D25", "D26", "D27",
                       "D28", "D29", "D30", "D31T33", "D35T39"),
}


# ----------------------------------------------------------------- indicator registry
@dataclass(frozen=True)
class Indicator:
    """One TiVA indicator: its meaning, unit and what its dimensions mean."""

    name: str
    title: str
    unit: str  # "value" (table units) or "%"
    sector: str | None  # what the sector column means; None: no industry dimension
    partner: str | None  # what the partner column means; None: no partner dimension
    diagonal: bool = False  # keep partner == country cells
    needs_services: bool = False


_EXP = "exporting industry"
_SRC = "value-added source industry"
INDICATORS: dict[str, Indicator] = {i.name: i for i in (
    Indicator("PROD", "production (gross output)", "value", "industry", None),
    Indicator("VALU", "value added", "value", "industry", None),
    Indicator("PROD_VASH", "value added as % of output", "%", "industry", None),
    Indicator("EXGR", "gross exports", "value", _EXP, "destination"),
    Indicator("EXGR_INT", "gross exports of intermediates", "value", _EXP, "destination"),
    Indicator("EXGR_FNL", "gross exports of final products", "value", _EXP, "destination"),
    Indicator("IMGR", "gross imports", "value", "partner's exporting industry", "origin"),
    Indicator("IMGR_INT", "gross imports of intermediates", "value",
              "partner's exporting industry", "origin"),
    Indicator("IMGR_FNL", "gross imports of final products", "value",
              "partner's exporting industry", "origin"),
    Indicator("BALGR", "gross trade balance (exports - imports)", "value",
              "industry (exports of it minus imports of it)", "partner"),
    Indicator("EXGR_DVA", "domestic VA content of gross exports (incl. re-imported)", "value",
              _EXP, "destination"),
    Indicator("EXGR_DDC", "direct domestic industry VA content of gross exports", "value",
              _EXP, "destination"),
    Indicator("EXGR_IDC", "indirect domestic VA content (from domestic suppliers)", "value",
              _EXP, "destination"),
    Indicator("EXGR_RIM", "re-imported domestic VA content of gross exports", "value",
              _EXP, "destination"),
    Indicator("EXGR_FVA", "foreign VA content of gross exports (incl. double counting)",
              "value", _EXP, "destination"),
    Indicator("EXGR_DVASH", "domestic VA share of gross exports", "%", _EXP, None),
    Indicator("EXGR_FVASH", "foreign VA share of gross exports", "%", _EXP, None),
    Indicator("EXGR_INTDVASH", "DVA in intermediate exports, % of gross exports", "%",
              _EXP, None),
    Indicator("EXGR_FNLDVASH", "DVA in final exports, % of gross exports", "%", _EXP, None),
    Indicator("EXGR_DVAFX", "domestic VA embodied in foreign exports", "value", _SRC,
              "country whose exports embody it"),
    Indicator("EXGR_DVAFXSH", "domestic VA in foreign exports, % of own gross exports", "%",
              _SRC, None),
    Indicator("FEXDVApSH", "domestic VA in partner's exports, % of own gross exports", "%",
              _SRC, "country whose exports embody it"),
    Indicator("DEXFVAp", "partner's VA in own gross exports", "value", _EXP,
              "value-added origin"),
    Indicator("DEXFVApSH", "partner's VA in own gross exports, % of gross exports", "%",
              _EXP, "value-added origin"),
    Indicator("EXGR_BSCI", "origin of value added in gross exports", "value", _EXP,
              "value-added origin", diagonal=True),
    Indicator("IMGR_DVA", "domestic VA returning in gross imports", "value",
              "partner's exporting industry", "origin"),
    Indicator("IMGR_DVASH", "domestic VA in gross imports, % of gross imports", "%",
              "partner's exporting industry", "origin"),
    Indicator("FD_VA", "VA of the country absorbed in final demand of the partner", "value",
              _SRC, "final-demand country", diagonal=True),
    Indicator("FFD_DVA", "domestic VA in foreign final demand (VA exports)", "value", _SRC,
              "final-demand country"),
    Indicator("DFD_FVA", "foreign VA in domestic final demand (VA imports)", "value",
              "value-added source industry (of the partner)", "value-added origin"),
    Indicator("BALVAFD", "VA balance embodied in final demand (FFD_DVA - DFD_FVA)", "value",
              None, "partner"),
    Indicator("VALU_FFDDVA", "share of the industry's VA absorbed by foreign final demand",
              "%", _SRC, None),
    Indicator("EXGR_SERV_DVASH", "domestic services VA content, % of gross exports", "%",
              _EXP, None, needs_services=True),
    Indicator("EXGR_SERV_FVASH", "foreign services VA content, % of gross exports", "%",
              _EXP, None, needs_services=True),
)}


# ----------------------------------------------------------------- computation
Cube = FloatArray  # (G, N or 1, G or 1): country x sector x partner


class _Context:
    """Lazily computed building blocks shared by the indicators of one call."""

    def __init__(self, table: MRIOTable, services: str | Sequence[str]) -> None:
        self.t = table
        self.services = services

    def ex_cube(self, M: FloatArray) -> Cube:
        """``(GN, G)`` by exporting industry x partner -> cube."""
        t = self.t
        return np.asarray(M, dtype=float).reshape(t.G, t.N, t.G)

    def imp_cube(self, M: FloatArray) -> Cube:
        """``(GN_j, G_s)`` with ``j`` in the partner -> cube ``[s, sector(j), c(j)]``."""
        t = self.t
        return np.asarray(M, dtype=float).reshape(t.G, t.N, t.G).transpose(2, 1, 0)

    def vec_cube(self, x: FloatArray) -> Cube:
        t = self.t
        return np.asarray(x, dtype=float).reshape(t.G, t.N, 1)

    @cached_property
    def W(self) -> FloatArray:
        t = self.t
        return va_by_country(t.v, t.solver, t.G, t.N)

    @cached_property
    def split(self) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
        t = self.t
        dc, fc = ct.domestic_foreign(self.W, t.G, t.N)
        dl, direct = ct.local_content(t.v, t.L_blocks)
        return dc, fc, dl, direct

    @cached_property
    def M(self) -> FloatArray:
        t = self.t
        return ct.value_added_in_exports_of(t.v, t.E, t.G, t.N, t.solver)

    @cached_property
    def FD(self) -> FloatArray:
        t = self.t
        return vby(t.v, t.solver, t.Yc)

    @cached_property
    def origin(self) -> Cube:
        """``[s, j, t] = W[t, j] E_j`` (own country included)."""
        t = self.t
        return (self.W * t.E[None, :]).reshape(t.G, t.G, t.N).transpose(1, 2, 0)

    @cached_property
    def serv(self) -> tuple[str, FloatArray, FloatArray]:
        t = self.t
        name, mask = services_mask(t, self.services)
        WS = va_by_country(t.v * np.tile(mask, t.G), t.solver, t.G, t.N)
        dc, fc = ct.domestic_foreign(WS, t.G, t.N)
        return name, dc, fc

    def offdiag(self, cube: Cube) -> Cube:
        out = cube.copy()
        g = np.arange(self.t.G)
        out[g, :, g] = 0.0
        return out


# numerator, denominator ("exports" | "country_exports" | a numerator name | None)
_Spec = tuple[Callable[[_Context], Cube], str | None]

_SPECS: dict[str, _Spec] = {
    "PROD": (lambda c: c.vec_cube(c.t.x), None),
    "VALU": (lambda c: c.vec_cube(c.t.va), None),
    "PROD_VASH": (lambda c: c.vec_cube(c.t.va), "PROD"),
    "EXGR": (lambda c: c.ex_cube(c.t.ESR), None),
    "EXGR_INT": (lambda c: c.ex_cube(c.t.Eint), None),
    "EXGR_FNL": (lambda c: c.ex_cube(c.t.Efd), None),
    "IMGR": (lambda c: c.imp_cube(c.t.ESR), None),
    "IMGR_INT": (lambda c: c.imp_cube(c.t.Eint), None),
    "IMGR_FNL": (lambda c: c.imp_cube(c.t.Efd), None),
    "BALGR": (lambda c: c.ex_cube(c.t.ESR) - c.imp_cube(c.t.ESR), None),
    "EXGR_DVA": (lambda c: c.ex_cube(c.split[0][:, None] * c.t.ESR), None),
    "EXGR_DDC": (lambda c: c.ex_cube(c.split[3][:, None] * c.t.ESR), None),
    "EXGR_IDC": (lambda c: c.ex_cube((c.split[2] - c.split[3])[:, None] * c.t.ESR), None),
    "EXGR_RIM": (lambda c: c.ex_cube((c.split[0] - c.split[2])[:, None] * c.t.ESR), None),
    "EXGR_FVA": (lambda c: c.ex_cube(c.split[1][:, None] * c.t.ESR), None),
    "EXGR_DVASH": (lambda c: c.ex_cube(c.split[0][:, None] * c.t.ESR), "exports"),
    "EXGR_FVASH": (lambda c: c.ex_cube(c.split[1][:, None] * c.t.ESR), "exports"),
    "EXGR_INTDVASH": (lambda c: c.ex_cube(c.split[0][:, None] * c.t.Eint), "exports"),
    "EXGR_FNLDVASH": (lambda c: c.ex_cube(c.split[0][:, None] * c.t.Efd), "exports"),
    "EXGR_DVAFX": (lambda c: c.ex_cube(c.M), None),
    "EXGR_DVAFXSH": (lambda c: c.ex_cube(c.M), "country_exports"),
    "FEXDVApSH": (lambda c: c.ex_cube(c.M), "country_exports"),
    "DEXFVAp": (lambda c: c.offdiag(c.origin), None),
    "DEXFVApSH": (lambda c: c.offdiag(c.origin), "exports"),
    "EXGR_BSCI": (lambda c: c.origin, None),
    "IMGR_DVA": (lambda c: c.imp_cube(c.W.T * c.t.ESR), None),
    "IMGR_DVASH": (lambda c: c.imp_cube(c.W.T * c.t.ESR), "IMGR"),
    "FD_VA": (lambda c: c.ex_cube(c.FD), None),
    "FFD_DVA": (lambda c: c.offdiag(c.ex_cube(c.FD)), None),
    "DFD_FVA": (lambda c: c.offdiag(c.imp_cube(c.FD)), None),
    "BALVAFD": (lambda c: c.offdiag(c.ex_cube(c.FD)) - c.offdiag(c.imp_cube(c.FD)), None),
    "VALU_FFDDVA": (lambda c: c.offdiag(c.ex_cube(c.FD)), "VALU"),
    "EXGR_SERV_DVASH": (lambda c: c.ex_cube(c.serv[1][:, None] * c.t.ESR), "exports"),
    "EXGR_SERV_FVASH": (lambda c: c.ex_cube(c.serv[2][:, None] * c.t.ESR), "exports"),
}


def _reduce(cube: Cube, keep_sector: bool, keep_partner: bool) -> FloatArray:
    out = cube if keep_partner else cube.sum(axis=2, keepdims=True)
    return out if keep_sector else out.sum(axis=1, keepdims=True)


def _check_indicators(indicators: Sequence[str] | None, services_ok: bool) -> list[str]:
    if indicators is None:
        return [k for k, v in INDICATORS.items() if services_ok or not v.needs_services]
    if isinstance(indicators, str):
        indicators = [indicators]
    unknown = [i for i in indicators if i not in INDICATORS]
    if unknown:
        raise MeasureError(f"unknown TiVA indicator(s): {', '.join(unknown)}; available: "
                           f"{', '.join(INDICATORS)}")
    return list(dict.fromkeys(indicators))


def tiva(
    table: MRIOTable,
    indicators: Sequence[str] | None = None,
    services: str | Sequence[str] = "SRVWC",
    *,
    by_sector: bool = False,
    by_partner: bool = False,
) -> pd.DataFrame:
    """OECD TiVA indicators of ``table`` under their OECD names (METHODS.md §15).

    Parameters
    ----------
    table : MRIOTable
        The table (value added is the residual ``x - u'Z``).
    indicators : sequence of str, optional
        OECD codes (see :data:`INDICATORS`); default all. The services
        indicators are left out of the default when the table's
        classification is not recognised (``frame.attrs["skipped"]`` says
        so); asked for explicitly they raise instead.
    services : str or sequence of str
        Sector set of ``EXGR_SERV_DVASH``/``EXGR_SERV_FVASH``: ``"SRVWC"``
        (services and construction, the default, as exvatools' EXGR_SERV
        example), ``"SERVS"``, ``"BIZSV"``, or a list of sector codes.
        Recorded in ``frame.attrs["services"]``.
    by_sector, by_partner : bool
        Add the ``sector`` / ``partner`` columns. Indicators without that
        dimension get ``"_T"`` / ``"W"`` there; own-country partner cells are
        left out except for FD_VA and EXGR_BSCI (domestic absorption / own
        content).

    Returns
    -------
    DataFrame
        ``country, [sector,] [partner,] measure, value``. Orientation:
        ``country`` is the reporting country (exporter; importer for IMGR*;
        VA source for FD_VA, FFD_DVA, EXGR_DVAFX, FEXDVApSH; final-demand
        country for DFD_FVA). ``FD_VA`` is keyed by the VA-source country
        with the final-demand country as partner (METHODS.md §15 note 5).

    Raises
    ------
    MeasureError
        Unknown indicator or services set.

    References
    ----------
    .. [1] OECD (2019), *Guide to OECD's TiVA Indicators, 2018 edition*,
       §4.1-4.8; OECD (2021) *Guide*, §5.1-5.22, §6.1-6.4, §7.1 (names).
    .. [2] Koopman, Wang & Wei (2014), AER 104(2), eq. (36) (EXGR_DVA = T1-T6,
       EXGR_FVA = T7-T9).
    .. [3] Johnson & Noguera (2012), JIE 86(2) (FD_VA, FFD_DVA).
    .. [4] Feás, E. (2024), exvatools 0.9.0 (cross-checked, METHODS.md §15.1).
    """
    ctx = _Context(table, services)
    services_ok = True
    try:
        _ = ctx.serv
    except MeasureError:
        services_ok = False
        if indicators is not None and any(
                INDICATORS[i].needs_services for i in indicators if i in INDICATORS):
            raise
    names = _check_indicators(indicators, services_ok)
    lab = table.labels
    countries = list(lab.countries)
    frames = []
    for name in names:
        ind = INDICATORS[name]
        keep_s = by_sector and ind.sector is not None
        keep_p = by_partner and ind.partner is not None
        fn, den = _SPECS[name]
        num = _reduce(fn(ctx), keep_s, keep_p)
        if den is not None:
            if den == "exports":
                d = _reduce(ctx.ex_cube(table.ESR), keep_s, False)
            elif den == "country_exports":
                d = _reduce(ctx.ex_cube(table.ESR), False, False)
            else:
                d = _reduce(_SPECS[den][0](ctx), keep_s, False)
            num = 100.0 * safe_ratio(num, d)
        dims = {
            "country": countries,
            "sector": list(lab.sectors) if keep_s else [TOTAL_SECTOR],
            "partner": countries if keep_p else [WORLD],
            "measure": [name],
        }
        drop = None
        if keep_p and not ind.diagonal:
            eye = np.eye(table.G, dtype=bool)[:, None, :, None]
            drop = np.broadcast_to(eye, (*num.shape[:3], 1))
        frames.append(to_long(num[..., None], dims, drop_mask=drop))
    frame = pd.concat(frames, ignore_index=True)
    cols = ["country"] + (["sector"] if by_sector else []) + (["partner"] if by_partner else [])
    frame = frame[[*cols, "measure", "value"]]
    frame.attrs.update({
        "services": ctx.serv[0] if services_ok else None,
        "FD_VA_orientation": "country = value-added source, partner = final-demand country",
        "units": {n: INDICATORS[n].unit for n in names},
    })
    if indicators is None and not services_ok:
        frame.attrs["skipped"] = ("EXGR_SERV_DVASH, EXGR_SERV_FVASH: the table's sector "
                                  "classification is not recognised; pass services=[codes]")
    return frame


def exgr_bsci(table: MRIOTable, countries: Sequence[str] | None = None) -> pd.DataFrame:
    """EXGR_BSCI in full: VA of each source industry in the gross exports of each industry.

    ``V B diag(E)`` (= decompr ``leontief(post = "exports")``): rows
    ``source_country, source_sector``, columns ``country, sector`` (the
    exporting industry). Column sums equal gross exports.

    Parameters
    ----------
    table : MRIOTable
        The table.
    countries : sequence of str, optional
        Exporting countries to keep (a WIOD year has two million cells).

    Returns
    -------
    DataFrame
        ``source_country, source_sector, country, sector, measure, value``.

    References
    ----------
    .. [1] OECD TiVA EXGR_BSCI, "origin of value added in gross exports"
       (2021 Guide §7.1; METHODS.md §15 row 4).
    """
    lab = table.labels
    keep = list(range(table.G))
    if countries is not None:
        missing = [c for c in countries if c not in lab.countries]
        if missing:
            raise MeasureError(f"unknown countries: {', '.join(missing)}; the table has: "
                               f"{', '.join(lab.countries)}")
        keep = [lab.countries.index(c) for c in countries]
    M = ct.origin_of_value_added(table.v, table.E, table.solver)
    M = M.reshape(table.G, table.N, table.G, table.N)[:, :, keep, :]
    return to_long(M[..., None], {
        "source_country": list(lab.countries), "source_sector": list(lab.sectors),
        "country": [lab.countries[g] for g in keep], "sector": list(lab.sectors),
        "measure": ["EXGR_BSCI"]})
