"""School profiles and the similarity between schools, vectorised with numpy.

A school's *profile* maps each category to the highest priority among its
open problems (status other than ``"resuelta"``) tagged with it.  The default
similarity of two schools is the weighted Jaccard index of their profiles::

    J(a, b) = sum_c min(a_c, b_c) / sum_c max(a_c, b_c)     (0 if both empty)

Two optional terms can be blended in, each with a keyword weight that
defaults to 0 (so the default *is* the weighted Jaccard index):

* ``text_weight``: cosine similarity of the TF-IDF vectors of the schools'
  open-problem texts (Spanish, accents and case ignored, stopwords removed);
* ``complementarity_weight``: how much of each school's need is covered by
  categories in which the other school has a practice with a good outcome,
  averaged over both directions.

The blend is the weighted mean ``(J + t*T + c*C) / (1 + t + c)``, so every
score stays in [0, 1].

Over 400 lines on purpose: one family of vectorised similarity functions with their doctests, from
profiles to matrices; each needs the others' conventions in view.
"""

import numpy as np

from .taxonomy import CATEGORIES, GOOD_OUTCOMES, OPEN_STATUSES, category_weight
from .text import text_similarity_matrix

__all__ = [
    "school_profiles",
    "school_texts",
    "good_practices",
    "weighted_jaccard",
    "profile_matrix",
    "jaccard_matrix",
    "complementarity_matrix",
    "similarity_matrix",
    "shared_categories",
    "useful_practices",
    "explain_similarity",
]


def _problem_categories(problem):
    """Return ``{category: weight}`` for a problem's ``categories`` field."""
    categories = problem.get("categories") or {}
    if isinstance(categories, dict):
        return {code: category_weight(value) for code, value in categories.items()}
    # A bare list of codes: every tag counts as a medium priority.
    return {code: category_weight("media") for code in categories}


def _is_open(problem, statuses):
    return problem.get("status", "abierta") in statuses


def school_profiles(problems, *, statuses=OPEN_STATUSES):
    """Return ``{school: {category: weight}}`` from open problems.

    Parameters
    ----------
    problems : iterable of dict
        Each with ``"school"``, ``"categories"`` (``{code: "alta"|"media"|
        "baja"|number}`` or a list of codes, worth "media") and ``"status"``
        (``"abierta"`` if missing).
    statuses : set of str
        Statuses that count as open.

    Returns
    -------
    dict
        For each school with at least one open problem, the highest weight
        per category.

    Examples
    --------
    >>> problems = [
    ...     {"id": 1, "school": "A", "categories": {"convivencia": "baja"},
    ...      "status": "abierta"},
    ...     {"id": 2, "school": "A", "categories": {"convivencia": "alta",
    ...      "lectura-escritura": "media"}, "status": "en_atencion"},
    ...     {"id": 3, "school": "A", "categories": {"asistencia-permanencia": "alta"},
    ...      "status": "resuelta"},
    ... ]
    >>> school_profiles(problems)
    {'A': {'convivencia': 3.0, 'lectura-escritura': 2.0}}
    """
    profiles = {}
    for problem in problems:
        if not _is_open(problem, statuses):
            continue
        profile = profiles.setdefault(problem["school"], {})
        for code, weight in _problem_categories(problem).items():
            if weight > profile.get(code, 0.0):
                profile[code] = weight
    return profiles


def school_texts(problems, *, statuses=OPEN_STATUSES):
    """Return ``{school: text}`` joining the texts of each school's open problems.

    Examples
    --------
    >>> school_texts([{"school": "A", "text": "Lectura"},
    ...               {"school": "A", "text": "Escritura", "status": "abierta"},
    ...               {"school": "B", "text": "Viejo", "status": "resuelta"}])
    {'A': 'Lectura\\nEscritura'}
    """
    texts = {}
    for problem in problems:
        if _is_open(problem, statuses) and problem.get("text"):
            texts.setdefault(problem["school"], []).append(str(problem["text"]))
    return {school: "\n".join(parts) for school, parts in texts.items()}


