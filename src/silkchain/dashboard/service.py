"""What the dashboard knows and computes: datasets, countries, groups, cached results.

Every request value is checked here against what exists (dataset names, years,
country codes, group names, measure names) before any table is read, so no part
of a request ever reaches :func:`silkchain.read` as a path: tables are read only by
dataset ids taken from :func:`silkchain.datasets`.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pandas as pd

from silkchain.dashboard.catalogue import MEASURES, country_level
from silkchain.errors import SilkchainError
from silkchain.io.registry import datasets as list_datasets
from silkchain.io.registry import read
from silkchain.labels import Labels
from silkchain.table import MRIOTable

NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{0,63}$")
CODE_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{0,31}$")
#: Most countries one request may name; most years one request may span.
MAX_COUNTRIES = 80
MAX_YEARS = 40


class RequestProblem(ValueError):
    """Bad request input; ``status`` is the HTTP status to answer with (4xx)."""

    def __init__(self, message: str, status: int = 422) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Panel:
    """A dataset name and the years it has."""

    name: str
    years: tuple[int, ...]
    source: str
    release: str


_LIST_LOCK = threading.Lock()
_LIST_CACHE: dict[str, tuple[float, dict[str, Panel]]] = {}


def panels(ttl: float = 30.0) -> dict[str, Panel]:
    """Datasets with yearly tables, by name (cached for ``ttl`` seconds)."""
    with _LIST_LOCK:
        hit = _LIST_CACHE.get("panels")
        if hit and time.monotonic() - hit[0] < ttl:
            return hit[1]
        frame = list_datasets()
        out: dict[str, Panel] = {}
        for name, rows in frame.groupby(frame["id"].str.split(":").str[0], sort=False):
            keys = rows["id"].str.split(":", n=1).str[1]
            years = tuple(sorted(int(k) for k in keys if str(k).isdigit()))
            if years:
                out[str(name)] = Panel(str(name), years, str(rows["source"].iloc[0]),
                                       str(rows["release"].iloc[0]))
        _LIST_CACHE["panels"] = (time.monotonic(), out)
        return out


def check_dataset(name: str) -> Panel:
    """The panel called ``name``; 404 with the available names otherwise."""
    if not isinstance(name, str) or not NAME_RE.match(name):
        raise RequestProblem(f"dataset must be a dataset name such as 'wiod2013' "
                             f"(letters, digits, '.', '_', '-'); got {name!r:.80}")
    found = panels()
    if name not in found:
        raise RequestProblem(f"unknown dataset {name!r}; available: "
                             f"{', '.join(sorted(found)) or 'none'}", status=404)
    return found[name]


def check_years(panel: Panel, start: int | None, end: int | None) -> list[int]:
    """Years of ``panel`` within ``[start, end]`` (defaults: its last three years)."""
    years = panel.years
    if start is None and end is None:
        return list(years[-3:])
    lo = years[0] if start is None else start
    hi = years[-1] if end is None else end
    if lo > hi:
        raise RequestProblem(f"start year {lo} is after end year {hi}")
    for label, y in (("start", lo), ("end", hi)):
        if not years[0] <= y <= years[-1]:
            raise RequestProblem(f"{label} year {y} is outside {panel.name}'s years "
                                 f"{years[0]}-{years[-1]}")
    chosen = [y for y in years if lo <= y <= hi]
    if len(chosen) > MAX_YEARS:
        raise RequestProblem(f"{len(chosen)} years requested; at most {MAX_YEARS}")
    return chosen


def check_year(panel: Panel, year: int) -> int:
    """``year`` if ``panel`` has it (no table is read); 422 naming its years otherwise."""
    if year not in panel.years:
        raise RequestProblem(f"{panel.name} has no year {year}; available: "
                             f"{panel.years[0]}-{panel.years[-1]}")
    return year


def table(panel: Panel, year: int) -> MRIOTable:
    """The table of ``panel`` for ``year`` (read by dataset id only)."""
    check_year(panel, year)
    return _read(f"{panel.name}:{year}")


def _version(dataset_id: str) -> str | None:
    """The stored version of a dataset (content hash), ``None`` when it has none."""
    from silkchain.panel import dataset_versions

    found = dataset_versions({0: dataset_id})
    return None if found is None else found[0]


def _read(dataset_id: str, version: str | None = None) -> MRIOTable:
    return _read_version(dataset_id, version if version is not None else _version(dataset_id))


@lru_cache(maxsize=6)
def _read_version(dataset_id: str, version: str | None) -> MRIOTable:
    """The table of ``dataset_id`` as stored at ``version`` (a re-import is read again)."""
    return read(dataset_id)


_LABELS_LOCK = threading.Lock()
_LABELS: dict[str, Labels] = {}


def labels(panel: Panel) -> Labels:
    """Labels of the panel's latest table, read once and kept (validation never re-reads)."""
    key = f"{panel.name}:{panel.years[-1]}"
    with _LABELS_LOCK:
        found = _LABELS.get(key)
    if found is None:
        found = read(key).labels  # not through _read: labels are kept, the table is not
        with _LABELS_LOCK:
            _LABELS[key] = found
    return found


