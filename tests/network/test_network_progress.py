"""Progress (*ya resolvió* / *trabaja en ello*) and grouping by complementarity."""

import numpy as np
import pytest

from network.grouping import exact_grouping, group_schools, grouping_affinity, partition
from network.progress import SOLVED, WORKING, help_edges, help_in_group, help_matrix, school_progress
from network.similarity import jaccard_matrix, profile_matrix
from network.taxonomy import CATEGORIES, is_ambito


def _problem(pid, school, categories, status="abierta", title="P"):
    return {"id": pid, "school": school, "categories": categories, "status": status, "title": title}


def test_each_kind_of_record_makes_a_category_solved():
    problems = [
        _problem(1, "resolved", {"lectura-escritura": "alta"}, "resuelta"),
        _problem(2, "practice", {"convivencia": "alta"}, "en_atencion"),
        _problem(3, "adopter", {"convivencia": "media"}),
        _problem(4, "commits", {"asistencia-permanencia": "alta"}),
        _problem(5, "few", {"asistencia-permanencia": "alta"}),
        _problem(6, "no-proof", {"asistencia-permanencia": "alta"}),
    ]
    practices = [
        {
            "id": 10,
            "school": "practice",
            "categories": ["convivencia"],
            "outcome": "bueno",
            "title": "Recreo",
        },
    ]
    adoptions = [{"practice": 10, "school": "adopter", "outcome": "bueno"}]

    def commitments(school, problem, statuses, evidence=True):
        return [
            {"school": school, "problem": problem, "status": s, "evidence": evidence and s == "cumplido"}
            for s in statuses
        ]

    p = school_progress(
        problems,
        practices,
        adoptions,
        commitments("commits", 4, ["cumplido", "cumplido", "cumplido", "pendiente"])
        + commitments("few", 5, ["cumplido", "cumplido", "pendiente", "no_cumplido"])
        + commitments("no-proof", 6, ["cumplido", "cumplido", "cumplido"], evidence=False),
    )
    assert p["resolved"]["lectura-escritura"]["state"] == SOLVED
    assert p["practice"]["convivencia"]["state"] == SOLVED
    assert p["adopter"]["convivencia"]["state"] == SOLVED
    assert p["adopter"]["convivencia"]["evidence"][0] == {
        "kind": "adoption",
        "practice": 10,
        "title": "Recreo",
        "outcome": "bueno",
    }
    commits = p["commits"]["asistencia-permanencia"]
    assert commits["state"] == SOLVED
    assert commits["evidence"] == [
        {"kind": "commitments", "problem": 4, "met": 3, "total": 4, "with_evidence": 3}
    ]
    # Half the commitments met, or none with evidence: still working on it, and the count is kept.
    assert p["few"]["asistencia-permanencia"]["state"] == WORKING
    assert p["few"]["asistencia-permanencia"]["evidence"][0]["met"] == 2
    assert p["no-proof"]["asistencia-permanencia"]["state"] == WORKING


def test_reported_outcomes_that_are_not_good_do_not_solve():
    problems = [_problem(1, "A", {"convivencia": "alta"})]
    practices = [
        {"id": 1, "school": "A", "categories": ["convivencia"], "outcome": None, "problem": 1, "title": "X"},
        {"id": 2, "school": "A", "categories": ["convivencia"], "outcome": "regular", "title": "Y"},
    ]
    adoptions = [{"practice": 3, "school": "A", "outcome": "bueno"}]  # unknown practice: ignored
    entry = school_progress(problems, practices, adoptions)["A"]["convivencia"]
    assert entry["state"] == WORKING and entry["weight"] == 3.0
    assert [e["practice"] for e in entry["evidence"]] == [1, 2]


def test_ambitos_are_left_out_and_enlace_only_supports():
    problems = [
        _problem(1, "A", {"amb-aprovechamiento": "alta", "pensamiento-matematico": "alta"}, "resuelta"),
        _problem(2, "B", {"pensamiento-matematico": "alta"}),
    ]
    p = school_progress(problems, enlace={"A": 590.0, "B": 420.0, "C": 610.0}, enlace_high=550.0)
    assert set(p) == {"A", "B"}  # a score alone says nothing: C has no record
    assert all(not is_ambito(code) for entry in p.values() for code in entry)
    assert p["A"]["pensamiento-matematico"]["evidence"][-1] == {
        "kind": "enlace",
        "score": 590.0,
        "high": True,
    }
    assert p["B"]["pensamiento-matematico"]["state"] == WORKING
    assert p["B"]["pensamiento-matematico"]["evidence"] == [{"kind": "enlace", "score": 420.0, "high": False}]


def test_solved_wins_over_an_open_problem_in_the_same_category():
    problems = [
        _problem(1, "A", {"lectura-escritura": "alta"}, "resuelta"),
        _problem(2, "A", {"lectura-escritura": "baja"}),
    ]
    entry = school_progress(problems)["A"]["lectura-escritura"]
    assert entry["state"] == SOLVED and entry["weight"] == 1.0


def test_a_resolved_side_issue_does_not_solve_a_main_open_problem():
    # As JUSTO SIERRA in the demo: fracciones resolved (planeación tagged "baja"), while an open
    # problem has planeación "alta". A practice that worked would still count.
    problems = [
        _problem(1, "A", {"pensamiento-matematico": "alta", "planeacion-didactica": "baja"}, "resuelta"),
        _problem(2, "A", {"planeacion-didactica": "alta"}),
    ]
    p = school_progress(problems)["A"]
    assert p["pensamiento-matematico"]["state"] == SOLVED
    assert p["planeacion-didactica"]["state"] == WORKING
    assert p["planeacion-didactica"]["evidence"] == [
        {"kind": "problem", "problem": 1, "title": "P", "status": "resuelta"}
    ]
    good = [
        {"id": 5, "school": "A", "categories": ["planeacion-didactica"], "outcome": "bueno", "title": "X"}
    ]
    assert school_progress(problems, good)["A"]["planeacion-didactica"]["state"] == SOLVED


