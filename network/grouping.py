"""Partition schools into small groups that maximise their *afinidad total*.

The objective of a grouping is the sum, over schools, of the mean similarity
of the school to the other members of its group (a school alone contributes
0).  For a group ``g`` of ``m >= 2`` schools whose pairwise similarities add
up to ``W(g)`` this is ``2 W(g) / (m - 1)``, i.e. ``m`` times the group's mean
pairwise similarity, which is the group ``"score"`` reported.

How :func:`partition` works (see also ``docs/benchmarks.md``):

1. **Relaxation.**  With groups of 2 and 3 the value of a group equals the
   weight of a directed cycle through its members (``2 S_ij`` for a pair,
   ``S_ij + S_jk + S_ki`` for a triple), so the maximum-weight cycle cover of
   the similarity matrix — a linear assignment problem solved by
   :func:`scipy.optimize.linear_sum_assignment` in ``O(n^3)`` compiled code —
   is an upper bound of the optimum.  Its cycles are laid end to end and cut
   into groups of allowed sizes by a dynamic programme.
2. **Local search.**  Moves of a school to another group, swaps of two
   schools, dissolving a group into others and creating a pair from two
   groups that can spare a member.  The gain of every candidate is computed
   at once with numpy from ``T = S @ membership`` (similarity of each school
   to each group), and all improving candidates that touch disjoint groups
   are applied in the same round.
3. **Restarts.**  The relaxation is solved again on the matrix plus seeded
   symmetric noise; the best grouping wins.  The search stops early when it
   reaches the relaxation's bound (then it is provably optimal).

Groups of exactly two (``min_size=max_size=2``) are an optimal maximum-weight
matching: :func:`networkx.max_weight_matching` on the complete graph (up to
``matching_limit`` schools; larger sets use a sparse graph of each school's
nearest neighbours, refined by swaps).
"""

import zlib

import networkx as nx
import numpy as np
from scipy.optimize import linear_sum_assignment

from .geo import coordinates_array, distance_matrix_km
from .similarity import (
    complementarity_matrix,
    good_practices,
    id_sort_key,
    jaccard_matrix,
    profile_matrix,
    school_profiles,
    school_texts,
    shared_categories,
    _practice_matrix,
)
from .text import tfidf_matrix

__all__ = [
    "grouping_affinity",
    "partition",
    "exact_grouping",
    "group_schools",
]

_EPS = 1e-9
_NEG = -np.inf


# ---------------------------------------------------------------------------
# Objective
# ---------------------------------------------------------------------------


def grouping_affinity(groups, similarity):
    """Return the *afinidad total* of `groups` (lists of indices into `similarity`).

    Examples
    --------
    >>> S = [[0, .5, .1, 0], [.5, 0, .2, 0], [.1, .2, 0, .9], [0, 0, .9, 0]]
    >>> grouping_affinity([[0, 1], [2, 3]], S)
    2.8
    >>> grouping_affinity([[0, 1, 2], [3]], S)
    0.8
    """
    S = np.asarray(similarity, dtype=float)
    total = 0.0
    for group in groups:
        group = list(group)
        if len(group) >= 2:
            block = S[np.ix_(group, group)]
            total += (block.sum() - np.trace(block)) / (len(group) - 1)
    return float(total)


def _values(size, W):
    """Group value ``2 W / (size - 1)`` (0 for fewer than two members)."""
    size = np.asarray(size, dtype=float)
    return np.where(size >= 2, 2.0 * W / np.where(size > 1, size - 1, 1.0), 0.0)


def _coefficients(size):
    return np.where(size >= 2, 2.0 / np.where(size > 1, size - 1, 1.0), 0.0)


