"""Grouping: optimality against exact solvers, properties and options."""

import random

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from network.geo import PLACEHOLDER_COORDINATES
from network.grouping import exact_grouping, group_schools, grouping_affinity, partition
from network.similarity import jaccard_matrix
from network.taxonomy import CATEGORIES


def random_similarity(rng, n, max_categories=6):
    """Weighted Jaccard matrix of random profiles (as in real zones)."""
    P = np.zeros((n, len(CATEGORIES)))
    for row in range(n):
        k = rng.integers(0, max_categories + 1)
        P[row, rng.choice(len(CATEGORIES), k, replace=False)] = rng.integers(1, 4, k)
    S = jaccard_matrix(P)
    np.fill_diagonal(S, 0.0)
    return S


def set_partitions(items):
    if not items:
        yield []
        return
    first, rest = items[0], items[1:]
    for partition_ in set_partitions(rest):
        yield [[first]] + partition_
        for k in range(len(partition_)):
            yield partition_[:k] + [[first] + partition_[k]] + partition_[k + 1 :]


def brute_force(S, min_size, max_size):
    n = len(S)
    feasible = [p for p in set_partitions(list(range(n))) if all(min_size <= len(g) <= max_size for g in p)]
    if not feasible:  # one smaller group allowed
        feasible = [
            p
            for p in set_partitions(list(range(n)))
            if sum(len(g) < min_size for g in p) == 1 and all(len(g) <= max_size for g in p)
        ]
    return max(grouping_affinity(p, S) for p in feasible)


def check_sizes(groups, n, min_size, max_size):
    assert sorted(i for g in groups for i in g) == list(range(n))
    if n < min_size:
        assert len(groups) == 1
        return
    small = [g for g in groups if len(g) < min_size]
    assert len(small) <= 1
    assert all(len(g) <= max_size for g in groups)


@pytest.mark.parametrize("sizes", [(2, 3), (2, 2), (3, 3), (3, 4), (2, 4)])
def test_exact_grouping_matches_brute_force(sizes):
    rng = np.random.default_rng(11)
    for n in range(1, 8):
        S = random_similarity(rng, n)
        groups, value = exact_grouping(S, min_size=sizes[0], max_size=sizes[1])
        check_sizes(groups, n, *sizes)
        assert value == pytest.approx(grouping_affinity(groups, S))
        assert value == pytest.approx(brute_force(S, *sizes))


def test_heuristic_within_half_percent_of_optimum_default_sizes():
    rng = np.random.default_rng(2024)
    ratios = []
    for _ in range(40):
        n = int(rng.integers(8, 17))
        S = random_similarity(rng, n)
        _, best = exact_grouping(S)
        groups = partition(S, seed=1)
        check_sizes(groups, n, 2, 3)
        ratios.append(grouping_affinity(groups, S) / best if best > 0 else 1.0)
    assert min(ratios) >= 0.995


@pytest.mark.parametrize("sizes", [(2, 4), (3, 4)])
def test_heuristic_within_half_percent_of_optimum_other_sizes(sizes):
    rng = np.random.default_rng(7)
    for _ in range(8):
        n = int(rng.integers(8, 15))
        S = random_similarity(rng, n)
        _, best = exact_grouping(S, min_size=sizes[0], max_size=sizes[1])
        groups = partition(S, min_size=sizes[0], max_size=sizes[1])
        check_sizes(groups, n, *sizes)
        assert grouping_affinity(groups, S) >= 0.995 * best


def test_pairs_on_even_count_are_an_optimal_matching():
    rng = np.random.default_rng(5)
    for n in (2, 4, 8, 12, 16):
        S = random_similarity(rng, n)
        groups = partition(S, min_size=2, max_size=2)
        assert all(len(g) == 2 for g in groups)
        G = nx.complete_graph(n)
        for i, j in G.edges:
            G.edges[i, j]["weight"] = S[i, j]
        matching = nx.max_weight_matching(G, maxcardinality=True)
        optimum = sum(S[i, j] for i, j in matching)
        assert sum(S[i, j] for i, j in groups) == pytest.approx(optimum)
        assert grouping_affinity(groups, S) == pytest.approx(exact_grouping(S, max_size=2)[1])


def test_pairs_on_large_sets_use_sparse_matching():
    rng = np.random.default_rng(3)
    S = random_similarity(rng, 101)
    groups = partition(S, min_size=2, max_size=2, matching_limit=20)
    check_sizes(groups, 101, 2, 2)
    assert sum(len(g) == 1 for g in groups) == 1


def test_partition_trivial_sets():
    assert partition(np.zeros((0, 0))) == []
    assert partition([[0.0]]) == [[0]]
    assert partition(np.ones((3, 3)), min_size=4, max_size=5) == [[0, 1, 2]]
    assert partition(np.ones((3, 3))) == [[0, 1, 2]]
    with pytest.raises(ValueError):
        partition(np.ones((3, 3)), min_size=3, max_size=2)
    with pytest.raises(ValueError):
        partition(np.ones((2, 3)))


