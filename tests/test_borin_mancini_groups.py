"""Borin-Mancini with country groups as exporting units, computed on the disaggregated table.

Checks: single-country units reproduce ``exporter_source`` (fast path and group path),
METHODS.md §12 identities for group units, the group's gross exports, the hypothetical
extraction of METHODS.md §7 generalised to a group, and the gap to merging the members.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest

from silkchain import read
from silkchain.core import borin_mancini as core
from silkchain.core import borin_mancini_groups as cg
from silkchain.errors import MeasureError, SingularSystemError
from silkchain.measures.borin_mancini import bm, bm_array, group_units, merge_groups
from silkchain.measures.tidy import pivot_wide
from silkchain.table import MRIOTable

from .conftest import reference_table

REFS = ["leather", "random_4x3_seed20240601"]
T = {k: i for i, k in enumerate(core.SOURCE_TERMS)}
V4 = ["CZE", "HUN", "POL", "SVK"]
#: Partitions with groups: table -> {group code: members}.
GROUPS = {
    "leather": {"TG": ["Turkey", "Germany"]},
    "random_4x3_seed20240601": "first-two-and-last-two",
    "wiod2011": {"V4": V4, "EU3": ["DEU", "FRA", "ITA"]},
}


@cache
def _table(name: str) -> MRIOTable:
    return read("wiod2013:2011") if name == "wiod2011" else reference_table(name)


@cache
def _system(name: str) -> core.BMSystem:
    t = _table(name)
    return core.prepare(t.A, t.v, t.x, t.Yc, t.ESR, t.G, t.N, names=t.labels.countries)


def _groups(name: str) -> dict[str, list[str]]:
    spec = GROUPS[name]
    if isinstance(spec, dict):
        return spec
    c = _table(name).labels.countries
    return {"G12": [c[0], c[1]], "G34": [c[2], c[3]]}


@cache
def _units(name: str) -> tuple[tuple[str, ...], cg.UnitSystem]:
    t = _table(name)
    names, units = group_units(t, _groups(name))
    return names, cg.prepare_units(_system(name), units, names=names)


def _tol(ref: np.ndarray) -> float:
    return 1e-9 * max(1.0, float(np.abs(ref).max()))


# ------------------------------------------------------------------- (a) single countries
@pytest.mark.parametrize("reuse", [True, False], ids=["fast", "group-path"])
@pytest.mark.parametrize("name", [*REFS, "wiod2011"])
def test_single_country_units_reproduce_exporter_source(name: str, reuse: bool) -> None:
    s = _system(name)
    us = cg.prepare_units(s, [[g] for g in range(s.G)], reuse_single=reuse)
    for level in ("bilateral", "sector", "country"):
        got, want = cg.exporter_source_units(us, level), core.exporter_source(s, level)
        assert got.shape == want.shape
        gap = np.abs(got - want).max()
        assert gap <= 1e-10 * max(1.0, np.abs(want).max()), (level, gap)


def test_group_path_matches_fast_path_multipliers() -> None:
    s = _system("wiod2011")
    fast = cg.prepare_units(s, [[g] for g in range(s.G)])
    slow = cg.prepare_units(s, [[g] for g in range(s.G)], reuse_single=False)
    for k in ("dc", "fc", "dva", "fva", "W"):
        np.testing.assert_allclose(getattr(slow, k), getattr(fast, k), rtol=1e-9, atol=1e-12)


# ------------------------------------------------------------------- (b) identities
@pytest.mark.parametrize("name", [*REFS, "wiod2011"])
def test_identities_for_group_units(name: str) -> None:
    names, us = _units(name)
    bil = cg.exporter_source_units(us, "bilateral")
    sec = cg.exporter_source_units(us, "sector")
    cty = cg.exporter_source_units(us, "country")
    U = len(names)
    assert bil.shape[0] == U and cty.shape == (U, 15)
    tol = _tol(bil[..., T["GEXP"]].sum(axis=(1, 2)))
    for o in (bil, sec, cty):
        g = {k: o[..., i] for k, i in T.items()}
        for lhs, rhs in [
            (g["GEXP"], g["DC"] + g["FC"]),
            (g["DC"], g["DVA"] + g["DDC"]),
            (g["FC"], g["FVA"] + g["FDC"]),
            (g["DVA"], g["DAVAX"] + g["REX"] + g["REF"]),
            (g["DVA"], g["VAX"] + g["REF"]),
            (g["GEXP"], g["DAVAX"] + g["REX"] + g["REF"] + g["FVA"] + g["PDC"]),
            (g["GVCB"], g["FVA"] + g["PDC"]),
            (g["GVCF"], g["REX"] + g["REF"]),
            (g["GVC"], g["GEXP"] - g["DAVAX"]),
        ]:
            assert np.abs(lhs - rhs).max() <= tol
    # additivity: bilateral -> sector -> unit, every term (sector has its own path)
    assert np.abs(bil.sum(axis=2) - sec).max() <= tol
    assert np.abs(sec.sum(axis=1) - cty).max() <= tol
    # nothing to the own unit
    own = bil[np.arange(U), :, np.arange(U)]
    assert not own.any()
    t = _table(name)
    if (t.Yc >= 0).all():
        assert bil.min() >= -tol
    else:                      # WIOD inventories: only the groups' totals are checked
        gi = [names.index(k) for k in _groups(name)]
        assert cty[gi].min() >= -tol


# ------------------------------------------------------------------- (c) gross exports
@pytest.mark.parametrize("name", [*REFS, "wiod2011"])
def test_group_exports_exclude_intra_group_trade(name: str) -> None:
    t = _table(name)
    names, us = _units(name)
    bil = cg.exporter_source_units(us, "bilateral")
    G, N = t.G, t.N
    esr = t.ESR.reshape(G, N, G)
    for code, members in _groups(name).items():
        idx = [t.labels.countries.index(m) for m in members]
        u = names.index(code)
        intra = sum(esr[a, :, b].sum() for a in idx for b in idx)
        total = sum(esr[a].sum() for a in idx) - intra
        assert abs(bil[u, ..., T["GEXP"]].sum() - total) <= 1e-10 * total
        # by importing unit: the members' exports to that unit's countries
        for r, rmembers in enumerate(us.units):
            if r != u:
                want = esr[np.ix_(idx, range(N), rmembers)].sum()
                assert abs(bil[u, :, r, T["GEXP"]].sum() - want) <= 1e-10 * max(1.0, total)


# ------------------------------------------------------------------- (d) extraction
@pytest.mark.parametrize("name", [*REFS, "wiod2011"])
def test_extracting_a_groups_exports_costs_its_dva_and_the_worlds_fva(name: str) -> None:
    """METHODS.md §7 generalised: zero A_ur, Y_ur for members u and non-members r."""
    t = _table(name)
    names, us = _units(name)
    cty = cg.exporter_source_units(us, "country")
    G, N = t.G, t.N
    for code, members in _groups(name).items():
        mem = np.isin(np.arange(G), [t.labels.countries.index(m) for m in members])
        rows = np.repeat(mem, N)
        A = t.A.copy()
        A[np.ix_(rows, ~rows)] = 0.0
        Y = t.Yc.copy()
        Y[np.ix_(rows, ~mem)] = 0.0
        xs = np.linalg.solve(np.eye(G * N) - A, Y.sum(axis=1))
        dgdp = t.v * (t.x - xs)
        u = names.index(code)
        dva, fva = cty[u, T["DVA"]], cty[u, T["FVA"]]
        tol = 1e-9 * cty[u, T["GEXP"]]
        assert abs(dgdp[rows].sum() - dva) <= tol
        assert abs(dgdp[~rows].sum() - fva) <= tol


# ------------------------------------------------------------------- (e) merging differs
def test_merging_the_members_is_not_the_same_decomposition() -> None:
    """Merging averages the members' technologies (aggregation bias in B): the merged
    table gives the same gross exports but other multipliers, and its DVA is not what
    extracting the group's exports costs the group on the actual table."""
    name = "random_4x3_seed20240601"
    t = _table(name)
    groups = _groups(name)
    exact = pivot_wide(bm(t, groups=groups))
    merged = pivot_wide(bm(merge_groups(t, groups)))
    for code in groups:
        e, m = exact.loc[code], merged.loc[code]
        assert abs(e["GEXP"] - m["GEXP"]) <= 1e-9 * e["GEXP"]
        for term in ("DC", "DVA", "FVA", "DAVAX"):
            assert abs(e[term] - m[term]) > 1e-4 * e["GEXP"], term
    # the exact DVA is the extraction loss (test above); the merged one is not
    G, N = t.G, t.N
    rows = np.repeat(np.arange(G) < 2, N)
    A = t.A.copy()
    A[np.ix_(rows, ~rows)] = 0.0
    Y = t.Yc.copy()
    Y[np.ix_(rows, np.arange(G) >= 2)] = 0.0
    loss = (t.v * (t.x - np.linalg.solve(np.eye(G * N) - A, Y.sum(axis=1))))[rows].sum()
    assert abs(exact.loc["G12", "DVA"] - loss) <= 1e-9 * loss
    assert abs(merged.loc["G12", "DVA"] - loss) > 1e-4 * loss


