"""Mentor matching: the assignment is the exact optimum (brute force on small cases), capacities hold,
and the vectorised candidate scores equal the plain fit."""

from __future__ import annotations

import itertools
import random

import pytest

from network.mentoring import Mentor, Request, assign, candidates, fit, greedy_assignment

CATEGORIES = ["lectura", "matematicas", "convivencia", "asistencia", "familias"]


def _world(seed: int, mentors: int, requests: int):
    rng = random.Random(seed)
    ms = [
        Mentor(
            id=100 + i,
            capacity=rng.randint(0, 2),
            evidence={c: rng.randint(1, 5) for c in rng.sample(CATEGORIES, rng.randint(1, 3))},
            level=rng.choice(["primaria", "secundaria", None]),
            state=rng.choice(["QRO", "OAX"]),
            school_id=rng.randint(1, 4),
            languages=frozenset(rng.sample(["mixteco", "otomí"], rng.randint(0, 1))),
        )
        for i in range(mentors)
    ]
    rs = [
        Request(
            id=500 + j,
            categories=frozenset(rng.sample(CATEGORIES, rng.randint(1, 2))),
            level=rng.choice(["primaria", "secundaria"]),
            state=rng.choice(["QRO", "OAX", None]),
            school_id=rng.randint(1, 4),
            language=rng.choice([None, None, "otomí"]),
        )
        for j in range(requests)
    ]
    return ms, rs


def _brute_force(mentors, requests) -> float:
    best = 0.0
    options = [None, *range(len(mentors))]
    for choice in itertools.product(options, repeat=len(requests)):
        load = [0] * len(mentors)
        total = 0.0
        for r, m in enumerate(choice):
            if m is None:
                continue
            load[m] += 1
            total += fit(mentors[m], requests[r])
        if all(load[i] <= mentors[i].capacity for i in range(len(mentors))):
            best = max(best, total)
    return best


@pytest.mark.parametrize("seed", range(25))
def test_the_assignment_is_the_brute_force_optimum(seed):
    mentors, requests = _world(seed, mentors=4, requests=6)
    result = assign(mentors, requests, top_k=None)
    assert result.total_fit == pytest.approx(_brute_force(mentors, requests), rel=1e-6)  # float32 scores


def test_capacities_hold_and_each_request_has_at_most_one_mentor():
    mentors, requests = _world(7, mentors=60, requests=400)
    result = assign(mentors, requests, top_k=10)
    per_mentor: dict[int, int] = {}
    for match in result.matches:
        per_mentor[match.mentor_id] = per_mentor.get(match.mentor_id, 0) + 1
        assert match.fit > 0 and match.shared
    capacity = {m.id: m.capacity for m in mentors}
    assert all(n <= capacity[mid] for mid, n in per_mentor.items())
    assert len({m.request_id for m in result.matches}) == len(result.matches)
    assert result.total_fit >= greedy_assignment(mentors, requests, top_k=10).total_fit - 1e-9


def test_the_vectorised_scores_are_the_plain_fit():
    mentors, requests = _world(3, mentors=30, requests=50)
    for r, m, w in candidates(mentors, requests, top_k=None):
        assert w == pytest.approx(fit(mentors[m], requests[r]), rel=1e-6)
    expected = {
        (r, m) for r in range(len(requests)) for m in range(len(mentors)) if fit(mentors[m], requests[r]) > 0
    }
    assert {(r, m) for r, m, _w in candidates(mentors, requests, top_k=None)} == expected


def test_greedy_can_lose_where_the_exact_assignment_does_not():
    # The strongest pair first leaves the second school without its only possible mentor.
    sol = Mentor(1, 1, {"lectura": 5, "matematicas": 4})
    luz = Mentor(2, 1, {"lectura": 4})
    reading = Request(10, frozenset({"lectura"}))
    maths = Request(11, frozenset({"matematicas"}))
    exact = assign([sol, luz], [reading, maths])
    greedy = greedy_assignment([sol, luz], [reading, maths])
    assert exact.mentor_of(10) == 2 and exact.mentor_of(11) == 1
    assert greedy.mentor_of(11) is None and exact.total_fit > greedy.total_fit


def test_nobody_mentors_their_own_school_and_a_language_matters():
    own = Mentor(1, 3, {"lectura": 5}, school_id=7)
    other = Mentor(2, 3, {"lectura": 1}, school_id=8, languages=frozenset({"otomí"}))
    request = Request(10, frozenset({"lectura"}), school_id=7, language="otomí")
    assert fit(own, request) == 0.0
    assert assign([own, other], [request]).mentor_of(10) == 2


def test_a_weaker_mentor_with_room_is_still_a_candidate_when_requests_list_only_their_best():
    # Every request ranks the two strong mentors first; with top_k=2 per request alone the weak
    # mentor would never be a candidate and 4 of the 8 requests would stay without a mentor.
    strong = [Mentor(1, 2, {"lectura": 6}), Mentor(2, 2, {"lectura": 6})]
    weak = Mentor(3, 4, {"lectura": 1})
    requests = [Request(10 + i, frozenset({"lectura"})) for i in range(8)]
    result = assign([*strong, weak], requests, top_k=2)
    assert len(result.matches) == 8
    assert sum(1 for m in result.matches if m.mentor_id == 3) == 4
