"""Scenarios: industrial transfer, hypothetical extraction, demand, sourcing and cost shocks.

A :class:`Scenario` (YAML or Python) names a table and a list of steps;
:func:`apply` returns the counterfactual table and :func:`run` compares every
GVC measure before and after (see ``docs/scenarios.md``).

>>> from silkchain.scenarios import Scenario, run
>>> res = run({"table": "wiod2013:2011",
...            "steps": [{"extract": {"country": "CHN", "what": "exports"}}]},
...           measures=["gdp"])
>>> chn = res.comparison.query("country == 'CHN' and sector == '_T'")
>>> round(float(chn.delta.iloc[0]))   # -(Borin-Mancini DVA of China's exports), USD million
-1614455
"""

from silkchain.core.ras import ConvergenceError, RASError, RASResult
from silkchain.scenarios.compare import DEFAULT_MEASURES, compare
from silkchain.scenarios.operations import ScenarioError, value_added
from silkchain.scenarios.run import ScenarioResult, apply, run
from silkchain.scenarios.spec import (
    STEP_TYPES,
    Cost,
    Demand,
    Extract,
    Scenario,
    ScenarioSpecError,
    Sourcing,
    Step,
    Transfer,
)

__all__ = [
    "DEFAULT_MEASURES",
    "STEP_TYPES",
    "ConvergenceError",
    "Cost",
    "Demand",
    "Extract",
    "RASError",
    "RASResult",
    "Scenario",
    "ScenarioError",
    "ScenarioResult",
    "ScenarioSpecError",
    "Sourcing",
    "Step",
    "Transfer",
    "apply",
    "compare",
    "run",
    "value_added",
]
