"""The measure catalogue: every labelled measure defined once, read by every consumer.

Each :class:`Measure` names the labelled API function (``f(table, level=...)``
returning a tidy frame), the levels it supports, the columns it returns at each
level, its terms, unit, citation and methods-sheet section. The indicators
dispatcher (:func:`silkchain.measures.indicators.indicators`), panels
(:func:`silkchain.panel.panel`), the scenario comparison
(:mod:`silkchain.scenarios.compare`), the dashboard's measure list
(:mod:`silkchain.dashboard.catalogue`), the ``decompose`` methods and the
command-line choices all read :data:`MEASURES`, so adding a measure is a
function and one :func:`register` call (see ``docs/recipes.md``).

Names: ``NAME`` is the measure at its default level; ``NAME_LEVEL`` (for
example ``koopman_sector``) any other level it supports (:func:`resolve`).

>>> MEASURES["bm"].levels
('country', 'sector', 'bilateral')
>>> m, level = resolve("wwyz_sector")
>>> m.name, level
('wwyz', 'sector')
>>> import silkchain
>>> f = m.compute(silkchain.read("wiod2013:2011"), level)
>>> f.columns.tolist()
['country', 'sector', 'measure', 'value']
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import pandas as pd

from silkchain.errors import MeasureError
from silkchain.measures import borin_mancini as mbm
from silkchain.measures import exposure as mexp
from silkchain.measures import participation as mp
from silkchain.measures import positioning as mpos
from silkchain.measures import rca as mrca
from silkchain.measures import sda as msda
from silkchain.measures import tiva as mt
from silkchain.measures import totals as mtot
from silkchain.measures import value_added as mva
from silkchain.measures.cache import per_table
from silkchain.measures.registry import Registry
from silkchain.measures.tidy import TABLE_CURRENCY, table_currency, tidy
from silkchain.table import MRIOTable

__all__ = ["MEASURES", "ONE_TABLE", "Measure", "names", "of_kind", "per_table", "register",
           "resolve", "unregister"]

#: Kinds of measure: decompositions of gross exports (the ``decompose`` methods),
#: indicators, and changes between two tables (structural decomposition; ``tables=2``).
KINDS = ("decomposition", "indicator", "change")


@dataclass(frozen=True)
class Measure:
    """One measure: how to compute it, what it returns and where it comes from.

    Attributes
    ----------
    name : str
        Registry name (lower case; ``NAME_LEVEL`` names the other levels).
    title : str
        Short human title (dashboard, help texts).
    function : callable
        The labelled API function ``function(table, **options[, level=...])``.
    levels : tuple of str
        Levels the function supports; the first is the default.
    columns : mapping
        Level -> key columns of the function's frame at that level (before
        :func:`silkchain.measures.tidy.tidy` renames them).
    terms : tuple of str
        Values of the frame's ``measure``/``term`` column, in order.
    unit : str
        Unit of the terms (``units`` overrides it term by term).
    citation : str
        Paper, with the equation or section.
    methods_section : str
        Section of METHODS.md (``"§6"``).
    description : str
        One line on what it measures.
    kind : {"indicator", "decomposition"}
        Decompositions are the methods of ``silkchain decompose``.
    options : mapping
        Fixed keyword arguments (``{"variant": "kww"}``).
    takes_level : bool
        Whether ``function`` has a ``level`` parameter.
    units : mapping
        Term -> unit where it differs from ``unit``.
    default_term : str
        The term a chart shows first (default: the first term).
    docs : str
        The docs page (``docs/measures/....md``).
    tables : {1, 2}
        Tables the function takes: ``function(table, ...)`` or, for a change between
        two tables (SDA), ``function(table_a, table_b, ...)`` (:meth:`compute_pair`).
        Consumers that take one table (panels, indicators, scenario comparison,
        dashboard measures) skip measures of two tables: :data:`ONE_TABLE`,
        :func:`names` and :func:`resolve` hold the one-table ones by default.
    """

    name: str
    title: str
    function: Callable[..., pd.DataFrame]
    levels: tuple[str, ...]
    columns: Mapping[str, tuple[str, ...]]
    terms: tuple[str, ...]
    unit: str
    citation: str
    methods_section: str
    description: str = ""
    kind: str = "indicator"
    options: Mapping[str, Any] = field(default_factory=dict)
    takes_level: bool = True
    units: Mapping[str, str] = field(default_factory=dict)
    default_term: str = ""
    docs: str = ""
    tables: int = 1

    def __post_init__(self) -> None:
        problems = []
        if not self.name or self.name != self.name.lower() or " " in self.name:
            problems.append(f"name {self.name!r} must be lower case without spaces")
        if not self.levels:
            problems.append("levels is empty")
        missing = [lv for lv in self.levels if lv not in self.columns]
        if missing:
            problems.append(f"columns has no entry for level(s) {', '.join(missing)}")
        if not self.terms:
            problems.append("terms is empty")
        if self.default_term and self.default_term not in self.terms:
            problems.append(f"default_term {self.default_term!r} is not one of its terms")
        if self.kind not in KINDS:
            problems.append(f"kind {self.kind!r} is not one of {', '.join(KINDS)}")
        if not self.takes_level and len(self.levels) > 1:
            problems.append("several levels need takes_level=True")
        if not callable(self.function):
            problems.append("function is not callable")
        if self.tables not in (1, 2):
            problems.append(f"tables must be 1 or 2, got {self.tables!r}")
        if (self.tables == 2) != (self.kind == "change"):
            problems.append("a measure of two tables is of kind 'change', and only it")
        if problems:
            raise MeasureError(f"measure {self.name!r}: " + "; ".join(problems))

    @property
    def default_level(self) -> str:
        """The level used when none is named."""
        return self.levels[0]

    @property
    def variable(self) -> str:
        """The term shown first (``default_term`` or the first term)."""
        return self.default_term or self.terms[0]

    def unit_of(self, term: str) -> str:
        """Unit of one term."""
        return self.units.get(term, self.unit)

    def keywords(self, level: str | None = None, **params: Any) -> dict[str, Any]:
        """Keyword arguments of ``function`` for ``level`` (checked) and ``params``."""
        kwargs: dict[str, Any] = dict(self.options)
        level = params.pop("level", None) if level is None else level
        if level is not None and level not in self.levels:
            raise MeasureError(f"measure {self.name!r} has no level {level!r}; levels: "
                               f"{', '.join(self.levels)}")
        if self.takes_level:
            kwargs["level"] = level or self.default_level
        kwargs.update(params)
        return kwargs

    def bound(self, level: str | None = None, **params: Any) -> Callable[..., pd.DataFrame]:
        """``function`` with its options and level bound (a picklable ``partial``)."""
        return partial(self.function, **self.keywords(level, **params))

    def compute(self, table: MRIOTable, level: str | None = None,
                **params: Any) -> pd.DataFrame:
        """The function's own frame at ``level`` (default :attr:`default_level`).

        Computed once per table and arguments (:func:`per_table`): every caller on the
        same table object (the Belt and Road answers of one report year) shares it.
        """
        if self.tables != 1:
            raise MeasureError(f"measure {self.name!r} compares two tables; use "
                               "compute_pair(table_a, table_b)")
        kwargs = self.keywords(level, **params)
        key = ("measure", self.name, repr(sorted(kwargs.items())))
        frame = per_table(table, key, lambda: self.function(table, **kwargs))
        return frame.copy(deep=False)  # callers may add columns; the cached frame stays

    def compute_pair(self, table_a: MRIOTable, table_b: MRIOTable, level: str | None = None,
                     **params: Any) -> pd.DataFrame:
        """The function's frame for a measure of two tables (``tables=2``), at ``level``."""
        if self.tables != 2:
            raise MeasureError(f"measure {self.name!r} takes one table; use compute(table)")
        return self.function(table_a, table_b, **self.keywords(level, **params))

    def tidy(self, table: MRIOTable, level: str | None = None, *, year: int | None = None,
             **params: Any) -> pd.DataFrame:
        """The measure in the one tidy layout (:data:`silkchain.measures.tidy.COLUMNS`)."""
        frame = self.compute(table, level, **params)
        out = tidy(frame, year=table.meta.get("year") if year is None else year,
                   unit=self.unit, units=self.units, currency=table_currency(table.meta))
        out.attrs.update(frame.attrs)
        return out


