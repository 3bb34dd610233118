"""``silkchain report`` end to end on every release fixture: the panel and one year.

Each fixture (``tests/data/releases.py``, in the release's real download layout) is
imported into a temporary store; the report runs on its three-year panel and on its last
year, names its coverage, resolves the default scenario through the source's own
concordance, and leaves out (with the reason) what one year cannot show.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from silkchain.cli.app import build_app
from silkchain.report.build import build_report
from tests.data.releases import DATASET, SOURCES, write_release

YEARS = (2018, 2019, 2020)


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory):
    """A silkchain home whose store holds every release fixture, imported as downloaded."""
    from silkchain.io.sources.release import import_release

    root = tmp_path_factory.mktemp("report-home")
    old = os.environ.get("SILKCHAIN_HOME")
    os.environ["SILKCHAIN_HOME"] = str(root)
    try:
        for source in SOURCES:
            import_release(write_release(source, root / "downloads" / source, YEARS))
        yield root
    finally:
        if old is None:
            os.environ.pop("SILKCHAIN_HOME", None)
        else:
            os.environ["SILKCHAIN_HOME"] = old


def _text(html: Path) -> str:
    return re.sub(r"\s+", " ", html.read_text(encoding="utf-8"))


@pytest.mark.slow
@pytest.mark.parametrize("source", SOURCES)
def test_report_on_the_panel_and_on_one_year(home: Path, source: str, tmp_path: Path) -> None:
    name = DATASET[source]
    panel = build_report(name, output=tmp_path / "panel", years="2018-2020",
                         scheduler="sync", cache=False, ranges=False)
    assert panel.html.exists() and panel.workbook.exists()
    assert "members are separate in this table" in panel.report.meta["coverage"]
    assert "value_capture" in panel.report.frames or panel.report.charts
    assert not [m for m in panel.missing if "needs at least" in m]
    assert any(c.key == "scenario" for c in panel.report.charts), panel.missing
    one = build_report(f"{name}:2020", output=tmp_path / "one", scheduler="sync", cache=False,
                       ranges=False)  # ranges across all 12 fixtures: the CLI test below
    assert one.missing[0].startswith("Upgrading paths needs at least 2 years")
    html = _text(one.html)
    assert "members are separate in this table" in html
    assert "Upgrading paths needs at least 2 years" in html


def test_report_command_on_an_oecd_year_and_a_table_file(home: Path, tmp_path: Path) -> None:
    from silkchain import read
    from silkchain.io.registry import write

    runner = CliRunner()
    res = runner.invoke(build_app(), ["report", "oecd-icio-2023:2020", "-o", str(tmp_path / "r"),
                                      "--scheduler", "sync", "--no-scenario"])
    assert res.exit_code == 0, res.output
    assert "not in the report: Upgrading paths needs at least 2 years" in " ".join(
        res.output.split())
    html = _text(tmp_path / "r" / "report.html")
    assert "How sure are we? Ranges across sources" in html and "adb-mrio" in html
    path = tmp_path / "adb2020.npz"
    write(read("adb-mrio:2020"), path)
    res = runner.invoke(build_app(), ["report", str(path), "-o", str(tmp_path / "f"),
                                      "--scheduler", "sync"])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "f" / "report.html").exists()