def _four_schools():
    """H solved reading and shares a little with K; L and M work on reading."""
    schools = [
        {"id": "H", "zone": "Z", "profile": {"convivencia": 1}},
        {"id": "K", "zone": "Z", "profile": {"convivencia": 1, "asistencia-permanencia": 3}},
        {"id": "L", "zone": "Z", "profile": {"lectura-escritura": 3, "asistencia-permanencia": 3}},
        {"id": "M", "zone": "Z", "profile": {"lectura-escritura": 3}},
    ]
    problems = [
        _problem(1, "H", {"lectura-escritura": "alta"}, "resuelta", "Lectoescritura"),
        _problem(2, "H", {"convivencia": "baja"}),
        _problem(3, "K", {"convivencia": "baja", "asistencia-permanencia": "alta"}),
        _problem(4, "L", {"lectura-escritura": "alta", "asistencia-permanencia": "alta"}),
        _problem(5, "M", {"lectura-escritura": "alta"}),
    ]
    practices = [
        {
            "id": 9,
            "school": "H",
            "categories": ["lectura-escritura"],
            "outcome": None,
            "problem": 1,
            "title": "Tutoría",
        }
    ]
    return schools, school_progress(problems, practices)


def test_the_solved_school_joins_the_group_that_needs_it():
    schools, progress = _four_schools()
    pure = group_schools(schools, max_size=2, progress=progress)
    assert sorted(g["schools"] for g in pure["groups"]) == [["H", "K"], ["L", "M"]]
    helped = group_schools(schools, max_size=2, progress=progress, help_weight=1.0)
    assert sorted(g["schools"] for g in helped["groups"]) == [["H", "M"], ["K", "L"]]
    assert helped["help"] > pure["help"] and helped["objective"] < pure["objective"]
    with_h = next(g for g in helped["groups"] if "H" in g["schools"])
    assert with_h["host"] == "H"  # the school that can teach hosts
    assert help_in_group(progress, with_h["schools"]) == [
        {
            "helper": "H",
            "category": "lectura-escritura",
            "learners": ["M"],
            "evidence": progress["H"]["lectura-escritura"]["evidence"],
        }
    ]
    assert [e["kind"] for e in progress["H"]["lectura-escritura"]["evidence"]] == ["practice", "problem"]
    assert help_edges(progress, ["H", "K", "L", "M"]) == [
        ("H", "L", ["lectura-escritura"]),
        ("H", "M", ["lectura-escritura"]),
    ]


def test_without_weight_progress_changes_nothing():
    rng = np.random.default_rng(3)
    schools, problems = [], []
    for k in range(24):
        codes = rng.choice([c for c in CATEGORIES if not is_ambito(c)], 3, replace=False)
        status = "resuelta" if k % 5 == 0 else "abierta"
        problems.append(_problem(k, f"S{k:02d}", {str(c): "alta" for c in codes}, status))
        schools.append({"id": f"S{k:02d}", "zone": "Z"})
    progress = school_progress(problems)
    plain = group_schools(schools, problems=problems)
    same = group_schools(schools, problems=problems, progress=progress, help_weight=0.0)
    assert [g["schools"] for g in plain["groups"]] == [g["schools"] for g in same["groups"]]
    assert plain["objective"] == same["objective"]


def _random_case(rng, n):
    codes = [c for c in CATEGORIES if not is_ambito(c)][:10]
    progress, profiles = {}, {}
    for k in range(n):
        school = f"S{k:02d}"
        chosen = rng.choice(len(codes), 4, replace=False)
        entry = {}
        for j, c in enumerate(chosen):
            state = SOLVED if (j == 0 and rng.random() < 0.4) else WORKING
            entry[codes[c]] = {"state": state, "weight": float(rng.integers(1, 4)), "evidence": []}
        progress[school] = entry
        profiles[school] = {c: e["weight"] for c, e in entry.items() if e["state"] == WORKING}
    ids = sorted(profiles)
    P, _ = profile_matrix(profiles, ids)
    S = jaccard_matrix(P)
    np.fill_diagonal(S, 0.0)
    return ids, S, help_matrix(progress, ids)


@pytest.mark.parametrize("weight", [0.5, 1.0, 2.0])
def test_complementarity_mode_reaches_the_exact_optimum(weight):
    rng = np.random.default_rng(int(weight * 10))
    for _ in range(12):
        n = int(rng.integers(6, 13))
        ids, S, C = _random_case(rng, n)
        blended = S + weight * C
        _, best = exact_grouping(blended)
        found = grouping_affinity(partition(blended), blended)
        assert found >= best * 0.995 - 1e-9
        assert found <= best + 1e-9


def test_help_matrix_is_symmetric_bounded_and_zero_without_solvers():
    rng = np.random.default_rng(5)
    ids, _, C = _random_case(rng, 15)
    assert np.allclose(C, C.T) and C.min() >= 0 and C.max() <= 1 and not np.diag(C).any()
    working = {s: {"lectura-escritura": {"state": WORKING, "weight": 3.0, "evidence": []}} for s in "ABC"}
    assert not help_matrix(working, list("ABC")).any()


def test_negative_help_weight_is_refused():
    with pytest.raises(ValueError):
        group_schools([{"id": 1}], help_weight=-1)
