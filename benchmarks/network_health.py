"""Benchmark of the network-health computations (``network.health``) on a 1,000-school region.

Run from the project root::

    .venv/bin/python benchmarks/network_health.py

A synthetic region of 50 zones of 20 schools: three encounters per zone this term (groups of four),
300 adoptions across the region, and a year of activity events. Times, median of 5 runs: the ties
graph, isolated schools, bridges (estimated betweenness above 150 schools) and monthly participation,
against the exact betweenness in the same run as the reference, with how many of the exact top five
bridges the estimate finds. Target: the page's computation under 500 ms (the reads from the database are not included). Writes
``docs/benchmarks_health.md``.
"""

from __future__ import annotations

import os
import platform
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from network import health  # noqa: E402

SECTION = ROOT / "docs" / "benchmarks_health.md"


def region(seed: int = 0):
    rng = random.Random(seed)
    schools = list(range(1000))
    groups = []
    for zone in range(50):
        members = schools[zone * 20 : (zone + 1) * 20]
        for _encounter in range(3):
            rng.shuffle(members)
            day = date(2026, rng.randint(6, 11), rng.randint(1, 28))
            groups.extend((members[g : g + 4], day) for g in range(0, 20, 4))
    ties = health.meeting_ties(groups)
    adoptions = [
        (rng.randrange(200), rng.randrange(1000), rng.randrange(1000), date(2026, rng.randint(1, 11), 1))
        for _ in range(300)
    ]
    ties += [health.Tie(s, o, health.ADOPTED, d, p) for p, o, s, d in adoptions if s != o]
    events = [
        (
            rng.randrange(1000),
            date(2026, 1, 1) + timedelta(days=rng.randrange(330)),
            rng.choice(["encuentro", "aportacion", "adopcion"]),
        )
        for _ in range(20_000)
    ]
    return schools, ties, adoptions, events


def page(schools, ties, adoptions, events):
    months = [f"2026-{m:02d}" for m in range(6, 12)]
    health.isolated(schools, ties, since=date(2026, 8, 1))
    ranked = health.bridges(schools, ties)
    health.monthly_participation(events, months=months)
    health.cascades(adoptions)
    return ranked


def main() -> None:
    load_before = os.getloadavg()[0]
    data = region()
    times = []
    for _ in range(5):
        start = time.perf_counter()
        ranked = page(*data)
        times.append(time.perf_counter() - start)
    graph = health.ties_graph(data[0], data[1])
    exact_times = []
    for _ in range(3):
        start = time.perf_counter()
        exact = nx.betweenness_centrality(graph, normalized=True)
        exact_times.append(time.perf_counter() - start)
    exact_top = {s for s, _v in sorted(exact.items(), key=lambda x: (-x[1], x[0]))[:5]}
    found = len(exact_top & {s for s, _v in ranked})
    median = statistics.median(times)
    lines = [
        "## Salud de la red (`benchmarks/network_health.py`)",
        "",
        f"Máquina: {os.cpu_count()} CPU, {platform.system()} {platform.release()}, Python {platform.python_version()}, "
        f"NetworkX {nx.__version__}. Carga media (1 min) al empezar {load_before:.1f} y al terminar {os.getloadavg()[0]:.1f}. "
        f"Región sintética de 1,000 escuelas en 50 zonas: {graph.number_of_edges():,} vínculos, 300 adopciones, 20,000 "
        "eventos de actividad. Mediana de 5 corridas.",
        "",
        "| medida | valor |",
        "|---|---:|",
        f"| cálculo de la página (aisladas, puentes estimados, participación por mes, difusión) | **{median * 1000:.0f} ms** "
        f"(meta < 500 ms: {'cumple' if median < 0.5 else 'NO cumple'}) |",
        f"| referencia: intermediación exacta sola (mediana de 3) | {statistics.median(exact_times) * 1000:.0f} ms |",
        f"| de las 5 escuelas puente exactas, las que la estimación también da | {found} de 5 |",
        "",
    ]
    SECTION.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
