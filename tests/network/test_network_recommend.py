"""Recommendations of practices and partners, with their reasons."""

import pytest

from network.graph import build_graph, graph_good_practices, graph_profiles
from network.recommend import recommend_partners, recommend_practices, school_similarity


@pytest.fixture
def graph():
    schools = [
        {"id": "A", "zone": "Z1", "level": "primaria"},
        {"id": "B", "zone": "Z1", "level": "primaria"},
        {"id": "C", "zone": "Z2", "level": "primaria"},
        {"id": "D", "zone": "Z2", "level": "secundaria"},
    ]
    problems = [
        {
            "id": 1,
            "school": "A",
            "categories": {"convivencia": "alta", "lectura-escritura": "baja"},
            "status": "abierta",
            "text": "Conflictos",
        },
        {"id": 2, "school": "B", "categories": {"convivencia": "media"}, "status": "abierta"},
        {"id": 3, "school": "C", "categories": {"convivencia": "alta"}, "status": "en_atencion"},
        {"id": 4, "school": "D", "categories": {"convivencia": "alta"}, "status": "resuelta"},
    ]
    practices = [
        {"id": "own", "school": "A", "categories": ["convivencia"], "level": "primaria", "outcome": "bueno"},
        {"id": "good", "school": "C", "categories": ["convivencia"], "level": "primaria", "outcome": "bueno"},
        {"id": "bad", "school": "B", "categories": ["convivencia"], "level": "primaria", "outcome": "malo"},
        {
            "id": "far",
            "school": "D",
            "categories": ["convivencia"],
            "level": "secundaria",
            "outcome": "bueno",
        },
        {
            "id": "read",
            "school": "D",
            "categories": ["lectura-escritura"],
            "level": "secundaria",
            "outcome": None,
        },
        {
            "id": "adopted",
            "school": "D",
            "categories": ["lectura-escritura"],
            "level": "secundaria",
            "outcome": None,
        },
    ]
    adoptions = [
        {"practice": "good", "school": "B", "outcome": "bueno"},
        {"practice": "adopted", "school": "A", "outcome": "regular"},
    ]
    return build_graph(schools, problems, practices, adoptions)


def test_practices_ranked_with_reasons(graph):
    ranked = recommend_practices(graph, 1)
    names = [r["practice"] for r in ranked]
    assert "own" not in names and "adopted" not in names  # already the school's
    assert names[0] == "good"
    assert names.index("far") < names.index("bad")  # outcome beats level
    top = ranked[0]
    assert top["school"] == "C"
    assert top["reasons"]["shared_categories"] == ["convivencia"]
    assert top["reasons"]["good_adoptions"] == 1
    assert top["reasons"]["same_level"] is True
    assert top["reasons"]["author_similarity"] > 0
    assert recommend_practices(graph, 1, limit=1) == ranked[:1]
    with pytest.raises(KeyError):
        recommend_practices(graph, 99)


def test_partners_inside_and_beyond_zone(graph):
    result = recommend_partners(graph, "A")
    assert [p["school"] for p in result["in_zone"]] == ["B"]
    assert [p["school"] for p in result["beyond_zone"]] == ["C"]  # D has no open problem
    beyond = result["beyond_zone"][0]
    assert beyond["reasons"]["shared_categories"] == ["convivencia"]
    # C's practice helps A; A's own practice helps C.
    assert [(p["practice"], p["school"]) for p in beyond["reasons"]["practices"]] == [
        ("good", "C"),
        ("own", "A"),
    ]
    with pytest.raises(KeyError):
        recommend_partners(graph, "nobody")


def test_partners_with_complementarity_and_levels(graph):
    result = recommend_partners(graph, "A", complementarity_weight=1.0, same_level=True, limit=1)
    assert len(result["in_zone"]) == 1
    assert all(p["school"] != "D" for p in result["beyond_zone"])


def test_graph_views(graph):
    assert graph_profiles(graph)["D"] == {}
    assert graph_good_practices(graph)["B"] == {"convivencia": ["good"]}
    r = school_similarity(graph, "A", "C", text_weight=1.0)
    assert r["reasons"]["shared_categories"] == ["convivencia"]


def test_graph_rejects_dangling_records():
    with pytest.raises(ValueError):
        build_graph([], problems=[{"id": 1, "school": "X", "categories": {}}])
    with pytest.raises(ValueError):
        build_graph([{"id": "A"}], adoptions=[{"practice": "p", "school": "A"}])
