"""Unit and definition of every measure name in the report's frames (workbook columns).

Definitions are read from the measure tables in the docstrings of the Belt and Road
answer modules (:mod:`silkchain.bri`), so the workbook says exactly what the API
documents; trend rows (``_cagr``, ``_change``, ``_slope``, ``_rank``) are defined from
their base measure. Units follow the answers' documented conventions: levels in the
table's currency unit (US$ million for WIOD), shares as fractions of 1.

>>> unit_of("DVA_share"), unit_of("DVA_cagr"), unit_of("U_rank")
('fraction of 1', 'fraction of 1 per year (compound growth)', 'rank (1 = first)')
>>> definition_of("GVC_position_slope").startswith("least-squares trend per year of")
True
"""

from __future__ import annotations

import re
from functools import lru_cache

#: Measures of the scenario comparison (silkchain.scenarios), not in the answer modules.
SCENARIO: dict[str, tuple[str, str]] = {
    "gdp": ("table currency", "value added (GDP at basic prices) of the country"),
    "gross_exports": ("table currency", "gross exports of the country"),
    "gross_output": ("table currency", "gross output of the country"),
    "dva_exports": ("table currency", "domestic value added in the country's exports "
                                      "(Borin & Mancini)"),
    "gvc_forward": ("fraction of 1", "forward GVC participation (WWYZ 2017a)"),
    "gvc_backward": ("fraction of 1", "backward GVC participation (WWYZ 2017a)"),
    "koopman_participation": ("fraction of 1", "GVC participation (IV + FV) / E "
                                               "(Koopman et al. 2010)"),
    "koopman_position": ("log index", "GVC position ln(1 + IV/E) − ln(1 + FV/E) "
                                      "(Koopman et al. 2010)"),
}
LEVEL_UNIT = "table currency (US$ million for WIOD)"
#: Units of measures that are neither levels nor shares.
UNITS: dict[str, str] = {
    "U": "production stages (≥ 1)", "GVC_position": "ratio PLv_GVC / PLy_GVC",
    "position": "log index", "pagerank": "score (sums to 1)", "hub": "score (sums to 1)",
    "authority": "score (sums to 1)", "betweenness": "fraction of shortest paths",
    "community": "label", "same_community": "1 = yes, 0 = no",
    "out_strength": LEVEL_UNIT, "in_strength": LEVEL_UNIT,
    "hub_va_in_exports": LEVEL_UNIT, "va_absorbed_in_hub": LEVEL_UNIT,
    "partner_va_in_hub_exports": LEVEL_UNIT, "va": LEVEL_UNIT, "exports": LEVEL_UNIT,
    "dva": LEVEL_UNIT, "va_rate": "fraction of output", "stage": "production stages",
    "has_advantage": "1 = yes, 0 = no", "candidate": "1 = yes, 0 = no",
    "upgrading": "1 = yes, 0 = no", "density": "fraction of 1",
}
_ROW = re.compile(r"^``([^`]+)``(?:/``([^`]+)``)?\s+(.*)$")


@lru_cache(maxsize=1)
def _documented() -> dict[str, str]:
    """Measure name -> definition, from the answer modules' docstring tables."""
    import sys

    from silkchain.bri.answers import ANSWERS

    out: dict[str, str] = {}
    # the answers' modules, from the answer catalogue (they are imported with it)
    modules = dict.fromkeys(a.function.__module__ for a in ANSWERS.values())
    for module in modules:
        mod = sys.modules[module]
        current: list[str] = []
        inside = 0  # tables are framed by "=====" lines: header rule, rows, closing rule
        for line in (mod.__doc__ or "").splitlines():
            if line.startswith("=="):
                inside = (inside + 1) % 2
                current = []
                continue
            if not inside:
                continue
            found = _ROW.match(line)
            if found:
                current = [c for c in found.group(1, 2) if c]
                for code in current:
                    out.setdefault(code, found.group(3).strip())
            elif current and line.startswith(" ") and line.strip() and "==" not in line:
                for code in current:
                    if out.get(code, "").endswith(line.strip()):
                        continue
                    out[code] = f"{out[code]} {line.strip()}"
            else:
                current = []
    return {k: re.sub(r"``([^`]+)``", r"\1", v) for k, v in out.items()}


def _base(name: str) -> tuple[str, str]:
    for suffix in ("_cagr", "_change", "_slope", "_rank"):
        if name.endswith(suffix):
            return name[: -len(suffix)], suffix
    return name, ""


def unit_of(name: str) -> str:
    """The unit of measure ``name`` in the report's frames."""
    if name in SCENARIO:
        return SCENARIO[name][0]
    base, suffix = _base(name)
    if suffix == "_rank":
        return "rank (1 = first)"
    if not suffix and base in UNITS:
        return UNITS[base]
    share = "share" in base.lower() or base in ("participation", "forward", "backward")
    if suffix == "_cagr":
        return "fraction of 1 per year (compound growth)"
    if suffix == "_change":
        return "fraction of 1, last minus first year" if share else "difference, last minus first"
    if suffix == "_slope":
        return "per year (trend)"
    if share:
        return "fraction of 1"
    if base.isupper() and len(base) <= 6:  # value-added accounting terms: levels
        return LEVEL_UNIT
    return "see definition"


def definition_of(name: str) -> str:
    """The definition of measure ``name`` (from the API's documentation)."""
    if name in SCENARIO:
        return SCENARIO[name][1]
    docs = _documented()
    if name in docs:
        return docs[name]
    base, suffix = _base(name)
    if not suffix and base.endswith("_share") and base[:-6] in docs:
        return f"{base[:-6]} as a share (see the answer's documentation): {docs[base[:-6]]}"
    what = docs.get(base, base)
    return {"_cagr": f"compound annual growth of: {what}",
            "_change": f"last minus first year of: {what}",
            "_slope": f"least-squares trend per year of: {what}",
            "_rank": f"yearly rank among the table's countries of: {what}",
            }.get(suffix, what if base in docs else "")
