"""Importing releases as downloaded: multi-year zips, folders, BOM/CRLF, detection, errors."""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np
import pytest
from tests.data.releases import DATASET, SOURCES, oecd_rows, write_release
from typer.testing import CliRunner

from silkchain.aggregation import REST_OF_WORLD_CODES
from silkchain.cli.app import build_app
from silkchain.concordances.broad import classify, resolve_broad
from silkchain.errors import ParserError
from silkchain.io.sources import find_tables, read_source
from silkchain.io.sources.release import import_release
from silkchain.io.store import Store

runner = CliRunner()
YEARS = (2018, 2019, 2020)


@pytest.fixture(scope="module")
def releases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("releases")
    return {s: write_release(s, base / s, YEARS) for s in SOURCES}


@pytest.fixture(scope="module")
def stored(releases: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
           ) -> tuple[Store, dict[str, list[str]]]:
    store = Store(tmp_path_factory.mktemp("store"))
    ids = {s: [r.dataset_id for r in import_release(p, store=store)]
           for s, p in releases.items()}
    return store, ids


@pytest.mark.parametrize("source", SOURCES)
def test_every_year_of_every_release_imports(stored: tuple[Store, dict[str, list[str]]],
                                             source: str) -> None:
    store, ids = stored
    assert sorted(ids[source]) == [f"{DATASET[source]}:{y}" for y in YEARS]
    for dataset_id in ids[source]:
        t = store.read(dataset_id)
        assert "CHN" in t.labels.countries  # a Belt and Road member under its ISO3 code
        if source != "eora26":  # Eora26 has every country; its ROW row is a discrepancy
            assert set(t.labels.countries) & REST_OF_WORLD_CODES
        parts = classify(t)
        assert len(resolve_broad(t, "textiles")) == 1
        assert sorted(parts) == sorted(t.labels.sectors)
    first = store.read(ids[source][0]).Z
    assert not np.array_equal(first, store.read(ids[source][-1]).Z)  # years differ


def test_reimport_is_unchanged_and_years_choose(releases: dict[str, Path],
                                                tmp_path: Path) -> None:
    store = Store(tmp_path / "s")
    zip_ = releases["oecd-icio-2023"]
    got = import_release(zip_, store=store, years=[2019, 2020])
    assert [(r.table, r.dataset_id, r.status) for r in got] == [
        ("2018-2020.zip/2019.csv", "oecd-icio-2023:2019", "imported"),
        ("2018-2020.zip/2020.csv", "oecd-icio-2023:2020", "imported")]
    again = import_release(zip_, store=store)
    assert [r.status for r in again] == ["imported", "unchanged", "unchanged"]


def test_bom_crlf_member_reads_like_a_plain_csv(releases: dict[str, Path],
                                                tmp_path: Path) -> None:
    zip_ = releases["oecd-icio-2023"]
    with zipfile.ZipFile(zip_) as zf:
        data = zf.read("2018.csv")
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    plain = tmp_path / "2018.csv"
    plain.write_text("\n".join(",".join(r) for r in oecd_rows("2023", 2018)) + "\n")
    a = read_source(zip_, member="2018.csv")
    b = read_source(plain)
    np.testing.assert_array_equal(a.Z, b.Z)
    np.testing.assert_array_equal(a.Y, b.Y)
    assert a.labels == b.labels and a.meta["release"] == "2023" and a.meta["year"] == 2018


def test_detection_looks_inside_archives(releases: dict[str, Path]) -> None:
    tables = find_tables(releases["oecd-icio-2025"])
    assert [(t.member, t.source, t.year) for t in tables] == [
        ("2018_SML.csv", "oecd-icio", 2018), ("2019_SML.csv", "oecd-icio", 2019),
        ("2020_SML.csv", "oecd-icio", 2020)]
    t = read_source(releases["oecd-icio-2025"], member="2020_SML.csv")
    assert t.meta["release"] == "2025" and "C24A" in t.labels.sectors


def test_errors_name_the_archive_and_the_years(releases: dict[str, Path],
                                               tmp_path: Path) -> None:
    store = Store(tmp_path / "s")
    with pytest.raises(ParserError, match=r"^2018-2020\.zip: no table for 2010, 2031 in this "
                       r"release \(it holds 2018-2020\)$"):
        import_release(releases["oecd-icio-2023"], store=store, years=[2010, 2019, 2031])
    empty = tmp_path / "release.zip"
    with zipfile.ZipFile(empty, "w") as zf:
        zf.writestr("ReadMe.txt", "nothing here")
    with pytest.raises(ParserError, match=r"^release\.zip: no table silkchain can read inside "
                       r"the archive \(members: ReadMe\.txt\)"):
        import_release(empty, store=store)
    with pytest.raises(ParserError, match="holds 3 tables; --year names the year of a single"):
        import_release(releases["oecd-icio-2021"], store=store, year=2018)