def warm_labels() -> None:
    """Read the labels (and the scenario's default sector) of every dataset once, in the
    background at start-up, so that no submission waits for a table."""
    for panel in panels().values():
        try:
            labels(panel)
            default_sector(panel)
        except Exception:  # a broken dataset says so when it is asked for
            continue


def countries(panel: Panel) -> tuple[str, ...]:
    """Country codes of the panel's latest table."""
    return labels(panel).countries


def country_names(panel: Panel) -> dict[str, str]:
    """Country code -> English name (the code itself when it is not ISO 3166)."""
    from silkchain.groups.codes import country_name

    return {c: country_name(c) for c in countries(panel)}


def sectors(panel: Panel) -> tuple[tuple[str, str], ...]:
    """(code, name) of the panel's sectors."""
    lab = labels(panel)
    names = lab.sector_names or lab.sectors
    return tuple(zip(lab.sectors, names, strict=True))


def group_names() -> list[str]:
    """Names of the registered country groups (empty when the registry is absent)."""
    try:
        from silkchain.groups import list_groups
    except ImportError:
        return []
    listed = list_groups()
    if isinstance(listed, pd.DataFrame):
        col = "name" if "name" in listed.columns else listed.columns[0]
        return [str(n) for n in listed[col]]
    return [str(getattr(g, "name", g)) for g in listed]


def group_mapping(name: str, panel: Panel) -> Any:
    """Where group ``name``'s members are in the panel's latest table (a ``GroupMapping``)."""
    if not NAME_RE.match(name or ""):
        raise RequestProblem(f"group must be a group name such as 'bri64'; got {name!r:.80}")
    try:
        from silkchain.groups import get_group
    except ImportError:
        raise RequestProblem("country groups are not available in this installation",
                             status=404) from None
    try:
        group = get_group(name)
    except (LookupError, SilkchainError, ValueError) as err:
        msg = err.args[0] if isinstance(err, KeyError) and err.args else str(err)
        raise RequestProblem(str(msg), status=404) from None
    year = panel.years[-1] if getattr(group, "by_table_year", False) else None
    return group.members_in(countries(panel), year=year)  # cached labels, no table read


def group_members(name: str, panel: Panel) -> list[str]:
    """Members of group ``name`` that the panel's table shows as countries."""
    return [str(c) for c in group_mapping(name, panel).inside]


def check_countries(panel: Panel, codes: Sequence[str]) -> list[str]:
    """``codes`` if all are countries of the panel; 422 naming the unknown ones."""
    codes = [c.strip() for c in codes if c.strip()]
    if not codes:
        raise RequestProblem("name at least one country (or a group)")
    if len(codes) > MAX_COUNTRIES:
        raise RequestProblem(f"{len(codes)} countries requested; at most {MAX_COUNTRIES}")
    bad_form = [c for c in codes if not CODE_RE.match(c)]
    if bad_form:
        raise RequestProblem(f"not a country code: {bad_form[0]!r:.40}")
    known = countries(panel)
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise RequestProblem(f"unknown countr{'y' if len(unknown) == 1 else 'ies'} "
                             f"{', '.join(map(repr, unknown))} in {panel.name}; "
                             f"available: {', '.join(known)}")
    return list(dict.fromkeys(codes))


def check_measure(name: str, variable: str | None = None) -> tuple[str, str]:
    """A known measure and one of its variables (default: the measure's default)."""
    m = MEASURES.get(name)
    if m is None:
        raise RequestProblem(f"unknown measure {name!r:.40}; available: {', '.join(MEASURES)}")
    why = m.availability()
    if why:
        raise RequestProblem(f"measure {name!r} cannot run here: {why}", status=503)
    var = variable or m.default
    if var not in m.variables:
        raise RequestProblem(f"unknown variable {var!r:.40} of measure {name!r}; "
                             f"available: {', '.join(m.variables)}")
    return name, var


_RESULT_LOCK = threading.Lock()