def test_partition_is_deterministic_and_seeded():
    rng = np.random.default_rng(9)
    S = random_similarity(rng, 60)
    assert partition(S, seed=4) == partition(S, seed=4)


def test_large_set_is_partitioned():
    rng = np.random.default_rng(1)
    S = random_similarity(rng, 300)
    groups = partition(S)
    check_sizes(groups, 300, 2, 3)


# -- group_schools: properties ---------------------------------------------

profiles_strategy = st.dictionaries(
    st.sampled_from(CATEGORIES[:8]), st.sampled_from([1.0, 2.0, 3.0]), max_size=4
)
school_strategy = st.fixed_dictionaries(
    {
        "zone": st.sampled_from(["Z1", "Z2", "Z3"]),
        "level": st.sampled_from(["primaria", "preescolar"]),
        "profile": profiles_strategy,
    }
)


def as_schools(records):
    return [{"id": f"E{k:03d}", **record} for k, record in enumerate(records)]


def normalised(result):
    return [(g["schools"], g["host"], round(g["score"], 9)) for g in result["groups"]]


@settings(max_examples=40, deadline=None)
@given(
    records=st.lists(school_strategy, max_size=30),
    sizes=st.sampled_from([(2, 3), (2, 2), (3, 4), (3, 3)]),
    mix=st.booleans(),
    seed=st.integers(0, 3),
    shuffle_seed=st.integers(0, 1000),
)
def test_group_schools_properties(records, sizes, mix, seed, shuffle_seed):
    schools = as_schools(records)
    min_size, max_size = sizes
    result = group_schools(schools, min_size=min_size, max_size=max_size, mix_levels=mix, seed=seed)
    ids = [s for g in result["groups"] for s in g["schools"]]
    assert sorted(ids) == sorted(s["id"] for s in schools)  # exactly once
    by_id = {s["id"]: s for s in schools}
    per_set = {}
    for group in result["groups"]:
        members = [by_id[i] for i in group["schools"]]
        assert len({m["zone"] for m in members}) == 1
        if not mix:
            assert len({m["level"] for m in members}) == 1
        assert group["host"] in group["schools"]
        key = (group["zone"], group["level"])
        per_set.setdefault(key, []).append(len(group["schools"]))
    for lengths in per_set.values():
        n = sum(lengths)
        if n < min_size:
            assert lengths == [n]
        else:
            assert all(length <= max_size for length in lengths)
            assert sum(length < min_size for length in lengths) <= 1
    assert result["objective"] == pytest.approx(sum(g["score"] * len(g["schools"]) for g in result["groups"]))
    # Same seed, shuffled input: same answer.
    shuffled = list(schools)
    random.Random(shuffle_seed).shuffle(shuffled)
    again = group_schools(shuffled, min_size=min_size, max_size=max_size, mix_levels=mix, seed=seed)
    assert normalised(again) == normalised(result)


def test_whole_set_in_one_call_with_by_none():
    rng = np.random.default_rng(0)
    schools = [
        {
            "id": k,
            "zone": k % 5,
            "level": "primaria",
            "profile": {CATEGORIES[c]: 2.0 for c in rng.choice(23, 3, replace=False)},
        }
        for k in range(50)
    ]
    result = group_schools(schools, by=None)
    assert {g["zone"] for g in result["groups"]} == {None}
    assert sorted(s for g in result["groups"] for s in g["schools"]) == list(range(50))


# -- options -----------------------------------------------------------------


def four_schools(**extra):
    base = [
        {"id": "A", "zone": "Z", "level": "primaria", "profile": {"convivencia": 3}},
        {"id": "B", "zone": "Z", "level": "primaria", "profile": {"convivencia": 3}},
        {"id": "C", "zone": "Z", "level": "primaria", "profile": {"lectura-escritura": 3}},
        {"id": "D", "zone": "Z", "level": "primaria", "profile": {"lectura-escritura": 3}},
    ]
    for school in base:
        school.update(extra.get(school["id"], {}))
    return base


def pairs(result):
    return sorted(tuple(g["schools"]) for g in result["groups"])


def test_levels_apart_by_default_and_mixed_on_request():
    schools = four_schools(B={"level": "secundaria"}, D={"level": "secundaria"})
    apart = group_schools(schools, max_size=2)
    assert pairs(apart) == [("A", "C"), ("B", "D")]
    mixed = group_schools(schools, max_size=2, mix_levels=True)
    assert pairs(mixed) == [("A", "B"), ("C", "D")]


