"""Apply scenario steps to a table: each returns a new, consistent :class:`MRIOTable`.

Every operation edits input coefficients ``A`` and final demand ``Y`` and
closes the system with the Leontief quantity model, ``x = (I - A)^-1 Y u``,
``Z = A diag(x)`` (Miller & Blair 2009, §2.3), so the new table balances by
construction. Transfers that conserve the moved output are then rebalanced
with GRAS (:mod:`silkchain.core.ras`) to their output targets and to unchanged
final-demand totals. Cost shocks do not change quantities; they add wedges
that the price model reads at the end (:mod:`silkchain.core.prices`).

Codes are checked against the table here; errors name the step index and
field (``steps[0].transfer.to: unknown country 'VNM'; ...``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from silkchain.core import extraction as hem
from silkchain.core.blocks import FloatArray, country_index
from silkchain.core.leontief import LeontiefSolver
from silkchain.core.prices import flow_wedges
from silkchain.core.ras import ConvergenceError, gras
from silkchain.errors import SilkchainError
from silkchain.scenarios.spec import (
    Cost,
    Demand,
    Extract,
    Reshore,
    ScenarioSpecError,
    Sourcing,
    Step,
    Transfer,
)
from silkchain.table import MRIOTable

#: Value-added row that holds the inputs extraction removed (not value added).
EXTRACTED_ROW = "extracted_inputs"
NOT_VA_KEY = "not_value_added"


class ScenarioError(SilkchainError, ValueError):
    """A scenario step cannot be applied to this table (the message names the step)."""


@dataclass
class State:
    """The table after the steps so far, the accumulated cost wedges and the step log."""

    table: MRIOTable
    wedge: FloatArray | None = None
    wedge_fd: FloatArray | None = None
    log: list[dict[str, Any]] = field(default_factory=list)


# ---------------------------------------------------------------------- label resolution
class _Resolver:
    def __init__(self, table: MRIOTable, where: str) -> None:
        self.lab = table.labels
        self.where = where

    def _fail(self, fld: str, msg: str) -> ScenarioSpecError:
        return ScenarioSpecError(f"{self.where}.{fld}: {msg}")

    def country(self, code: str, fld: str) -> int:
        if code not in self.lab.countries:
            raise self._fail(fld, f"unknown country {code!r}; the table has "
                                  f"{', '.join(self.lab.countries)}")
        return self.lab.countries.index(code)

    def countries(self, codes: Sequence[str] | None, fld: str) -> list[int] | None:
        return None if codes is None else [self.country(c, fld) for c in codes]

    def sector(self, code: str, fld: str) -> int:
        if code not in self.lab.sectors:
            raise self._fail(fld, f"unknown sector {code!r}; the table has "
                                  f"{', '.join(self.lab.sectors)}")
        return self.lab.sectors.index(code)

    def sectors(self, codes: Sequence[str] | None, fld: str) -> list[int] | None:
        return None if codes is None else [self.sector(c, fld) for c in codes]

    def categories(self, codes: Sequence[str] | None, fld: str) -> list[int] | None:
        if codes is None:
            return None
        out = []
        for c in codes:
            if c not in self.lab.fd_categories:
                raise self._fail(fld, f"unknown final-demand category {c!r}; the table has "
                                      f"{', '.join(self.lab.fd_categories)}")
            out.append(self.lab.fd_categories.index(c))
        return out


# ---------------------------------------------------------------------- table rebuilding
def not_value_added_rows(table: MRIOTable) -> list[str]:
    """Names of ``V`` rows that are not value added (inputs removed by an extraction)."""
    raw = str(table.meta.get(NOT_VA_KEY, ""))
    return [r for r in raw.split(",") if r]


def value_added(table: MRIOTable) -> FloatArray:
    """Value added by industry: the residual ``x - u'Z`` less rows that are not value added.

    Equal to ``table.va`` except after an extraction, where the inputs the
    extracted links used to deliver are held in the ``extracted_inputs`` row
    and value added follows the fixed coefficients of Los, Timmer & de Vries
    (2016): ``GDP* = v # x*``.
    """
    va = np.asarray(table.va, dtype=float)
    rows = not_value_added_rows(table)
    if not rows:
        return va
    idx = [table.labels.va_rows.index(r) for r in rows if r in table.labels.va_rows]
    return va - table.V[idx].sum(axis=0)


def rebuild(table: MRIOTable, Z: FloatArray, Y: FloatArray, *, gap: FloatArray | None = None,
            note: str = "") -> MRIOTable:
    """A validated table from new flows, keeping labels, tolerance and provenance.

    Gross output is the row total and value added the column residual. ``gap``
    is the part of the residual that is not value added (inputs removed by an
    extraction), kept in the ``extracted_inputs`` row of ``V``; when ``table``
    already has that row and ``gap`` is not given, each column keeps its
    share. Value added is spread over ``table``'s value-added rows by each
    column's old mix.
    """
    Z = np.asarray(Z, dtype=float)
    Y = np.asarray(Y, dtype=float)
    x = Z.sum(axis=1) + Y.sum(axis=1)
    resid = x - Z.sum(axis=0)
    rows = list(table.labels.va_rows)
    skip = set(not_value_added_rows(table))
    if gap is None and skip:
        old_total = np.asarray(table.va, dtype=float)
        nv = old_total - value_added(table)
        gap = resid * np.divide(nv, old_total, out=np.zeros_like(nv), where=old_total != 0)
    Vold = np.asarray(table.V, dtype=float)
    keep = [i for i, r in enumerate(rows) if r not in skip]
    old = Vold[keep]
    tot = old.sum(axis=0)
    share = np.zeros_like(old)
    ok = tot != 0
    share[:, ok] = old[:, ok] / tot[ok]
    share[0, ~ok] = 1.0
    if gap is not None and EXTRACTED_ROW not in rows:
        rows.append(EXTRACTED_ROW)
    V = np.zeros((len(rows), x.size))
    V[keep] = share * (resid - (0.0 if gap is None else gap))[None, :]
    if gap is not None:
        V[rows.index(EXTRACTED_ROW)] = gap
    V[keep[0]] += resid - V.sum(axis=0)  # close every column exactly
    lab = table.labels
    meta = {k: v for k, v in table.meta.items()
            if k not in ("path", "sha256", "x_policy", "va_policy")}
    meta["derived_from"] = str(table.meta.get("derived_from") or table.meta.get("dataset")
                               or table.meta.get("path") or "table")
    if gap is not None:
        meta[NOT_VA_KEY] = EXTRACTED_ROW
    if note:
        meta["scenario_steps"] = (str(meta.get("scenario_steps", "")) + "; " + note).lstrip("; ")
    try:
        return MRIOTable.from_arrays(
            Z, Y, lab.countries, lab.sectors, V=V, fd_categories=lab.fd_categories,
            va_rows=rows, sector_names=lab.sector_names, sector_codes=lab.sector_codes,
            meta=meta, x_policy="rows", rtol=table.rtol, rounding=table.rounding,
        )
    except SilkchainError as err:
        raise ScenarioError(f"{note or 'rebalancing'}: the scenario table is not a valid "
                            f"table:\n{err}") from None


def inventory_columns(table: MRIOTable) -> list[int]:
    """Column of ``Y`` holding each country's own inventory changes (else its last category)."""
    cats = [c.lower() for c in table.labels.fd_categories]
    k = next((i for i, c in enumerate(cats) if c.startswith("inven") or "inventor" in c),
             len(cats) - 1)
    return [g * table.K + k for g in range(table.G)]


