"""What every Belt and Road answer shares: sources, groups, coverage, caveats, trends.

Every answer returns a tidy frame ``year, country, sector, partner, measure,
value`` (the panel layout of :mod:`silkchain.panel`) whose ``attrs`` say

* ``answer``: which answer made it;
* ``group`` and ``coverage``: which group members are countries of the table
  and which are hidden inside its rest-of-world aggregate
  (:meth:`silkchain.groups.Group.members_in`);
* ``small_economies`` and ``caveats``: the warning on rounding and small
  economies (data README) wherever such economies appear, and the answer's
  own caveats;
* ``years``, ``source`` and answer-specific ``notes``.

:func:`describe` turns these into text for the command line and reports.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from silkchain.errors import MeasureError
from silkchain.groups import Group, GroupMapping, get_group
from silkchain.measures.cache import per_table
from silkchain.measures.tidy import TOTAL
from silkchain.panel import PANEL_COLUMNS, cache_put, resolve_source, run_years
from silkchain.panel import panel as run_panel
from silkchain.table import MRIOTable

#: A country is "small" when its gross output is below this share of world output.
SMALL_ECONOMY_SHARE = 0.001
#: The data README's caveat on rounded tables, shown wherever small economies appear.
ROUNDING_CAVEAT = (
    "The cells of this table are rounded (the bundled WIOD 2013 release: to whole millions of "
    "US dollars). "
    "Rounding hurts small economies most: their rows lose 2-6.6% of gross output to cells "
    "rounded to zero (Malta and Estonia in 1995), so their measures can differ visibly from "
    "those published on the unrounded release, while large economies agree closely."
)
OUTPUT_SHARE = "_output_share"
Source = str | MRIOTable | Mapping[int, MRIOTable | str]


# ------------------------------------------------------------------------------ sources
def table_year(table: MRIOTable) -> int:
    """The year of a table (``meta["year"]`` or the key of ``meta["dataset"]``), else 0."""
    year = table.meta.get("year")
    if year is None:
        dataset = str(table.meta.get("dataset", ""))
        key = dataset.rsplit(":", 1)[-1] if ":" in dataset else ""
        year = int(key) if key.isdigit() else 0
    return int(year)


def source_tasks(source: Source, years: Sequence[int] | str | None = None
                 ) -> dict[int, MRIOTable | str]:
    """``{year: table or dataset id}`` for a table, a dataset id, a path, or a panel source."""
    if isinstance(source, MRIOTable):
        return {table_year(source): source}
    if isinstance(source, (str, os.PathLike)) and Path(source).exists():
        from silkchain.io.registry import read

        table = read(source)
        return {table_year(table): table}
    return resolve_source(source, years)  # type: ignore[arg-type]


def compute(source: Source, fn: Callable[..., pd.DataFrame], *, name: str,
            params: Mapping[str, Any], years: Sequence[int] | str | None = None,
            scheduler: Any = None, progress: Any = False, cache: Any = True) -> pd.DataFrame:
    """Run a per-table function over the years of ``source`` (Dask for several years).

    Inside :func:`shared_years` (the report) the call is first recorded, then computed
    with every other answer's on one read of each year's table, then answered from there.
    """
    tasks = source_tasks(source, years)
    plan = _PLAN.get()
    if plan is not None:
        key = _cache_name(name, params)
        if plan.recording:
            plan.calls[key] = _Call(key, fn, dict(params), sorted(tasks))
            raise _Recorded(key)
        if key in plan.results:
            frame = plan.results[key]
            return frame[frame["year"].isin(list(tasks))].reset_index(drop=True)
    func = partial(fn, **params)
    if len(tasks) == 1 or scheduler in ("sync", "synchronous"):
        if isinstance(source, str) and len(tasks) > 1 and cache is not False:
            return run_panel(source, func, list(tasks), "sync", cache=cache,
                             progress=progress, cache_extra=_cache_name(name, params))
        return run_years(tasks, [(name, func, {})], "sync", progress, label=name)
    if isinstance(source, str):
        return run_panel(source, func, list(tasks), scheduler, cache=cache, progress=progress,
                         cache_extra=_cache_name(name, params))
    return run_years(tasks, [(name, func, {})], scheduler, progress, label=name)


# ------------------------------------------------------------------------------ shared years
@dataclass
class _Call:
    """One answer's per-table function, its arguments and the years it runs on."""

    key: str
    fn: Callable[..., pd.DataFrame]
    params: dict[str, Any]
    years: list[int]


