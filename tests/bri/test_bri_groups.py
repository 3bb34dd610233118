"""The country-group registry: bundled data with sources, user files, mapping onto tables."""

from __future__ import annotations

import csv
from importlib import resources

import pytest

from silkchain.groups import (
    GroupError,
    GroupNotFoundError,
    get_group,
    is_iso3,
    list_groups,
    load_user_groups,
    register_group,
    unregister_group,
)
from silkchain.groups.codes import suggest

#: The Belt and Road countries of WIOD 2013, as the data README lists them (ROM -> ROU).
WIOD_BRI = {"CHN", "RUS", "IDN", "IND", "TUR", "POL", "HUN", "CZE", "SVK", "SVN", "BGR", "ROU",
            "EST", "LVA", "LTU"}
BUNDLED = ["bri64", "bri65", "bri-signatories", "corridor-nelb", "corridor-cmrec",
           "corridor-ccwaec", "corridor-cicpec", "corridor-cpec", "corridor-bcimec", "asean",
           "eaeu", "cee16", "eu", "oecd", "g7", "g20"]


def data_rows(name: str) -> list[dict[str, str]]:
    path = resources.files("silkchain.groups") / "data" / name
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.parametrize("name", BUNDLED)
def test_every_bundled_group_has_iso3_members_and_sources(name):
    g = get_group(name)
    assert g.entries and g.sources
    assert all(is_iso3(m.iso3) for m in g.entries)
    assert len({m.iso3 for m in g.members()}) == len(g.members())


def test_every_membership_row_cites_a_source():
    rows = data_rows("memberships.csv")
    assert rows and all(r["source"].strip() for r in rows)
    assert {r["group"] for r in rows} <= set(BUNDLED)
    sig = data_rows("bri_signatories.csv")
    assert all(r["source"].strip() for r in sig)
    assert {r["status"] for r in sig} <= {"signed", "disputed", "withdrawn", "lapsed"}


def test_bundled_belt_and_road_lists_match_the_shared_data():
    # counts stated in data/README.md and bri_signatories_SOURCES.md
    assert len(get_group("bri64").entries) == 64 and "CHN" not in get_group("bri64")
    assert set(get_group("bri65").codes()) == set(get_group("bri64").codes()) | {"CHN"}
    sig = get_group("bri-signatories")
    assert len(sig.entries) == 155
    status = [m.attributes["status"] for m in sig.entries]
    assert status.count("withdrawn") == 2 and status.count("disputed") == 4


def test_withdrawn_signatories_leave_and_status_is_visible():
    sig = get_group("bri-signatories")
    assert "ITA" in sig.codes(year=2019) and "ITA" not in sig.codes(year=2024)
    assert "ITA" not in sig.codes()  # not a current member
    assert set(sig.filter(status="disputed").codes()) == {"AUT", "COG", "NER", "RUS"}
    assert "status" in sig.frame().columns
    # disputed rows have no year: they count now but in no particular year
    assert "AUT" in sig.codes() and "AUT" not in sig.codes(year=2020)


def test_eu_by_year_follows_enlargements_and_brexit():
    eu = get_group("eu")
    counts = {y: len(eu.codes(year=y)) for y in (1995, 2003, 2004, 2007, 2013, 2019, 2020)}
    assert counts == {1995: 15, 2003: 15, 2004: 25, 2007: 27, 2013: 28, 2019: 28, 2020: 27}
    assert "GBR" in eu.codes(year=2019) and "GBR" not in eu.codes(year=2020)


def test_dated_groups_grow_monotonically_without_exits():
    oecd = get_group("oecd")
    sizes = [len(oecd.codes(year=y)) for y in range(1961, 2025)]
    assert sizes == sorted(sizes) and sizes[-1] == len(oecd.entries)
    assert len(oecd.codes(year=2011)) == 34  # OECD had 34 members from 2010 to 2016


def test_cee_group_records_greece_and_the_baltic_exits():
    cee = get_group("16+1")
    assert cee.name == "cee16" and get_group("17+1") is cee
    assert len(cee.codes(year=2018)) == 16 and len(cee.codes(year=2019)) == 17
    assert {"EST", "LVA", "LTU"}.isdisjoint(cee.codes(year=2022))