def _book_negative_output(table: MRIOTable, A: FloatArray, Y: FloatArray, x: FloatArray,
                          v: FloatArray, entry: dict[str, Any] | None,
                          ) -> tuple[FloatArray, FloatArray]:
    """Set negative outputs (negative inventory changes in final demand) to zero.

    A solved output below zero cannot enter a table. Such an industry's output
    is set to zero; its inputs are removed and booked, with its own sales, as
    inventory changes of its own country, so every other industry keeps its
    solved output exactly. The value added that cannot be represented,
    ``v_j x_j``, is logged by country.
    """
    neg = np.flatnonzero((x < 0) & (A != 0).any(axis=0))
    if neg.size == 0:
        return x, Y
    Y = Y.copy()
    inv = inventory_columns(table)
    G, N = table.G, table.N
    names = table.labels.industries()
    lost = np.zeros(G)
    for j in neg:
        col = inv[j // N]
        Y[:, col] += A[:, j] * x[j]
        Y[j, col] -= x[j]
        lost[j // N] += v[j] * x[j]
    if entry is not None:
        entry["negative_output"] = {names[j]: float(x[j]) for j in neg}
        entry["value_added_not_represented"] = {
            table.labels.countries[g]: float(lost[g]) for g in np.flatnonzero(lost)}
    x = x.copy()
    x[neg] = 0.0
    return x, Y


def leontief_arrays(table: MRIOTable, A: FloatArray, Y: FloatArray, *, note: str,
                    v_fixed: FloatArray | None = None, entry: dict[str, Any] | None = None,
                    ) -> tuple[FloatArray, FloatArray, FloatArray | None]:
    """``(Z, Y, gap)`` of the closed system ``x = (I - A)^-1 Y u``, ``Z = A diag(x)``.

    With ``v_fixed`` (extraction), value added is ``v_fixed # x`` and ``gap``
    holds what the removed links used to supply (else ``None``). Negative
    outputs are set to zero by :func:`_book_negative_output` and reported in
    ``entry``.
    """
    try:
        x = LeontiefSolver.factor(A, what=f"{note}: I - A").solve(Y.sum(axis=1))
    except SilkchainError as err:
        raise ScenarioError(str(err)) from None
    x = np.where(np.abs(x) < 1e-9 * max(1.0, float(np.abs(x).max())), 0.0, x)
    v = 1.0 - A.sum(axis=0) if v_fixed is None else v_fixed
    x, Y = _book_negative_output(table, A, Y, x, v, entry)
    Z = A * x[None, :]
    if v_fixed is None:
        return Z, Y, None
    xr = Z.sum(axis=1) + Y.sum(axis=1)
    gap = xr - Z.sum(axis=0) - v_fixed * xr
    gap = np.where(np.abs(gap) < 1e-12 * max(1.0, float(np.abs(xr).max())), 0.0, gap)
    return Z, Y, gap


def leontief_table(table: MRIOTable, A: FloatArray, Y: FloatArray, *, note: str,
                   v_fixed: FloatArray | None = None,
                   entry: dict[str, Any] | None = None) -> MRIOTable:
    """The table of :func:`leontief_arrays`, validated."""
    Z, Y, gap = leontief_arrays(table, A, Y, note=note, v_fixed=v_fixed, entry=entry)
    return rebuild(table, Z, Y, gap=gap, note=note)


def _coefficients(table: MRIOTable) -> tuple[FloatArray, FloatArray]:
    return np.array(table.A, dtype=float), np.array(table.Y, dtype=float)


# ---------------------------------------------------------------------- extraction
def apply_extract(state: State, step: Extract, where: str) -> State:
    """Hypothetical extraction (Los, Timmer & de Vries 2016; METHODS.md §7)."""
    t = state.table
    res = _Resolver(t, f"{where}.{step.op}")
    G, N, K = t.G, t.N, t.K
    sectors = res.sectors(step.sector, "sector")
    if step.what == "exports":
        s = res.country(str(step.country), "country")
        partners = res.countries(step.partners, "partners")
        maskA, maskY = hem.export_masks(G, N, K, s, partners=partners, sectors=sectors)
    else:
        cidx = None if step.country is None else [res.country(step.country, "country")]
        links = {"sector": "all", "backward": "backward", "forward": "forward"}[step.what]
        members = np.ones(G * N, dtype=bool)
        if cidx is not None:
            members &= np.isin(country_index(G, N), cidx)
        if sectors is not None:
            members &= np.isin(np.tile(np.arange(N), G), sectors)
        maskA, maskY = hem.industry_masks(members, K, G, links)  # type: ignore[arg-type]
    A, Y = _coefficients(t)
    A[maskA] = 0.0
    Y[maskY] = 0.0
    note = f"{where}: extract {step.what}"
    v = value_added(t) / np.where(t.x == 0, 1.0, t.x)
    v = np.where(t.x == 0, 0.0, v)
    entry: dict[str, Any] = {"step": where, "op": "extract", "what": step.what,
                             "cells_removed": int(maskA.sum() + maskY.sum())}
    new = leontief_table(t, A, Y, note=note, v_fixed=v, entry=entry)
    entry["gdp_lost"] = float(value_added(t).sum() - value_added(new).sum())
    state.log.append(entry)
    state.table = new
    return state


# ---------------------------------------------------------------------- demand
def apply_demand(state: State, step: Demand, where: str) -> State:
    """Final-demand shock by producing country, buying country, product and category."""
    t = state.table
    res = _Resolver(t, f"{where}.{step.op}")
    G, N, K = t.G, t.N, t.K
    rows = np.ones(G * N, dtype=bool)
    if step.origin is not None:
        rows &= np.isin(country_index(G, N), res.countries(step.origin, "origin"))
    if step.sector is not None:
        rows &= np.isin(np.tile(np.arange(N), G), res.sectors(step.sector, "sector"))
    cols = np.ones(G * K, dtype=bool)
    if step.destination is not None:
        cols &= np.isin(np.repeat(np.arange(G), K), res.countries(step.destination,
                                                                  "destination"))
    if step.category is not None:
        cols &= np.isin(np.tile(np.arange(K), G), res.categories(step.category, "category"))
    if step.change == 0.0 or step.amount == 0.0:
        state.log.append({"step": where, "op": "demand", "change": 0.0})
        return state
    A, Y = _coefficients(t)
    sel = rows[:, None] & cols[None, :]
    base = float(Y[sel].sum())
    if step.change is not None:
        Y[sel] *= 1.0 + step.change
    else:
        if base <= 0.0:
            raise ScenarioSpecError(f"{where}.demand.amount: the selected final demand sums to "
                                    f"{base:.6g}; an amount can only be spread over a positive "
                                    "total (use change for a relative shock)")
        Y[sel] += float(step.amount or 0.0) * Y[sel] / base
    entry: dict[str, Any] = {"step": where, "op": "demand", "selected_total": base,
                             "change_total": float(Y[sel].sum() - base)}
    new = leontief_table(t, A, Y, note=f"{where}: demand shock", entry=entry)
    state.log.append(entry)
    state.table = new
    return state


# ---------------------------------------------------------------------- sourcing
def apply_sourcing(state: State, step: Sourcing, where: str) -> State:
    """Move a share of an importer's purchases from one supplier country to another (or home)."""
    t = state.table
    res = _Resolver(t, f"{where}.{step.op}")
    _G, N, K = t.G, t.N, t.K
    imp = res.country(step.importer, "importer")
    frm = res.country(step.supplier, "from")
    to = imp if step.replacement == "domestic" else res.country(step.replacement, "to")
    products = res.sectors(step.products, "products")
    products = list(range(N)) if products is None else products
    buyers = res.sectors(step.buyers, "buyers")
    buyers = list(range(N)) if buyers is None else buyers
    if step.share == 0.0:
        state.log.append({"step": where, "op": "sourcing", "moved": 0.0})
        return state
    A, Y = _coefficients(t)
    src = np.array([frm * N + k for k in products])
    dst = np.array([to * N + k for k in products])
    cols = np.array([imp * N + j for j in buyers])
    moved_A = step.share * A[np.ix_(src, cols)]
    A[np.ix_(src, cols)] -= moved_A
    A[np.ix_(dst, cols)] += moved_A
    moved = float((moved_A * t.x[cols][None, :]).sum())
    if step.final:
        fcols = np.arange(imp * K, (imp + 1) * K)
        moved_Y = step.share * Y[np.ix_(src, fcols)]
        Y[np.ix_(src, fcols)] -= moved_Y
        Y[np.ix_(dst, fcols)] += moved_Y
        moved += float(moved_Y.sum())
    entry: dict[str, Any] = {"step": where, "op": "sourcing", "moved": moved}
    new = leontief_table(t, A, Y, note=f"{where}: sourcing change", entry=entry)
    state.log.append(entry)
    state.table = new
    return state


# ---------------------------------------------------------------------- cost
def apply_cost(state: State, step: Cost, where: str) -> State:
    """Add an ad-valorem wedge on flows; prices are computed from all wedges at the end."""
    t = state.table
    res = _Resolver(t, f"{where}.{step.op}")
    origins = res.countries(step.origin, "from") or []
    dests = res.countries(step.destination, "to") or []
    sectors = res.sectors(step.sector, "sector")
    W, Wf = flow_wedges(t.G, t.N, t.K, step.rate, origins=origins, destinations=dests,
                        sectors=sectors, intermediate=step.flows in ("all", "intermediate"),
                        final=step.flows in ("all", "final"))
    state.wedge = W if state.wedge is None else (1 + state.wedge) * (1 + W) - 1
    state.wedge_fd = Wf if state.wedge_fd is None else (1 + state.wedge_fd) * (1 + Wf) - 1
    state.log.append({"step": where, "op": "cost", "kind": step.kind, "rate": step.rate,
                      "flows_taxed": int((W != 0).sum() + (Wf != 0).sum())})
    return state


# ---------------------------------------------------------------------- transfer
def _sourcing_shares(t: MRIOTable, mode: str, b: int, origin: int, dest: int) -> FloatArray:
    """``(G, N)`` origin shares of each input product for the moved production in ``b``."""
    G, N = t.G, t.N
    sigma = np.zeros((G, N))
    if mode == "origin":
        sigma[origin] = 1.0
    elif mode == "local":
        sigma[dest] = 1.0
    else:  # usual: b's own mix of suppliers, else the destination country's, else local
        own = np.asarray(t.Z[:, b], dtype=float).reshape(G, N)
        country = np.asarray(t.Z[:, dest * N:(dest + 1) * N], dtype=float).sum(axis=1)
        country = country.reshape(G, N)
        for mix in (own, country):
            tot = mix.sum(axis=0)
            fill = (sigma.sum(axis=0) == 0) & (tot > 0)
            sigma[:, fill] = mix[:, fill] / tot[fill]
        empty = sigma.sum(axis=0) == 0
        sigma[dest, empty] = 1.0
    return sigma


def apply_transfer(state: State, step: Transfer, where: str) -> State:
    """Move a share of country A's sector(s) to country B (industrial transfer).

    1. Sales: for every buyer (industry or final-demand column) a share
       ``theta_B`` of its purchases from ``(A, s)`` is bought from ``(B, s)``
       instead (``A[b, :] += theta_B A[a, :]``, ``A[a, :] *= 1 - theta``, same
       for ``Y``): final demand is unchanged, column by column.
    2. Technology: the moved production ``Q_B = theta_B x_a`` uses the input
       mix of ``(B, s)``, of ``(A, s)`` or a blend; each product is bought
       from ``B``'s usual suppliers, from ``A`` or from ``B``; column ``b``
       becomes the output-weighted mix of its old and the new plant.
    3. Freed capacity: idle, or redeployed to another sector of ``A``, which
       takes over foreign producers' sales of that product in proportion.
    4. Leontief closure; with ``moved_output`` conserved, GRAS rebalancing of
       ``[[Z, Y], [va', 0]]`` to outputs ``(1 - theta) x_a`` and
       ``x_b + Q_B`` (others: the Leontief outputs) and unchanged final-demand
       totals (Junius & Oosterhaven 2003; Temurshoev et al. 2013).
    """
    t = state.table
    res = _Resolver(t, f"{where}.{step.op}")
    G, N = t.G, t.N
    o = res.country(step.origin, "from")
    dests = {res.country(c, "to"): w for c, w in step.destination.items()}
    sectors = res.sectors(step.sector, "sector") or []
    if step.share == 0.0:
        state.log.append({"step": where, "op": "transfer", "moved_output": 0.0})
        return state
    x0 = np.asarray(t.x, dtype=float)
    A0, Y0 = _coefficients(t)
    A, Y = A0.copy(), Y0.copy()
    theta = step.share
    targets: dict[int, float] = {}
    new_cols: dict[int, tuple[float, FloatArray]] = {}
    moved_total = 0.0
    for s in sectors:
        a = o * N + s
        if x0[a] <= 0:
            raise ScenarioSpecError(f"{where}.transfer.sector: {step.origin} has no output in "
                                    f"{t.labels.sectors[s]} to move")
        rowA, rowY = A0[a].copy(), Y0[a].copy()
        A[a] = (1 - theta) * rowA
        Y[a] = (1 - theta) * rowY
        targets[a] = (1 - theta) * x0[a]
        moved_total += theta * x0[a]
        p_orig = A0[:, a].reshape(G, N).sum(axis=0)
        for d, w in dests.items():
            b = d * N + s
            A[b] += theta * w * rowA
            Y[b] += theta * w * rowY
            Q = theta * w * x0[a]
            targets[b] = x0[b] + Q
            p = _technology(step, t, A0, p_orig, b, where)
            mix = {m: wt for m, wt in step.sourcing.items() if wt > 0}
            sigma = sum(wt * _sourcing_shares(t, m, b, o, d) for m, wt in mix.items())
            new_cols[b] = (Q, (np.asarray(sigma) * p[None, :]).ravel())
    for b, (Q, col) in new_cols.items():
        A[:, b] = (x0[b] * A[:, b] + Q * col) / (x0[b] + Q)
    redeployed = _redeploy(step, t, A, Y, o, moved_total, where)
    note = f"{where}: transfer {','.join(step.sector)} {step.origin}->" \
           f"{','.join(step.destination)}"
    entry: dict[str, Any] = {"step": where, "op": "transfer",
                             "moved_output": float(moved_total),
                             "redeployed_output": float(redeployed)}
    Z, Y, _ = leontief_arrays(t, A, Y, note=note, entry=entry)
    if "moved_output" in step.conserve:
        Z, Y, report = _rebalance(t, Z, Y, targets, step.tol, where)
        entry["ras"] = report
    state.log.append(entry)
    state.table = rebuild(t, Z, Y, note=note)
    return state


def _technology(step: Transfer, t: MRIOTable, A0: FloatArray, p_orig: FloatArray, b: int,
                where: str) -> FloatArray:
    G, N = t.G, t.N
    w_orig = {"origin": 1.0, "destination": 0.0, "blend": step.blend or 0.0}[step.technology]
    if w_orig < 1.0:
        if t.x[b] <= 0:
            code, sec = t.labels.industries()[b].split("/")
            raise ScenarioSpecError(f"{where}.transfer.technology: {code} has no output in "
                                    f"{sec} whose input structure could be used; use "
                                    "technology: origin")
        p_dest = A0[:, b].reshape(G, N).sum(axis=0)
        return np.asarray(w_orig * p_orig + (1 - w_orig) * p_dest)
    return p_orig


def _redeploy(step: Transfer, t: MRIOTable, A: FloatArray, Y: FloatArray, o: int,
              moved: float, where: str) -> float:
    if step.freed_capacity == "idle":
        return 0.0
    G, N = t.G, t.N
    sec = _Resolver(t, f"{where}.transfer").sector(step.freed_capacity["redeploy"],
                                     "freed_capacity.redeploy")
    amount = step.freed_capacity["share"] * moved
    foreign = np.array([c * N + sec for c in range(G) if c != o])
    sales = float(t.x[foreign].sum())
    if amount > sales:
        raise ScenarioSpecError(
            f"{where}.transfer.freed_capacity: redeploying {amount:,.6g} into "
            f"{t.labels.sectors[sec]} needs more than all foreign sales of that product "
            f"({sales:,.6g}); lower freed_capacity.share")
    phi = amount / sales if sales > 0 else 0.0
    home = o * N + sec
    A[home] += phi * A[foreign].sum(axis=0)
    Y[home] += phi * Y[foreign].sum(axis=0)
    A[foreign] *= 1 - phi
    Y[foreign] *= 1 - phi
    return amount


def _rebalance(base: MRIOTable, Z: FloatArray, Y: FloatArray, targets: dict[int, float],
               tol: float, where: str) -> tuple[FloatArray, FloatArray, dict[str, Any]]:
    n = Z.shape[0]
    x_t = Z.sum(axis=1) + Y.sum(axis=1)
    for i, v in targets.items():
        x_t[i] = v
    M = np.zeros((n + 1, n + Y.shape[1]))
    M[:n, :n] = Z
    M[:n, n:] = Y
    M[n, :n] = Z.sum(axis=1) + Y.sum(axis=1) - Z.sum(axis=0)  # value added (residual)
    fd_tot = np.asarray(base.Y, dtype=float).sum(axis=0)
    u = np.concatenate([x_t, [fd_tot.sum()]])
    v = np.concatenate([x_t, fd_tot])
    lab = base.labels
    names = list(lab.industries())
    fd_names = [f"final demand {c}/{k}" for c in lab.countries for k in lab.fd_categories]
    try:
        res = gras(M, u, v, tol=tol, max_iter=5000, row_names=[*names, "value added"],
                   col_names=names + fd_names)
    except ConvergenceError as err:
        raise ScenarioError(f"{where}: rebalancing the table to the conserved outputs failed: "
                            f"{err}") from None
    except SilkchainError as err:
        raise ScenarioError(f"{where}: the conserved outputs cannot be reached: {err}") from None
    X = res.matrix
    return X[:n, :n], X[:n, n:], res.report()


# ---------------------------------------------------------------------- reshoring
def _reshore_countries(t: MRIOTable, codes: Sequence[str], fld: str, where: str
                       ) -> tuple[list[int], list[str]]:
    """Countries of the table named by ``codes`` (countries or groups) and hidden members."""
    from silkchain.groups import GroupNotFoundError, get_group

    res = _Resolver(t, where)
    out: list[int] = []
    hidden: list[str] = []
    for code in codes:
        if code in t.labels.countries:
            out.append(t.labels.countries.index(code))
            continue
        try:
            mapping = get_group(code).members_in(list(t.labels.countries))
        except GroupNotFoundError:
            raise res._fail(fld, f"{code!r} is neither a country of the table ("
                                 f"{', '.join(t.labels.countries)}) nor a known group") from None
        if not mapping.inside:
            raise res._fail(fld, f"no member of group {code!r} is a country of the table")
        out.extend(t.labels.countries.index(c) for c in mapping.inside)
        hidden.extend(mapping.hidden)
    return list(dict.fromkeys(out)), sorted(set(hidden))


def _reshore_sectors(t: MRIOTable, codes: Sequence[str] | None, fld: str, where: str
                     ) -> list[int]:
    """Sectors named by the table's codes or by broad sectors (``textiles``); all when None."""
    from silkchain.concordances.broad import BROAD_SECTORS, resolve_broad
    from silkchain.errors import UnresolvedSectorError

    if codes is None:
        return list(range(t.N))
    res = _Resolver(t, where)
    out: list[int] = []
    for code in codes:
        if code in t.labels.sectors or code not in BROAD_SECTORS:
            out.append(res.sector(code, fld))
            continue
        try:
            out.extend(t.labels.sectors.index(s) for s in resolve_broad(t, code))
        except UnresolvedSectorError as err:
            raise res._fail(fld, str(err)) from None
    return list(dict.fromkeys(out))


def apply_reshore(state: State, step: Reshore, where: str) -> State:
    """Bring back a share of imported inputs to domestic suppliers of the same product.

    For each reshoring country ``c``, buying industry ``j`` of ``c`` (``buyers``)
    and product ``n`` (``products``), a share ``theta`` of the input coefficients
    ``A[(s, n), j]`` of the foreign suppliers ``s`` (``from``; default every
    country that is not reshoring) moves to ``A[(c, n), j]``; with ``final``
    the same is done for ``c``'s final demand. Column sums of ``A`` do not
    change, so every industry keeps its value-added coefficient and world value
    added stays equal to world final demand. The Leontief quantity model closes
    the system; GRAS (Junius & Oosterhaven 2003; Temurshoev et al. 2013)
    rebalances ``[[Z, Y], [va', 0]]`` to the Leontief outputs and the baseline
    final-demand totals (it has work to do only where a negative output had to
    be booked as an inventory change), and its report is in the step log.
    """
    t = state.table
    tag = f"{where}.{step.op}"
    G, N, K = t.G, t.N, t.K
    homes, hidden = _reshore_countries(t, step.countries, "countries", tag)
    if step.suppliers is None:
        suppliers = [g for g in range(G) if g not in homes]
    else:
        suppliers, _ = _reshore_countries(t, step.suppliers, "from", tag)
        both = sorted(t.labels.countries[g] for g in set(suppliers) & set(homes))
        if both:
            raise ScenarioSpecError(f"{tag}.from: {', '.join(both)} both reshore and supply")
    products = _reshore_sectors(t, step.products, "products", tag)
    buyers = _reshore_sectors(t, step.buyers, "buyers", tag)
    names = [t.labels.countries[g] for g in homes]
    entry: dict[str, Any] = {"step": where, "op": "reshore", "countries": names,
                             "hidden_members": hidden, "moved": 0.0}
    if step.share == 0.0 or not suppliers:
        state.log.append(entry)
        return state
    A, Y = _coefficients(t)
    theta = step.share
    prod = np.asarray(products)
    moved_by: dict[str, float] = {}
    for c in homes:
        cols = np.array([c * N + j for j in buyers])
        dst = c * N + prod
        moved = 0.0
        for s in suppliers:
            src = s * N + prod
            part = theta * A[np.ix_(src, cols)]
            A[np.ix_(src, cols)] -= part
            A[np.ix_(dst, cols)] += part
            moved += float((part * t.x[cols][None, :]).sum())
            if step.final:
                fcols = np.arange(c * K, (c + 1) * K)
                partY = theta * Y[np.ix_(src, fcols)]
                Y[np.ix_(src, fcols)] -= partY
                Y[np.ix_(dst, fcols)] += partY
                moved += float(partY.sum())
        moved_by[t.labels.countries[c]] = moved
    entry["moved"] = float(sum(moved_by.values()))
    entry["moved_by_country"] = moved_by
    note = f"{where}: reshore {','.join(step.countries)} ({step.share:g})"
    Z, Y, _ = leontief_arrays(t, A, Y, note=note, entry=entry)
    targets = {i: float(v) for i, v in enumerate(Z.sum(axis=1) + Y.sum(axis=1))}
    Z, Y, report = _rebalance(t, Z, Y, targets, step.tol, where)
    entry["ras"] = report
    state.log.append(entry)
    state.table = rebuild(t, Z, Y, note=note)
    return state


# ---------------------------------------------------------------------- dispatch
_OPS = {
    Transfer: apply_transfer,
    Extract: apply_extract,
    Demand: apply_demand,
    Sourcing: apply_sourcing,
    Cost: apply_cost,
    Reshore: apply_reshore,
}


def apply_step(state: State, step: Step, index: int) -> State:
    """Apply one step (``index`` is its position, used in messages and logs)."""
    where = f"steps[{index}]"
    fn = _OPS[type(step)]
    return fn(state, step, where)  # type: ignore[operator]
