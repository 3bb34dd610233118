"""The answer catalogue: every Belt and Road answer defined once.

The report (:func:`silkchain.report.build.build_report`), the dashboard
(:mod:`silkchain.dashboard.analyses`) and the ``silkchain bri`` commands loop
over :data:`ANSWERS`; adding an answer is a module in ``silkchain.bri`` and one
:func:`register` call (see ``docs/recipes.md``).

Every answer function has the signature
``function(source, group="bri64", years=None, scheduler=None, *, <parameters>,
progress=False, cache=True) -> DataFrame`` (the panel layout ``year, country,
sector, partner, measure, value`` with coverage and caveats in ``attrs``).

>>> [a.cli for a in ANSWERS.values()]
['value-capture', 'participation', 'position', 'china-hub', 'network', 'smile', 'upgrading',
 'exposure', 'why-changed']
>>> ANSWERS["upgrading_paths"].needs_years
2
>>> ANSWERS["position"].arguments(hub="IND")
{'hub': 'IND'}
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from silkchain.bri import china_hub as _hub
from silkchain.bri import exposure as _exposure
from silkchain.bri import network as _network
from silkchain.bri import participation as _participation
from silkchain.bri import position as _position
from silkchain.bri import smile as _smile
from silkchain.bri import upgrading as _upgrading
from silkchain.bri import value_capture as _value_capture
from silkchain.bri import why_changed as _why
from silkchain.errors import MeasureError
from silkchain.measures.registry import Registry

__all__ = ["ANSWERS", "Answer", "Parameter", "by_cli", "register", "unregister"]

#: Which years an answer is run on: every year asked, only the first and the last
#: ("ends": what its chart shows), or a pair (the first and last, at least two).
SPANS = ("all", "ends", "pair")
#: Roles of parameters: ``"hub"`` receives the report's or dashboard's hub economy.
ROLES = ("", "hub")


@dataclass(frozen=True)
class Parameter:
    """An option of an answer (a keyword argument and a ``--NAME`` option of its command)."""

    name: str
    default: Any
    help: str
    role: str = ""  #: ``"hub"``: the report's hub economy goes here
    min: int | None = None  #: smallest value of an integer option

    @property
    def type(self) -> type:
        """The option's Python type (that of its default)."""
        return type(self.default)


@dataclass(frozen=True)
class Answer:
    """One Belt and Road answer: the function, how it is run, how it is shown.

    Attributes
    ----------
    key : str
        Name of the function and of the report section (``value_capture``).
    title : str
        Human title (report progress, dashboard menu).
    function : callable
        ``function(source, group=..., years=..., scheduler=..., **parameters)``.
    span : {"all", "ends", "pair"}
        The years the report runs it on (see :data:`SPANS`).
    needs_years : int
        Fewest years that give a meaningful answer (slopes and trends need 2);
        with fewer the report leaves the answer out and says why.
    cli : str
        Command name (``silkchain bri value-capture``).
    help : str
        One line for ``--help`` and the dashboard.
    parameters : tuple of Parameter
        The answer's own options.
    chart : callable, optional
        ``chart(frame, **options) -> dict``: chart-ready data.
    docs : str
        The docs page.
    """

    key: str
    title: str
    function: Callable[..., pd.DataFrame]
    span: str
    needs_years: int
    cli: str
    help: str
    parameters: tuple[Parameter, ...] = ()
    chart: Callable[..., dict[str, Any]] | None = None
    docs: str = ""
    why_years: str = ""  #: what is missing with fewer than ``needs_years`` years

    def __post_init__(self) -> None:
        problems = []
        if self.span not in SPANS:
            problems.append(f"span {self.span!r} is not one of {', '.join(SPANS)}")
        if self.needs_years < 1:
            problems.append(f"needs_years must be at least 1, got {self.needs_years}")
        bad = [p.name for p in self.parameters if p.role not in ROLES]
        if bad:
            problems.append(f"parameter(s) {', '.join(bad)} have an unknown role")
        if problems:
            raise MeasureError(f"answer {self.key!r}: " + "; ".join(problems))

    def arguments(self, hub: str | None = None, **given: Any) -> dict[str, Any]:
        """The answer's own keyword arguments: ``given`` ones, and ``hub`` where it goes."""
        names = {p.name for p in self.parameters}
        unknown = sorted(set(given) - names)
        if unknown:
            raise MeasureError(f"answer {self.key!r} has no option(s) {', '.join(unknown)}; "
                               f"options: {', '.join(sorted(names)) or 'none'}")
        out = dict(given)
        if hub is not None:
            for p in self.parameters:
                if p.role == "hub" and p.name not in out:
                    out[p.name] = hub
        return out

    def years_for(self, years: list[int]) -> list[int]:
        """The years of ``years`` (sorted) this answer runs on, by its span."""
        if self.span in ("ends", "pair") and len(years) > 2:
            return [years[0], years[-1]]
        return list(years)

    def left_out(self, years: list[int]) -> str | None:
        """Why this answer is left out on ``years``, or ``None`` when it runs."""
        if len(years) >= self.needs_years:
            return None
        what = self.why_years or "it compares years"
        return (f"{self.title} needs at least {self.needs_years} years ({what}); "
                f"{len(years)} year{'s' * (len(years) != 1)} given")