def test_wiod_mapping_shows_members_inside_and_hidden_in_rest_of_world(wiod2011):
    m = get_group("bri65").members_in(wiod2011)
    assert set(m.inside) == WIOD_BRI
    assert m.rest_of_world == ("RoW",)
    assert {"KAZ", "VNM", "THA", "MYS"} <= set(m.hidden)
    assert set(m.inside) | set(m.hidden) == set(get_group("bri65").codes())
    assert not set(m.inside) & set(m.hidden) and not m.absent
    assert "inside the rest-of-world aggregate RoW" in m.describe()
    f = m.frame()
    assert f["where"].value_counts().to_dict() == {"rest of world": 50, "table": 15}
    assert m.region_mapping("BRI") == dict.fromkeys(m.inside, "BRI")


def test_eu_on_a_table_uses_the_table_year():
    m95 = get_group("eu").members_in(["AUT", "POL", "DEU", "RoW"], year=1995)
    assert m95.inside == ("AUT", "DEU") and m95.year == 1995


def test_mapping_without_rest_of_world_reports_absent_members():
    m = get_group("corridor-cpec").members_in(["CHN", "USA"])
    assert m.inside == ("CHN",) and m.absent == ("PAK",) and m.hidden == ()
    assert "no rest-of-world aggregate" in m.describe()


def test_exiobase_rest_of_world_regions_are_recognised():
    m = get_group("asean").members_in(["CHN", "IDN", "WA", "WE"])
    assert m.rest_of_world == ("WA", "WE") and "IDN" in m.inside and "VNM" in m.hidden


def test_non_iso_labels_are_reported(leather):
    m = get_group("bri64").members_in(leather)
    assert m.inside == () and "Turkey" in m.unrecognised


def test_explicit_rest_of_world_must_be_a_table_label():
    with pytest.raises(GroupError, match=r"rest-of-world label\(s\) ROW not among"):
        get_group("bri64").members_in(["CHN", "RoW"], rest_of_world="ROW")


def test_members_in_rejects_a_string():
    with pytest.raises(GroupError, match="needs a table or a list of country codes"):
        get_group("bri64").members_in("CHN")


def test_split_by_route_region_partitions_bri64():
    parts = get_group("bri64").split("route_region")
    assert sum(len(g.entries) for g in parts.values()) == 64
    assert len(parts) == 7
    with pytest.raises(GroupError, match="has no attribute 'colour'"):
        get_group("bri64").split("colour")
    with pytest.raises(GroupError, match="has no attribute 'colour'"):
        get_group("bri64").filter(colour="red")


def test_unknown_group_lists_what_is_available():
    with pytest.raises(GroupNotFoundError, match=r"unknown group 'bri99'; available: bri64"):
        get_group("bri99")


def test_list_groups_has_every_bundled_group():
    frame = list_groups()
    assert set(BUNDLED) <= set(frame["name"])
    bundled = frame[frame["origin"] == "bundled"]
    assert len(bundled) == len(BUNDLED) and (bundled["source"].str.len() > 0).all()


