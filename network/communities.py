"""Communities of practice suggested from the graph (issue 14): schools across zones that work on the same.

The similarity graph of schools links every two schools by the cosine of their category profiles
(``{school: {category: weight}}``, as :func:`network.similarity.school_profiles` builds them). At a
national scale (230,000 schools) that graph has 26 billion edges. A graph that keeps only each
school's *k* nearest schools is sparse but no better: a school's ten nearest are then near-copies of
its own profile, so Louvain breaks themes into fragments (on 20,000 synthetic schools, 40 planted
themes came back as 120 pieces, adjusted Rand 0.17, in 5.6 s: ``benchmarks/communities.py``).

So the graph is taken one level up. Schools are first put in **types**: the set of their ``depth``
heaviest categories (ties by code). Each type ``T`` is summarised by the sum ``s_T`` of its schools'
unit profile vectors, computed with :mod:`scipy.sparse`; then, exactly and without any n × n matrix,

* the weight between types ``A`` and ``B`` is ``s_A · s_B``, the sum of the cosines of all their
  pairs of schools, and
* the weight inside ``A`` (a self-loop) is ``(|s_A|² - |A|) / 2``, the sum over its own pairs.

This is the complete school graph with each type contracted to one node, which is what Louvain's
own aggregation step does: its modularity for a partition that keeps types whole is that of the
school graph. Each type keeps its links to its ``k`` most similar types (cosine of their mean
directions), so the graph NetworkX's Louvain works on stays sparse (a few thousand nodes). The only
approximation is that a type is never split; schools of one type share their heaviest problems.

Communities smaller than ``min_size`` schools are dropped. Each is named by its **dominant
categories**: the three with the largest summed weight over its schools, specific areas before the
PEMC's broad *ámbitos* (``amb-*``), which almost every problem falls under.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import scipy.sparse as sp

from .similarity import id_sort_key
from .taxonomy import is_ambito

__all__ = [
    "profile_types",
    "type_graph",
    "suggest_communities",
    "dominant_categories",
    "describe",
    "unjoined_schools",
]


def _ranked(profile):
    return sorted((code for code, w in (profile or {}).items() if w > 0), key=lambda c: (-profile[c], c))


def profile_types(profiles, *, depth=3):
    """Return ``{type: [schools]}``: schools grouped by the set of their `depth` heaviest categories.

    A type is a sorted tuple of category codes; schools without any positive weight are left out.
    Types and their schools are in a deterministic order (:func:`network.similarity.id_sort_key`).

    Examples
    --------
    >>> profile_types({"A": {"convivencia": 3, "lectura-escritura": 1, "lenguaje-oral": 1},
    ...                "B": {"lectura-escritura": 1, "convivencia": 2}, "C": {}}, depth=2)
    {('convivencia', 'lectura-escritura'): ['A', 'B']}
    """
    if depth < 1:
        raise ValueError("depth debe ser al menos 1")
    types = {}
    for school in sorted(profiles, key=id_sort_key):
        ranked = _ranked(profiles[school])
        if ranked:
            types.setdefault(tuple(sorted(ranked[:depth])), []).append(school)
    return {key: types[key] for key in sorted(types)}


def _type_sums(profiles, types):
    """Return ``(S, sizes, columns)``: per type, the sum of its schools' unit profile vectors."""
    columns = sorted({code for schools in types.values() for s in schools for code in profiles[s]})
    index = {code: j for j, code in enumerate(columns)}
    rows, cols, data, owner = [], [], [], []
    n = 0
    for t, schools in enumerate(types.values()):
        for school in schools:
            for code, weight in profiles[school].items():
                if weight > 0:
                    rows.append(n)
                    cols.append(index[code])
                    data.append(float(weight))
            owner.append(t)
            n += 1
    U = sp.csr_matrix((data, (rows, cols)), shape=(n, len(columns)))
    norms = np.sqrt(np.asarray(U.multiply(U).sum(axis=1)).ravel())
    U = sp.diags(1.0 / norms) @ U  # every school has a positive weight, so no zero norm
    A = sp.csr_matrix((np.ones(n), (owner, np.arange(n))), shape=(len(types), n))
    S = np.asarray((A @ U).todense())
    sizes = np.fromiter((len(s) for s in types.values()), dtype=float, count=len(types))
    return S, sizes, columns


