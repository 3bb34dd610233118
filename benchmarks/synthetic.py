"""Seeded full-size synthetic MRIO tables for the benchmarks (OECD ICIO, Eora26, EXIOBASE shapes).

:func:`synthetic_table` builds a productive, exactly balanced table column block by
column block, so that even EXIOBASE size (n = 7987) needs only a few ``n x n`` arrays:

* input coefficients: column sums drawn from U(0.35, 0.75), 70-90 % of each column
  domestic; domestic blocks about 60 % non-zero, foreign blocks about 25 %, lognormal
  weights with a "large partner" bias (``0.02 x`` the supplier's size);
* final demand: lognormal, scaled by country size, 85 % at home, split over ``K``
  categories per destination (Dirichlet);
* output ``x = sum_k A^k y`` (a Neumann series, converged to 1e-14 relative: every
  column sum of ``A`` is below 0.75), and ``Z = A diag(x)``: rows balance exactly.

>>> t = synthetic_table(3, 4, K=2, seed=1)
>>> t.G, t.N, t.K
(3, 4, 2)
>>> bool(abs(t.Z.sum(1) + t.Y.sum(1) - t.x).max() < 1e-9 * t.x.max())
True
"""

from __future__ import annotations

import contextlib

import numpy as np

from silkchain.table import MRIOTable

#: (countries, sectors, final-demand categories) of the real releases.
SHAPES = {
    "oecd": (77, 45, 6),       # OECD ICIO 2023: 76 economies + ROW, 45 industries
    "eora26": (190, 26, 6),    # Eora26: 189 countries + ROW, 26 sectors (ROW line dropped)
    "exiobase": (49, 163, 7),  # EXIOBASE 3 ixi: 44 countries + 5 RoW regions, 163 industries
}


def synthetic_arrays(G: int, N: int, K: int = 6, seed: int = 20240601
                     ) -> tuple[np.ndarray, np.ndarray]:
    """``(Z, Y)`` of a seeded productive table; ``Y`` is destination-major ``(n, G*K)``."""
    rng = np.random.default_rng(seed)
    n = G * N
    size = rng.lognormal(0.0, 1.0, G)
    row_country = np.repeat(np.arange(G), N)
    foreign_scale = 0.02 * size[row_country]
    A = np.empty((n, n))
    for r in range(G):
        cols = slice(r * N, (r + 1) * N)
        home = row_country == r
        dens = np.where(home, 0.6, 0.25)[:, None]
        block = rng.lognormal(0.0, 1.0, (n, N))
        block *= rng.random((n, N)) < dens
        block *= np.where(home, 1.0, foreign_scale)[:, None]
        dom = np.where(home[:, None], block, 0.0)
        fgn = block - dom
        share = rng.uniform(0.7, 0.9, N)
        colsum = rng.uniform(0.35, 0.75, N)
        A[:, cols] = (dom / np.maximum(dom.sum(0), 1e-300) * share
                      + fgn / np.maximum(fgn.sum(0), 1e-300) * (1 - share)) * colsum
        del block, dom, fgn
    demand = rng.lognormal(3.0, 1.0, n) * size[row_country]
    w = rng.random((n, G)) * size[None, :]
    w[np.arange(n), row_country] = 0.0
    Yc = 0.15 * demand[:, None] * w / w.sum(1, keepdims=True)
    Yc[np.arange(n), row_country] = 0.85 * demand
    del w
    y = Yc.sum(1)
    x, term = y.copy(), y.copy()
    for _ in range(400):                     # x = sum_k A^k y; ||A||_1 < 0.75
        term = A @ term
        x += term
        if np.abs(term).max() <= 1e-15 * np.abs(x).max():
            break
    A *= x[None, :]                          # Z = A diag(x), in place
    cat = rng.dirichlet(np.ones(K), size=(n, G))
    Y = (Yc[:, :, None] * cat).reshape(n, G * K)
    return A, Y


def synthetic_table(G: int, N: int, K: int = 6, seed: int = 20240601, *,
                    countries: list[str] | None = None, year: int | None = None
                    ) -> MRIOTable:
    """A seeded synthetic :class:`MRIOTable` of ``G`` countries and ``N`` sectors."""
    Z, Y = synthetic_arrays(G, N, K, seed)
    codes = countries or [f"C{g:03d}" for g in range(G)]
    meta = {"dataset": f"synthetic {G}x{N} seed {seed}", "source": "synthetic"}
    if year is not None:
        meta["year"] = year
    return MRIOTable.from_arrays(Z, Y, codes, [f"s{k:03d}" for k in range(N)],
                                 fd_categories=[f"fd{k}" for k in range(K)], meta=meta)


