"""Country codes: ISO 3166-1 alpha-3 validation with helpful suggestions.

The list of valid codes is data (``data/iso3166_alpha3.csv``: 249 ISO 3166-1
alpha-3 codes plus ``XKX``, the user-assigned code for Kosovo used by the
World Bank and the EU), exported from ``country_converter`` 1.3.2
(Stadler 2017, *Journal of Open Source Software* 2(16): 332) so that checking
codes needs no optional package at run time.

>>> is_iso3("CHN"), is_iso3("ROM"), is_iso3("chn")
(True, False, False)
>>> suggest("ROM")
['ROU']
>>> suggest("china")
['CHN']
"""

from __future__ import annotations

import csv
import difflib
from functools import lru_cache
from importlib import resources

#: Codes used by input-output releases that are not ISO 3166-1 alpha-3, and their ISO code.
KNOWN_ALIASES: dict[str, str] = {
    "ROM": "ROU",  # WIOD 2013 Romania
    "NDL": "NLD",  # Long-run WIOD Netherlands
    "ZAR": "COD",  # former ISO code of DR Congo
    "TMP": "TLS",  # former ISO code of Timor-Leste
    "UK": "GBR",
    "EL": "GRC",  # Eurostat Greece
}


@lru_cache(maxsize=1)
def iso3_names() -> dict[str, str]:
    """ISO 3166-1 alpha-3 code -> short English name."""
    path = resources.files("silkchain.groups") / "data" / "iso3166_alpha3.csv"
    with path.open(encoding="utf-8") as fh:
        return {row["iso3"]: row["name"] for row in csv.DictReader(fh)}


def is_iso3(code: str) -> bool:
    """Whether ``code`` is an ISO 3166-1 alpha-3 code (upper case, as ISO writes them)."""
    return code in iso3_names()


def country_name(code: str) -> str:
    """The short English name of ``code``, or ``code`` itself when it is not ISO3."""
    return iso3_names().get(code, code)


def suggest(code: str, n: int = 3) -> list[str]:
    """ISO3 codes a mistyped ``code`` (or a country name) probably meant."""
    names = iso3_names()
    text = str(code).strip()
    upper = text.upper()
    if upper in KNOWN_ALIASES:
        return [KNOWN_ALIASES[upper]]
    if upper in names:
        return [upper]
    by_name = {name.lower(): iso for iso, name in names.items()}
    if text.lower() in by_name:
        return [by_name[text.lower()]]
    if len(text) > 3:
        close = difflib.get_close_matches(text.lower(), list(by_name), n=n, cutoff=0.75)
        return [by_name[c] for c in close]
    same_start = [c for c in names if len(upper) >= 2 and c.startswith(upper[:2])]
    if same_start:
        return same_start[:n]
    return difflib.get_close_matches(upper, list(names), n=n, cutoff=0.6)
