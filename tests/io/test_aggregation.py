"""Region and sector aggregation: valid tables; aggregating then computing = the reverse."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from silkchain.aggregation import (
    aggregate_regions,
    aggregate_sectors,
    harmonise_countries,
    iso3_codes,
    list_concordances,
    load_concordance,
)
from silkchain.core import aggregate as core
from silkchain.errors import LabelMismatchError
from silkchain.table import MRIOTable


def _country_sum(v: np.ndarray, G: int, N: int) -> np.ndarray:
    return v.reshape(G, N).sum(axis=1)


def _exports_to_nonmembers(t: MRIOTable, members: list[str]) -> float:
    """Gross exports of the members to countries outside the group (ESR is G*N x G)."""
    c = list(t.labels.countries)
    rows = np.repeat([code in members for code in c], t.N)
    cols = np.array([code not in members for code in c])
    return float(t.ESR[rows][:, cols].sum())


@pytest.fixture(scope="module")
def toy() -> MRIOTable:
    rng = np.random.default_rng(7)
    G, N, K = 4, 3, 2
    Z = rng.uniform(0, 10, (G * N, G * N))
    Y = rng.uniform(0, 20, (G * N, G * K))
    Y[0, 1] = -3.0  # a negative inventory change, as releases have
    return MRIOTable.from_arrays(Z, Y, ["AAA", "BBB", "CCC", "DDD"], ["s1", "s2", "s3"],
                                 fd_categories=["HH", "INV"])


MAPPINGS = [
    {"AAA": "G1", "CCC": "G1"},
    {"BBB": "G1", "CCC": "G1", "DDD": "G1"},
    {"AAA": "X", "BBB": "Y", "CCC": "X", "DDD": "Y"},
]


@pytest.mark.parametrize("mapping", MAPPINGS)
def test_region_aggregation_commutes_with_totals(toy: MRIOTable, mapping: dict) -> None:
    agg = aggregate_regions(toy, mapping)
    codes = list(agg.labels.countries)
    for g, code in enumerate(codes):
        members = [c for c in toy.labels.countries if mapping.get(c, c) == code]
        pos = [toy.labels.country_position(m) for m in members]
        # gross output and value added of the region = sums over its members
        x_c = _country_sum(toy.x, toy.G, toy.N)
        va_c = _country_sum(toy.va, toy.G, toy.N)
        assert_allclose(_country_sum(agg.x, agg.G, agg.N)[g], x_c[pos].sum(), rtol=1e-12)
        assert_allclose(_country_sum(agg.va, agg.G, agg.N)[g], va_c[pos].sum(), rtol=1e-12)
        # sector detail kept: each sector's output summed over members
        assert_allclose(agg.x.reshape(agg.G, agg.N)[g],
                        toy.x.reshape(toy.G, toy.N)[pos].sum(axis=0), rtol=1e-12)
        # final demand of the region's consumers, by category
        fd = toy.Y.reshape(toy.n, toy.G, toy.K)[:, pos].sum(axis=(0, 1))
        assert_allclose(agg.Y.reshape(agg.n, agg.G, agg.K)[:, g].sum(axis=0), fd, rtol=1e-12)
        # exports of the region = its members' exports to non-members
        assert_allclose(_country_sum(agg.E, agg.G, agg.N)[g],
                        _exports_to_nonmembers(toy, members), rtol=1e-12)
    assert_allclose(agg.va.sum(), toy.va.sum(), rtol=1e-12)
    assert_allclose(agg.Y.sum(), toy.Y.sum(), rtol=1e-12)


def test_region_order_and_unmapped_codes(toy: MRIOTable) -> None:
    agg = aggregate_regions(toy, {"CCC": "G1", "BBB": "G1"})
    assert agg.labels.countries == ("AAA", "G1", "DDD")  # groups at their first member
    assert agg.meta["regions"] == {"G1": ["BBB", "CCC"]}
    assert agg.labels.fd_categories == ("HH", "INV")
    assert agg.Y.shape == (3 * 3, 3 * 2)


def test_region_mapping_onto_a_country_merges(toy: MRIOTable) -> None:
    agg = aggregate_regions(toy, {"DDD": "AAA"})
    assert agg.labels.countries == ("AAA", "BBB", "CCC")
    assert agg.meta["regions"] == {"AAA": ["AAA", "DDD"]}


def test_region_codes_absent_are_reported_or_refused(toy: MRIOTable) -> None:
    agg = aggregate_regions(toy, {"AAA": "BRI", "KAZ": "BRI", "VNM": "BRI"})
    assert agg.meta["regions_absent"] == {"BRI": ["KAZ", "VNM"]}
    with pytest.raises(LabelMismatchError, match=r"2 code\(s\) of the mapping are not "
                                                r"countries of the table: KAZ, VNM"):
        aggregate_regions(toy, {"AAA": "BRI", "KAZ": "BRI", "VNM": "BRI"}, strict=True)


def test_all_into_one_region_leaves_no_exports(toy: MRIOTable) -> None:
    agg = aggregate_regions(toy, dict.fromkeys(toy.labels.countries, "WLD"))
    assert agg.G == 1
    assert_allclose(agg.E, 0.0)
    assert_allclose(agg.x, toy.x.reshape(4, 3).sum(axis=0), rtol=1e-12)


def test_region_aggregation_of_bundled_wiod_is_valid(wiod2011: MRIOTable) -> None:
    eu = ["AUT", "BEL", "DEU", "FRA", "ITA", "NLD", "ESP"]
    agg = aggregate_regions(wiod2011, dict.fromkeys(eu, "EU7"))
    assert agg.labels.countries.count("EU7") == 1
    assert len(agg.labels.countries) == 41 - len(eu) + 1
    assert agg.rounding > wiod2011.rounding  # summed cells carry their members' rounding
    assert_allclose(_country_sum(agg.va, agg.G, agg.N)[agg.labels.country_position("EU7")],
                    sum(_country_sum(wiod2011.va, 41, 35)[wiod2011.labels.country_position(c)]
                        for c in eu), rtol=1e-12)
    e_agg = _country_sum(agg.E, agg.G, agg.N)[agg.labels.country_position("EU7")]
    assert_allclose(e_agg, _exports_to_nonmembers(wiod2011, eu), rtol=1e-12)


def test_sector_aggregation_commutes_with_totals(toy: MRIOTable) -> None:
    agg = aggregate_sectors(toy, {"s1": "A", "s3": "A"}, names={"A": "Group A"})
    assert agg.labels.sectors == ("A", "s2")
    assert agg.labels.sector_names == ("Group A", "s2")
    assert agg.meta["sector_groups"] == {"A": ["s1", "s3"], "s2": ["s2"]}
    for f in (lambda t: t.x, lambda t: t.va, lambda t: t.y, lambda t: t.E):
        assert_allclose(_country_sum(f(agg), agg.G, agg.N), _country_sum(f(toy), 4, 3),
                        rtol=1e-12)
    # bilateral exports by country pair are unchanged
    assert_allclose(agg.ESR.reshape(4, 2, 4).sum(axis=1), toy.ESR.reshape(4, 3, 4).sum(axis=1),
                    rtol=1e-12)


def test_sector_mapping_by_classification_code(wiod2011: MRIOTable) -> None:
    by_code = aggregate_sectors(wiod2011, {"AtB": "PRI", "C": "PRI"})
    by_short = aggregate_sectors(wiod2011, {"c1": "PRI", "c2": "PRI"})
    assert by_code.labels.sectors == by_short.labels.sectors
    assert by_code.labels.sectors[:2] == ("PRI", "c3")
    assert_allclose(by_code.Z, by_short.Z)


def test_sector_mapping_with_unknown_key_is_refused(toy: MRIOTable) -> None:
    with pytest.raises(LabelMismatchError, match=r"1 key\(s\) of the mapping are not sectors "
                                                r"of the table: s9; expected the table's "
                                                r"sector codes \(s1, s2, s3"):
        aggregate_sectors(toy, {"s1": "A", "s9": "A"})


@pytest.mark.parametrize("name", ["wiod13_broad", "wiod13_tech"])
def test_bundled_wiod_concordances(wiod2011: MRIOTable, name: str) -> None:
    conc = load_concordance(name)
    assert sorted(conc["mapping"]) == sorted(wiod2011.labels.sectors)
    agg = aggregate_sectors(wiod2011, name)
    assert len(agg.labels.sectors) == len(set(conc["mapping"].values()))
    assert_allclose(agg.va.sum(), wiod2011.va.sum(), rtol=1e-12)
    assert_allclose(_country_sum(agg.x, agg.G, agg.N), _country_sum(wiod2011.x, 41, 35),
                    rtol=1e-12)


OECD45 = [
    "D01T02", "D03", "D05T06", "D07T08", "D09", "D10T12", "D13T15", "D16", "D17T18", "D19",
    "D20", "D21", "D22", "D23", "D24", "D25", "D26", "D27", "D28", "D29", "D30", "D31T33",
    "D35", "D36T39", "D41T43", "D45T47", "D49", "D50", "D51", "D52", "D53", "D55T56",
    "D58T60", "D61", "D62T63", "D64T66", "D68", "D69T75", "D77T82", "D84", "D85", "D86T88",
    "D90T93", "D94T96", "D97T98",
]


@pytest.mark.parametrize(("name", "groups"), [("oecd45_adb15", 15), ("oecd45_adb5", 5),
                                              ("oecd45_tech", 5)])
def test_bundled_oecd_concordances_cover_45_industries(name: str, groups: int) -> None:
    conc = load_concordance(name)
    assert list(conc["mapping"]) == OECD45
    assert len(set(conc["mapping"].values())) == groups
    assert set(conc["names"]) == set(conc["mapping"].values())


def test_adb15_nests_in_adb5() -> None:
    m15 = load_concordance("oecd45_adb15")["mapping"]
    m5 = load_concordance("oecd45_adb5")["mapping"]
    pairs = pd.DataFrame({"g15": m15, "g5": m5}).drop_duplicates()
    assert pairs["g15"].is_unique  # every 15-group sits in exactly one 5-group


def test_tech_classes_agree_between_lists() -> None:
    wiod = load_concordance("wiod13_tech")["mapping"]
    oecd = load_concordance("oecd45_tech")["mapping"]
    assert wiod["c14"] == oecd["D26"] == "HT"  # electronics
    assert wiod["c3"] == oecd["D10T12"] == "LT"  # food
    assert wiod["c15"] == oecd["D29"] == "MHT"  # motor vehicles
    assert wiod["c28"] == oecd["D64T66"] == "NMF"


def test_unknown_concordance_lists_the_available() -> None:
    assert "wiod13_broad" in list_concordances()
    with pytest.raises(KeyError, match=r"unknown concordance 'nope'; available: oecd45_adb15"):
        load_concordance("nope")


def test_country_converter_works_with_the_pinned_pandas() -> None:
    # country_converter fails under pandas 3 (NA read as missing); pandas is pinned < 3
    assert int(pd.__version__.split(".")[0]) < 3
    mapping, rest = iso3_codes(["ROM", "NDL", "Namibia", "Viet Nam", "TWN", "RoW", "WA", "XYZ"])
    assert mapping == {"ROM": "ROU", "NDL": "NLD", "Namibia": "NAM", "Viet Nam": "VNM",
                       "TWN": "TWN", "RoW": "RoW", "WA": "WA", "XYZ": "XYZ"}
    assert rest == ["RoW", "WA", "XYZ"]


def test_harmonise_countries_keeps_rest_of_world(wiod2011: MRIOTable) -> None:
    codes = ["ROM" if c == "ROU" else c for c in wiod2011.labels.countries]
    renamed = wiod2011.replace(labels=wiod2011.labels.__class__(
        countries=tuple(codes), sectors=wiod2011.labels.sectors,
        fd_categories=wiod2011.labels.fd_categories, va_rows=wiod2011.labels.va_rows))
    h = harmonise_countries(renamed)
    assert h.labels.countries == wiod2011.labels.countries
    assert h.meta["rest_of_world"] == ["RoW"]
    assert h.meta["original_country_codes"].startswith("AUS,AUT")
    assert ",ROM," in h.meta["original_country_codes"]


def test_harmonise_refuses_codes_that_collide(toy: MRIOTable) -> None:
    t = toy.replace(labels=toy.labels.__class__(countries=("DEU", "Germany", "CHN", "RoW"),
                                                sectors=toy.labels.sectors,
                                                fd_categories=toy.labels.fd_categories,
                                                va_rows=toy.labels.va_rows))
    with pytest.raises(LabelMismatchError, match=r"DEU <- DEU, Germany"):
        harmonise_countries(t)


def test_core_group_matrix_errors() -> None:
    with pytest.raises(ValueError, match=r"group\(s\) \[1\] have no member"):
        core.group_matrix(np.array([0, 0, 2]), 3)
    with pytest.raises(ValueError, match=r"group indices must lie in 0..1, found 0..2"):
        core.group_matrix(np.array([0, 2]), 2)
