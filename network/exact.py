"""The exact optimum of a small grouping problem, by dynamic programming over subsets (the reference
the tests and benchmarks hold :func:`network.grouping.partition` to).
"""

import numpy as np

from .affinity import _NEG, _check_sizes, _feasible, _symmetric, _values, grouping_affinity


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
