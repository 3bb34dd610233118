"""The example specs under docs/examples/ are valid, and the scenario pages' examples run."""

from __future__ import annotations

from pathlib import Path

import pytest

from silkchain.scenarios import Scenario, Transfer

DOCS = Path(__file__).resolve().parents[2] / "docs"
#: Scenario specs: every YAML example but the groups files (a top-level ``groups:`` key).
SPECS = sorted(p for p in (DOCS / "examples").glob("*.yaml")
               if not p.read_text(encoding="utf-8").lstrip().startswith("groups:"))


def test_there_are_example_specs():
    assert len(SPECS) >= 5


@pytest.mark.parametrize("path", SPECS, ids=lambda p: p.name)
def test_example_spec_is_valid(path):
    sc = Scenario.from_yaml(path)
    assert sc.table == "wiod2013:2011" and sc.steps


def test_textiles_options_are_the_three_documented():
    opts = {p.stem: Scenario.from_yaml(p).steps[0] for p in SPECS if "textiles" in p.name}
    got = {k: (s.technology, tuple(s.sourcing)) for k, s in opts.items()
           if isinstance(s, Transfer)}
    assert sorted(got.values()) == [("destination", ("usual",)), ("origin", ("local",)),
                                    ("origin", ("origin",))]