def good_practices(practices, adoptions=(), *, outcomes=GOOD_OUTCOMES):
    """Return ``{school: {category: [practice ids]}}`` of practices that worked.

    A school "has" a practice in a category if it authored a practice tagged
    with it whose outcome is good, or adopted one with a good outcome.

    Examples
    --------
    >>> practices = [
    ...     {"id": "p1", "school": "A", "categories": ["convivencia"], "outcome": "bueno"},
    ...     {"id": "p2", "school": "A", "categories": ["lectura-escritura"], "outcome": "malo"},
    ... ]
    >>> adoptions = [{"practice": "p1", "school": "B", "outcome": "bueno"}]
    >>> good_practices(practices, adoptions)
    {'A': {'convivencia': ['p1']}, 'B': {'convivencia': ['p1']}}
    """
    by_id = {}
    result = {}

    def add(school, practice):
        slot = result.setdefault(school, {})
        for code in practice.get("categories") or ():
            ids = slot.setdefault(code, [])
            if practice["id"] not in ids:
                ids.append(practice["id"])

    for practice in practices:
        by_id[practice["id"]] = practice
        if practice.get("outcome") in outcomes:
            add(practice["school"], practice)
    for adoption in adoptions:
        practice = by_id.get(adoption.get("practice"))
        if practice is not None and adoption.get("outcome") in outcomes:
            add(adoption["school"], practice)
    return result


def weighted_jaccard(p, q):
    """Return the weighted Jaccard similarity of two ``{category: weight}`` dicts.

    Examples
    --------
    >>> weighted_jaccard({"convivencia": 3, "lectura-escritura": 1},
    ...                  {"convivencia": 2, "asistencia-permanencia": 2})
    0.3333333333333333
    >>> weighted_jaccard({}, {})
    0.0
    """
    keys = set(p) | set(q)
    top = sum(min(p.get(k, 0.0), q.get(k, 0.0)) for k in keys)
    bottom = sum(max(p.get(k, 0.0), q.get(k, 0.0)) for k in keys)
    return top / bottom if bottom > 0 else 0.0


def profile_matrix(profiles, ids, *, categories=CATEGORIES):
    """Return ``(P, categories)``: one row per id, one column per category.

    Categories outside `categories` get extra columns (sorted), so nothing is
    silently dropped.  Ids without a profile get a zero row.

    Examples
    --------
    >>> P, cols = profile_matrix({"A": {"convivencia": 3}}, ["A", "B"],
    ...                          categories=["convivencia", "lenguaje-oral"])
    >>> P.tolist(), cols
    ([[3.0, 0.0], [0.0, 0.0]], ['convivencia', 'lenguaje-oral'])
    """
    columns = list(categories)
    index = {code: k for k, code in enumerate(columns)}
    extra = sorted({code for i in ids for code in (profiles.get(i) or {}) if code not in index})
    for code in extra:
        index[code] = len(columns)
        columns.append(code)
    P = np.zeros((len(ids), len(columns)))
    for row, school in enumerate(ids):
        for code, weight in (profiles.get(school) or {}).items():
            P[row, index[code]] = weight
    return P, columns


