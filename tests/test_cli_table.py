"""The thin CLI: datasets, info, validate (in-process) and the module entry point."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
from typer.testing import CliRunner

import silkchain as sc
from silkchain.cli.app import build_app

runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(build_app(), list(args))


def test_help_lists_commands() -> None:
    result = invoke("--help")
    assert result.exit_code == 0
    for name in ("datasets", "info", "validate"):
        assert name in result.output


def test_every_command_has_help() -> None:
    app = build_app()
    import typer.main

    group = typer.main.get_command(app)
    for name in group.commands:  # type: ignore[attr-defined]
        result = invoke(name, "--help")
        assert result.exit_code == 0, (name, result.output)
        assert "Usage" in result.output


def test_datasets_lists_bundled_years() -> None:
    result = invoke("datasets")
    assert result.exit_code == 0
    assert "wiod2013:1995" in result.output and "wiod2013:2011" in result.output


def test_info_shows_dimensions_and_top_exporters() -> None:
    result = invoke("info", "wiod2013:2011", "--top", "3")
    assert result.exit_code == 0, result.output
    assert "countries" in result.output and "41" in result.output
    assert "CHN" in result.output and "largest 3 exporters" in result.output


def test_info_unknown_dataset_is_a_clean_error() -> None:
    result = invoke("info", "wiod2013:1900")
    assert result.exit_code == 1
    assert "wiod2013 has no year 1900" in result.output
    assert "Traceback" not in result.output


def test_validate_valid_file(tmp_path: Path, leather: sc.MRIOTable) -> None:
    path = sc.write(leather, tmp_path / "ok.npz")
    result = invoke("validate", str(path))
    assert result.exit_code == 0, result.output
    assert "valid (3 countries x 3 sectors" in result.output


def test_validate_a_dataset_id_and_a_single_category() -> None:
    result = invoke("validate", "wiod2013:2011")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("wiod2013:2011: valid (41 countries x 35 sectors, "
                                     "5 final-demand categories;")
    bad = invoke("validate", "wiod2013:1900")
    assert bad.exit_code == 1 and "Traceback" not in bad.output


def test_validate_lists_every_problem_and_exits_1(tmp_path: Path,
                                                  leather: sc.MRIOTable) -> None:
    Z = np.asarray(leather.Z).copy()
    Z[0, 1] = -5.0
    Z[4, 4] = np.nan
    np.savez(tmp_path / "bad.npz", Z=Z, Y=np.asarray(leather.Y),
             countries=np.array(leather.labels.countries),
             sectors=np.array(leather.labels.sectors))
    result = invoke("validate", str(tmp_path / "bad.npz"))
    assert result.exit_code == 1
    assert "is invalid" in result.output
    assert "Turkey/Textile_and_Leather, column 4: nan" in result.output


def test_validate_unreadable_file(tmp_path: Path) -> None:
    (tmp_path / "x.npz").write_text("nope")
    result = invoke("validate", str(tmp_path / "x.npz"))
    assert result.exit_code == 1
    assert "not a readable .npz archive" in result.output


def test_python_dash_m_entry_point() -> None:
    proc = subprocess.run([sys.executable, "-m", "silkchain", "--help"], capture_output=True,
                          text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    assert "datasets" in proc.stdout