def type_graph(profiles, *, k=10, depth=3, block=2048):
    """Return the graph of types: nodes ``0..T-1`` with ``type`` and ``schools``, weighted edges.

    Node ``t`` has a self-loop with the summed cosine of its own pairs of schools; an edge joins two
    types when one is among the `k` most similar to the other (cosine of their mean profiles, > 0),
    weighted by the summed cosine of all their pairs of schools. Computed in blocks of `block` types.

    Examples
    --------
    >>> G = type_graph({1: {"convivencia": 1}, 2: {"convivencia": 2}, 3: {"lenguaje-oral": 1}})
    >>> [(G.nodes[t]["type"], G.nodes[t]["schools"]) for t in G]
    [(('convivencia',), [1, 2]), (('lenguaje-oral',), [3])]
    >>> sorted(G.edges(data="weight"))
    [(0, 0, 1.0)]
    """
    if k < 0:
        raise ValueError("k debe ser no negativo")
    types = profile_types(profiles, depth=depth)
    G = nx.Graph()
    for t, (key, schools) in enumerate(types.items()):
        G.add_node(t, type=key, schools=schools)
    if not types:
        return G
    S, sizes, _ = _type_sums(profiles, types)
    lengths = np.linalg.norm(S, axis=1)
    inside = np.maximum((lengths**2 - sizes) / 2.0, 0.0)
    for t in np.flatnonzero(inside > 1e-12):
        G.add_edge(int(t), int(t), weight=float(inside[t]))
    directions = S / lengths[:, None]
    T = len(types)
    keep = min(k, T - 1)
    if keep <= 0:
        return G
    edges = {}
    for start in range(0, T, block):
        cosine = directions[start : start + block] @ directions.T
        rows = np.arange(cosine.shape[0])
        cosine[rows, start + rows] = -np.inf  # a type is not its own neighbour
        # Ties broken by type index (stable sort), so the graph does not depend on the block size.
        nearest = np.argsort(-cosine, axis=1, kind="stable")[:, :keep]
        for row, neighbours in enumerate(nearest):
            a = start + row
            for b in neighbours:
                if cosine[row, b] > 1e-12:
                    pair = (a, int(b)) if a < b else (int(b), a)
                    edges[pair] = None
    for a, b in sorted(edges):
        G.add_edge(a, b, weight=float(S[a] @ S[b]))
    return G


def dominant_categories(schools, profiles, *, top=3):
    """Return ``[(category, summed weight)]``: the `top` heaviest over `schools`, *ámbitos* last.

    Examples
    --------
    >>> dominant_categories(["A", "B"], {"A": {"amb-aprovechamiento": 3, "convivencia": 2},
    ...                                  "B": {"convivencia": 1, "lenguaje-oral": 1}})
    [('convivencia', 3.0), ('lenguaje-oral', 1.0), ('amb-aprovechamiento', 3.0)]
    """
    totals = {}
    for school in schools:
        for code, weight in (profiles.get(school) or {}).items():
            if weight > 0:
                totals[code] = totals.get(code, 0.0) + float(weight)
    ranked = sorted(totals, key=lambda c: (is_ambito(c), -totals[c], c))
    return [(code, totals[code]) for code in ranked[:top]]


def suggest_communities(profiles, *, zones=None, min_size=3, resolution=1.0, seed=0, k=10, depth=3):
    """Return candidate communities of practice over the similarity graph of schools.

    Parameters
    ----------
    profiles : dict
        ``{school: {category: weight}}``; schools with an empty profile join no community.
    zones : dict, optional
        ``{school: zone}``, to count the zones each community spans.
    min_size : int
        Communities with fewer schools are dropped (their schools stay unjoined).
    resolution : float
        Louvain's resolution: above 1 favours smaller communities, below 1 larger ones.
    seed : int
        Seed of Louvain's random node order; the result is the same for the same seed.
    k : int
        Each type of school keeps its links to its `k` most similar types (see :func:`type_graph`).
    depth : int
        Schools whose `depth` heaviest categories are the same are never split.

    Returns
    -------
    list of dict
        ``{"schools", "size", "dominant_categories", "weights", "zones"}``: the sorted school ids,
        their number, the three dominant category codes, their summed weights (same order), and the
        number of zones (``None`` without `zones`); largest first, then by categories and first school.

    Notes
    -----
    Modularity finds themes at the scale of the set it is given: over the whole country at
    resolution 1, a community holds tens of thousands of schools (``docs/benchmarks.md``). For
    communities people can join, call it over a state or a region, or raise `resolution`.

    Examples
    --------
    >>> profiles = {
    ...     1: {"lectura-escritura": 3}, 2: {"lectura-escritura": 2},
    ...     3: {"lectura-escritura": 3, "lenguaje-oral": 1},
    ...     4: {"convivencia": 3}, 5: {"convivencia": 2, "socioemocional": 2},
    ...     6: {"convivencia": 1, "socioemocional": 3}, 7: {"tecnologia-educativa": 1},
    ... }
    >>> zones = {1: "Z1", 2: "Z2", 3: "Z2", 4: "Z1", 5: "Z1", 6: "Z3", 7: "Z3"}
    >>> for c in suggest_communities(profiles, zones=zones):
    ...     print(c["schools"], c["dominant_categories"], c["zones"])
    [4, 5, 6] ['convivencia', 'socioemocional'] 2
    [1, 2, 3] ['lectura-escritura', 'lenguaje-oral'] 2
    >>> suggest_communities({})
    []
    """
    G = type_graph(profiles, k=k, depth=depth)
    if G.number_of_nodes() == 0:
        return []
    found = nx.community.louvain_communities(G, weight="weight", resolution=resolution, seed=seed)
    communities = []
    for types in found:
        schools = sorted((s for t in types for s in G.nodes[t]["schools"]), key=id_sort_key)
        if len(schools) < min_size:
            continue
        dominant = dominant_categories(schools, profiles)
        spanned = None
        if zones is not None:
            spanned = len({zones[s] for s in schools if zones.get(s) is not None})
        communities.append(
            {
                "schools": schools,
                "size": len(schools),
                "dominant_categories": [code for code, _ in dominant],
                "weights": [weight for _, weight in dominant],
                "zones": spanned,
            }
        )
    communities.sort(key=lambda c: (-c["size"], c["dominant_categories"], id_sort_key(c["schools"][0])))
    return communities


