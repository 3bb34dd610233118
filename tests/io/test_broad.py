"""The broad sector classification and each source's concordance (contract: resolve_broad)."""

from __future__ import annotations

import pytest

import silkchain
from silkchain.concordances.broad import (
    BROAD_SECTORS,
    CONCORDANCES,
    classify,
    concordance_for,
    load,
    resolve_broad,
)
from silkchain.errors import SilkchainError, UnresolvedSectorError
from silkchain.table import MRIOTable

#: Published sector counts of each release's classification.
SIZES = {"oecd34": 34, "oecd36": 36, "oecd45": 45, "oecd45l": 45, "oecd50": 50, "wiod13": 35,
         "wiod16": 56, "lrwiod": 23, "eora26": 28, "figaro64": 64, "exiobase": 163}


@pytest.mark.parametrize("key", list(CONCORDANCES))
def test_each_source_sector_is_in_exactly_one_broad_sector(key: str) -> None:
    conc = load(key)
    assert len(conc.codes) == SIZES[key]  # Eora26: 26 names plus two later spellings
    assert len(set(conc.codes)) == len(conc.codes)
    assert set(conc.broad) == set(conc.codes)
    assert set(conc.broad.values()) <= set(BROAD_SECTORS)
    for code, also in conc.also.items():
        assert set(also) <= set(BROAD_SECTORS) and conc.broad[code] not in also


def test_broad_classification_size_and_names() -> None:
    assert 15 <= len(BROAD_SECTORS) <= 25
    assert BROAD_SECTORS["textiles"] == "Textiles, apparel and leather"
    assert BROAD_SECTORS["electronics"] == "Computer, electronic and electrical equipment"


def test_wiod2013_bundled_table_partition_and_names() -> None:
    t = silkchain.read("wiod2013:2011")
    conc, _found = concordance_for(t)
    assert conc.key == "wiod13"
    mapping = classify(t)
    assert sorted(mapping) == sorted(t.labels.sectors)
    parts = [resolve_broad(t, b) for b in BROAD_SECTORS]
    flat = [s for p in parts for s in p]
    assert sorted(flat) == sorted(t.labels.sectors)  # each sector exactly once
    names = dict(zip(t.labels.sectors, t.labels.sector_names, strict=True))
    assert [names[s] for s in resolve_broad(t, "textiles")] == [
        "Textiles and Textile Products", "Leather, Leather and Footwear"]
    assert [names[s] for s in resolve_broad(t, "electronics")] == [
        "Electrical and Optical Equipment"]
    assert [names[s] for s in resolve_broad(t, "petroleum")] == [
        "Coke, Refined Petroleum and Nuclear Fuel"]
    # the aggregate of a broad sector is the sum of its members' output
    idx = [t.labels.sectors.index(s) for s in resolve_broad(t, "trade")]
    assert len(idx) == 3
    x = t.x.reshape(t.G, t.N)
    assert x[:, idx].sum() == pytest.approx(sum(x[:, i].sum() for i in idx))


def _table(sectors: list[str], meta: dict[str, str], names: list[str] | None = None
           ) -> MRIOTable:
    n = len(sectors)
    Z = [[1.0 if i != j else 0.0 for j in range(n)] for i in range(n)]
    Y = [[10.0] for _ in range(n)]
    return MRIOTable.from_arrays(Z, Y, ["AAA"], sectors, sector_names=names, meta=meta)


def test_oecd_2025_codes_and_composite_error() -> None:
    t = _table(["A01", "C13T15", "C24A", "C24B", "C301"], {"source": "OECD ICIO",
                                                          "release": "2025"})
    assert concordance_for(t)[0].key == "oecd50"
    assert resolve_broad(t, "metals") == ("C24A", "C24B")
    assert resolve_broad(t, "textiles") == ("C13T15",)


def test_eora_composite_sector_is_named_not_returned() -> None:
    t = _table(["Agriculture", "Petroleum, Chemical and Non-Metallic Mineral Products",
                "Electrical and Machinery"], {"source": "Eora26", "dataset": "eora26:2015"})
    with pytest.raises(UnresolvedSectorError, match=r"eora26:2015 \(Eora26\): broad sector "
                       r"'petroleum' .* is not separate in Eora26 .*part of Petroleum, Chemical"):
        resolve_broad(t, "petroleum")
    assert resolve_broad(t, "electronics") == ("Electrical and Machinery",)


def test_unknown_sectors_and_unknown_broad_code() -> None:
    t = _table(["s1", "s2"], {"source": "generic", "dataset": "generic-toy:2020"})
    with pytest.raises(UnresolvedSectorError, match=r"generic-toy:2020 .*does not place 2 of 2 "
                       r"sectors .*pass a concordance"):
        resolve_broad(t, "textiles")
    with pytest.raises(UnresolvedSectorError, match="unknown broad sector 'steel'"):
        resolve_broad(t, "steel")
    assert issubclass(UnresolvedSectorError, SilkchainError)


def test_generic_table_by_names_and_user_concordance(tmp_path) -> None:
    t = _table(["s1", "s2"], {"source": "generic"},
               names=["Textiles and Wearing Apparel", "Wholesale Trade"])  # Eora26 names
    assert resolve_broad(t, "textiles") == ("s1",)
    u = _table(["x1", "x2"], {"source": "generic"})
    path = tmp_path / "mine.csv"
    path.write_text("sector,broad\nx1,textiles\nx2,trade\n")
    assert resolve_broad(u, "trade", concordance=path) == ("x2",)
    assert resolve_broad(u, "textiles", concordance={"x1": "textiles", "x2": "trade"}) == ("x1",)
    path.write_text("sector,broad\nx1,cloth\n")
    with pytest.raises(UnresolvedSectorError, match=r"mine.csv .*unknown broad sector.*cloth.*"
                       r"no broad sector for 1 sector"):
        resolve_broad(u, "trade", concordance=path)


def test_aggregated_tables_are_placed_through_their_groups_members() -> None:
    from silkchain.aggregation import aggregate_regions, aggregate_sectors

    t = silkchain.read("wiod2013:2011")
    agg = aggregate_sectors(t, {"c4": "TEX", "c5": "TEX"})
    assert resolve_broad(agg, "textiles") == ("TEX",)
    assert classify(agg)["TEX"] == "textiles" and classify(agg)["c14"] == "electronics"
    assert agg.meta["derived_from"] == "wiod2013:2011" and "dataset" not in agg.meta
    both = aggregate_regions(agg, {"DEU": "EU2", "FRA": "EU2"})
    assert resolve_broad(both, "textiles") == ("TEX",)
    assert both.meta["derived_from"] == "wiod2013:2011"


def test_groups_across_broad_sectors_are_named_not_guessed(tmp_path) -> None:
    from silkchain.aggregation import aggregate_sectors
    from silkchain.io.npz import write_npz

    broad = aggregate_sectors(silkchain.read("wiod2013:2011"), "wiod13_broad")
    path = tmp_path / "broad5.npz"
    write_npz(broad, path)
    with pytest.raises(UnresolvedSectorError, match=(
            r"^broad5.npz \(derived from wiod2013:2011, WIOD 2013\): 5 of its 5 sectors "
            r"group WIOD 2013 and ADB MRIO \(35 sectors\) sectors of several broad sectors: "
            r"PRI \(agriculture, mining\); LTM \(food, textiles, wood_paper, "
            r"other_manufacturing\);")):
        resolve_broad(silkchain.read(path), "textiles")