def _feasible(n, min_size, max_size):
    """True if n schools fit exactly in groups of min_size..max_size."""
    return any(
        k * min_size <= n <= k * max_size
        for k in range(max(1, -(-n // max_size)), n // min_size + 1)
    )


def _check_sizes(min_size, max_size):
    if int(min_size) != min_size or int(max_size) != max_size:
        raise ValueError("min_size y max_size deben ser enteros")
    if min_size < 1 or max_size < min_size:
        raise ValueError("se requiere 1 <= min_size <= max_size")


def _symmetric(similarity):
    S = np.array(similarity, dtype=float)
    if S.ndim != 2 or S.shape[0] != S.shape[1]:
        raise ValueError("la matriz de similitud debe ser cuadrada")
    if not np.isfinite(S).all():
        raise ValueError("la matriz de similitud tiene valores no finitos")
    S = (S + S.T) / 2.0
    np.fill_diagonal(S, 0.0)
    return S


# ---------------------------------------------------------------------------
# Exact solver (small sets)
# ---------------------------------------------------------------------------


def exact_grouping(similarity, *, min_size=2, max_size=3):
    """Return ``(groups, affinity)`` of an optimal grouping, by DP over subsets.

    Exponential (``O(2^n)`` states, vectorised per popcount layer): meant for
    ``n <= 16`` (about 0.1 s) as the reference for :func:`partition`.  When
    ``n`` cannot be split into sizes ``min_size..max_size`` exactly, one group
    smaller than ``min_size`` is allowed (as in :func:`partition`).

    Examples
    --------
    >>> S = [[0, .9, .1, .1], [.9, 0, .1, .1], [.1, .1, 0, .8], [.1, .1, .8, 0]]
    >>> groups, value = exact_grouping(S, min_size=2, max_size=2)
    >>> groups, round(value, 6)
    ([[0, 1], [2, 3]], 3.4)
    """
    _check_sizes(min_size, max_size)
    S = _symmetric(similarity)
    n = S.shape[0]
    if n > 20:
        raise ValueError("exact_grouping es exponencial: use n <= 20")
    if n == 0:
        return [], 0.0
    if n < min_size:
        groups = [list(range(n))]
        return groups, grouping_affinity(groups, S)
    remainder = not _feasible(n, min_size, max_size)
    masks = np.arange(1 << n, dtype=np.int64)
    bits = ((masks[:, None] >> np.arange(n)) & 1).astype(float)
    count = bits.sum(axis=1).astype(np.int64)
    W = 0.5 * ((bits @ S) * bits).sum(axis=1)
    value = _values(count, W)
    lowbit = masks & -masks
    low = np.full(masks.shape, -1)
    for b in range(n):
        low[lowbit == (1 << b)] = b
    normal = (count >= min_size) & (count <= max_size)
    small = (count >= 1) & (count < min_size) & remainder

    f0 = np.full(masks.shape, _NEG)
    f0[0] = 0.0
    f1 = np.full(masks.shape, _NEG)
    choice0 = np.zeros(masks.shape, dtype=np.int64)
    choice1 = np.zeros(masks.shape, dtype=np.int64)

    def best(M, G, source):
        inside = (G[None, :] & ~M[:, None]) == 0
        candidates = np.where(inside, value[G][None, :] + source[M[:, None] ^ G[None, :]], _NEG)
        k = candidates.argmax(axis=1)
        return candidates[np.arange(len(M)), k], G[k]

    for size in range(1, n + 1):
        layer = masks[count == size]
        layer_low = low[layer]
        for b in range(n):
            M = layer[layer_low == b]
            if M.size == 0:
                continue
            mine = (low == b) & (count <= size)
            G = masks[mine & normal]
            if G.size:
                f0[M], choice0[M] = best(M, G, f0)
            if remainder:
                options = []
                if G.size:
                    options.append(best(M, G, f1))
                Gs = masks[mine & small]
                if Gs.size:
                    options.append(best(M, Gs, f0))
                if options:
                    vals = np.stack([o[0] for o in options])
                    picks = np.stack([o[1] for o in options])
                    k = vals.argmax(axis=0)
                    f1[M] = vals[k, np.arange(len(M))]
                    choice1[M] = picks[k, np.arange(len(M))]
    mask = (1 << n) - 1
    total = f1[mask] if remainder else f0[mask]
    groups, use_small = [], remainder
    while mask:
        g = int(choice1[mask] if use_small else choice0[mask])
        if use_small and count[g] < min_size:
            use_small = False
        groups.append([i for i in range(n) if g >> i & 1])
        mask ^= g
    groups.sort()
    return groups, float(total)


# ---------------------------------------------------------------------------
# Heuristic solver
# ---------------------------------------------------------------------------


def _cycle_cover(C):
    """Return (cycles, value) of the maximum-weight cycle cover of matrix `C`."""
    n = C.shape[0]
    C = C.copy()
    np.fill_diagonal(C, -(np.abs(C).sum() + 1.0) * 2.0)
    rows, cols = linear_sum_assignment(C, maximize=True)
    successor = cols[np.argsort(rows)]
    seen = np.zeros(n, dtype=bool)
    cycles = []
    for start in range(n):
        if seen[start]:
            continue
        cycle, node = [], start
        while not seen[node]:
            seen[node] = True
            cycle.append(node)
            node = successor[node]
        cycles.append(cycle)
    return cycles, float(C[rows, cols].sum())


def _chop(S, sequence, min_size, max_size, remainder):
    """Cut `sequence` into consecutive groups of allowed sizes maximising value.

    Returns (labels, fixed) where `fixed` is the label of the one group
    smaller than min_size (or -1).
    """
    n = len(sequence)
    seq = np.asarray(sequence)
    sizes = list(range(min_size, max_size + 1))
    smalls = list(range(1, min_size)) if remainder else []
    segment = {}
    for s in set(sizes + smalls):
        if s > n:
            continue
        span = n - s + 1
        w = np.zeros(span)
        for u in range(s):
            for v in range(u + 1, s):
                w += S[seq[u : u + span], seq[v : v + span]]
        segment[s] = (2.0 * w / (s - 1) if s >= 2 else w).tolist()
    neg = float("-inf")
    f0 = [neg] * (n + 1)
    f0[0] = 0.0
    f1 = [neg] * (n + 1)
    step0 = [0] * (n + 1)
    step1 = [(0, False)] * (n + 1)
    for k in range(1, n + 1):
        for s in sizes:
            if s > k:
                break
            if f0[k - s] > neg:
                v = f0[k - s] + segment[s][k - s]
                if v > f0[k]:
                    f0[k], step0[k] = v, s
            if remainder and f1[k - s] > neg:
                v = f1[k - s] + segment[s][k - s]
                if v > f1[k]:
                    f1[k], step1[k] = v, (s, False)
        for s in smalls:
            if s <= k and f0[k - s] > neg:
                v = f0[k - s] + segment[s][k - s]
                if v > f1[k]:
                    f1[k], step1[k] = v, (s, True)
    labels = np.empty(n, dtype=np.int64)
    k, label, fixed, use_small = n, 0, -1, remainder
    while k > 0:
        if use_small:
            s, is_small = step1[k]
            if is_small:
                fixed, use_small = label, False
        else:
            s = step0[k]
        labels[seq[k - s : k]] = label
        label += 1
        k -= s
    return labels, fixed


def _improve(S, labels, min_size, max_size, fixed, *, max_rounds=None):
    """Local search from `labels`; returns improved labels (a new array)."""
    n = S.shape[0]
    rows = np.arange(n)
    capacity = n
    group_ids = np.arange(capacity)
    labels = labels.copy()
    membership = np.zeros((n, capacity))
    membership[rows, labels] = 1.0
    T = S @ membership  # T[i, g]: summed similarity of school i to group g
    size = np.bincount(labels, minlength=capacity).astype(float)
    W = 0.5 * np.bincount(labels, weights=T[rows, labels], minlength=capacity)
    can_create = min_size <= 2 and max_size >= 2

    def relocate(i, target):
        source = labels[i]
        W[source] -= T[i, source]
        T[:, source] -= S[:, i]
        size[source] -= 1
        W[target] += T[i, target]
        T[:, target] += S[:, i]
        size[target] += 1
        labels[i] = target

    for _ in range(max_rounds or 4 * n + 50):
        own = T[rows, labels]
        current = _values(size, W)
        own_size = size[labels]
        removal = _values(own_size - 1, W[labels] - own) - current[labels]
        can_leave = (own_size - 1 >= min_size) & (labels != fixed)
        can_enter = (size >= 1) & (size + 1 <= max_size) & (group_ids != fixed)
        insertion = _values(size + 1, W + T) - current
        insertion[:, ~can_enter] = _NEG
        insertion[rows, labels] = _NEG
        candidates = []

        # 0: move one school to another group
        target = insertion.argmax(axis=1)
        gain = removal + insertion[rows, target]
        gain[~can_leave] = _NEG
        for i in np.flatnonzero(gain > _EPS):
            candidates.append((gain[i], 0, i, target[i]))

        # 1: swap two schools of different groups (sizes unchanged)
        to_group = T[:, labels]  # to_group[x, y] = T[x, group of y]
        coefficient = _coefficients(size)[labels]
        swap = coefficient[:, None] * (to_group.T - own[:, None] - S)
        swap += coefficient[None, :] * (to_group - own[None, :] - S)
        same = labels[:, None] == labels[None, :]
        swap[same] = _NEG
        partner = swap.argmax(axis=1)
        gain = swap[rows, partner]
        for i in np.flatnonzero(gain > _EPS):
            candidates.append((gain[i], 1, i, partner[i]))

        # 2: create a pair from schools whose groups can spare them
        if can_create and (size == 0).any():
            create = removal[:, None] + removal[None, :] + 2.0 * S
            both = can_leave[:, None] & can_leave[None, :]
            if max_size >= 4:
                # Two schools leaving the same group together.
                shrunk = own_size[:, None] - 2
                together = _values(
                    shrunk, W[labels][:, None] - own[:, None] - own[None, :] + S
                ) - current[labels][:, None] + 2.0 * S
                create = np.where(same, together, create)
                both = np.where(same, (shrunk >= min_size) & (labels != fixed)[:, None], both)
            else:
                both &= ~same
            create[~both] = _NEG
            create[rows, rows] = _NEG
            partner = create.argmax(axis=1)
            gain = create[rows, partner]
            for i in np.flatnonzero(gain > _EPS):
                candidates.append((gain[i], 2, i, partner[i]))
        if min_size <= 1 and (size == 0).any():
            for i in np.flatnonzero(can_leave & (removal > _EPS)):
                candidates.append((removal[i], 4, i, -1))

        # 3: dissolve a group, its members going to distinct other groups
        best_out = insertion.max(axis=1)
        bound = np.bincount(labels, weights=best_out, minlength=capacity) - current
        bound[(size == 0) | (group_ids == fixed)] = _NEG
        for g in np.argsort(-bound, kind="stable")[:3]:
            if not bound[g] > _EPS:
                break
            members = np.flatnonzero(labels == g)
            members = members[np.argsort(-best_out[members], kind="stable")]
            used, plan, total = [], [], -current[g]
            for i in members:
                row = insertion[i].copy()
                row[used] = _NEG
                t = int(row.argmax())
                total += row[t]
                used.append(t)
                plan.append((i, t))
            if total > _EPS:
                candidates.append((total, 3, g, plan))

        if not candidates:
            break
        candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
        touched = set()
        free = [g for g in np.flatnonzero(size == 0).tolist()]
        for _, kind, a, b in candidates:
            if kind == 0:
                groups = {labels[a], b}
            elif kind == 1:
                groups = {labels[a], labels[b]}
            elif kind in (2, 4):
                groups = {labels[a]} if kind == 4 else {labels[a], labels[b]}
                free = [g for g in free if g not in touched]
                if not free:
                    continue
                groups.add(free[0])
            else:
                groups = {a} | {t for _, t in b}
            if touched & groups:
                continue
            touched |= groups
            if kind == 0:
                relocate(a, b)
            elif kind == 1:
                ga, gb = labels[a], labels[b]
                relocate(a, gb)
                relocate(b, ga)
            elif kind == 2:
                new = free.pop(0)
                relocate(a, new)
                relocate(b, new)
            elif kind == 4:
                relocate(a, free.pop(0))
            else:
                for i, t in b:
                    relocate(i, t)
    return labels


def _labels_value(S, labels):
    """Afinidad total of the grouping given by `labels` (vectorised)."""
    inside = (S * (labels[:, None] == labels[None, :])).sum(axis=1)
    twice_w = np.bincount(labels, weights=inside)
    size = np.bincount(labels)
    return float((_values(size, twice_w / 2.0)).sum())


def _labels_to_groups(labels):
    groups = {}
    for i, g in enumerate(labels.tolist()):
        groups.setdefault(g, []).append(i)
    return sorted(groups.values())


def _matching_groups(S, min_size, *, limit, neighbours=12):
    """Optimal pairs (plus a singleton if n is odd) by max-weight matching."""
    n = S.shape[0]
    G = nx.Graph()
    G.add_nodes_from(range(n))
    if n <= limit:
        iu, ju = np.triu_indices(n, 1)
    else:
        k = min(neighbours, n - 1)
        near = np.argpartition(-(S + np.diag(np.full(n, _NEG))), k - 1, axis=1)[:, :k]
        iu = np.repeat(np.arange(n), k)
        ju = near.ravel()
        iu, ju = np.minimum(iu, ju), np.maximum(iu, ju)
        pairs = np.unique(iu * n + ju)
        iu, ju = pairs // n, pairs % n
    G.add_weighted_edges_from(zip(iu.tolist(), ju.tolist(), S[iu, ju].tolist()))
    matching = nx.max_weight_matching(G, maxcardinality=min_size >= 2)
    groups = [sorted(pair) for pair in matching]
    single = sorted(set(range(n)) - {i for pair in matching for i in pair})
    if min_size >= 2:
        # Sparse graph leftovers: pair them in order, then improve by swaps.
        groups += [single[k : k + 2] for k in range(0, len(single) - 1, 2)]
        single = single[len(single) - len(single) % 2 :]
    groups += [[i] for i in single]
    return sorted(groups)


def partition(
    similarity,
    *,
    min_size=2,
    max_size=3,
    seed=0,
    restarts=None,
    matching_limit=64,
):
    """Return a partition of ``range(n)`` into groups maximising afinidad total.

    Parameters
    ----------
    similarity : array_like, shape (n, n)
        Pairwise similarity (symmetrised; the diagonal is ignored).  May
        hold negative values (penalties).
    min_size, max_size : int
        Group sizes.  A set smaller than `min_size` is a single group; if
        ``n`` cannot be split exactly, one group is smaller than `min_size`.
    seed : int
        Seed of the restarts' noise.  Same input and seed, same answer.
    restarts : int, optional
        Extra randomised starts (default: 6 up to 64 schools, 2 up to 400,
        else 1).
    matching_limit : int
        Largest set solved exactly by matching on the complete graph when
        ``max_size == 2``.

    Returns
    -------
    list of list of int
        Sorted groups of sorted indices.

    Examples
    --------
    >>> S = [[0, .9, .1, .1], [.9, 0, .1, .1], [.1, .1, 0, .8], [.1, .1, .8, 0]]
    >>> partition(S)
    [[0, 1], [2, 3]]
    >>> partition(S, min_size=3, max_size=4)
    [[0, 1, 2, 3]]
    """
    _check_sizes(min_size, max_size)
    S = _symmetric(similarity)
    n = S.shape[0]
    if n == 0:
        return []
    if n < min_size or (n <= max_size and n < 2 * min_size):
        return [list(range(n))]
    remainder = not _feasible(n, min_size, max_size)
    if restarts is None:
        restarts = 6 if n <= 64 else 2 if n <= 400 else 1
    if max_size == 2:
        groups = _matching_groups(S, min_size, limit=matching_limit)
        if n <= matching_limit:
            return groups
        labels = np.empty(n, dtype=np.int64)
        for g, members in enumerate(groups):
            labels[members] = g
        fixed = next((g for g, m in enumerate(groups) if len(m) < min_size), -1)
        return _labels_to_groups(_improve(S, labels, min_size, max_size, fixed))

    # The cycle cover bounds the optimum only when every group is a 2- or 3-cycle.
    exact_bound = min_size >= 2 and max_size <= 3 and not remainder
    rng = np.random.default_rng(seed)
    spread = float(np.clip(S, 0.0, None).std()) or 1.0  # penalties would swamp the noise
    best_labels, best_value, bound = None, _NEG, np.inf
    for attempt in range(restarts + 1):
        if attempt == 0:
            cycles, cover = _cycle_cover(S)
            if exact_bound:
                bound = cover
        else:
            noise = rng.normal(0.0, 0.3 * spread * attempt / restarts, (n, n))
            cycles, _ = _cycle_cover(S + noise + noise.T)
            order = rng.permutation(len(cycles))
            shifts = rng.integers(0, 1 << 30, len(cycles))
            cycles = [cycles[k][shifts[k] % len(cycles[k]):]
                      + cycles[k][: shifts[k] % len(cycles[k])] for k in order]
        sequence = [i for cycle in cycles for i in cycle]
        labels, fixed = _chop(S, sequence, min_size, max_size, remainder)
        labels = _improve(S, labels, min_size, max_size, fixed)
        value = _labels_value(S, labels)
        if value > best_value + _EPS:
            best_labels, best_value = labels, value
        if best_value >= bound - 1e-7:
            break
    return _labels_to_groups(best_labels)


# ---------------------------------------------------------------------------
# Grouping schools (plain data in, plain data out)
# ---------------------------------------------------------------------------

HOST_STRATEGIES = ("complementarity", "affinity", "location")


def _stable_seed(seed, key):
    """Seed for one set that depends on the seed and the set's key, not on order."""
    return [int(seed) & 0xFFFFFFFF, zlib.crc32(repr(key).encode("utf-8"))]


def _avoided_partners(past_groups, avoid_last):
    """Return ``{school: set(partners)}`` met in each school's last encounters."""
    history = {}
    for group in past_groups or ():
        members = list(group)
        for school in members:
            history.setdefault(school, []).append(members)
    avoided = {}
    for school, groups in history.items():
        recent = groups if avoid_last is None else groups[len(groups) - avoid_last :]
        if avoid_last is not None and avoid_last <= 0:
            recent = []
        for members in recent:
            for other in members:
                if other != school:
                    avoided.setdefault(school, set()).add(other)
                    avoided.setdefault(other, set()).add(school)
    return avoided


def _choose_host(members, S, P, H, coordinates, strategy):
    """Index (into `members`) of the group's host school."""
    m = len(members)
    affinity = S.sum(axis=1) if m > 1 else np.zeros(m)
    if strategy == "location":
        known = ~np.isnan(coordinates[:, 0])
        if known.sum() >= 2:
            D = distance_matrix_km(coordinates)
            spread = np.where(known, np.nansum(np.where(known[None, :], D, 0.0), axis=1), np.inf)
            order = np.lexsort((np.arange(m), -affinity, spread))
            return int(order[0])
        strategy = "affinity"
    if strategy == "complementarity" and H is not None:
        # How much of the other members' needs this school has good practices for.
        helps = (P @ H.T).sum(axis=0) - np.einsum("ij,ij->i", P, H)
    else:
        helps = np.zeros(m)
    order = np.lexsort((np.arange(m), -affinity, -helps))
    return int(order[0])


def group_schools(
    schools,
    *,
    by="zone",
    min_size=2,
    max_size=3,
    mix_levels=False,
    problems=None,
    practices=None,
    adoptions=None,
    text_weight=0.0,
    complementarity_weight=0.0,
    past_groups=None,
    avoid_last=None,
    past_penalty=None,
    max_distance_km=None,
    host="complementarity",
    seed=0,
    restarts=None,
):
    """Partition `schools` into peer groups, separately within each zone.

    Parameters
    ----------
    schools : iterable of dict
        ``{"id", "zone", "level", "lat", "lon", "profile"}``; only ``"id"``
        is required.  ``"profile"`` is ``{category: weight}``; when absent it
        is computed from `problems`.
    by : str or None
        Field whose values split the schools into independent sets
        (default ``"zone"``); ``None`` groups all schools as one set.
    min_size, max_size : int
        Sizes of the groups (see :func:`partition`).
    mix_levels : bool
        If False (default) a group only holds schools of one ``"level"``.
    problems, practices, adoptions : list of dict, optional
        Plain records (see :func:`network.graph.build_graph`) used for the
        profiles, texts and complementarity.
    text_weight, complementarity_weight : float
        Optional terms of the similarity (see :mod:`network.similarity`).
    past_groups : iterable of iterables, optional
        Past groups or pairs of school ids, oldest first.
    avoid_last : int, optional
        Only each school's last `avoid_last` past groups count (default: all).
    past_penalty : float, optional
        ``None`` (default) forbids pairs that met; a number is subtracted from
        their similarity instead.
    max_distance_km : float, optional
        Members of a group must be at most this far apart (haversine).
        Unknown or placeholder coordinates never constrain.
    host : {"complementarity", "affinity", "location"}
        How each group's host is chosen: the member with most good-outcome
        practices in categories the other members need (ties: highest
        affinity); the member with the highest summed similarity to the
        others; or the geographic medoid of members with known coordinates.
        Remaining ties go to the lowest id.
    seed : int
        Same input and seed give the same groups, whatever the input order.
    restarts : int, optional
        Passed to :func:`partition`.

    Returns
    -------
    dict
        ``{"groups": [{"schools": [ids], "host": id, "score": float,
        "shared": [categories], "zone": value, "level": value}],
        "objective": float}``.  ``score`` is the mean pairwise similarity of
        the group (0 for a single school) and ``objective`` (afinidad total)
        is the sum of ``score * len(schools)``.  Forbidden pairs (past
        partners, too far) carry a penalty larger than any affinity, so they
        only appear when the sizes leave no other choice.

    Examples
    --------
    >>> schools = [
    ...     {"id": "A", "zone": "Z1", "profile": {"convivencia": 3}},
    ...     {"id": "B", "zone": "Z1", "profile": {"convivencia": 2}},
    ...     {"id": "C", "zone": "Z1", "profile": {"lectura-escritura": 3}},
    ...     {"id": "D", "zone": "Z1", "profile": {"lectura-escritura": 1}},
    ... ]
    >>> result = group_schools(schools, max_size=2)
    >>> [g["schools"] for g in result["groups"]]
    [['A', 'B'], ['C', 'D']]
    >>> result["groups"][0]["shared"], round(result["objective"], 4)
    (['convivencia'], 2.0)
    """
    _check_sizes(min_size, max_size)
    if host not in HOST_STRATEGIES:
        raise ValueError(f"host debe ser uno de {HOST_STRATEGIES}")
    schools = list(schools)
    by_id = {}
    for school in schools:
        if school["id"] in by_id:
            raise ValueError(f"id de escuela repetido: {school['id']!r}")
        by_id[school["id"]] = school
    ids = sorted(by_id, key=id_sort_key)

    computed = school_profiles(problems) if problems is not None else {}
    profiles = {
        i: (by_id[i].get("profile") if by_id[i].get("profile") is not None
            else computed.get(i, {}))
        for i in ids
    }
    P, columns = profile_matrix(profiles, ids)
    good = good_practices(practices or (), adoptions or ())
    H = _practice_matrix(good, ids, columns) if good else None
    X = None
    if text_weight > 0:
        texts = school_texts(problems or ())
        X = tfidf_matrix([texts.get(i, "") for i in ids])
    coordinates = None
    if max_distance_km is not None or host == "location":
        coordinates = coordinates_array(
            [(by_id[i].get("lat"), by_id[i].get("lon")) for i in ids]
        )
    avoided = _avoided_partners(past_groups, avoid_last) if past_groups else {}

    sets = {}
    for k, school in enumerate(ids):
        key = (by_id[school].get(by) if by is not None else None,
               None if mix_levels else by_id[school].get("level"))
        sets.setdefault(key, []).append(k)
    weight_total = 1.0 + text_weight + complementarity_weight

    groups_out, objective = [], 0.0
    for key in sorted(sets, key=lambda k: (id_sort_key(k[0]), id_sort_key(k[1]))):
        index = np.asarray(sets[key])
        n = len(index)
        Pk = P[index]
        S = jaccard_matrix(Pk)
        if text_weight > 0:
            Xk = X[index]
            S = S + text_weight * np.clip((Xk @ Xk.T).toarray(), 0.0, 1.0)
        if complementarity_weight > 0 and H is not None:
            S = S + complementarity_weight * complementarity_matrix(Pk, H[index])
        if weight_total != 1.0:
            S = S / weight_total
        np.fill_diagonal(S, 0.0)
        penalised = S
        if n > 1 and (avoided or max_distance_km is not None):
            forbidden = np.zeros((n, n), dtype=bool)
            soft = np.zeros((n, n), dtype=bool)
            if avoided:
                local = {ids[k]: a for a, k in enumerate(index.tolist())}
                for a, k in enumerate(index.tolist()):
                    for other in avoided.get(ids[k], ()):
                        b = local.get(other)
                        if b is not None:
                            (forbidden if past_penalty is None else soft)[a, b] = True
            if max_distance_km is not None:
                D = distance_matrix_km(coordinates[index])
                forbidden |= np.nan_to_num(D, nan=0.0) > max_distance_km
            big = float(n * max_size + 1)
            penalised = S - big * (forbidden | forbidden.T)
            if past_penalty is not None:
                penalised = penalised - float(past_penalty) * (soft | soft.T)
        local_groups = partition(
            penalised,
            min_size=min_size,
            max_size=max_size,
            seed=_stable_seed(seed, key),
            restarts=restarts,
        )
        for members in local_groups:
            members_index = index[members]
            members = np.asarray(members)
            block = S[members[:, None], members]
            m = len(members)
            score = float(block.sum() / (m * (m - 1))) if m > 1 else 0.0
            objective += score * m
            host_at = _choose_host(
                members_index,
                block,
                P[members_index],
                H[members_index] if H is not None else None,
                coordinates[members_index] if coordinates is not None else None,
                host,
            )
            member_ids = [ids[k] for k in members_index.tolist()]
            groups_out.append(
                {
                    "schools": member_ids,
                    "host": member_ids[host_at],
                    "score": score,
                    "shared": shared_categories(*(profiles[i] for i in member_ids)),
                    "zone": key[0],
                    "level": key[1],
                }
            )
    return {"groups": groups_out, "objective": float(objective)}
