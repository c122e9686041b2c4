"""A school's progress on each problem category, from its own records: *ya resolvió* or *trabaja en ello*.

Why this module: the promise of the platform is that a school that made progress on a problem meets
one that has not (docs: the cycle, step 2). Similarity alone pairs schools with the *same open*
problems; a school that already solved one has closed it and looks unlike the schools still
working on it. This turns the records into a per-category signal with the evidence behind it, so a
grouping can use it and a person can read why.

Input records (plain dicts; extra keys are ignored)::

    problems    = [{"id", "school", "categories": {code: priority} or [codes],
                    "status": "abierta"|"en_atencion"|"resuelta", "title"}]
    practices   = [{"id", "school", "categories": [codes], "outcome", "title", "problem"}]
    adoptions   = [{"practice", "school", "outcome"}]
    commitments = [{"school", "problem", "status", "evidence": bool}]
    enlace      = {school: score}        (ENLACE mathematics, where present)

The rules, per school and category (ámbitos ``amb-*`` are left out: they are the PEMC's broad
headings, under which almost every problem falls, so "ya resolvió aprovechamiento" says nothing):

*solved* (``"resuelto"``) when at least one of

1. a problem of the school tagged with it is ``"resuelta"``, unless an open problem of the school
   is tagged with it at the same or a higher priority (then it solved a side of it, not the whole);
2. the school wrote a practice tagged with it and reported a good outcome (``"bueno"``);
3. the school adopted a practice tagged with it and reported a good outcome;
4. on one of its problems tagged with it, at least three quarters of two or more commitments are
   fulfilled (``"cumplido"``) and at least one fulfilled commitment has evidence.

*working on it* (``"en_proceso"``) when it is not solved and a problem tagged with it is open
(``"abierta"`` or ``"en_atencion"``).

The evidence of each signal is kept, most telling first: practices that worked (named), adoptions
that worked, resolved problems, the commitments' count ("3 de 4"), and the ENLACE score for
*pensamiento matemático* where present (supporting only: a score never decides the state).
"""

from __future__ import annotations

import numpy as np

from .similarity import _problem_categories, id_sort_key
from .taxonomy import CLOSED_STATUS, GOOD_OUTCOMES, OPEN_STATUSES, is_ambito

__all__ = [
    "SOLVED",
    "WORKING",
    "school_progress",
    "help_matrix",
    "help_in_group",
    "help_edges",
]

SOLVED = "resuelto"
WORKING = "en_proceso"
MET = "cumplido"
ENLACE_CATEGORY = "pensamiento-matematico"
_ORDER = {"practice": 0, "adoption": 1, "problem": 2, "commitments": 3, "enlace": 4}


def _codes(record):
    categories = record.get("categories") or ()
    return [code for code in categories if not is_ambito(code)]


def _commitment_counts(commitments):
    """``{(school, problem): [total, met, met_with_evidence]}``."""
    counts = {}
    for c in commitments or ():
        if c.get("problem") is None:
            continue
        row = counts.setdefault((c["school"], c["problem"]), [0, 0, 0])
        row[0] += 1
        if c.get("status") == MET:
            row[1] += 1
            row[2] += 1 if c.get("evidence") else 0
    return counts


def _commitments_solve(total, met, with_evidence):
    return total >= 2 and 4 * met >= 3 * total and with_evidence >= 1