# ------------------------------------------------------------------- other cases
def test_group_of_all_countries_exports_nothing(leather: MRIOTable) -> None:
    f = bm(leather, level="sector", groups={"W": list(leather.labels.countries)})
    assert set(f["exporter"]) == {"W"}
    assert np.abs(f["value"].to_numpy()).max() == 0.0


def test_bm_with_groups_labels_and_levels() -> None:
    t = _table("wiod2011")
    f = bm(t, level="bilateral", groups={"V4": V4})
    assert f.columns.tolist() == ["exporter", "sector", "importer", "term", "value"]
    assert "V4" in set(f["exporter"]) and "V4" in set(f["importer"])
    assert not set(V4) & (set(f["exporter"]) | set(f["importer"]))
    assert not (f["exporter"] == f["importer"]).any()
    assert f.attrs["decomposition"] == "bm/exporter/source/bilateral"
    cty = pivot_wide(bm(t, groups={"V4": V4}))
    sec = pivot_wide(bm(t, level="sector", groups={"V4": V4}))
    assert np.abs(sec.xs("V4").sum() - cty.loc["V4"]).max() <= 1e-9 * cty.loc["V4", "GEXP"]
    # a country outside the group keeps its decomposition, except the DAVAX/REX split:
    # the group is one direct importer, so processing among its members is "direct"
    base = pivot_wide(bm(t))
    same = [c for c in cty.columns if c not in ("DAVAX", "REX", "GVC", "GVCF")]
    np.testing.assert_allclose(cty.loc["DEU", same], base.loc["DEU", same], rtol=1e-12)
    assert cty.loc["DEU", "DAVAX"] > base.loc["DEU", "DAVAX"]
    # sink = source on the whole-exporter perimeter, for groups too
    sink = pivot_wide(bm(t, approach="sink", groups={"V4": V4}))
    np.testing.assert_allclose(sink.to_numpy(), cty.to_numpy(), rtol=1e-12)