@lru_cache(maxsize=256)
def _measure_frame(dataset_id: str, measure: str, version: str | None = None
                   ) -> pd.DataFrame:
    """One year's country-level frame of ``measure``: kept in memory, and in the store's
    cache keyed by the table's stored ``version`` (a restart reuses it, a re-imported
    table is computed again)."""
    from silkchain.panel import cache_put, frame_cache

    _name, year = dataset_id.rsplit(":", 1)
    where = (frame_cache(True, f"dashboard-{measure}", {int(year): dataset_id},
                         versions={int(year): version}, dataset=dataset_id)
             if version is not None else None)
    if where is not None:
        hit = where[0].get_frame(where[1])
        if hit is not None:
            return hit
    frame = country_level(MEASURES[measure].call()(_read(dataset_id, version)))
    frame.insert(0, "year", int(year))
    if where is not None:
        cache_put(*where, frame)
    return frame


def unit_of(measure: str, variable: str) -> str:
    """Unit of one variable of a measure (the catalogue's per-term unit when it has one)."""
    m = MEASURES[measure]
    per_term = getattr(m, "unit_of", None)
    return str(per_term(variable)) if callable(per_term) else str(m.unit)


def is_additive(measure: str, variable: str) -> bool:
    """Whether a variable is a money amount, so that a group's value is its members' sum."""
    unit = unit_of(measure, variable)
    return "US$" in unit or "million" in unit or "currency" in unit.lower()


@dataclass(frozen=True)
class GroupLine:
    """A country group drawn as one line: its name, members and how they are combined."""

    name: str
    members: tuple[str, ...]
    how: str  #: "sum" or "export-weighted mean"

    @property
    def label(self) -> str:
        return f"{self.name} ({self.how} of {len(self.members)} members)"


def measure_panel(
    panel: Panel, years: Sequence[int], measure: str, variable: str, codes: Sequence[str],
    progress: Callable[[int, int, str], None] | None = None,
    group: GroupLine | None = None,
) -> pd.DataFrame:
    """``year, country, measure, value`` for the chosen countries and years.

    With ``group``, one more series whose ``country`` is the group's name: the members'
    sum for money amounts, else their mean weighted by gross exports (the share of the
    group's exports, for shares of exports); its rows come first.
    """
    from silkchain.panel import dataset_versions

    parts = []
    wanted = set(codes) | set(group.members if group else ())
    versions = dataset_versions({y: f"{panel.name}:{y}" for y in years}) or {}
    for i, year in enumerate(years):
        if progress:
            progress(i, len(years), f"{MEASURES[measure].title}: {panel.name} {year}")
        check_year(panel, year)  # the measure frame is cached: no table is re-read
        did = f"{panel.name}:{year}"
        with _RESULT_LOCK:
            version = versions.get(year)
            frame = _measure_frame(did, measure, version)
            totals = (_measure_frame(did, "totals", version) if group and group.how != "sum"
                      else None)
        rows = frame[(frame["measure"] == variable) & frame["country"].isin(wanted)]
        if group is not None:
            inside = rows[rows["country"].isin(group.members)].set_index("country")["value"]
            if group.how == "sum":
                value = float(inside.sum())
            else:
                assert totals is not None
                w = totals[totals["measure"] == "gross_exports"].set_index("country")["value"]
                w = w.reindex(inside.index)
                ok = inside.notna() & w.notna()
                value = (float((inside[ok] * w[ok]).sum() / w[ok].sum())
                         if w[ok].sum() > 0 else float("nan"))
            parts.append(pd.DataFrame({"year": [int(year)], "country": [group.name],
                                       "measure": [variable], "value": [value]}))
        parts.append(rows[rows["country"].isin(codes)])
    if progress:
        progress(len(years), len(years), "done")
    out = pd.concat(parts, ignore_index=True)
    order = ([group.name] if group else []) + [c for c in codes if not group or c != group.name]
    out["country"] = pd.Categorical(out["country"], categories=order)
    out = out.sort_values(["country", "year"]).reset_index(drop=True)
    out["country"] = out["country"].astype(str)
    return out


def undefined_notes(panel: Panel, frame: pd.DataFrame, limit: int = 8) -> list[str]:
    """Why values of ``frame`` (``year, country, measure, value``) are undefined: one line
    per country and reason, with the years, the reasons those of the files and the Python
    API (:func:`silkchain.measures.tidy.explain_undefined`: a country or table without
    exports, else a zero denominator). Empty when every value is defined.
    """
    from silkchain.measures.tidy import explain_undefined
    from silkchain.panel import dataset_versions

    gaps = frame[frame["value"].isna()]
    if gaps.empty:
        return []
    versions = dataset_versions({int(y): f"{panel.name}:{y}" for y in gaps["year"]}) or {}
    found: dict[tuple[str, str], list[int]] = {}
    for year, rows in gaps.groupby("year", sort=True):
        with _RESULT_LOCK:
            totals = _measure_frame(f"{panel.name}:{year}", "totals", versions.get(int(year)))
        exports = totals[totals["measure"] == "gross_exports"].set_index("country")["value"]
        explained, _ = explain_undefined(rows, exports.to_dict())
        for country, reason in zip(explained["country"], explained["reason"], strict=True):
            found.setdefault((str(country), str(reason)), []).append(int(year))
    names = country_names(panel)
    lines = []
    for (code, reason), years in found.items():
        why = reason.removeprefix("undefined: ")
        who = "" if code in why else f"{names.get(code, code)}: "
        lines.append(f"{who}{why} ({_years_text(years)})")
    return lines[:limit] + ([f"... and {len(lines) - limit} more"] if len(lines) > limit
                            else [])