class _Recorded(Exception):
    """Raised by :func:`compute` while a plan records its calls."""


@dataclass
class Plan:
    """The answers' per-table calls of one report, run together year by year."""

    calls: dict[str, _Call] = field(default_factory=dict)
    results: dict[str, pd.DataFrame] = field(default_factory=dict)
    recording: bool = True

    def record(self, answer: Callable[..., pd.DataFrame], *args: Any,
               **kwargs: Any) -> pd.DataFrame | None:
        """Call ``answer`` to learn its per-table call; its frame if it needs none."""
        try:
            return answer(*args, **kwargs)
        except _Recorded:
            return None

    def run(self, source: Source, scheduler: Any = None, progress: Any = False,
            cache: Any = True, local: Mapping[int, MRIOTable] | None = None) -> None:
        """Compute every recorded call: one task per year, one read of its table.

        Each table's factorisation and the measures the answers share are computed
        once (:func:`silkchain.measures.catalogue.per_table`); results of a named source
        are cached in the store under each answer's own key. ``local``: tables of some
        years already read in this process (the report's last year, which its scenarios
        use too); they are computed here, on those objects, so that their factorisation
        and measures are shared with whatever uses them next, and never read again.
        """
        from silkchain.panel import cache_key, cache_store, source_versions

        store: Any = None
        versions: dict[int, str] | None = None
        if isinstance(source, str) and cache is not False and self.calls:
            # every call's key includes the stored version of each of its years
            versions = source_versions(source, sorted({y for c in self.calls.values()
                                                       for y in c.years}))
            store = cache_store(cache) if versions is not None else None
        todo = []
        for call in self.calls.values():
            key = (cache_key(str(source), [call.fn.__name__], [{}], call.years,
                             f"{call.key}|{TOTAL}",
                             versions={y: versions[y] for y in call.years})
                   if store is not None and versions is not None else None)
            hit = store.get_frame(key) if key is not None else None
            if hit is not None:
                self.results[call.key] = hit[PANEL_COLUMNS].copy()
            else:
                todo.append((call, key))
        if todo:
            years = sorted({y for call, _ in todo for y in call.years})
            here = {y: t for y, t in (local or {}).items() if y in years}
            rest = [y for y in years if y not in here]
            tasks = source_tasks(source, rest) if rest else {}
            measures = [(c.key, _Tagged(c.fn, c.params, i, tuple(c.years)), {})
                        for i, (c, _) in enumerate(todo)]

            def counted(offset: int) -> Any:  # progress over all the years, both parts
                if not callable(progress):
                    return progress
                return lambda done, _n, year: progress(offset + done, len(years), year)

            parts = []
            if here:  # in this process, on the tables given (their caches are kept)
                parts.append(run_years(here, measures, "sync", counted(0),
                                       label="Belt and Road answers"))
            if tasks:
                parts.append(run_years(tasks, measures, scheduler or "sync",
                                       counted(len(here)), label="Belt and Road answers"))
            frame = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
            if len(parts) > 1:  # year order, as one run would give
                frame = frame.sort_values("year", kind="stable").reset_index(drop=True)
            tag, _, measure = frame["measure"].str.partition(_TAG).T.to_numpy()
            frame = frame.assign(measure=measure)
            for i, (call, key) in enumerate(todo):
                part = frame[tag == str(i)].reset_index(drop=True)
                self.results[call.key] = part
                if store is not None and key is not None:
                    cache_put(store, key, part)
        self.recording = False


#: Separates the call's tag from the measure name while the calls travel together.
_TAG = "\x1f"


@dataclass(frozen=True)
class _Tagged:
    """A per-table function whose measure names carry the call's tag (picklable)."""

    fn: Callable[..., pd.DataFrame]
    params: dict[str, Any]
    tag: int
    years: tuple[int, ...]

    def __call__(self, table: MRIOTable) -> pd.DataFrame:
        if table_year(table) not in self.years:
            return pd.DataFrame({"measure": pd.Series(dtype=str), "value": []})
        frame = self.fn(table, **self.params)
        col = "measure" if "measure" in frame.columns else "term"
        return frame.assign(**{col: f"{self.tag}{_TAG}" + frame[col].astype(str)})


