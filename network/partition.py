"""Partition schools into small groups that maximise their *afinidad total*: the cycle-cover
relaxation, the vectorised local search, seeded restarts, and maximum-weight matching for pairs (see
:mod:`network.grouping`).
"""

import networkx as nx
import numpy as np
from scipy.optimize import linear_sum_assignment

from .affinity import _EPS, _NEG, _check_sizes, _coefficients, _feasible, _symmetric, _values


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
                together = (
                    _values(shrunk, W[labels][:, None] - own[:, None] - own[None, :] + S)
                    - current[labels][:, None]
                    + 2.0 * S
                )
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
            cycles = [
                cycles[k][shifts[k] % len(cycles[k]) :] + cycles[k][: shifts[k] % len(cycles[k])]
                for k in order
            ]
        sequence = [i for cycle in cycles for i in cycle]
        labels, fixed = _chop(S, sequence, min_size, max_size, remainder)
        labels = _improve(S, labels, min_size, max_size, fixed)
        value = _labels_value(S, labels)
        if value > best_value + _EPS:
            best_labels, best_value = labels, value
        if best_value >= bound - 1e-7:
            break
    return _labels_to_groups(best_labels)
