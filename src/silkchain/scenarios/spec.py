"""The scenario specification: YAML or Python, validated, hashed.

A scenario is a table and a list of steps applied in order, each step working
on the table the previous one produced. In YAML::

    table: wiod2013:2011          # a dataset id or a path
    name: no Chinese exports      # optional
    steps:
      - extract: {country: CHN, what: exports}

Each step is a mapping with one key, the operation (``transfer``,
``extract``, ``demand``, ``sourcing``, ``cost``), whose value holds that
operation's fields (see the step classes and ``docs/scenarios.md``). Unknown
keys are rejected and every error names the step index and the field, for
example ``steps[1].transfer.share: expected a number in [0, 1], got 1.5``.
Country, sector and category codes are checked against the table when the
scenario is applied.

The canonical form of a scenario (:meth:`Scenario.to_dict`, defaults filled
in) is hashed with sha256 (:attr:`Scenario.sha256`); results carry the spec and
its hash.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, ClassVar

from silkchain.errors import SilkchainError

__all__ = [
    "STEP_TYPES",
    "Cost",
    "Demand",
    "Extract",
    "Reshore",
    "Scenario",
    "ScenarioSpecError",
    "Sourcing",
    "Step",
    "Transfer",
]


class ScenarioSpecError(SilkchainError, ValueError):
    """A scenario specification is malformed; the message names the step and the field."""


#: Largest relative change or cost rate a step accepts (100 = +10,000 %).
MAX_RATE = 100.0
#: Largest absolute amount (in the table's unit) a step accepts.
MAX_AMOUNT = 1e15


class _FieldError(Exception):
    """Raised inside a step's validation; the scenario adds the step index."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message)
        self.field = field_name
        self.message = message


# ---------------------------------------------------------------------- YAML
class _AliasError(ValueError):
    pass


def _loader() -> type:
    """A ``yaml.SafeLoader`` that refuses aliases and reads ``1e308`` as a number.

    Aliases (``*name``) are refused before anything expands them (a few hundred bytes
    of nested aliases can expand to gigabytes); exponents without a dot (``1e-3``,
    ``1e308``) are numbers, as in YAML 1.2, not text.
    """
    import re

    import yaml

    class Loader(yaml.SafeLoader):
        def compose_node(self, parent: Any, index: Any) -> Any:
            if self.check_event(yaml.AliasEvent):
                event = self.peek_event()
                raise _AliasError(
                    f"the scenario uses a YAML alias (*{event.anchor}) at line "
                    f"{event.start_mark.line + 1}; aliases are not accepted in scenario "
                    "files: write the value out")
            return super().compose_node(parent, index)

    Loader.yaml_implicit_resolvers = {k: list(v) for k, v in
                                      yaml.SafeLoader.yaml_implicit_resolvers.items()}
    Loader.add_implicit_resolver(
        "tag:yaml.org,2002:float",
        re.compile(r"^[-+]?(?:[0-9][0-9_]*)(?:\.[0-9_]*)?[eE][-+]?[0-9]+$"),
        list("-+0123456789"))
    return Loader