def test_cli_imports_a_multi_year_zip(releases: dict[str, Path], tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SILKCHAIN_HOME", str(tmp_path / "home"))
    res = runner.invoke(build_app(), ["import", str(releases["oecd-icio-2021"]),
                                      "--years", "2019-2020"])
    assert res.exit_code == 0, res.output
    assert res.stdout.split() == ["oecd-icio-2021:2019", "oecd-icio-2021:2020"]
    assert res.stderr.splitlines()[:2] == [
        "imported: ICIO2021_2018-2020.zip/ICIO2021_2019.csv -> oecd-icio-2021:2019",
        "imported: ICIO2021_2018-2020.zip/ICIO2021_2020.csv -> oecd-icio-2021:2020"]
    assert "" not in res.stderr.splitlines()  # no blank lines left by a progress bar
    bad = runner.invoke(build_app(), ["import", str(releases["oecd-icio-2021"]),
                                      "--years", "2030"])
    assert bad.exit_code == 1
    assert bad.stderr.strip().splitlines() == [
        "error: ICIO2021_2018-2020.zip: no table for 2030 in this release (it holds "
        "2018-2020)"]


def test_years_read_in_parallel_processes(releases: dict[str, Path], tmp_path: Path) -> None:
    store = Store(tmp_path / "s")
    got = import_release(releases["oecd-icio-2021"], store=store, jobs=2)
    assert [r.dataset_id for r in got] == [f"oecd-icio-2021:{y}" for y in YEARS]
    serial = Store(tmp_path / "t")
    import_release(releases["oecd-icio-2021"], store=serial, years=[2020], jobs=1)
    np.testing.assert_array_equal(store.read("oecd-icio-2021:2020").Z,
                                  serial.read("oecd-icio-2021:2020").Z)


def test_a_bad_cell_in_a_zip_member_is_named(tmp_path: Path) -> None:
    rows = oecd_rows("2023", 2019)
    rows[3][5] = "n/a"
    path = tmp_path / "2018-2019.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("2018.csv", "\n".join(",".join(r) for r in oecd_rows("2023", 2018)))
        zf.writestr("2019.csv", "\n".join(",".join(r) for r in rows))
    with pytest.raises(ParserError, match=r"^2018-2019\.zip/2019\.csv: 1 non-numeric cell\(s\), "
                       r"expected numbers: row 'CHN_C26', column 'CHN_M': 'n/a'$"):
        import_release(path, store=Store(tmp_path / "s"), years=[2019])


def test_a_table_without_a_year_is_keyed_by_its_name(tmp_path: Path) -> None:
    mock = Path(__file__).parents[1] / "data" / "mock" / "generic_toy_2020.csv"
    path = tmp_path / "my table.csv"
    path.write_bytes(mock.read_bytes())
    got = import_release(path, store=Store(tmp_path / "s"))
    assert [r.dataset_id for r in got] == ["generic-my_table:my_table"]
    got = import_release(path, store=Store(tmp_path / "s"), year=2021)
    assert [(r.dataset_id, r.status) for r in got] == [("generic-my_table:2021", "imported")]


def test_a_workbook_with_a_sheet_per_year(releases: dict[str, Path], tmp_path: Path) -> None:
    import pandas as pd

    book = tmp_path / "lrwiod_world.xlsx"
    with pd.ExcelWriter(book) as writer:
        for f in sorted(releases["lrwiod"].glob("*.xlsx")):
            grid = pd.read_excel(f, header=None, sheet_name=0)
            grid.to_excel(writer, sheet_name=f.stem.rsplit("_", 1)[1], header=False, index=False)
    tables = find_tables(book)
    assert [(t.name, t.year) for t in tables] == [
        (f"lrwiod_world.xlsx[{y}]", y) for y in YEARS]
    store = Store(tmp_path / "s")
    got = import_release(book, store=store, years=[2019, 2020])
    assert [r.dataset_id for r in got] == ["lrwiod:2019", "lrwiod:2020"]
    one = read_source(releases["lrwiod"] / "lrwiod_world_2020.xlsx")
    np.testing.assert_array_equal(store.read("lrwiod:2020").Z, one.Z)
