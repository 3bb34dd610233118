"""Small seeded releases in each source's real download layout (names, packing, headers, codes).

``write_release(source, folder, years)`` writes a balanced panel (one table per
year, integer flows so every layout is exact) the way the release is
downloaded, and returns the path a user passes to ``silkchain import``:

==================  ===============================================================
source              what is written (returned path in bold)
==================  ===============================================================
``oecd-icio-2016``  folder of per-year zips ``ICIO2016_2018.zip`` (``ICIO2016_2018.csv``)
``oecd-icio-2018``  folder of per-year CSVs ``ICIO2018_2018.csv``
``oecd-icio-2021``  **one zip** ``ICIO2021_2018-2020.zip`` of ``ICIO2021_YYYY.csv``,
                    extended version (China split into ``CN1``/``CN2``)
``oecd-icio-2023``  **one zip** ``2018-2020.zip`` of ``YYYY.csv`` (one member saved
                    with a byte-order mark and CRLF line ends)
``oecd-icio-2025``  **one zip** ``2018-2020_SML.zip`` of ``YYYY_SML.csv`` (2025
                    edition industry codes ``A01`` .. ``C24A`` .. ``T``)
``wiod-2013``       folder of ``wiotYY_row_apr12.xlsx`` (sheet ``WIOT_YY``)
``wiod-2016``       **one zip** ``WIOTS_in_EXCEL.zip`` of ``WIOTYYYY_Nov16_ROW.xlsx`` (the
                    release ships ``.xlsb`` workbooks, which cannot be written here)
``lrwiod``          folder of ``lrwiod_world_YYYY.xlsx`` (a sheet named by the year)
``adb-mrio``        folder of ``ADB-MRIO-YYYY_Dec2022.xlsx`` (ADB economy codes
                    ``PRC``, ``INO``, ``VIE``, ``GER``, ``RoW``)
``eora26``          folder of ``Eora26_YYYY_bp.zip`` (T, FD, VA and label files)
``figaro``          folder of ``matrix_eu-ic-io_ind-by-ind_24ed_YYYY.csv`` (ISO2 codes,
                    ``FIGW1`` rest of the world)
``exiobase``        folder of ``IOT_YYYY_ixi.zip`` (``IOT_YYYY_ixi/Z.txt``, ``Y.txt``,
                    ``x.txt``, ``factor_inputs/F.txt``; regions ISO2 and ``WA`` .. ``WM``)
==================  ===============================================================

Each fixture holds Belt and Road members under the source's own codes (China,
Indonesia, Kazakhstan, Pakistan, Viet Nam, Russia, Turkey as the source covers
them), one or two non-members and a rest of the world, and a handful of the
release's own sectors including textiles and electronics (a subset of sectors
is valid for every reader). Layouts follow the releases' documentation (see
``docs/readers.md``); none of these fixtures is a copy of a real file.

Run ``python tests/data/releases.py FOLDER`` to write them all.
"""

from __future__ import annotations

import io
import sys
import zipfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

SOURCES: tuple[str, ...] = (
    "oecd-icio-2016", "oecd-icio-2018", "oecd-icio-2021", "oecd-icio-2023", "oecd-icio-2025",
    "wiod-2013", "wiod-2016", "lrwiod", "adb-mrio", "eora26", "figaro", "exiobase",
)

#: Dataset name under which ``silkchain import`` stores each fixture.
DATASET: dict[str, str] = {
    "oecd-icio-2016": "oecd-icio-2016", "oecd-icio-2018": "oecd-icio-2018",
    "oecd-icio-2021": "oecd-icio-2021", "oecd-icio-2023": "oecd-icio-2023",
    "oecd-icio-2025": "oecd-icio-2025", "wiod-2013": "wiod-2013", "wiod-2016": "wiod-2016",
    "lrwiod": "lrwiod", "adb-mrio": "adb-mrio", "eora26": "eora26", "figaro": "figaro-2024",
    "exiobase": "exiobase3-ixi",
}