# ------------------------------------------------------------------------------ user files
def test_user_yaml_groups_load_register_and_map(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text(
        "groups:\n"
        "  central-asia-x:\n"
        "    title: Central Asia\n"
        "    source: my notes\n"
        "    members: [KAZ, KGZ, TJK, TKM, UZB]\n"
        "  dated-x:\n"
        "    members:\n"
        "      - {iso3: CHN, since: 2001}\n"
        "      - {iso3: KAZ, since: 2015, until: 2020, role: partner}\n")
    groups = load_user_groups(path, register=True)
    try:
        assert set(groups) == {"central-asia-x", "dated-x"}
        assert get_group("central-asia-x").sources == ("my notes",)
        dated = get_group("dated-x")
        assert dated.codes(year=2016) == ["CHN", "KAZ"] and dated.codes(year=2020) == ["CHN"]
        assert dated.entries[1].attributes["role"] == "partner"
        assert get_group("central-asia-x").members_in(["CHN", "RoW"]).hidden[0] == "KAZ"
        assert str(path) in set(list_groups()["origin"])
    finally:
        unregister_group("central-asia-x")
        unregister_group("dated-x")


def test_user_yaml_without_top_level_key(tmp_path):
    path = tmp_path / "plain.yml"
    path.write_text("quad-x: [IND, JPN, AUS, USA]\n")
    assert load_user_groups(path)["quad-x"].codes() == ["IND", "JPN", "AUS", "USA"]


def test_unknown_codes_in_yaml_are_all_listed_with_suggestions(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("groups:\n  mine:\n    members: [CHN, ROM, Kazakhstan, XYZ]\n")
    with pytest.raises(GroupError) as err:
        load_user_groups(path)
    msg = str(err.value)
    assert "bad.yaml, group 'mine': 3 unknown country codes" in msg
    assert "'ROM' (member 2): did you mean ROU?" in msg
    assert "'Kazakhstan' (member 3): did you mean KAZ?" in msg
    assert "'XYZ' (member 4)" in msg


def test_extra_codes_are_accepted(tmp_path):
    path = tmp_path / "regions.yaml"
    path.write_text("r: [CHN, RoW]\n")
    assert load_user_groups(path, extra_codes=["RoW"])["r"].codes() == ["CHN", "RoW"]


def test_user_csv_groups_and_its_errors(tmp_path):
    good = tmp_path / "g.csv"
    good.write_text("group,iso3,since,source\nbloc-x,CHN,2001,notes\nbloc-x,RUS,2001,notes\n"
                    "pair-x,USA,,\n")
    groups = load_user_groups(good)
    assert groups["bloc-x"].codes() == ["CHN", "RUS"] and groups["bloc-x"].dated
    bad = tmp_path / "b.csv"
    bad.write_text("group,iso3\nbloc,CHN\nbloc,CHI\n")
    with pytest.raises(GroupError, match=r"(?s)b.csv: 1 unknown country code.*"
                                         r"'CHI' \(row 3\): did you mean CHE or CHL"):
        load_user_groups(bad)
    cols = tmp_path / "c.csv"
    cols.write_text("name,code\nbloc,CHN\n")
    with pytest.raises(GroupError, match="needs columns 'group' and 'iso3'; found: name, code"):
        load_user_groups(cols)


@pytest.mark.parametrize(("text", "match"), [
    ("g:\n  members:\n    - {iso3: CHN, since: 20x1}\n", r"year '20x1' is not a number"),
    ("g:\n  members:\n    - {iso3: CHN, since: 2015, until: 2010}\n", "leaves in 2010, not after"),
    ("g: [CHN, CHN]\n", r"CHN is listed twice \(member 1 and member 2\)"),
    ("g: 5\n", "expected a list of members"),
    ("g:\n  members: [{code: CHN}]\n", "expected a code like CHN"),
    ("- CHN\n", "expected a mapping of group names"),
    ("g: [CHN\n", "not valid YAML"),
    ("g:\n  members:\n    - {iso3: CHN, since: 1800}\n", "out of range"),
])
def test_malformed_yaml_files_are_explained(tmp_path, text, match):
    path = tmp_path / "g.yaml"
    path.write_text(text)
    with pytest.raises(GroupError, match=match):
        load_user_groups(path)


def test_missing_file_and_wrong_suffix(tmp_path):
    with pytest.raises(GroupError, match="does not exist"):
        load_user_groups(tmp_path / "nope.yaml")
    txt = tmp_path / "g.txt"
    txt.write_text("x")
    with pytest.raises(GroupError, match=r"must be .yaml, .yml or .csv, not .txt"):
        load_user_groups(txt)
    empty = tmp_path / "e.yaml"
    empty.write_text("{}\n")
    with pytest.raises(GroupError, match="no groups found"):
        load_user_groups(empty)


def test_bundled_names_cannot_be_taken(tmp_path):
    path = tmp_path / "g.yaml"
    path.write_text("EU: [FRA]\n")
    with pytest.raises(GroupError, match="taken by a bundled group"):
        load_user_groups(path, register=True)


def test_register_refuses_to_replace_silently(tmp_path):
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_text("twin-x: [CHN]\n")
    b.write_text("twin-x: [USA]\n")
    register_group(load_user_groups(a)["twin-x"])
    try:
        with pytest.raises(GroupError, match="already registered"):
            register_group(load_user_groups(b)["twin-x"])
        register_group(load_user_groups(b)["twin-x"], replace=True)
        assert get_group("twin-x").codes() == ["USA"]
    finally:
        unregister_group("twin-x")


def test_groups_from_the_environment(tmp_path, monkeypatch):
    path = tmp_path / "env.yaml"
    path.write_text("env-x: [MNG]\n")
    monkeypatch.setenv("SILKCHAIN_GROUPS", str(path))
    try:
        assert get_group("env-x").codes() == ["MNG"]
    finally:
        unregister_group("env-x")


def test_suggestions():
    assert suggest("ROM") == ["ROU"] and suggest("chn") == ["CHN"]
    assert suggest("Viet Nam") == ["VNM"] or "VNM" in suggest("Viet Nam")