def _minimum_sums(P, Q):
    """Return ``M[i, j] = sum_c min(P[i, c], Q[j, c])``."""
    n, m, c = P.shape[0], Q.shape[0], P.shape[1]
    if n * m * c <= 250_000:
        return np.minimum(P[:, None, :], Q[None, :, :]).sum(axis=2)
    levels = np.unique(np.concatenate([P.ravel(), Q.ravel()]))
    levels = levels[levels > 0]
    if len(levels) <= 8:
        # min(a, b) = sum_k (v_k - v_{k-1}) [a >= v_k][b >= v_k]: a few BLAS
        # products instead of an (n, m, c) temporary.
        out = np.zeros((n, m))
        previous = 0.0
        for level in levels:
            out += (level - previous) * ((P >= level) * 1.0) @ ((Q >= level) * 1.0).T
            previous = level
        return out
    out = np.empty((n, m))
    step = max(1, 250_000 // max(m * c, 1))
    for start in range(0, n, step):
        chunk = P[start : start + step]
        out[start : start + step] = np.minimum(chunk[:, None, :], Q[None]).sum(axis=2)
    return out


def jaccard_matrix(P, Q=None):
    """Return the weighted Jaccard similarity between the rows of `P` (and `Q`).

    Examples
    --------
    >>> jaccard_matrix([[3, 1, 0], [2, 0, 2], [0, 0, 0]]).round(3).tolist()
    [[1.0, 0.333, 0.0], [0.333, 1.0, 0.0], [0.0, 0.0, 0.0]]
    """
    P = np.asarray(P, dtype=float)
    Q = P if Q is None else np.asarray(Q, dtype=float)
    minima = _minimum_sums(P, Q)
    maxima = P.sum(axis=1)[:, None] + Q.sum(axis=1)[None, :] - minima
    S = np.divide(minima, maxima, out=np.zeros_like(minima), where=maxima > 0)
    return np.clip(S, 0.0, 1.0, out=S)


def complementarity_matrix(P, H):
    """Return how much each school's need is covered by the other's good practices.

    ``C[i, j]`` is the mean, over both directions, of the share of the
    profile weight of one school that falls in categories where the other
    has a practice with a good outcome (``H`` is a 0/1 matrix with the same
    columns as `P`).

    Examples
    --------
    >>> P = [[3, 1], [0, 2]]
    >>> H = [[0, 1], [1, 0]]
    >>> complementarity_matrix(P, H).tolist()
    [[0.25, 0.875], [0.875, 0.0]]
    """
    P = np.asarray(P, dtype=float)
    H = (np.asarray(H, dtype=float) > 0) * 1.0
    need = P.sum(axis=1)
    covered = P @ H.T  # covered[i, j]: weight of i's need that j can help with
    share = np.divide(covered, need[:, None], out=np.zeros_like(covered), where=need[:, None] > 0)
    return (share + share.T) / 2.0


def similarity_matrix(
    profiles,
    *,
    ids=None,
    texts=None,
    practices=None,
    text_weight=0.0,
    complementarity_weight=0.0,
):
    """Return ``(ids, S)``: the similarity matrix between schools.

    Parameters
    ----------
    profiles : dict
        ``{school: {category: weight}}``, e.g. from :func:`school_profiles`.
    ids : list, optional
        Schools (rows/columns, in this order).  Default: sorted profile keys.
    texts : dict, optional
        ``{school: text}`` of open problems (needed if `text_weight` > 0).
    practices : dict, optional
        ``{school: {category: [practice ids]}}`` from :func:`good_practices`
        (needed if `complementarity_weight` > 0).
    text_weight, complementarity_weight : float
        Weights of the optional terms; 0 means pure weighted Jaccard.

    Returns
    -------
    ids : list
    S : ndarray, shape (n, n)
        Symmetric, in [0, 1]; the diagonal is that of the blend (1 for a
        school with a profile).

    Examples
    --------
    >>> ids, S = similarity_matrix({"A": {"convivencia": 3},
    ...                             "B": {"convivencia": 1}})
    >>> ids, S.round(3).tolist()
    (['A', 'B'], [[1.0, 0.333], [0.333, 1.0]])
    >>> practices = {"B": {"convivencia": ["p9"]}}
    >>> S = similarity_matrix({"A": {"convivencia": 3}, "B": {"convivencia": 1}},
    ...                       practices=practices, complementarity_weight=1.0)[1]
    >>> round(float(S[0, 1]), 3)
    0.417
    """
    if text_weight < 0 or complementarity_weight < 0:
        raise ValueError("los pesos deben ser no negativos")
    ids = sorted(profiles, key=id_sort_key) if ids is None else list(ids)
    P, columns = profile_matrix(profiles, ids)
    S = jaccard_matrix(P)
    total = 1.0
    if text_weight > 0:
        texts = texts or {}
        S = S + text_weight * text_similarity_matrix([texts.get(i, "") for i in ids])
        total += text_weight
    if complementarity_weight > 0:
        H = _practice_matrix(practices or {}, ids, columns)
        S = S + complementarity_weight * complementarity_matrix(P, H)
        total += complementarity_weight
    return ids, S / total


def _practice_matrix(practices, ids, columns):
    index = {code: k for k, code in enumerate(columns)}
    H = np.zeros((len(ids), len(columns)))
    for row, school in enumerate(ids):
        for code, found in (practices.get(school) or {}).items():
            if found and code in index:
                H[row, index[code]] = 1.0
    return H


def id_sort_key(value):
    """Sort key that orders ids of mixed types deterministically (numbers first).

    Examples
    --------
    >>> sorted(["b", 10, "a", 2], key=id_sort_key)
    [2, 10, 'a', 'b']
    """
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (0, value, "")
    return (1, 0, str(value))


def shared_categories(*profiles_, min_count=2):
    """Return categories in at least `min_count` of the profiles, most shared first.

    Ordered by number of profiles (desc), then summed weight (desc), then
    code.

    Examples
    --------
    >>> shared_categories({"convivencia": 3, "lenguaje-oral": 1},
    ...                   {"convivencia": 1, "lenguaje-oral": 3},
    ...                   {"convivencia": 2})
    ['convivencia', 'lenguaje-oral']
    """
    count, weight = {}, {}
    for profile in profiles_:
        for code, value in (profile or {}).items():
            if value > 0:
                count[code] = count.get(code, 0) + 1
                weight[code] = weight.get(code, 0.0) + value
    chosen = [code for code, c in count.items() if c >= min_count]
    return sorted(chosen, key=lambda code: (-count[code], -weight[code], code))


def useful_practices(profile, practices, *, school=None):
    """Return the practices (of `school`) for categories where `profile` has needs.

    Parameters
    ----------
    profile : dict
        ``{category: weight}`` of the school that needs help.
    practices : dict
        ``{category: [practice ids]}`` that worked for the helping school.
    school : optional
        Id of the helping school, copied into every item.

    Returns
    -------
    list of dict
        ``{"practice", "school", "categories"}`` ordered by the weight of
        the need they cover (desc), then practice id.

    Examples
    --------
    >>> useful_practices({"convivencia": 3, "lenguaje-oral": 1},
    ...                  {"convivencia": ["p1"], "lenguaje-oral": ["p1", "p2"],
    ...                   "tecnologia-educativa": ["p3"]}, school="B")
    [{'practice': 'p1', 'school': 'B', 'categories': ['convivencia', 'lenguaje-oral']}, {'practice': 'p2', 'school': 'B', 'categories': ['lenguaje-oral']}]
    """
    found = {}
    for code, ids in (practices or {}).items():
        if (profile or {}).get(code, 0) > 0:
            for practice in ids:
                found.setdefault(practice, []).append(code)
    items = []
    for practice, codes in found.items():
        codes = sorted(codes, key=lambda c: (-profile[c], c))
        items.append({"practice": practice, "school": school, "categories": codes})
    items.sort(key=lambda item: (-sum(profile[c] for c in item["categories"]), id_sort_key(item["practice"])))
    return items


def explain_similarity(
    a,
    b,
    *,
    profiles,
    texts=None,
    practices=None,
    text_weight=0.0,
    complementarity_weight=0.0,
):
    """Return the similarity of schools `a` and `b` with its reasons.

    Parameters are those of :func:`similarity_matrix`.  The text term is
    computed on the two schools' texts only (its IDF has two documents).

    Returns
    -------
    dict
        ``{"score", "jaccard", "text", "complementarity", "reasons":
        {"shared_categories": [...], "practices": [...]}}`` where
        ``practices`` are the practices of either school that cover a need
        of the other.

    Examples
    --------
    >>> profiles = {"A": {"convivencia": 3, "lectura-escritura": 2},
    ...             "B": {"convivencia": 2}}
    >>> practices = {"B": {"lectura-escritura": ["p7"]}}
    >>> r = explain_similarity("A", "B", profiles=profiles, practices=practices)
    >>> r["score"], r["reasons"]["shared_categories"]
    (0.4, ['convivencia'])
    >>> r["reasons"]["practices"]
    [{'practice': 'p7', 'school': 'B', 'categories': ['lectura-escritura']}]
    """
    ids, S = similarity_matrix(
        {a: profiles.get(a) or {}, b: profiles.get(b) or {}},
        ids=[a, b],
        texts=texts,
        practices=practices,
        text_weight=text_weight,
        complementarity_weight=complementarity_weight,
    )
    pa, pb = profiles.get(a) or {}, profiles.get(b) or {}
    practices = practices or {}
    result = {
        "score": float(S[0, 1]),
        "jaccard": weighted_jaccard(pa, pb),
        "text": None,
        "complementarity": None,
    }
    if text_weight > 0:
        texts = texts or {}
        result["text"] = float(text_similarity_matrix([texts.get(a, ""), texts.get(b, "")])[0, 1])
    if complementarity_weight > 0:
        P, columns = profile_matrix({a: pa, b: pb}, [a, b])
        H = _practice_matrix(practices, [a, b], columns)
        result["complementarity"] = float(complementarity_matrix(P, H)[0, 1])
    result["reasons"] = {
        "shared_categories": shared_categories(pa, pb),
        "practices": useful_practices(pa, practices.get(b), school=b)
        + useful_practices(pb, practices.get(a), school=a),
    }
    return result