class _OneTable(Mapping[str, Measure]):
    """The registered measures of one table (read from the registry each time)."""

    def __init__(self, entries: dict[str, Measure]) -> None:
        self._entries = entries

    def __getitem__(self, key: str) -> Measure:
        m = self._entries[key]
        if m.tables != 1:
            raise KeyError(key)
        return m

    def __iter__(self) -> Iterator[str]:
        return iter([k for k, m in self._entries.items() if m.tables == 1])

    def __len__(self) -> int:
        return sum(m.tables == 1 for m in self._entries.values())

    def __repr__(self) -> str:
        return f"ONE_TABLE({', '.join(self)})"


_REGISTRY: dict[str, Measure] = {}
#: Every registered measure by name, in registration order (SDA's, of two tables, too).
MEASURES: Mapping[str, Measure] = Registry("MEASURES", _REGISTRY)
#: The measures of one table: what panels, indicators and scenario comparisons offer.
ONE_TABLE: Mapping[str, Measure] = _OneTable(_REGISTRY)


def register(measure: Measure, *, replace: bool = False) -> Measure:
    """Add ``measure`` to :data:`MEASURES` (``replace=True`` to redefine a name).

    Raises
    ------
    MeasureError
        The name is taken (or clashes with another measure's ``NAME_LEVEL``).
    """
    taken = set(names(None))
    new = {measure.name} | {f"{measure.name}_{lv}" for lv in measure.levels[1:]}
    if not replace:
        clash = sorted(new & taken)
        if clash:
            raise MeasureError(f"measure name(s) {', '.join(clash)} already registered; "
                               "pass replace=True to redefine")
    _REGISTRY[measure.name] = measure
    return measure