# ---------------------------------------------------------------------- value checks
def _show(value: object, limit: int = 80) -> str:
    """A value for a message, cut to ``limit`` characters (huge integers by their size)."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 10**30:
        digits = len(str(abs(value))) if abs(value) < 10**4000 else "over 4000"
        return f"an integer of {digits} digits"
    if isinstance(value, (Mapping, list, tuple)):
        text = f"a {type(value).__name__} of {len(value)} item(s)"
    else:
        text = repr(value)
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _code(value: object, name: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _FieldError(name, f"expected a code (text), got {_show(value)}")
    return value.strip()


def _codes(value: object, name: str, *, allow_none: bool = True) -> tuple[str, ...] | None:
    if value is None:
        if allow_none:
            return None
        raise _FieldError(name, "is required")
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, (list, tuple)) or not items:
        raise _FieldError(name, f"expected a code or a non-empty list of codes, got "
                                f"{_show(value)}")
    out = tuple(_code(v, name) for v in items)
    dup = sorted({c for c in out if out.count(c) > 1})
    if dup:
        raise _FieldError(name, f"lists {', '.join(dup)} more than once")
    return out


def _number(value: object, name: str, lo: float | None = None, hi: float | None = None,
            *, lo_open: bool = False, what: str = "a number") -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _FieldError(name, f"expected {what}, got {_show(value)}")
    try:
        x = float(value)
    except OverflowError:
        raise _FieldError(name, f"expected {what}, got {_show(value)}, beyond the range of "
                                "floating-point numbers") from None
    if not math.isfinite(x):
        raise _FieldError(name, f"expected {what}, got {_show(value)} (a finite number is "
                                "needed; 1e309 and larger read as infinity)")
    low_bad = lo is not None and (x <= lo if lo_open else x < lo)
    if low_bad or (hi is not None and x > hi):
        left = "(" if lo_open else "["
        rng = f"{left}{'-inf' if lo is None else _fmt(lo)}, {'inf' if hi is None else _fmt(hi)}]"
        raise _FieldError(name, f"expected {what} in {rng}, got {_fmt(x)}")
    return x


def _fmt(x: float) -> str:
    return f"{x:g}"


def _choice(value: object, name: str, choices: Sequence[str]) -> str:
    if value not in choices:
        raise _FieldError(name, f"expected one of {', '.join(choices)}, got {_show(value)}")
    return str(value)


def _weights(value: object, name: str, choices: Sequence[str] | None = None) -> dict[str, float]:
    """A code or list (equal weights) or a mapping code -> weight, weights summing to 1."""
    if isinstance(value, Mapping):
        if not value:
            raise _FieldError(name, "expected a non-empty mapping of code -> weight")
        out = {}
        for k, w in value.items():
            key = _code(k, name)
            if choices is not None:
                _choice(key, name, choices)
            out[key] = _number(w, f"{name}.{key}", 0.0, 1.0, what="a weight")
        total = sum(out.values())
        if abs(total - 1.0) > 1e-9:
            raise _FieldError(name, f"weights must sum to 1, they sum to {total:.10g}")
        return out
    codes = _codes(value, name, allow_none=False)
    assert codes is not None
    if choices is not None:
        for c in codes:
            _choice(c, name, choices)
    return {c: 1.0 / len(codes) for c in codes}


# ---------------------------------------------------------------------- steps
@dataclass(frozen=True)
class Step:
    """Base class of scenario steps. ``op`` is the YAML key of the operation."""

    op: ClassVar[str] = ""
    #: YAML key -> attribute name, where they differ (``from`` is a Python keyword).
    renames: ClassVar[dict[str, str]] = {}
    required: ClassVar[tuple[str, ...]] = ()

    def __post_init__(self) -> None:
        try:
            self._check()
        except _FieldError as err:
            raise ScenarioSpecError(f"{self.op}.{err.field}: {err.message}") from None

    def _check(self) -> None:  # pragma: no cover - every step overrides it
        raise NotImplementedError

    def _set(self, attr: str, value: object) -> None:
        object.__setattr__(self, attr, value)

    @classmethod
    def yaml_keys(cls) -> list[str]:
        """The keys this step accepts in YAML, in order."""
        back = {v: k for k, v in cls.renames.items()}
        return [back.get(f.name, f.name) for f in fields(cls)]

    @classmethod
    def from_mapping(cls, data: object) -> Step:
        """Build the step from its YAML mapping (unknown keys rejected)."""
        if not isinstance(data, Mapping):
            raise _FieldError("", f"expected a mapping of fields, got {_show(data)}")
        allowed = cls.yaml_keys()
        for key in data:
            if key not in allowed:
                raise _FieldError(str(key), f"unknown key; allowed: {', '.join(allowed)}")
        for key in cls.required:
            if key not in data or data[key] is None:
                raise _FieldError(key, "is required")
        kwargs = {cls.renames.get(k, k): v for k, v in data.items()}
        try:
            return cls(**kwargs)
        except ScenarioSpecError as err:
            text = str(err)
            prefix = f"{cls.op}."
            fld, _, msg = text[len(prefix):].partition(": ")
            raise _FieldError(fld, msg) from None

    def to_dict(self) -> dict[str, Any]:
        """The canonical mapping of this step (YAML keys, defaults filled in)."""
        back = {v: k for k, v in self.renames.items()}
        body: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, tuple):
                value = list(value)
            elif isinstance(value, Mapping):
                value = dict(value)
            body[back.get(f.name, f.name)] = value
        return {self.op: body}


TECHNOLOGIES = ("destination", "origin", "blend")
SOURCINGS = ("usual", "origin", "local")
CONSERVE = ("final_demand", "moved_output")


@dataclass(frozen=True)
class Transfer(Step):
    """Move a share of an industry of one country to one or more others.

    YAML fields
    -----------
    from : str
        Origin country ``A``.
    to : str, list or mapping
        Destination country ``B``; a list splits the moved share equally, a
        mapping ``{IDN: 0.6, IND: 0.4}`` by the weights given (summing to 1).
    sector : str or list
        Sector(s) ``s`` that move (each by the same share).
    share : float in [0, 1]
        Share of ``A``'s output of ``s`` that moves: its sales to every buyer
        and market, intermediate and final, are now made by ``B``.
    technology : {"destination", "origin", "blend"}
        Input structure of the moved production: ``B``'s own in sector ``s``,
        ``A``'s (technology transfer), or ``blend`` of the two.
    blend : float in [0, 1]
        Weight of the origin's technology when ``technology: blend`` (default 0.5).
    sourcing : {"usual", "origin", "local"} or mapping
        Where the moved production buys its inputs: ``B``'s usual suppliers of
        each product, ``A``'s industries (capacity cooperation with the
        origin's inputs), or ``B``'s own industries (a local industrial
        system); a mapping mixes them, e.g. ``{usual: 0.5, local: 0.5}``.
    freed_capacity : "idle" or mapping
        What ``A`` does with the capacity it frees: ``idle`` (default; its
        output of ``s`` simply falls) or ``{redeploy: SECTOR, share: 1.0}``:
        ``A``'s industry ``SECTOR`` wins, from foreign producers of that
        product in every market in proportion to their sales, a market worth
        ``share`` times the output moved.
    conserve : list
        ``[final_demand]`` (always: sales move, demand does not) and optionally
        ``moved_output``: the origin's output of ``s`` is exactly ``(1 - share)``
        of its baseline and each destination's exactly its baseline plus its
        part of the moved output; the table is then rebalanced with GRAS to
        these targets and to unchanged final-demand totals (default both).
    tol : float
        GRAS tolerance relative to the largest total (default 1e-10).
    """

    op: ClassVar[str] = "transfer"
    renames: ClassVar[dict[str, str]] = {"from": "origin", "to": "destination"}
    required: ClassVar[tuple[str, ...]] = ("from", "to", "sector", "share")

    origin: str = ""
    destination: Any = None
    sector: Any = None
    share: float = 0.0
    technology: str = "destination"
    blend: float | None = None
    sourcing: Any = "usual"
    freed_capacity: Any = "idle"
    conserve: Any = CONSERVE
    tol: float = 1e-10

    def _check(self) -> None:
        self._set("origin", _code(self.origin, "from"))
        dest = _weights(self.destination, "to")
        if self.origin in dest:
            raise _FieldError("to", f"the origin {self.origin} cannot also be a destination")
        self._set("destination", dest)
        self._set("sector", _codes(self.sector, "sector", allow_none=False))
        self._set("share", _number(self.share, "share", 0.0, 1.0))
        self._set("technology", _choice(self.technology, "technology", TECHNOLOGIES))
        if self.technology == "blend":
            self._set("blend", _number(0.5 if self.blend is None else self.blend, "blend",
                                       0.0, 1.0, what="a weight"))
        elif self.blend is not None:
            raise _FieldError("blend", f"is only used with technology: blend (technology is "
                                       f"{self.technology})")
        self._set("sourcing", _weights(self.sourcing, "sourcing", SOURCINGS))
        self._set("freed_capacity", self._freed(self.freed_capacity))
        cons = _codes(list(self.conserve) if isinstance(self.conserve, tuple) else self.conserve,
                      "conserve", allow_none=False)
        assert cons is not None
        for c in cons:
            _choice(c, "conserve", CONSERVE)
        if "final_demand" not in cons:
            raise _FieldError("conserve", "transfers always conserve final_demand (sales move, "
                                          "demand does not); add it to the list")
        self._set("conserve", tuple(c for c in CONSERVE if c in cons))
        self._set("tol", _number(self.tol, "tol", 0.0, 1e-3, lo_open=True))

    def _freed(self, value: object) -> Any:
        if value == "idle":
            return "idle"
        if not isinstance(value, Mapping):
            raise _FieldError("freed_capacity", "expected 'idle' or a mapping {redeploy: "
                                                f"SECTOR, share: 1.0}}, got {_show(value)}")
        unknown = [k for k in value if k not in ("redeploy", "share")]
        if unknown:
            raise _FieldError(f"freed_capacity.{unknown[0]}", "unknown key; allowed: redeploy, "
                                                              "share")
        if "redeploy" not in value:
            raise _FieldError("freed_capacity.redeploy", "is required")
        sec = _code(value["redeploy"], "freed_capacity.redeploy")
        if sec in self.sector:
            raise _FieldError("freed_capacity.redeploy", f"{sec} is a sector being transferred")
        share = _number(value.get("share", 1.0), "freed_capacity.share", 0.0, 1.0)
        return {"redeploy": sec, "share": share}


EXTRACT_WHAT = ("exports", "sector", "backward", "forward")


@dataclass(frozen=True)
class Extract(Step):
    """Hypothetical extraction (Los, Timmer & de Vries 2016; Dietzenbacher & van der Linden 1997).

    YAML fields
    -----------
    what : {"exports", "sector", "backward", "forward"}
        ``exports``: all sales of ``country`` abroad (or to ``partners``, of
        ``sector``); ``sector``: the industries ``sector`` in ``country`` (in
        every country when ``country`` is absent) disappear with their final
        demand; ``backward`` / ``forward``: only the purchases of inputs from
        outside, or the sales of inputs to outside, the industries ``sector``
        x ``country`` (all sectors of ``country`` when ``sector`` is absent).
    country : str
        Required for ``exports``.
    sector : str or list, optional
    partners : str or list, optional
        Importing countries (``exports`` only; default: all).
    """

    op: ClassVar[str] = "extract"
    required: ClassVar[tuple[str, ...]] = ("what",)

    what: str = "exports"
    country: str | None = None
    sector: Any = None
    partners: Any = None

    def _check(self) -> None:
        self._set("what", _choice(self.what, "what", EXTRACT_WHAT))
        if self.country is not None:
            self._set("country", _code(self.country, "country"))
        self._set("sector", _codes(self.sector, "sector"))
        self._set("partners", _codes(self.partners, "partners"))
        if self.what == "exports" and self.country is None:
            raise _FieldError("country", "is required when what is exports")
        if self.what == "sector" and self.sector is None:
            raise _FieldError("sector", "is required when what is sector")
        if self.what in ("backward", "forward") and self.country is None and self.sector is None:
            raise _FieldError("country", f"{self.what} extraction needs a country, a sector or "
                                         "both")
        if self.partners is not None:
            if self.what != "exports":
                raise _FieldError("partners", "is only used when what is exports")
            if self.country in self.partners:
                raise _FieldError("partners", f"{self.country} cannot export to itself")


@dataclass(frozen=True)
class Demand(Step):
    """A final-demand shock.

    YAML fields
    -----------
    origin : str or list, optional
        Producing countries of the final goods (default: all).
    destination : str or list, optional
        Buying countries (default: all).
    sector : str or list, optional
        Products (default: all).
    category : str or list, optional
        Final-demand categories, e.g. ``GFCF`` (default: all).
    change : float > -1
        Relative change of every selected cell (0.1 = +10 %).
    amount : float
        Absolute change of the selection in table units, spread over its
        cells in proportion to their values. Give ``change`` or ``amount``.
    """

    op: ClassVar[str] = "demand"

    origin: Any = None
    destination: Any = None
    sector: Any = None
    category: Any = None
    change: float | None = None
    amount: float | None = None

    def _check(self) -> None:
        for name in ("origin", "destination", "sector", "category"):
            self._set(name, _codes(getattr(self, name), name))
        if (self.change is None) == (self.amount is None):
            raise _FieldError("change", "give exactly one of change (relative) or amount "
                                        "(absolute)")
        if self.change is not None:
            self._set("change", _number(self.change, "change", -1.0, MAX_RATE,
                                        lo_open=True, what="a relative change"))
        else:
            self._set("amount", _number(self.amount, "amount", -MAX_AMOUNT, MAX_AMOUNT,
                                        what="an amount"))


@dataclass(frozen=True)
class Sourcing(Step):
    """Replace a share of one country's imports from X by imports from Y or by domestic supply.

    YAML fields
    -----------
    importer : str
        The buying country.
    from : str
        The supplier X whose share falls.
    to : str
        The new supplier Y, or ``domestic`` (the importer's own industries).
    share : float in [0, 1]
        Share of the importer's purchases from X that moves.
    products : str or list, optional
        Products concerned (supplying sectors; default all).
    buyers : str or list, optional
        The importer's buying sectors (default all).
    final : bool
        Also move purchases for final demand (default true).
    """

    op: ClassVar[str] = "sourcing"
    renames: ClassVar[dict[str, str]] = {"from": "supplier", "to": "replacement"}
    required: ClassVar[tuple[str, ...]] = ("importer", "from", "to", "share")

    importer: str = ""
    supplier: str = ""
    replacement: str = ""
    share: float = 0.0
    products: Any = None
    buyers: Any = None
    final: bool = True

    def _check(self) -> None:
        self._set("importer", _code(self.importer, "importer"))
        self._set("supplier", _code(self.supplier, "from"))
        self._set("replacement", _code(self.replacement, "to"))
        if self.supplier == self.importer:
            raise _FieldError("from", f"{self.importer} does not import from itself")
        if self.replacement == self.supplier:
            raise _FieldError("to", f"the new supplier equals the old one ({self.supplier})")
        self._set("share", _number(self.share, "share", 0.0, 1.0))
        self._set("products", _codes(self.products, "products"))
        self._set("buyers", _codes(self.buyers, "buyers"))
        if not isinstance(self.final, bool):
            raise _FieldError("final", f"expected true or false, got {_show(self.final)}")


COST_FLOWS = ("all", "intermediate", "final")
COST_KINDS = ("tariff", "transport", "other")


@dataclass(frozen=True)
class Cost(Step):
    """An ad-valorem cost wedge on flows (tariff, transport cost), through the price model.

    YAML fields
    -----------
    from : str or list
        Exporting countries.
    to : str or list
        Importing countries.
    sector : str or list, optional
        Products taxed (default all).
    rate : float > -1
        The rate (0.25 = 25 %); successive cost steps compound.
    kind : {"tariff", "transport", "other"}
        A label kept with the results.
    flows : {"all", "intermediate", "final"}
        Which flows bear the wedge (default all).

    Quantities are unchanged (Leontief price model, Miller & Blair 2009, §2.6);
    the results gain the price of every industry and of every country's
    final-demand basket.
    """

    op: ClassVar[str] = "cost"
    renames: ClassVar[dict[str, str]] = {"from": "origin", "to": "destination"}
    required: ClassVar[tuple[str, ...]] = ("from", "to", "rate")

    origin: Any = None
    destination: Any = None
    rate: float = 0.0
    sector: Any = None
    kind: str = "tariff"
    flows: str = "all"

    def _check(self) -> None:
        self._set("origin", _codes(self.origin, "from", allow_none=False))
        self._set("destination", _codes(self.destination, "to", allow_none=False))
        self._set("rate", _number(self.rate, "rate", -1.0, MAX_RATE, lo_open=True,
                                  what="a rate"))
        self._set("sector", _codes(self.sector, "sector"))
        self._set("kind", _choice(self.kind, "kind", COST_KINDS))
        self._set("flows", _choice(self.flows, "flows", COST_FLOWS))


@dataclass(frozen=True)
class Reshore(Step):
    """Bring back a share of imported inputs to domestic suppliers (reshoring).

    YAML fields
    -----------
    countries : str or list
        The reshoring countries, or country groups (``eu``, ``g7``: their members
        that are countries of the table). Each moves the share to its own domestic
        suppliers of the same product.
    share : float in [0, 1]
        Share of the imported inputs that comes home.
    from : str or list, optional
        The foreign suppliers concerned (countries or groups; default every
        country that is not reshoring).
    products : str or list, optional
        Imported products concerned (supplying sectors, as the table's codes or
        broad sectors such as ``textiles``; default all).
    buyers : str or list, optional
        The reshoring countries' buying sectors (same codes; default all).
    final : bool
        Also reshore imports for final demand (default false: inputs only).
    tol : float
        GRAS tolerance relative to the largest total (default 1e-10).
    """

    op: ClassVar[str] = "reshore"
    renames: ClassVar[dict[str, str]] = {"from": "suppliers"}
    required: ClassVar[tuple[str, ...]] = ("countries", "share")

    countries: Any = ()
    share: float = 0.0
    suppliers: Any = None
    products: Any = None
    buyers: Any = None
    final: bool = False
    tol: float = 1e-10

    def _check(self) -> None:
        self._set("countries", _codes(self.countries, "countries", allow_none=False))
        self._set("share", _number(self.share, "share", 0.0, 1.0))
        self._set("suppliers", _codes(self.suppliers, "from"))
        both = sorted(set(self.suppliers or ()) & set(self.countries))
        if both:
            raise _FieldError("from", f"{', '.join(both)} both reshore and supply; a country "
                              "does not import from itself")
        self._set("products", _codes(self.products, "products"))
        self._set("buyers", _codes(self.buyers, "buyers"))
        if not isinstance(self.final, bool):
            raise _FieldError("final", f"expected true or false, got {_show(self.final)}")
        self._set("tol", _number(self.tol, "tol", 0.0, 1e-3, lo_open=True))


STEP_TYPES: dict[str, type[Step]] = {c.op: c for c in (Transfer, Extract, Demand, Sourcing, Cost,
                                                       Reshore)}
TOP_KEYS = ("table", "name", "description", "steps")


# ---------------------------------------------------------------------- scenario
@dataclass(frozen=True)
class Scenario:
    """A table and the steps applied to it, in order.

    Parameters
    ----------
    steps : sequence of Step
        Applied in order; each works on the table the previous one produced.
        An empty list reproduces the baseline.
    table : str, optional
        A dataset id (``wiod2013:2011``) or a path; ``run`` may be given a
        table instead.
    name, description : str, optional

    Examples
    --------
    >>> s = Scenario.from_dict({"table": "wiod2013:2011",
    ...                         "steps": [{"extract": {"country": "CHN", "what": "exports"}}]})
    >>> s.steps[0]
    Extract(what='exports', country='CHN', sector=None, partners=None)
    >>> len(s.sha256)
    64
    >>> try:
    ...     Scenario.from_dict({"steps": [{"extract": {"country": "CHN", "wat": "exports"}}]})
    ... except ScenarioSpecError as err:
    ...     print(err)
    steps[0].extract.wat: unknown key; allowed: what, country, sector, partners
    """

    steps: tuple[Step, ...] = ()
    table: str | None = None
    name: str | None = None
    description: str | None = None
    base_dir: Path | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        steps = self.steps
        if isinstance(steps, Step) or not isinstance(steps, (list, tuple)):
            raise ScenarioSpecError(f"steps: expected a list of steps, got {_show(steps)}")
        for i, step in enumerate(steps):
            if not isinstance(step, Step):
                raise ScenarioSpecError(f"steps[{i}]: expected a step (Transfer, Extract, "
                                        f"Demand, Sourcing, Cost), got {_show(step)}")
        object.__setattr__(self, "steps", tuple(steps))
        for name in ("table", "name", "description"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, (str, os.PathLike)):
                raise ScenarioSpecError(f"{name}: expected text, got {_show(value)}")
        if isinstance(self.table, os.PathLike):
            object.__setattr__(self, "table", os.fspath(self.table))

    # -------------------------------------------------------------- construction
    @classmethod
    def from_dict(cls, data: object, *, base_dir: Path | None = None) -> Scenario:
        """Build and validate a scenario from a mapping (as parsed from YAML or JSON)."""
        if not isinstance(data, Mapping):
            raise ScenarioSpecError(f"a scenario must be a mapping with keys "
                                    f"{', '.join(TOP_KEYS)}; got {_show(data)}")
        unknown = [k for k in data if k not in TOP_KEYS]
        if unknown:
            raise ScenarioSpecError(f"{unknown[0]}: unknown key; allowed: {', '.join(TOP_KEYS)}")
        if "steps" not in data:
            raise ScenarioSpecError("steps: is required (use an empty list for the baseline)")
        raw = data["steps"]
        if raw is None:
            raw = []
        if not isinstance(raw, list):
            raise ScenarioSpecError(f"steps: expected a list of steps, got {_show(raw)}")
        steps = [_parse_step(i, item) for i, item in enumerate(raw)]
        for key in ("table", "name", "description"):
            if data.get(key) is not None and not isinstance(data[key], str):
                raise ScenarioSpecError(f"{key}: expected text, got {_show(data[key])}")
        return cls(steps=tuple(steps), table=data.get("table"), name=data.get("name"),
                   description=data.get("description"), base_dir=base_dir)

    @classmethod
    def from_yaml(cls, source: str | os.PathLike[str]) -> Scenario:
        """Read a scenario from a YAML file (or from YAML text containing a newline)."""
        import yaml

        base_dir = None
        if isinstance(source, str) and "\n" in source:
            text = source
        else:
            path = Path(source)
            if not path.is_file():
                raise ScenarioSpecError(f"{path}: no such scenario file")
            raw = path.read_bytes()
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as err:
                line = raw[:err.start].count(b"\n") + 1
                raise ScenarioSpecError(
                    f"{path}: not UTF-8 text (byte 0x{raw[err.start]:02x} at line {line}); "
                    "save the scenario as UTF-8") from None
            base_dir = path.resolve().parent
        try:
            data = yaml.load(text, Loader=_loader())  # a SafeLoader, without aliases
        except _AliasError as err:
            raise ScenarioSpecError(str(err)) from None
        except ValueError as err:  # e.g. an integer beyond Python's 4300-digit limit
            raise ScenarioSpecError(f"the scenario holds a value that cannot be read: "
                                    f"{str(err)[:200]}") from None
        except yaml.YAMLError as err:
            mark = getattr(err, "problem_mark", None)
            where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
            problem = getattr(err, "problem", None) or str(err)
            raise ScenarioSpecError(f"the scenario is not valid YAML{where}: "
                                    f"{str(problem)[:200]}") from None
        except RecursionError:
            raise ScenarioSpecError("the scenario is nested too deeply to be a scenario "
                                    "file") from None
        return cls.from_dict(data, base_dir=base_dir)

    # -------------------------------------------------------------- canonical form
    def to_dict(self) -> dict[str, Any]:
        """The canonical mapping: every step with its defaults filled in."""
        out: dict[str, Any] = {}
        for key in ("table", "name", "description"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        out["steps"] = [s.to_dict() for s in self.steps]
        return out

    def to_json(self) -> str:
        """Canonical JSON (sorted keys, no spaces): what :attr:`sha256` hashes."""
        return json.dumps(self.to_dict(), sort_keys=True, separators=(",", ":"),
                          ensure_ascii=True)

    def to_yaml(self) -> str:
        """The canonical form as YAML."""
        import yaml

        return str(yaml.safe_dump(self.to_dict(), sort_keys=False, allow_unicode=True))

    @property
    def sha256(self) -> str:
        """sha256 of :meth:`to_json`; equal specs (after defaults) hash equally."""
        return hashlib.sha256(self.to_json().encode("ascii")).hexdigest()

    def table_ref(self) -> str | None:
        """The table to read: a dataset id, or a path resolved next to the YAML file."""
        if self.table is None:
            return None
        if self.base_dir is not None and not Path(self.table).is_absolute():
            candidate = self.base_dir / self.table
            if candidate.exists():
                return str(candidate)
        return self.table


def _parse_step(i: int, item: object) -> Step:
    where = f"steps[{i}]"
    if not isinstance(item, Mapping) or len(item) != 1:
        raise ScenarioSpecError(f"{where}: expected a mapping with one operation key "
                                f"({', '.join(STEP_TYPES)}), got {_show(item)}")
    ((op, body),) = item.items()
    if op not in STEP_TYPES:
        raise ScenarioSpecError(f"{where}: unknown operation {_show(op)}; allowed: "
                                f"{', '.join(STEP_TYPES)}")
    try:
        return STEP_TYPES[op].from_mapping(body)
    except _FieldError as err:
        sep = "." if err.field else ""
        raise ScenarioSpecError(f"{where}.{op}{sep}{err.field}: {err.message}") from None
