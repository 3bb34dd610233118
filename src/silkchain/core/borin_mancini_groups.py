"""Borin & Mancini decomposition with country groups as exporting units (numpy only).

Exporter perspective, source-based, over an arbitrary **partition of the
countries into units**: each unit is one country or a group of countries, as
the ``groups()`` option of Stata ``icio``. A group is one exporter whose
*domestic* perimeter is the whole group; everything is computed on the
disaggregated table (no merging of the members' technologies).

Notation of METHODS.md §1 and §6, with ``u`` the exporting unit (its
industries ``S_u``, ``k_u * N`` of them, not necessarily contiguous) and
``r`` an importing unit. Blocks ``X_ur`` are taken over the units'
industries. Per flow ``u -> r`` (vectors over ``S_u``):

* ``E_ur = A_ur x_r + Y_ur`` (``Y_ur`` summed over the final demand of r's
  countries); trade among the members of a unit is not export;
* ``DC = (V_u B_uu)' # E_ur``, ``FC = (sum_{t not in u} V_t B_tu)' # E_ur``;
* ``DVA = (V_u L_uu)' # E_ur`` with ``L_uu = (I - A_uu)^-1`` the inverse of the
  unit's whole (multi-country) block;
* ``FVA = (sum_{t not in u} V_t B^{/u}_tu)' # E_ur`` by the Woodbury identity
  ``sum_{t not in u} V_t B^{/u}_tu = (sum_{t not in u} V_t B_tu) ((I - A_uu) B_uu)^-1``
  (``B^{/u}``: the unit's exports to non-members extracted);
* ``DAVAX = (V_u L_uu)' # (Y_ur + A_ur L_rr Y_rr)`` with ``L_rr`` and ``Y_rr``
  the importing unit's own;
* ``REF = (V_u L_uu)' # (A_ur (B Y_{.u})_r)``, ``VAX = DVA - REF``
  (``= (V_u L_uu)' # (Y_ur + A_ur (B Y_{. not in u})_r)``);
* ``REX = VAX - DAVAX``, ``DDC = DC - DVA``, ``FDC = FC - FVA``,
  ``PDC = DDC + FDC``, ``GVC = GEXP - DAVAX``, ``GVCB = FVA + PDC``,
  ``GVCF = REX + REF``.

With every unit a single country these are exactly the terms of
:func:`silkchain.core.borin_mancini.exporter_source`.

How it is computed
------------------
Everything reuses the one LU factorisation held by a
:class:`~silkchain.core.borin_mancini.BMSystem` (its inverted triangular
factors): ``B Y`` by destination unit is the country columns of ``B Y``
summed (no new solve); ``V_u B`` for every group unit is one left
application of ``B`` with one row per group; the block ``B_uu`` of a group
is ``B`` applied to the unit's ``k_u N`` unit vectors; ``V_u L_uu``,
``L_uu Y_uu`` and the Woodbury correction are ``k_u N``-sized dense solves.
Single-country units reuse the per-country multipliers of ``prepare``.
No ``n x n`` inverse is formed.

References
----------
.. [1] Borin, A. & Mancini, M. (2019). Measuring What Matters in Global Value
   Chains and Value-Added Trade. World Bank Policy Research Working Paper 8804,
   §3 (exporter perspective, source-based, eqs. 20-29) and §6 (GVC, GVCB, GVCF).
.. [2] Belotti, F., Borin, A. & Mancini, M. (2021). icio: Economic analysis with
   intercountry input-output tables. *The Stata Journal* 21(3): 708-755
   (option ``groups()``: a group of countries as one exporter).
.. [3] Borin, A. & Mancini, M. (2023). Measuring what matters in value-added
   trade. *Economic Systems Research* 35(4): 586-613.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from silkchain.core.blocks import FloatArray
from silkchain.core.borin_mancini import (
    BMSystem,
    _batched_solve,
    assemble_source_terms,
)
from silkchain.errors import SingularSystemError

__all__ = ["UnitSystem", "check_units", "exporter_source_units", "prepare_units"]


@dataclass(frozen=True)
class UnitSystem:
    """Per-industry multipliers for a partition of the countries into units.

    Built by :func:`prepare_units`. Vectors are ``(n,)`` over the table's
    industries; each industry's values refer to the unit of its country.

    Attributes
    ----------
    system : BMSystem
        The country-level system (one LU factorisation) it was built from.
    units : tuple of tuple of int
        Member country indices of each unit (0-based, sorted).
    unit_of : ndarray (G,)
        Unit index of each country.
    dc, fc, dva, fva : ndarray (n,)
        ``(V_u B_uu)'``, ``(sum_{t not in u} V_t B_tu)'``, ``(V_u L_uu)'`` and
        ``(sum_{t not in u} V_t B^{/u}_tu)'`` per unit of exports.
    W : ndarray (n,)
        ``L_rr Y_rr`` stacked over units (output of a unit's own chain
        serving its own final demand).
    Yu, BYu, Eu : ndarray (n, U)
        Final demand, ``B Y`` and gross exports by destination unit
        (``Eu`` zero on the own unit).
    names : tuple of str or None
        Unit names for error messages.
    """

    system: BMSystem
    units: tuple[tuple[int, ...], ...]
    unit_of: np.ndarray
    dc: FloatArray
    fc: FloatArray
    dva: FloatArray
    fva: FloatArray
    W: FloatArray
    Yu: FloatArray
    BYu: FloatArray
    Eu: FloatArray
    names: tuple[str, ...] | None = None

    @property
    def U(self) -> int:
        """Number of units."""
        return len(self.units)

    def industries(self, u: int) -> np.ndarray:
        """Industry indices (country-major, sorted) of unit ``u``."""
        N = self.system.N
        return (np.asarray(self.units[u])[:, None] * N + np.arange(N)[None, :]).ravel()


def check_units(units: Sequence[Sequence[int]], G: int) -> tuple[tuple[int, ...], ...]:
    """Validate a partition of ``range(G)`` into non-empty units.

    Raises
    ------
    ValueError
        A unit is empty, an index is out of range, a country is in two units
        or a country is in none -- all problems at once.
    """
    problems: list[str] = []
    seen: dict[int, int] = {}
    out: list[tuple[int, ...]] = []
    for k, members in enumerate(units):
        mem = [int(m) for m in members]
        if not mem:
            problems.append(f"unit {k} is empty")
        for m in mem:
            if not 0 <= m < G:
                problems.append(f"unit {k}: country index {m} is outside 0..{G - 1}")
            elif m in seen:
                problems.append(f"country {m} is in units {seen[m]} and {k}")
            else:
                seen[m] = k
        out.append(tuple(sorted(set(mem))))
    missing = sorted(set(range(G)) - set(seen))
    if missing:
        problems.append(f"countries {missing} are in no unit")
    if problems:
        raise ValueError("units must partition the countries:\n  - " + "\n  - ".join(problems))
    return tuple(out)


def _unit_name(names: Sequence[str] | None, u: int) -> str:
    return f"{names[u]!r}" if names is not None else f"{u} (0-based)"


def _solve(M: FloatArray, b: FloatArray, what: str, names: Sequence[str] | None,
           u: int) -> FloatArray:
    """Dense solve ``M z = b`` for one unit, naming it when singular."""
    try:
        return _batched_solve(M[None], b.reshape(1, M.shape[0], -1), what, None)[0]
    except SingularSystemError as err:
        raise SingularSystemError(
            f"{what} is singular or numerically singular for unit {_unit_name(names, u)}"
        ) from err


def prepare_units(
    system: BMSystem,
    units: Sequence[Sequence[int]],
    *,
    names: Sequence[str] | None = None,
    reuse_single: bool = True,
) -> UnitSystem:
    """Multipliers of every unit of a partition of the countries.

    Parameters
    ----------
    system : BMSystem
        From :func:`silkchain.core.borin_mancini.prepare` on the
        disaggregated table.
    units : sequence of sequence of int
        A partition of ``range(G)``: the member countries of each unit.
    names : sequence of str, optional
        Unit names for error messages.
    reuse_single : bool, default True
        Take single-country units' multipliers from ``system`` (the fast
        per-country path). With False every unit goes through the group path
        (used to check that path against the per-country one).

    Raises
    ------
    ValueError
        ``units`` is not a partition of the countries.
    SingularSystemError
        ``I - A_uu`` or ``(I - A_uu) B_uu`` singular, naming the unit.

    References
    ----------
    .. [1] Borin & Mancini (2019), WB PRWP 8804, §3 eqs. 20-29;
       Belotti, Borin & Mancini (2021), Stata Journal 21(3), ``groups()``.
    """
    s = system
    G, N = s.G, s.N
    n = G * N
    units_ = check_units(units, G)
    U = len(units_)
    names = tuple(names) if names is not None else None
    unit_of = np.empty(G, dtype=np.intp)
    for k, mem in enumerate(units_):
        unit_of[list(mem)] = k
    P = np.zeros((G, U))                          # country -> unit membership
    P[np.arange(G), unit_of] = 1.0
    ind_unit = np.repeat(unit_of, N)
    Yu = s.Y @ P
    BYu = s.BY @ P
    Eu = s.ESR @ P
    Eu[np.arange(n), ind_unit] = 0.0              # trade within a unit is not export

    vB = s.VBdom + s.VBfor
    dc, fc = s.VBdom.copy(), s.VBfor.copy()
    dva, fva = s.VLdom.copy(), s.fvac.copy()
    Ydom = s.Y.reshape(G, N, G)[np.arange(G), :, np.arange(G)]           # (G, N): Y_ss
    W = np.einsum("gij,gj->gi", s.Lloc, Ydom).ravel()                    # L_ss Y_ss
    general = [k for k, mem in enumerate(units_) if len(mem) > 1 or not reuse_single]
    if general:
        idx = [(np.asarray(units_[k])[:, None] * N + np.arange(N)[None, :]).ravel()
               for k in general]
        # V_u B for every general unit: one left application of B, one row per unit
        R = np.zeros((len(general), n))
        for row, S in enumerate(idx):
            R[row, S] = s.v[S]
        VuB = s.apply_B_left(R)
        for row, (k, S) in enumerate(zip(general, idx, strict=True)):
            m = S.size
            Iuu = np.eye(m) - s.A[np.ix_(S, S)]
            dc[S] = VuB[row, S]
            fc[S] = vB[S] - dc[S]
            dva[S] = _solve(Iuu.T, s.v[S], "the unit block I - A_uu", names, k)[:, 0]
            W[S] = _solve(Iuu, Yu[S, k], "the unit block I - A_uu", names, k)[:, 0]
            Ecols = np.zeros((n, m))
            Ecols[S, np.arange(m)] = 1.0
            Buu = s.apply_B(Ecols)[S]                                    # B_uu
            IM = Iuu @ Buu                                               # I + A_u,-u B_-u,u
            fva[S] = _solve(IM.T, fc[S], "I + sum_{j not in u} A_uj B_ju", names, k)[:, 0]
    out = UnitSystem(system=s, units=units_, unit_of=unit_of, dc=dc, fc=fc, dva=dva,
                     fva=fva, W=W, Yu=Yu, BYu=BYu, Eu=Eu, names=names)
    for what, arr in (("value-added multipliers", np.concatenate([dc, fc, dva, fva])),
                      ("L_rr Y_rr", W)):
        if not np.all(np.isfinite(arr)):
            raise SingularSystemError(f"non-finite {what}: a solve failed")
    return out


def _by_unit_sector(values: FloatArray, us: UnitSystem) -> FloatArray:
    """Sum an ``(n, ...)`` per-industry array over each unit's members: ``(U, N, ...)``."""
    G, N = us.system.G, us.system.N
    P = np.zeros((us.U, G))
    P[us.unit_of, np.arange(G)] = 1.0
    return np.tensordot(P, values.reshape(G, N, *values.shape[1:]), axes=(1, 0))


