"""Static assets for offline pages: plotly.js from the installed package, fonts, styles.

Nothing is fetched from the network: plotly.js is read from the ``plotly`` Python
package (``plotly/package_data/plotly.min.js``), fonts are the reader's system fonts,
and figures never use geographic traces (those download map data at run time).
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

#: System font stack: no web fonts are ever requested.
FONT_FAMILY = ('system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, '
               '"Noto Sans", "Liberation Sans", sans-serif')

#: A colour-blind-safe qualitative palette (Okabe & Ito 2008) extended with greys.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#6A3D9A",
           "#000000", "#7F7F7F", "#B15928", "#1B9E77", "#8C6D31", "#393B79", "#637939")

def distinct_colours(n: int, exclude: tuple[str, ...] = ()) -> list[str]:
    """``n`` distinct colours, none in ``exclude``: the palette first, then new hues spread
    by golden-angle steps (so no colour repeats within a chart, however many traces).

    >>> c = distinct_colours(40, exclude=(PALETTE[1],))
    >>> len(set(c)) == 40, PALETTE[1] in c, c[0] == PALETTE[0]
    (True, False, True)
    """
    import colorsys

    out = [c for c in PALETTE if c not in exclude][:n]
    k = 0
    while len(out) < n:
        hue = (k * 0.618033988749895) % 1.0
        light = (0.38, 0.52, 0.30)[k % 3]
        r, g, b = colorsys.hls_to_rgb(hue, light, 0.75)
        colour = f"#{round(r * 255):02x}{round(g * 255):02x}{round(b * 255):02x}"
        if colour not in out and colour not in exclude:
            out.append(colour)
        k += 1
    return out


#: Plotly config used for every figure: no logo, no calls home, PNG download kept.
PLOTLY_CONFIG: dict[str, Any] = {"displaylogo": False, "responsive": True,
                                 "modeBarButtonsToRemove": ["sendDataToCloud"]}


@lru_cache(maxsize=1)
def plotly_js() -> str:
    """The minified plotly.js bundled with the installed ``plotly`` package.

    Raises
    ------
    ImportError
        If plotly is not installed (``pip install 'silkchain[report]'``).
    """
    try:
        from plotly.offline import get_plotlyjs
    except ImportError as err:  # pragma: no cover - depends on the environment
        raise ImportError("the report needs plotly: pip install 'silkchain[report]'") from err
    return get_plotlyjs()


def plotly_version() -> str:
    """Version of the installed plotly.js (as the Python package reports it)."""
    from plotly.offline import get_plotlyjs_version

    return str(get_plotlyjs_version())


@lru_cache(maxsize=4)
def package_text(package: str, name: str) -> str:
    """Text of a file shipped as package data (a template or stylesheet)."""
    return (resources.files(package) / name).read_text(encoding="utf-8")


def layout_defaults(height: int = 460) -> dict[str, Any]:
    """Layout settings shared by every figure (fonts, margins, colours)."""
    return {
        "font": {"family": FONT_FAMILY, "size": 13, "color": "#222"},
        "colorway": list(PALETTE),
        "height": height,
        "margin": {"l": 60, "r": 30, "t": 40, "b": 60},
        "paper_bgcolor": "white",
        "plot_bgcolor": "#fbfbfb",
        "hoverlabel": {"font": {"family": FONT_FAMILY}},
        "legend": {"bgcolor": "rgba(255,255,255,0.7)"},
    }
