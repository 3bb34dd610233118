"""Apply a scenario to a table and compare every GVC measure before and after."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pandas as pd

from silkchain.core.blocks import FloatArray
from silkchain.io.atomic import atomic_path
from silkchain.scenarios.compare import DEFAULT_MEASURES, PRICE_MEASURES, compare, price_frame
from silkchain.scenarios.operations import State, apply_step
from silkchain.scenarios.spec import Cost, Scenario, ScenarioSpecError
from silkchain.table import MRIOTable

Progress = Callable[[int, int, str], None]


@dataclass
class ScenarioResult:
    """What a scenario run produced.

    Attributes
    ----------
    scenario : Scenario
        The validated specification (``scenario.sha256`` is its hash).
    baseline, table : MRIOTable
        The table before and after the steps (the same object for an empty
        scenario or one with cost shocks only).
    comparison : DataFrame
        ``country, sector, measure, baseline, scenario, delta``.
    log : list of dict
        One entry per step: what it did, and for rebalanced transfers the
        GRAS convergence (iterations, largest gap, tolerance).
    notes : list of str
        Measures that could not be computed and why.
    """

    scenario: Scenario
    baseline: MRIOTable
    table: MRIOTable
    comparison: pd.DataFrame
    log: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    wedge: FloatArray | None = None
    wedge_fd: FloatArray | None = None

    @property
    def sha256(self) -> str:
        """sha256 of the scenario's canonical form."""
        return self.scenario.sha256

    def record(self) -> dict[str, Any]:
        """The spec, its hash, the baseline's provenance and the step log, for saving."""
        return {
            "scenario": self.scenario.to_dict(),
            "sha256": self.sha256,
            "baseline": {k: self.baseline.meta[k] for k in ("dataset", "path", "sha256")
                         if k in self.baseline.meta},
            "log": self.log,
            "notes": self.notes,
        }

    def save_record(self, path: str | os.PathLike[str]) -> Path:
        """Write :meth:`record` as YAML (``.yaml``/``.yml``) or JSON, atomically."""
        path = Path(path)
        rec = self.record()
        if path.suffix.lower() in (".yaml", ".yml"):
            import yaml

            text = yaml.safe_dump(rec, sort_keys=False, allow_unicode=True)
        else:
            text = json.dumps(rec, indent=2)
        with atomic_path(path) as tmp:
            Path(tmp).write_text(text, encoding="utf-8")
        return path


def _coerce(scenario: Scenario | dict[str, Any] | str | os.PathLike[str]) -> Scenario:
    if isinstance(scenario, Scenario):
        return scenario
    if isinstance(scenario, dict):
        return Scenario.from_dict(scenario)
    return Scenario.from_yaml(scenario)


def _table_for(scenario: Scenario, table: MRIOTable | str | None) -> MRIOTable:
    from silkchain.io.registry import read

    if table is not None:
        return read(table)
    ref = scenario.table_ref()
    if ref is None:
        raise ScenarioSpecError("table: is required (the scenario names no table and none "
                                "was given)")
    return read(ref)


def _apply_state(table: MRIOTable, scenario: Scenario, progress: Progress | None) -> State:
    state = State(table=table)
    n = len(scenario.steps)
    for i, step in enumerate(scenario.steps):
        if progress is not None:
            progress(i, n, f"step {i + 1}/{n}: {step.op}")
        state = apply_step(state, step, i)
    if state.table is not table:
        # the table was built by this run and is not shared yet: record the spec in its
        # meta without validating the arrays a second time
        meta = dict(state.table.meta)
        meta["scenario_sha256"] = scenario.sha256
        meta["scenario_spec"] = scenario.to_json()
        object.__setattr__(state.table, "meta", MappingProxyType(meta))
    return state


def apply(table: MRIOTable | str, scenario: Scenario | dict[str, Any] | str) -> MRIOTable:
    """The table after every step of ``scenario`` (a new, validated :class:`MRIOTable`).

    An empty scenario, or one with cost shocks only, returns ``table`` itself:
    the baseline, bit for bit. The result's ``meta`` holds ``scenario_sha256``
    and ``scenario_spec``.

    Examples
    --------
    >>> import silkchain as sc
    >>> t = sc.read("wiod2013:2011")
    >>> apply(t, {"steps": []}) is t
    True
    >>> s = apply(t, {"steps": [{"demand": {"destination": "USA", "change": 0.01}}]})
    >>> round(float(s.Y.sum() / t.Y.sum() - 1), 5)
    0.00227
    """
    sc = _coerce(scenario)
    from silkchain.io.registry import read

    return _apply_state(read(table), sc, None).table


def run(
    scenario: Scenario | dict[str, Any] | str | os.PathLike[str],
    table: MRIOTable | str | None = None,
    *,
    measures: Sequence[str] | None = None,
    progress: Progress | None = None,
) -> ScenarioResult:
    """Apply ``scenario`` and compare the measures before and after.

    Parameters
    ----------
    scenario : Scenario, mapping or path
        The specification (a YAML path is read with :meth:`Scenario.from_yaml`).
    table : MRIOTable or str, optional
        Overrides the scenario's ``table``.
    measures : sequence of str, optional
        Default: :data:`silkchain.scenarios.compare.DEFAULT_MEASURES`; prices
        are added when the scenario has cost shocks.
    progress : callable, optional
        Called as ``progress(i, n, description)`` before each step and each
        measurement.

    Returns
    -------
    ScenarioResult
    """
    sc = _coerce(scenario)
    base = _table_for(sc, table)
    state = _apply_state(base, sc, progress)
    n = len(sc.steps)
    if progress is not None:
        progress(n, n, "measuring before and after")
    wanted = list(DEFAULT_MEASURES if measures is None else measures)
    notes: list[str] = []
    comp = compare(base, state.table, [m for m in wanted if m not in PRICE_MEASURES],
                   notes=notes)
    if any(isinstance(s, Cost) for s in sc.steps) or any(m in PRICE_MEASURES for m in wanted):
        prices = price_frame(state.table, state.wedge, state.wedge_fd)
        prices["delta"] = prices["scenario"] - prices["baseline"]
        comp = pd.concat([comp, prices], ignore_index=True)
    comp.attrs["scenario_sha256"] = sc.sha256
    return ScenarioResult(scenario=sc, baseline=base, table=state.table, comparison=comp,
                          log=state.log, notes=notes, wedge=state.wedge,
                          wedge_fd=state.wedge_fd)