def school_progress(problems, practices=(), adoptions=(), commitments=(), *, enlace=None, enlace_high=None):
    """Return ``{school: {category: {"state", "weight", "evidence"}}}``.

    ``state`` is :data:`SOLVED` or :data:`WORKING`; ``weight`` is the highest priority among the
    school's open problems in that category (0 when none is open); ``evidence`` is a list of dicts
    with a ``"kind"``: ``"practice"``/``"adoption"`` (``practice``, ``title``, ``outcome``),
    ``"problem"`` (``problem``, ``title``, ``status``), ``"commitments"`` (``problem``, ``met``,
    ``total``, ``with_evidence``) or ``"enlace"`` (``score``, ``high``).

    Examples
    --------
    >>> problems = [
    ...     {"id": 1, "school": "A", "categories": {"lectura-escritura": "alta"}, "status": "resuelta",
    ...      "title": "Lectoescritura"},
    ...     {"id": 2, "school": "B", "categories": {"lectura-escritura": "alta",
    ...      "amb-aprovechamiento": "alta"}, "status": "abierta", "title": "Lectura"},
    ... ]
    >>> practices = [{"id": 7, "school": "A", "categories": ["lectura-escritura"],
    ...               "outcome": None, "title": "Tutoría entre pares", "problem": 1}]
    >>> commitments = [{"school": "A", "problem": 1, "status": s, "evidence": s == "cumplido"}
    ...                for s in ("cumplido", "cumplido", "cumplido", "pendiente")]
    >>> p = school_progress(problems, practices, commitments=commitments)
    >>> p["A"]["lectura-escritura"]["state"], p["B"]["lectura-escritura"]["state"]
    ('resuelto', 'en_proceso')
    >>> [e["kind"] for e in p["A"]["lectura-escritura"]["evidence"]]
    ['practice', 'problem', 'commitments']
    >>> "amb-aprovechamiento" in p["B"]
    False
    """
    by_practice = {}
    counts = _commitment_counts(commitments)
    problem_by_id = {}
    found = {}  # (school, code) -> {"solved": bool, "weight": float, "evidence": [...]}

    def slot(school, code):
        return found.setdefault(
            (school, code), {"solved": False, "resolved": None, "open": False, "weight": 0.0, "evidence": []}
        )

    def add(entry, item):
        if item not in entry["evidence"]:
            entry["evidence"].append(item)

    for problem in problems:
        problem_by_id[problem["id"]] = problem
        status = problem.get("status", "abierta")
        weights = _problem_categories(problem)
        for code in _codes(problem):
            entry = slot(problem["school"], code)
            total, met, with_evidence = counts.get((problem["school"], problem["id"]), (0, 0, 0))
            if status == CLOSED_STATUS:
                entry["resolved"] = max(entry["resolved"] or 0.0, weights.get(code, 0.0))
                add(
                    entry,
                    {
                        "kind": "problem",
                        "problem": problem["id"],
                        "title": problem.get("title"),
                        "status": status,
                    },
                )
            elif status in OPEN_STATUSES:
                entry["open"] = True
                entry["weight"] = max(entry["weight"], weights.get(code, 0.0))
            if total:
                if _commitments_solve(total, met, with_evidence):
                    entry["solved"] = True
                add(
                    entry,
                    {
                        "kind": "commitments",
                        "problem": problem["id"],
                        "met": met,
                        "total": total,
                        "with_evidence": with_evidence,
                    },
                )
    for practice in practices:
        by_practice[practice["id"]] = practice
        good = practice.get("outcome") in GOOD_OUTCOMES
        linked = problem_by_id.get(practice.get("problem"))
        resolved_problem = linked is not None and linked.get("status") == CLOSED_STATUS
        for code in _codes(practice):
            entry = slot(practice["school"], code)
            if good:
                entry["solved"] = True
            if good or resolved_problem or entry["open"]:
                add(
                    entry,
                    {
                        "kind": "practice",
                        "practice": practice["id"],
                        "title": practice.get("title"),
                        "outcome": practice.get("outcome"),
                    },
                )
    for adoption in adoptions or ():
        practice = by_practice.get(adoption.get("practice"))
        if practice is None or practice["school"] == adoption["school"]:
            continue
        good = adoption.get("outcome") in GOOD_OUTCOMES
        for code in _codes(practice):
            entry = slot(adoption["school"], code)
            if good:
                entry["solved"] = True
            if good or entry["open"]:
                add(
                    entry,
                    {
                        "kind": "adoption",
                        "practice": practice["id"],
                        "title": practice.get("title"),
                        "outcome": adoption.get("outcome"),
                    },
                )

    result = {}
    for (school, code), entry in found.items():
        if entry["resolved"] is not None and (not entry["open"] or entry["resolved"] > entry["weight"]):
            entry["solved"] = True
        if not (entry["solved"] or entry["open"]):
            continue  # a practice in progress on a closed or unknown problem says nothing yet
        evidence = entry["evidence"]
        if code == ENLACE_CATEGORY and enlace and enlace.get(school) is not None:
            score = float(enlace[school])
            evidence.append(
                {"kind": "enlace", "score": score, "high": enlace_high is not None and score >= enlace_high}
            )
        evidence.sort(key=lambda item: _ORDER[item["kind"]])
        result.setdefault(school, {})[code] = {
            "state": SOLVED if entry["solved"] else WORKING,
            "weight": entry["weight"],
            "evidence": evidence,
        }
    return {school: result[school] for school in sorted(result, key=id_sort_key)}


