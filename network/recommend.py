"""Recommendations on the graph: practices for a problem, partners for a school.

Every recommendation is a plain dict with a ``"score"`` and its
``"reasons"`` so the interface can say *why*.
"""

import math

import numpy as np

from .graph import graph_good_practices, graph_profiles, graph_texts, schools_of
from .similarity import (
    explain_similarity,
    id_sort_key,
    similarity_matrix,
    useful_practices,
    weighted_jaccard,
)
from .taxonomy import GOOD_OUTCOMES, OUTCOME_WEIGHTS

__all__ = ["school_similarity", "recommend_practices", "recommend_partners"]


def school_similarity(G, a, b, *, text_weight=0.0, complementarity_weight=0.0):
    """Return the similarity of schools `a` and `b` in `G`, with reasons.

    See :func:`network.similarity.explain_similarity` for the result.

    Examples
    --------
    >>> from network.graph import build_graph
    >>> G = build_graph([{"id": "A"}, {"id": "B"}], problems=[
    ...     {"id": 1, "school": "A", "categories": {"convivencia": "alta"}},
    ...     {"id": 2, "school": "B", "categories": {"convivencia": "alta"}}])
    >>> r = school_similarity(G, "A", "B")
    >>> r["score"], r["reasons"]["shared_categories"]
    (1.0, ['convivencia'])
    """
    return explain_similarity(
        a,
        b,
        profiles=graph_profiles(G),
        texts=graph_texts(G) if text_weight > 0 else None,
        practices=graph_good_practices(G),
        text_weight=text_weight,
        complementarity_weight=complementarity_weight,
    )


def _outcome_weight(outcome, weights):
    return weights.get(outcome, weights.get(None, 0.0))


def recommend_practices(
    G,
    problem,
    *,
    limit=10,
    outcome_weights=OUTCOME_WEIGHTS,
    level_bonus=0.25,
):
    """Return practices of other schools for `problem`, best first.

    Candidates are found walking problem → categories → practices.  The
    score multiplies

    * ``coverage``: share of the problem's category weight the practice is
      tagged with;
    * ``quality``: mean outcome weight (bueno 1, regular 0.5, unknown 0.3,
      malo 0.05) of the author's report and of every adoption;
    * ``1 + log2(1 + good adoptions) / 4``: practices that worked elsewhere;
    * ``1 + author_similarity``: weighted Jaccard between the profiles of
      the author school and the problem's school;
    * ``1 + level_bonus`` when the practice's level is the school's level.

    Practices authored or already adopted by the problem's school are left
    out.  Ties are broken by practice id.

    Returns
    -------
    list of dict
        ``{"practice", "school", "score", "reasons": {"shared_categories",
        "outcome", "adoptions", "good_adoptions", "author_similarity",
        "same_level"}}``.

    Examples
    --------
    >>> from network.graph import build_graph
    >>> G = build_graph(
    ...     [{"id": "A", "level": "primaria"}, {"id": "B", "level": "primaria"},
    ...      {"id": "C", "level": "secundaria"}],
    ...     problems=[{"id": 1, "school": "A",
    ...                "categories": {"convivencia": "alta", "socioemocional": "baja"}}],
    ...     practices=[
    ...         {"id": "p1", "school": "B", "categories": ["convivencia"],
    ...          "level": "primaria", "outcome": "bueno"},
    ...         {"id": "p2", "school": "C", "categories": ["socioemocional"],
    ...          "level": "secundaria", "outcome": "regular"}])
    >>> [(r["practice"], round(r["score"], 3)) for r in recommend_practices(G, 1)]
    [('p1', 0.938), ('p2', 0.125)]
    >>> recommend_practices(G, 1)[0]["reasons"]["shared_categories"]
    ['convivencia']
    """
    node = ("problem", problem)
    if node not in G:
        raise KeyError(f"problemática desconocida: {problem!r}")
    school = G.nodes[node]["school"]
    school_node = ("school", school)
    level = G.nodes[school_node].get("level")
    needs = {
        category[1]: weight
        for _, category, weight in G.edges(node, data="weight")
        if category[0] == "category"
    }
    total_need = sum(needs.values())
    if total_need <= 0:
        return []
    own = {n for n in G[school_node] if n[0] == "practice"}
    profiles = graph_profiles(G)
    mine = profiles.get(school, {})
    covered = {}
    for code in needs:
        for practice in G[("category", code)]:
            if practice[0] == "practice" and practice not in own:
                covered.setdefault(practice, []).append(code)
    results = []
    for practice, codes in covered.items():
        data = G.nodes[practice]
        author = data["school"]
        reports = [data.get("outcome")]
        adopters = [
            G.edges[practice, other].get("outcome")
            for other in G[practice]
            if other[0] == "school" and other[1] != author
        ]
        reports += adopters
        quality = sum(_outcome_weight(o, outcome_weights) for o in reports) / len(reports)
        good = sum(1 for o in adopters if o in GOOD_OUTCOMES)
        coverage = sum(needs[c] for c in codes) / total_need
        similarity = weighted_jaccard(mine, profiles.get(author, {}))
        same_level = level is not None and data.get("level") == level
        score = (
            coverage
            * quality
            * (1.0 + math.log2(1 + good) / 4.0)
            * (1.0 + similarity)
            * (1.0 + (level_bonus if same_level else 0.0))
        )
        results.append(
            {
                "practice": practice[1],
                "school": author,
                "score": score,
                "reasons": {
                    "shared_categories": sorted(codes, key=lambda c: (-needs[c], c)),
                    "outcome": data.get("outcome"),
                    "adoptions": len(adopters),
                    "good_adoptions": good,
                    "author_similarity": similarity,
                    "same_level": same_level,
                },
            }
        )
    results.sort(key=lambda r: (-r["score"], id_sort_key(r["practice"])))
    return results[:limit] if limit is not None else results


