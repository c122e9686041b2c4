"""Participation as the indicator of a network's health (issue 14, *salud de la red*).

The network is the graph of ties the platform itself records between schools: two schools that met
in the same group of an encounter, and a school that adopted another's practice. From it and the
schools' activity this module tells, for a zone or any set of schools:

- **participation over time** (``monthly_participation``): per month, the schools active (met in an
  encounter, contributed, adopted), contributions, commitments fulfilled and adoptions;
- **isolated schools** (``isolated``): no tie since a date, the ones a supervisor should call first;
- **bridges** (``bridges``): betweenness centrality on the ties graph, the schools that join groups
  that would otherwise not meet, where losing one would split the network;
- **how practices spread** (``cascades``): for each practice adopted, the schools it reached from
  its school of origin, directly or through a school that had adopted it first.

Pure functions over plain tuples (NetworkX for the graph); ``app.networkhealth`` reads the records.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from itertools import combinations

import networkx as nx

MET = "encuentro"
ADOPTED = "adopcion"
COMMUNITY = "comunidad"  # a reply to another school's post on a community's board
CONTACT = "contacto"  # a contact request the other school answered
MENTORING = "mentoria"  # a mentor's school and the mentee's: the pair accepted, each session


@dataclass(frozen=True)
class Tie:
    """Two schools tied on a day: they met in an encounter group, ``a`` adopted ``b``'s practice, or
    they talked (a community reply, an answered contact request)."""

    a: int
    b: int
    kind: str
    on: date
    practice_id: int | None = None


def _day(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def meeting_ties(groups: Iterable[tuple[Sequence[int], date | datetime]]) -> list[Tie]:
    """Every pair of schools of each encounter group (``(school ids, day)``).

    >>> [(t.a, t.b) for t in meeting_ties([([3, 1, 2], date(2026, 9, 25))])]
    [(1, 2), (1, 3), (2, 3)]
    """
    return [
        Tie(a, b, MET, _day(day)) for schools, day in groups for a, b in combinations(sorted(set(schools)), 2)
    ]


def ties_graph(schools: Iterable[int], ties: Iterable[Tie], *, since: date | None = None) -> nx.Graph:
    """The undirected graph of schools and their ties (weight: how many ties) since ``since``."""
    graph = nx.Graph()
    graph.add_nodes_from(schools)
    for tie in ties:
        if since is not None and tie.on < since:
            continue
        if tie.a == tie.b or tie.a not in graph or tie.b not in graph:
            continue
        weight = graph.get_edge_data(tie.a, tie.b, {"weight": 0})["weight"]
        graph.add_edge(tie.a, tie.b, weight=weight + 1)
    return graph


def isolated(schools: Iterable[int], ties: Iterable[Tie], *, since: date) -> list[int]:
    """The schools with no tie since ``since``, in id order.

    >>> isolated([1, 2, 3], [Tie(1, 2, MET, date(2026, 10, 1))], since=date(2026, 8, 1))
    [3]
    """
    graph = ties_graph(schools, ties, since=since)
    return sorted(node for node in graph if graph.degree(node) == 0)


#: Above this many schools, betweenness is estimated from this many sources (NetworkX's ``k``, fixed
#: seed): the exact one of a 1,000-school region took 1.6 s; with the estimate the whole page's
#: computation takes about 0.33 s and finds 4 of the exact 5 top bridges (benchmarks/network_health.py).
EXACT_UP_TO = 150


def bridges(schools: Iterable[int], ties: Iterable[Tie], *, top: int = 5) -> list[tuple[int, float]]:
    """The schools with the highest betweenness centrality (above 0), highest first (estimated
    from ``EXACT_UP_TO`` sources on larger networks).

    >>> ties = [Tie(1, 2, MET, date(2026, 1, 1)), Tie(2, 3, MET, date(2026, 1, 1))]
    >>> bridges([1, 2, 3], ties)
    [(2, 1.0)]
    """
    graph = ties_graph(schools, ties)
    if graph.number_of_edges() == 0:
        return []
    sample = EXACT_UP_TO if graph.number_of_nodes() > EXACT_UP_TO else None
    centrality = nx.betweenness_centrality(graph, k=sample, normalized=True, seed=0 if sample else None)
    ranked = sorted(
        ((node, value) for node, value in centrality.items() if value > 0), key=lambda x: (-x[1], x[0])
    )
    return ranked[:top]


def cascades(adoptions: Iterable[tuple[int, int, int, date | datetime]]) -> dict[int, dict]:
    """How each practice spread. ``adoptions`` are ``(practice id, school of origin, adopting
    school, day)``. For each practice: its origin, the schools it reached in the order they adopted
    it (each once), and its **waves**: the number of distinct months in which it reached new schools
    (one wave: everybody took it at once from the origin; several: it kept spreading).

    >>> c = cascades([(7, 1, 2, date(2026, 3, 1)), (7, 1, 3, date(2026, 4, 9)), (7, 1, 3, date(2026, 5, 1))])
    >>> c[7]["origin"], c[7]["reached"], c[7]["waves"]
    (1, [2, 3], 2)
    """
    by_practice: dict[int, list[tuple[date, int, int]]] = defaultdict(list)
    for practice_id, origin, school, day in adoptions:
        by_practice[practice_id].append((_day(day), school, origin))
    result = {}
    for practice_id, rows in by_practice.items():
        rows.sort()
        origin = rows[0][2]
        reached: list[int] = []
        months: set[str] = set()
        for day, school, _origin in rows:
            if school != origin and school not in reached:
                reached.append(school)
                months.add(f"{day:%Y-%m}")
        result[practice_id] = {"origin": origin, "reached": reached, "waves": len(months)}
    return result


def monthly_participation(
    events: Iterable[tuple[int, date | datetime, str]], *, months: Sequence[str]
) -> list[dict]:
    """Per month (``"2026-09"``): the distinct schools active and the count of each kind of event.

    ``events`` are ``(school id, day, kind)``; kinds are free words (``encuentro``, ``aportacion``,
    ``compromiso_cumplido``, ``adopcion``).

    >>> rows = monthly_participation([(1, date(2026, 9, 3), "aportacion"), (2, date(2026, 9, 9), "aportacion")],
    ...                              months=["2026-09", "2026-10"])
    >>> rows[0]["schools"], rows[0]["aportacion"], rows[1]["schools"]
    (2, 2, 0)
    """
    schools: dict[str, set[int]] = {m: set() for m in months}
    counts: dict[str, Counter] = {m: Counter() for m in months}
    for school, day, kind in events:
        month = f"{_day(day):%Y-%m}"
        if month in schools:
            schools[month].add(school)
            counts[month][kind] += 1
    return [{"month": m, "schools": len(schools[m]), **counts[m]} for m in months]
