"""Every command against every bad input of issue 14: one line, exit code != 0, no traceback.

Bad inputs: an input "table" that is a folder named ``*.npz``; an output that is a
folder, under ``/proc`` or under a file; scenario files that are not UTF-8, hold a
400-digit integer, an alias bomb, ``share: 1e308``, a 100,000-deep nesting; a missing
scenario file. Plus the command line's manners in a real (non-TTY) process: no blank
lines on stderr, no wrapping, no warnings, files that follow the umask.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import silkchain as sc
from silkchain.cli.app import build_app

MOCK = Path(__file__).parents[1] / "data" / "mock"
runner = CliRunner()

ALIAS_BOMB = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi",
                                                                  strict=True))
SCENARIOS = {
    "latin1.yaml": b"table: wiod2013:2011\nname: caf\xe9\n",
    "digits.yaml": ("table: wiod2013:2011\nsteps:\n  - demand:\n      origin: CHN\n"
                    "      change: " + "9" * 400 + "\n").encode(),
    "bomb.yaml": ALIAS_BOMB.encode(),
    "huge_share.yaml": b"table: wiod2013:2011\nsteps:\n  - transfer:\n      from: CHN\n"
                       b"      to: IDN\n      sector: c4\n      share: 1e308\n",
    "deep.yaml": b"a: " + b"[" * 100_000 + b"]" * 100_000 + b"\n",
    "rate.yaml": b"table: wiod2013:2011\nsteps:\n  - cost:\n      from: CHN\n      to: USA\n"
                 b"      rate: 1e300\n",
}
SCENARIO_MESSAGES = {
    "latin1.yaml": r"latin1\.yaml: not UTF-8 text \(byte 0xe9 at line 2\)",
    "digits.yaml": r"change: expected a relative change, got an integer of 400 digits",
    "bomb.yaml": r"uses a YAML alias \(\*a\) at line 2; aliases are not accepted",
    "huge_share.yaml": r"share: expected a number in \[0, 1\], got 1e\+308",
    "deep.yaml": r"nested too deeply",
    "rate.yaml": r"cost\.rate: expected a rate in \(-1, 100\], got 1e\+300",
}


@pytest.fixture(scope="module")
def place(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("bad")
    sc.write(sc.read(MOCK / "ICIO2016_2011.csv"), root / "t.npz")
    (root / "dir.npz").mkdir()
    (root / "outdir").mkdir()
    (root / "afile").write_text("a file, not a folder")
    for name, data in SCENARIOS.items():
        (root / name).write_bytes(data)
    (root / "ok.yaml").write_text(f"table: {root / 't.npz'}\nsteps:\n  - demand:\n"
                                  "      origin: CHN\n      change: 0.1\n")
    return root


def _runs(p: Path) -> list[tuple[str, list[str]]]:
    t, d = str(p / "t.npz"), str(p / "dir.npz")
    bad_outputs = {"folder": str(p / "outdir"), "proc": "/proc/silkchain-x/out.csv",
                   "under a file": str(p / "afile" / "out.csv")}
    runs: list[tuple[str, list[str]]] = []
    table_commands = {
        "info": ["info", "{t}"],
        "decompose": ["decompose", "{t}", "--method", "vax", "-o", "{o}"],
        "indicators": ["indicators", "{t}", "-o", "{o}"],
        "aggregate": ["aggregate", "{t}", "--region", "X=CHN,USA", "-o", "{o}"],
        "bri": ["bri", "position", "{t}", "--group", "none", "-o", "{o}"],
        "groups show": ["groups", "show", "bri64", "--table", "{t}", "-o", "{o}"],
        "scenario run": ["scenario", "run", str(p / "ok.yaml"), "--table", "{t}", "-o", "{o}"],
        "panel": ["panel", "{t}", "-m", "vax", "--scheduler", "sync", "--no-cache", "-o",
                  "{o}"],
    }
    for name, args in table_commands.items():
        out = str(p / ("x.npz" if name == "aggregate" else "x.csv"))
        runs.append((f"{name}: input folder named *.npz",
                     [a.format(t=d, o=out) for a in args]))
        if "{o}" in args:
            for what, bad in bad_outputs.items():
                if name == "aggregate":
                    bad = bad.replace("out.csv", "out.npz")
                runs.append((f"{name}: output {what}", [a.format(t=t, o=bad) for a in args]))
    runs.append(("validate: input folder named *.npz", ["validate", d]))
    runs.append(("report: -o naming a file", ["report", t, "-o", str(p / "afile"),
                                               "--no-scenario", "--scheduler", "sync"]))
    runs.append(("report: missing scenario", ["report", t, "-o", str(p / "rep"), "--scenario",
                                              str(p / "missing.yaml"), "--scheduler", "sync"]))
    runs.append(("import: folder named *.npz", ["import", d]))
    runs.append(("scenario run: missing file", ["scenario", "run", str(p / "missing.yaml"),
                                                "-o", str(p / "x.csv")]))
    runs += [(f"scenario check: {name}", ["scenario", "check", str(p / name)])
             for name in SCENARIOS]
    runs += [(f"scenario run: {name}", ["scenario", "run", str(p / name), "--table", t,
                                        "-o", str(p / "x.csv")]) for name in SCENARIOS]
    return runs


def test_every_command_refuses_every_bad_input_without_a_traceback(place: Path) -> None:
    failures = []
    for label, args in _runs(place):
        result = runner.invoke(build_app(), args)
        text = result.output
        if result.exit_code == 0 or "Traceback" in text or not (
                result.exception is None or isinstance(result.exception, SystemExit)):
            failures.append(f"{label}: exit {result.exit_code}, {result.exception!r}, "
                            f"{text[-300:]!r}")
            continue
        errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
        if result.exit_code == 1 and args[0] != "validate" and len(errors) != 1:
            failures.append(f"{label}: expected one 'error:' line, got {result.stderr!r}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_scenario_messages_name_the_problem(place: Path, name: str) -> None:
    import re

    result = runner.invoke(build_app(), ["scenario", "check", str(place / name)])
    assert result.exit_code == 1
    assert re.search(SCENARIO_MESSAGES[name], result.stderr), result.stderr


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "80"}
    return subprocess.run([sys.executable, "-m", "silkchain", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, check=False, timeout=300)


def test_manners_in_a_real_process(place: Path, tmp_path: Path) -> None:
    out = tmp_path / "vax.csv"
    old = os.umask(0o022)
    try:
        r = _run("indicators", str(place / "t.npz"), "-o", str(out), cwd=tmp_path)
        assert r.returncode == 0, r.stderr
        assert oct(out.stat().st_mode & 0o777) == "0o644"  # the umask, not mkstemp's 0600
        out.chmod(0o640)
        r = _run("indicators", str(place / "t.npz"), "-o", str(out), cwd=tmp_path)
        assert oct(out.stat().st_mode & 0o777) == "0o640"  # a replaced file keeps its mode
    finally:
        os.umask(old)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]
    lines = r.stderr.splitlines()
    assert lines and all(line.strip() for line in lines), r.stderr  # no blank lines
    assert "Warning" not in r.stderr and "Traceback" not in r.stderr
    assert lines[-1] == f"wrote {sum(1 for _ in out.open()) - 1:,} rows to {out}"
    long_name = tmp_path / ("a-rather-long-folder-name-" * 4) / "missing.npz"
    r = _run("info", str(long_name), cwd=tmp_path)
    assert r.returncode == 1 and len(r.stderr.splitlines()) == 1, r.stderr  # not wrapped
    assert r.stderr.startswith("error: ") and str(long_name) in r.stderr
    r = _run("--version", cwd=tmp_path)
    assert r.returncode == 0 and r.stdout.startswith("silkchain ")
    r = _run("-q", "indicators", str(place / "t.npz"), "-o", str(out), cwd=tmp_path)
    assert r.returncode == 0 and r.stderr == ""


def test_json_and_help_manners(place: Path) -> None:
    import json

    r = runner.invoke(build_app(), ["datasets", "--json"])
    rows = json.loads(r.stdout)
    assert {"id": "wiod2013:2011", "source": "WIOD", "release": "2013", "year": 2011,
            "countries": 41, "sectors": 35, "where": "bundled"} in rows
    r = runner.invoke(build_app(), ["info", str(place / "t.npz"), "--json"])
    info = json.loads(r.stdout)
    assert info["countries"] == 3 and info["largest_exporters"][0]["share_percent"] > 0
    r = runner.invoke(build_app(), ["groups", "list", "--json"])
    assert any(g["name"] == "bri64" for g in json.loads(r.stdout))
    for args in (["-h"], ["aggregate", "-h"], ["store", "repair", "-h"], ["scenario", "run",
                                                                          "-h"]):
        r = runner.invoke(build_app(), args)
        assert r.exit_code == 0 and "Usage" in r.output, args
        assert "<bool>" not in r.output and "``" not in r.output, (args, r.output)


def test_info_on_a_table_without_exports_explains(tmp_path: Path) -> None:
    import json

    path = tmp_path / "one.npz"
    sc.write(sc.MRIOTable.from_arrays([[1.0]], [[5.0]], ["AAA"], ["s1"]), path)
    r = runner.invoke(build_app(), ["info", str(path)])
    assert r.exit_code == 0, r.output
    assert "n/a (no exports in the table)" in r.stdout
    assert "note: the table has no exports (one country or no trade)" in r.stderr
    r = runner.invoke(build_app(), ["info", str(path), "--json"])
    row = json.loads(r.stdout)["largest_exporters"][0]
    assert row["share_percent"] is None and row["note"].startswith("n/a")


def test_usage_errors_keep_exit_code_2_and_choices_stay_whole() -> None:
    for args in (["info"], ["scenario", "run"], ["decompose", "wiod2013:2011", "-o", "x.csv",
                                                  "--level", "nope"]):
        r = runner.invoke(build_app(), args)
        assert r.exit_code == 2 and "internal error" not in r.output, (args, r.output)
    r = runner.invoke(build_app(), ["decompose", "-h"], env={"COLUMNS": "80"})
    assert "country | sector |" in r.output and "bilatera\n" not in r.output


def test_store_busy_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from silkchain.io.store import Store

    monkeypatch.setenv("SILKCHAIN_HOME", str(tmp_path / "store"))
    monkeypatch.setenv("SILKCHAIN_STORE_TIMEOUT", "0.2")
    with Store().lock():
        r = runner.invoke(build_app(), ["import", str(MOCK / "ICIO2016_2011.csv")])
    assert r.exit_code == 1, r.output
    assert r.stderr.splitlines()[-1].startswith("error: store busy: another silkchain process "
                                                "is writing to ")


def test_datasets_never_cuts_an_id(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from silkchain.io.store import Store

    monkeypatch.setenv("SILKCHAIN_HOME", str(tmp_path / "store"))
    long_id = "oecd-icio-2023-splits-constant-prices-with-a-long-name:2020"
    Store().put_table(sc.read(MOCK / "ICIO2016_2011.csv"), long_id)
    r = runner.invoke(build_app(), ["datasets"], env={"COLUMNS": "80"})
    assert r.exit_code == 0 and long_id in r.stdout
    (tmp_path / "store" / "catalog.duckdb").write_bytes(b"garbage")
    r = runner.invoke(build_app(), ["datasets"])
    assert r.exit_code == 0 and "wiod2013:2011" in r.stdout
    assert r.stderr.startswith("note: the local store's datasets are not listed: ")
    assert "run `silkchain store repair`" in r.stderr
