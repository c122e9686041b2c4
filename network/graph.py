"""The NetworkX model: schools, problems, categories and practices.

Nodes are ``(kind, id)`` tuples so ids of different kinds never collide:

* ``("school", id)``: attributes of the school record plus ``kind="school"``;
* ``("problem", id)``: ``status``, ``text``;
* ``("category", code)``;
* ``("practice", id)``: ``level``, ``outcome``, ``title`` if given.

Edges (all with a ``relation`` attribute):

* school – problem: ``"raises"``;
* problem – category: ``"tagged"``, ``weight`` = priority (alta 3, media 2,
  baja 1, or the number given);
* practice – category: ``"tagged"``, ``weight`` 1;
* school – practice: ``"authored"`` (``outcome`` of the practice) or
  ``"adopted"`` (``outcome`` reported by the adopting school).

Input records (plain dicts)::

    schools   = [{"id", "zone", "level", "lat", "lon", ...}]
    problems  = [{"id", "school", "categories": {code: "alta"|"media"|"baja"|w},
                  "status": "abierta"|"en_atencion"|"resuelta", "text"}]
    practices = [{"id", "school", "categories": [codes], "level",
                  "outcome": "bueno"|"regular"|"malo"|None}]
    adoptions = [{"practice", "school", "outcome"}]
"""

import networkx as nx

from .similarity import _problem_categories
from .taxonomy import CATEGORIES, GOOD_OUTCOMES, OPEN_STATUSES

__all__ = [
    "build_graph",
    "graph_profiles",
    "graph_texts",
    "graph_good_practices",
    "schools_of",
]


def build_graph(schools, problems=(), practices=(), adoptions=(), *, categories=CATEGORIES):
    """Return the graph of schools, problems, categories and practices.

    Records that point to unknown schools or practices raise ``ValueError``.

    Examples
    --------
    >>> G = build_graph(
    ...     [{"id": "A", "zone": "Z", "level": "primaria"}, {"id": "B", "zone": "Z"}],
    ...     problems=[{"id": 1, "school": "A", "categories": {"convivencia": "alta"},
    ...                "status": "abierta", "text": "Peleas en el recreo"}],
    ...     practices=[{"id": "p1", "school": "B", "categories": ["convivencia"],
    ...                 "level": "primaria", "outcome": "bueno"}],
    ...     adoptions=[{"practice": "p1", "school": "A", "outcome": "regular"}],
    ... )
    >>> G.edges[("problem", 1), ("category", "convivencia")]["weight"]
    3.0
    >>> G.edges[("school", "A"), ("practice", "p1")]["relation"]
    'adopted'
    >>> len(schools_of(G))
    2
    """
    G = nx.Graph()
    G.add_nodes_from((("category", code), {"kind": "category"}) for code in categories)
    for school in schools:
        G.add_node(("school", school["id"]), **{**school, "kind": "school"})
    for problem in problems:
        school = ("school", problem["school"])
        if school not in G:
            raise ValueError(f"problemática {problem.get('id')!r}: escuela desconocida")
        node = ("problem", problem["id"])
        G.add_node(
            node,
            kind="problem",
            school=problem["school"],
            status=problem.get("status", "abierta"),
            text=problem.get("text", ""),
        )
        G.add_edge(school, node, relation="raises")
        for code, weight in _problem_categories(problem).items():
            G.add_node(("category", code), kind="category")
            G.add_edge(node, ("category", code), relation="tagged", weight=weight)
    for practice in practices:
        school = ("school", practice["school"])
        if school not in G:
            raise ValueError(f"práctica {practice.get('id')!r}: escuela desconocida")
        node = ("practice", practice["id"])
        attributes = {k: v for k, v in practice.items() if k not in ("id", "categories")}
        G.add_node(node, kind="practice", **attributes)
        G.nodes[node].setdefault("outcome", None)
        G.add_edge(school, node, relation="authored", outcome=practice.get("outcome"))
        for code in practice.get("categories") or ():
            G.add_node(("category", code), kind="category")
            G.add_edge(node, ("category", code), relation="tagged", weight=1.0)
    for adoption in adoptions:
        school, node = ("school", adoption["school"]), ("practice", adoption["practice"])
        if school not in G or node not in G:
            raise ValueError(f"adopción {adoption!r}: escuela o práctica desconocida")
        if G.nodes[node]["school"] == adoption["school"]:
            continue  # adopting one's own practice says nothing new
        G.add_edge(school, node, relation="adopted", outcome=adoption.get("outcome"))
    return G


def schools_of(G):
    """Return the ids of the schools in `G`, in insertion order."""
    return [node[1] for node, kind in G.nodes(data="kind") if kind == "school"]


def graph_profiles(G, *, statuses=OPEN_STATUSES):
    """Return ``{school: {category: weight}}`` from the open problems in `G`.

    Examples
    --------
    >>> G = build_graph([{"id": "A"}], problems=[
    ...     {"id": 1, "school": "A", "categories": {"convivencia": "baja"}},
    ...     {"id": 2, "school": "A", "categories": {"convivencia": "alta"},
    ...      "status": "resuelta"}])
    >>> graph_profiles(G)
    {'A': {'convivencia': 1.0}}
    """
    profiles = {school: {} for school in schools_of(G)}
    for node, data in G.nodes(data=True):
        if data["kind"] != "problem" or data["status"] not in statuses:
            continue
        profile = profiles[data["school"]]
        for _, category, weight in G.edges(node, data="weight"):
            if category[0] == "category" and weight > profile.get(category[1], 0.0):
                profile[category[1]] = weight
    return profiles


def graph_texts(G, *, statuses=OPEN_STATUSES):
    """Return ``{school: text}`` of the open problems in `G`."""
    texts = {}
    for _node, data in G.nodes(data=True):
        if data["kind"] == "problem" and data["status"] in statuses and data["text"]:
            texts.setdefault(data["school"], []).append(str(data["text"]))
    return {school: "\n".join(parts) for school, parts in texts.items()}


def graph_good_practices(G, *, outcomes=GOOD_OUTCOMES):
    """Return ``{school: {category: [practice ids]}}`` of practices that worked.

    Counts practices a school authored or adopted with a good outcome.
    """
    found = {}
    for school, practice, data in G.edges(data=True):
        if school[0] != "school":
            school, practice = practice, school
        if school[0] != "school" or practice[0] != "practice":
            continue
        if data.get("outcome") not in outcomes:
            continue
        slot = found.setdefault(school[1], {})
        for neighbour in G[practice]:
            if neighbour[0] == "category":
                ids = slot.setdefault(neighbour[1], [])
                if practice[1] not in ids:
                    ids.append(practice[1])
    return found
