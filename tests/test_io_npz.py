"""The .npz interchange layout: round trips, dataset ids, and every layout error."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from numpy.testing import assert_allclose

import silkchain as sc
from silkchain.errors import BalanceError, DatasetNotFoundError, ParserError
from silkchain.io import bundled


def _arrays(t: sc.MRIOTable) -> dict[str, np.ndarray]:
    return {"Z": np.asarray(t.Z), "Y": np.asarray(t.Y), "x": np.asarray(t.x),
            "countries": np.array(t.labels.countries), "sectors": np.array(t.labels.sectors)}


def test_write_then_read_round_trip(tmp_path: Path, leather: sc.MRIOTable) -> None:
    path = sc.write(leather, tmp_path / "leather.npz")
    back = sc.read(path)
    for name in ("Z", "Y", "x", "V"):
        assert_allclose(getattr(back, name), getattr(leather, name), rtol=0, atol=0)
    assert back.labels == leather.labels
    assert back.meta["sha256"] and back.meta["x_policy"] == "rows"
    assert not list(tmp_path.glob(".leather.npz*")), "temporary file left behind"


def test_round_trip_of_a_bundled_year_keeps_labels(tmp_path: Path) -> None:
    t = sc.read("wiod2013:1995")
    back = sc.read(sc.write(t, tmp_path / "w.npz"))
    assert back.labels == t.labels and back.meta["year"] == 1995
    assert back.rounding == 1.0
    assert_allclose(back.Z, t.Z, rtol=0, atol=0)


def test_minimal_file_without_x_takes_row_sums(tmp_path: Path, random43: sc.MRIOTable) -> None:
    arrays = _arrays(random43)
    del arrays["x"]
    np.savez(tmp_path / "m.npz", **arrays)
    t = sc.read(tmp_path / "m.npz")
    assert_allclose(t.x, random43.x)
    assert t.K == 2 and t.labels.fd_categories == ("FD1", "FD2")


def test_labels_kept_as_the_file_gives_them(tmp_path: Path) -> None:
    with np.load(bundled.path_for(2000)) as d:
        arrays = {k: d[k] for k in d.files}
    np.savez(tmp_path / "raw.npz", **arrays)
    with pytest.raises(sc.ValueProblemError, match=r"(?s)SVN/c8: -9.*give that unit as "
                                                   r"rounding= \(now 0.0\)"):
        sc.read(tmp_path / "raw.npz")  # rounded cells need the rounding unit
    t = sc.read(tmp_path / "raw.npz", rounding=1.0)
    assert "ROM" in t.labels.countries  # a user file is not renamed
    assert t.labels.sector_codes[0] == "AtB"
    assert t.meta["year"] == 2000


def test_missing_keys_are_all_named(tmp_path: Path) -> None:
    np.savez(tmp_path / "bad.npz", Z=np.eye(2))
    with pytest.raises(ParserError, match=r"bad.npz: missing required key 'Y'; missing "
                                          r"required key 'countries'; missing required key "
                                          r"'sectors' \(keys found: Z\)"):
        sc.read(tmp_path / "bad.npz")


def test_dimension_errors_are_all_named(tmp_path: Path, leather: sc.MRIOTable) -> None:
    arrays = _arrays(leather)
    arrays["Z"] = arrays["Z"][:8, :8]
    arrays["Y"] = arrays["Y"][:, :2]
    arrays["final_demand"] = np.array(["a", "b"])
    np.savez(tmp_path / "dims.npz", **arrays)
    with pytest.raises(ParserError) as info:
        sc.read(tmp_path / "dims.npz")
    msg = str(info.value)
    assert "'Z' has shape (8, 8), expected (9, 9) for 3 countries x 3 sectors" in msg
    assert "'Y' has 2 columns, not a multiple of 3 countries" in msg
    assert "'final_demand' has 2 names, expected K = 0" in msg


def test_not_an_archive(tmp_path: Path) -> None:
    (tmp_path / "junk.npz").write_bytes(b"this is not a zip file")
    with pytest.raises(ParserError, match=r"junk.npz: not a readable .npz archive"):
        sc.read(tmp_path / "junk.npz")


def test_pickled_labels_are_refused(tmp_path: Path, leather: sc.MRIOTable) -> None:
    arrays = _arrays(leather)
    arrays["countries"] = np.array(["Argentina", "Turkey", None], dtype=object)
    np.savez(tmp_path / "obj.npz", **arrays)
    with pytest.raises(ParserError, match=r"obj.npz: holds an array that needs pickle"):
        sc.read(tmp_path / "obj.npz")


def test_stored_x_off_balance_is_reported(tmp_path: Path, leather: sc.MRIOTable) -> None:
    arrays = _arrays(leather)
    arrays["x"] = arrays["x"] * 1.01
    np.savez(tmp_path / "off.npz", **arrays)
    with pytest.raises(BalanceError, match=r"Argentina/Agriculture: row total"):
        sc.read(tmp_path / "off.npz")


def test_unknown_dataset_and_paths() -> None:
    with pytest.raises(DatasetNotFoundError, match=r"wiod2013 has no year 1990; available: "
                                                   r"1995-2011"):
        sc.read("wiod2013:1990")
    with pytest.raises(DatasetNotFoundError, match=r"unknown dataset 'nosuch:2020'"):
        sc.read("nosuch:2020")
    with pytest.raises(DatasetNotFoundError, match=r"neither a file nor a dataset id"):
        sc.read("/no/such/file.npz")
    with pytest.raises(DatasetNotFoundError, match=r"expected a year after 'wiod2013:'"):
        sc.read("wiod2013:latest")


def test_write_refuses_other_suffixes(tmp_path: Path, leather: sc.MRIOTable) -> None:
    with pytest.raises(ValueError, match=r"use a .npz suffix"):
        sc.write(leather, tmp_path / "t.csv")


def test_failed_write_leaves_previous_file(tmp_path: Path, leather: sc.MRIOTable,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    target = sc.write(leather, tmp_path / "keep.npz")
    before = target.read_bytes()

    def boom(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(np, "savez_compressed", boom)
    with pytest.raises(OSError, match="disk full"):
        sc.write(leather, target)
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["keep.npz"]


def test_datasets_lists_every_bundled_year() -> None:
    frame = sc.datasets()
    bundled_ids = frame.loc[frame["where"] == "bundled", "id"].tolist()
    assert bundled_ids == [f"wiod2013:{y}" for y in range(1995, 2012)]


def test_read_panel_returns_years_in_order() -> None:
    panel = sc.read_panel("wiod2013", years=[1995, 1996])
    assert list(panel) == [1995, 1996]
    assert panel[1996].meta["year"] == 1996
