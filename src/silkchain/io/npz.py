"""The ``.npz`` interchange layout (that of the bundled WIOD 2013 files).

Required keys: ``Z`` (n x n), ``Y`` (n x G*K), ``countries`` (G), ``sectors`` (N).
Optional: ``x`` (n), ``final_demand`` (K category names; ``Y`` has
``K = Y.shape[1] / G`` categories per destination country), ``year``,
``sector_names`` (N), ``sector_codes`` or ``sector_codes_isic3`` (N),
and silkchain's extensions ``V`` (M x n) with ``va_rows`` (M) and
``meta_json`` (a JSON object). When ``x`` is absent it is the row sums of Z and Y.
Files are read with ``allow_pickle=False``.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from silkchain.errors import ParserError
from silkchain.io.atomic import atomic_path
from silkchain.table import MRIOTable, XPolicy

REQUIRED = ("Z", "Y", "countries", "sectors")


def sha256_file(path: str | Path) -> str:
    """Hex sha256 of a file's bytes (recorded in every table's metadata)."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _load_arrays(path: Path) -> dict[str, np.ndarray]:
    if not path.exists():
        raise ParserError(f"{path}: no such file")
    with open(path, "rb") as fh:
        magic = fh.read(4)
    if magic != b"PK\x03\x04":
        raise ParserError(f"{path.name}: not a readable .npz archive (expected a zip file "
                          f"starting with PK\\x03\\x04, found {magic!r})")
    try:
        with np.load(path, allow_pickle=False) as data:
            return {k: data[k] for k in data.files}
    except (zipfile.BadZipFile, OSError, EOFError) as err:
        raise ParserError(f"{path.name}: not a readable .npz archive ({err})") from None
    except ValueError as err:
        raise ParserError(
            f"{path.name}: holds an array that needs pickle ({err}); store labels as "
            "numpy string arrays (dtype '<U...')"
        ) from None


def read_npz(
    path: str | Path,
    *,
    x_policy: XPolicy | None = None,
    rounding: float = 0.0,
    rtol: float = 1e-6,
    meta: dict[str, Any] | None = None,
    country_map: dict[str, str] | None = None,
) -> MRIOTable:
    """Read an ``.npz`` file in the interchange layout.

    ``country_map`` renames country codes (for example ``{"ROM": "ROU"}``); the
    file's own codes are kept in ``meta["original_country_codes"]``.

    ``x_policy`` defaults to ``"rows"`` (gross output = row totals; a stored
    ``x`` must agree within tolerance). Every layout problem is reported at
    once in a :class:`ParserError` that names the file and the key.
    """
    path = Path(path)
    arrays = _load_arrays(path)
    problems = [f"missing required key {k!r}" for k in REQUIRED if k not in arrays]
    if problems:
        raise ParserError(f"{path.name}: " + "; ".join(problems)
                          + f" (keys found: {', '.join(sorted(arrays)) or 'none'})")
    Z, Y = arrays["Z"], arrays["Y"]
    countries, sectors = arrays["countries"], arrays["sectors"]
    for key in ("Z", "Y"):
        arr = arrays[key]
        if arr.ndim != 2 or not np.issubdtype(arr.dtype, np.number):
            problems.append(f"{key!r} must be a 2-D numeric array, found {arr.ndim}-D {arr.dtype}")
    for key in ("countries", "sectors"):
        if arrays[key].ndim != 1:
            problems.append(f"{key!r} must be a 1-D array of labels, found shape "
                            f"{arrays[key].shape}")
    if problems:
        raise ParserError(f"{path.name}: " + "; ".join(problems))
    G, N = len(countries), len(sectors)
    n = G * N
    if Z.shape != (n, n):
        problems.append(f"'Z' has shape {Z.shape}, expected ({n}, {n}) for {G} countries x "
                        f"{N} sectors")
    if Y.shape[0] != n:
        problems.append(f"'Y' has {Y.shape[0]} rows, expected {n}")
    if G and Y.shape[1] % G:
        problems.append(f"'Y' has {Y.shape[1]} columns, not a multiple of {G} countries")
    K = Y.shape[1] // G if G else 0
    fd = arrays.get("final_demand")
    if fd is not None and len(fd) != K:
        problems.append(f"'final_demand' has {len(fd)} names, expected K = {K} "
                        f"(Y has {Y.shape[1]} columns for {G} countries)")
    if "x" in arrays and arrays["x"].shape != (n,):
        problems.append(f"'x' has shape {arrays['x'].shape}, expected ({n},)")
    if problems:
        raise ParserError(f"{path.name}: " + "; ".join(problems))
    info: dict[str, Any] = {}
    if "meta_json" in arrays:
        try:
            info.update(json.loads(str(arrays["meta_json"])))
        except json.JSONDecodeError as err:
            raise ParserError(f"{path.name}: 'meta_json' is not valid JSON ({err})") from None
    if "year" in arrays:
        info["year"] = int(arrays["year"])
    info.update(meta or {})
    info.setdefault("source", "npz")
    info["path"] = str(path)
    info["sha256"] = sha256_file(path)
    codes = arrays.get("sector_codes", arrays.get("sector_codes_isic3"))
    if country_map:
        info["original_country_codes"] = ",".join(str(c) for c in countries)
        countries = np.array([country_map.get(str(c), str(c)) for c in countries])
    policy: XPolicy = x_policy or info.pop("x_policy", None) or "rows"
    info.pop("va_policy", None)
    return MRIOTable.from_arrays(
        Z, Y, countries, sectors,
        x=arrays.get("x"), V=arrays.get("V"),
        fd_categories=fd if fd is not None else [f"FD{k + 1}" for k in range(K)],
        va_rows=arrays.get("va_rows"),
        sector_names=arrays.get("sector_names"), sector_codes=codes,
        meta=info, x_policy=policy, rounding=float(info.pop("rounding", rounding)),
        rtol=rtol,
    )


def _jsonable(value: Any) -> bool:
    """Scalars, and lists/dicts of them (aggregation metadata such as ``regions``)."""
    if isinstance(value, (str, int, float, bool)) or value is None:
        return True
    if isinstance(value, (list, tuple)):
        return all(_jsonable(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _jsonable(v) for k, v in value.items())
    return False


def write_npz(table: MRIOTable, path: str | Path) -> Path:
    """Write ``table`` in the interchange layout, atomically (temporary file, then rename).

    The metadata kept are JSON values (scalars, lists and mappings of them, such as
    the ``regions``, ``regions_absent`` and ``sector_groups`` of an aggregation);
    ``year`` is written when the table has one.
    """
    path = Path(path)
    lab = table.labels
    meta = {k: v for k, v in table.meta.items()
            if k not in ("path", "sha256") and _jsonable(v)}
    meta["rounding"] = table.rounding
    arrays: dict[str, np.ndarray] = {
        "Z": np.asarray(table.Z), "Y": np.asarray(table.Y), "x": np.asarray(table.x),
        "countries": np.array(lab.countries), "sectors": np.array(lab.sectors),
        "final_demand": np.array(lab.fd_categories),
        "sector_names": np.array(lab.sector_names),
        "V": np.asarray(table.V), "va_rows": np.array(lab.va_rows),
        "meta_json": np.array(json.dumps(meta, sort_keys=True)),
    }
    if lab.sector_codes:
        arrays["sector_codes"] = np.array(lab.sector_codes)
    if table.meta.get("year") is not None:
        arrays["year"] = np.array(int(table.meta["year"]))
    with atomic_path(path, suffix=".npz") as tmp, open(tmp, "wb") as fh:
        np.savez_compressed(fh, **arrays)
    return path
