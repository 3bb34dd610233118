"""The core (tables, measures, scenarios from Python) runs with numpy, scipy and pandas only."""

from __future__ import annotations

import subprocess
import sys
import textwrap

BLOCKED = ["typer", "rich", "duckdb", "dask", "distributed", "plotly", "fastapi", "uvicorn",
           "networkx", "jinja2", "yaml", "country_converter", "platformdirs", "openpyxl",
           "xlsxwriter", "pyxlsb", "python_calamine", "playwright"]

SCRIPT = textwrap.dedent(f"""
    import importlib.abc, sys

    class Block(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in {BLOCKED!r}:
                raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
            return None

    sys.meta_path.insert(0, Block())
    import silkchain as sc
    from silkchain.measures.borin_mancini import bm
    from silkchain.measures.decompose import wwz
    from silkchain.measures.participation import wwyz
    from silkchain.measures.positioning import upstreamness
    from silkchain.measures.tiva import tiva
    from silkchain.scenarios import Scenario, run

    t = sc.read("wiod2013:2011")
    assert len(bm(t, level="country")) == 41 * 15
    assert len(wwz(t)) == 41 * 40 * 35 * 16
    assert len(wwyz(t, level="country")) > 0 and len(upstreamness(t)) > 0
    assert len(tiva(t, indicators=["EXGR_DVASH"])) == 41
    spec = Scenario.from_dict({{"table": "wiod2013:2011",
                                "steps": [{{"extract": {{"country": "CHN", "what": "exports"}}}}]}})
    result = run(spec, measures=["gdp"])
    assert len(result.comparison) > 0
    print("core ok")
""")


def test_core_needs_no_extra() -> None:
    proc = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                          timeout=600, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "core ok" in proc.stdout


def test_cli_without_its_extra_says_what_to_install() -> None:
    script = SCRIPT.split("import silkchain as sc")[0] + textwrap.dedent("""
        import silkchain.cli
        silkchain.cli.main()
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120, check=False)
    assert proc.returncode == 2
    assert "pip install 'silkchain[cli]'" in proc.stderr