_PLAN: ContextVar[Plan | None] = ContextVar("silkchain_bri_plan", default=None)


@contextlib.contextmanager
def shared_years() -> Iterator[Plan]:
    """Run several answers on one read of each year's table (the report uses it).

    Inside, each answer is called twice: first :meth:`Plan.record` learns its per-table
    call; :meth:`Plan.run` computes them all, year by year; then the answer, called
    again, gets its years from there and does its own trends and notes.
    """
    plan = Plan()
    token = _PLAN.set(plan)
    try:
        yield plan
    finally:
        _PLAN.reset(token)


def absorbed(table: MRIOTable) -> np.ndarray:
    """``(G, G)`` value added of each origin country absorbed in each country (per table).

    Computed once per table object (:func:`silkchain.measures.catalogue.per_table`) and
    shared by the answers that need it (China as hub, the value-added network). Read only.
    """
    from silkchain.core.leontief import absorption_by_country

    return per_table(table, ("absorption_by_country",), lambda: absorption_by_country(
        table.v, table.solver, table.Yc, table.G, table.N))


def _plain_param(value: Any) -> Any:
    """A parameter in plain data for a cache key (a group by its name and dated members)."""
    if isinstance(value, Group):
        return {"group": value.name,
                "members": [(m.iso3, m.since, m.until) for m in value.entries]}
    return value


def _cache_name(name: str, params: Mapping[str, Any]) -> str:
    # the total marker is part of the layout: frames cached with another marker are not reused
    return repr((name, TOTAL, sorted((k, _plain_param(v)) for k, v in params.items())))


# ------------------------------------------------------------------------------ cached answers
#: The key of the frame attribute that carries an answer's ``attrs`` into the cache.
_ATTRS_KEY = "silkchain_attrs"


def _json_default(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=str)
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    raise TypeError(f"{type(value).__name__} is not plain data")


def plain_data(value: Any) -> Any:
    """``value`` as JSON gives it back (tuples as lists, numpy scalars as numbers).

    ``TypeError``/``ValueError`` when it holds something JSON cannot carry.

    >>> plain_data({"years": (2010, 2011), "n": np.int64(3)})
    {'years': [2010, 2011], 'n': 3}
    """
    return json.loads(json.dumps(value, default=_json_default, allow_nan=True))


def put_cached_frame(store: Any, key: str, frame: pd.DataFrame,
                     extra: Mapping[str, Any] | None = None) -> None:
    """Cache ``frame`` with its ``attrs`` (and ``extra`` plain data) under ``key``.

    Parquet keeps no arbitrary attributes: the ``attrs`` travel as one JSON text in the
    file's pandas metadata. ``TypeError`` when they are not plain data.
    """
    text = json.dumps({"attrs": frame.attrs, "extra": dict(extra or {})},
                      default=_json_default, allow_nan=True)
    copy = frame.copy(deep=False)
    copy.attrs = {_ATTRS_KEY: text}
    cache_put(store, key, copy)  # a read-only store: computed, not kept


def get_cached_frame(store: Any, key: str) -> tuple[pd.DataFrame, dict[str, Any]] | None:
    """The frame cached under ``key`` with its ``attrs`` restored, and its ``extra``; or
    ``None`` (not cached, or cached without its attributes)."""
    hit = store.get_frame(key)
    if hit is None:
        return None
    text = hit.attrs.get(_ATTRS_KEY)
    if not isinstance(text, str):
        return None
    doc = json.loads(text)
    hit.attrs = dict(doc.get("attrs") or {})
    return hit, dict(doc.get("extra") or {})


