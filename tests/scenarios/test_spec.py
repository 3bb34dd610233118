"""The scenario specification: parsing, validation errors (step index and field), hashing."""

from __future__ import annotations

import pytest

from silkchain.scenarios import (
    Cost,
    Demand,
    Extract,
    Scenario,
    ScenarioSpecError,
    Sourcing,
    Transfer,
    apply,
)

MINIMAL = """\
table: wiod2013:2011          # or a path
steps:
  - extract: {country: CHN, what: exports}
"""


def test_minimal_form_parses_exactly(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(MINIMAL)
    sc = Scenario.from_yaml(path)
    assert sc.table == "wiod2013:2011"
    assert sc.steps == (Extract(what="exports", country="CHN"),)
    assert Scenario.from_yaml(MINIMAL) == sc  # YAML text works too


def test_hash_is_canonical_and_sensitive():
    a = Scenario.from_dict({"table": "wiod2013:2011",
                            "steps": [{"extract": {"country": "CHN", "what": "exports"}}]})
    b = Scenario.from_dict({"steps": [{"extract": {"what": "exports", "country": "CHN"}}],
                            "table": "wiod2013:2011"})
    c = Scenario.from_dict({"table": "wiod2013:2011",
                            "steps": [{"extract": {"country": "IND", "what": "exports"}}]})
    assert a.sha256 == b.sha256 != c.sha256
    assert Scenario.from_dict(a.to_dict()).sha256 == a.sha256
    assert Scenario.from_yaml(a.to_yaml() + "\n").sha256 == a.sha256


def test_python_construction_equals_yaml():
    py = Scenario(steps=(Transfer(origin="CHN", destination={"IDN": 0.5, "IND": 0.5},
                                  sector=["c4", "c5"], share=0.1),), table="wiod2013:2011")
    yml = Scenario.from_yaml("table: wiod2013:2011\nsteps:\n  - transfer: {from: CHN, "
                             "to: [IDN, IND], sector: [c4, c5], share: 0.1}\n")
    assert py == yml and py.sha256 == yml.sha256
    assert yml.steps[0].to_dict()["transfer"]["to"] == {"IDN": 0.5, "IND": 0.5}


def test_all_step_types_round_trip():
    steps = [
        {"transfer": {"from": "CHN", "to": "IDN", "sector": "c4", "share": 0.2,
                      "technology": "blend", "blend": 0.3,
                      "sourcing": {"usual": 0.5, "local": 0.5},
                      "freed_capacity": {"redeploy": "c14", "share": 0.5},
                      "conserve": ["final_demand"]}},
        {"extract": {"what": "backward", "country": "CHN", "sector": ["c4"]}},
        {"demand": {"destination": "USA", "category": "GFCF", "change": -0.1}},
        {"sourcing": {"importer": "USA", "from": "CHN", "to": "domestic", "share": 0.5,
                      "products": ["c4"], "final": False}},
        {"cost": {"from": "CHN", "to": ["USA"], "rate": 0.25, "kind": "tariff"}},
    ]
    sc = Scenario.from_dict({"steps": steps})
    assert [type(s) for s in sc.steps] == [Transfer, Extract, Demand, Sourcing, Cost]
    again = Scenario.from_dict(sc.to_dict())
    assert again == sc


@pytest.mark.parametrize(("spec", "message"), [
    ({"steps": [], "tabel": "x"}, r"^tabel: unknown key; allowed: table, name, description, "
                                  r"steps$"),
    ({"table": "x"}, r"^steps: is required"),
    ({"steps": {"extract": {}}}, r"^steps: expected a list of steps"),
    ({"steps": [], "name": 3}, r"^name: expected text, got 3"),
    ({"steps": ["extract"]}, r"^steps\[0\]: expected a mapping with one operation key"),
    ({"steps": [{"extract": {}, "demand": {}}]}, r"^steps\[0\]: expected a mapping with one"),
    ({"steps": [{"move": {}}]}, r"^steps\[0\]: unknown operation 'move'; allowed: transfer, "
                                r"extract, demand, sourcing, cost"),
    ({"steps": [{"extract": "CHN"}]}, r"^steps\[0\]\.extract: expected a mapping of fields"),
    ({"steps": [{"extract": {"country": "CHN"}}]}, r"^steps\[0\]\.extract\.what: is required"),
    ({"steps": [{"extract": {"country": "CHN", "what": "imports"}}]},
     r"^steps\[0\]\.extract\.what: expected one of exports, sector, backward, forward, got "
     r"'imports'"),
    ({"steps": [{"extract": {"what": "exports"}}]},
     r"^steps\[0\]\.extract\.country: is required when what is exports"),
    ({"steps": [{"extract": {"what": "sector", "country": "CHN"}}]},
     r"^steps\[0\]\.extract\.sector: is required when what is sector"),
    ({"steps": [{"extract": {"what": "backward"}}]},
     r"^steps\[0\]\.extract\.country: backward extraction needs a country, a sector or both"),
    ({"steps": [{"extract": {"what": "sector", "sector": "c4", "partners": "USA"}}]},
     r"^steps\[0\]\.extract\.partners: is only used when what is exports"),
    ({"steps": [{"extract": {"what": "exports", "country": "CHN", "partners": ["CHN"]}}]},
     r"^steps\[0\]\.extract\.partners: CHN cannot export to itself"),
    ({"steps": [{"extract": {"what": "exports", "country": 7}}]},
     r"^steps\[0\]\.extract\.country: expected a code \(text\), got 7"),
    ({"steps": [{"extract": {"what": "exports", "country": "CHN", "sector": []}}]},
     r"^steps\[0\]\.extract\.sector: expected a code or a non-empty list of codes"),
    ({"steps": [{"extract": {"what": "exports", "country": "CHN", "sector": ["c4", "c4"]}}]},
     r"^steps\[0\]\.extract\.sector: lists c4 more than once"),
])
def test_structural_errors_name_the_place(spec, message):
    with pytest.raises(ScenarioSpecError, match=message):
        Scenario.from_dict(spec)


T = {"from": "CHN", "to": "IDN", "sector": "c4", "share": 0.1}


@pytest.mark.parametrize(("change", "message"), [
    ({"share": 1.5}, r"transfer\.share: expected a number in \[0, 1\], got 1.5"),
    ({"share": True}, r"transfer\.share: expected a number, got True"),
    ({"share": "half"}, r"transfer\.share: expected a number, got 'half'"),
    ({"to": "CHN"}, r"transfer\.to: the origin CHN cannot also be a destination"),
    ({"to": {"IDN": 0.5, "IND": 0.4}}, r"transfer\.to: weights must sum to 1, they sum to 0.9"),
    ({"to": {"IDN": -0.5, "IND": 1.5}}, r"transfer\.to\.IDN: expected a weight in \[0, 1\]"),
    ({"technology": "alien"}, r"transfer\.technology: expected one of destination, origin, "
                              r"blend, got 'alien'"),
    ({"blend": 0.3}, r"transfer\.blend: is only used with technology: blend"),
    ({"technology": "blend", "blend": 2}, r"transfer\.blend: expected a weight in \[0, 1\]"),
    ({"sourcing": "abroad"}, r"transfer\.sourcing: expected one of usual, origin, local, got "
                             r"'abroad'"),
    ({"sourcing": {"usual": 0.7}}, r"transfer\.sourcing: weights must sum to 1"),
    ({"freed_capacity": "sold"}, r"transfer\.freed_capacity: expected 'idle' or a mapping"),
    ({"freed_capacity": {"redeploy": "c14", "speed": 1}},
     r"transfer\.freed_capacity\.speed: unknown key; allowed: redeploy, share"),
    ({"freed_capacity": {"share": 1}}, r"transfer\.freed_capacity\.redeploy: is required"),
    ({"freed_capacity": {"redeploy": "c4"}},
     r"transfer\.freed_capacity\.redeploy: c4 is a sector being transferred"),
    ({"freed_capacity": {"redeploy": "c14", "share": 3}},
     r"transfer\.freed_capacity\.share: expected a number in \[0, 1\], got 3"),
    ({"conserve": ["moved_output"]}, r"transfer\.conserve: transfers always conserve "
                                     r"final_demand"),
    ({"conserve": ["energy"]}, r"transfer\.conserve: expected one of final_demand, "
                               r"moved_output, got 'energy'"),
    ({"tol": 0}, r"transfer\.tol: expected a number in \(0, 0.001\], got 0"),
    ({"speed": 3}, r"transfer\.speed: unknown key; allowed: from, to, sector, share, "
                   r"technology, blend, sourcing, freed_capacity, conserve, tol"),
])
def test_transfer_field_errors(change, message):
    body = {**T, **change}
    with pytest.raises(ScenarioSpecError, match=r"^steps\[1\]\." + message):
        Scenario.from_dict({"steps": [{"extract": {"what": "exports", "country": "USA"}},
                                      {"transfer": body}]})


@pytest.mark.parametrize("missing", ["from", "to", "sector", "share"])
def test_transfer_required_fields(missing):
    body = {k: v for k, v in T.items() if k != missing}
    with pytest.raises(ScenarioSpecError, match=rf"^steps\[0\]\.transfer\.{missing}: is "
                                                 r"required"):
        Scenario.from_dict({"steps": [{"transfer": body}]})


@pytest.mark.parametrize(("body", "message"), [
    ({"change": 0.1, "amount": 5}, r"demand\.change: give exactly one of change"),
    ({}, r"demand\.change: give exactly one of change"),
    ({"change": -1}, r"demand\.change: expected a relative change in \(-1, 100\], got -1"),
    ({"change": 10**400}, r"demand\.change: expected a relative change, got an integer of 401 "
                          r"digits, beyond the range of floating-point numbers"),
    ({"amount": float("nan")}, r"demand\.amount: expected an amount, got nan"),
    ({"change": 0.1, "category": 5}, r"demand\.category: expected a code or a non-empty list"),
    ({"change": 0.1, "country": "CHN"}, r"demand\.country: unknown key; allowed: origin, "
                                        r"destination, sector, category, change, amount"),
])
def test_demand_field_errors(body, message):
    with pytest.raises(ScenarioSpecError, match=r"^steps\[0\]\." + message):
        Scenario.from_dict({"steps": [{"demand": body}]})


S = {"importer": "USA", "from": "CHN", "to": "MEX", "share": 0.5}


@pytest.mark.parametrize(("change", "message"), [
    ({"from": "USA"}, r"sourcing\.from: USA does not import from itself"),
    ({"to": "CHN"}, r"sourcing\.to: the new supplier equals the old one \(CHN\)"),
    ({"share": -0.1}, r"sourcing\.share: expected a number in \[0, 1\], got -0.1"),
    ({"final": "yes"}, r"sourcing\.final: expected true or false, got 'yes'"),
    ({"buyers": 3}, r"sourcing\.buyers: expected a code or a non-empty list of codes"),
])
def test_sourcing_field_errors(change, message):
    with pytest.raises(ScenarioSpecError, match=r"^steps\[0\]\." + message):
        Scenario.from_dict({"steps": [{"sourcing": {**S, **change}}]})


def test_sourcing_required_field():
    with pytest.raises(ScenarioSpecError, match=r"^steps\[0\]\.sourcing\.importer: is required"):
        Scenario.from_dict({"steps": [{"sourcing": {"from": "CHN", "to": "MEX", "share": 1}}]})


@pytest.mark.parametrize(("change", "message"), [
    ({"rate": -1.5}, r"cost\.rate: expected a rate in \(-1, 100\], got -1.5"),
    ({"rate": 1e300}, r"cost\.rate: expected a rate in \(-1, 100\], got 1e\+300"),
    ({"kind": "duty"}, r"cost\.kind: expected one of tariff, transport, other, got 'duty'"),
    ({"flows": "both"}, r"cost\.flows: expected one of all, intermediate, final, got 'both'"),
    ({"to": None}, r"cost\.to: is required"),
])
def test_cost_field_errors(change, message):
    body = {"from": "CHN", "to": "USA", "rate": 0.25, **change}
    with pytest.raises(ScenarioSpecError, match=r"^steps\[0\]\." + message):
        Scenario.from_dict({"steps": [{"cost": body}]})


def test_python_step_errors_name_the_field():
    with pytest.raises(ScenarioSpecError, match=r"^transfer\.share: expected a number in"):
        Transfer(origin="CHN", destination="IDN", sector="c4", share=2)
    with pytest.raises(ScenarioSpecError, match=r"^steps\[1\]: expected a step"):
        Scenario(steps=(Extract(what="exports", country="CHN"), {"extract": {}}))  # type: ignore


def test_yaml_errors(tmp_path):
    with pytest.raises(ScenarioSpecError, match=r"no such scenario file"):
        Scenario.from_yaml(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("steps:\n  - extract: {country: CHN, what: exports\n")
    with pytest.raises(ScenarioSpecError, match=r"not valid YAML at line \d+, column \d+"):
        Scenario.from_yaml(bad)
    lst = tmp_path / "list.yaml"
    lst.write_text("- extract: {country: CHN}\n")
    with pytest.raises(ScenarioSpecError, match=r"a scenario must be a mapping with keys table"):
        Scenario.from_yaml(lst)


def test_table_path_is_resolved_next_to_the_yaml(tmp_path, leather):
    from silkchain.io.npz import write_npz

    write_npz(leather, tmp_path / "leather.npz")
    (tmp_path / "s.yaml").write_text("table: leather.npz\nsteps: []\n")
    sc = Scenario.from_yaml(tmp_path / "s.yaml")
    assert sc.table_ref() == str(tmp_path / "leather.npz")


@pytest.mark.parametrize(("step", "message"), [
    ({"extract": {"what": "exports", "country": "XYZ"}},
     r"^steps\[0\]\.extract\.country: unknown country 'XYZ'; the table has Argentina, Turkey, "
     r"Germany"),
    ({"extract": {"what": "exports", "country": "Turkey", "partners": "Mars"}},
     r"^steps\[0\]\.extract\.partners: unknown country 'Mars'"),
    ({"transfer": {"from": "Turkey", "to": "Germany", "sector": "Mining", "share": 0.1}},
     r"^steps\[0\]\.transfer\.sector: unknown sector 'Mining'; the table has Agriculture, "
     r"Textile_and_Leather, Transport_Equipment"),
    ({"transfer": {"from": "Turkey", "to": "Peru", "sector": "Agriculture", "share": 0.1}},
     r"^steps\[0\]\.transfer\.to: unknown country 'Peru'"),
    ({"transfer": {"from": "Turkey", "to": "Germany", "sector": "Agriculture", "share": 0.1,
                   "freed_capacity": {"redeploy": "Mining"}}},
     r"^steps\[0\]\.transfer\.freed_capacity\.redeploy: unknown sector 'Mining'"),
    ({"demand": {"category": "GFCF", "change": 0.1}},
     r"^steps\[0\]\.demand\.category: unknown final-demand category 'GFCF'; the table has fd1"),
    ({"sourcing": {"importer": "Turkey", "from": "Germany", "to": "Chile", "share": 0.1}},
     r"^steps\[0\]\.sourcing\.to: unknown country 'Chile'"),
    ({"cost": {"from": "Turkey", "to": "Germany", "rate": 0.1, "sector": "Oil"}},
     r"^steps\[0\]\.cost\.sector: unknown sector 'Oil'"),
])
def test_codes_are_checked_against_the_table(leather, step, message):
    with pytest.raises(ScenarioSpecError, match=message):
        apply(leather, {"steps": [step]})
