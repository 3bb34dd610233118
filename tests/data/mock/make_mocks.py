"""Write one small toy system in every layout silkchain reads (the mock-file pattern).

Run from the repository root: ``python tests/data/mock/make_mocks.py``. The
toy system (3 countries x 4 sectors, integer flows) is defined in
:func:`toy`; each writer spreads its final demand over the release's own
categories and its value added over the release's own rows, so that every
reader must give back the same ``Z``, final demand by destination ``Yc``,
gross output ``x`` and value added. The files are tiny and committed.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).parent
COUNTRIES = ["CHN", "DEU", "USA"]
G, N = 3, 4


def toy() -> dict[str, np.ndarray]:
    """``Z (12x12)``, ``Yc (12x3)`` by destination, ``x`` and ``va``, all integers."""
    rng = np.random.default_rng(20240601)
    Z = rng.integers(0, 21, (G * N, G * N)).astype(float)
    Yc = rng.integers(100, 301, (G * N, G)).astype(float)
    x = Z.sum(1) + Yc.sum(1)
    va = x - Z.sum(0)
    return {"Z": Z, "Yc": Yc, "x": x, "va": va}


def spread_fd(Yc: np.ndarray, K: int) -> np.ndarray:
    """Destination-major ``(n, G*K)``: category 0 gets the rest, category 1 a quarter."""
    Y = np.zeros((Yc.shape[0], G, K))
    second = np.floor(Yc / 4) if K > 1 else 0.0
    Y[:, :, 0] = Yc - second
    if K > 1:
        Y[:, :, 1] = second
    return Y.reshape(Yc.shape[0], G * K)


def spread_va(va: np.ndarray, M: int) -> np.ndarray:
    """``(M, n)``: row 0 a tenth (taxes), row 1 the rest, other rows zero."""
    V = np.zeros((M, va.size))
    if M == 1:
        V[0] = va
        return V
    V[0] = np.floor(va / 10)
    V[1] = va - V[0]
    return V


def _num(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else repr(float(v))


def _write_csv(path: Path, rows: list[list[object]]) -> None:
    path.write_text("\n".join(",".join(str(c) for c in r) for r in rows) + "\n")


def _zip(path: Path, members: dict[str, str | bytes]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)


# ---------------------------------------------------------------------------- generic
def write_generic(t: dict[str, np.ndarray]) -> None:
    sec = ["s1", "s2", "s3", "s4"]
    cats = ["HH", "GOV"]
    Y = spread_fd(t["Yc"], 2)
    V = spread_va(t["va"], 2)
    head1 = ["country", "sector"] + [c for c in COUNTRIES for _ in sec] + \
        [c for c in COUNTRIES for _ in cats] + ["TOTAL"]
    head2 = ["", ""] + sec * G + cats * G + ["x"]
    rows: list[list[object]] = [head1, head2]
    for i in range(G * N):
        rows.append([COUNTRIES[i // N], sec[i % N], *map(_num, t["Z"][i]), *map(_num, Y[i]),
                     _num(t["x"][i])])
    for name, v in zip(["taxes", "labour_capital"], V, strict=True):
        rows.append(["VA", name, *map(_num, v), *[""] * (G * 2 + 1)])
    _write_csv(HERE / "generic_toy_2020.csv", rows)
    pd.DataFrame(rows).to_excel(HERE / "generic_toy_2020.xlsx", header=False, index=False)


# ---------------------------------------------------------------------------- OECD ICIO
OECD = {
    "2023": (["D01T02", "D05T06", "D10T12", "D45T47"],
             ["HFCE", "NPISH", "GGFC", "GFCF", "INVNT", "DPABR"], ["TLS", "VA"], "OUT", "OUT"),
    "2021": (["D01T02", "D05T06", "D10T12", "D45T47"],
             ["HFCE", "NPISH", "GGFC", "GFCF", "INVNT", "DPABR"], ["TLS", "VA"], "OUT", "OUT"),
    "2018": (["01T03", "05T06", "10T12", "45T47"],
             ["HFCE", "NPISH", "GGFC", "GFCF", "INVNT", "P33"], ["TAXSUB", "VALU"], "OUTPUT",
             "TOTAL"),
    "2016": (["C01T05", "C10T14", "C15T16", "C50T52"],
             ["HC", "NPISH", "GGFC", "GFCF", "INVNT", "DIRP"], ["TAXSUB", "VALU"], "OUTPUT",
             "TOTAL"),
}


def oecd_rows(t: dict[str, np.ndarray], release: str, split_china: bool = False) -> list[list]:
    sec, cats, va_rows, out_row, out_col = OECD[release]
    Y = spread_fd(t["Yc"], len(cats))
    V = spread_va(t["va"], 2)
    Z, x = t["Z"], t["x"]
    ind = [f"{c}_{s}" for c in COUNTRIES for s in sec]
    if split_china:  # CHN -> CN1, CN2 (halves of every row and column), appended at the end
        order = list(range(N, G * N)) + list(range(N))
        halves = [f"CN{k}_{s}" for k in (1, 2) for s in sec]
        ind = [ind[i] for i in order[: (G - 1) * N]] + halves
        P = np.zeros((G * N + N, G * N))  # new rows from old: rest, then CN1 = CN2 = CHN/2
        for new, old in enumerate(order[: (G - 1) * N]):
            P[new, old] = 1.0
        for k in range(2):
            for s in range(N):
                P[(G - 1) * N + k * N + s, s] = 0.5
        Z, Yr, x, V = P @ Z @ P.T, P @ Y, P @ x, V @ P.T
    else:
        Yr = Y
    header = ["V1", *ind, *[f"{c}_{k}" for c in COUNTRIES for k in cats], out_col]
    rows: list[list] = [header]
    for i, lab in enumerate(ind):
        rows.append([lab, *map(_num, Z[i]), *map(_num, Yr[i]), _num(x[i])])
    for name, v in zip(va_rows, V, strict=True):
        rows.append([name, *map(_num, v), *["0"] * (G * len(cats)), _num(v.sum())])
    rows.append([out_row, *map(_num, x), *["0"] * (G * len(cats)), _num(x.sum())])
    return rows


def write_oecd(t: dict[str, np.ndarray]) -> None:
    for release, year in (("2023", 2020), ("2018", 2015), ("2016", 2011)):
        _write_csv(HERE / f"ICIO{release}_{year}.csv", oecd_rows(t, release))
    text = "\n".join(",".join(map(str, r)) for r in oecd_rows(t, "2023")) + "\n"
    _zip(HERE / "ICIO2023_2019.zip", {"ICIO2023_2019.csv": text})
    _write_csv(HERE / "ICIO2021_2018.csv", oecd_rows(t, "2021", split_china=True))


# ---------------------------------------------------------------------------- WIOD / ADB
def wiod_grid(t: dict[str, np.ndarray], codes: list[str], fd_codes: list[str], out_code: str,
              va_rows: list[tuple[str, str]], title: str) -> list[list]:
    K = len(fd_codes)
    Y = spread_fd(t["Yc"], K)
    V = spread_va(t["va"], len(va_rows))
    ncol = G * N + G * K + 1
    g: list[list] = [[title] + [""] * (3 + ncol), [""] * (4 + ncol)]
    g.append(["", "", "", ""] + codes * G + [f"F{k}" for k in range(K)] * G + ["GO"])
    g.append(["", "", "", ""] + [f"name {c}" for c in codes] * G + ["fd"] * (G * K)
             + ["Total output"])
    g.append(["", "", "", ""] + [c for c in COUNTRIES for _ in codes]
             + [c for c in COUNTRIES for _ in fd_codes] + ["TOT"])
    g.append(["", "", "", ""] + [f"c{k + 1}" for k in range(N)] * G + fd_codes * G
             + [out_code])
    for i in range(G * N):
        g.append([codes[i % N], f"name {codes[i % N]}", COUNTRIES[i // N], f"r{i % N + 1}",
                  *t["Z"][i], *Y[i], t["x"][i]])
    g.append(["II_fob", "Total intermediate consumption", "TOT", "r60", *t["Z"].sum(0),
              *[""] * (G * K + 1)])
    for (code, name), v in zip(va_rows, V, strict=True):
        g.append([code, name, "TOT", "r61", *v, *[""] * (G * K + 1)])
    g.append(["GO", "Output at basic prices", "TOT", "r69", *t["x"], *[""] * (G * K + 1)])
    return g


def _xlsx(path: Path, grid: list[list], sheet: str) -> None:
    pd.DataFrame(grid).to_excel(path, header=False, index=False, sheet_name=sheet)


def write_wiod(t: dict[str, np.ndarray]) -> None:
    va = [("TXSP", "taxes less subsidies on products"), ("VA", "Value added at basic prices")]
    _xlsx(HERE / "WIOT2014_Nov16_ROW.xlsx",
          wiod_grid(t, ["A01", "B", "C10-C12", "G46"], ["c57", "c58", "c59", "c60", "c61"],
                    "c62", va, "World Input-Output Table 2014"), "2014")
    _xlsx(HERE / "wiot11_row_apr12.xlsx",
          wiod_grid(t, ["AtB", "C", "15t16", "51"], ["c37", "c38", "c39", "c41", "c42"],
                    "c62", va, "World Input-Output Table 2011"), "WIOT_11")
    _xlsx(HERE / "ADB-MRIO-2020_toy.xlsx",
          wiod_grid(t, ["AtB", "C", "15t16", "51"], ["F1", "F2", "F3", "F4", "F5"], "ToT", va,
                    "ADB MRIO 2020, current prices"), "ADB MRIO 2020")
    _xlsx(HERE / "ADB-MRIO-2017-at-constant-2010-prices_toy.xlsx",
          wiod_grid(t, ["AtB", "C", "15t16", "51"], ["F1", "F2", "F3", "F4", "F5"], "ToT", va,
                    "ADB MRIO 2017, at constant 2010 prices"), "ADB MRIO 2017")
    write_long_run(t)


def write_long_run(t: dict[str, np.ndarray]) -> None:
    sec = ["AtB", "C", "D15t16", "G"]
    cats = ["Household consumption", "Government consumption", "GFCF", "Stock variation"]
    Y = spread_fd(t["Yc"], 4)
    V = spread_va(t["va"], 6)
    nz, nf = G * N, G * 4
    width = 4 + nz + 1 + nf + 1
    blank = [""] * width
    g = [["Estrutura da Produção Mundial", *blank[1:]], ["(US$ 1.000.000)", *blank[1:]]]
    r2 = ["Estrutura da Produção", "", "", "", "Intermediate consumption"] + [""] * (nz - 1) \
        + ["Total production", "Final demand"] + [""] * (nf - 1) + ["Total demand"]
    r3 = ["", "", "", ""] + [c if s == 0 else "" for c in COUNTRIES for s in range(N)] + [""] \
        + [c if k == 0 else "" for c in COUNTRIES for k in range(4)] + [""]
    r4 = ["", "", "", ""] + sec * G + [""] + cats * G + [""]
    r5 = ["Código", "Atividades", "", ""] + list(range(1, N + 1)) * G + [""] * (1 + nf + 1)
    g += [r2, r3, r4, r5]
    for i in range(nz):
        g.append([sec[i % N], f"name {sec[i % N]}", COUNTRIES[i // N] if i % N == 0 else "",
                  i % N + 1, *t["Z"][i], t["Z"][i].sum(), *Y[i], t["x"][i]])
    g.append(["Total intermediate consumption", "", "", "", *t["Z"].sum(0), *[""] * (nf + 2)])
    names = ["Total value added", "Taxes less subsides on products", "Statistical discrepancy",
             "Domestic purchases by non-residents", "Direct purchases abroad by residents",
             "Internation transport margins"]
    for name, v in zip(names, V, strict=True):
        g.append([name, "", "", "", *v, *[""] * (nf + 2)])
    g.append(["Total gross production", "", "", "", *t["x"], *[""] * (nf + 2)])
    _xlsx(HERE / "lrwiod_toy_2000.xlsx", g, "2000")


# ---------------------------------------------------------------------------- Eora26
EORA_SECTORS = ["Agriculture", "Mining and Quarrying", "Food & Beverages", "Wholesale Trade"]
EORA_FD = ["Household final consumption P.3h", "Non-profit institutions serving households "
           "P.3n", "Government final consumption P.3g", "Gross fixed capital formation P.51",
           "Changes in inventories P.52", "Acquisitions less disposals of valuables P.53"]
EORA_VA = ["Compensation of employees D.1", "Taxes on production D.29",
           "Subsidies on production D.39", "Net operating surplus B.2n",
           "Net mixed income B.3n", "Consumption of fixed capital K.1"]
NAMES = {"CHN": "China", "DEU": "Germany", "USA": "USA", "ROW": "Rest of the world"}


def _tsv(M: np.ndarray) -> str:
    return "\n".join("\t".join(_num(v) for v in row) for row in M) + "\n"


def write_eora(t: dict[str, np.ndarray]) -> None:
    Y = spread_fd(t["Yc"], 6)
    V = spread_va(t["va"], 6)
    n = G * N
    T = np.zeros((n + 1, n + 1))
    T[:n, :n] = t["Z"]
    FD = np.zeros((n + 1, G * 6 + 6))
    FD[:n, : G * 6] = Y
    VA = np.zeros((6, n + 1))
    VA[:, :n] = V
    lt = [f"{NAMES[c]}\t{c}\tIndustries\t{s}" for c in COUNTRIES for s in EORA_SECTORS]
    lt.append("Rest of the world\tROW\tIndustries\tTOTAL")
    lf = [f"{NAMES[c]}\t{c}\tFinal Demand\t{k}" for c in [*COUNTRIES, "ROW"] for k in EORA_FD]
    lv = [f"Primary Inputs\t{v}" for v in EORA_VA]
    _zip(HERE / "Eora26_2015_bp.zip", {
        "Eora26_2015_bp_T.txt": _tsv(T), "Eora26_2015_bp_FD.txt": _tsv(FD),
        "Eora26_2015_bp_VA.txt": _tsv(VA), "labels_T.txt": "\n".join(lt) + "\n",
        "labels_FD.txt": "\n".join(lf) + "\n", "labels_VA.txt": "\n".join(lv) + "\n"})


# ---------------------------------------------------------------------------- FIGARO
FIG_SECTORS = ["A01", "B", "C10T12", "G46"]
FIG_FD = ["P3_S13", "P3_S14", "P3_S15", "P51G", "P5M"]
FIG_VA = ["D21X31", "B2A3G", "D1", "D29X39", "OP_RES", "OP_NRES"]
ISO2 = {"CHN": "CN", "DEU": "DE", "USA": "US"}


def write_figaro(t: dict[str, np.ndarray]) -> None:
    Y = spread_fd(t["Yc"], 5)
    V = spread_va(t["va"], 6)
    ind = [f"{ISO2[c]}_{s}" for c in COUNTRIES for s in FIG_SECTORS]
    fd = [f"{ISO2[c]}_{k}" for c in COUNTRIES for k in FIG_FD]
    rows: list[list] = [["rowLabels", *ind, *fd]]
    for i, lab in enumerate(ind):
        rows.append([lab, *map(_num, t["Z"][i]), *map(_num, Y[i])])
    for name, v in zip(FIG_VA, V, strict=True):
        rows.append([f"W2_{name}", *map(_num, v), *["0"] * len(fd)])
    _write_csv(HERE / "matrix_eu-ic-io_ind-by-ind_23ed_2020.csv", rows)
    flat = [["icsupRow", "refArea", "rowPi", "counterpartArea", "colPi", "obsValue"]]
    labels_r = [*ind, *[f"W2_{v}" for v in FIG_VA]]
    values = np.vstack([np.hstack([t["Z"], Y]), np.hstack([V, np.zeros((6, len(fd)))])])
    for i, r in enumerate(labels_r):
        for j, c in enumerate([*ind, *fd]):
            ra, rp = r.split("_", 1)
            ca, cp = c.split("_", 1)
            flat.append([r, ra, rp, ca, cp, _num(values[i, j])])
    _write_csv(HERE / "flatfile_eu-ic-io_ind-by-ind_23ed_2020.csv", flat)


# ---------------------------------------------------------------------------- EXIOBASE
EXIO_SECTORS = ["Cultivation of paddy rice", "Mining of coal and lignite; extraction of peat (10)",
                "Processing of dairy products",
                "Wholesale trade and commission trade, except of motor vehicles and motorcycles "
                "(51)"]
EXIO_FD = ["Final consumption expenditure by households",
           "Final consumption expenditure by non-profit organisations serving households (NPISH)",
           "Final consumption expenditure by government", "Gross fixed capital formation",
           "Changes in inventories", "Changes in valuables", "Exports: Total (fob)"]
EXIO_VA = ["Taxes less subsidies on products purchased: Total",
           "Operating surplus: Consumption of fixed capital"]


def _exio_matrix(rows: list[tuple[str, ...]], cols: list[tuple[str, ...]], M: np.ndarray,
                 col_names: tuple[str, str], row_names: tuple[str, ...]) -> str:
    buf = io.StringIO()
    nlab = len(row_names)
    buf.write("\t".join([col_names[0], *[""] * (nlab - 1), *[c[0] for c in cols]]) + "\n")
    buf.write("\t".join([col_names[1], *[""] * (nlab - 1), *[c[1] for c in cols]]) + "\n")
    buf.write("\t".join([*row_names]) + "\n")
    for r, vals in zip(rows, M, strict=True):
        buf.write("\t".join([*r, *map(_num, vals)]) + "\n")
    return buf.getvalue()


def write_exiobase(t: dict[str, np.ndarray]) -> None:
    Y = spread_fd(t["Yc"], 7)
    V = spread_va(t["va"], 2)
    ind = [(ISO2[c], s) for c in COUNTRIES for s in EXIO_SECTORS]
    fd = [(ISO2[c], k) for c in COUNTRIES for k in EXIO_FD]
    Ztxt = _exio_matrix(ind, ind, t["Z"], ("region", "sector"), ("region", "sector"))
    Ytxt = _exio_matrix(ind, fd, Y, ("region", "category"), ("region", "sector"))
    xtxt = "region\tsector\tindout\n" + "".join(
        f"{r}\t{s}\t{_num(v)}\n" for (r, s), v in zip(ind, t["x"], strict=True))
    ftxt = _exio_matrix([(v,) for v in [*EXIO_VA, "Employment: Low-skilled male"]], ind,
                        np.vstack([V, np.ones((1, G * N))]), ("region", "sector"),
                        ("stressor",))
    _zip(HERE / "IOT_2020_ixi.zip", {"IOT_2020_ixi/Z.txt": Ztxt, "IOT_2020_ixi/Y.txt": Ytxt,
                                     "IOT_2020_ixi/x.txt": xtxt,
                                     "IOT_2020_ixi/factor_inputs/F.txt": ftxt})


def main() -> None:
    t = toy()
    np.savez(HERE / "toy_expected.npz", **t)
    write_generic(t)
    write_oecd(t)
    write_wiod(t)
    write_eora(t)
    write_figaro(t)
    write_exiobase(t)


if __name__ == "__main__":
    main()