def test_group_units_order_and_array_dims(leather: MRIOTable) -> None:
    names, units = group_units(leather, {"AG": ["Germany", "Argentina"]})
    assert names == ("AG", "Turkey") and units == [[0, 2], [1]]
    values, dims = bm_array(leather, "bilateral", groups={"AG": ["Germany", "Argentina"]})
    assert values.shape == (2, 3, 2, 15)
    assert dims["exporter"] == dims["importer"] == ("AG", "Turkey")


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"perspective": "world", "approach": "sink"},
     r"groups are supported for perspective='exporter', approach='source'.*got "
     r"perspective='world', approach='sink'.*merge_groups\(table, groups\)"),
    ({"perspective": "world", "approach": "source"}, r"got perspective='world'"),
    ({"approach": "sink", "level": "sector"}, r"approach='sink', level='sector'"),
    ({"approach": "sink", "level": "bilateral"}, r"approach='sink', level='bilateral'"),
])
def test_groups_outside_the_exact_engine_are_refused(leather: MRIOTable, kwargs: dict,
                                                     match: str) -> None:
    with pytest.raises(MeasureError, match=match):
        bm(leather, groups={"TG": ["Turkey", "Germany"]}, **kwargs)


@pytest.mark.parametrize(("units", "match"), [
    ([[0, 1], [1, 2]], r"country 1 is in units 0 and 1"),
    ([[0], [1]], r"countries \[2\] are in no unit"),
    ([[0, 1, 2], []], r"unit 1 is empty"),
    ([[0, 1, 5], [2]], r"unit 0: country index 5 is outside 0..2"),
])
def test_units_must_partition_the_countries(leather: MRIOTable, units: list,
                                            match: str) -> None:
    with pytest.raises(ValueError, match=match):
        cg.prepare_units(_system("leather"), units)


def test_singular_group_block_names_the_unit() -> None:
    # four one-sector countries: I - A and every country's blocks are regular, but the
    # block of the group {P, Q} is I - [[0, 1], [1, 0]], singular
    A = np.array([[0, 1, .3, .3], [1, 0, 0, 0], [.3, 0, 0, .2], [.3, 0, .2, 0]])
    G, n = 4, 4
    x = np.ones(n)
    Y = np.full((n, G), 0.1)
    ESR = np.where(np.eye(G, dtype=bool), 0.0, 0.1)
    s = core.prepare(A, np.full(n, 0.2), x, Y, ESR, G, 1, names=list("PQRS"))
    with pytest.raises(SingularSystemError, match=r"I - A_uu is singular.*unit 'PQ'"):
        cg.prepare_units(s, [[0, 1], [2], [3]], names=["PQ", "R", "S"])