def _years_text(years: Sequence[int]) -> str:
    """``1995``, ``1995, 1997`` or ``1995-1999`` (a run of consecutive years)."""
    ys = sorted(years)
    if len(ys) > 2 and ys[-1] - ys[0] == len(ys) - 1:
        return f"{ys[0]}-{ys[-1]}"
    return ", ".join(map(str, ys))


def group_line(name: str, panel: Panel, measure: str, variable: str) -> GroupLine:
    """The group ``name`` as one line of ``measure``/``variable`` in ``panel``."""
    members = tuple(group_members(name, panel))
    if not members:
        raise RequestProblem(f"group {name!r}: none of its members is a separate country in "
                             f"{panel.name} (all are inside its rest of the world)")
    how = "sum" if is_additive(measure, variable) else "export-weighted mean"
    return GroupLine(name, members, how)


#: Fields of scenario steps (YAML keys) that name countries, sectors or final-demand
#: categories of the table.
COUNTRY_FIELDS = ("from", "to", "country", "partners", "origin", "destination", "importer")
SECTOR_FIELDS = ("sector", "products")


def _codes_of(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [str(k) for k in value]
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value if isinstance(v, str)]
    return []


def check_scenario_codes(panel: Panel, spec: dict[str, Any]) -> None:
    """Refuse (422) a scenario naming countries or sectors the dataset does not have.

    Checked against the dataset's cached labels, so no table is read; every unknown
    code is named at once, with its step and field (``steps[0].transfer.to``).
    """
    lab = labels(panel)
    problems = []
    for i, step in enumerate(spec.get("steps") or []):
        if not isinstance(step, dict) or len(step) != 1:
            continue
        (op, body), = step.items()
        if not isinstance(body, dict):
            continue
        for key, value in body.items():
            known = (lab.countries if key in COUNTRY_FIELDS else
                     lab.sectors if key in SECTOR_FIELDS else None)
            if known is None:
                if key == "freed_capacity" and isinstance(value, dict):
                    bad = [c for c in _codes_of(value.get("redeploy")) if c not in lab.sectors]
                    problems += [f"steps[{i}].{op}.freed_capacity.redeploy: unknown sector "
                                 f"{c!r:.40}" for c in bad]
                continue
            kind = "country" if key in COUNTRY_FIELDS else "sector"
            problems += [f"steps[{i}].{op}.{key}: unknown {kind} {c!r:.40}"
                         for c in _codes_of(value) if c not in known]
    if problems:
        raise RequestProblem(f"{'; '.join(problems[:10])} (in {panel.name}; its countries: "
                             f"{', '.join(lab.countries)}; its sectors: "
                             f"{', '.join(lab.sectors)})")


#: Countries the explorer opens on, where the dataset has them (ISO 3166 codes, used by
#: every release); otherwise its first three countries.
PREFERRED_COUNTRIES = ("CHN", "IND", "RUS")
#: Broad sector (silkchain.concordances.broad) the scenario form opens on.
DEFAULT_BROAD = "textiles"


def default_countries(panel: Panel) -> list[str]:
    """The countries the explorer opens on for ``panel``."""
    have = countries(panel)
    chosen = [c for c in PREFERRED_COUNTRIES if c in have]
    return chosen or list(have[:3])


_DEFAULT_SECTORS: dict[str, str] = {}


def default_sector(panel: Panel) -> str:
    """The scenario form's sector: the dataset's own code for textiles (through its
    source's concordance), else its first sector (found once per dataset and kept)."""
    key = f"{panel.name}:{panel.years[-1]}"
    with _LABELS_LOCK:
        if key in _DEFAULT_SECTORS:
            return _DEFAULT_SECTORS[key]
    codes = [c for c, _ in sectors(panel)]
    try:
        from silkchain.concordances.broad import resolve_broad

        found = resolve_broad(table(panel, panel.years[-1]), DEFAULT_BROAD)
    except (ImportError, SilkchainError, LookupError, ValueError):
        found = ()
    chosen = next((c for c in found if c in codes), codes[0] if codes else "")
    with _LABELS_LOCK:
        _DEFAULT_SECTORS[key] = chosen
    return chosen
