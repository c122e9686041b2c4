"""Mentor matching (issue 14, *mentoría*): who mentors whom, by evidence of what worked.

A **mentor** offers categories with evidence (resolved problems, recognised good practices, adoptions
that worked: ``evidence[category]`` counts them) and a capacity (mentees at once). A **request** (a
novice teacher, a new director, a school) asks for help on one or more categories.

The **fit** of a mentor for a request (``fit``) is the share of the request's categories the mentor
has evidence on, each weighted by how much evidence (``1 + ln(1 + n)``: the first piece of evidence
counts most), times 0.6 when their levels differ (primaria and secundaria teach differently), times 0.5
when the request names a language (an indigenous language, say) the mentor does not speak, plus 0.1
when both are in the same state (a visit is possible). A mentor never mentors their own school.

The **assignment** maximises the total fit, each request with at most one mentor and each mentor with at
most ``capacity`` mentees: a maximum-weight b-matching on the bipartite graph of candidates. Its linear
programme is totally unimodular (an incidence matrix of a bipartite graph), so the simplex optimum that
HiGHS returns (``scipy.optimize.linprog``) is integral: the exact optimum, not an approximation. For a
national run the candidates are each request's ``top_k`` mentors and each mentor's ``top_k`` requests
by fit (computed in blocks with numpy); the optimum is exact over those candidates, and ``top_k=None`` keeps them all (the small cases
the tests compare with brute force). ``greedy_assignment`` is the baseline the benchmark compares with.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from scipy.optimize import linprog

LEVEL_MISMATCH = 0.6
LANGUAGE_MISMATCH = 0.5
SAME_STATE_BONUS = 0.1
BLOCK = 2048  # requests scored at once (a block of BLOCK x mentors floats)


@dataclass(frozen=True)
class Mentor:
    id: int
    capacity: int
    evidence: Mapping[str, int]
    level: str | None = None
    state: str | None = None
    school_id: int | None = None
    languages: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Request:
    id: int
    categories: frozenset[str]
    level: str | None = None
    state: str | None = None
    school_id: int | None = None
    language: str | None = None


@dataclass(frozen=True)
class Match:
    request_id: int
    mentor_id: int
    fit: float
    shared: tuple[str, ...]


@dataclass
class Assignment:
    matches: list[Match] = field(default_factory=list)

    @property
    def total_fit(self) -> float:
        return sum(m.fit for m in self.matches)

    def mentor_of(self, request_id: int) -> int | None:
        return next((m.mentor_id for m in self.matches if m.request_id == request_id), None)


def evidence_weight(count: int) -> float:
    """The weight of ``count`` pieces of evidence on a category: the first counts most.

    >>> round(evidence_weight(1), 3), round(evidence_weight(4), 3)
    (1.693, 2.609)
    """
    return 1.0 + math.log1p(count) if count > 0 else 0.0


def fit(mentor: Mentor, request: Request) -> float:
    """How well ``mentor`` fits ``request`` (0 when they share no category or the same school).

    >>> m = Mentor(1, 2, {"lectura": 3, "matematicas": 1}, level="primaria", state="QRO")
    >>> round(fit(m, Request(9, frozenset({"lectura"}), level="primaria", state="QRO")), 3)
    2.486
    >>> round(fit(m, Request(9, frozenset({"lectura", "convivencia"}), level="secundaria")), 3)
    0.716
    """
    if mentor.school_id is not None and mentor.school_id == request.school_id:
        return 0.0
    shared = [c for c in request.categories if mentor.evidence.get(c, 0) > 0]
    if not shared or not request.categories:
        return 0.0
    score = sum(evidence_weight(mentor.evidence[c]) for c in shared) / len(request.categories)
    if request.level and mentor.level and request.level != mentor.level:
        score *= LEVEL_MISMATCH
    if request.language and request.language not in mentor.languages:
        score *= LANGUAGE_MISMATCH
    if request.state and request.state == mentor.state:
        score += SAME_STATE_BONUS
    return score


def candidates(
    mentors: Sequence[Mentor], requests: Sequence[Request], *, top_k: int | None = 10
) -> list[tuple[int, int, float]]:
    """The (request index, mentor index, fit) pairs worth considering, with fit > 0: each request's
    ``top_k`` mentors by fit and each mentor's best requests, as many as ``top_k`` or the largest
    capacity, whichever is more (without the second half,
    the mentors every request ranks below its ten best would never be used, however much room they
    have). ``top_k=None`` keeps every pair. Scored with numpy in blocks; equals ``fit`` pair by pair."""
    if not mentors or not requests:
        return []
    categories = sorted(
        {c for m in mentors for c in m.evidence} | {c for r in requests for c in r.categories}
    )
    col = {c: i for i, c in enumerate(categories)}
    evidence = np.zeros((len(mentors), len(categories)), dtype=np.float32)
    for i, m in enumerate(mentors):
        for c, n in m.evidence.items():
            evidence[i, col[c]] = evidence_weight(n)
    levels = sorted({x.level for x in [*mentors, *requests] if x.level})
    states = sorted({x.state for x in [*mentors, *requests] if x.state})
    m_level = np.array([levels.index(m.level) if m.level else -1 for m in mentors])
    m_state = np.array([states.index(m.state) if m.state else -2 for m in mentors])
    m_school = np.array([m.school_id if m.school_id is not None else -1 for m in mentors])
    languages = sorted({r.language for r in requests if r.language})
    speaks = np.array([[lang in m.languages for lang in languages] for m in mentors], dtype=bool).reshape(
        len(mentors), len(languages)
    )
    n_mentors = len(mentors)
    per_mentor = max(top_k or 0, max(m.capacity for m in mentors))  # room for a full load at least
    keys: list[np.ndarray] = []  # request * n_mentors + mentor
    values: list[np.ndarray] = []
    by_mentor_rows = np.zeros((0, n_mentors), dtype=np.int64)  # each mentor's best requests so far
    by_mentor_fit = np.zeros((0, n_mentors), dtype=np.float32)
    for start in range(0, len(requests), BLOCK):
        block = requests[start : start + BLOCK]
        wanted = np.zeros((len(block), len(categories)), dtype=np.float32)
        for i, r in enumerate(block):
            for c in r.categories:
                wanted[i, col[c]] = 1.0
        size = np.maximum(wanted.sum(axis=1, keepdims=True), 1.0)
        scores = wanted @ evidence.T
        scores /= size
        r_level = np.array([levels.index(r.level) if r.level else -1 for r in block])
        differs = (r_level[:, None] >= 0) & (m_level[None, :] >= 0) & (r_level[:, None] != m_level[None, :])
        np.multiply(scores, np.float32(LEVEL_MISMATCH), out=scores, where=differs)
        for i, r in enumerate(block):
            if r.language:
                scores[i, ~speaks[:, languages.index(r.language)]] *= LANGUAGE_MISMATCH
        r_state = np.array([states.index(r.state) if r.state else -3 for r in block])
        same_state = (scores > 0) & (r_state[:, None] == m_state[None, :])
        np.add(scores, np.float32(SAME_STATE_BONUS), out=scores, where=same_state)
        r_school = np.array([r.school_id if r.school_id is not None else -2 for r in block])
        scores[r_school[:, None] == m_school[None, :]] = 0.0
        rows = np.arange(start, start + len(block))
        if top_k is None or top_k >= n_mentors:
            hit = np.nonzero(scores > 0)
            keys.append(rows[hit[0]] * n_mentors + hit[1])
            values.append(scores[hit])
            continue
        # Each request's best mentors.
        best = np.argpartition(-scores, top_k - 1, axis=1)[:, :top_k]
        fits = np.take_along_axis(scores, best, axis=1)
        keys.append((rows[:, None] * n_mentors + best)[fits > 0])
        values.append(fits[fits > 0])
        # Each mentor's best requests, merged with those of the earlier blocks.
        depth = min(per_mentor, len(block))
        best_rows = np.argpartition(-scores, depth - 1, axis=0)[:depth, :]
        pool_fit = np.vstack([by_mentor_fit, np.take_along_axis(scores, best_rows, axis=0)])
        pool_rows = np.vstack([by_mentor_rows, rows[best_rows]])
        keep = min(per_mentor, pool_fit.shape[0])
        chosen = np.argpartition(-pool_fit, keep - 1, axis=0)[:keep, :]
        by_mentor_fit = np.take_along_axis(pool_fit, chosen, axis=0)
        by_mentor_rows = np.take_along_axis(pool_rows, chosen, axis=0)
    if by_mentor_fit.size:
        mentor_cols = np.broadcast_to(np.arange(n_mentors), by_mentor_rows.shape)
        positive = by_mentor_fit > 0
        keys.append(by_mentor_rows[positive] * n_mentors + mentor_cols[positive])
        values.append(by_mentor_fit[positive])
    all_keys = np.concatenate(keys) if keys else np.zeros(0, dtype=np.int64)
    all_values = np.concatenate(values).astype(float) if values else np.zeros(0)
    unique, first = np.unique(all_keys, return_index=True)
    return [(int(k // n_mentors), int(k % n_mentors), float(w)) for k, w in zip(unique, all_values[first])]


def _shared(mentor: Mentor, request: Request) -> tuple[str, ...]:
    return tuple(sorted(c for c in request.categories if mentor.evidence.get(c, 0) > 0))


def _matches(mentors, requests, pairs: Iterable[tuple[int, int, float]]) -> Assignment:
    return Assignment(
        [Match(requests[r].id, mentors[m].id, w, _shared(mentors[m], requests[r])) for r, m, w in pairs]
    )


def assign(mentors: Sequence[Mentor], requests: Sequence[Request], *, top_k: int | None = 10) -> Assignment:
    """The assignment of greatest total fit (exact over the candidate pairs; see the module)."""
    edges = candidates(mentors, requests, top_k=top_k)
    if not edges:
        return Assignment()
    rows = np.array([e[0] for e in edges])
    cols = np.array([e[1] for e in edges])
    weights = np.array([e[2] for e in edges])
    n = len(edges)
    # One row per request (at most one mentor), one per mentor (at most its capacity).
    a_ub = sparse.vstack(
        [
            sparse.csr_matrix((np.ones(n), (rows, np.arange(n))), shape=(len(requests), n)),
            sparse.csr_matrix((np.ones(n), (cols, np.arange(n))), shape=(len(mentors), n)),
        ]
    ).tocsc()
    b_ub = np.concatenate([np.ones(len(requests)), [max(0, m.capacity) for m in mentors]])
    result = linprog(-weights, A_ub=a_ub, b_ub=b_ub, bounds=(0, 1), method="highs-ds")
    if result.status != 0:  # cannot happen for this programme (always feasible, bounded)
        raise RuntimeError(f"HiGHS: {result.message}")
    chosen = np.flatnonzero(result.x > 0.5)
    return _matches(mentors, requests, ((int(rows[e]), int(cols[e]), float(weights[e])) for e in chosen))


def greedy_assignment(
    mentors: Sequence[Mentor], requests: Sequence[Request], *, top_k: int | None = 10
) -> Assignment:
    """The baseline: best remaining pair first, while the request is open and the mentor has room."""
    load = [0] * len(mentors)
    taken: set[int] = set()
    pairs = []
    for r, m, w in sorted(candidates(mentors, requests, top_k=top_k), key=lambda e: -e[2]):
        if r in taken or load[m] >= mentors[m].capacity:
            continue
        taken.add(r)
        load[m] += 1
        pairs.append((r, m, w))
    return _matches(mentors, requests, pairs)


def reason(match: Match, mentor_name: str, request_name: str, labels: Mapping[str, str]) -> str:
    """The match in plain words, for the network leader who confirms it.

    >>> reason(Match(1, 2, 2.4, ("lectura",)), "Maestra Sol", "Escuela Benito Juárez", {"lectura": "lectura y escritura"})
    'Maestra Sol tiene experiencia comprobada en lectura y escritura, lo que pide Escuela Benito Juárez.'
    """
    topics = [labels.get(c, c) for c in match.shared]
    joined = topics[0] if len(topics) == 1 else ", ".join(topics[:-1]) + " y " + topics[-1]
    return f"{mentor_name} tiene experiencia comprobada en {joined}, lo que pide {request_name}."
