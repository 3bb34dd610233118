"""Answer 5 -- the value-added trade network: centrality, hubs and communities over time.

Nodes are the table's countries; a directed edge ``s -> r`` carries
``VAX_sr``, the value added of ``s`` absorbed in the final demand of ``r``
(Johnson & Noguera 2012; METHODS.md §3), the off-diagonal of
:func:`silkchain.bri.core.va_origin_by_absorber`. Per country and year
(networkx):

=====================  =========================================================
``out_strength``       value-added exports (sum of outgoing weights)
``in_strength``        value-added imports
``pagerank``           weighted PageRank (damping 0.85), sums to 1
``hub``/``authority``  weighted HITS scores (Kleinberg 1999), each sums to 1
``betweenness``        weighted betweenness with distance ``1 / share of world
                       VA trade`` (strong links are short), normalised
``community``          Louvain community (Blondel et al. 2008) on the
                       undirected network ``VAX_sr + VAX_rs``, seed 0;
                       labels are per year
``same_community``     1 when the country is in the hub's (China's) community
=====================  =========================================================

The edges themselves are rows with ``partner`` = destination and measure
``vax`` (for the chart). The rest-of-world aggregate is a node like any other:
it stands for every hidden country together, so its centrality is not that
of any one country.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from silkchain.bri import common
from silkchain.groups import Group
from silkchain.measures.tidy import TOTAL
from silkchain.table import MRIOTable


def vax_matrix(table: MRIOTable) -> np.ndarray:
    """``(G, G)`` bilateral value-added exports ``VAX_sr`` (zero diagonal)."""
    VBY = common.absorbed(table).copy()
    np.fill_diagonal(VBY, 0.0)
    return VBY


def network_measures(W: np.ndarray, labels: list[str], hub: str | None = None,
                     seed: int = 0) -> pd.DataFrame:
    """Centrality, HITS, betweenness and communities of the weighted digraph ``W``.

    Parameters
    ----------
    W : ndarray, shape (G, G)
        Non-negative weights, ``W[s, r]`` on edge ``s -> r``.
    labels : list of str
        Node names.
    hub : str, optional
        Node whose community is flagged in ``same_community``.

    Returns
    -------
    DataFrame
        Index ``labels``; columns as in the module docstring.

    References
    ----------
    .. [1] Page, Brin, Motwani & Winograd (1999), Stanford InfoLab 1999-66.
    .. [2] Kleinberg (1999), J. ACM 46(5): 604-632 (HITS).
    .. [3] Brandes (2001), J. Math. Sociology 25(2): 163-177 (betweenness).
    .. [4] Blondel, Guillaume, Lambiotte & Lefebvre (2008), J. Stat. Mech. P10008.

    >>> W = np.array([[0, 5, 1], [4, 0, 1], [1, 1, 0.]])
    >>> m = network_measures(W, ["A", "B", "C"], hub="A")
    >>> round(float(m["pagerank"].sum()), 6), int(m.loc["B", "same_community"])
    (1.0, 1)
    """
    import networkx as nx

    W = np.asarray(W, dtype=float)
    D = nx.DiGraph()
    D.add_nodes_from(labels)
    total = W.sum()
    for s, r in zip(*np.nonzero(W > 0), strict=True):
        D.add_edge(labels[s], labels[r], weight=float(W[s, r]),
                   distance=float(total / W[s, r]))
    out = pd.DataFrame(index=labels)
    out["out_strength"] = W.sum(axis=1)
    out["in_strength"] = W.sum(axis=0)
    out["pagerank"] = pd.Series(nx.pagerank(D, weight="weight", tol=1e-12, max_iter=1000))
    try:
        hubs, auth = nx.hits(D, max_iter=10_000, tol=1e-12, normalized=True)
    except nx.PowerIterationFailedConvergence:  # pragma: no cover - dense positive graphs converge
        hubs, auth = dict.fromkeys(labels, np.nan), dict.fromkeys(labels, np.nan)
    out["hub"] = pd.Series(hubs)
    out["authority"] = pd.Series(auth)
    out["betweenness"] = pd.Series(nx.betweenness_centrality(D, weight="distance",
                                                              normalized=True))
    U = nx.Graph()
    U.add_nodes_from(labels)
    S = W + W.T
    for s, r in zip(*np.nonzero(np.triu(S, 1) > 0), strict=True):
        U.add_edge(labels[s], labels[r], weight=float(S[s, r]))
    communities = nx.community.louvain_communities(U, weight="weight", seed=seed)
    ordered = sorted((sorted(c) for c in communities), key=lambda c: (-len(c), c[0]))
    label_of = {n: k for k, c in enumerate(ordered) for n in c}
    out["community"] = [float(label_of[n]) for n in labels]
    if hub is not None and hub in label_of:
        out["same_community"] = [float(label_of[n] == label_of[hub]) for n in labels]
    return out


def va_network_year(table: MRIOTable, hub: str = "CHN", seed: int = 0) -> pd.DataFrame:
    """Network measures and edges on one table."""
    labels = list(table.labels.countries)
    W = vax_matrix(table)
    nodes = common.long_from_wide(network_measures(W, labels, hub=hub, seed=seed))
    s, r = np.nonzero(W > 0)
    edges = pd.DataFrame({"country": [labels[i] for i in s], "sector": TOTAL,
                          "partner": [labels[j] for j in r], "measure": "vax",
                          "value": W[s, r]})
    return pd.concat([nodes, edges, common.output_share_rows(table)], ignore_index=True)


def va_network(source: common.Source, group: str | Group | None = "bri64",
               years: Any = None, scheduler: Any = None, *, hub: str = "CHN", seed: int = 0,
               progress: Any = False, cache: Any = True) -> pd.DataFrame:
    """The value-added trade network of every year: centrality, hubs and communities.

    Parameters
    ----------
    source, group, years, scheduler, progress, cache
        As in :func:`silkchain.bri.value_capture.value_capture`; the group
        only marks members (coverage in ``attrs``).
    hub : str
        Country whose community is flagged (``same_community``).
    seed : int
        Seed of the Louvain algorithm (results are deterministic for a seed).

    Returns
    -------
    DataFrame
        ``year, country, sector, partner, measure, value``; node measures have
        an empty ``partner``, edges (measure ``vax``) the destination. Trend
        rows: ``pagerank_change``, ``out_strength_cagr``. ``attrs["notes"]``
        lists the top five PageRank hubs of the last year.

    References
    ----------
    .. [1] Johnson & Noguera (2012), JIE 86(2): 224-236 (VAX).
    .. [2] Cerina, Zhu, Chessa & Riccaboni (2015), "World Input-Output
       Network", PLoS ONE 10(7): e0134025 (network analysis of WIOD).

    Examples
    --------
    >>> f = va_network("wiod2013:2011")
    >>> pr = f.query("measure == 'pagerank'").value
    >>> round(float(pr.sum()), 6)
    1.0
    """
    g = common.resolve_group(group)
    frame = common.compute(source, va_network_year, name="bri-va-network",
                           params={"hub": hub, "seed": seed}, years=years,
                           scheduler=scheduler, progress=progress, cache=cache)
    frame = common.add_trends(frame, growth=["out_strength"], change=["pagerank"])
    last = frame["year"].max()
    pr = frame[(frame["year"] == last) & (frame["measure"] == "pagerank")]
    top = pr.sort_values("value", ascending=False)["country"].head(5).tolist()
    return common.finish(
        frame, "va_network", g, source=source, notes={"top_pagerank": ", ".join(top)},
        caveats=["Community labels are numbered per year (largest first) and are not "
                 "comparable across years; compare memberships, e.g. same_community.",
                 "The rest-of-world node stands for all hidden countries together."])


def chart_data(frame: pd.DataFrame, year: int | None = None,
               min_share: float = 0.002) -> dict[str, Any]:
    """Nodes (PageRank, community) and the edges above ``min_share`` of world VA trade."""
    year = year or int(frame["year"].max())
    sub = frame[frame["year"] == year]
    nodes = sub[(sub["partner"] == TOTAL) & sub["measure"].isin(["pagerank", "community"])]
    nodes = nodes.pivot_table(index="country", columns="measure", values="value")
    edges = sub[sub["measure"] == "vax"]
    keep = edges[edges["value"] >= min_share * edges["value"].sum()]
    inside = set((frame.attrs.get("coverage") or {}).get("inside", []))
    return {"kind": "network", "title": f"value-added trade network, {year}",
            "nodes": [{"id": c, "pagerank": float(r["pagerank"]),
                       "community": int(r["community"]), "member": c in inside}
                      for c, r in nodes.iterrows()],
            "edges": [{"source": r.country, "target": r.partner, "weight": float(r.value)}
                      for r in keep.itertuples()],
            "caveats": frame.attrs.get("caveats", [])}