def test_past_partners_are_forbidden():
    result = group_schools(four_schools(), max_size=2, past_groups=[["A", "B"]])
    assert ("A", "B") not in pairs(result)
    # Only the last encounter counts: A met B long ago, then C.
    result = group_schools(
        four_schools(),
        max_size=2,
        past_groups=[["A", "B"], ["A", "C"], ["B", "D"]],
        avoid_last=1,
    )
    assert pairs(result) == [("A", "B"), ("C", "D")]


def test_past_partners_penalised_softly():
    schools = four_schools()
    small = group_schools(schools, max_size=2, past_groups=[["A", "B"]], past_penalty=0.1)
    assert pairs(small) == [("A", "B"), ("C", "D")]
    large = group_schools(schools, max_size=2, past_groups=[["A", "B"]], past_penalty=5)
    assert ("A", "B") not in pairs(large)


def test_past_partners_unavoidable_still_grouped():
    schools = four_schools()[:2]
    result = group_schools(schools, max_size=2, past_groups=[["A", "B"]])
    assert pairs(result) == [("A", "B")]


def test_max_distance_separates_far_schools():
    near, far = (20.60, -100.40), (21.60, -99.40)  # ~150 km apart
    schools = four_schools(
        A={"lat": near[0], "lon": near[1]},
        B={"lat": far[0], "lon": far[1]},
        C={"lat": near[0], "lon": near[1]},
        D={"lat": far[0], "lon": far[1]},
    )
    assert pairs(group_schools(schools, max_size=2)) == [("A", "B"), ("C", "D")]
    result = group_schools(schools, max_size=2, max_distance_km=50)
    assert pairs(result) == [("A", "C"), ("B", "D")]


def test_placeholder_and_missing_coordinates_do_not_constrain():
    lat, lon = PLACEHOLDER_COORDINATES
    schools = four_schools(
        A={"lat": 21.6, "lon": -99.4},
        B={"lat": lat, "lon": lon},
        C={"lat": None, "lon": None},
        D={},
    )
    result = group_schools(schools, max_size=2, max_distance_km=1)
    assert pairs(result) == [("A", "B"), ("C", "D")]


def test_hosts():
    schools = four_schools(
        A={"lat": 20.60, "lon": -100.40},
        B={"lat": 20.61, "lon": -100.40},
    )
    schools.append(
        {
            "id": "E",
            "zone": "Z",
            "level": "primaria",
            "profile": {"convivencia": 3},
            "lat": 20.62,
            "lon": -100.40,
        }
    )
    practices = [{"id": "p1", "school": "B", "categories": ["convivencia"], "outcome": "bueno"}]
    result = group_schools(schools, practices=practices)
    group = next(g for g in result["groups"] if "A" in g["schools"])
    assert group["schools"] == ["A", "B", "E"]
    assert group["host"] == "B"  # has a practice for the others' need
    assert group["shared"] == ["convivencia"]
    by_location = group_schools(schools, host="location")
    group = next(g for g in by_location["groups"] if "A" in g["schools"])
    assert group["host"] == "B"  # in the middle
    by_affinity = group_schools(schools, host="affinity")
    group = next(g for g in by_affinity["groups"] if "A" in g["schools"])
    assert group["host"] == "A"  # all tied: lowest id
    with pytest.raises(ValueError):
        group_schools(schools, host="random")


def test_profiles_texts_and_complementarity_from_problems():
    schools = [{"id": s, "zone": "Z"} for s in "ABCD"]
    problems = [
        {
            "id": 1,
            "school": "A",
            "categories": {"convivencia": "alta"},
            "status": "abierta",
            "text": "Peleas frecuentes en el recreo",
        },
        {
            "id": 2,
            "school": "B",
            "categories": {"convivencia": "alta"},
            "status": "resuelta",
            "text": "Peleas en el recreo",
        },
        {
            "id": 3,
            "school": "C",
            "categories": {"lectura-escritura": "media"},
            "text": "Peleas en el recreo, niños sin leer",
        },
        {"id": 4, "school": "D", "categories": {"lectura-escritura": "media"}, "text": "Lectura lenta"},
    ]
    plain = group_schools(schools, problems=problems, max_size=2)
    assert pairs(plain) == [("A", "B"), ("C", "D")]  # B has no open problem
    texts = group_schools(schools, problems=problems, max_size=2, text_weight=5)
    assert pairs(texts) == [("A", "C"), ("B", "D")]
    practices = [{"id": "p", "school": "B", "categories": ["convivencia"], "outcome": "bueno"}]
    both = group_schools(
        schools, problems=problems, practices=practices, max_size=2, complementarity_weight=1
    )
    assert pairs(both) == [("A", "B"), ("C", "D")]
    assert both["groups"][0]["score"] > 0


def test_duplicate_ids_rejected():
    with pytest.raises(ValueError):
        group_schools([{"id": 1}, {"id": 1}])
