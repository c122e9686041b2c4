"""Communities of practice suggested from the graph: planted groups come back, the type graph keeps the
school graph's modularity, the result is deterministic, small communities are dropped, and the
sentence and the schools that could join read right."""

from __future__ import annotations

import itertools
import random

import networkx as nx
import numpy as np
import pytest

from network.communities import (
    describe,
    dominant_categories,
    profile_types,
    suggest_communities,
    type_graph,
    unjoined_schools,
)

GROUPS = [[f"g{g}c{c}" for c in range(5)] for g in range(4)]


def _planted(seed, *, size=30, noise=0.2, own=(3, 3), noise_weight=(1, 1), group_weight=(2, 3)):
    """Four groups of schools over disjoint category sets; some schools also have another group's."""
    rng = random.Random(seed)
    profiles, truth = {}, {}
    for g, categories in enumerate(GROUPS):
        for i in range(size):
            school = f"s{g}-{i:02d}"
            codes = rng.sample(categories, rng.randint(*own))
            profile = {c: float(rng.randint(*group_weight)) for c in codes}
            if rng.random() < noise:
                other = rng.choice([x for x in range(4) if x != g])
                profile[rng.choice(GROUPS[other])] = float(rng.randint(*noise_weight))
            profiles[school] = profile
            truth[school] = g
    return profiles, truth


def _labels(communities, schools):
    found = {s: k for k, c in enumerate(communities) for s in c["schools"]}
    return [found.get(s, -1 - i) for i, s in enumerate(schools)]


def _adjusted_rand(a, b):
    """Adjusted Rand index of two labelings (Hubert and Arabie)."""
    _, a = np.unique(a, return_inverse=True)
    _, b = np.unique(b, return_inverse=True)
    table = np.zeros((a.max() + 1, b.max() + 1))
    np.add.at(table, (a, b), 1)

    def pairs(x):
        return (x * (x - 1) / 2).sum()

    index, rows, cols, total = pairs(table), pairs(table.sum(1)), pairs(table.sum(0)), pairs(np.array(len(a)))
    expected = rows * cols / total
    return (index - expected) / ((rows + cols) / 2 - expected)


@pytest.mark.parametrize("seed", range(5))
def test_planted_groups_come_back_exactly(seed):
    profiles, truth = _planted(seed)
    communities = suggest_communities(profiles, seed=seed)
    got = sorted(sorted(c["schools"]) for c in communities)
    want = sorted(sorted(s for s in truth if truth[s] == g) for g in range(4))
    assert got == want
    for community in communities:
        group = truth[community["schools"][0]]
        assert set(community["dominant_categories"]) <= set(GROUPS[group])


def test_planted_groups_with_heavier_noise_and_mixed_types():
    # One to three categories of its group and a noise category as heavy as them: some types mix groups.
    profiles, truth = _planted(7, noise=0.3, own=(1, 3), noise_weight=(1, 2), group_weight=(1, 3))
    schools = sorted(profiles)
    communities = suggest_communities(profiles, min_size=1)
    ari = _adjusted_rand([truth[s] for s in schools], _labels(communities, schools))
    assert ari > 0.8
    assert len(communities[0]["schools"]) < 60  # no two groups merged into one


def test_the_type_graph_has_the_school_graphs_modularity():
    profiles, _ = _planted(3, size=8, noise=0.4, own=(1, 3), noise_weight=(1, 3), group_weight=(1, 3))
    schools = sorted(profiles)
    G = type_graph(profiles, k=10_000)
    full = nx.Graph()
    full.add_nodes_from(schools)
    for a, b in itertools.combinations(schools, 2):
        pa, pb = profiles[a], profiles[b]
        dot = sum(pa[c] * pb.get(c, 0.0) for c in pa)
        if dot > 0:
            norm = np.sqrt(sum(v * v for v in pa.values()) * sum(v * v for v in pb.values()))
            full.add_edge(a, b, weight=dot / norm)
    assert G.size(weight="weight") == pytest.approx(full.size(weight="weight"))
    rng = random.Random(0)
    for _ in range(5):
        types = [set() for _ in range(3)]
        for t in G:
            types[rng.randrange(3)].add(t)
        schools_of = [{s for t in part for s in G.nodes[t]["schools"]} for part in types]
        expected = nx.community.modularity(full, schools_of, weight="weight")
        assert nx.community.modularity(G, types, weight="weight") == pytest.approx(expected)


def test_same_seed_same_communities_whatever_the_input_order():
    profiles, _ = _planted(11, noise=0.3, own=(1, 3), noise_weight=(1, 2))
    shuffled = list(profiles.items())
    random.Random(1).shuffle(shuffled)
    first = suggest_communities(profiles, seed=4)
    assert suggest_communities(dict(shuffled), seed=4) == first
    assert suggest_communities(profiles, seed=4) == first