def exporter_source_units(us: UnitSystem, level: str = "bilateral") -> FloatArray:
    """Exporter-perspective, source-based decomposition for units (countries or groups).

    Parameters
    ----------
    us : UnitSystem
    level : {"bilateral", "sector", "country"}

    Returns
    -------
    ndarray
        ``(U, N, U, 15)`` (exporting unit, exporting sector summed over the
        unit's members, importing unit, term; zero for the own unit),
        ``(U, N, 15)`` or ``(U, 15)``; terms in
        :data:`~silkchain.core.borin_mancini.SOURCE_TERMS` order. The sector
        level is computed by its own path (products over all partners), not by
        summing the bilateral array, so that additivity is a real check.

    References
    ----------
    .. [1] Borin & Mancini (2019), WB PRWP 8804, §3.2-3.3 and §6;
       Belotti, Borin & Mancini (2021), Stata Journal 21(3), ``groups()``.

    Examples
    --------
    >>> import numpy as np
    >>> from silkchain.core.borin_mancini import prepare
    >>> A = np.array([[.1, .2, .0], [.1, .1, .2], [.0, .1, .1]])
    >>> Y = np.array([[1., 1., 1.], [1., 2., 1.], [1., 1., 3.]])
    >>> x = np.linalg.solve(np.eye(3) - A, Y.sum(1))
    >>> ESR = np.where(np.eye(3, dtype=bool), 0.0, A * x + Y)
    >>> s = prepare(A, 1 - A.sum(0), x, Y, ESR, 3, 1)
    >>> out = exporter_source_units(prepare_units(s, [[0, 1], [2]]), "country")
    >>> bool(np.allclose(out[:, 0], out[:, 1] + out[:, 8]))        # GEXP = DC + FC
    True
    """
    s = us.system
    n = s.G * s.N
    U = us.U
    ind_unit = np.repeat(us.unit_of, s.N)
    rows = np.arange(n)
    E: FloatArray
    refb: FloatArray
    dae: FloatArray
    if level == "bilateral":
        E = us.Eu
        refb = np.zeros((n, U))                 # A_ur (B Y_{.u})_r
        onehot = np.zeros((n, U))
        onehot[rows, ind_unit] = 1.0
        for u in range(U):
            S = us.industries(u)
            refb[S] = s.A[S] @ (us.BYu[:, [u]] * onehot)
        dae = us.Yu + s.A @ (us.W[:, None] * onehot)   # Y_ur + A_ur L_rr Y_rr
        refb[rows, ind_unit] = 0.0
        dae[rows, ind_unit] = 0.0
        coef = lambda c: c[:, None]                    # noqa: E731
    elif level in ("sector", "country"):
        E = us.Eu.sum(axis=1)
        ABY = s.A @ us.BYu                              # (n, U)
        AW = s.A @ us.W
        refb = np.empty(n)
        dae = us.Yu.sum(axis=1) - us.Yu[rows, ind_unit]
        for u in range(U):
            S = us.industries(u)
            Auu = s.A[np.ix_(S, S)]
            refb[S] = ABY[S, u] - Auu @ us.BYu[S, u]   # sum_{r != u} A_ur (B Y_{.u})_r
            dae[S] += AW[S] - Auu @ us.W[S]
        coef = lambda c: c                              # noqa: E731
    else:
        raise ValueError(f"level must be 'bilateral', 'sector' or 'country', got {level!r}")
    dc, dva, fc, fva = coef(us.dc), coef(us.dva), coef(us.fc), coef(us.fva)
    out = assemble_source_terms(E, dc, dva, fc, fva, refb, dae)
    if not np.all(np.isfinite(out)):
        raise SingularSystemError("non-finite exporter/source terms for units: a solve failed")
    agg = _by_unit_sector(out, us)
    if level == "country":
        return agg.sum(axis=1)
    return agg