def recommend_partners(
    G,
    school,
    *,
    limit=5,
    by="zone",
    text_weight=0.0,
    complementarity_weight=0.0,
    same_level=False,
):
    """Return the best partner schools for `school`, inside and beyond its zone.

    Schools are ranked by the similarity of :mod:`network.similarity`
    (with the given weights); schools with score 0 are left out.  Ties are
    broken by id.

    Returns
    -------
    dict
        ``{"in_zone": [...], "beyond_zone": [...]}``, each item
        ``{"school", "zone", "score", "reasons": {"shared_categories",
        "practices"}}`` where ``practices`` are the partner's practices with
        good outcomes in categories this school needs, then this school's
        practices the partner needs.

    Examples
    --------
    >>> from network.graph import build_graph
    >>> G = build_graph(
    ...     [{"id": "A", "zone": 1}, {"id": "B", "zone": 1}, {"id": "C", "zone": 2}],
    ...     problems=[
    ...         {"id": 1, "school": "A", "categories": {"convivencia": "alta"}},
    ...         {"id": 2, "school": "B", "categories": {"convivencia": "baja"}},
    ...         {"id": 3, "school": "C", "categories": {"convivencia": "alta"}}],
    ...     practices=[{"id": "p1", "school": "C", "categories": ["convivencia"],
    ...                 "outcome": "bueno"}])
    >>> r = recommend_partners(G, "A")
    >>> [(p["school"], round(p["score"], 3)) for p in r["in_zone"]]
    [('B', 0.333)]
    >>> r["beyond_zone"][0]["reasons"]["practices"]
    [{'practice': 'p1', 'school': 'C', 'categories': ['convivencia']}]
    """
    node = ("school", school)
    if node not in G:
        raise KeyError(f"escuela desconocida: {school!r}")
    ids = sorted(schools_of(G), key=id_sort_key)
    if same_level:
        level = G.nodes[node].get("level")
        ids = [i for i in ids if G.nodes[("school", i)].get("level") == level]
    profiles = graph_profiles(G)
    practices = graph_good_practices(G)
    texts = graph_texts(G) if text_weight > 0 else None
    ids, S = similarity_matrix(
        profiles,
        ids=ids,
        texts=texts,
        practices=practices,
        text_weight=text_weight,
        complementarity_weight=complementarity_weight,
    )
    row = S[ids.index(school)]
    zone = G.nodes[node].get(by)
    result = {"in_zone": [], "beyond_zone": []}
    for k in np.argsort(-row, kind="stable"):
        other = ids[k]
        if other == school or row[k] <= 0:
            continue
        other_zone = G.nodes[("school", other)].get(by)
        bucket = result["in_zone" if other_zone == zone else "beyond_zone"]
        if limit is not None and len(bucket) >= limit:
            continue
        mine, theirs = profiles.get(school, {}), profiles.get(other, {})
        explanation = explain_similarity(school, other, profiles=profiles)
        bucket.append(
            {
                "school": other,
                "zone": other_zone,
                "score": float(row[k]),
                "reasons": {
                    "shared_categories": explanation["reasons"]["shared_categories"],
                    "practices": useful_practices(mine, practices.get(other), school=other)
                    + useful_practices(theirs, practices.get(school), school=school),
                },
            }
        )
    return result