def unregister(name: str) -> None:
    """Remove a measure (tests that register a temporary one clean up with this)."""
    _REGISTRY.pop(name, None)


def names(tables: int | None = 1) -> dict[str, tuple[str, str]]:
    """Every accepted name -> ``(measure, level)``: ``NAME`` and ``NAME_LEVEL``, of the
    measures of ``tables`` tables (default one; ``None``: all)."""
    out: dict[str, tuple[str, str]] = {}
    for m in _REGISTRY.values():
        if tables is not None and m.tables != tables:
            continue
        out[m.name] = (m.name, m.default_level)
        for lv in m.levels[1:]:
            out.setdefault(f"{m.name}_{lv}", (m.name, lv))
    return out


def resolve(name: str, tables: int | None = 1) -> tuple[Measure, str]:
    """``(measure, level)`` of a name such as ``"koopman"`` or ``"koopman_sector"``
    (among the measures of ``tables`` tables; ``None``: all).

    Raises
    ------
    MeasureError
        Unknown name; the message lists every valid one.
    """
    known = names(tables)
    if name not in known:
        other = names(None).get(name)
        if other is not None:
            n = _REGISTRY[other[0]].tables
            raise MeasureError(f"measure {name!r} takes {n} table{'s' * (n != 1)}, not "
                               f"{tables}; measures of {tables}: {', '.join(known)}")
        raise MeasureError(f"unknown measure {name!r}; valid: {', '.join(known)}")
    measure, level = known[name]
    return _REGISTRY[measure], level


def term_units(names: Sequence[str], currency: str | None = None) -> dict[str, str]:
    """Term -> unit of the terms of the named measures (``currency`` for amounts).

    For frames whose ``measure`` column holds bare terms (panels). Two named
    measures whose common term has different units cannot share one frame.

    >>> term_units(["koopman"], "USD millions")["participation"]
    'share of gross exports'
    >>> term_units(["koopman"], "USD millions")["IV"]
    'USD millions'
    >>> term_units(["exposure", "exposure_sales"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    silkchain.errors.MeasureError: exposure and exposure_sales have terms of the same name ...
    """
    units: dict[str, str] = {}
    owner: dict[str, str] = {}
    clash: dict[tuple[str, str], list[str]] = {}
    for name in names:
        m, _ = resolve(name, None)
        for term in m.terms:
            unit = m.unit_of(term)
            unit = currency if currency and unit == TABLE_CURRENCY else unit
            if term in units and units[term] != unit:
                clash.setdefault((owner[term], name), []).append(term)
            units.setdefault(term, unit)
            owner.setdefault(term, name)
    if clash:
        raise MeasureError("; ".join(
            f"{a} and {b} have terms of the same name in different units ({', '.join(t)})"
            for (a, b), t in clash.items()) + "; compute them separately")
    return units