def test_min_size_drops_small_communities_and_empty_profiles_join_none():
    profiles, _ = _planted(2, size=6, noise=0.0)
    profiles["pair-1"] = {"otro-tema": 2.0}
    profiles["pair-2"] = {"otro-tema": 1.0}
    profiles["nothing"] = {}
    profiles["zero"] = {"g0c0": 0.0}
    sizes = [c["size"] for c in suggest_communities(profiles, min_size=3)]
    assert sizes == [6, 6, 6, 6]
    with_pair = suggest_communities(profiles, min_size=2)
    assert with_pair[-1]["schools"] == ["pair-1", "pair-2"]
    assert suggest_communities(profiles, min_size=7) == []
    everyone = {s for c in suggest_communities(profiles, min_size=1) for s in c["schools"]}
    assert "nothing" not in everyone and "zero" not in everyone


def test_types_are_the_three_heaviest_categories():
    profiles = {
        "A": {"convivencia": 3, "lenguaje-oral": 2, "socioemocional": 2, "lectura-escritura": 1},
        "B": {"convivencia": 2, "lenguaje-oral": 1, "socioemocional": 1},
        "C": {"convivencia": 3, "lenguaje-oral": 2},
        "D": {"convivencia": 3, "lenguaje-oral": 2, "lectura-escritura": 2},
    }
    assert profile_types(profiles) == {
        ("convivencia", "lectura-escritura", "lenguaje-oral"): ["D"],
        ("convivencia", "lenguaje-oral"): ["C"],
        ("convivencia", "lenguaje-oral", "socioemocional"): ["A", "B"],
    }
    assert list(profile_types(profiles, depth=1)) == [("convivencia",)]


def test_empty_input():
    assert suggest_communities({}) == []
    assert suggest_communities({"A": {}}) == []
    assert profile_types({}) == {}
    assert type_graph({}).number_of_nodes() == 0


def test_zones_counted_and_sorted_by_size():
    profiles = {i: {"lectura-escritura": 2} for i in range(5)}
    profiles.update({10 + i: {"convivencia": 3} for i in range(3)})
    zones = {0: "Z1", 1: "Z2", 2: "Z2", 3: None, 10: "Z9", 11: "Z9"}
    communities = suggest_communities(profiles, zones=zones)
    assert [(c["size"], c["zones"]) for c in communities] == [(5, 2), (3, 1)]
    assert communities[0]["dominant_categories"] == ["lectura-escritura"]
    assert communities[0]["weights"] == [10.0]
    assert suggest_communities(profiles)[0]["zones"] is None


def test_dominant_categories_put_ambitos_last():
    profiles = {1: {"amb-aprovechamiento": 3, "convivencia": 1}, 2: {"amb-aprovechamiento": 3}}
    assert dominant_categories([1, 2], profiles) == [("convivencia", 1.0), ("amb-aprovechamiento", 6.0)]


def test_describe_in_words():
    names = {"lectura-escritura": "lectura en lenguas originarias"}
    community = {"size": 23, "zones": 9, "dominant_categories": ["lectura-escritura"]}
    assert describe(community, names) == "23 escuelas de 9 zonas trabajan en *lectura en lenguas originarias*"
    three = {"size": 1200, "zones": 1, "dominant_categories": ["a", "b", "c"]}
    assert describe(three) == "1,200 escuelas de 1 zona trabajan en *a*, *b* y *c*"


def test_unjoined_schools_share_the_dominant_problems():
    profiles, _ = _planted(5, size=10, noise=0.0)
    community = suggest_communities(profiles)[0]
    group = community["dominant_categories"]
    profiles["newcomer"] = {group[0]: 3.0, group[1]: 1.0, group[2]: 1.0}
    profiles["half"] = {group[0]: 1.0}
    profiles["member-elsewhere"] = {group[0]: 3.0, group[1]: 3.0, group[2]: 3.0}
    profiles["unrelated"] = {"otro": 3.0}
    found = unjoined_schools(community, {"member-elsewhere"}, profiles, min_overlap=0.0)
    names = [item["school"] for item in found]
    assert names[0] == "newcomer" and found[0]["overlap"] == pytest.approx(1.0)
    assert "half" in names and "unrelated" not in names and "member-elsewhere" not in names
    assert not set(names) & set(community["schools"])
    assert "half" not in [i["school"] for i in unjoined_schools(community, (), profiles, min_overlap=0.9)]
    assert len(unjoined_schools(community, (), profiles, min_overlap=0.0, limit=1)) == 1


def test_bad_parameters_are_refused():
    with pytest.raises(ValueError):
        profile_types({"A": {"x": 1}}, depth=0)
    with pytest.raises(ValueError):
        type_graph({"A": {"x": 1}}, k=-1)
    with pytest.raises(ValueError):
        unjoined_schools({"schools": [], "dominant_categories": [], "weights": []}, (), {}, min_overlap=2)