_REGISTRY: dict[str, Answer] = {}
#: Every Belt and Road answer by key, in the report's order.
ANSWERS: Mapping[str, Answer] = Registry("ANSWERS", _REGISTRY)


def register(answer: Answer, *, replace: bool = False) -> Answer:
    """Add ``answer`` to :data:`ANSWERS` (``replace=True`` to redefine a key).

    Raises
    ------
    MeasureError
        The key or the command name is taken.
    """
    if not replace:
        clash = [a.key for a in _REGISTRY.values()
                 if a.key == answer.key or a.cli == answer.cli]
        if clash:
            raise MeasureError(f"answer {answer.key!r} (command {answer.cli!r}) clashes with "
                               f"{', '.join(clash)}; pass replace=True to redefine")
    _REGISTRY[answer.key] = answer
    return answer


def unregister(key: str) -> None:
    """Remove an answer (tests that register a temporary one clean up with this)."""
    _REGISTRY.pop(key, None)


def by_cli(name: str) -> Answer:
    """The answer whose command is ``name`` (``"value-capture"``)."""
    for a in _REGISTRY.values():
        if a.cli == name:
            return a
    raise MeasureError(f"unknown answer {name!r}; available: "
                       f"{', '.join(a.cli for a in _REGISTRY.values())}")


_HUB = Parameter("hub", "CHN", "The hub country.", role="hub")

for _a in (
    Answer("value_capture", "Value capture", _value_capture.value_capture, "all", 1,
           "value-capture", "Domestic and GVC-related value added in exports by country and "
           "group (Borin-Mancini).", chart=_value_capture.chart_data,
           docs="docs/bri/value-capture.md"),
    Answer("participation_gains", "Participation and gains",
           _participation.participation_gains, "all", 1, "participation",
           "Backward/forward GVC participation (WWYZ) beside DVA shares and value-added "
           "growth.", chart=_participation.chart_data, docs="docs/bri/participation.md"),
    Answer("position", "Position", _position.position, "all", 1, "position",
           "Upstreamness, WWYZ GVC position and Koopman position over time; does China move "
           "up?", (Parameter("level", "country", "country or sector."),
                   Parameter("hub", "CHN", "Country whose direction is summarised.",
                             role="hub")),
           chart=_position.chart_data, docs="docs/bri/position.md"),
    Answer("china_hub", "China as hub", _hub.china_hub, "all", 1, "china-hub",
           "China's share in partners' FVA, partners' VA absorbed in China, regional vs "
           "global chains.", (_HUB,), chart=_hub.chart_data, docs="docs/bri/china-hub.md"),
    Answer("va_network", "Value-added network", _network.va_network, "all", 1, "network",
           "The value-added trade network (networkx): centrality, hubs and communities over "
           "time.", (Parameter("hub", "CHN", "Country whose community is flagged.",
                               role="hub"),
                     Parameter("seed", 0, "Louvain seed.")),
           chart=_network.chart_data, docs="docs/bri/network.md"),
    Answer("smile_curve", "Smile curve", _smile.smile_curve, "ends", 1, "smile",
           "Value added by stage along a country's export chains, and its exports' "
           "technology mix.", (Parameter("country", "CHN", "The exporting country.",
                                         role="hub"),),
           chart=_smile.chart_data, docs="docs/bri/smile.md"),
    Answer("upgrading_paths", "Upgrading paths", _upgrading.upgrading_paths, "all", 2,
           "upgrading", "Sectors with rising VA-RCA and position; candidate sectors close to "
           "current strengths.", (Parameter("country", "CHN", "The country.", role="hub"),
                                  Parameter("top", 5, "Candidates to name.", min=1)),
           chart=_upgrading.chart_data, docs="docs/bri/upgrading.md",
           why_years="the slopes of value-added RCA and position over time"),
    Answer("exposure", "Supply-chain exposure", _exposure.exposure, "all", 1, "exposure",
           "Face-value and look-through reliance on the hub's inputs and demand, and the "
           "hub's on the group (Baldwin, Freeman & Theodorakopoulos).",
           (_HUB, Parameter("level", "country", "country, or sector (adds every "
                            "industry's exposure to the hub).")),
           chart=_exposure.chart_data, docs="docs/bri/exposure.md"),
    Answer("why_changed", "Why value capture changed", _why.why_changed, "pair", 2,
           "why-changed", "Structural decomposition of the change of the DVA share of "
           "exports (or another SDA measure) from the first to the last year.",
           (_HUB, Parameter("measure", "dva_share", "SDA measure (dva_share, dva, vax, "
                            "participation, ...).")),
           chart=_why.chart_data, docs="docs/bri/why-changed.md",
           why_years="the change between a first and a last year"),
):
    register(_a)