def of_kind(kind: str) -> dict[str, Measure]:
    """The measures of one kind (``"decomposition"``: the ``decompose`` methods)."""
    return {n: m for n, m in _REGISTRY.items() if m.kind == kind}


# ----------------------------------------------------------------------------- entries
_C = ("country",)
_CS = ("country", "sector")
_EX = ("exporter",)
_EXS = ("exporter", "sector")

BM_CITE = ("Borin, A. & Mancini, M. (2019). Measuring what matters in global value chains and "
           "value-added trade. World Bank PRWP 8804; (2023) Economic Systems Research "
           "35(4): 586-613, Tables 1-2.")
WWYZ_A_CITE = ("Wang, Z., Wei, S.-J., Yu, X. & Zhu, K. (2017a). Measures of participation in "
               "global value chains and global business cycles. NBER WP 23222, eq. (12)-(15).")
WWYZ_B_CITE = ("Wang, Z., Wei, S.-J., Yu, X. & Zhu, K. (2017b). Characterizing global value "
               "chains: production length and upstreamness. NBER WP 23261, eq. (9)-(16).")
KOOPMAN_CITE = ("Koopman, R., Powers, W., Wang, Z. & Wei, S.-J. (2010). Give credit where "
                "credit is due: tracing value added in global production chains. NBER WP "
                "16426, §4.")
EXPOSURE_CITE = ("Baldwin, R., Freeman, R. & Theodorakopoulos, A. (2022). Horses for courses: "
                 "measuring foreign supply chain exposure. NBER WP 30525, §2-3.")
_SHARE_UNITS = {"participation": "share of gross exports", "position": "log index",
                "IV": "table currency", "FV": "table currency", "E": "table currency"}
_WWYZ_SHARES = ("forward_simple", "forward_complex", "forward", "backward_simple",
                "backward_complex", "backward")