def cached_answer(source: Source, cache: Any, kind: str, refs: Mapping[int, MRIOTable | str],
                  build: Callable[[], pd.DataFrame], **parts: Any) -> pd.DataFrame:
    """``build()``'s frame, kept in the frame cache (:func:`silkchain.panel.frame_cache`).

    The key holds ``kind``, the stored versions of the tables ``refs`` it is computed
    from, ``source`` and every parameter (``parts``; groups by their dated members). Not
    cached when ``cache`` is ``False`` or a table has no stored version (a table object,
    a file). A cached and a computed frame are equal, ``attrs`` included (the ``attrs``
    as plain data, :func:`plain_data`).
    """
    from silkchain.panel import frame_cache

    where = frame_cache(cache, kind, refs, source=str(source),
                        **{k: _plain_param(v) for k, v in parts.items()})
    if where is not None:
        hit = get_cached_frame(*where)
        if hit is not None:
            return hit[0]
    frame = build()
    if where is None:
        return frame
    try:
        attrs = plain_data(frame.attrs)
    except (TypeError, ValueError):  # attributes JSON cannot carry: not cached
        return frame
    frame.attrs = attrs
    put_cached_frame(*where, frame)
    return frame


# ------------------------------------------------------------------------------ groups
def resolve_group(group: str | Group | None) -> Group | None:
    """A group from a name or a :class:`Group` (``None`` stays ``None``)."""
    return None if group is None else get_group(group)


def members_in_table(group: Group | None, table: MRIOTable) -> list[str]:
    """Group members that are countries of ``table`` (membership of the table's year if dated)."""
    if group is None:
        return []
    year = table_year(table) if group.by_table_year else None
    return list(group.members_in(table, year=year or None).inside)


def output_share_rows(table: MRIOTable) -> pd.DataFrame:
    """Each country's share of world gross output (hidden rows for the small-economy caveat)."""
    x = table.x.reshape(table.G, table.N).sum(axis=1)
    share = x / x.sum() if x.sum() > 0 else np.zeros_like(x)
    rounded = table.rounding > 0
    return pd.DataFrame({"country": list(table.labels.countries), "sector": TOTAL, "partner": TOTAL,
                         "measure": OUTPUT_SHARE, "value": np.where(rounded, share, np.nan)})


def long_from_wide(wide: pd.DataFrame, sector: str = TOTAL, partner: str = TOTAL
                   ) -> pd.DataFrame:
    """Country x measure frame -> long layout ``country, sector, partner, measure, value``."""
    long = wide.rename_axis(index="country", columns="measure").stack(future_stack=True)
    out = long.rename("value").reset_index()
    out.insert(1, "sector", sector)
    out.insert(2, "partner", partner)
    return out[["country", "sector", "partner", "measure", "value"]]


def add_aggregate(wide: pd.DataFrame, label: str, rows: Sequence[str],
                  sums: Sequence[str], ratios: Mapping[str, tuple[str, str]]) -> pd.DataFrame:
    """Append a row ``label`` = sum of ``rows`` for ``sums``; ``ratios`` from the summed parts.

    Group-sum consistency: a group's level is the sum of its members' levels and a
    group's share is the ratio of the summed numerator and denominator (never a
    mean of shares).
    """
    if label in wide.index:
        raise MeasureError(f"aggregate label {label!r} clashes with a country of the table")
    part = wide.loc[list(rows)]
    agg = pd.Series(np.nan, index=wide.columns, dtype=float)
    for m in sums:
        agg[m] = part[m].sum() if len(part) else np.nan
    for m, (num, den) in ratios.items():
        n, d = agg[num], agg[den]
        agg[m] = n / d if d and np.isfinite(d) and d != 0 else np.nan
    return pd.concat([wide, agg.to_frame(label).T])


# ------------------------------------------------------------------------------ trends
def add_trends(frame: pd.DataFrame, growth: Sequence[str] = (), change: Sequence[str] = (),
               slope: Sequence[str] = ()) -> pd.DataFrame:
    """Append trend rows over the years of ``frame`` (year = last year of the span).

    * ``growth``: ``<m>_cagr``, compound annual growth ``(last/first)^(1/(T-1)) - 1``
      (NaN when either end is not positive);
    * ``change``: ``<m>_change``, last minus first;
    * ``slope``: ``<m>_slope``, least-squares slope per year.
    """
    from silkchain.bri.core import ols_slope

    years = sorted(frame["year"].unique())
    if len(years) < 2:
        return frame
    first, last = years[0], years[-1]
    keys = ["country", "sector", "partner", "measure"]
    out = [frame]
    for kind, names in (("cagr", growth), ("change", change), ("slope", slope)):
        sub = frame[frame["measure"].isin(list(names))]
        if sub.empty:
            continue
        wide = (sub.groupby([*keys, "year"], sort=False)["value"].first()
                .unstack("year").reindex(columns=years))
        a, b = wide[first].to_numpy(float), wide[last].to_numpy(float)
        with np.errstate(divide="ignore", invalid="ignore"):
            if kind == "cagr":
                val = np.where((a > 0) & (b > 0), (b / a) ** (1.0 / (last - first)) - 1, np.nan)
            elif kind == "change":
                val = b - a
            else:
                val = ols_slope(np.asarray(years, dtype=float), wide.to_numpy(float))
        idx = wide.index.to_frame(index=False)
        idx["measure"] = idx["measure"] + f"_{kind}"
        idx["value"] = val
        idx.insert(0, "year", last)
        out.append(idx)
    return pd.concat(out, ignore_index=True)[PANEL_COLUMNS]