def _join(words):
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " y " + words[-1]


def describe(community, names=None):
    """Return the community in one plain Spanish sentence (categories in *italics*, Markdown).

    `names` maps category codes to their names in words; a code without a name is shown as is.

    Examples
    --------
    >>> describe({"size": 23, "zones": 9, "dominant_categories": ["lectura-escritura", "lenguaje-oral"]},
    ...          {"lectura-escritura": "lectura y escritura", "lenguaje-oral": "lenguaje oral"})
    '23 escuelas de 9 zonas trabajan en *lectura y escritura* y *lenguaje oral*'
    >>> describe({"size": 1, "zones": None, "dominant_categories": ["convivencia"]})
    '1 escuela trabaja en *convivencia*'
    """
    names = names or {}
    size, spanned = community["size"], community.get("zones")
    text = f"{size:,} escuela" + ("" if size == 1 else "s")
    if spanned is not None:
        text += f" de {spanned:,} zona" + ("" if spanned == 1 else "s")
    verb = "trabaja" if size == 1 else "trabajan"
    topics = [f"*{names.get(code, code)}*" for code in community["dominant_categories"]]
    return f"{text} {verb} en {_join(topics)}" if topics else text


def unjoined_schools(community, members, profiles, *, min_overlap=0.5, limit=None):
    """Return the schools not yet in any community that share the community's dominant problems.

    Parameters
    ----------
    community : dict
        As :func:`suggest_communities` returns it (``schools``, ``dominant_categories``, ``weights``).
    members : collection
        Schools already in some community (they are not listed again).
    profiles : dict
        ``{school: {category: weight}}``.
    min_overlap : float
        Least share, in [0, 1], of the community's dominant weight a school must share (a school
        shares a category when it has it open with any weight).
    limit : int, optional
        At most this many schools.

    Returns
    -------
    list of dict
        ``{"school", "overlap", "categories"}`` (the shared dominant categories), most overlap
        first, then the school's own weight on them, then id.

    Examples
    --------
    >>> community = {"schools": [1, 2], "dominant_categories": ["lectura-escritura", "convivencia"],
    ...              "weights": [6.0, 2.0]}
    >>> profiles = {1: {"lectura-escritura": 3}, 2: {"lectura-escritura": 3, "convivencia": 2},
    ...             3: {"lectura-escritura": 1}, 4: {"convivencia": 3}, 5: {"lectura-escritura": 3}}
    >>> unjoined_schools(community, members={5}, profiles=profiles)
    [{'school': 3, 'overlap': 0.75, 'categories': ['lectura-escritura']}]
    """
    if not 0 <= min_overlap <= 1:
        raise ValueError("min_overlap debe estar entre 0 y 1")
    dominant = list(zip(community["dominant_categories"], community["weights"]))
    total = sum(weight for _, weight in dominant)
    if total <= 0:
        return []
    excluded = set(members) | set(community["schools"])
    found = []
    for school, profile in profiles.items():
        if school in excluded or not profile:
            continue
        shared = [code for code, _ in dominant if profile.get(code, 0) > 0]
        overlap = sum(weight for code, weight in dominant if code in shared) / total
        if shared and overlap >= min_overlap:
            own = sum(profile[code] for code in shared)
            found.append((-overlap, -own, id_sort_key(school), school, shared))
    found.sort(key=lambda item: item[:3])
    found = found if limit is None else found[:limit]
    return [{"school": s, "overlap": -o, "categories": shared} for o, _, _, s, shared in found]
