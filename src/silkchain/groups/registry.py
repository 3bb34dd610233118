"""Country groups as data: the bundled catalogue, user files, and mapping onto tables.

Every bundled group is described in ``data/catalogue.yaml`` (title, description,
sources, caveats, data file) and its members are rows of a CSV file beside it,
each with a source. Users add groups from YAML or CSV files
(:func:`load_user_groups`); country codes are checked against ISO 3166-1
alpha-3 and unknown codes are reported all at once, with suggestions.

Membership over time follows the **year-end convention**: a country is a
member in year ``Y`` if it was a member at the end of ``Y`` (``since <= Y``
and, if it left, ``Y < until``). ``members()`` without a year gives the
current members.

Examples
--------
>>> eu = get_group("eu")
>>> len(eu.codes(year=2003)), len(eu.codes(year=2004)), "GBR" in eu.codes()
(15, 25, False)
>>> m = get_group("bri64").members_in(["CHN", "RUS", "KAZ", "USA", "RoW"])
>>> m.inside, m.rest_of_world, len(m.hidden)
(('RUS', 'KAZ'), ('RoW',), 62)
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from silkchain.errors import SilkchainError
from silkchain.groups.codes import country_name, is_iso3, suggest


class GroupError(SilkchainError, ValueError):
    """A group file is malformed, or names countries that are not ISO3 codes."""


class GroupNotFoundError(GroupError, LookupError):
    """No group of that name is bundled or registered."""


#: Labels that stand for the rest of the world in common releases (case-insensitive).
REST_OF_WORLD_LABELS = frozenset({"row", "rest of world", "rest_of_world", "restofworld",
                                  "rest of the world"})
#: EXIOBASE 3 rest-of-world regions (Asia-Pacific, America, Europe, Africa, Middle East).
EXIOBASE_REST = frozenset({"WA", "WL", "WE", "WF", "WM"})
#: Environment variable naming user group files to load automatically (``os.pathsep``-separated).
GROUPS_ENV = "SILKCHAIN_GROUPS"


def _year(value: object, where: str) -> int | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    text = str(value).strip()
    if not text:
        return None
    try:
        year = int(float(text))
    except ValueError:
        raise GroupError(f"{where}: year {text!r} is not a number (expected e.g. 2015)") from None
    if not 1900 <= year <= 2200:
        raise GroupError(f"{where}: year {year} is out of range 1900-2200")
    return year


@dataclass(frozen=True)
class Member:
    """One country of a group, with the years of its membership and its attributes.

    Parameters
    ----------
    iso3 : str
        ISO 3166-1 alpha-3 code.
    name : str
        Short English name.
    since, until : int or None
        First year of membership and first year *without* membership (year-end
        convention); ``None`` when not dated or not left.
    attributes : mapping
        Anything else the data file gives (route region, status, source, note);
        treat it as read-only.
    """

    iso3: str
    name: str
    since: int | None = None
    until: int | None = None
    attributes: Mapping[str, str] = field(default_factory=dict)

    def active(self, year: int | None, dated: bool) -> bool:
        """Whether the country is a member in ``year`` (``None``: now)."""
        if self.until is not None and (year is None or year >= self.until):
            return False
        if year is None or not dated:
            return True
        return self.since is not None and self.since <= year


@dataclass(frozen=True)
class GroupMapping:
    """Where a group's members are in one table.

    Attributes
    ----------
    group : str
        Group name.
    inside : tuple of str
        Members that are countries of the table, in table order.
    hidden : tuple of str
        Members that are not countries of the table and therefore sit inside its
        rest-of-world aggregate (``rest_of_world``); their flows cannot be told
        apart from those of other rest-of-world countries.
    absent : tuple of str
        Members not in the table when the table has no rest-of-world aggregate.
    rest_of_world : tuple of str
        The table's rest-of-world labels (usually one, e.g. ``RoW``).
    others : tuple of str
        Table countries that are not members (rest of world excluded).
    unrecognised : tuple of str
        Table labels that are neither ISO3 codes nor rest-of-world labels (so no
        group can match them).
    year : int or None
        The membership year used.
    flagged : tuple of (str, str)
        Members whose ``status`` attribute is not ``signed`` (disputed or
        withdrawn signatories), as ``(code, status)``.
    """

    group: str
    inside: tuple[str, ...]
    hidden: tuple[str, ...]
    absent: tuple[str, ...]
    rest_of_world: tuple[str, ...]
    others: tuple[str, ...]
    unrecognised: tuple[str, ...]
    year: int | None = None
    flagged: tuple[tuple[str, str], ...] = ()

    @property
    def n_members(self) -> int:
        """Number of members considered."""
        return len(self.inside) + len(self.hidden) + len(self.absent)

    def describe(self) -> str:
        """One paragraph saying which members are in the table and which are hidden."""
        when = f" ({self.year})" if self.year is not None else ""
        parts = [f"{self.group}{when}: {len(self.inside)} of {self.n_members} members are "
                 f"countries of the table" + (f" ({', '.join(self.inside)})" if self.inside
                                               else "")]
        if self.hidden:
            parts.append(f"{len(self.hidden)} are inside the rest-of-world aggregate "
                         f"{'/'.join(self.rest_of_world)} and cannot be shown separately "
                         f"({', '.join(self.hidden)})")
        if self.absent:
            parts.append(f"{len(self.absent)} are not in the table, which has no "
                         f"rest-of-world aggregate ({', '.join(self.absent)})")
        if self.flagged:
            parts.append("membership flagged: " + ", ".join(f"{c} ({st})"
                                                            for c, st in self.flagged))
        if self.unrecognised:
            parts.append(f"table labels that are not ISO3 codes and match no group: "
                         f"{', '.join(self.unrecognised)}")
        return "; ".join(parts) + "."

    def frame(self) -> pd.DataFrame:
        """One row per member: ``iso3, name, where`` (``table``, ``rest of world``, ``absent``)."""
        rows = ([(c, "table") for c in self.inside] + [(c, "rest of world") for c in self.hidden]
                + [(c, "absent") for c in self.absent])
        return pd.DataFrame({"iso3": [c for c, _ in rows],
                             "name": [country_name(c) for c, _ in rows],
                             "where": [w for _, w in rows]})

    def as_dict(self) -> dict[str, Any]:
        """Plain-data form (for frame ``attrs``, JSON and reports)."""
        return {"group": self.group, "year": self.year, "inside": list(self.inside),
                "hidden_in_rest_of_world": list(self.hidden), "absent": list(self.absent),
                "rest_of_world": list(self.rest_of_world),
                "flagged": {c: st for c, st in self.flagged}, "description": self.describe()}

    def region_mapping(self, label: str | None = None) -> dict[str, str]:
        """``{member in the table: label}`` for :func:`silkchain.aggregation.aggregate_regions`."""
        return {c: label or self.group for c in self.inside}


def _rest_of_world(countries: Sequence[str]) -> tuple[str, ...]:
    labels = [c for c in countries if c.lower() in REST_OF_WORLD_LABELS]
    if not labels:
        labels = [c for c in countries if c in EXIOBASE_REST]
    return tuple(labels)


@dataclass(frozen=True)
class Group:
    """A named set of countries with its sources.

    Use :func:`get_group` for bundled and registered groups and
    :func:`load_user_groups` for user files.

    Parameters
    ----------
    name : str
        Short name used on the command line (``bri64``).
    title, description : str
        What the group is.
    entries : tuple of Member
        Every member, current and former.
    sources, caveats : tuple of str
        Citations and warnings shown with the group.
    dated : bool
        Whether membership has years (``EU``, ``OECD``, signatories). For dated
        groups a member without a first year counts only in the current list.
    by_table_year : bool
        Whether :meth:`members_in` uses the membership of the table's year by
        default (``EU``, ``OECD``); other groups use the current members unless
        a year is given (the usual practice for Belt and Road groups, which
        classify earlier years by later membership).
    origin : str
        ``"bundled"`` or the path of the user file.
    """

    name: str
    title: str
    entries: tuple[Member, ...]
    description: str = ""
    sources: tuple[str, ...] = ()
    caveats: tuple[str, ...] = ()
    dated: bool = False
    origin: str = "bundled"
    aliases: tuple[str, ...] = ()
    attributes: tuple[str, ...] = ()
    by_table_year: bool = False

    def members(self, year: int | None = None) -> tuple[Member, ...]:
        """Members in ``year`` (year-end convention) or now (``None``)."""
        return tuple(m for m in self.entries if m.active(year, self.dated))

    def codes(self, year: int | None = None) -> list[str]:
        """ISO3 codes of the members in ``year`` (or now)."""
        return [m.iso3 for m in self.members(year)]

    def __contains__(self, code: object) -> bool:
        return code in self.codes()

    def __len__(self) -> int:
        return len(self.members())

    def filter(self, **conditions: str | Iterable[str]) -> Group:
        """The group restricted to members whose attributes match, e.g. ``status="signed"``.

        >>> len(get_group("bri-signatories").filter(status="withdrawn").entries)
        2
        """
        for key in conditions:
            if key not in self.attributes:
                raise GroupError(f"group {self.name!r} has no attribute {key!r}; it has: "
                                 f"{', '.join(self.attributes) or '(none)'}")
        wanted = {k: {v} if isinstance(v, str) else set(v) for k, v in conditions.items()}
        kept = tuple(m for m in self.entries
                     if all(m.attributes.get(k) in vals for k, vals in wanted.items()))
        label = ",".join(f"{k}={'|'.join(sorted(v))}" for k, v in wanted.items())
        return Group(f"{self.name}[{label}]", f"{self.title} ({label})", kept,
                     self.description, self.sources, self.caveats, self.dated, self.origin,
                     (), self.attributes, self.by_table_year)

    def split(self, attribute: str) -> dict[str, Group]:
        """Sub-groups by the values of ``attribute`` (e.g. bri64 by ``route_region``).

        >>> sorted(get_group("bri64").split("route_region"))[:3]
        ['CIS', 'Central Asia', 'Central and Eastern Europe']
        """
        if attribute not in self.attributes:
            raise GroupError(f"group {self.name!r} has no attribute {attribute!r}; it has: "
                             f"{', '.join(self.attributes) or '(none)'}")
        values = dict.fromkeys(m.attributes.get(attribute, "") for m in self.entries)
        return {v: self.filter(**{attribute: v}) for v in values}

    def frame(self, year: int | None = None, *, all_entries: bool = False) -> pd.DataFrame:
        """Members as a frame: ``iso3, name, since, until`` and every attribute."""
        chosen = self.entries if all_entries else self.members(year)
        rows = [{"iso3": m.iso3, "name": m.name, "since": m.since, "until": m.until,
                 **dict(m.attributes)} for m in chosen]
        frame = pd.DataFrame(rows, columns=["iso3", "name", "since", "until",
                                            *self.attributes])
        for col in ("since", "until"):
            frame[col] = frame[col].astype("Int64")
        return frame

    def members_in(self, table: object, year: int | None = None,
                   rest_of_world: str | Sequence[str] | None = None) -> GroupMapping:
        """Which members are countries of ``table`` and which are inside its rest of world.

        Parameters
        ----------
        table : MRIOTable or sequence of str
            A table (its ``labels.countries``) or the country labels themselves.
        year : int, optional
            Membership year; default: the table's year for groups with
            ``by_table_year`` (EU, OECD), else the current members.
        rest_of_world : str or sequence of str, optional
            The table's rest-of-world labels; found automatically (``RoW``, ``ROW``,
            EXIOBASE's ``WA``/``WL``/``WE``/``WF``/``WM``) when not given.
        """
        countries, meta_year = _countries_of(table)
        if year is None and self.by_table_year:
            year = meta_year
        if rest_of_world is None:
            row = _rest_of_world(countries)
        else:
            row = (rest_of_world,) if isinstance(rest_of_world, str) else tuple(rest_of_world)
            missing = [r for r in row if r not in countries]
            if missing:
                raise GroupError(f"rest-of-world label(s) {', '.join(missing)} not among the "
                                 f"table's countries ({', '.join(countries[:8])}, ...)")
        codes = self.codes(year)
        present = set(countries)
        inside = tuple(c for c in countries if c in set(codes))
        outside = tuple(c for c in codes if c not in present)
        unrecognised = tuple(c for c in countries if c not in row and not is_iso3(c))
        flagged = tuple((m.iso3, m.attributes["status"]) for m in self.members(year)
                        if m.attributes.get("status", "signed") != "signed")
        return GroupMapping(
            group=self.name, inside=inside, hidden=outside if row else (),
            absent=() if row else outside, rest_of_world=row,
            others=tuple(c for c in countries if c not in set(codes) and c not in row),
            unrecognised=unrecognised, year=year if self.dated else None, flagged=flagged)


def _countries_of(table: object) -> tuple[list[str], int | None]:
    labels = getattr(table, "labels", None)
    if labels is not None:
        meta = getattr(table, "meta", {}) or {}
        year = meta.get("year")
        if year is None and isinstance(meta.get("dataset"), str) and ":" in meta["dataset"]:
            key = meta["dataset"].rsplit(":", 1)[1]
            year = int(key) if key.isdigit() else None
        return [str(c) for c in labels.countries], (int(year) if year is not None else None)
    if isinstance(table, str) or not isinstance(table, Iterable):
        raise GroupError(f"members_in() needs a table or a list of country codes, got "
                         f"{type(table).__name__}")
    return [str(c) for c in table], None


# ------------------------------------------------------------------------------ reading data
def _yaml() -> Any:
    try:
        import yaml
    except ImportError:  # pragma: no cover - pyyaml is in the io extra
        raise GroupError("reading group files needs PyYAML; pip install 'silkchain[io]'") from None
    return yaml


def _check_codes(codes: list[tuple[str, str]], where: str,
                 extra_codes: Iterable[str] = ()) -> None:
    """Raise one :class:`GroupError` listing every code that is not ISO3."""
    extra = set(extra_codes)
    bad = [(code, at) for code, at in codes if not is_iso3(code) and code not in extra]
    if not bad:
        return
    lines = []
    for code, at in bad:
        hint = suggest(code)
        lines.append(f"{code!r} ({at})" + (f": did you mean {' or '.join(hint)}?" if hint else ""))
    raise GroupError(
        f"{where}: {len(bad)} unknown country code{'s' * (len(bad) != 1)}; expected ISO 3166-1 "
        "alpha-3 codes such as CHN, KAZ, ROU:\n  - " + "\n  - ".join(lines))


def _members_from_rows(rows: list[dict[str, str]], where: str,
                       extra_codes: Iterable[str] = (), unit: str = "row",
                       first: int = 2) -> tuple[Member, ...]:
    """Members from rows with ``iso3`` and optional ``name, since, until`` and attributes.

    ``unit``/``first`` name positions in messages: CSV rows start at 2 (after the
    header), YAML members at 1.
    """
    at = [f"{unit} {i + first}" for i in range(len(rows))]
    _check_codes([(r["iso3"], at[i]) for i, r in enumerate(rows)], where, extra_codes)
    seen: dict[str, str] = {}
    members = []
    for i, r in enumerate(rows):
        code = r["iso3"]
        since, until = (_year(r.get(k), f"{where}, {at[i]}, {k}") for k in ("since", "until"))
        if since is not None and until is not None and until <= since:
            raise GroupError(f"{where}, {at[i]}: {code} leaves in {until}, not after it "
                             f"joins in {since}")
        if code in seen and until is None:
            raise GroupError(f"{where}: {code} is listed twice ({seen[code]} and {at[i]})")
        seen[code] = at[i]
        attrs = {k: ("" if v is None else str(v)) for k, v in r.items()
                 if k not in ("iso3", "name", "since", "until", "group")}
        members.append(Member(code, r.get("name") or country_name(code), since, until, attrs))
    return tuple(members)


def _read_csv_rows(text: str) -> list[dict[str, str]]:
    return [{k.strip(): (v or "").strip() for k, v in row.items() if k is not None}
            for row in csv.DictReader(io.StringIO(text))]


def _data_text(name: str) -> str:
    return (resources.files("silkchain.groups") / "data" / name).read_text(encoding="utf-8")


def _bundled_group(name: str, spec: Mapping[str, Any]) -> Group:
    file = spec["file"]
    rows = _read_csv_rows(_data_text(file))
    if file == "memberships.csv":
        rows = [r for r in rows if r["group"] == name]
        dated = any(r["since"] for r in rows)
    elif file == "bri_signatories.csv":
        exits = {r["iso3"]: r for r in _read_csv_rows(_data_text(spec["exits"]))}
        for r in rows:
            r["since"] = r.get("mou_year", "")
            r["until"] = exits[r["iso3"]]["until"] if r["iso3"] in exits else ""
        dated = True
    else:
        dated = False
    rows = [*rows, *[{k: str(v) for k, v in extra.items()}
                     for extra in spec.get("extra_members", [])]]
    entries = _members_from_rows(rows, f"bundled group {name} ({file})")
    attributes = tuple(spec.get("attributes", ())) or tuple(
        k for k in rows[0] if k not in ("iso3", "name", "since", "until", "group"))
    return Group(name=name, title=spec["title"], entries=entries,
                 description=" ".join(str(spec.get("description", "")).split()),
                 sources=tuple(" ".join(str(s).split()) for s in spec.get("sources", ())),
                 caveats=tuple(" ".join(str(s).split()) for s in spec.get("caveats", ())),
                 dated=dated, origin="bundled", aliases=tuple(spec.get("aliases", ())),
                 attributes=attributes, by_table_year=bool(spec.get("by_table_year", False)))


@lru_cache(maxsize=1)
def _bundled() -> dict[str, Group]:
    catalogue = _yaml().safe_load(_data_text("catalogue.yaml"))
    return {name: _bundled_group(name, spec) for name, spec in catalogue["groups"].items()}


_USER: dict[str, Group] = {}
_ENV_LOADED: set[str] = set()


def _load_env_groups() -> None:
    for path in filter(None, os.environ.get(GROUPS_ENV, "").split(os.pathsep)):
        if path not in _ENV_LOADED:
            _ENV_LOADED.add(path)
            for group in load_user_groups(path).values():
                register_group(group, replace=True)


def register_group(group: Group, *, replace: bool = False) -> Group:
    """Make ``group`` available to :func:`get_group` and the command line.

    A bundled group cannot be replaced; a user group can with ``replace=True``.
    """
    key = group.name.lower()
    if key in {n.lower() for n in _bundled()}:
        raise GroupError(f"group name {group.name!r} is taken by a bundled group; "
                         "choose another name")
    if key in _USER and not replace and _USER[key].entries != group.entries:
        raise GroupError(f"a different group {group.name!r} is already registered (from "
                         f"{_USER[key].origin}); pass replace=True to replace it")
    _USER[key] = group
    return group


def unregister_group(name: str) -> None:
    """Forget a user group registered with :func:`register_group`."""
    _USER.pop(name.lower(), None)


def get_group(name: str | Group) -> Group:
    """A bundled or registered group by name (case-insensitive; aliases such as ``16+1``).

    Raises
    ------
    GroupNotFoundError
        Naming every available group.

    Examples
    --------
    >>> g = get_group("16+1")
    >>> g.name, len(g.codes(year=2015)), len(g.codes(year=2023))
    ('cee16', 16, 14)
    """
    if isinstance(name, Group):
        return name
    _load_env_groups()
    key = name.strip().lower()
    bundled = _bundled()
    for gname, group in bundled.items():
        if key == gname.lower() or key in (a.lower() for a in group.aliases):
            return group
    if key in _USER:
        return _USER[key]
    available = [*bundled, *(g.name for g in _USER.values())]
    raise GroupNotFoundError(f"unknown group {name!r}; available: {', '.join(available)} "
                             "(or load your own with load_user_groups / --groups-file)")


def list_groups() -> pd.DataFrame:
    """Every bundled and registered group: ``name, title, members, dated, origin, source``.

    >>> int(list_groups().set_index("name").loc["bri64", "members"])
    64
    """
    _load_env_groups()
    rows = [{"name": g.name, "title": g.title, "members": len(g.members()),
             "dated": g.dated, "origin": g.origin,
             "source": g.sources[0] if g.sources else ""}
            for g in [*_bundled().values(), *_USER.values()]]
    return pd.DataFrame(rows, columns=["name", "title", "members", "dated", "origin", "source"])


# ------------------------------------------------------------------------------ user files
def load_user_groups(path: str | os.PathLike[str], *, register: bool = False,
                     extra_codes: Iterable[str] = ()) -> dict[str, Group]:
    """Groups from a user's YAML or CSV file.

    YAML (``.yaml``/``.yml``)::

        groups:
          central-asia:
            title: Central Asia
            source: my notes, 2024
            members: [KAZ, KGZ, TJK, TKM, UZB]
          my-dated:
            members:
              - {iso3: CHN, since: 2001}
              - {iso3: KAZ, since: 2015, until: 2020}

    (the top-level ``groups:`` key may be left out). CSV: columns ``group, iso3``
    and optionally ``name, since, until, source, note`` and any attribute.

    Parameters
    ----------
    path : path
        The file.
    register : bool
        Also make the groups available to :func:`get_group` (and the CLI).
    extra_codes : iterable of str
        Codes to accept besides ISO3 (for example a table's own region codes).

    Raises
    ------
    GroupError
        For a malformed file or unknown country codes (all listed, with
        suggestions such as ``'ROM': did you mean ROU?``).
    """
    path = Path(path)
    if not path.exists():
        raise GroupError(f"group file {path} does not exist")
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        groups = _groups_from_yaml(path, extra_codes)
    elif suffix == ".csv":
        groups = _groups_from_csv(path, extra_codes)
    else:
        raise GroupError(f"{path.name}: group files must be .yaml, .yml or .csv, "
                         f"not {suffix or '(no suffix)'}")
    if not groups:
        raise GroupError(f"{path.name}: no groups found")
    if register:
        for group in groups.values():
            register_group(group, replace=True)
    return groups


def _groups_from_yaml(path: Path, extra_codes: Iterable[str]) -> dict[str, Group]:
    yaml = _yaml()
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as err:
        raise GroupError(f"{path.name}: not valid YAML: {err}") from None
    if isinstance(doc, dict) and isinstance(doc.get("groups"), dict):
        doc = doc["groups"]
    if not isinstance(doc, dict):
        raise GroupError(f"{path.name}: expected a mapping of group names to members "
                         "(see `silkchain groups --help`)")
    out = {}
    for name, spec in doc.items():
        where = f"{path.name}, group {name!r}"
        spec = {"members": spec} if isinstance(spec, list) else spec
        if not isinstance(spec, dict) or not isinstance(spec.get("members"), list):
            raise GroupError(f"{where}: expected a list of members or a mapping with "
                             "'members: [...]'")
        rows = []
        for i, item in enumerate(spec["members"]):
            row = {"iso3": item} if isinstance(item, str) else item
            if not isinstance(row, dict) or not isinstance(row.get("iso3"), str):
                raise GroupError(f"{where}, member {i + 1}: expected a code like CHN or a "
                                 "mapping with 'iso3:'")
            rows.append({k: ("" if v is None else str(v)) for k, v in row.items()})
        out[str(name)] = _user_group(str(name), rows, spec, path, where, extra_codes,
                                     unit="member", first=1)
    return out


def _groups_from_csv(path: Path, extra_codes: Iterable[str]) -> dict[str, Group]:
    rows = _read_csv_rows(path.read_text(encoding="utf-8-sig"))
    if not rows or not {"group", "iso3"} <= set(rows[0]):
        found = ", ".join(rows[0]) if rows else "(empty file)"
        raise GroupError(f"{path.name}: a group CSV needs columns 'group' and 'iso3'; "
                         f"found: {found}")
    bad = [(r["iso3"], f"row {i + 2}") for i, r in enumerate(rows)]
    _check_codes(bad, path.name, extra_codes)
    by_group: dict[str, list[dict[str, str]]] = {}
    for r in rows:
        by_group.setdefault(r["group"], []).append(r)
    out = {}
    for name, grows in by_group.items():
        spec = {"source": next((r.get("source") for r in grows if r.get("source")), "")}
        out[name] = _user_group(name, grows, spec, path, f"{path.name}, group {name!r}",
                                extra_codes)
    return out


def _user_group(name: str, rows: list[dict[str, str]], spec: Mapping[str, Any], path: Path,
                where: str, extra_codes: Iterable[str], unit: str = "row",
                first: int = 2) -> Group:
    entries = _members_from_rows(rows, where, extra_codes, unit, first)
    sources = spec.get("sources") or ([spec["source"]] if spec.get("source") else [])
    attrs = tuple(dict.fromkeys(k for m in entries for k in m.attributes))
    return Group(name=name, title=str(spec.get("title", name)), entries=entries,
                 description=str(spec.get("description", "")),
                 sources=tuple(str(s) for s in sources), caveats=tuple(spec.get("caveats", ())),
                 dated=any(m.since is not None for m in entries), origin=str(path),
                 attributes=attrs)
