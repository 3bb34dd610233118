"""Borin & Mancini decomposition of gross exports on ndarrays (numpy/scipy only).

Exporter perspective (source- and sink-based) at bilateral x exporting-sector,
exporting-sector and country level, and the world perspective (source- and
sink-based, the "corrected KWW") at country level. Notation of METHODS.md §1
and §6: ``G`` countries, ``N`` sectors, ``n = G*N`` industries in
country-major order; ``A`` input coefficients, ``B = (I - A)^-1``, ``L_ss``
local inverses, ``v`` value-added coefficients, ``Y`` final demand by
destination country ``(n, G)``, ``E_sr`` bilateral gross exports ``(n, G)``.

How it is computed (no ``n x n`` inverse per exporter)
-------------------------------------------------------
One LU factorisation ``I - A = P L U`` is shared by every exporter. Solves
with ``G`` right-hand sides give ``B Y`` and ``v B``. The two triangular
factors are then inverted in place (``U^-1``, ``L^-1``: together as many
flops as the LU), which yields every diagonal block
``B_ss = (U^-1)_{s.} (L^-1 P')_{.s}`` at ``O(n^2 N)`` cost and applies ``B`` to
further ``G``-column blocks by two triangular products. The foreign value
added that leaves ``s`` for the first time uses the Woodbury identity of
METHODS.md §6,

    ``sum_{t!=s} V_t B^{/s}_ts = (sum_{t!=s} V_t B_ts) (I + sum_{j!=s} A_sj B_js)^-1``,

with ``I + sum_{j!=s} A_sj B_js = (I - A_ss) B_ss`` (identity B3), an ``N x N``
solve per exporter. Hypothetical-extraction outputs ``x^{*s}`` used by the
sink approach follow from the same identity:
``B^{/s}_{.s} = B_{.s} (I + M_s)^-1``.

References
----------
.. [1] Borin, A. & Mancini, M. (2019). Measuring What Matters in Global Value
   Chains and Value-Added Trade. World Bank Policy Research Working Paper 8804,
   §3-§5 (exporter perspective: source-based eqs. 20-29, sink-based eqs.
   33-39; world perspective eqs. 52 and 54).
.. [2] Borin, A. & Mancini, M. (2023). Measuring what matters in value-added
   trade. *Economic Systems Research* 35(4): 586-613,
   doi:10.1080/09535314.2022.2153221.
.. [3] Belotti, F., Borin, A. & Mancini, M. (2021). icio: Economic analysis with
   intercountry input-output tables. *The Stata Journal* 21(3): 708-755.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.linalg as sla
from scipy.linalg import blas

from silkchain.core.blocks import FloatArray, apply_local, diag_blocks
from silkchain.core.leontief import (
    block_label,
    diagonal_blocks_of_inverse,
    factor_identity_minus,
    invert_triangles,
    local_leontief_blocks,
    lu_permutation,
    solve_blocks,
)
from silkchain.errors import SingularSystemError

__all__ = [
    "SINK_BILATERAL_TERMS",
    "SINK_TERMS",
    "SOURCE_TERMS",
    "WORLD_TERMS",
    "BMSystem",
    "exporter_sink",
    "exporter_source",
    "prepare",
    "world",
]

#: Exporter perspective, source-based (METHODS.md §6), in output order.
SOURCE_TERMS: tuple[str, ...] = (
    "GEXP", "DC", "DVA", "VAX", "DAVAX", "REX", "REF", "DDC",
    "FC", "FVA", "FDC", "PDC", "GVC", "GVCB", "GVCF",
)
#: Exporter perspective, sink-based, exporting-sector level (as Stata/R icio).
SINK_TERMS: tuple[str, ...] = ("GEXP", "DC", "DVA", "VAX", "REF", "DDC", "FC", "FVA", "FDC")
#: Exporter perspective, sink-based, bilateral level: adds VAXIM.
SINK_BILATERAL_TERMS: tuple[str, ...] = (
    "GEXP", "DC", "DVA", "VAX", "VAXIM", "REF", "DDC", "FC", "FVA", "FDC",
)
#: World perspective (country level), source- or sink-based.
WORLD_TERMS: tuple[str, ...] = SINK_TERMS


def _name(names: Sequence[str] | None, g: int) -> str:
    return block_label(None if names is None else tuple(names), g)


@dataclass(frozen=True)
class BMSystem:
    """Quantities shared by every Borin-Mancini variant of one table.

    Built by :func:`prepare`. Vectors are ``(n,)`` in country-major order,
    blocks ``(G, N, N)``.

    Attributes
    ----------
    VBdom, VBfor : ndarray (n,)
        Domestic content ``(V_s B_ss)'`` and foreign content
        ``(sum_{t!=s} V_t B_ts)'`` per unit of exports of each industry.
    VLdom : ndarray (n,)
        Domestic value added (source) per unit of exports ``(V_s L_ss)'``.
    fvac : ndarray (n,)
        Foreign value added (source) per unit of exports
        ``(sum_{t!=s} V_t B^{/s}_ts)'`` (Woodbury identity).
    IM : ndarray (G, N, N)
        ``I + sum_{j!=s} A_sj B_js = (I - A_ss) B_ss`` per exporter.
    Lloc, Bd : ndarray (G, N, N)
        Local inverses ``L_ss`` and diagonal blocks ``B_ss``.
    BY : ndarray (n, G)
        Output driven by each country's final demand, ``B Y``.
    """

    G: int
    N: int
    A: FloatArray
    v: FloatArray
    x: FloatArray
    Y: FloatArray
    ESR: FloatArray
    tri: FloatArray
    perm: np.ndarray
    VBdom: FloatArray
    VBfor: FloatArray
    VLdom: FloatArray
    fvac: FloatArray
    IM: FloatArray
    Lloc: FloatArray
    Bd: FloatArray
    BY: FloatArray
    names: tuple[str, ...] | None = None

    # ------------------------------------------------------------------ B applied
    def apply_B(self, R: FloatArray) -> FloatArray:
        """``B @ R`` for an ``(n, k)`` block, by two triangular products."""
        R = np.asfortranarray(np.asarray(R, dtype=float)[self.perm])
        R = blas.dtrmm(1.0, self.tri, R, lower=1, diag=1, overwrite_b=1)
        return blas.dtrmm(1.0, self.tri, R, lower=0, overwrite_b=1)

    def apply_B_left(self, R: FloatArray) -> FloatArray:
        """``R @ B`` for a ``(k, n)`` block."""
        R = np.asfortranarray(np.asarray(R, dtype=float))
        R = blas.dtrmm(1.0, self.tri, R, side=1, lower=0, overwrite_b=1)
        R = blas.dtrmm(1.0, self.tri, R, side=1, lower=1, diag=1, overwrite_b=1)
        out = np.empty_like(R)
        out[:, self.perm] = R
        return out

    def full_B(self) -> FloatArray:
        """The explicit global inverse ``B`` (only the bilateral sink VAXIM needs it)."""
        return self.apply_B(np.eye(self.G * self.N))


# ====================================================================== preparation
def _batched_solve(M: FloatArray, b: FloatArray, what: str,
                   names: Sequence[str] | None) -> FloatArray:
    """Solve ``M[g] z[g] = b[g]`` for every exporter (see ``leontief.solve_blocks``)."""
    return solve_blocks(M, b, what, None if names is None else tuple(names), "exporter(s)")


def prepare(
    A: FloatArray,
    v: FloatArray,
    x: FloatArray,
    Y: FloatArray,
    ESR: FloatArray,
    G: int,
    N: int,
    *,
    names: Sequence[str] | None = None,
    lu: tuple[FloatArray, np.ndarray] | None = None,
) -> BMSystem:
    """Factor ``I - A`` once and compute the per-exporter multipliers.

    Parameters
    ----------
    A : ndarray (n, n)
        Input coefficients.
    v : ndarray (n,)
        Value-added coefficients (from residual value added, METHODS.md §1).
    x : ndarray (n,)
        Gross output.
    Y : ndarray (n, G)
        Final demand by destination country.
    ESR : ndarray (n, G)
        Bilateral gross exports, zero on the own country.
    G, N : int
        Countries and sectors.
    names : sequence of str, optional
        Country names used in error messages.
    lu : (lu, piv), optional
        An existing LU factorisation of ``I - A`` (``scipy.linalg.lu_factor``
        layout); it is copied, not modified.

    Raises
    ------
    SingularSystemError
        ``I - A`` singular; a local block ``I - A_ss`` singular; or
        ``I + sum_{j!=s} A_sj B_js`` singular -- each naming the country.
    """
    A = np.asarray(A, dtype=float)
    names = tuple(names) if names is not None else None
    if lu is not None:  # a copy, to be overwritten by the triangular inversions
        lu_, piv = np.array(lu[0], order="F", dtype=float), np.asarray(lu[1])
    else:
        lu_, piv = factor_identity_minus(A, names=names, N=N, overwrite=True)
    solve_lu = (lu_, piv)
    BY = sla.lu_solve(solve_lu, np.asarray(Y, dtype=float), check_finite=False)
    vB = sla.lu_solve(solve_lu, np.asarray(v, dtype=float), trans=1, check_finite=False)
    perm = lu_permutation(piv)
    # invert both triangles in place: upper = U^-1, strict lower = L^-1 (unit diagonal)
    tri = invert_triangles(lu_, overwrite=True)
    Bd = diagonal_blocks_of_inverse(tri, perm, G, N)

    Ad = diag_blocks(A, G, N)
    eye = np.broadcast_to(np.eye(N), (G, N, N))
    Lloc = local_leontief_blocks(A, G, N, names=names, who="exporter(s)")
    v2 = np.asarray(v, dtype=float).reshape(G, N)
    VLdom = np.einsum("gi,gij->gj", v2, Lloc).ravel()
    VBdom = np.einsum("gi,gij->gj", v2, Bd).ravel()
    VBfor = vB - VBdom
    IM = (eye - Ad) @ Bd
    fvac = _batched_solve(np.swapaxes(IM, 1, 2), VBfor.reshape(G, N, 1),
                          "I + sum_{j!=s} A_sj B_js", names)[..., 0].ravel()
    sys_ = BMSystem(G=G, N=N, A=A, v=np.asarray(v, dtype=float), x=np.asarray(x, dtype=float),
                    Y=np.asarray(Y, dtype=float), ESR=np.asarray(ESR, dtype=float),
                    tri=tri, perm=perm, VBdom=VBdom, VBfor=VBfor, VLdom=VLdom, fvac=fvac,
                    IM=IM, Lloc=Lloc, Bd=Bd, BY=BY, names=names)
    for arr in (VBdom, VBfor, VLdom, fvac):
        _guard(arr, sys_, "value-added multipliers")
    return sys_


def _guard(out: FloatArray, s: BMSystem, what: str) -> FloatArray:
    """Raise rather than return NaN/inf produced by an ill-conditioned solve."""
    if not np.all(np.isfinite(out)):
        bad = np.argwhere(~np.isfinite(out.reshape(s.G, -1)))
        who = ", ".join(_name(s.names, int(g)) for g in sorted({int(b[0]) for b in bad})[:10])
        raise SingularSystemError(f"non-finite {what} for exporter(s) {who}: a solve failed")
    return out


# ====================================================================== helpers
def _own(G: int, N: int) -> np.ndarray:
    """``(G, 1, G)`` mask of own-country cells of an ``(G, N, G)`` array."""
    return np.eye(G, dtype=bool)[:, None, :]


def _into_own_importer(A: FloatArray, W: FloatArray, G: int, N: int) -> FloatArray:
    """``out[s, i, r] = sum_{j in r} A[(s,i), (r,j)] W[(r,j), s]`` for ``W`` (n, G)."""
    return np.einsum("sirj,rjs->sir", A.reshape(G, N, G, N), W.reshape(G, N, G))


def _into(A: FloatArray, w: FloatArray, G: int, N: int) -> FloatArray:
    """``out[s, i, r] = sum_{j in r} A[(s,i), (r,j)] w[(r,j)]`` for ``w`` (n,)."""
    return np.einsum("sirj,rj->sir", A.reshape(G, N, G, N), w.reshape(G, N))


def _blockcol(values: FloatArray, G: int, N: int) -> FloatArray:
    """``(n, G)`` matrix holding ``values[s]`` (N-vectors) in rows of s, column s."""
    out = np.zeros((G, N, G))
    idx = np.arange(G)
    out[idx, :, idx] = values.reshape(G, N)
    return out.reshape(G * N, G)


def _directly_absorbed(s: BMSystem) -> FloatArray:
    """``DAE[s,i,r] = Y_sr + A_sr L_rr Y_rr`` (exports absorbed by the direct importer)."""
    G, N = s.G, s.N
    Ydom = s.Y.reshape(G, N, G)[np.arange(G), :, np.arange(G)].ravel()   # Y_rr stacked
    W = apply_local(s.Lloc, Ydom)                                             # L_rr Y_rr
    dae = s.Y.reshape(G, N, G) + _into(s.A, W, G, N)
    dae[np.broadcast_to(_own(G, N), dae.shape)] = 0.0
    return dae


# ====================================================================== exporter / source
def exporter_source(s: BMSystem, level: str = "bilateral") -> FloatArray:
    """Exporter-perspective, source-based decomposition (METHODS.md §6).

    Per flow s -> r (N-vectors of exporting sectors):
    ``DC = (V_sB_ss)' # E_sr``, ``DVA = (V_sL_ss)' # E_sr``,
    ``DAVAX = (V_sL_ss)' # (Y_sr + A_sr L_rr Y_rr)``,
    ``REF = (V_sL_ss)' # (A_sr sum_j B_rj Y_js)``, ``VAX = DVA - REF``,
    ``REX = VAX - DAVAX``, ``DDC = DC - DVA``, ``FC = (sum_{t!=s}V_tB_ts)' # E_sr``,
    ``FVA = (sum_{t!=s}V_tB^{/s}_ts)' # E_sr``, ``FDC = FC - FVA``,
    ``PDC = DDC + FDC``, ``GVC = GEXP - DAVAX``, ``GVCB = FVA + PDC``,
    ``GVCF = REX + REF``.

    Parameters
    ----------
    s : BMSystem
    level : {"bilateral", "sector", "country"}

    Returns
    -------
    ndarray
        ``(G, N, G, 15)`` (exporter, sector, importer, term; zero for the own
        country), ``(G, N, 15)`` or ``(G, 15)``; terms in :data:`SOURCE_TERMS`
        order. The sector level is computed by its own path (matrix products
        over all partners), not by summing the bilateral array, so that the
        additivity of the exporter perspective is a real check.

    References
    ----------
    .. [1] Borin & Mancini (2019), WB PRWP 8804, §3.2-3.3 and §6 (GVC, GVCB,
       GVCF); Borin & Mancini (2023), ESR 35(4), Table 1.
    """
    G, N = s.G, s.N
    if level == "bilateral":
        E = s.ESR.reshape(G, N, G)
        refb = _into_own_importer(s.A, s.BY, G, N)          # A_sr sum_j B_rj Y_js
        refb[np.broadcast_to(_own(G, N), refb.shape)] = 0.0
        dae = _directly_absorbed(s)
        coef = lambda c: c.reshape(G, N, 1)                  # noqa: E731
    elif level in ("sector", "country"):
        E = s.ESR.sum(axis=1).reshape(G, N)
        AF_BY = s.A @ s.BY                                   # (n, G)
        own = AF_BY.reshape(G, N, G)[np.arange(G), :, np.arange(G)]          # (A BY)[s, s]
        Ad = diag_blocks(s.A, G, N)
        BYss = s.BY.reshape(G, N, G)[np.arange(G), :, np.arange(G)]
        refb = own - np.einsum("gij,gj->gi", Ad, BYss)      # sum_{r!=s} A_sr (B Y)_{r s}
        Ydom = s.Y.reshape(G, N, G)[np.arange(G), :, np.arange(G)].ravel()
        W = apply_local(s.Lloc, Ydom)
        AW = (s.A @ W).reshape(G, N) - np.einsum("gij,gj->gi", Ad, W.reshape(G, N))
        Yexp = s.Y.reshape(G, N, G).sum(axis=2) - Ydom.reshape(G, N)
        dae = Yexp + AW
        coef = lambda c: c.reshape(G, N)                     # noqa: E731
    else:
        raise ValueError(f"level must be 'bilateral', 'sector' or 'country', got {level!r}")
    dc, dva = coef(s.VBdom), coef(s.VLdom)
    fc, fva = coef(s.VBfor), coef(s.fvac)
    out = assemble_source_terms(E, dc, dva, fc, fva, refb, dae)
    _guard(out, s, "exporter/source terms")
    if level == "country":
        return out.sum(axis=1)
    return out


# ====================================================================== exporter / sink
def _extracted_outputs(s: BMSystem) -> tuple[FloatArray, FloatArray]:
    """Hypothetical-extraction outputs per exporter s (columns of ``(n, G)``).

    ``Xstar[:, s] = x - B^{/s}_{.s} E_s*`` (output once s's exports are
    extracted; Los, Timmer & de Vries 2016) and
    ``Xhome[:, s] = B^{/s} Y_{.s}`` (the part of it serving s's own final
    demand), both through ``B^{/s}_{.s} = B_{.s} (I + M_s)^-1``.
    """
    G, N = s.G, s.N
    E = s.ESR.sum(axis=1).reshape(G, N, 1)
    c = np.linalg.solve(s.IM, E)[..., 0]
    Xstar = s.x[:, None] - s.apply_B(_blockcol(c, G, N))
    T = _into_own_importer(s.A, s.BY, G, N)
    T[np.broadcast_to(_own(G, N), T.shape)] = 0.0
    d = np.linalg.solve(s.IM, T.sum(axis=2)[..., None])[..., 0]     # (I+M)^-1 A^F_s. (BY)_.s
    Xhome = s.BY - s.apply_B(_blockcol(d, G, N))
    return Xstar, Xhome


def exporter_sink(s: BMSystem, level: str = "bilateral") -> FloatArray:
    """Exporter-perspective, sink-based decomposition (BM 2019 eqs. 33-39).

    Value added is recorded the **last** time it leaves the exporting country
    s. With ``x^{*s} = x - B^{/s}_{.s} E_s*`` the output of the world once s's
    exports are extracted (Los, Timmer & de Vries 2016), the part of
    ``E_sr`` that never comes back to s to be exported again is
    ``Phi_sr = Y_sr + A_sr x^{*s}_r``, and the part of it absorbed at home is
    ``Phi^s_sr = A_sr (B^{/s} Y_{.s})_r``. Then
    ``DVA = (V_sB_ss)' # Phi_sr``, ``FVA = (sum_{t!=s}V_tB_ts)' # Phi_sr``,
    ``REF = (V_sB_ss)' # Phi^s_sr``, ``VAX = DVA - REF``, ``DDC = DC - DVA``,
    ``FDC = FC - FVA``; ``DC`` and ``FC`` are those of the source approach.
    At bilateral level ``VAXIM = (V_sB_ss)' # (Y_sr + A_sr (B^{/s}(Y_{.r} -
    Y_sr))_r)`` is the domestic value added absorbed by the direct importer,
    re-processing included (``DAVAX <= VAXIM <= VAX``).

    Summed over partners and sectors the sink terms equal the source terms
    (the two approaches coincide on the whole-country perimeter).

    Returns
    -------
    ndarray
        ``(G, N, G, 10)`` (:data:`SINK_BILATERAL_TERMS`) or ``(G, N, 9)``
        (:data:`SINK_TERMS`) for ``level="sector"``.

    References
    ----------
    .. [1] Borin & Mancini (2019), WB PRWP 8804, §4.2 eqs. 33-39; icio
       (Belotti, Borin & Mancini 2021), options ``perspective(exporter)
       approach(sink)``.
    """
    G, N = s.G, s.N
    if level not in ("bilateral", "sector"):
        raise ValueError(f"level must be 'bilateral' or 'sector', got {level!r}")
    Xstar, Xhome = _extracted_outputs(s)
    own = np.broadcast_to(_own(G, N), (G, N, G))
    phi = s.Y.reshape(G, N, G) + _into_own_importer(s.A, Xstar, G, N)
    phi[own] = 0.0
    phir = _into_own_importer(s.A, Xhome, G, N)
    phir[own] = 0.0
    E = s.ESR.reshape(G, N, G)
    dc, fc = s.VBdom.reshape(G, N, 1), s.VBfor.reshape(G, N, 1)
    terms = SINK_BILATERAL_TERMS if level == "bilateral" else SINK_TERMS
    t = {k: i for i, k in enumerate(terms)}
    out = np.empty((G, N, G, len(terms)))
    out[..., t["GEXP"]] = E
    out[..., t["DC"]] = dc * E
    out[..., t["DVA"]] = dc * phi
    out[..., t["REF"]] = dc * phir
    out[..., t["VAX"]] = dc * (phi - phir)
    out[..., t["DDC"]] = dc * (E - phi)
    out[..., t["FC"]] = fc * E
    out[..., t["FVA"]] = fc * phi
    out[..., t["FDC"]] = fc * (E - phi)
    if level == "bilateral":
        out[..., t["VAXIM"]] = dc * _absorbed_by_importer(s)
    _guard(out, s, "exporter/sink terms")
    return out if level == "bilateral" else out.sum(axis=2)


def _absorbed_by_importer(s: BMSystem) -> FloatArray:
    """``Y_sr + A_sr x^{*s,(r)}_r`` with ``x^{*s,(r)} = B^{/s}(Y_{.r} - e_s Y_sr)``."""
    G, N = s.G, s.N
    Ad = diag_blocks(s.A, G, N)
    Y3 = s.Y.reshape(G, N, G)
    ABY = (s.A @ s.BY).reshape(G, N, G)                                  # (A BY)[(s,i), r]
    BY3 = s.BY.reshape(G, N, G)
    AFBY = ABY - np.einsum("sij,sjr->sir", Ad, BY3)                      # A^F_s. (BY)_.r
    d = np.linalg.solve(s.IM, AFBY + Y3)                                 # (G, N, G): d[s,:,r]
    B4 = s.full_B().reshape(G, N, G, N)
    corr = np.einsum("rasb,sbr->sra", B4, d)                            # B_rs d_sr
    del B4
    xr = BY3[np.arange(G), :, np.arange(G)][None, :, :] - corr           # (s, r, N)
    out = Y3 + np.einsum("sirj,srj->sir", s.A.reshape(G, N, G, N), xr)
    out[np.broadcast_to(_own(G, N), out.shape)] = 0.0
    return out


# ====================================================================== world perspective
def world(s: BMSystem, approach: str = "sink") -> FloatArray:
    """World-perspective decomposition at country level (the "corrected KWW").

    The domestic side (``GEXP, DC, DVA, VAX, REF, DDC``) and ``FC`` equal the
    exporter perspective at country level; only the split of ``FC`` into
    ``FVA`` and ``FDC`` changes, the double counting being judged against
    every border in the world:

    * **sink** (BM 2019 eq. 54): foreign value added is counted in s's
      exports when they are the last time it is exported by a country other
      than its origin -- all foreign content of the exports absorbed by the
      direct importer, ``(sum_{t!=s}V_tB_ts)' # (Y_sr + A_sr L_rr Y_rr)``
      (KWW's T7+T8), plus the importer's own value added that it re-exports,
      directly absorbed, ``(V_rB_rs)' # (A_sr L_rr w_r)`` with
      ``w_r = sum_{u!=r}(Y_ru + A_ru L_uu Y_uu)``. Reproduces the published
      icio values (``vectors.json`` ``icio_bm_world_sink_3x9``).
    * **source** (BM 2019 eq. 52): foreign value added counted when s's
      exports are the first time it leaves a country other than its origin,
      i.e. it came straight from its origin's domestic chain:
      ``sum_{t!=s} V_t L_tt A_ts L_ss E_s*``. **Not validated against
      published numbers** (none were found); it is checked by identities
      (``FVA + FDC = FC``, ``0 <= FVA <= exporter/source FVA``) only.

    Returns
    -------
    ndarray (G, 9)
        Terms in :data:`WORLD_TERMS` order.

    References
    ----------
    .. [1] Borin & Mancini (2019), WB PRWP 8804, §5 eqs. 52 and 54; Borin &
       Mancini (2023), ESR 35(4), §4; Koopman, Wang & Wei (2014), AER 104(2),
       eq. 36 (the decomposition being corrected).
    """
    G, N = s.G, s.N
    src = exporter_source(s, "sector")                       # (G, N, 15)
    ti = {k: i for i, k in enumerate(SOURCE_TERMS)}
    E = src[..., ti["GEXP"]]
    if approach == "sink":
        dae = _directly_absorbed(s)                          # (G, N, G)
        wv = dae.sum(axis=2).ravel()                         # directly absorbed exports
        wrex = apply_local(s.Lloc, wv)                            # L_rr w_r
        AsrW = _into(s.A, wrex, G, N)                        # (G, N, G)
        AsrW[np.broadcast_to(_own(G, N), AsrW.shape)] = 0.0
        Vmask = np.zeros((G, G * N))
        Vmask.reshape(G, G, N)[np.arange(G), np.arange(G), :] = s.v.reshape(G, N)
        VBorig = s.apply_B_left(Vmask).reshape(G, G, N)      # [r, s, i] = (V_r B_r.)_(s,i)
        own_vb = np.einsum("rsi->sir", VBorig)               # (G, N, G): [s, i, r]
        fva = s.VBfor.reshape(G, N) * dae.sum(axis=2) + (own_vb * AsrW).sum(axis=2)
    elif approach == "source":
        v_l = s.VLdom.reshape(G, N)
        q = (s.VLdom @ s.A).reshape(G, N) - np.einsum("gi,gij->gj", v_l,
                                                       diag_blocks(s.A, G, N))
        fvac = np.einsum("gi,gij->gj", q, s.Lloc)           # sum_{t!=s} V_t L_tt A_ts L_ss
        fva = fvac * E
    else:
        raise ValueError(f"approach must be 'sink' or 'source', got {approach!r}")
    out = np.empty((G, len(WORLD_TERMS)))
    for k, name in enumerate(WORLD_TERMS):
        if name not in ("FVA", "FDC"):
            out[:, k] = src[..., ti[name]].sum(axis=1)
    fva_c = fva.sum(axis=1)
    out[:, WORLD_TERMS.index("FVA")] = fva_c
    out[:, WORLD_TERMS.index("FDC")] = out[:, WORLD_TERMS.index("FC")] - fva_c
    return _guard(out, s, f"world/{approach} terms")


def assemble_source_terms(E: FloatArray, dc: FloatArray, dva: FloatArray, fc: FloatArray,
                          fva: FloatArray, refb: FloatArray, dae: FloatArray) -> FloatArray:
    """The 15 exporter/source terms from exports and per-unit coefficients (METHODS.md §6).

    ``E`` are gross exports (any shape), ``dc, dva, fc, fva`` the domestic-content,
    domestic-VA, foreign-content and foreign-VA coefficients of the exporting industries
    (broadcast against ``E``), ``refb`` the part of ``E`` whose domestic VA returns home
    and ``dae`` the part absorbed by the direct importer. Returns ``E.shape + (15,)`` in
    the order of :data:`SOURCE_TERMS`. References: Borin & Mancini (2019), WB PRWP 8804,
    Table 1; (2023), Economic Systems Research 35(4): 586-613.
    """
    out = np.empty((*E.shape, len(SOURCE_TERMS)))
    t = {k: i for i, k in enumerate(SOURCE_TERMS)}
    out[..., t["GEXP"]] = E
    out[..., t["DC"]] = dc * E
    out[..., t["DVA"]] = dva * E
    out[..., t["REF"]] = dva * refb
    out[..., t["VAX"]] = dva * (E - refb)
    out[..., t["DAVAX"]] = dva * dae
    out[..., t["REX"]] = dva * (E - refb - dae)
    out[..., t["DDC"]] = (dc - dva) * E
    out[..., t["FC"]] = fc * E
    out[..., t["FVA"]] = fva * E
    out[..., t["FDC"]] = (fc - fva) * E
    out[..., t["PDC"]] = out[..., t["DDC"]] + out[..., t["FDC"]]
    out[..., t["GVC"]] = E - out[..., t["DAVAX"]]
    out[..., t["GVCB"]] = out[..., t["FVA"]] + out[..., t["PDC"]]
    out[..., t["GVCF"]] = out[..., t["REX"]] + out[..., t["REF"]]
    return out
