"""Profiles, similarity terms and their reasons."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from network.geo import distance_matrix_km, known_coordinates
from network.similarity import (
    explain_similarity,
    jaccard_matrix,
    profile_matrix,
    school_profiles,
    similarity_matrix,
    weighted_jaccard,
)
from network.taxonomy import CATEGORIES, category_weight
from network.text import normalize_text, text_similarity_matrix, tokenize

profile = st.dictionaries(st.sampled_from(CATEGORIES), st.floats(0, 5, allow_nan=False), max_size=6)


@settings(max_examples=50, deadline=None)
@given(st.lists(profile, min_size=1, max_size=8))
def test_jaccard_matrix_matches_pairwise_definition(profiles):
    ids = list(range(len(profiles)))
    P, _ = profile_matrix(dict(enumerate(profiles)), ids)
    S = jaccard_matrix(P)
    for i in ids:
        for j in ids:
            assert S[i, j] == pytest.approx(weighted_jaccard(profiles[i], profiles[j]), abs=1e-9)


def test_jaccard_matrix_large_paths_agree():
    rng = np.random.default_rng(0)
    P = rng.integers(0, 4, (120, 23)).astype(float)  # few levels: BLAS path
    Q = P + rng.random(P.shape) * (P > 0)  # many levels: chunked path
    for M in (P, Q):
        small = np.array(
            [[weighted_jaccard(dict(enumerate(a)), dict(enumerate(b))) for b in M[:5]] for a in M[:5]]
        )
        assert np.allclose(jaccard_matrix(M)[:5, :5], small)


def test_profile_keeps_highest_open_priority():
    problems = [
        {"id": 1, "school": "A", "categories": {"convivencia": "media"}, "status": "abierta"},
        {"id": 2, "school": "A", "categories": {"convivencia": "alta"}, "status": "resuelta"},
        {"id": 3, "school": "A", "categories": ["socioemocional"], "status": "en_atencion"},
        {"id": 4, "school": "B", "categories": {"convivencia": 1.5}},
    ]
    assert school_profiles(problems) == {
        "A": {"convivencia": 2.0, "socioemocional": 2.0},
        "B": {"convivencia": 1.5},
    }


def test_weighted_jaccard_edge_cases():
    assert weighted_jaccard({}, {}) == 0.0
    assert weighted_jaccard({"convivencia": 3}, {}) == 0.0
    assert weighted_jaccard({"convivencia": 2}, {"convivencia": 2}) == 1.0


def test_category_weight_rejects_garbage():
    for bad in ("urgente", -1, None, True, float("nan")):
        with pytest.raises(ValueError):
            category_weight(bad)


def test_text_is_accent_and_case_insensitive():
    assert normalize_text("ÁREA de Niñez") == "area de ninez"
    assert tokenize("Lectura y ESCRITURA") == ["lectura", "escritura"]
    S = text_similarity_matrix(["Comprensión lectora", "COMPRENSION LECTORA", ""])
    assert S[0, 1] == pytest.approx(1.0)
    assert S[2, 2] == 0.0


def test_similarity_blend_defaults_to_jaccard():
    profiles = {"A": {"convivencia": 3}, "B": {"convivencia": 1, "lenguaje-oral": 1}}
    ids, S = similarity_matrix(profiles)
    assert S[0, 1] == pytest.approx(weighted_jaccard(profiles["A"], profiles["B"]))
    texts = {"A": "lectura lenta", "B": "lectura lenta"}
    _, St = similarity_matrix(profiles, texts=texts, text_weight=1.0)
    assert St[0, 1] == pytest.approx((0.25 + 1.0) / 2)
    with pytest.raises(ValueError):
        similarity_matrix(profiles, text_weight=-1)


def test_explain_similarity_lists_reasons_both_ways():
    profiles = {
        "A": {"convivencia": 3, "lectura-escritura": 1},
        "B": {"convivencia": 2, "pensamiento-matematico": 3},
    }
    practices = {
        "A": {"pensamiento-matematico": ["pa"]},
        "B": {"lectura-escritura": ["pb"], "tecnologia-educativa": ["pz"]},
    }
    r = explain_similarity(
        "A",
        "B",
        profiles=profiles,
        practices=practices,
        complementarity_weight=1.0,
        text_weight=1.0,
        texts={"A": "lectura", "B": "lectura"},
    )
    assert r["reasons"]["shared_categories"] == ["convivencia"]
    assert [p["practice"] for p in r["reasons"]["practices"]] == ["pb", "pa"]
    assert r["complementarity"] > 0 and r["text"] == pytest.approx(1.0)
    assert 0 < r["score"] <= 1


def test_geo_unknowns():
    assert not known_coordinates("", "")
    assert not known_coordinates(95, 0)
    assert known_coordinates("20.7", "-100.1")
    D = distance_matrix_km([[20.6, -100.4], [np.nan, np.nan]])
    assert np.isnan(D[0, 1]) and D[0, 0] == 0