# ------------------------------------------------------------------------------ measuring
class PeakRSS:
    """Peak resident memory of this process and its children, sampled by a thread.

    Worker processes (Dask) are children, so their memory counts too: the figure is
    the largest sum over the process tree seen at any sample (every 50 ms). Uses
    psutil when installed, else ``resource.getrusage`` (this process only). ``cpu`` is
    the CPU time (user + system) spent meanwhile by this process and by the children
    that ended: on a busy machine it shows the work done, whatever the wall time.

    >>> with PeakRSS() as peak:
    ...     _ = np.ones(10**6)
    >>> peak.gb > 0
    True
    """

    def __init__(self, interval: float = 0.05) -> None:
        self.interval = interval
        self.peak = 0
        self._stop = False

    def _sample(self) -> int:
        import psutil

        me = psutil.Process()
        total = me.memory_info().rss
        for child in me.children(recursive=True):
            with contextlib.suppress(psutil.Error):
                total += child.memory_info().rss
        return int(total)

    def _run(self) -> None:
        import time

        while not self._stop:
            with contextlib.suppress(Exception):  # a child vanished while being read
                self.peak = max(self.peak, self._sample())
            time.sleep(self.interval)

    @staticmethod
    def _cpu() -> float:
        import resource

        me = resource.getrusage(resource.RUSAGE_SELF)
        kids = resource.getrusage(resource.RUSAGE_CHILDREN)
        return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime

    def __enter__(self) -> PeakRSS:
        import threading

        self._cpu0 = self._cpu()

        try:
            import psutil  # noqa: F401

            self._thread: threading.Thread | None = threading.Thread(target=self._run,
                                                                      daemon=True)
            self._thread.start()
        except ImportError:
            self._thread = None
        return self

    def __exit__(self, *exc: object) -> None:
        import resource

        self._stop = True
        self.cpu = self._cpu() - self._cpu0  # CPU seconds, this process and ended children
        if self._thread is not None:
            self._thread.join()
        else:  # no psutil: the lifetime peak of this process, an upper bound
            self.peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024

    @property
    def gb(self) -> float:
        """Peak in GB (10^9 bytes)."""
        return self.peak / 1e9


def load_average() -> str:
    """The 1-, 5- and 15-minute load averages, as printed in the figures."""
    import os

    return " ".join(f"{v:.2f}" for v in os.getloadavg())


def verdict(value: float, target: float) -> str:
    """``"pass"`` or ``"MISS (x1.4)"``."""
    return "pass" if value <= target else f"MISS (x{value / target:.2f})"


# ------------------------------------------------------------------------------ OECD ICIO layout
#: The 76 economies and the rest of the world of OECD ICIO 2023 (ISO3, file order).
_COUNTRY_CODES = (
    "AUS AUT BEL CAN CHL COL CRI CZE DNK EST FIN FRA DEU GRC HUN ISL IRL ISR ITA JPN KOR LVA "
    "LTU LUX MEX NLD NZL NOR POL PRT SVK SVN ESP SWE CHE TUR GBR USA ARG BGD BLR BRA BRN BGR "
    "KHM CMR CHN CIV HRV CYP EGY HKG IND IDN JOR KAZ LAO MYS MLT MAR MMR NGA PAK PER PHL ROU "
    "RUS SAU SEN SGP ZAF TWN THA TUN UKR VNM ROW")
OECD_COUNTRIES = tuple(_COUNTRY_CODES.split())
#: The 45 industries of OECD ICIO 2021/2023 (ISIC Rev. 4 groups).
_INDUSTRY_CODES = (
    "D01T02 D03 D05T06 D07T08 D09 D10T12 D13T15 D16 D17T18 D19 D20 D21 D22 D23 D24 D25 D26 "
    "D27 D28 D29 D30 D31T33 D35 D36T39 D41T43 D45T47 D49 D50 D51 D52 D53 D55T56 D58T60 D61 "
    "D62T63 D64T66 D68 D69T75 D77T82 D84 D85 D86T88 D90T93 D94T96 D97T98")
OECD_INDUSTRIES = tuple(_INDUSTRY_CODES.split())
#: Final-demand categories of OECD ICIO 2021/2023.
OECD_FD = ("HFCE", "NPISH", "GGFC", "GFCF", "INVNT", "DPABR")


def oecd_year_arrays(seed: int) -> dict[str, np.ndarray]:
    """One OECD-size year, in US$ million with two decimals as published: Z, Y, x, V (TLS, VA)."""
    G, N, K = len(OECD_COUNTRIES), len(OECD_INDUSTRIES), len(OECD_FD)
    Z, Y = synthetic_arrays(G, N, K, seed)
    Z = np.round(Z * 100.0, 2)
    Y = np.round(Y * 100.0, 2)
    x = Z.sum(1) + Y.sum(1)
    va = x - Z.sum(0)
    tls = np.round(0.1 * va, 2)
    return {"Z": Z, "Y": Y, "x": x, "V": np.vstack([tls, va - tls])}


def write_oecd_csv(path: str, arrays: dict[str, np.ndarray]) -> None:
    """Write ``arrays`` as an OECD ICIO 2023 CSV (``V1`` corner, industries, TLS, VA, OUT)."""
    import pyarrow as pa
    import pyarrow.csv as pcsv

    ind = [f"{c}_{s}" for c in OECD_COUNTRIES for s in OECD_INDUSTRIES]
    fd = [f"{c}_{k}" for c in OECD_COUNTRIES for k in OECD_FD]
    Z, Y, x, V = arrays["Z"], arrays["Y"], arrays["x"], arrays["V"]
    zeros = np.zeros((V.shape[0] + 1, Y.shape[1]))
    body = np.vstack([np.hstack([Z, Y, x[:, None]]),
                      np.hstack([np.vstack([V, x[None, :]]), zeros,
                                 np.append(V.sum(1), x.sum())[:, None]])])
    names = ["V1", *ind, *fd, "OUT"]
    columns = [pa.array([*ind, "TLS", "VA", "OUT"])]
    columns += [pa.array(body[:, j]) for j in range(body.shape[1])]
    with open(path, "wb") as fh:
        fh.write((",".join(names) + "\n").encode())
        pcsv.write_csv(pa.table(columns, names=names), fh,
                       pcsv.WriteOptions(include_header=False, quoting_style="none"))