# ------------------------------------------------------------------------------ finishing
def small_economies(frame: pd.DataFrame, threshold: float = SMALL_ECONOMY_SHARE) -> list[str]:
    """Countries whose gross output is below ``threshold`` of world output in any year."""
    rows = frame[(frame["measure"] == OUTPUT_SHARE) & (frame["value"] < threshold)]
    return sorted(set(rows["country"]))


def finish(frame: pd.DataFrame, answer: str, group: Group | None,
           caveats: Sequence[str] = (), notes: Mapping[str, Any] | None = None,
           source: Any = None, uses_all_countries: bool = False) -> pd.DataFrame:
    """Strip helper rows, sort, and attach coverage, caveats and notes to ``frame.attrs``.

    ``uses_all_countries``: the answer's numbers depend on every country of the
    table (e.g. a proximity estimated across countries), so the small-economy
    caveat applies even when those countries are not shown.
    """
    small_all = small_economies(frame)
    countries = list(dict.fromkeys(frame.loc[frame["measure"] == OUTPUT_SHARE, "country"]))
    out = frame[~frame["measure"].str.startswith("_")].reset_index(drop=True)
    years = sorted(int(y) for y in frame["year"].unique())
    shown = set(out["country"]) | set(out["partner"])
    small = small_all if uses_all_countries else [c for c in small_all if c in shown]
    mapping: GroupMapping | None = None
    if group is not None and countries:
        year = years[-1] if group.by_table_year and years and years[-1] else None
        mapping = group.members_in(countries, year=year)
    all_caveats = list(caveats)
    if mapping is not None and (mapping.hidden or mapping.absent):
        all_caveats.insert(0, mapping.describe())
    if small:
        all_caveats.append(ROUNDING_CAVEAT + " Small economies shown here (gross output below "
                           f"{SMALL_ECONOMY_SHARE:.1%} of world output): {', '.join(small)}.")
    out.attrs.update(
        answer=answer, group=group.name if group is not None else None,
        coverage=mapping.as_dict() if mapping is not None else None,
        small_economies=small, caveats=all_caveats, years=years,
        source=source if isinstance(source, str) else type(source).__name__,
        notes=dict(notes or {}))
    return out


def describe(frame: pd.DataFrame) -> str:
    """Coverage, caveats and notes of an answer frame as text."""
    a = frame.attrs
    lines = [f"{a.get('answer', 'answer')} on {a.get('source')}, years "
             f"{_span(a.get('years', []))}"]
    cov = a.get("coverage")
    if cov:
        lines.append(cov["description"])
    for key, value in (a.get("notes") or {}).items():
        lines.append(f"{key}: {value}")
    lines.extend(f"caveat: {c}" for c in a.get("caveats", []) if not cov
                 or c != cov["description"])
    return "\n".join(lines)


def _span(years: Sequence[int]) -> str:
    if not years:
        return "-"
    return f"{years[0]}-{years[-1]}" if len(years) > 1 else str(years[0])


def require_country(code: str, table_countries: Sequence[str], what: str) -> None:
    """Raise when ``code`` is not a country of the table (for example hidden in RoW)."""
    if code not in table_countries:
        raise MeasureError(
            f"{what}: {code!r} is not a country of this table (countries: "
            f"{', '.join(table_countries[:10])}, ...); countries hidden in the rest-of-world "
            "aggregate cannot be analysed on their own")