def _num(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else repr(float(v))


def system(G: int, N: int, K: int, M: int, seed: int) -> dict[str, np.ndarray]:
    """A balanced integer table: ``Z (n, n)``, ``Y (n, G*K)`` destination-major, ``V (M, n)``."""
    rng = np.random.default_rng(seed)
    n = G * N
    Z = rng.integers(0, 11, (n, n)).astype(float)
    Yc = rng.integers(100, 301, (n, G)).astype(float)
    Y = np.zeros((n, G, K))
    second = np.floor(Yc / 4) if K > 1 else 0.0
    Y[:, :, 0] = Yc - second
    if K > 1:
        Y[:, :, 1] = second
    Y = Y.reshape(n, G * K)
    x = Z.sum(1) + Y.sum(1)
    va = x - Z.sum(0)
    V = np.zeros((M, n))
    if M == 1:
        V[0] = va
    else:
        V[0] = np.floor(va / 10)
        V[1] = va - V[0]
    return {"Z": Z, "Y": Y, "x": x, "V": V}


def _csv(rows: Sequence[Sequence[object]], *, bom: bool = False, crlf: bool = False) -> bytes:
    end = "\r\n" if crlf else "\n"
    text = end.join(",".join(str(c) for c in r) for r in rows) + end
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")


def _zip(path: Path, members: dict[str, bytes | str]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def _xlsx(path: Path, grid: list[list], sheet: str) -> Path:
    pd.DataFrame(grid).to_excel(path, header=False, index=False, sheet_name=sheet)
    return path


# ---------------------------------------------------------------------------- OECD ICIO
_OECD = {  # sectors (agriculture, textiles, electronics, trade, business services), layout
    "2016": (["C01T05", "C17T19", "C30T33X", "C50T52", "C71"],
             ["HC", "NPISH", "GGFC", "GFCF", "INVNT", "DIRP"], ["TAXSUB", "VALU"], "OUTPUT",
             "TOTAL"),
    "2018": (["01T03", "13T15", "26", "45T47", "69T82"],
             ["HFCE", "NPISH", "GGFC", "GFCF", "INVNT", "P33"], ["TAXSUB", "VALU"], "OUTPUT",
             "TOTAL"),
    "2021": (["D01T02", "D13T15", "D26", "D45T47", "D69T75"],
             ["HFCE", "NPISH", "GGFC", "GFCF", "INVNT", "DPABR"], ["TLS", "VA"], "OUT", "OUT"),
    "2023": (["A01_02", "C13T15", "C26", "G", "M"],
             ["HFCE", "NPISH", "GGFC", "GFCF", "INVNT", "DPABR"], ["TLS", "VA"], "OUT", "OUT"),
    "2025": (["A01", "C13T15", "C24A", "C26", "G"],
             ["HFCE", "NPISH", "GGFC", "GFCF", "INVNT", "DPABR"], ["TLS", "VA"], "OUT", "OUT"),
}
_OECD_COUNTRIES = {
    "2016": ["CHN", "IDN", "KAZ", "VNM", "DEU", "USA", "ROW"],
    "2018": ["CHN", "IDN", "KAZ", "VNM", "DEU", "USA", "ROW"],
    "2021": ["CHN", "IDN", "KAZ", "VNM", "DEU", "USA", "ROW"],
    "2023": ["CHN", "IDN", "KAZ", "PAK", "VNM", "DEU", "USA", "ROW"],
    "2025": ["CHN", "IDN", "KAZ", "PAK", "VNM", "DEU", "USA", "ROW"],
}


def oecd_rows(release: str, year: int, *, split_china: bool = False) -> list[list[str]]:
    """One ICIO year as CSV rows (header first); ``split_china``: the extended version."""
    sec, cats, va_rows, out_row, out_col = _OECD[release]
    countries = _OECD_COUNTRIES[release]
    G, N = len(countries), len(sec)
    t = system(G, N, len(cats), 2, seed=year * 10 + int(release) % 100)
    Z, Y, x, V = t["Z"], t["Y"], t["x"], t["V"]
    ind = [f"{c}_{s}" for c in countries for s in sec]
    if split_china:  # CHN rows/columns -> CN1 and CN2 halves, placed after the others
        c0 = countries.index("CHN")
        rest = [i for i in range(G * N) if i // N != c0]
        P = np.zeros((G * N + N, G * N))
        for new, old in enumerate(rest):
            P[new, old] = 1.0
        for k in range(2):
            for s in range(N):
                P[len(rest) + k * N + s, c0 * N + s] = 0.5
        ind = [ind[i] for i in rest] + [f"CN{k}_{s}" for k in (1, 2) for s in sec]
        Z, Y, x, V = P @ Z @ P.T, P @ Y, P @ x, V @ P.T
    header = ["V1", *ind, *[f"{c}_{k}" for c in countries for k in cats], out_col]
    rows = [header]
    for i, lab in enumerate(ind):
        rows.append([lab, *map(_num, Z[i]), *map(_num, Y[i]), _num(x[i])])
    zeros = ["0"] * (G * len(cats))
    for name, v in zip(va_rows, V, strict=True):
        rows.append([name, *map(_num, v), *zeros, _num(v.sum())])
    rows.append([out_row, *map(_num, x), *zeros, _num(x.sum())])
    return rows


def _oecd(release: str, folder: Path, years: Sequence[int]) -> Path:
    span = f"{min(years)}-{max(years)}"
    if release == "2016":  # per-year zips of one CSV
        for y in years:
            _zip(folder / f"ICIO2016_{y}.zip",
                 {f"ICIO2016_{y}.csv": _csv(oecd_rows(release, y))})
        return folder
    if release == "2018":
        for y in years:
            (folder / f"ICIO2018_{y}.csv").write_bytes(_csv(oecd_rows(release, y)))
        return folder
    if release == "2021":
        return _zip(folder / f"ICIO2021_{span}.zip", {
            f"ICIO2021_{y}.csv": _csv(oecd_rows(release, y, split_china=True)) for y in years})
    if release == "2023":
        return _zip(folder / f"{span}.zip", {
            f"{y}.csv": _csv(oecd_rows(release, y), bom=k == 0, crlf=k == 0)
            for k, y in enumerate(years)})
    return _zip(folder / f"{span}_SML.zip",
                {f"{y}_SML.csv": _csv(oecd_rows(release, y)) for y in years})


# ---------------------------------------------------------------------------- WIOD / ADB
def wiod_grid(countries: list[str], codes: list[str], names: list[str], fd_codes: list[str],
              out_code: str, title: str, seed: int, fd_labels: list[str] | None = None
              ) -> list[list]:
    """The WIOD sheet layout (also ADB MRIO's): four header rows, then one row per industry."""
    G, N, K = len(countries), len(codes), len(fd_codes)
    t = system(G, N, K, 2, seed)
    fd_labels = fd_labels or [f"F{k}" for k in range(K)]
    ncol = G * N + G * K + 1
    g: list[list] = [[title] + [""] * (3 + ncol), [""] * (4 + ncol)]
    g.append(["", "", "", ""] + codes * G + fd_labels * G + ["GO"])
    g.append(["", "", "", ""] + names * G + ["final demand"] * (G * K) + ["Total output"])
    g.append(["", "", "", ""] + [c for c in countries for _ in codes]
             + [c for c in countries for _ in fd_codes] + ["TOT"])
    g.append(["", "", "", ""] + [f"c{k + 1}" for k in range(N)] * G + fd_codes * G
             + [out_code])
    for i in range(G * N):
        g.append([codes[i % N], names[i % N], countries[i // N], f"r{i % N + 1}",
                  *t["Z"][i], *t["Y"][i], t["x"][i]])
    g.append(["II_fob", "Total intermediate consumption", "TOT", "r60", *t["Z"].sum(0),
              *[""] * (G * K + 1)])
    for (code, name), v in zip([("TXSP", "taxes less subsidies on products"),
                                ("VA", "Value added at basic prices")], t["V"], strict=True):
        g.append([code, name, "TOT", "r61", *v, *[""] * (G * K + 1)])
    g.append(["GO", "Output at basic prices", "TOT", "r69", *t["x"], *[""] * (G * K + 1)])
    return g


_W13 = (["AtB", "17t18", "30t33", "51", "71t74"],
        ["Agriculture, Hunting, Forestry and Fishing", "Textiles and Textile Products",
         "Electrical and Optical Equipment",
         "Wholesale Trade and Commission Trade, Except of Motor Vehicles and Motorcycles",
         "Renting of M&Eq and Other Business Activities"])
_W16 = (["A01", "C13-C15", "C26", "G46", "N"],
        ["Crop and animal production, hunting and related service activities",
         "Manufacture of textiles, wearing apparel and leather products",
         "Manufacture of computer, electronic and optical products",
         "Wholesale trade, except of motor vehicles and motorcycles",
         "Administrative and support service activities"])


def _wiod13(folder: Path, years: Sequence[int]) -> Path:
    countries = ["CHN", "IDN", "RUS", "TUR", "DEU", "USA", "RoW"]
    for y in years:
        yy = f"{y % 100:02d}"
        _xlsx(folder / f"wiot{yy}_row_apr12.xlsx",
              wiod_grid(countries, *_W13, ["c37", "c38", "c39", "c41", "c42"], "c62",
                        f"World Input-Output Table {y}", seed=y + 13), f"WIOT_{yy}")
    return folder


def _wiod16(folder: Path, years: Sequence[int]) -> Path:
    countries = ["CHN", "IDN", "RUS", "TUR", "DEU", "USA", "ROW"]
    members: dict[str, bytes | str] = {}
    for y in years:
        buf = io.BytesIO()
        pd.DataFrame(wiod_grid(countries, *_W16, ["c57", "c58", "c59", "c60", "c61"], "c62",
                               f"World Input-Output Table {y}", seed=y + 16)).to_excel(
            buf, header=False, index=False, sheet_name=str(y))
        members[f"WIOT{y}_Nov16_ROW.xlsx"] = buf.getvalue()
    return _zip(folder / "WIOTS_in_EXCEL.zip", members)


def _adb(folder: Path, years: Sequence[int]) -> Path:
    countries = ["PRC", "INO", "KAZ", "PAK", "VIE", "GER", "USA", "RoW"]
    for y in years:
        _xlsx(folder / f"ADB-MRIO-{y}_Dec2022.xlsx",
              wiod_grid(countries, *_W13, ["F1", "F2", "F3", "F4", "F5"], "ToT",
                        f"ADB Multiregional Input-Output Table {y}, current prices",
                        seed=y + 62), f"ADB MRIO {y}")
    return folder


def _lrwiod(folder: Path, years: Sequence[int]) -> Path:
    countries = ["CHN", "GRC", "ITA", "IND", "USA", "ROW"]
    sec = ["AtB", "D17t19", "D30t33", "G", "K"]
    names = ["Agriculture, Hunting, Forestry and Fishing", "Textiles, leather and footwear",
             "Electrical and optical equipment", "Wholesale and retail trade",
             "Real state, renting and business activities"]
    cats = ["Household consumption", "Government consumption", "GFCF", "Stock variation"]
    G, N, nf = len(countries), len(sec), len(countries) * len(cats)
    for y in years:
        t = system(G, N, len(cats), 6, seed=y + 99)
        nz = G * N
        blank = [""] * (4 + nz + 1 + nf + 1)
        g = [["Estrutura da Produção Mundial", *blank[1:]], ["(US$ 1.000.000)", *blank[1:]]]
        g.append(["Estrutura da Produção", "", "", "", "Intermediate consumption"]
                 + [""] * (nz - 1) + ["Total production", "Final demand"] + [""] * (nf - 1)
                 + ["Total demand"])
        g.append(["", "", "", ""] + [c if s == 0 else "" for c in countries for s in range(N)]
                 + [""] + [c if k == 0 else "" for c in countries for k in range(len(cats))]
                 + [""])
        g.append(["", "", "", ""] + sec * G + [""] + cats * G + [""])
        g.append(["Código", "Atividades", "", ""] + list(range(1, N + 1)) * G
                 + [""] * (1 + nf + 1))
        for i in range(nz):
            g.append([sec[i % N], names[i % N], countries[i // N] if i % N == 0 else "",
                      i % N + 1, *t["Z"][i], t["Z"][i].sum(), *t["Y"][i], t["x"][i]])
        g.append(["Total intermediate consumption", "", "", "", *t["Z"].sum(0),
                  *[""] * (nf + 2)])
        va_names = ["Total value added", "Taxes less subsides on products",
                    "Statistical discrepancy", "Domestic purchases by non-residents",
                    "Direct purchases abroad by residents", "Internation transport margins"]
        for name, v in zip(va_names, t["V"], strict=True):
            g.append([name, "", "", "", *v, *[""] * (nf + 2)])
        g.append(["Total gross production", "", "", "", *t["x"], *[""] * (nf + 2)])
        _xlsx(folder / f"lrwiod_world_{y}.xlsx", g, str(y))
    return folder


# ---------------------------------------------------------------------------- Eora26
_EORA_SECTORS = ["Agriculture", "Textiles and Wearing Apparel", "Electrical and Machinery",
                 "Wholesale Trade", "Finacial Intermediation and Business Activities"]
_EORA_FD = ["Household final consumption P.3h", "Non-profit institutions serving households "
            "P.3n", "Government final consumption P.3g", "Gross fixed capital formation P.51",
            "Changes in inventories P.52", "Acquisitions less disposals of valuables P.53"]
_EORA_VA = ["Compensation of employees D.1", "Taxes on production D.29",
            "Subsidies on production D.39", "Net operating surplus B.2n",
            "Net mixed income B.3n", "Consumption of fixed capital K.1"]
_EORA_NAMES = {"CHN": "China", "IDN": "Indonesia", "KAZ": "Kazakhstan", "PAK": "Pakistan",
               "VNM": "Viet Nam", "DEU": "Germany", "USA": "USA"}


def _tsv(M: np.ndarray) -> str:
    return "\n".join("\t".join(_num(v) for v in row) for row in M) + "\n"


def _eora(folder: Path, years: Sequence[int]) -> Path:
    countries = list(_EORA_NAMES)
    G, N, K = len(countries), len(_EORA_SECTORS), len(_EORA_FD)
    for y in years:
        t = system(G, N, K, 6, seed=y + 26)
        n = G * N
        T = np.zeros((n + 1, n + 1))  # last row/column: ROW statistical discrepancy
        T[:n, :n] = t["Z"]
        FD = np.zeros((n + 1, (G + 1) * K))
        FD[:n, : G * K] = t["Y"]
        VA = np.zeros((len(_EORA_VA), n + 1))
        VA[:, :n] = t["V"]
        lt = [f"{_EORA_NAMES[c]}\t{c}\tIndustries\t{s}" for c in countries for s in _EORA_SECTORS]
        lt.append("Rest of the world\tROW\tIndustries\tTOTAL")
        lf = [f"{_EORA_NAMES.get(c, 'Rest of the world')}\t{c}\tFinal Demand\t{k}"
              for c in [*countries, "ROW"] for k in _EORA_FD]
        lv = [f"Primary Inputs\t{v}" for v in _EORA_VA]
        _zip(folder / f"Eora26_{y}_bp.zip", {
            f"Eora26_{y}_bp_T.txt": _tsv(T), f"Eora26_{y}_bp_FD.txt": _tsv(FD),
            f"Eora26_{y}_bp_VA.txt": _tsv(VA), "labels_T.txt": "\n".join(lt) + "\n",
            "labels_FD.txt": "\n".join(lf) + "\n", "labels_VA.txt": "\n".join(lv) + "\n"})
    return folder


# ---------------------------------------------------------------------------- FIGARO
_FIG_SECTORS = ["A01", "C13T15", "C26", "G46", "N77"]
_FIG_FD = ["P3_S13", "P3_S14", "P3_S15", "P51G", "P5M"]
_FIG_VA = ["D21X31", "B2A3G", "D1", "D29X39", "OP_RES", "OP_NRES"]


def _figaro(folder: Path, years: Sequence[int]) -> Path:
    countries = ["CN", "ID", "TR", "RU", "DE", "US", "FIGW1"]
    G, N, K = len(countries), len(_FIG_SECTORS), len(_FIG_FD)
    for y in years:
        t = system(G, N, K, 2, seed=y + 64)
        V = np.zeros((len(_FIG_VA), G * N))
        V[:2] = t["V"]
        ind = [f"{c}_{s}" for c in countries for s in _FIG_SECTORS]
        fd = [f"{c}_{k}" for c in countries for k in _FIG_FD]
        rows: list[list] = [["rowLabels", *ind, *fd]]
        for i, lab in enumerate(ind):
            rows.append([lab, *map(_num, t["Z"][i]), *map(_num, t["Y"][i])])
        for name, v in zip(_FIG_VA, V, strict=True):
            rows.append([f"W2_{name}", *map(_num, v), *["0"] * len(fd)])
        (folder / f"matrix_eu-ic-io_ind-by-ind_24ed_{y}.csv").write_bytes(_csv(rows))
    return folder


# ---------------------------------------------------------------------------- EXIOBASE
_EXIO_SECTORS = ["Cultivation of paddy rice", "Manufacture of textiles (17)",
                 "Manufacture of office machinery and computers (30)",
                 "Wholesale trade and commission trade, except of motor vehicles and "
                 "motorcycles (51)", "Other business activities (74)"]
_EXIO_FD = ["Final consumption expenditure by households",
            "Final consumption expenditure by non-profit organisations serving households "
            "(NPISH)", "Final consumption expenditure by government",
            "Gross fixed capital formation", "Changes in inventories", "Changes in valuables",
            "Exports: Total (fob)"]
_EXIO_VA = ["Taxes less subsidies on products purchased: Total",
            "Operating surplus: Consumption of fixed capital"]


def _exio_matrix(rows: list[tuple[str, ...]], cols: list[tuple[str, str]], M: np.ndarray,
                 col_names: tuple[str, str], row_names: tuple[str, ...]) -> str:
    buf = io.StringIO()
    nlab = len(row_names)
    buf.write("\t".join([col_names[0], *[""] * (nlab - 1), *[c[0] for c in cols]]) + "\n")
    buf.write("\t".join([col_names[1], *[""] * (nlab - 1), *[c[1] for c in cols]]) + "\n")
    buf.write("\t".join(row_names) + "\n")
    for r, vals in zip(rows, M, strict=True):
        buf.write("\t".join([*r, *map(_num, vals)]) + "\n")
    return buf.getvalue()


def _exiobase(folder: Path, years: Sequence[int]) -> Path:
    regions = ["CN", "ID", "RU", "TR", "DE", "US", "WA", "WF"]
    G, N, K = len(regions), len(_EXIO_SECTORS), len(_EXIO_FD)
    for y in years:
        t = system(G, N, K, 2, seed=y + 163)
        ind = [(r, s) for r in regions for s in _EXIO_SECTORS]
        fd = [(r, k) for r in regions for k in _EXIO_FD]
        top = f"IOT_{y}_ixi"
        F = np.vstack([t["V"], np.ones((1, G * N))])
        _zip(folder / f"IOT_{y}_ixi.zip", {
            f"{top}/Z.txt": _exio_matrix(ind, ind, t["Z"], ("region", "sector"),
                                         ("region", "sector")),
            f"{top}/Y.txt": _exio_matrix(ind, fd, t["Y"], ("region", "category"),
                                         ("region", "sector")),
            f"{top}/x.txt": "region\tsector\tindout\n" + "".join(
                f"{r}\t{s}\t{_num(v)}\n" for (r, s), v in zip(ind, t["x"], strict=True)),
            f"{top}/factor_inputs/F.txt": _exio_matrix(
                [(v,) for v in [*_EXIO_VA, "Employment: Low-skilled male"]], ind, F,
                ("region", "sector"), ("stressor",))})
    return folder


# ---------------------------------------------------------------------------- entry point
def write_release(source: str, folder: Path, years: Sequence[int] = (2018, 2019, 2020)) -> Path:
    """Write ``source``'s fixture for ``years`` into ``folder``; the path to import.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     write_release("oecd-icio-2023", Path(d)).name
    '2018-2020.zip'
    """
    if source not in SOURCES:
        raise ValueError(f"unknown source {source!r}; available: {', '.join(SOURCES)}")
    years = sorted(int(y) for y in years)
    if not years:
        raise ValueError("years is empty")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    if source.startswith("oecd-icio-"):
        return _oecd(source.rsplit("-", 1)[1], folder, years)
    writer = {"wiod-2013": _wiod13, "wiod-2016": _wiod16, "lrwiod": _lrwiod, "adb-mrio": _adb,
              "eora26": _eora, "figaro": _figaro, "exiobase": _exiobase}[source]
    return writer(folder, years)


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "releases")
    for src in SOURCES:
        print(src, write_release(src, out / src))