for _m in (
    Measure("bm", "Gross-export accounting (Borin & Mancini)", mbm.bm,
            ("country", "sector", "bilateral"),
            {"country": _EX, "sector": _EXS, "bilateral": ("exporter", "sector", "importer")},
            ("GEXP", "DC", "DVA", "VAX", "DAVAX", "REX", "REF", "DDC", "FC", "FVA", "FDC",
             "PDC", "GVC", "GVCB", "GVCF"), "table currency", BM_CITE, "§6",
            "source-based decomposition of gross exports, exporter perspective",
            kind="decomposition", default_term="DVA", docs="docs/measures/borin_mancini.md"),
    Measure("wwyz", "Production-based participation (Wang, Wei, Yu & Zhu)", mp.wwyz, _CS,
            {"country": _C, "sector": _CS},
            ("va", "V_D", "V_RT", "V_GVC_S", "V_GVC_C", "V_GVC", "forward_simple",
             "forward_complex", "forward", "y", "Y_D", "Y_RT", "Y_GVC_S", "Y_GVC_C", "Y_GVC",
             "backward_simple", "backward_complex", "backward"), "table currency",
            WWYZ_A_CITE, "§9", "forward and backward GVC participation (production based)",
            units=dict.fromkeys(_WWYZ_SHARES, "share"), default_term="forward",
            docs="docs/measures/participation.md"),
    Measure("koopman", "GVC participation and position (Koopman et al.)", mp.koopman, _CS,
            {"country": _C, "sector": _CS}, ("IV", "FV", "E", "participation", "position"),
            "table currency", KOOPMAN_CITE, "§8",
            "GVC participation and position, IV = VS1", units=_SHARE_UNITS,
            default_term="participation", docs="docs/measures/participation.md"),
    Measure("upstreamness", "Upstreamness (Antràs et al.)", mpos.upstreamness,
            ("sector", "country"), {"sector": _CS, "country": _C}, ("U",), "stages",
            "Antràs, P., Chor, D., Fally, T. & Hillberry, R. (2012). Measuring the "
            "upstreamness of production and trade flows. AER 102(3): 412-416, eq. (3); "
            "inventory correction of Antràs & Chor (2013), Econometrica 81(6), §4.",
            "§11", "average number of stages between production and final use (Antràs-Chor "
            "inventory correction where the table has inventories)",
            docs="docs/measures/positioning.md"),
    Measure("downstreamness", "Downstreamness (Miller & Temurshoev)", mpos.downstreamness,
            ("sector", "country"), {"sector": _CS, "country": _C}, ("D",), "stages",
            "Miller, R. E. & Temurshoev, U. (2017). Output upstreamness and input "
            "downstreamness of industries/countries in world production. International "
            "Regional Science Review 40(5): 443-475, eq. (12).", "§11",
            "average number of stages from primary inputs", docs="docs/measures/positioning.md"),
    Measure("production_length", "Production length and GVC position (WWYZ)",
            mpos.production_length, ("sector", "country"), {"sector": _CS, "country": _C},
            ("PLv", "PLy", "PLv_GVC", "PLy_GVC", "GVC_position"), "stages", WWYZ_B_CITE,
            "§10", "production length and GVC position", units={"GVC_position": "ratio"},
            default_term="GVC_position", docs="docs/measures/positioning.md"),
    Measure("vax", "Value-added exports (Johnson & Noguera)", mva.vax,
            ("country", "bilateral", "sector"),
            {"country": _EX, "bilateral": ("exporter", "importer"), "sector": _EXS},
            mva.VAX_TERMS, "table currency",
            "Johnson, R. C. & Noguera, G. (2012). Accounting for intermediates: production "
            "sharing and trade in value added. JIE 86(2): 224-236, eq. (4)-(6).", "§3",
            "value added absorbed abroad and the VAX ratio", kind="decomposition",
            units={"VAX_ratio": "ratio"}, docs="docs/measures/vax.md"),
    Measure("kww", "Nine-term decomposition (Koopman, Wang & Wei)", mva.kww,
            ("country", "sector", "bilateral"),
            {"country": _EX, "sector": _EXS, "bilateral": ("exporter", "sector", "importer")},
            tuple(mva.cd.KWW_TERMS), "table currency",
            "Koopman, R., Wang, Z. & Wei, S.-J. (2014). Tracing value-added and double "
            "counting in gross exports. AER 104(2): 459-494, eq. (36).", "§4",
            "gross exports in nine value-added and double-counting terms",
            kind="decomposition", docs="docs/measures/kww.md"),
    Measure("wwz", "Sixteen-term decomposition (Wang, Wei & Zhu)", mva.wwz,
            ("country", "sector", "bilateral"),
            {"country": _EX, "sector": _EXS, "bilateral": ("exporter", "sector", "importer")},
            tuple(mva.cd.WWZ_TERMS), "table currency",
            "Wang, Z., Wei, S.-J. & Zhu, K. (2013, rev. 2018). Quantifying international "
            "production sharing at the bilateral and sector levels. NBER WP 19677, eq. (21).",
            "§5", "bilateral sector exports in sixteen terms", kind="decomposition",
            docs="docs/measures/wwz.md"),
    Measure("tiva", "OECD TiVA indicators", mt.tiva, ("country",), {"country": _C},
            tuple(mt.INDICATORS), "see each indicator",
            "OECD (2023). Trade in Value Added (TiVA) indicators: definitions; Guide to OECD "
            "TiVA indicators, 2023 edition.", "§15", "all OECD TiVA indicators, country "
            "totals", takes_level=False,
            units={k: v.unit for k, v in mt.INDICATORS.items()}, default_term="EXGR_DVASH",
            docs="docs/measures/tiva.md"),
    Measure("rca", "Revealed comparative advantage (Balassa)", mrca.rca, ("sector",),
            {"sector": _CS}, ("RCA",), "index",
            "Balassa, B. (1965). Trade liberalisation and revealed comparative advantage. "
            "The Manchester School 33(2): 99-123.", "§14",
            "revealed comparative advantage, gross exports", takes_level=False,
            options={"basis": "gross"}, docs="docs/measures/rca.md"),
    Measure("koopman_kww", "GVC participation and position, IV = KWW T3", mp.koopman, _CS,
            {"country": _C, "sector": _CS}, ("IV", "FV", "E", "participation", "position"),
            "table currency", KOOPMAN_CITE, "§8",
            "Koopman et al. (2010) with IV = KWW T3 (DVA_INTrex)", options={"variant": "kww"},
            units=_SHARE_UNITS, default_term="participation",
            docs="docs/measures/participation.md"),
    Measure("nrca", "Value-added revealed comparative advantage (KWW)", mrca.rca, ("sector",),
            {"sector": _CS}, ("NRCA",), "index",
            "Koopman, R., Wang, Z. & Wei, S.-J. (2014). AER 104(2): 459-494, §V.", "§14",
            "revealed comparative advantage on domestic value added in exports",
            takes_level=False, options={"basis": "value_added"}, docs="docs/measures/rca.md"),
    Measure("apl", "Average propagation length", mpos.apl, ("sector",),
            {"sector": ("country", "sector", "partner", "partner_sector")}, ("APL",), "steps",
            "Dietzenbacher, E., Romero Luna, I. & Bosma, N. S. (2005). Using average "
            "propagation lengths to identify production chains in the Andalusian economy. "
            "Estudios de Economía Aplicada 23(2): 405-422.", "§11",
            "industry x industry (large: (G*N)^2 rows)", takes_level=False,
            docs="docs/measures/positioning.md"),
    Measure("leontief", "Leontief value-added decomposition", mva.leontief,
            ("country", "sector"),
            {"country": ("source_country", "country"),
             "sector": ("source_country", "source_sector", "country", "sector")},
            ("VBE",), "table currency",
            "Leontief (1936); Hummels, Ishii & Yi (2001), JIE 54(1); Koopman, Wang & Wei "
            "(2014), AER 104(2), eq. (6).", "§2",
            "value added of every origin in each country's gross exports (VB diag(E))",
            kind="decomposition", units={"VB": "share"}, docs="docs/measures/leontief.md"),
    Measure("totals", "Gross exports, output and value added", mtot.totals, _CS,
            {"country": _C, "sector": _CS}, mtot.TERMS, "table currency",
            "Table totals; value added is the residual x - u'Z.", "§1",
            "gross exports, gross output and value added", default_term="gross_exports",
            docs="docs/measures/leontief.md"),
    Measure("exposure", "Supply-chain exposure, supply side (BFT)", mexp.exposure, _CS,
            {"country": ("country", "partner"), "sector": ("country", "sector", "partner")},
            mexp.TERMS, mexp.SIDE_UNIT["supply"], EXPOSURE_CITE, "§16",
            "face-value (A) and look-through (B) reliance on each supplier country",
            units=mexp.UNITS, default_term="lt_share", docs="docs/measures/exposure.md"),
    Measure("exposure_sales", "Supply-chain exposure, sales side (BFT)", mexp.exposure, _CS,
            {"country": ("country", "partner"), "sector": ("country", "sector", "partner")},
            mexp.TERMS, mexp.SIDE_UNIT["sales"], EXPOSURE_CITE, "§16",
            "output sold directly (face value) and absorbed by final demand (look-through) "
            "in each customer country", options={"side": "sales"}, units=mexp.UNITS,
            default_term="lt_share", docs="docs/measures/exposure.md"),
):
    register(_m)

SDA_CITE = ("Dietzenbacher, E. & Los, B. (1998). Structural decomposition techniques: sense "
            "and sensitivity. Economic Systems Research 10(4): 307-324, §3; Miller, R. E. & "
            "Blair, P. D. (2009). Input-Output Analysis, 2nd ed., ch. 13.")
#: The SDA measures that are shares of gross exports.
_SDA_SHARES = ("dva_share", "fva_share", "participation")
_SDA_COLUMNS = ("country", "sector", "partner")

# one entry per SDA measure: a change between two tables (``sda_dva_share``, ...)
for _name, _desc in msda.MEASURES.items():
    register(Measure(
        f"sda_{_name}", f"Structural decomposition of {_name}", msda.sda,
        msda.LEVELS[_name], dict.fromkeys(msda.LEVELS[_name], _SDA_COLUMNS),
        ("start", "end", "change", *msda.FACTOR_TITLES), "share" if _name in _SDA_SHARES
        else "table currency", SDA_CITE, "§17",
        f"contributions of v, technology, sourcing and final demand to the change of: {_desc}",
        kind="change", options={"measure": _name}, tables=2, docs="docs/measures/sda.md"))