def _solved(progress, school):
    return {code for code, e in (progress.get(school) or {}).items() if e["state"] == SOLVED}


def _working(progress, school):
    return {
        code: e["weight"] or 1.0 for code, e in (progress.get(school) or {}).items() if e["state"] == WORKING
    }


def help_matrix(progress, ids):
    """Return ``C``: how much each pair of schools can help each other, in [0, 1].

    ``A[i, j]`` is the share of school ``j``'s open need (its categories *en proceso*, weighted by
    priority) in categories that school ``i`` has solved; ``C = min(1, A + A.T)``, zero diagonal.
    Used as the complementarity term of :func:`network.grouping.group_schools`.

    Examples
    --------
    >>> progress = {
    ...     "A": {"lectura-escritura": {"state": "resuelto", "weight": 0.0, "evidence": []}},
    ...     "B": {"lectura-escritura": {"state": "en_proceso", "weight": 3.0, "evidence": []},
    ...           "convivencia": {"state": "en_proceso", "weight": 1.0, "evidence": []}},
    ... }
    >>> help_matrix(progress, ["A", "B", "C"]).tolist()
    [[0.0, 0.75, 0.0], [0.75, 0.0, 0.0], [0.0, 0.0, 0.0]]
    """
    n = len(ids)
    codes = sorted({code for school in ids for code in (progress.get(school) or {})})
    index = {code: k for k, code in enumerate(codes)}
    solved = np.zeros((n, len(codes)))
    need = np.zeros((n, len(codes)))
    for row, school in enumerate(ids):
        for code in _solved(progress, school):
            solved[row, index[code]] = 1.0
        for code, weight in _working(progress, school).items():
            need[row, index[code]] = weight
    total = need.sum(axis=1)
    covered = solved @ need.T  # covered[i, j]: weight of j's need in categories i solved
    A = np.divide(covered, total[None, :], out=np.zeros((n, n)), where=total[None, :] > 0)
    C = np.minimum(1.0, A + A.T)
    np.fill_diagonal(C, 0.0)
    return C


def help_in_group(progress, members):
    """Who in `members` can help whom: ``[{"helper", "category", "learners", "evidence"}]``.

    One item per school and category it solved that other members are working on; learners keep
    the order of `members`. Ordered by number of learners (desc), then helper and category.

    Examples
    --------
    >>> progress = {
    ...     "A": {"lectura-escritura": {"state": "resuelto", "weight": 0.0, "evidence": [{"kind": "x"}]}},
    ...     "B": {"lectura-escritura": {"state": "en_proceso", "weight": 3.0, "evidence": []}},
    ...     "C": {"lectura-escritura": {"state": "en_proceso", "weight": 2.0, "evidence": []}},
    ... }
    >>> help_in_group(progress, ["C", "A", "B"])
    [{'helper': 'A', 'category': 'lectura-escritura', 'learners': ['C', 'B'], 'evidence': [{'kind': 'x'}]}]
    """
    items = []
    for helper in members:
        for code in sorted(_solved(progress, helper)):
            learners = [m for m in members if m != helper and code in _working(progress, m)]
            if learners:
                evidence = progress[helper][code]["evidence"]
                items.append({"helper": helper, "category": code, "learners": learners, "evidence": evidence})
    items.sort(key=lambda item: (-len(item["learners"]), id_sort_key(item["helper"]), item["category"]))
    return items


def help_edges(progress, ids):
    """Directed edges ``(helper, learner, [categories])`` over `ids`, for a picture of who helps whom.

    Examples
    --------
    >>> progress = {
    ...     "A": {"convivencia": {"state": "resuelto", "weight": 0.0, "evidence": []}},
    ...     "B": {"convivencia": {"state": "en_proceso", "weight": 2.0, "evidence": []}},
    ... }
    >>> help_edges(progress, ["A", "B"])
    [('A', 'B', ['convivencia'])]
    """
    edges = []
    working = {school: _working(progress, school) for school in ids}
    for helper in ids:
        solved = _solved(progress, helper)
        if not solved:
            continue
        for learner in ids:
            if learner != helper:
                shared = sorted(solved & set(working[learner]))
                if shared:
                    edges.append((helper, learner, shared))
    return edges
